"""PRIM scenario discovery: planted boxes are found, categories restricted to value subsets."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from sim.analysis.discovery import Box, discover_model, latin_hypercube, prim
from sim.analysis.sensitivity import Dimension, categorical_dimension, uniform_dimension
from sim.errors import UserError


def planted_dims() -> list[Dimension]:
    return [
        uniform_dimension("soviet_fe.men", 300_000, 700_000),
        uniform_dimension("noise_a", 0, 1),
        uniform_dimension("noise_b", 0, 1),
        categorical_dimension("neutrality_pact.enabled", (False, True)),
        categorical_dimension("decision.force", ("free", "north", "south", "hold")),
    ]


def planted_model(seed: int):
    """North is likely (80%) inside the planted box, rare (5%) outside it."""
    rng = np.random.default_rng(seed)

    def model(p: dict) -> np.ndarray:
        inside = (
            p["soviet_fe.men"] < 430_000
            and not p["neutrality_pact.enabled"]
            and p["decision.force"] in ("free", "north")
        )
        return (rng.random(4) < (0.8 if inside else 0.05)).astype(float)

    return model


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prim_recovers_a_planted_box(seed: int) -> None:
    result = discover_model(
        planted_model(seed), planted_dims(), samples=600, seed=seed, min_density=0.7, label="north"
    )
    assert result.boxes, result.table()
    box = result.boxes[0]
    assert set(box.restricted) == {"soviet_fe.men", "neutrality_pact.enabled", "decision.force"}
    lo, hi = box.limits["soviet_fe.men"][:2]
    assert lo == pytest.approx(300_000, abs=10_000) and 400_000 < hi < 470_000
    assert box.limits["neutrality_pact.enabled"] == frozenset({False})
    assert box.limits["decision.force"] == frozenset({"free", "north"})
    assert box.density >= 0.7 and box.coverage > 0.4
    rule = result.rules()[0]
    assert rule.startswith("north in ")
    assert "neutrality_pact.enabled = false" in rule
    assert "decision.force in {free, north}" in rule
    assert f"(coverage {box.coverage:.2f}, density {box.density:.2f}, significant:" in rule


def test_coverage_and_density_are_what_they_say() -> None:
    x = np.linspace(0, 1, 200)
    y = (x > 0.7).astype(float)
    result = prim({"x": x}, y, min_density=0.95)
    box = result.boxes[0]
    inside = (x >= box.limits["x"][0]) & (x <= box.limits["x"][1])
    assert box.density == pytest.approx(y[inside].mean())
    assert box.coverage == pytest.approx(y[inside].sum() / y.sum())
    assert box.mass == pytest.approx(inside.mean())
    # the largest coverage (all of it) among the peeled boxes dense enough
    assert box.coverage == 1.0 and 0.95 <= box.density < 1.0
    assert box.rule() == f"x >= {box.limits['x'][0]:.3g}" and 0.65 < box.limits["x"][0] <= 0.7


def test_two_separate_regions_give_two_boxes() -> None:
    rng = np.random.default_rng(4)
    x = rng.random(1500)
    z = rng.random(1500)
    y = ((x < 0.15) | (z > 0.85)).astype(float)
    result = prim({"x": x, "z": z}, y, min_density=0.9, max_boxes=3)
    assert len(result.boxes) >= 2
    rules = {b.rule() for b in result.boxes[:2]}
    assert any(r.startswith("x <=") for r in rules) and any(r.startswith("z >=") for r in rules)
    assert sum(b.coverage for b in result.boxes) == pytest.approx(1.0, abs=0.1)


def test_no_target_no_box() -> None:
    result = discover_model(lambda p: 0.0, planted_dims()[:2], samples=50, seed=1)
    assert result.boxes == [] and result.base_density == 0.0
    assert "no box reaches density" in result.table()


def test_a_target_everywhere_needs_no_restriction() -> None:
    result = prim({"x": np.linspace(0, 1, 50)}, np.ones(50))
    assert result.boxes == []  # the whole space already has density 1: nothing to explain


def test_latin_hypercube_fills_every_stratum() -> None:
    u = latin_hypercube(50, 3, seed=9)
    assert u.shape == (50, 3)
    for j in range(3):
        assert sorted((u[:, j] * 50).astype(int)) == list(range(50))
    np.testing.assert_array_equal(u, latin_hypercube(50, 3, seed=9))


def test_rules_format_dates_counts_and_categories() -> None:
    box = Box(
        limits={
            "embargo.date": (dt.date(1941, 7, 25).toordinal(), dt.date(1941, 8, 10).toordinal(),
                             dt.date(1941, 7, 1).toordinal(), dt.date(1941, 9, 1).toordinal()),
            "men": (410_000.0, 431_872.0, 300_000.0, 700_000.0),
            "flag": frozenset({True}),
        },
        restricted=["embargo.date", "men", "flag"],
    )
    kinds = {"embargo.date": "date", "men": "int", "flag": "bool"}
    assert box.rule(kinds) == (
        "1941-07-25 <= embargo.date <= 1941-08-10 and 410,000 <= men <= 432,000 and flag = true"
    )


def test_result_files(tmp_path) -> None:
    result = discover_model(planted_model(0), planted_dims(), samples=300, seed=0, min_density=0.6)
    paths = result.write(tmp_path)
    data = json.loads((tmp_path / "discovery.json").read_text())
    assert data["boxes"] and data["boxes"][0]["rule"]
    lines = (tmp_path / "discovery_samples.csv").read_text().splitlines()
    assert len(lines) == 301 and lines[0].endswith("target_share")
    assert (tmp_path / "prim_tradeoff.png").read_bytes()[:4] == b"\x89PNG"
    assert len(paths) == 3


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [({"samples": 5}, "--samples"), ({"min_density": 0.0}, "--min-density")],
)
def test_bad_arguments(kwargs, fragment) -> None:
    with pytest.raises(UserError, match=fragment):
        discover_model(lambda p: 0.0, planted_dims(), **kwargs)


# ------------------------------------------------------------------ can the boxes be trusted?


def test_quasi_p_is_emas_one_sided_binomial_test() -> None:
    from scipy.stats import binomtest

    rng = np.random.default_rng(3)
    x, z = rng.random(400), rng.random(400)
    y = (rng.random(400) < np.where(x > 0.7, 0.9, 0.1)).astype(float)
    box = prim({"x": x, "z": z}, y, min_density=0.8).boxes[0]
    assert "x" in box.restricted
    lo, hi = box.limits["x"][:2]
    inside = (x >= lo) & (x <= hi)
    for name in box.restricted:
        if name != "x":
            inside &= (z >= box.limits[name][0]) & (z <= box.limits[name][1])
    wider = np.ones(400, dtype=bool)
    for name in box.restricted:
        if name != "x":
            wider &= (z >= box.limits[name][0]) & (z <= box.limits[name][1])
    want = binomtest(int(y[inside].sum()), int(inside.sum()), y[wider].mean(),
                     alternative="greater").pvalue
    assert box.quasi_p["x"] == pytest.approx(want)
    assert box.quasi_p["x"] < 1e-6 and box.significant


def test_a_box_found_in_noise_is_reported_not_significant() -> None:
    dims = [uniform_dimension(f"noise_{i}", 0, 1) for i in range(4)]
    rng = np.random.default_rng(2)
    result = discover_model(lambda p: float(rng.random() < 0.3), dims, samples=100, seed=2,
                            min_density=0.45, resamples=10)
    assert result.boxes, "PRIM finds a box in noise (that is the point of the test)"
    assert not all(b.significant for b in result.boxes)
    text = result.table()
    assert "NOT significant" in text and "(not significant)" in text
    data = result.to_dict()
    assert data["boxes"][0]["quasi_p"] and data["significance"] == 0.05


def test_planted_restrictions_recur_over_resamples_and_score_highest() -> None:
    pytest.importorskip("sklearn")
    result = discover_model(planted_model(1), planted_dims(), samples=400, seed=1,
                            min_density=0.6, resamples=20, scores=True)
    box = result.boxes[0]
    planted = {"soviet_fe.men", "neutrality_pact.enabled", "decision.force"}
    assert planted <= set(box.stability)
    assert all(box.stability[name] >= 0.8 for name in planted)
    # a restriction on noise, if PRIM kept one, is not significant and recurs less often
    for name in set(box.restricted) - planted:
        assert box.quasi_p[name] > 0.05
        assert box.stability[name] < min(box.stability[n] for n in planted)
    assert set(list(result.scores)[:3]) == planted
    assert sum(result.scores.values()) == pytest.approx(1.0)
    assert "; in 100% of 20 resamples" in result.table()
    again = discover_model(planted_model(1), planted_dims(), samples=400, seed=1,
                           min_density=0.6, resamples=20, scores=True)
    assert again.scores == result.scores and again.boxes[0].stability == box.stability


def test_scores_without_scikit_learn_is_one_line_before_any_run(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_sklearn(name, *args, **kwargs):
        if name.startswith("sklearn"):
            raise ImportError("No module named 'sklearn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sklearn)
    ran = []
    with pytest.raises(UserError, match=r"--scores needs scikit-learn.*\[analysis\]"):
        discover_model(lambda p: ran.append(p) or 0.0, planted_dims(), samples=20, scores=True)
    assert ran == []


def test_parameters_are_dated_by_their_names() -> None:
    from sim.analysis.discovery.dating import later_parameters, named_period, outcome_settled_by

    assert named_period("shipping.loss_rate_1942") == (dt.date(1942, 1, 1), dt.date(1942, 12, 31))
    assert named_period("soviet_fe.men_1941_06") == (dt.date(1941, 6, 1), dt.date(1941, 6, 30))
    assert named_period("combat.soviet_effectiveness_aug_1939")[0] == dt.date(1939, 8, 1)
    assert named_period("decision.w_oil") is None
    # a span of years is not a month 45: China's dead of 1942-45 cannot explain 1941
    assert named_period("china.dead_1942_45") == (dt.date(1942, 1, 1), dt.date(1945, 12, 31))
    assert later_parameters(["china.dead_1942_45"], ["conference_2_choice"]) == {
        "china.dead_1942_45": dt.date(1942, 1, 1)}
    assert outcome_settled_by(["decision"]) == dt.date(1941, 12, 31)
    assert outcome_settled_by(["oil_stock_end_1942"]) == dt.date(1942, 12, 31)
    assert outcome_settled_by(["decision", "singapore_fall_days"]) is None
    names = ["shipping.loss_rate_1942", "soviet_fe.men_1941_06", "decision.w_oil"]
    assert later_parameters(names, ["decision"]) == {"shipping.loss_rate_1942": dt.date(1942, 1, 1)}
    assert later_parameters(names, ["oil_stock_end_1942"]) == {}


def test_discover_leaves_out_parameters_dated_after_the_decision() -> None:
    from pathlib import Path

    from sim.analysis.discovery import discover
    from sim.scenario import load_scenario

    scenario = load_scenario(Path(__file__).resolve().parent.parent / "scenarios" /
                             "historical.yaml")
    common = {"samples": 10, "replications": 1, "resamples": 0, "workers": 1, "min_density": 0.9}
    left = discover(scenario, "decision == 'north'", **common)
    assert "shipping.loss_rate_1942" not in [d.name for d in left.dimensions]
    assert left.left_out == {"china.dead_1942_45": "1942-01-01",
                             "shipping.loss_rate_1942": "1942-01-01",
                             "shipping.loss_rate_1944": "1944-01-01",
                             "soviet_fe.transfer_factor_1942": "1942-01-01",
                             "soviet_fe.men_moved_east_1945": "1945-01-01"}
    assert ("--include-later keeps them): china.dead_1942_45, shipping.loss_rate_1942"
            in left.table())
    kept = discover(scenario, "decision == 'north'", include_later=True, **common)
    assert "shipping.loss_rate_1942" in [d.name for d in kept.dimensions] and not kept.left_out
    later = discover(scenario, "oil_stock_end_1942 < 30", **common)
    assert "shipping.loss_rate_1942" in [d.name for d in later.dimensions]
