"""Statistics helpers: Wilson intervals, means, quantiles, paired differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim import stats


def test_wilson_matches_a_published_value() -> None:
    # Agresti & Coull (1998) / Newcombe (1998) example: 81 of 263 -> 0.2553 to 0.3662
    p, lo, hi = stats.wilson_interval(81, 263)
    assert p == pytest.approx(81 / 263)
    assert lo == pytest.approx(0.2553, abs=5e-4)
    assert hi == pytest.approx(0.3662, abs=5e-4)


def test_wilson_at_the_extremes_stays_informative() -> None:
    p, lo, hi = stats.wilson_interval(0, 100)
    assert p == 0 and lo == 0 and 0.03 < hi < 0.04  # the 'rule of three' region
    p, lo, hi = stats.wilson_interval(100, 100)
    assert p == 1 and hi == 1 and 0.96 < lo < 0.97
    p, lo, hi = stats.wilson_interval(0, 0)
    assert math.isnan(p) and (lo, hi) == (0.0, 1.0)


@given(st.integers(min_value=1, max_value=10_000), st.data())
def test_wilson_contains_the_share(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(min_value=0, max_value=n))
    p, lo, hi = stats.wilson_interval(k, n)
    assert 0 <= lo <= p <= hi <= 1


def test_wilson_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        stats.wilson_interval(5, 3)


def test_wilson_coverage_is_close_to_95_percent() -> None:
    rng = np.random.default_rng(0)
    p_true, n, trials = 0.12, 400, 4000
    ks = rng.binomial(n, p_true, size=trials)
    covered = sum(lo <= p_true <= hi for _, lo, hi in (stats.wilson_interval(int(k), n)
                                                        for k in ks))
    assert 0.93 < covered / trials < 0.97


def test_mean_interval_ignores_missing_and_covers() -> None:
    x = np.array([1.0, 2.0, np.nan, 3.0, 4.0])
    mean, lo, hi = stats.mean_interval(x)
    assert mean == 2.5 and lo < 2.5 < hi
    se = np.std([1, 2, 3, 4], ddof=1) / 2
    assert hi - mean == pytest.approx(stats.Z95 * se)
    assert all(math.isnan(v) for v in stats.mean_interval(np.array([np.nan])))
    assert stats.mean_interval(np.array([7.0])) == (7.0, 7.0, 7.0)


def test_quantiles_and_describe() -> None:
    x = np.arange(101, dtype=float)
    q = stats.quantiles(x)
    assert q == {"p05": 5.0, "p25": 25.0, "p50": 50.0, "p75": 75.0, "p95": 95.0}
    d = stats.describe(np.append(x, np.nan))
    assert d["mean"] == 50.0 and d["min"] == 0.0 and d["max"] == 100.0
    assert all(math.isnan(v) for v in stats.quantiles(np.array([])).values())


def test_date_quantiles_skip_missing_and_return_real_days() -> None:
    nat = np.iinfo(np.int64).min
    days = np.array([10, nat, 20, 30, nat, 40], dtype=np.int64)
    q = stats.date_quantiles(days)
    assert q["p50"] in (20, 30) and q["p05"] == 10 and q["p95"] in (30, 40)
    assert stats.date_quantiles(np.array([nat], dtype=np.int64))["p50"] is None


def test_paired_difference_is_tighter_with_common_random_numbers() -> None:
    rng = np.random.default_rng(1)
    luck = rng.normal(100, 30, size=2000)
    a = luck + 5 + rng.normal(0, 1, size=2000)
    b = luck + rng.normal(0, 1, size=2000)
    mean, lo, hi = stats.paired_difference(a, b)
    assert lo < 5 < hi and hi - lo < 0.2
    independent = rng.normal(100, 30, size=2000)
    _, lo2, hi2 = stats.mean_interval(a - independent)
    assert hi2 - lo2 > 10 * (hi - lo)
    with pytest.raises(ValueError):
        stats.paired_difference(a, b[:-1])


def test_required_runs() -> None:
    assert stats.required_runs(0.5, 0.01) == math.ceil(stats.Z95**2 * 0.25 / 1e-4)
    assert stats.required_runs(0.0, 0.01) < stats.required_runs(0.5, 0.01)
    with pytest.raises(ValueError):
        stats.required_runs(0.5, 0)
