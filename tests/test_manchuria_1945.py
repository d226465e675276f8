"""The Soviet Far East to 1945 and the Soviet invasion of Manchuria (docs/model.md §6, §6c):
the kernel's properties, the actor's dates and conditions, the build-up, and the direction of
the Kwantung Army's quality."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import engine
from sim.model import assembly
from sim.model.accounts import SOVIET_FE, day_of
from sim.model.kernels import manchuria_1945 as august
from sim.registry.combat import (ATTACKER_DAILY_LOSS, DEFAULT_EXPONENT, DEFENDER_DAILY_LOSS,
                                 INTENSITY_AT_12_DAYS, INTENSITY_DECAY)
from sim.scenario import load_scenario
from sim.streams import Streams

from conftest import SCENARIOS

try:
    from test_model import ENTROPY, central_params
except ImportError:  # pragma: no cover - tests collected as a package
    from tests.test_model import ENTROPY, central_params

INVASION = dt.date(1945, 8, 9)


def _fight(quality: float = 0.45, soviet_effectiveness: float = 1.8, held: int = 0,
           soviets: float = 1.6e6, japanese: float = 1.0e6, days: float = 25.0,
           share: float = 0.3) -> august.Offensive:
    return august.offensive(
        soviets, japanese, days, soviet_effectiveness=soviet_effectiveness,
        japanese_quality=quality, held_sectors=held, engaged_share=share,
        attacker_daily_loss=ATTACKER_DAILY_LOSS, defender_daily_loss=DEFENDER_DAILY_LOSS,
        exponent=DEFAULT_EXPONENT, japanese_break=0.62, intensity_at_12=INTENSITY_AT_12_DAYS,
        intensity_decay=INTENSITY_DECAY)


def _play(trace: bool = False, quality: float | None = None, index: int = 1,
          **overrides: Any) -> Any:
    world, cast = assembly.build(central_params(**overrides), Streams(ENTROPY, index),
                                 trace=trace)
    if quality is not None:
        cast.army.kwantung_quality = quality
    assembly.play(world, cast)
    return world, cast


# --- the kernel ------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(q=st.floats(min_value=0.2, max_value=1.2), e=st.floats(min_value=0.8, max_value=2.5),
       share=st.floats(min_value=0.1, max_value=0.6), held=st.integers(0, 3),
       soviets=st.floats(min_value=3e5, max_value=3e6),
       japanese=st.floats(min_value=2e5, max_value=1.5e6))
def test_the_offensive_books_what_exists_within_its_time(q: float, e: float, share: float,
                                                         held: int, soviets: float,
                                                         japanese: float) -> None:
    r = _fight(q, e, held, soviets, japanese, share=share)
    assert 0.0 <= r.soviet_losses <= soviets
    assert 0.0 <= r.japanese_losses <= japanese
    assert 0.0 < r.days <= 25.0 + 1e-9
    assert 0 <= r.sectors_retaken <= held
    assert not r.broken or r.sectors_retaken == held  # Manchuria comes after the held ground


@settings(max_examples=40, deadline=None)
@given(q=st.floats(min_value=0.2, max_value=1.0), dq=st.floats(min_value=0.05, max_value=0.5),
       e=st.floats(min_value=1.0, max_value=2.5))
def test_a_stronger_kwantung_army_lasts_longer_and_costs_the_soviets_more(
        q: float, dq: float, e: float) -> None:
    weak, strong = _fight(q, e), _fight(q + dq, e)
    assert strong.days >= weak.days - 1e-9
    assert strong.soviet_losses > weak.soviet_losses


@settings(max_examples=40, deadline=None)
@given(e=st.floats(min_value=1.0, max_value=2.0), de=st.floats(min_value=0.1, max_value=1.0))
def test_a_stronger_soviet_force_breaks_the_kwantung_army_sooner(e: float, de: float) -> None:
    assert _fight(soviet_effectiveness=e + de).days <= _fight(soviet_effectiveness=e).days + 1e-9


def test_ground_japan_holds_makes_the_war_longer_and_dearer() -> None:
    border, deep = _fight(held=0), _fight(held=2)
    assert deep.days > border.days and deep.soviet_losses > border.soviet_losses
    assert border.broken and deep.sectors_retaken == 2


def test_the_engaged_share_sets_the_casualties_not_the_pace() -> None:
    small, large = _fight(share=0.2), _fight(share=0.4)
    assert small.days == pytest.approx(large.days)
    assert large.soviet_losses == pytest.approx(2.0 * small.soviet_losses)


def test_the_build_up_raises_the_soviet_effectiveness_per_man() -> None:
    assert august.soviet_effectiveness_1945(1.36, 1.0) == pytest.approx(1.36)
    assert august.soviet_effectiveness_1945(1.36, 1.3) > 1.36


# --- the actor -------------------------------------------------------------------------------

def test_as_history_ran_the_pact_is_denounced_and_manchuria_invaded_on_9_august() -> None:
    world, cast = _play()
    signals = world.signals
    assert not signals.north_war.happened  # this replication goes south, as history did
    assert signals.pact_denounced.happened and signals.soviet_invasion.happened
    out = assembly.outcomes_of(cast)
    assert out["manchuria_invaded_date"] == INVASION
    assert 5.0 <= out["manchuria_1945_days"] <= 25.0
    assert out["manchuria_1945_soviet_casualties"] > 0.0
    assert cast.manchuria_1945.t_invasion == day_of(INVASION)


def test_the_fighting_stops_at_the_ceasefire_of_the_surrender_in_a_war_with_the_us() -> None:
    """MAN-01: the main operations ended on 20 Aug, after the Emperor's broadcast of 15 Aug,
    with the Kwantung Army still in the field: a strong Kwantung Army that would hold out
    longer stops at the ceasefire, and an earlier ceasefire ends the war sooner."""
    strong = {"japan__new_division_quality": 1.0, "north__soviet_effectiveness": 0.9}
    world, late = _play(**strong)
    assert world.signals.us_war.happened
    _, early = _play(manchuria_1945__ceasefire_date=dt.date(1945, 8, 17), **strong)
    days_late = assembly.outcomes_of(late)["manchuria_1945_days"]
    days_early = assembly.outcomes_of(early)["manchuria_1945_days"]
    assert days_late == pytest.approx(12.0)  # 9-20 Aug, both days fought
    assert days_early == pytest.approx(9.0) and not early.manchuria_1945.result.broken
    assert (assembly.outcomes_of(early)["manchuria_1945_japanese_casualties"]
            < assembly.outcomes_of(late)["manchuria_1945_japanese_casualties"])


def test_the_rail_build_up_brings_the_far_east_to_man_02_and_doubles_its_strength() -> None:
    world, cast = _play()
    fe = cast.far_east
    assert fe.men_1945_04 is not None and 0.9e6 <= fe.men_1945_04 <= 1.2e6  # T25's trough
    men = assembly.outcomes_of(cast)["soviet_fe_men_1945_08"]
    assert men == pytest.approx(1577725, rel=0.10)  # MAN-02
    surge = men * fe.strength_per_man() / fe.men_1945_04
    assert 1.7 <= surge <= 2.3  # T25


def test_no_invasion_if_the_horizon_comes_first() -> None:
    world, cast = _play(simulation__horizon=dt.date(1945, 8, 1))
    out = assembly.outcomes_of(cast)
    assert out["manchuria_invaded_date"] is None and out["manchuria_1945_days"] is None
    assert not world.signals.soviet_invasion.happened
    assert world.signals.pact_denounced.happened  # 5 Apr 1945 is inside this horizon


def test_no_denunciation_and_no_invasion_if_the_ussr_collapsed() -> None:
    world, cast = _play(eastern_front__collapse_chance_1942=0.999, barbarossa__moscow_falls=True)
    assert cast.eastern_front.soviet_collapse
    out = assembly.outcomes_of(cast)
    assert out["manchuria_invaded_date"] is None
    assert not world.signals.pact_denounced.happened
    assert cast.far_east.men_1945_04 is None  # no build-up without Germany beaten


def test_the_far_east_never_falls_below_its_floor_from_1943_and_sends_nothing_from_h2_1943(
        ) -> None:
    world, cast = _play()
    samples = world.ledger.samples[SOVIET_FE]
    # month 48 is Jan 1943; Jun 1943 on: flat until the build-up (Apr 1945, month 75)
    assert min(samples[48:75]) >= 0.9e6
    assert max(samples[54:75]) - min(samples[54:75]) < 1.0


def test_a_stronger_kwantung_army_lasts_longer_in_the_actor() -> None:
    # the army sets its quality from the divisions it raises (JF-06, JF-07): weak new
    # divisions against new divisions as good as the 1941 ones
    _, weak = _play(japan__new_division_quality=0.2)
    _, strong = _play(japan__new_division_quality=1.0)
    assert strong.army.kwantung_quality > 2 * weak.army.kwantung_quality
    w, s = assembly.outcomes_of(weak), assembly.outcomes_of(strong)
    assert s["manchuria_1945_days"] > w["manchuria_1945_days"]
    assert s["manchuria_1945_soviet_casualties"] > w["manchuria_1945_soviet_casualties"]


def test_a_northern_war_leaves_no_pact_to_denounce_and_starts_1945_from_its_front() -> None:
    world, cast = _play(trace=True, decision__force="north",
                        decision__force_date=dt.date(1941, 8, 29))
    assert world.signals.north_war.happened
    assert not world.signals.pact_denounced.happened
    assert world.signals.soviet_invasion.happened
    assert not cast.north.offensive and not cast.north.static
    invaded = assembly.outcomes_of(cast)["manchuria_invaded_date"]
    assert invaded >= INVASION


def test_a_northern_war_in_1941_makes_august_1945_larger_on_the_soviet_side() -> None:
    """Direction (SFE-18, SFE-22): after a northern war from August 1941 no Far East division
    went west and the railway brought men east while Japan attacked, so with common random
    numbers the Far East is larger on the eve of the 1945 invasion; where Japan still holds
    Soviet ground the war lasts longer than a war from the border (or to the ceasefire)."""
    runs = {name: engine.run(load_scenario(SCENARIOS / f"{name}.yaml"), runs=400, seed=1,
                             workers=1, progress=False).outcomes
            for name in ("historical", "kantokuen-executed")}
    men = {name: np.asarray(o["soviet_fe_men_1945_08"], dtype=float) for name, o in runs.items()}
    both = np.isfinite(men["historical"]) & np.isfinite(men["kantokuen-executed"])
    invaded = {name: np.array([v is not None and str(v) not in ("", "NaT", "None")
                               for v in o["manchuria_invaded_date"]]) for name, o in runs.items()}
    both &= invaded["historical"] & invaded["kantokuen-executed"]
    assert both.sum() > 300
    assert np.mean(men["kantokuen-executed"][both] - men["historical"][both]) > 5000.0
    north = runs["kantokuen-executed"]
    days = np.asarray(north["manchuria_1945_days"], dtype=float)
    held = np.array([str(x) in ("primorye", "amur", "transbaikal")
                     for x in north["north_objective"]])
    border = ~held & np.isfinite(days)
    if (held & np.isfinite(days)).any():  # longer, unless the ceasefire of a US war ends it
        assert np.nanmedian(days[held]) > np.nanmedian(days[border])


def test_no_german_war_no_denunciation_and_no_invasion() -> None:
    """Yalta tied the Soviet entry to Germany's defeat (YAL-01): without Barbarossa there is no
    1945 build-up and no invasion."""
    world, cast = _play(barbarossa__enabled=False)
    assert not world.signals.soviet_invasion.happened
    assert not world.signals.pact_denounced.happened
    assert assembly.outcomes_of(cast)["manchuria_invaded_date"] is None
