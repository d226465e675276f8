"""The United States actor: the freeze on the southern move, the embargo through the licences,
war entry on a southern attack and (rarely) on a northern one, Lend-Lease through the Pacific."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sim.model import assembly
from sim.model.accounts import LEND_LEASE_FLOW, date_of, day_of
from sim.model.actors.united_states import (NORTH_ENTRY_DAYS, ROUTE_CLOSE, ROUTE_DAYS,
                                            route_weight, route_weight_months)
from sim.outcomes import month_ends
from sim.reference import TARGET_BY_ID
from sim.streams import Streams

try:
    from test_model import ENTROPY, params_for
except ImportError:  # pragma: no cover - tests collected as a package
    from tests.test_model import ENTROPY, params_for

#: A leadership that goes south at the first conference of 1941 and never north.
SOUTH = {"decision__south_bias": 6.0, "decision__north_bias": -20.0}
#: A northern attack and nothing else (the conferences no longer decide once it is forced).
NORTH_ONLY = {"decision__force": "north", "decision__force_date": dt.date(1941, 8, 29),
              "decision__south_bias": -20.0}


def played(index: int, **overrides: Any) -> tuple[Any, Any, list[float]]:
    """One replication, with the instant Japan moves into southern Indochina recorded."""
    world, cast = assembly.build(params_for(index, **overrides), Streams(ENTROPY, index))
    moves: list[float] = []
    world.signals.southern_move.callbacks.append(lambda _e: moves.append(world.env.now))
    assembly.play(world, cast)
    return world, cast, moves


def test_the_freeze_follows_the_southern_move_within_t17_and_the_ban_on_its_date() -> None:
    t17 = TARGET_BY_ID["T17"]
    lags = []
    for index in range(12):
        _, cast, moves = played(index, **SOUTH)
        us = cast.united_states
        assert moves and us.freeze_date is not None
        lag = day_of(us.freeze_date) - int(moves[0])
        lags.append(lag)
        assert t17.low <= lag <= t17.high
        ban = max(us.freeze_date, params_for(index)["embargo.date"])
        assert us.embargo_date == ban  # the licences stop on the freeze, not before the ban
    assert len(set(lags)) > 1  # the lag is drawn, not fixed


def test_a_later_ban_leaves_licensed_oil_flowing_after_the_freeze() -> None:
    late = dt.date(1941, 11, 1)
    world, cast, _ = played(0, embargo__date=late, simulation__horizon=dt.date(1941, 10, 15),
                            **SOUTH)
    assert world.signals.freeze.happened and not world.signals.embargo.happened
    assert cast.oil.imports() == pytest.approx(cast.oil.p["oil.imports_mbbl_per_year"])
    _, cast, _ = played(0, embargo__date=late, **SOUTH)
    assert cast.united_states.embargo_date == late


def test_the_embargo_leaves_no_licensed_us_oil() -> None:
    """T17 / US-02: after the embargo only the non-US remainder of EMB-05 still comes in."""
    _, cast, _ = played(0, simulation__horizon=dt.date(1941, 10, 15), **SOUTH)
    p = cast.oil.p
    assert cast.united_states.embargo_date is not None
    left = cast.oil.imports() / p["oil.imports_mbbl_per_year"]
    assert left == pytest.approx(1.0 - p["embargo.import_loss_share"])
    assert left <= 0.12  # EMB-05: 88-93% lost; US oil (OIL-01: 65-90% of imports) is gone


def test_without_the_embargo_the_freeze_comes_but_oil_keeps_flowing() -> None:
    world, cast, _ = played(0, embargo__enabled=False, simulation__horizon=dt.date(1941, 11, 30),
                            **SOUTH)
    assert world.signals.freeze.happened and not world.signals.embargo.happened
    assert cast.united_states.embargo_date is None
    assert cast.oil.imports() == pytest.approx(cast.oil.p["oil.imports_mbbl_per_year"])


def test_without_a_southern_move_sanctions_tighten_after_the_delay() -> None:
    force_date = dt.date(1941, 1, 15)
    world, cast, moves = played(0, decision__force="hold", decision__force_date=force_date)
    assert not moves
    p = params_for(0)
    due = dt.date.fromordinal(p["embargo.date"].toordinal()
                              + int(p["embargo.delay_without_southern_move_days"]))
    us = cast.united_states
    assert us.freeze_date == us.embargo_date == due
    assert us.war_date is None and not world.signals.us_war.happened


def test_war_with_the_united_states_on_the_day_japan_attacks_the_south() -> None:
    for index in range(6):
        _, cast, _ = played(index, **SOUTH)
        attack = cast.south.t_launch
        assert attack is not None
        assert cast.united_states.war_date == date_of(attack)


def test_a_northern_strike_alone_brings_no_war_at_the_prior_zero_and_war_at_one() -> None:
    for index in range(4):
        world, cast, _ = played(index, united_states__war_if_north=0.0, **NORTH_ONLY)
        assert cast.north.t_launch is not None and cast.south.t_launch is None
        assert cast.united_states.war_date is None
        assert world.signals.embargo.happened  # the sanctions stay
        world, cast, _ = played(index, united_states__war_if_north=1.0, **NORTH_ONLY)
        assert cast.united_states.war_date == date_of(cast.north.t_launch
                                                              + NORTH_ENTRY_DAYS)


def test_the_prior_of_war_over_a_northern_strike_is_low() -> None:
    wars = sum(played(index, **NORTH_ONLY)[1].united_states.war_date is not None
               for index in range(60))
    assert wars <= 15  # prior 0.1 (US-10b): P(>15 of 60) is below 1e-4


def test_lend_lease_carries_the_documented_total_when_japan_stays_out_of_the_north() -> None:
    horizon = dt.date(1945, 12, 31)
    world, cast, _ = played(0, simulation__horizon=horizon, **SOUTH)
    total = cast.united_states.p["united_states.lend_lease_pacific_mt"]
    assert assembly.outcomes_of(cast)["lend_lease_pacific_mt"] == pytest.approx(total)
    flow = world.ledger.samples[LEND_LEASE_FLOW]
    ends = month_ends(horizon)
    by_year = {y: sum(f for d, f in zip(ends, flow) if d.year == y) for y in range(1941, 1946)}
    assert by_year[1941] < by_year[1942] < by_year[1943] <= by_year[1944]  # the fleet grew
    assert flow[ends.index(dt.date(1945, 10, 31))] == 0.0  # closed in September 1945


def test_a_northern_war_closes_the_pacific_route() -> None:
    world, cast, _ = played(0, **NORTH_ONLY)
    assert cast.united_states.lend_lease_rate == 0.0
    flow = world.ledger.samples[LEND_LEASE_FLOW]
    ends = month_ends(world.p["simulation.horizon"])
    launch = date_of(cast.north.t_launch)
    assert all(f == 0.0 for d, f in zip(ends, flow) if d > launch)
    shipped = assembly.outcomes_of(cast)["lend_lease_pacific_mt"]
    assert 0.0 < shipped < 0.1  # August 1941's cash cargoes only


def test_the_route_profile_is_scaled_to_its_whole_length() -> None:
    start = ROUTE_DAYS[0]
    assert route_weight(start - 1.0) == 0.0 and route_weight(ROUTE_CLOSE) == 0.0
    assert route_weight(day_of(dt.date(1943, 6, 1))) > route_weight(day_of(dt.date(1941, 9, 1)))
    later = route_weight_months(day_of(dt.date(1942, 6, 1)))
    assert 0.0 < later < route_weight_months(start)
