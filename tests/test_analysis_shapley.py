"""Shapley attribution on synthetic models with known answers, and the factor catalogue."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.analysis.factors import FACTORS, Factor, combined_overrides, parse_factor, select_factors
from sim.analysis.shapley import (
    attribute_function,
    attribute_matrix,
    shapley_values,
    shapley_weights,
)
from sim.errors import UserError


def brute_force_shapley(values: np.ndarray) -> np.ndarray:
    """The textbook definition: marginal contributions averaged over every ordering."""
    k = int(math.log2(len(values)))
    phi = np.zeros(k)
    for order in itertools.permutations(range(k)):
        mask = 0
        for i in order:
            phi[i] += values[mask | 1 << i] - values[mask]
            mask |= 1 << i
    return phi / math.factorial(k)


@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda k: st.lists(
            st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1 << k, max_size=1 << k
        )
    )
)
def test_contributions_add_up_to_the_total_change(values: list[float]) -> None:
    v = np.array(values)
    phi = shapley_values(v)
    assert math.isclose(phi.sum(), v[-1] - v[0], rel_tol=1e-12, abs_tol=1e-6)
    np.testing.assert_allclose(phi, brute_force_shapley(v), rtol=1e-9, atol=1e-6)


def test_weight_matrix_columns_sum_to_the_efficiency_identity() -> None:
    for k in range(1, 8):
        col = shapley_weights(k).sum(axis=0)
        expected = np.zeros(1 << k)
        expected[0], expected[-1] = -1.0, 1.0
        np.testing.assert_allclose(col, expected, atol=1e-13)


def _noise(n: int = 400) -> np.ndarray:
    return np.random.default_rng(42).normal(0.0, 5.0, n)


def test_additive_model_gets_its_coefficients_exactly() -> None:
    coefficients = {"pact": 0.1, "embargo": -0.25, "china": 0.4}
    noise = _noise()  # common random numbers: the same noise in every combination

    def evaluate(switched: frozenset[str]) -> np.ndarray:
        return noise + sum(c for name, c in coefficients.items() if name in switched)

    att = attribute_function(evaluate, list(coefficients), bootstrap=200)
    for name, c in coefficients.items():
        assert att.contributions[name] == pytest.approx(c, abs=1e-12)
        lo, hi = att.ci[name]
        assert lo == pytest.approx(c, abs=1e-9) and hi == pytest.approx(c, abs=1e-9)
    assert sum(att.contributions.values()) == pytest.approx(att.total, abs=1e-12)
    assert att.total == pytest.approx(sum(coefficients.values()), abs=1e-12)


def test_pure_interaction_is_split_equally() -> None:
    """The outcome is 1 only when both factors are switched: each gets half, a bystander 0."""

    def evaluate(switched: frozenset[str]) -> np.ndarray:
        return np.full(50, float({"a", "b"} <= switched))

    att = attribute_function(evaluate, ["a", "b", "bystander"], bootstrap=50)
    assert att.contributions == pytest.approx({"a": 0.5, "b": 0.5, "bystander": 0.0}, abs=1e-12)
    assert att.baseline_value == 0.0 and att.counterfactual_value == 1.0
    assert att.value_of(["a", "b"]) == 1.0 and att.value_of(["a"]) == 0.0


def test_bootstrap_resamples_replications_jointly_across_combinations() -> None:
    """Large noise shared by every combination cancels in the paired differences: the
    interval of a factor with a constant effect has zero width.  Independent resampling of each
    combination would give an interval about as wide as the noise."""
    noise = _noise(300) * 100

    def evaluate(switched: frozenset[str]) -> np.ndarray:
        return noise + (3.0 if "x" in switched else 0.0) + (1.0 if "y" in switched else 0.0)

    att = attribute_function(evaluate, ["x", "y"], bootstrap=300)
    lo, hi = att.ci["x"]
    assert hi - lo < 1e-9
    assert att.contributions["x"] == pytest.approx(3.0, abs=1e-9)
    assert att.total_ci[1] - att.total_ci[0] < 1e-9


def test_bootstrap_interval_covers_a_random_effect() -> None:
    """Switching `x` flips the outcome on in a random 30% of replications."""
    u = np.random.default_rng(7).random(2000)

    def evaluate(switched: frozenset[str]) -> np.ndarray:
        return ((u < 0.3) & ("x" in switched)).astype(float)

    att = attribute_function(evaluate, ["x", "y"], bootstrap=500, seed=3)
    lo, hi = att.ci["x"]
    assert lo < 0.3 < hi
    assert 0.02 < hi - lo < 0.1
    assert att.ci["y"] == (0.0, 0.0)


def test_missing_values_are_left_out_of_the_means() -> None:
    y = np.array([[1.0, np.nan, 3.0], [2.0, 4.0, np.nan]])
    att = attribute_matrix(y, ["f"], bootstrap=20)
    assert att.baseline_value == pytest.approx(2.0)
    assert att.counterfactual_value == pytest.approx(3.0)
    assert att.missing_share == pytest.approx(2 / 6)
    assert "undefined in 33%" in att.table()


def test_table_json_and_files(tmp_path) -> None:
    def evaluate(switched: frozenset[str]) -> np.ndarray:
        return np.full(10, 0.1 + 0.2 * ("a" in switched) + 0.05 * ("b" in switched))

    att = attribute_function(
        evaluate, ["a", "b"], bootstrap=10, outcome="decision == 'north'", unit="share of runs"
    )
    text = att.table()
    assert "+0.200" in text and "+0.050" in text and "0.350" in text
    assert att.ranked() == ["a", "b"]
    paths = att.write(tmp_path / "out")
    data = json.loads((tmp_path / "out" / "attribution.json").read_text())
    assert data["total"] == pytest.approx(0.25)
    assert len(data["coalitions"]) == 4
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    assert (tmp_path / "out" / "waterfall.png").read_bytes()[:4] == b"\x89PNG"


def test_too_many_factors_is_refused() -> None:
    with pytest.raises(UserError, match="1 to 10 factors"):
        shapley_weights(11)


# --- the factor catalogue ---------------------------------------------------------------------


def test_documented_factors_cover_the_brief_and_cite_sources() -> None:
    assert {"khalkhin_gol", "molotov_ribbentrop", "neutrality_pact", "embargo", "china_drain",
            "barbarossa"} <= set(FACTORS)
    for f in FACTORS.values():
        assert f.overrides and f.question.endswith("?") and f.sources


def test_parse_factor_reads_yaml_scalars() -> None:
    f = parse_factor("late_embargo:embargo.date=1941-12-01,embargo.enabled=true,china.drain_multiplier=0.5")
    import datetime as dt

    assert f.overrides == {
        "embargo.date": dt.date(1941, 12, 1), "embargo.enabled": True, "china.drain_multiplier": 0.5,
    }
    assert not f.documented


@pytest.mark.parametrize("spec", ["nocolon", ":a=1", "x:", "x:a", "x:=1", "bad name:a=1"])
def test_bad_factor_specs(spec: str) -> None:
    with pytest.raises(UserError, match="--factor"):
        parse_factor(spec)


def test_select_factors() -> None:
    assert [f.name for f in select_factors()] == list(FACTORS)
    assert [f.name for f in select_factors("embargo,khalkhin_gol")] == ["embargo", "khalkhin_gol"]
    mine = [f.name for f in select_factors("embargo", ["mine:embargo.date=1941-10-01"])]
    assert mine == ["embargo", "mine"]
    replaced = select_factors("embargo", ["embargo:embargo.date=1941-10-01"])
    assert len(replaced) == 1 and not replaced[0].documented
    with pytest.raises(UserError, match="did you mean `embargo`"):
        select_factors("embargoo")


def test_conflicting_overrides_are_refused() -> None:
    a = Factor("a", "A", {"embargo.enabled": False}, "?")
    b = Factor("b", "B", {"embargo.enabled": True}, "?")
    c = Factor("c", "C", {"embargo.enabled": False}, "?")
    assert combined_overrides([a, c], [0, 1]) == {"embargo.enabled": False}
    with pytest.raises(UserError, match="both set `embargo.enabled`"):
        combined_overrides([a, b], [0, 1])
