"""China as a live theatre, the force levels to 1945 and the allocation levers (docs/model.md §4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.model import assembly
from sim.model.accounts import CHINA, CHINA_CASUALTIES, KWANTUNG_DIVISIONS
from sim.model.actors.china import ACTIVITY_ICHIGO, MONTHS_ERA1, activity, required_men
from sim.streams import Streams

try:
    from test_model import ENTROPY, men_unaccounted, params_for, run
except ImportError:  # pragma: no cover - tests collected as a package
    from tests.test_model import ENTROPY, men_unaccounted, params_for, run

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
AUG_1943, AUG_1945, DEC_1944 = 55, 79, 71  # month-end indices from Jan 1939


def _world(index: int = 0, **overrides: object) -> tuple[object, object]:
    return assembly.run(params_for(index, **overrides), Streams(ENTROPY, index))


def test_chn10_activity_index_1943_and_the_ichigo_spike() -> None:
    """T28 (CHN-10): 1943 ~35% of 1942 (+-15 points); Apr-Jun 1944 spikes only with Ichi-Go."""
    y1942 = activity(dt.date(1942, 6, 1), True)
    y1943 = activity(dt.date(1943, 6, 1), True)
    assert 0.20 <= y1943 / y1942 <= 0.50
    q1 = activity(dt.date(1944, 2, 1), True)
    assert activity(dt.date(1944, 5, 1), True) == ACTIVITY_ICHIGO > 10 * q1
    assert activity(dt.date(1944, 5, 1), False) == q1


def test_china_casualties_follow_the_index_and_ichigo_can_be_switched_off() -> None:
    on = run(3)
    off = run(3, china__ichigo=False)
    assert on.outcomes["ichigo_japanese_casualties"] > 0.0
    assert off.outcomes["ichigo_japanese_casualties"] is None
    assert off.outcomes["china_japanese_casualties"] < on.outcomes["china_japanese_casualties"]
    # without Ichi-Go the garrison stays at its 1943 level (JF-04)
    assert on.outcomes["china_men_1945_08"] == pytest.approx(1050000.0)
    assert off.outcomes["china_men_1945_08"] == pytest.approx(620000.0)
    assert on.outcomes["china_men_1943_08"] == pytest.approx(620000.0)


def test_chn08_dead_dec_1941_to_aug_1945_scaled_to_the_documented_total() -> None:
    """The China casualties from Dec 1941 are CHN-08's dead times CHN-04's wounded per dead."""
    p = params_for(5)
    w, _ = assembly.run(p, Streams(ENTROPY, 5))
    ratio = 1.0 + p["china.wounded_per_month"] / p["china.dead_per_month"]
    total = w.ledger.values[CHINA_CASUALTIES]
    later = total - p["china.dead_per_month"] * ratio * MONTHS_ERA1
    assert later == pytest.approx(
        (p["china.dead_1942_45"] - p["china.ichigo_casualties"]) * ratio
        + p["china.ichigo_casualties"], rel=0.02)


def test_below_the_floor_ground_is_lost_and_the_drain_rises() -> None:
    base = run(4)
    moved = run(4, allocation__china_to_manchuria_divisions=10.0)
    assert moved.outcomes["china_japanese_casualties"] > \
        base.outcomes["china_japanese_casualties"] * 1.2
    w, cast = _world(4, allocation__china_to_manchuria_divisions=10.0)
    assert cast.china.ground_lost > 0.2  # 10 of the ~33 division-equivalents of 1945


def test_required_men_between_the_settled_floor_and_history() -> None:
    p = params_for(0)
    settled = dict(p, **{"china.drain_multiplier": 0.0})
    floor = p["china.garrison_men"] / p["china.garrison_divisions"] * p["china.settled_divisions"]
    for day in (dt.date(1940, 1, 1), dt.date(1943, 8, 31), dt.date(1945, 8, 1)):
        assert required_men(settled, day) == pytest.approx(floor)
        assert required_men(p, day) > floor


def test_force_levels_follow_jf01_to_jf10() -> None:
    rep = run(2)
    s = rep.series
    total = s["jp_men_china"] + s["jp_men_manchuria"] + s["jp_men_south"] + s["jp_men_home"]
    assert 2.6e6 <= total[59] <= 2.9e6  # JF-01 end-1943 2.75 M
    assert 3.6e6 <= total[71] <= 3.9e6  # JF-01 end-1944 3.76 M
    assert 5.3e6 <= total[79] <= 5.95e6  # JF-01/JF-02 Aug 1945
    # JF-07 + JF-08 count the men *facing* the invasion of 9 Aug: those left at the month's
    # end plus what the war cost (its losses are booked when it ends, by 20 Aug)
    lost = rep.outcomes["manchuria_1945_japanese_casualties"] or 0.0
    assert 0.96e6 <= s["jp_men_manchuria"][AUG_1945] + lost <= 1.116e6
    assert 0.8e6 <= s["jp_men_south"][AUG_1945] <= 1.0e6  # JF-09
    assert 2.25e6 <= s["jp_men_home"][AUG_1945] <= 2.5e6  # JF-10
    divisions = s["jp_divisions_manchuria"]
    assert 15 <= divisions[59] <= 17 and 10 <= divisions[DEC_1944] <= 11  # JF-06
    assert divisions[AUG_1945] == 24


def test_kwantung_quality_falls_with_the_new_divisions() -> None:
    w, cast = _world(2)
    assert cast.army.veterans <= 5  # T23
    assert cast.army.kwantung_quality < 0.6
    assert w.ledger.values[KWANTUNG_DIVISIONS] == cast.army.kwantung_divisions


def test_a_manchuria_at_war_is_not_stripped() -> None:
    rep = run(2, decision__force="north", decision__force_date=dt.date(1941, 8, 29))
    divisions = rep.series["jp_divisions_manchuria"]
    assert divisions[DEC_1944] >= 13


def test_china_to_manchuria_lever_moves_men_and_divisions() -> None:
    base = run(1)
    moved = run(1, allocation__china_to_manchuria_divisions=5.0,
                allocation__china_to_manchuria_date=dt.date(1941, 4, 15))
    k = 28  # May 1941
    gained = moved.series["jp_men_manchuria"][k] - base.series["jp_men_manchuria"][k]
    lost = base.series["jp_men_china"][k] - moved.series["jp_men_china"][k]
    assert gained == pytest.approx(lost) and gained > 100000
    assert moved.series["jp_divisions_manchuria"][k] == pytest.approx(18.0)


def test_a_lever_never_takes_china_below_its_settled_floor() -> None:
    w, cast = _world(1, allocation__china_to_manchuria_divisions=27.0)
    p = params_for(1)
    floor = p["china.garrison_men"] / p["china.garrison_divisions"] * p["china.settled_divisions"]
    samples = w.ledger.samples[CHINA]
    assert min(samples[28:36]) >= floor - 1e-6


def test_china_to_south_lever_sends_china_men_instead_of_home_men() -> None:
    base = run(1)
    lever = run(1, allocation__china_to_south_divisions=2.0)
    k = 36  # Jan 1942
    assert lever.series["jp_men_china"][k] < base.series["jp_men_china"][k]
    assert lever.series["jp_men_home"][k] > base.series["jp_men_home"][k]


def test_an_impossible_lever_is_a_one_line_error_naming_the_key(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["run", str(SCENARIOS / "historical.yaml"), "-n", "2",
              "--set", "allocation.china_to_manchuria_divisions=40"])
    assert exit_info.value.code == 2
    message = capsys.readouterr().err.strip()
    assert "allocation.china_to_manchuria_divisions" in message and "\n" not in message


def test_the_decision_sees_what_each_option_needs() -> None:
    _, cast = assembly.build(params_for(0), Streams(ENTROPY, 0))
    _, settled = assembly.build(params_for(0, china__drain_multiplier=0.0), Streams(ENTROPY, 0))
    north, south = cast.army.need_share("north"), cast.army.need_share("south")
    assert north > south  # the north needs 22 divisions, the south 10-11 (POL-Q3, SOP-01)
    gain_north = north - settled.army.need_share("north")
    gain_south = south - settled.army.need_share("south")
    assert gain_north > gain_south > 0.0  # China makes the north harder than the south


@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, 5000), to_manchuria=st.floats(0.0, 27.0),
       to_south=st.floats(0.0, 27.0), year=st.integers(1939, 1945),
       force=st.sampled_from(["free", "north", "south"]), ichigo=st.booleans())
def test_men_are_conserved_for_any_allocation(index: int, to_manchuria: float, to_south: float,
                                               year: int, force: str, ichigo: bool) -> None:
    p = params_for(index, allocation__china_to_manchuria_divisions=to_manchuria,
                   allocation__china_to_manchuria_date=dt.date(year, 5, 1),
                   allocation__china_to_south_divisions=to_south, decision__force=force,
                   china__ichigo=ichigo)
    w, cast = assembly.run(p, Streams(ENTROPY, index))
    gap, total = men_unaccounted(w, cast)
    assert abs(gap) < 1e-6 * total
    assert np.all(np.asarray(w.ledger.samples[CHINA]) >= 0.0)
