"""Every distribution: quantiles at 0, 0.5 and 1, means, parameter checks, date bounds."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from scipy import stats

from sim.distributions import (
    DIST_NAMES,
    Beta,
    Choice,
    LogNormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
    is_distribution,
    parse_distribution,
)

D = dt.date


def test_every_name_parses_to_its_class() -> None:
    examples = {
        "normal": {"mean": 1, "sd": 1},
        "lognormal": {"median": 1, "sigma": 1},
        "uniform": {"low": 0, "high": 1},
        "triangular": {"low": 0, "mode": 0.5, "high": 1},
        "pert": {"low": 0, "mode": 0.5, "high": 1},
        "beta": {"alpha": 2, "beta": 2},
        "choice": {"values": [1, 2]},
    }
    classes = (Normal, LogNormal, Uniform, Triangular, Pert, Beta, Choice)
    assert tuple(examples) == DIST_NAMES
    for (name, fields), cls in zip(examples.items(), classes):
        d = parse_distribution({"dist": name, **fields})
        assert isinstance(d, cls) and is_distribution(d)
        assert parse_distribution(d.to_yaml()) == d  # YAML form round-trips
    assert not is_distribution({"dist": "uniform"})


def test_normal_quantiles_and_mean() -> None:
    d = parse_distribution({"dist": "normal", "mean": 10, "sd": 2})
    assert d.ppf(0.5) == pytest.approx(10)
    assert d.ppf(0.975) == pytest.approx(10 + 2 * 1.959964, rel=1e-6)
    assert d.ppf(0.0) < 10 - 2 * 6 and d.ppf(1.0) > 10 + 2 * 6  # finite, far in the tails
    assert math.isfinite(d.ppf(0.0)) and math.isfinite(d.ppf(1.0))
    assert d.mean() == 10


def test_truncated_normal_stays_in_bounds_and_matches_scipy() -> None:
    d = parse_distribution({"dist": "normal", "mean": 10, "sd": 2, "low": 8, "high": 15})
    assert d.ppf(0.0) == 8 and d.ppf(1.0) == pytest.approx(15)
    ref = stats.truncnorm((8 - 10) / 2, (15 - 10) / 2, loc=10, scale=2)
    assert d.ppf(0.5) == pytest.approx(ref.ppf(0.5), rel=1e-9)
    assert d.mean() == pytest.approx(ref.mean(), rel=1e-4)
    assert d.bounds() == (8, pytest.approx(15))


def test_lognormal_by_median_and_by_percentiles() -> None:
    d = parse_distribution({"dist": "lognormal", "median": 100, "sigma": 0.5})
    assert (d.ppf(0.0), d.ppf(0.5), d.ppf(1.0)) == (0.0, pytest.approx(100), math.inf)
    assert d.mean() == pytest.approx(100 * math.exp(0.125))
    p = parse_distribution({"dist": "lognormal", "p05": 20000, "p95": 38000})
    assert p.ppf(0.05) == pytest.approx(20000) and p.ppf(0.95) == pytest.approx(38000)
    assert p.ppf(0.5) == pytest.approx(math.sqrt(20000 * 38000))


def test_uniform_numbers_and_dates() -> None:
    d = parse_distribution({"dist": "uniform", "low": 1, "high": 3})
    assert [d.ppf(u) for u in (0, 0.5, 1)] == [1, 2, 3]
    assert d.mean() == 2
    dates = parse_distribution({"dist": "uniform", "low": D(1941, 7, 25), "high": D(1941, 8, 15)})
    assert [dates.ppf(u) for u in (0, 0.5, 1)] == [D(1941, 7, 25), D(1941, 8, 4), D(1941, 8, 15)]
    assert dates.bounds() == (D(1941, 7, 25), D(1941, 8, 15))
    assert all(type(dates.ppf(u)) is dt.date for u in np.linspace(0, 1, 11))


def test_triangular_numbers_and_dates() -> None:
    d = parse_distribution({"dist": "triangular", "low": 0, "mode": 1, "high": 4})
    assert d.ppf(0) == 0 and d.ppf(1) == 4
    assert d.ppf(0.25) == pytest.approx(1)  # the mode sits at F = (c - a) / (b - a)
    assert d.ppf(0.5) == pytest.approx(stats.triang(0.25, loc=0, scale=4).ppf(0.5))
    assert d.mean() == pytest.approx(5 / 3)
    dates = parse_distribution({"dist": "triangular", "low": D(1941, 1, 1),
                                "mode": D(1941, 1, 11), "high": D(1941, 1, 31)})
    assert dates.ppf(0) == D(1941, 1, 1) and dates.ppf(1) == D(1941, 1, 31)
    assert dates.mean() == D(1941, 1, 14)


def test_pert_matches_its_beta_and_mean_formula() -> None:
    d = parse_distribution({"dist": "pert", "low": 50000, "mode": 57000, "high": 73961})
    assert d.ppf(0) == 50000 and d.ppf(1) == 73961
    a, c, b = 50000, 57000, 73961
    alpha, beta = 1 + 4 * (c - a) / (b - a), 1 + 4 * (b - c) / (b - a)
    ref = stats.beta(alpha, beta, loc=a, scale=b - a)
    assert d.ppf(0.5) == pytest.approx(ref.ppf(0.5), rel=1e-9)
    assert d.mean() == pytest.approx((a + 4 * c + b) / 6)
    dates = parse_distribution({"dist": "pert", "low": D(1941, 8, 1), "mode": D(1941, 8, 5),
                                "high": D(1941, 8, 31)})
    assert dates.ppf(0) == D(1941, 8, 1) and dates.ppf(1) == D(1941, 8, 31)


def test_beta_scaled() -> None:
    d = parse_distribution({"dist": "beta", "alpha": 2, "beta": 5})
    assert (d.ppf(0), d.ppf(1)) == (0, 1)
    assert d.ppf(0.5) == pytest.approx(stats.beta(2, 5).ppf(0.5))
    assert d.mean() == pytest.approx(2 / 7)
    s = parse_distribution({"dist": "beta", "alpha": 2, "beta": 2, "low": 10, "high": 20})
    assert (s.ppf(0), s.ppf(0.5), s.ppf(1), s.mean()) == (10, pytest.approx(15), 20, 15)


def test_choice_weights_and_edges() -> None:
    d = parse_distribution({"dist": "choice", "values": ["a", "b", "c"], "weights": [1, 2, 1]})
    assert [d.ppf(u) for u in (0, 0.24, 0.25, 0.74, 0.75, 0.999, 1.0)] == [
        "a", "a", "b", "b", "c", "c", "c"]
    assert d.mean() == "b"  # the most likely value for a non-numeric choice
    n = parse_distribution({"dist": "choice", "values": [1, 2, 3]})
    assert [n.ppf(u) for u in (0, 0.5, 1)] == [1, 2, 3]
    assert n.mean() == 2 and n.bounds() == (1, 3)
    u = np.random.default_rng(1).random(20000)
    share = np.mean([d.ppf(x) == "b" for x in u])
    assert share == pytest.approx(0.5, abs=0.02)


@pytest.mark.parametrize(("spec", "message"), [
    ({"dist": "gauss", "mean": 1, "sd": 1}, "unknown distribution `gauss`"),
    ({"dist": "normal", "mean": 1, "sd": 0}, "normal: `sd` Input should be greater than 0"),
    ({"dist": "normal", "mean": 1}, "normal: `sd` is required"),
    ({"dist": "normal", "mean": 1, "sd": 1, "low": 2, "high": 1}, "needs low < high"),
    ({"dist": "lognormal", "median": 1}, "needs either `median` and `sigma`, or `p05` and `p95`"),
    ({"dist": "lognormal", "median": 1, "sigma": 1, "p05": 1, "p95": 2}, "needs either"),
    ({"dist": "lognormal", "p05": 5, "p95": 2}, "needs p05 < p95"),
    ({"dist": "uniform", "low": 3, "high": 3}, "needs low < high"),
    ({"dist": "uniform", "low": 1, "high": 2, "mode": 1}, "`mode` is not a known field"),
    ({"dist": "uniform", "low": D(1941, 1, 1), "high": 5}, "bounds must be all numbers or all"),
    ({"dist": "triangular", "low": 0, "mode": 5, "high": 4}, "needs low <= mode <= high"),
    ({"dist": "pert", "low": 0, "mode": -1, "high": 4}, "needs low <= mode <= high"),
    ({"dist": "pert", "low": 0, "mode": 1, "high": 4, "shape": 0}, "`shape`"),
    ({"dist": "beta", "alpha": 0, "beta": 1}, "`alpha` Input should be greater than 0"),
    ({"dist": "beta", "alpha": 1, "beta": 1, "low": 1, "high": 0}, "needs low < high"),
    ({"dist": "choice", "values": []}, "`values` List should have at least 1 item"),
    ({"dist": "choice", "values": [1, 2], "weights": [1]}, "needs one weight per value"),
    ({"dist": "choice", "values": [1, 2], "weights": [0, 0]}, "not all zero"),
    ({"dist": "choice", "values": [1, 2], "weights": [-1, 2]}, "non-negative"),
])
def test_parameter_checks_are_one_line_value_errors(spec: dict, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_distribution(spec)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_ppf_is_monotone_for_every_continuous_distribution() -> None:
    u = np.linspace(0.001, 0.999, 200)
    for spec in [
        {"dist": "normal", "mean": 0, "sd": 1},
        {"dist": "normal", "mean": 0, "sd": 1, "low": -1, "high": 2},
        {"dist": "lognormal", "p05": 1, "p95": 9},
        {"dist": "uniform", "low": -2, "high": 2},
        {"dist": "triangular", "low": 0, "mode": 0, "high": 1},
        {"dist": "triangular", "low": 0, "mode": 1, "high": 1},
        {"dist": "pert", "low": 0, "mode": 0.2, "high": 1, "shape": 6},
        {"dist": "beta", "alpha": 0.5, "beta": 0.5},
    ]:
        d = parse_distribution(spec)
        x = [d.ppf(float(v)) for v in u]
        assert all(b >= a for a, b in zip(x, x[1:])), spec


def test_describe_names_every_field() -> None:
    d = parse_distribution({"dist": "triangular", "low": D(1941, 7, 1), "mode": D(1941, 8, 1),
                            "high": D(1941, 9, 1)})
    assert d.describe() == "triangular(low=1941-07-01, mode=1941-08-01, high=1941-09-01)"
    n = parse_distribution({"dist": "normal", "mean": 1, "sd": 0.5, "high": 2})
    assert n.describe() == "normal(mean=1, sd=0.5, high=2)"
    assert n.to_yaml() == {"dist": "normal", "mean": 1.0, "sd": 0.5, "high": 2.0}
