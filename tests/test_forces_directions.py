"""The China war's documented directions (docs/model.md §4): a settled China frees divisions for
Manchuria, so it raises the chance of striking north and the northern campaign's reach.

Same seed for each pair (common random numbers).  The thresholds are the documented directions
with a margin larger than the Monte Carlo error of 1,000 runs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pytest

from sim import engine
from sim.outcomes import NORTH_OBJECTIVES
from sim.scenario import load_scenario

from conftest import SCENARIOS

RUNS = 1000
SEED = 1

pytestmark = pytest.mark.slow


@lru_cache(maxsize=None)
def outcomes(name: str, settled: bool = False) -> Any:
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    if settled:
        scenario = scenario.with_overrides({"china.drain_multiplier": 0.0})
    return engine.run(scenario, runs=RUNS, seed=SEED, workers=1, progress=False).outcomes


def _north_share(o: Any) -> float:
    return float(np.mean(~np.isnat(np.asarray(o["north_attack_date"]).astype("datetime64[D]"))))


def _reach(o: Any) -> np.ndarray:
    return np.array([NORTH_OBJECTIVES.index(x) if x in NORTH_OBJECTIVES else 0
                     for x in np.asarray(o["north_objective"])])


def test_no_china_war_raises_the_chance_of_striking_north() -> None:
    history, settled = outcomes("historical"), outcomes("no-china-war")
    assert _north_share(settled) > _north_share(history)
    # on 2 July 1941 itself: with common random numbers the paired difference per
    # replication is positive beyond four standard errors (a few points with the fitted
    # posterior: ~2.4% -> ~6.5% of runs)
    north = {name: (np.asarray(o["conference_2_choice"]) == "north").astype(float)
             for name, o in (("historical", history), ("no-china-war", settled))}
    diff = north["no-china-war"] - north["historical"]
    assert diff.mean() > 4.0 * diff.std(ddof=1) / np.sqrt(len(diff)), diff.mean()
    assert diff.mean() >= 0.02, diff.mean()


def test_no_china_war_lengthens_a_forced_northern_campaign() -> None:
    """The freed divisions join the Kantokuen mobilisation (POL-Q3's 1.2 M planned)."""
    history, settled = outcomes("kantokuen-executed"), outcomes("kantokuen-executed", True)
    peak = {k: float(np.median(np.asarray(o["kantokuen_peak_men"], dtype=float)))
            for k, o in (("history", history), ("settled", settled))}
    assert peak["settled"] >= peak["history"] + 300000, peak
    assert _reach(settled).mean() >= _reach(history).mean() + 0.5
    assert np.mean(_reach(settled) >= 2) > np.mean(_reach(history) >= 2) + 0.2


def test_manchuria_first_reaches_further_than_kantokuen_alone_and_costs_china() -> None:
    history, first = outcomes("kantokuen-executed"), outcomes("manchuria-first")
    assert _reach(first).mean() > _reach(history).mean() + 0.5
    lost = {k: float(np.median(np.asarray(o["china_japanese_casualties"], dtype=float)))
            for k, o in (("history", history), ("first", first))}
    assert lost["first"] > lost["history"], lost  # China held below its needs: drain up
