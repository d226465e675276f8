"""Unit tests of the campaign model's modules and of ``simulate`` end to end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from sim.model import Replication, TraceEvent, assembly, key_events, simulate
from sim.model.accounts import CHINA, HOME, JP_CASUALTIES, MANCHURIA, RECRUITS, SOUTH
from sim.model.actors import oil
from sim.model.actors.china import floor_divisions
from sim.model.kernels import decision, logistics
from sim.model.kernels import khalkhin_gol_battle as khalkhin_gol
from sim.outcomes import BY_NAME, DEFAULT_HORIZON, OUTCOME_NAMES, SERIES, month_ends
from sim.params import Sampler
from sim.registry import REGISTRY
from sim.streams import Streams

# --- helpers (also used by test_model_properties.py) -------------------------------------------

ENTROPY = 20260522


def params_for(index: int, **overrides: Any) -> dict[str, Any]:
    """Concrete values for replication ``index`` (dotted names given with ``__`` for ``.``)."""
    values = REGISTRY.defaults()
    for key, value in overrides.items():
        values[key.replace("__", ".")] = value
    sampler = Sampler(REGISTRY, values)
    u = Streams(ENTROPY, index)["parameters"].random(REGISTRY.slots)
    return sampler.draw(u)


def men_unaccounted(world: Any, cast: Any) -> tuple[float, float]:
    """(initial + recruits - men in the theatres - casualties, initial + recruits) at the end
    of a replication: the army's conservation identity (docs/model.md §4)."""
    v = world.ledger.values
    in_theatres = v[CHINA] + v[MANCHURIA] + v[SOUTH] + v[HOME]
    total = cast.army.initial_men + v[RECRUITS]
    return total - in_theatres - v[JP_CASUALTIES], total


def central_params(**overrides: Any) -> dict[str, Any]:
    """Every uncertain parameter at its median: a readable 'typical' replication."""
    values = REGISTRY.defaults()
    for key, value in overrides.items():
        values[key.replace("__", ".")] = value
    return Sampler(REGISTRY, values).central()


def run(index: int, trace: bool = False, **overrides: Any) -> Replication:
    """Simulate replication ``index`` with fresh streams."""
    return simulate(params_for(index, **overrides), Streams(ENTROPY, index), trace=trace)


# --- simulate: the contract ------------------------------------------------------------------

def test_every_outcome_and_series_is_filled_with_the_right_kind() -> None:
    rep = run(0)
    assert set(OUTCOME_NAMES) <= set(rep.outcomes)
    for name in OUTCOME_NAMES:
        value = rep.outcomes[name]
        kind = BY_NAME[name].kind
        if value is None:
            continue
        if kind == "category":
            assert isinstance(value, str) and value in BY_NAME[name].categories, name
        elif kind == "date":
            assert isinstance(value, dt.date), name
        else:
            assert isinstance(value, (int, float)) and not isinstance(value, bool), name
            assert np.isfinite(value), name
    months = len(month_ends(DEFAULT_HORIZON))
    assert set(rep.series) == set(SERIES)
    for name, values in rep.series.items():
        assert values.dtype == float and values.shape == (months,), name
    assert rep.events is None


def test_same_seed_same_numbers() -> None:
    a, b = run(3), run(3)
    assert a.outcomes == b.outcomes
    for name in SERIES:
        np.testing.assert_array_equal(a.series[name], b.series[name])


def test_trace_is_dated_in_order_and_costs_nothing_when_off() -> None:
    rep = run(1, trace=True)
    assert rep.events and all(isinstance(e, TraceEvent) for e in rep.events)
    dates = [e.date for e in rep.events]
    assert dates == sorted(dates)
    kinds = {e.kind for e in rep.events}
    assert {"battle", "diplomacy", "conference"} <= kinds
    conference = next(e for e in rep.events if e.kind == "conference")
    assert {"p_north", "p_hold", "p_south"} <= set(conference.data)
    # tracing does not change the numbers
    assert run(1).outcomes == rep.outcomes


def test_short_horizon_leaves_later_outcomes_empty() -> None:
    rep = run(2, simulation__horizon=dt.date(1942, 6, 30))
    assert rep.outcomes["oil_stock_end_1941"] is not None
    assert rep.outcomes["oil_stock_end_1942"] is None
    assert rep.outcomes["oil_stock_end_1943"] is None
    assert len(rep.series["oil_stock"]) == 42


# --- Khalkhin Gol ---------------------------------------------------------------------------

def test_no_khalkhin_gol_means_no_casualties_and_no_shock() -> None:
    # without Khasan either, the belief stays at the 1938 prior (tests/test_khasan.py: with
    # Khasan and no Khalkhin Gol it stays where Khasan left it)
    p = params_for(4, khalkhin_gol__enabled=False, khasan__enabled=False)
    rep = run(4, khalkhin_gol__enabled=False, khasan__enabled=False)
    assert rep.outcomes["kg_japanese_casualties"] == 0.0
    assert rep.outcomes["kg_soviet_casualties"] == 0.0
    assert rep.outcomes["kg_outcome"] == "none"
    assert rep.outcomes["nomonhan_shock"] == p["belief.prior_soviet_power"]


def test_khalkhin_gol_central_run_is_near_the_record() -> None:
    p = central_params()
    result = khalkhin_gol.fight_campaign(p, 0.5, 0.5)
    assert 15_000 < result.japanese_casualties < 21_000  # T1
    assert 23_000 < result.soviet_casualties < 29_500  # T2
    assert 8 <= result.offensive_days <= 16  # T4
    assert result.soviet_won


def test_fewer_soviet_trucks_field_a_smaller_soviet_force() -> None:
    p = dict(params_for(0))
    full, _, share_full = khalkhin_gol.fielded_forces(p)
    p["khalkhin_gol.soviet_trucks"] = 1500.0
    short, _, share_short = khalkhin_gol.fielded_forces(p)
    assert short < full and share_short < share_full <= 1.0


def test_forced_outcomes_are_respected() -> None:
    assert run(5, khalkhin_gol__outcome="japanese_success").outcomes["kg_outcome"] == \
        "japanese_success"
    assert run(5, khalkhin_gol__outcome="soviet_victory").outcomes["kg_outcome"] == \
        "soviet_victory"


def test_a_japanese_success_lowers_the_perceived_soviet_power() -> None:
    won = run(6, khalkhin_gol__outcome="japanese_success").outcomes["nomonhan_shock"]
    lost = run(6, khalkhin_gol__outcome="soviet_victory").outcomes["nomonhan_shock"]
    assert won < lost


# --- logistics and economy ----------------------------------------------------------------------

def test_truck_lift_reproduces_the_soviet_supply_feat() -> None:
    # KG-08, KG-26: ~4,000 trucks over 675 km feed ~57,000 men (KG-03) at 14 kg a day
    lift = logistics.truck_lift_t_per_day(4000, 675, 1.5, 270, 0.75)
    assert 50_000 < logistics.sustainable_men(lift, 14.0) < 65_000
    assert logistics.truck_lift_t_per_day(900, 175, 1.5, 270, 0.75) > 0.8 * lift


def test_two_wars_cannot_both_be_shipped() -> None:
    one = logistics.shipping_share(6.3, 3.0, 0.0, 3.0)
    both = logistics.shipping_share(6.3, 3.0, 0.8, 3.0)
    assert one == 1.0 and both < 1.0
    assert logistics.shipping_effect(both, 2.0) < both


def test_rationing_and_dei_restoration() -> None:
    assert oil.ration_factor(40.0, 30.0, 0.4) == 1.0
    assert oil.ration_factor(0.0, 30.0, 0.4) == 0.4
    assert oil.ration_factor(15.0, 30.0, 0.4) == pytest.approx(0.7)
    early = oil.dei_output(60.0, 0.5, 0.0, 12.0)
    late = oil.dei_output(60.0, 0.5, 36.0, 12.0)
    assert early == pytest.approx(30.0) and 55.0 < late < 60.0
    assert oil.dei_output(60.0, 0.5, -1.0, 12.0) == 0.0


def test_no_embargo_keeps_imports_and_more_oil() -> None:
    hist = run(7, decision__force="south", decision__force_date=dt.date(1941, 12, 7))
    free = run(7, decision__force="south", decision__force_date=dt.date(1941, 12, 7),
               embargo__enabled=False)
    assert hist.outcomes["embargo_date"] is not None and free.outcomes["embargo_date"] is None
    assert free.outcomes["oil_stock_end_1941"] > hist.outcomes["oil_stock_end_1941"] + 5.0


# --- China, men -----------------------------------------------------------------------------------

def test_china_drain_scales_casualties_and_the_garrison_floor() -> None:
    p = params_for(0)
    assert floor_divisions(p) == p["china.garrison_divisions"]
    settled = dict(p, **{"china.drain_multiplier": 0.0})
    assert floor_divisions(settled) == p["china.settled_divisions"]
    _, settled_cast = assembly.build(settled, Streams(ENTROPY, 0))
    _, cast = assembly.build(p, Streams(ENTROPY, 0))
    assert settled_cast.army.divisions_for_south_campaign() > \
        cast.army.divisions_for_south_campaign()
    assert run(0, china__drain_multiplier=0.0).outcomes["china_japanese_casualties"] == 0.0
    drained = run(0).outcomes["china_japanese_casualties"]
    doubled = run(0, china__drain_multiplier=2.0).outcomes["china_japanese_casualties"]
    assert doubled == pytest.approx(2 * drained)


# --- Soviet Far East -----------------------------------------------------------------------------

def test_far_east_drawdown_is_modest_and_moscow_falling_raises_it() -> None:
    rep = run(8)
    assert rep.outcomes["soviet_fe_fraction_west_1941_08"] < 0.25
    assert 0.0 < rep.outcomes["soviet_fe_fraction_west_1941_12"] < 0.5
    fallen = run(8, barbarossa__moscow_falls=True)
    assert fallen.outcomes["soviet_fe_men_sent_west_1941"] > rep.outcomes[
        "soviet_fe_men_sent_west_1941"]


def test_no_barbarossa_no_transfers() -> None:
    rep = run(9, barbarossa__enabled=False)
    assert rep.outcomes["soviet_fe_men_sent_west_1941"] == 0.0
    assert rep.outcomes["soviet_fe_divisions_sent_west_1941"] == 0.0


# --- decision and campaigns ---------------------------------------------------------------------

def test_probabilities_sum_to_one_and_choose_maps_the_interval() -> None:
    p = params_for(0)
    s = decision.Situation(1.0, 0.9, 1.0, 0.5, 0.0, True, 0.6, 0.5, 0.88, 0.4, "hold", True)
    probs = decision.probabilities(s, p)
    assert sum(probs) == pytest.approx(1.0) and min(probs) > 0.0
    assert decision.choose(probs, 0.0) == "north"
    assert decision.choose(probs, probs[0] + 1e-9) == "hold"
    assert decision.choose(probs, 0.999999) == "south"


def test_oil_need_rises_with_the_threat_and_short_stocks() -> None:
    assert decision.oil_need(0.0, 10.0, 27.0, 24.0) == 0.0
    assert decision.oil_need(1.0, 60.0, 27.0, 24.0) == 1.0
    assert decision.oil_need(1.0, 20.0, 27.0, 24.0) > 1.0


def test_forced_north_fights_a_northern_campaign() -> None:
    for index in range(5):
        rep = run(index, trace=True, decision__force="north",
                  decision__force_date=dt.date(1941, 8, 29))
        o = rep.outcomes
        assert o["decision"] in ("north", "both")
        assert o["north_attack_date"] == dt.date(1941, 8, 29)
        assert o["north_objective"] != "none"
        assert o["north_japanese_casualties"] > 0 and o["north_soviet_casualties"] > 0
        assert any("Northern offensive" in e.text for e in rep.events or [])


def test_forced_hold_launches_nothing() -> None:
    rep = run(0, decision__force="hold", decision__force_date=dt.date(1940, 1, 1))
    assert rep.outcomes["decision"] == "hold"
    assert rep.outcomes["singapore_fall_days"] is None
    assert rep.outcomes["north_objective"] == "none"


def test_southern_war_follows_the_historical_timetable() -> None:
    # the Army's persimmon rule applied without error: no northern war comes first
    rep = run(0, decision__force="south", decision__force_date=dt.date(1941, 12, 7),
              decision__persimmon_error_sd=0.0)
    assert rep.outcomes["north_attack_date"] is None
    o = rep.outcomes
    assert o["south_attack_date"] == dt.date(1941, 12, 7)
    assert 45 < o["singapore_fall_days"] < 110
    assert dt.date(1942, 2, 1) < o["dei_captured_date"] < dt.date(1942, 5, 1)
    assert o["oil_imported_south_1942"] > 0.0


def test_a_counterfactual_leaves_the_earlier_history_untouched() -> None:
    change = dt.date(1941, 8, 29)
    ends = month_ends(DEFAULT_HORIZON)
    before = sum(1 for d in ends if d < change)
    for index in range(10):
        base = run(index)
        alt = run(index, decision__force="north", decision__force_date=change)
        for name in SERIES:
            np.testing.assert_array_equal(base.series[name][:before], alt.series[name][:before])
        for name in ("kg_japanese_casualties", "kg_soviet_casualties", "cabinet_fall_days",
                     "soviet_fe_fraction_west_1941_08"):
            assert base.outcomes[name] == alt.outcomes[name], (index, name)


def test_key_events_are_dated_in_order_within_the_horizon() -> None:
    p = REGISTRY.defaults()
    events = key_events(p)
    dates = [d for d, _ in events]
    assert dates == sorted(dates)
    labels = [label for _, label in events]
    assert "Barbarossa" in labels and "Molotov-Ribbentrop pact" in labels
    assert "US oil embargo" in labels
    short = dict(p, **{"simulation.horizon": dt.date(1941, 1, 1)})
    assert all(d <= dt.date(1941, 1, 1) for d, _ in key_events(short))
    off = dict(p, **{"embargo.enabled": False, "khalkhin_gol.enabled": False})
    assert not any("embargo" in label or "Khalkhin" in label for _, label in key_events(off))


def test_world_series_start_from_the_1939_allocation() -> None:
    p = params_for(0)
    world, _ = assembly.run(p, Streams(ENTROPY, 0))
    jan = {name: world.ledger.samples[i][0] for i, name in enumerate(SERIES)}
    assert jan["jp_men_manchuria"] == pytest.approx(p["japan.men_manchuria_1939"], rel=0.02)
    assert jan["oil_stock"] == pytest.approx(p["oil.stock_1939"], abs=3.0)


def test_moving_barbarossa_leaves_the_history_before_it_untouched() -> None:
    ends = month_ends(DEFAULT_HORIZON)
    change = dt.date(1941, 5, 15)
    before = sum(1 for d in ends if d < change)
    for index in range(5):
        base = run(index)
        early = run(index, barbarossa__date=change)
        late = run(index, barbarossa__date=dt.date(1941, 8, 1))
        for name in SERIES:
            np.testing.assert_array_equal(base.series[name][:before], early.series[name][:before])
        # without the war the build-up stops at SFE-01's strength on 22 June
        june = ends.index(dt.date(1941, 6, 30))
        fe = late.series["soviet_fe_men"]
        assert fe[june] == pytest.approx(late.outcomes["soviet_fe_men_1941_06"])
        assert fe[june + 1] == pytest.approx(fe[june])


def test_a_northern_war_that_gains_ground_fights_another_season() -> None:
    seasons = []
    for index in range(10):
        rep = run(index, trace=True, decision__force="north",
                  decision__force_date=dt.date(1941, 8, 29), north__soviet_effectiveness=0.6)
        texts = [e.text for e in rep.events or []]
        seasons.append(sum("Northern offensive, season" in t for t in texts))
        order = ["none", "border", "primorye", "amur", "transbaikal"]
        reached = order.index(rep.outcomes["north_objective"])
        # every season but the last took at least one more sector
        assert seasons[-1] <= max(1, reached - 1) + 1
    assert max(seasons) >= 2
