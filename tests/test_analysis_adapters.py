"""The analysis adapters end to end (scenario -> run_batch -> outcome expression -> method) on
a tiny model with known answers, so the plumbing is tested apart from the real model's
calibration."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from sim.analysis.discovery import discover
from sim.analysis.factors import Factor
from sim.analysis.sensitivity import analyse
from sim.analysis.shapley import attribute
from sim.distributions import parse_distribution
from sim.outcomes import OUTCOMES, SERIES, month_ends
from sim.params import Param, Registry
from sim.scenario import Scenario
from sim.streams import Streams

HORIZON = dt.date(1942, 1, 31)

TOY_REGISTRY = Registry([
    Param("simulation.horizon", HORIZON, "date", "test", "Last simulated day", kind="date"),
    Param("embargo.enabled", True, "", "test", "US oil embargo", kind="bool"),
    Param("neutrality_pact.enabled", True, "", "test", "Neutrality pact", kind="bool"),
    Param("toy.weakness", parse_distribution({"dist": "uniform", "low": 0.0, "high": 1.0}),
          "share", "test", "Soviet weakness", credible=(0.0, 1.0), bounds=(0.0, 1.0)),
    Param("toy.stock", 0.5, "share", "test", "Oil stock factor", credible=(0.0, 1.0),
          bounds=(0.0, 1.0)),
])


class ToyReplication:
    def __init__(self, outcomes: dict[str, Any], series: dict[str, np.ndarray]) -> None:
        self.outcomes = outcomes
        self.series = series
        self.events: list[Any] = []


def toy_model(params: dict[str, Any], streams: Streams, trace: bool = False) -> ToyReplication:
    """North with probability 0.1, +0.1 without the embargo, +0.1 more if the pact is gone too;
    in the weak-Soviet corner (weakness > 0.7, no pact) north is near certain.  The oil stock
    is 10 * weakness + 2 * stock plus noise."""
    u = streams.block("decisions", 2)
    no_embargo = not params["embargo.enabled"]
    no_pact = not params["neutrality_pact.enabled"]
    p = 0.1 + 0.1 * no_embargo + 0.1 * (no_embargo and no_pact)
    if params["toy.weakness"] > 0.7 and no_pact:
        p = 0.95
    decision = "north" if u[0] < p else "south"
    out: dict[str, Any] = {}
    for o in OUTCOMES:
        if o.kind == "category":
            out[o.name] = decision if o.name == "decision" else o.categories[0]
        elif o.kind == "date":
            out[o.name] = None
        else:
            out[o.name] = 0.0
    out["oil_stock_end_1941"] = 10 * params["toy.weakness"] + 2 * params["toy.stock"] + (u[1] - 0.5)
    months = len(month_ends(params["simulation.horizon"]))
    return ToyReplication(out, {name: np.zeros(months) for name in SERIES})


MODEL = f"{__name__}:toy_model"


def toy_scenario() -> Scenario:
    return Scenario("toy", "toy scenario", None, (), TOY_REGISTRY.defaults(), {}, TOY_REGISTRY)


FACTORS = [
    Factor("embargo", "US oil embargo", {"embargo.enabled": False}, "No embargo?"),
    Factor("neutrality_pact", "Neutrality pact", {"neutrality_pact.enabled": False}, "No pact?"),
]


def test_attribute_through_the_engine_recovers_known_contributions() -> None:
    # toy.weakness <= 0.7 keeps the weak-Soviet corner out of this test
    scenario = toy_scenario().with_overrides({"toy.weakness": 0.5})
    att = attribute(scenario, "decision == 'north'", FACTORS, runs=2000, seed=11, bootstrap=200,
                    workers=1, model=MODEL)
    # exact Shapley values of p: embargo 0.1 + 0.1/2, pact 0.1/2
    assert att.contributions["embargo"] == pytest.approx(0.15, abs=0.025)
    assert att.contributions["neutrality_pact"] == pytest.approx(0.05, abs=0.025)
    assert sum(att.contributions.values()) == pytest.approx(att.total, abs=1e-12)
    assert att.baseline_value == pytest.approx(0.1, abs=0.03)
    # common random numbers: every combination saw the same u, so the values are nested
    assert att.value_of([]) <= att.value_of(["embargo"]) <= att.value_of(["embargo", "neutrality_pact"])
    lo, hi = att.ci["neutrality_pact"]
    assert lo < 0.05 < hi and hi - lo < 0.05


def test_sensitivity_through_the_engine() -> None:
    scenario = toy_scenario()
    oat = analyse(scenario, "oat", "oil_stock_end_1941", params="toy.weakness,toy.stock",
                  replications=20, seed=1, workers=1, model=MODEL)
    assert oat.ranked() == ["toy.weakness", "toy.stock"]
    assert oat.indices["toy.weakness"]["swing"] == pytest.approx(10.0, abs=1e-6)
    assert oat.indices["toy.stock"]["swing"] == pytest.approx(2.0, abs=1e-6)
    sobol = analyse(scenario, "sobol", "oil_stock_end_1941", params="toy.weakness,toy.stock",
                    samples=32, replications=16, seed=1, workers=1, model=MODEL)
    # V = 100/12 + 4/12 from the assumptions; chance is uniform(-0.5, 0.5): 1/12, estimated
    # from the 16 replication streams every point shares
    assert sobol.indices["toy.weakness"]["ST"] == pytest.approx(100 / 104, abs=0.1)
    assert sobol.variance.chance == pytest.approx(1 / 12, rel=0.35)
    assert sobol.variance.assumptions_share == pytest.approx(104 / 105, abs=0.03)


def test_discovery_through_the_engine_finds_the_weak_soviet_corner() -> None:
    result = discover(toy_scenario(), "decision == 'north'", samples=150, replications=16,
                      min_density=0.9, seed=2, workers=1, model=MODEL)
    names = {d.name for d in result.dimensions}
    # the scenario's uncertain parameter plus the factor switches the toy registry knows
    assert names == {"toy.weakness", "embargo.enabled", "neutrality_pact.enabled"}
    assert result.boxes
    box = result.boxes[0]
    assert box.limits["neutrality_pact.enabled"] == frozenset({False})
    assert box.limits["toy.weakness"][0] == pytest.approx(0.7, abs=0.05)
    assert "embargo.enabled" not in box.restricted
    assert box.density == pytest.approx(0.95, abs=0.1)
    assert 0 < box.density_se < 0.1
