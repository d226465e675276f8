"""The northern campaign on calibrated ground (docs/model.md §8): daily losses inside the
documented bands, Sakhalin as an operation that can fail, the Soviet counteroffensive, the
weight of the Far East's strength, and common random numbers before the launch."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from sim.model import Replication
from sim.model.actors import oil
from sim.model.actors.north import FALLBACK
from sim.model.kernels.calibration import (KG_DAYS, KG_JAPANESE_CASUALTIES, KG_JAPANESE_MEN,
                                           KG_SOVIET_CASUALTIES, KG_SOVIET_MEN)
from sim.outcomes import SERIES, month_ends
from sim.registry import REGISTRY
from test_model import run

LAUNCH = dt.date(1941, 8, 29)
KANTOKUEN = {"decision__force": "north", "decision__force_date": LAUNCH}
N = 40
ORDER = ["none", "border", "primorye", "amur", "transbaikal"]

#: combat.md: Dupuy's neutral daily loss of an attacker and its caps (attacker, defender).
DUPUY_ATTACKER = REGISTRY["combat.attacker_daily_loss"].default
ATTACKER_CAP = 0.134
DEFENDER_CAP = 0.058
#: The least a battle costs a day: the Khalkhin Gol campaign's average, quiet weeks included
#: (KG-01, KG-03, KG-09, KG-15, KG-19): 0.36%/day Soviet, 0.45%/day Japanese.
CAMPAIGN_FLOOR = min(KG_SOVIET_CASUALTIES / KG_SOVIET_MEN,
                     KG_JAPANESE_CASUALTIES / KG_JAPANESE_MEN) / KG_DAYS


def kantokuen(index: int, trace: bool = True, **overrides: Any) -> Replication:
    return run(index, trace=trace, **{**KANTOKUEN, **overrides})


@pytest.fixture(scope="module")
def traced() -> list[Replication]:
    return [kantokuen(i) for i in range(N)]


def battles(rep: Replication) -> list[dict[str, Any]]:
    return [e.data for e in rep.events or [] if e.kind == "battle" and "days" in e.data]


def test_daily_losses_stay_inside_the_documented_band(traced: list[Replication]) -> None:
    fractions: list[tuple[float, float]] = []  # (attacker, defender) daily loss fraction
    japanese_a_day = []
    for rep in traced:
        for b in battles(rep):
            if "sector" not in b and "counteroffensive" not in b:
                continue  # the Sakhalin landing starts with nobody ashore: no daily fraction
            jp = b["japanese_losses"] / b["days"] / b["japanese"]
            su = b["soviet_losses"] / b["days"] / b["soviet"]
            fractions.append((su, jp) if b.get("counteroffensive") else (jp, su))
            if "sector" in b:
                japanese_a_day.append(b["japanese_losses"] / b["days"])
    assert len(fractions) >= N
    attacker = np.array([a for a, _ in fractions])
    defender = np.array([d for _, d in fractions])
    assert attacker.max() <= ATTACKER_CAP and defender.max() <= DEFENDER_CAP
    assert attacker.min() >= CAMPAIGN_FLOOR and defender.min() >= CAMPAIGN_FLOOR
    # the typical attack is no bloodier than Dupuy's standard day, and a month-long sector
    # battle no longer costs the ~8,000 Japanese a day of a standard day held for a month
    assert np.median(attacker) <= DUPUY_ATTACKER
    assert np.median(japanese_a_day) < 8_000.0


def test_sakhalin_can_fail_and_succeed(traced: list[Replication]) -> None:
    taken = [rep.outcomes["sakhalin_taken_date"] for rep in traced]
    assert any(t is not None for t in taken) and any(t is None for t in taken)
    for rep, t in zip(traced, taken):
        landing = [b for b in battles(rep) if "landed" in b]
        assert len(landing) == 1  # every Kantokuen war tries it once
        assert landing[0]["taken"] == (t is not None)
        assert landing[0]["japanese_losses"] > 0.0  # the landing fought
        if t is not None:
            assert LAUNCH < t < dt.date(1941, 12, 31)


def test_sakhalin_needs_shipping() -> None:
    """With no ships for the Army (none above the civil minimum, and no share requisitioned
    for it) there is no landing to take the island."""
    for i in range(10):
        rep = kantokuen(i, trace=False, shipping__merchant_fleet_mgrt=3.0,
                        shipping__army_share=0.0)
        assert rep.outcomes["sakhalin_taken_date"] is None
        assert rep.outcomes["north_attack_date"] == LAUNCH


def test_a_counteroffensive_follows_in_some_kantokuen_runs(traced: list[Replication]) -> None:
    dates = [rep.outcomes["north_counteroffensive_date"] for rep in traced]
    assert sum(d is not None for d in dates) > 0
    for rep, d in zip(traced, dates):
        if d is not None:
            assert d.year >= 1942  # in a campaigning season after the Japanese one
            assert any(b.get("counteroffensive") for b in battles(rep))


def test_a_counteroffensive_can_take_ground_back() -> None:
    """With a weaker Soviet defence the Japanese take sectors; when the balance turns, a Soviet
    counteroffensive that breaks them moves the objective back one sector."""
    fell_back = 0
    for i in range(N):
        # a counteroffensive as soon as the balance reaches 1.5 (not 2): one that breaks them
        rep = kantokuen(i, north__soviet_effectiveness=1.0, north__counteroffensive_ratio=1.5)
        objective = None
        for e in rep.events or []:
            if e.kind == "battle" and e.data.get("sector") and "taken" in e.text:
                objective = e.data["sector"]
            if e.data.get("counteroffensive") and objective is not None:
                if e.data["objective"] != objective:
                    assert e.data["objective"] == FALLBACK[objective]
                    fell_back += 1
                objective = e.data["objective"]
        if objective is not None:
            assert rep.outcomes["north_objective"] == objective
    assert fell_back > 0


def test_a_stronger_far_east_gives_up_less_ground() -> None:
    weak = strong = 0
    for i in range(N):
        common = {"north__soviet_effectiveness": 1.0}
        a = kantokuen(i, trace=False, soviet_fe__men_1941_06=650_000, **common).outcomes
        b = kantokuen(i, trace=False, soviet_fe__men_1941_06=800_000, **common).outcomes
        weak += ORDER.index(a["north_objective"])
        strong += ORDER.index(b["north_objective"])
    assert strong < weak


def test_forced_north_draws_what_history_draws_before_the_launch() -> None:
    """Common random numbers: until the launch a forced northern strike is history."""
    ends = month_ends(REGISTRY.defaults()["simulation.horizon"])
    before = sum(1 for d in ends if d < LAUNCH)
    compared = 0
    for i in range(8):
        history = run(i)
        if history.outcomes["north_attack_date"] is not None:
            continue  # a run in which history itself strikes north (rare, T10)
        compared += 1
        north = kantokuen(i, trace=False)
        for name in SERIES:
            np.testing.assert_array_equal(history.series[name][:before],
                                          north.series[name][:before])
        for name in ("kg_japanese_casualties", "kg_soviet_casualties", "nomonhan_shock",
                     "soviet_fe_men_1941_06", "kantokuen_peak_men"):
            assert history.outcomes[name] == north.outcomes[name], name
        assert north.outcomes["north_attack_date"] == LAUNCH
    assert compared >= 5


def test_operations_halt_when_the_oil_runs_dry(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the stock at its floor there is no landing and no second season, however well the
    first one went."""
    seasons_wet = []
    for i in range(10):
        rep = kantokuen(i, north__soviet_effectiveness=0.6)
        seasons_wet.append(sum("Northern offensive, season" in e.text for e in rep.events or []))
    assert max(seasons_wet) >= 2

    # no stock and no imports: the oil is at its floor from the start, and stays there
    for i in range(10):
        rep = kantokuen(i, north__soviet_effectiveness=0.6, oil__stock_1939=0.0,
                        oil__imports_mbbl_per_year=0.0)
        assert rep.outcomes["oil_exhausted_date"] is not None
        texts = [e.text for e in rep.events or []]
        assert sum("Northern offensive, season" in t for t in texts) == 1
        assert not any("Sakhalin" in t for t in texts)
        assert rep.outcomes["sakhalin_taken_date"] is None


def test_a_far_east_that_depends_on_the_railway_fights_worse_when_germany_presses() -> None:
    """Under twice the historical German pressure the Trans-Siberian carries less for the east:
    a Far East that fed itself (local share 1) gives up less ground than the documented one."""
    dependent = fed = 0
    for i in range(N):
        common = {"north__soviet_effectiveness": 1.0, "barbarossa__pressure": 2.0}
        a = kantokuen(i, trace=False, **common).outcomes
        b = kantokuen(i, trace=False, north__fe_local_supply_share=1.0, **common).outcomes
        dependent += ORDER.index(a["north_objective"])
        fed += ORDER.index(b["north_objective"])
    assert fed < dependent
