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
