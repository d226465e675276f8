"""Sensitivity analysis on synthetic models with analytic answers."""

from __future__ import annotations

import builtins
import datetime as dt
import json

import numpy as np
import pytest

from sim.analysis.sensitivity import (
    SALIB_MISSING,
    analyse_function,
    categorical_dimension,
    pointwise,
    sobol,
    uniform_dimension,
    variance_split,
)
from sim.analysis.space import _dimension
from sim.distributions import parse_distribution
from sim.errors import UserError
from sim.params import Param


def dims3() -> list:
    return [uniform_dimension("a", 0, 1), uniform_dimension("b", 0, 1), uniform_dimension("c", 0, 1)]


def test_sobol_additive_function_matches_analytic_indices() -> None:
    """y = a + 2b on uniforms: V = 1/12 + 4/12, so S1 = ST = 0.2 and 0.8; c is inert."""
    result = analyse_function(lambda p: p["a"] + 2 * p["b"], dims3(), "sobol", samples=512, seed=3)
    ix = result.indices
    assert ix["a"]["S1"] == pytest.approx(0.2, abs=0.08)
    assert ix["b"]["S1"] == pytest.approx(0.8, abs=0.1)
    assert ix["a"]["ST"] == pytest.approx(0.2, abs=0.05)
    assert ix["b"]["ST"] == pytest.approx(0.8, abs=0.08)
    assert abs(ix["c"]["S1"]) < 0.02 and abs(ix["c"]["ST"]) < 0.02
    assert result.ranked() == ["b", "a", "c"]
    assert result.points == 512 * (3 + 2)


def test_sobol_pure_interaction_has_no_first_order_effect() -> None:
    """y = (a - 1/2)(b - 1/2): no main effects at all, everything through the interaction."""
    result = analyse_function(lambda p: (p["a"] - 0.5) * (p["b"] - 0.5), dims3(), "sobol", samples=512, seed=5)
    ix = result.indices
    for name in ("a", "b"):
        assert abs(ix[name]["S1"]) < 0.15
        assert ix[name]["ST"] == pytest.approx(1.0, abs=0.2)
    assert abs(ix["c"]["ST"]) < 0.02


def test_sobol_with_replications_separates_assumptions_from_chance() -> None:
    """Each point's replications add noise of variance 0.25 to a + 2b (variance 5/12)."""
    rng = np.random.default_rng(0)

    def model(p: dict) -> np.ndarray:
        return p["a"] + 2 * p["b"] + rng.normal(0, 0.5, size=16)

    result = analyse_function(model, dims3(), "sobol", samples=256, seed=1)
    assert result.replications == 16
    assert result.variance.chance == pytest.approx(0.25, rel=0.1)
    assert result.variance.assumptions == pytest.approx(5 / 12, rel=0.15)
    assert result.noise_floor == pytest.approx(0.25 / 16 / (5 / 12 + 0.25 / 16), rel=0.25)
    assert result.ranked()[0] == "b"
    assert "historians disagree" in result.table()


def test_variance_split_on_known_components() -> None:
    rng = np.random.default_rng(11)
    means = rng.normal(0, 2.0, size=(4000, 1))  # between-point variance 4
    y = means + rng.normal(0, 1.0, size=(4000, 5))  # within-point variance 1
    split = variance_split(y)
    assert split.chance == pytest.approx(1.0, rel=0.05)
    assert split.assumptions == pytest.approx(4.0, rel=0.08)
    assert split.assumptions_share == pytest.approx(0.8, abs=0.03)


def test_morris_ranks_parameters() -> None:
    result = analyse_function(
        lambda p: 5 * p["a"] + 2 * p["b"] ** 2 + 0.1 * p["c"], dims3(), "morris", samples=20, seed=2
    )
    assert result.ranked() == ["a", "b", "c"]
    ix = result.indices
    assert ix["a"]["mu_star"] == pytest.approx(5.0, rel=1e-6)  # linear: every effect is 5
    assert ix["a"]["sigma"] == pytest.approx(0.0, abs=1e-9)
    assert ix["b"]["sigma"] > 0.1  # the square makes the effects of b differ
    assert result.points == 20 * 4


def test_oat_tornado_order_and_values() -> None:
    dims = [*dims3(), categorical_dimension("pact", (False, True), central=True),
            categorical_dimension("mode", ("free", "north", "south"))]

    def model(p: dict) -> float:
        return p["a"] + 3 * p["b"] + 0.1 * p["c"] + 5 * (not p["pact"]) + {"free": 0, "north": 2, "south": -1}[p["mode"]]

    result = analyse_function(model, dims, "oat")
    assert result.ranked() == ["pact", "b", "mode", "a", "c"]
    assert result.baseline == pytest.approx(0.5 + 1.5 + 0.05)
    assert result.indices["b"]["low_value"] == pytest.approx(0.5 + 0.05)
    assert result.indices["b"]["high_value"] == pytest.approx(0.5 + 3 + 0.05)
    assert result.indices["mode"]["swing"] == pytest.approx(3.0)
    assert result.points == 1 + 2 * 3 + 2 + 3
    assert [v for v, _ in result.settings["mode"]] == ["free", "north", "south"]


def test_results_write_json_and_charts(tmp_path) -> None:
    for method, chart in (("sobol", "sobol_indices.png"), ("morris", "morris.png"), ("oat", "tornado.png")):
        result = analyse_function(lambda p: p["a"] * p["b"] + p["c"], dims3(), method, samples=16 if method == "sobol" else 4)
        paths = result.write(tmp_path)
        data = json.loads((tmp_path / f"sensitivity_{method}.json").read_text())
        assert data["method"] == method and set(data["indices"]) == {"a", "b", "c"}
        assert (tmp_path / chart).read_bytes()[:4] == b"\x89PNG"
        assert len(paths) == 2


def test_sobol_needs_a_power_of_two() -> None:
    with pytest.raises(UserError, match="power of 2"):
        analyse_function(lambda p: p["a"], dims3(), "sobol", samples=100)


def test_unknown_method() -> None:
    with pytest.raises(UserError, match="did you mean `sobol`"):
        analyse_function(lambda p: p["a"], dims3(), "sobel")


def test_missing_salib_is_a_one_line_user_error(monkeypatch) -> None:
    real_import = builtins.__import__

    def no_salib(name, *args, **kwargs):
        if name.split(".")[0] == "SALib":
            raise ImportError("No module named 'SALib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_salib)
    with pytest.raises(UserError) as info:
        sobol(pointwise(lambda p: p["a"]), dims3(), 16)
    assert str(info.value) == SALIB_MISSING
    assert 'pip install "strike-north-or-south[analysis]"' in str(info.value)
    # one-at-a-time needs no SALib
    assert analyse_function(lambda p: p["a"], dims3(), "oat").ranked()[0] == "a"


def test_undefined_outcome_everywhere_is_reported() -> None:
    with pytest.raises(UserError, match="undefined in every replication"):
        analyse_function(lambda p: np.nan, dims3(), "sobol", samples=16)


# --- mapping parameters to dimensions ------------------------------------------------------


def _param(**kw) -> Param:
    base = dict(name="g.x", default=1.0, unit="men", source="T-1", description="x")
    base.update(kw)
    return Param(**base)


def test_distribution_dimension_uses_ppf_and_credible_range() -> None:
    dist = parse_distribution({"dist": "triangular", "low": 50000, "mode": 57000, "high": 73961})
    d = _dimension(_param(kind="int", credible=(50000, 73961)), dist, "s")
    assert d.from_unit(0.0) == 50000 and d.from_unit(1.0) == 73961
    assert d.from_unit(0.3) == int(round(dist.ppf(0.3)))
    assert isinstance(d.from_unit(0.3), int)
    assert (d.low, d.high) == (50000, 73961)
    assert d.central == int(round(dist.ppf(0.5)))


def test_fixed_parameter_uses_its_credible_range() -> None:
    d = _dimension(_param(credible=(0.2, 0.8), default=0.5), 0.5, "s")
    assert d.from_unit(0.5) == pytest.approx(0.5) and d.from_unit(0.0) == pytest.approx(0.2)
    assert d.origin == "credible range" and d.central == 0.5
    date = _dimension(
        _param(kind="date", default=dt.date(1941, 8, 1), credible=(dt.date(1941, 7, 25), dt.date(1941, 8, 15))),
        dt.date(1941, 8, 1), "s",
    )
    assert date.from_unit(0.0) == dt.date(1941, 7, 25) and date.from_unit(1.0) == dt.date(1941, 8, 15)
    flag = _dimension(_param(kind="bool", default=True), True, "s")
    assert flag.oat_settings() == [False, True] and flag.from_unit(0.9) is True


def test_fixed_parameter_without_range_is_refused() -> None:
    with pytest.raises(UserError, match="no documented credible range"):
        _dimension(_param(), 1.0, "historical")
