"""The merchant fleet: the stock-flow identity, sinkings only in the wars that sink ships, the
lift and import factors, the allocation levers and the tankers' run-down."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim import engine
from sim.model import assembly
from sim.model.accounts import MANCHURIA, MERCHANT_FLEET, day_of
from sim.model.actors.oil import at_horizon
from sim.model.actors.shipping import (CAPTURED_GRT, CONSTRUCTION, TANKER_SHARE,
                                       construction_per_year, us_hazard)
from sim.model.kernels import logistics
from sim.errors import ScenarioError
from sim.registry import REGISTRY
from sim.scenario import load_scenario
from sim.streams import Streams

from conftest import SCENARIOS

try:
    from test_model import ENTROPY, params_for
except ImportError:  # pragma: no cover - tests collected as a package
    from tests.test_model import ENTROPY, params_for

SOUTH = {"decision__force": "south", "decision__force_date": dt.date(1941, 12, 7),
         "decision__persimmon_error_sd": 0.0}
NORTH_ONLY = {"decision__force": "north", "decision__force_date": dt.date(1941, 8, 29),
              "decision__south_bias": -20.0, "united_states__war_if_north": 0.0}
shares = st.floats(min_value=0.0, max_value=1.0)
grt = st.floats(min_value=0.0, max_value=1e7)


def played(index: int = 0, **overrides: Any) -> tuple[Any, Any]:
    return assembly.run(params_for(index, **overrides), Streams(ENTROPY, index))


@pytest.mark.parametrize("index", range(3))
def test_the_fleet_is_its_start_plus_what_was_built_and_captured_less_what_was_sunk(
        index: int) -> None:
    world, cast = played(index, **SOUTH)
    ship = cast.shipping
    fleet = ship.finish()
    assert fleet == pytest.approx(at_horizon(world, MERCHANT_FLEET), rel=1e-9)
    assert ship.captured == CAPTURED_GRT  # the DEI fell: the captured ships joined (SH-01)
    assert ship.sunk > 5e6 and ship.built > 3e6
    assert fleet == pytest.approx(ship.start_grt + ship.captured + ship.built - ship.sunk)


def test_no_sinkings_without_war_with_the_united_states() -> None:
    world, cast = played(0, shipping__soviet_loss_rate=0.0, **NORTH_ONLY)
    assert world.signals.north_war.happened and not world.signals.us_war.happened
    ship = cast.shipping
    ship.finish()
    assert ship.sunk == 0.0 and ship.captured == 0.0
    # the yards keep their 1941 pace: the fleet only grows
    series = world.ledger.samples[MERCHANT_FLEET]
    assert all(b >= a for a, b in zip(series, series[1:]))
    # the Soviet Pacific Fleet alone sinks little (a few per cent a year)
    world, cast = played(0, **NORTH_ONLY)
    ship = cast.shipping
    ship.finish()
    years = (world.t_end - day_of(dt.date(1941, 8, 29))) / 365.25
    assert 0.0 < ship.sunk < 0.05 * ship.fleet_1941 * years


def test_a_northern_war_alone_keeps_the_fleet_larger_than_the_southern_war_by_1944() -> None:
    runs = {}
    for name in ("historical", "kantokuen-executed"):
        scenario = load_scenario(SCENARIOS / f"{name}.yaml")
        out = engine.run(scenario, runs=150, seed=1, workers=1, progress=False).outcomes
        runs[name] = float(np.median(np.asarray(out["merchant_fleet_grt_end_1944"], float)))
    assert runs["kantokuen-executed"] > 1.5 * runs["historical"], runs


def test_sinkings_grow_through_the_war_and_construction_follows_sh06() -> None:
    hazards = [us_hazard(y, 0.135, 2.1, 0.76) for y in (1942, 1943, 1944, 1945)]
    assert hazards[0] < hazards[1] < hazards[2] == hazards[3]
    assert construction_per_year(1944, True) == CONSTRUCTION[1944]
    assert construction_per_year(1944, False) == CONSTRUCTION[1941]
    assert construction_per_year(1948, True) == CONSTRUCTION[1945]


def test_tankers_are_hunted_from_mid_1943() -> None:
    def tanker_share(horizon: dt.date) -> float:
        world, cast = played(1, simulation__horizon=horizon, **SOUTH)
        ship = cast.shipping
        ship.finish()
        return ship.tankers / (TANKER_SHARE * at_horizon(world, MERCHANT_FLEET))

    # to July 1943 the tankers go down with the fleet (the captured ships are dry cargo) ...
    assert 0.85 < tanker_share(dt.date(1943, 6, 30)) <= 1.0
    # ... then US submarines hunt them first (SH-09, OIL-14)
    assert tanker_share(dt.date(1944, 12, 31)) < 0.8 * tanker_share(dt.date(1943, 6, 30))


def test_lift_and_import_factors_are_shares_and_follow_the_levers() -> None:
    world, cast = played(0, simulation__horizon=dt.date(1942, 6, 30), **SOUTH)
    ship = cast.shipping
    lifts = [ship.lift_factor(g) for g in (0.0, 0.5e6, 0.9e6, 2e6, 5e6, 1e7)]
    assert all(0.0 < f <= 1.0 for f in lifts)
    assert lifts == sorted(lifts, reverse=True) and lifts[0] == 1.0 and lifts[-1] < 1.0
    assert 0.0 < ship.import_factor() < 1.0  # at war the civil fleet is below its minimum
    world2, cast2 = played(0, simulation__horizon=dt.date(1942, 6, 30), shipping__army_share=0.4,
                           **SOUTH)
    assert cast2.shipping.lift_factor(2e6) > ship.lift_factor(2e6)
    assert cast2.shipping.import_factor() < ship.import_factor()
    # before any war the civil economy has the whole dry-cargo fleet
    world3, cast3 = played(0, simulation__horizon=dt.date(1940, 6, 30))
    assert cast3.shipping.import_factor() == 1.0


def test_requisitions_above_the_fleet_are_cut_in_proportion() -> None:
    assert logistics.allocation(0.26, 0.30) == pytest.approx((0.26, 0.30, 0.44))
    army, navy, civil = logistics.allocation(0.9, 0.6)
    assert army + navy == pytest.approx(1.0) and civil == 0.0
    assert army / navy == pytest.approx(1.5)
    world, cast = played(0, simulation__horizon=dt.date(1942, 6, 30), shipping__army_share=0.9,
                         shipping__navy_share=0.6, **SOUTH)
    assert cast.shipping.civil_share == 0.0
    assert cast.shipping.import_factor() == logistics.MIN_FACTOR


@pytest.mark.parametrize("key", ["shipping.army_share", "shipping.navy_share", "oil.navy_share"])
def test_a_share_above_the_whole_is_a_one_line_error_naming_the_key(key: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(SCENARIOS / "historical.yaml", [f"{key}=1.2"])
    message = str(info.value)
    assert len(message.splitlines()) == 1 and key in message, message


def test_the_northern_first_scenario_puts_the_army_first() -> None:
    scenario = load_scenario(SCENARIOS / "northern-first-shipping.yaml")
    values = scenario.values
    assert values["shipping.army_share"] > REGISTRY["shipping.army_share"].default
    assert values["shipping.navy_share"] < REGISTRY["shipping.navy_share"].default
    assert values["decision.force"] == "north"
    world, cast = played(0, shipping__army_share=values["shipping.army_share"],
                         shipping__navy_share=values["shipping.navy_share"], **NORTH_ONLY)
    base_world, base = played(0, **NORTH_ONLY)
    kantokuen_lift = 900_000.0  # POL-Q3: the shipping the northern war plan requisitioned
    assert cast.shipping.lift_factor(2 * kantokuen_lift) > base.shipping.lift_factor(
        2 * kantokuen_lift)
    assert cast.shipping.lift_factor(kantokuen_lift) == 1.0
    assert cast.shipping.import_factor() < base.shipping.import_factor()


def test_the_oil_ration_lever_moves_oil_between_the_services() -> None:
    world, cast = played(0, simulation__horizon=dt.date(1943, 12, 31), **SOUTH)
    base = {s: cast.oil.service_supply(s) for s in ("navy", "army")}
    assert base["navy"] == pytest.approx(base["army"])  # the record's split: one ration
    world, cast = played(0, simulation__horizon=dt.date(1943, 12, 31), oil__navy_share=0.8,
                         **SOUTH)
    assert cast.oil.service_supply("army") > base["army"]
    assert cast.oil.service_supply("navy") < base["navy"]
    assert all(0.0 < cast.oil.service_supply(s) <= 1.0 for s in ("navy", "army"))


@given(fleet=grt, hazard=st.floats(min_value=0.0, max_value=10.0),
       days=st.floats(min_value=0.0, max_value=3650.0))
def test_sinkings_never_exceed_the_fleet(fleet: float, hazard: float, days: float) -> None:
    rate = logistics.sunk_per_day(fleet, hazard, days)
    assert 0.0 <= rate * days <= fleet * (1.0 + 1e-12)


@given(need=grt, dry=grt, civil=grt, own=shares, other=shares)
def test_the_lift_factor_is_a_share_falling_with_the_need(need: float, dry: float, civil: float,
                                                         own: float, other: float) -> None:
    f = logistics.lift_factor(need, dry, civil, own, other)
    assert 0.0 < f <= 1.0
    assert logistics.lift_factor(need * 2.0 + 1.0, dry, civil, own, other) <= f
    assert logistics.lift_factor(need, dry * 2.0 + 1.0, civil, own, other) >= f


@given(civil=grt, minimum=st.floats(min_value=1.0, max_value=1e7))
def test_the_import_factor_is_a_share_rising_with_the_civil_fleet(civil: float,
                                                                  minimum: float) -> None:
    f = logistics.import_factor(civil, minimum)
    assert 0.0 < f <= 1.0
    assert logistics.import_factor(civil + 1e5, minimum) >= f


@given(army=shares, navy=shares)
def test_the_allocation_keeps_the_budget(army: float, navy: float) -> None:
    a, n, c = logistics.allocation(army, navy)
    assert min(a, n, c) >= 0.0 and a + n + c == pytest.approx(1.0)


@given(share=st.floats(min_value=0.0, max_value=0.99))
def test_a_years_hazard_removes_its_share(share: float) -> None:
    h = logistics.hazard_of_share(share)
    assert logistics.sunk_per_day(1.0, h, 365.25) * 365.25 == pytest.approx(share, abs=1e-9)



def test_the_kantokuen_call_up_and_the_northern_lift_wait_for_the_army_s_ships() -> None:
    """The 900,000 t of Kantokuen (POL-Q3, SH-11) come from the Army's shipping: with the
    record's fleet and shares the lift is whole; with a fleet at the civil minimum and a small
    Army share the call-up is stretched and a northern war is fought short of its lift."""
    poor_ships = {"shipping__merchant_fleet_mgrt": 3.0, "shipping__army_share": 0.1}
    rich_world, rich = played(0)
    poor_world, poor = played(0, **poor_ships)
    july_1941 = (1941 - 1939) * 12 + 6
    assert (poor_world.ledger.samples[MANCHURIA][july_1941]
            < rich_world.ledger.samples[MANCHURIA][july_1941] - 50_000)
    _, rich_north = played(0, **NORTH_ONLY)
    _, poor_north = played(0, **poor_ships, **NORTH_ONLY)
    assert rich_north.north.shipping_share() == 1.0
    assert poor_north.north.shipping_share() < 0.5


def test_the_southern_pace_reads_the_fleet_at_the_launch() -> None:
    """The conquest's shipping is the fleet Japan has when it strikes (SH-01, JPN-10): at
    December 1941's fleet the requisition is met in full; with a fleet sunk down first the
    same offensive is slower, and its shipping share is what the fleet can give."""
    p = params_for(0, **SOUTH)
    world, cast = assembly.build(p, Streams(ENTROPY, 0))
    L = world.ledger
    L.values[MERCHANT_FLEET] = p["shipping.merchant_fleet_mgrt"] * 1e6
    full_pace, full_share, _ = cast.south.pace()
    assert full_share == 1.0
    L.values[MERCHANT_FLEET] = 0.8 * p["shipping.merchant_fleet_mgrt"] * 1e6
    pace, share, _ = cast.south.pace()
    spare = 0.8 * p["shipping.merchant_fleet_mgrt"] - p["shipping.civil_minimum_mgrt"]
    assert share == pytest.approx(spare / p["south.shipping_mgrt"])
    assert pace > full_pace
