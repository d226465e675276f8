"""The Eastern Front actor: Moscow's fate and the 1942 campaign as outcomes, German pressure
and the Soviet reserve as series, Far East divisions counted once after their rail transit
(docs/model.md §6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from sim import engine
from sim.model import assembly
from sim.model.accounts import FE_SENT_WEST, GERMAN_PRESSURE, day_of
from sim.model.kernels import eastern_front as ef
from sim.outcomes import DEFAULT_HORIZON, month_ends
from sim.scenario import load_scenario
from sim.streams import Streams

from conftest import SCENARIOS

try:
    from test_model import ENTROPY, params_for, run
except ImportError:  # pragma: no cover - tests collected as a package
    from tests.test_model import ENTROPY, params_for, run

RUNS = 1000
SEED = 1
MONTHS = month_ends(DEFAULT_HORIZON)


def _outcomes(path: str, runs: int = RUNS, **overrides: Any) -> Any:
    scenario = load_scenario(SCENARIOS / path, overrides=overrides)
    return engine.run(scenario, runs=runs, seed=SEED, workers=1, progress=False).outcomes


def _fell(outcomes: Any) -> np.ndarray:
    return np.array([str(x) not in ("", "None", "NaT", "nan") for x in
                     outcomes["moscow_falls_date"]])


def _month(d: dt.date) -> int:
    return next(i for i, m in enumerate(MONTHS) if m >= d)


# --- the kernel ----------------------------------------------------------------------------

def test_history_is_the_reference_of_every_balance() -> None:
    base = ef.margin_for(0.9, 0.3)
    assert ef.normal_deviate(0.1) == pytest.approx(-base / 0.3)
    reserve = ef.new_divisions(ef.REFERENCE_MOBILISATION, ef.REFERENCE_TYPHOON_DAYS)
    assert reserve == pytest.approx(ef.COUNTEROFFENSIVE_RESERVE)
    for weight in (1.0, 2.0):
        ratio = ef.counteroffensive_ratio(reserve, ef.REFERENCE_FE_AT_MOSCOW, weight)
        assert ratio == pytest.approx(1.0)
        assert ef.counteroffensive_margin(base, 1.0, ratio) == pytest.approx(base)
    defence = ef.new_divisions(ef.REFERENCE_MOBILISATION, ef.REFERENCE_DEFENCE_DAYS)
    assert ef.defence_margin(base, 1.0, defence, ef.REFERENCE_FE_IN_DEFENCE) == pytest.approx(base)
    assert ef.winter_level(1.0) == pytest.approx(ef.WINTER_LEVEL)


def test_the_far_east_weighs_more_on_the_counteroffensive_than_on_the_defence() -> None:
    """§2's modelling suggestion: Typhoon had stalled by 5 December (EF-06, EF-07)."""
    defence = ef.new_divisions(ef.REFERENCE_MOBILISATION, ef.REFERENCE_DEFENCE_DAYS)
    defence_loss = ef.defence_margin(0.0, 1.0, defence, ef.REFERENCE_FE_IN_DEFENCE) - \
        ef.defence_margin(0.0, 1.0, defence, 0.0)
    ratio = ef.counteroffensive_ratio(ef.COUNTEROFFENSIVE_RESERVE, 0.0, 1.0)
    counter_loss = -ef.counteroffensive_margin(0.0, 1.0, ratio)
    assert 0.0 < defence_loss < counter_loss / 3


def test_the_1942_campaign_goes_further_with_more_push() -> None:
    order = {name: i for i, name in enumerate(("held", "volga", "collapse"))}
    for luck in np.linspace(-3, 3, 25):
        reaches = [order[ef.case_blue_reach(push, float(luck), 0.4, 0.03)]
                   for push in np.linspace(-1, 1, 21)]
        assert reaches == sorted(reaches)
    assert ef.case_blue_reach(0.0, 0.0, 0.4, 0.03) == "volga"  # as history ran


# --- one replication ------------------------------------------------------------------------

def test_a_forced_fall_fires_the_signal_on_its_date_and_raises_pressure() -> None:
    p = params_for(2, barbarossa__moscow_falls=True)
    world, cast = assembly.run(p, Streams(ENTROPY, 2))
    front = cast.eastern_front
    assert world.signals.moscow_falls.happened and front.moscow_fallen
    assert front.t_fall == day_of(p["barbarossa.moscow_fall_date"])
    pressure = world.ledger.samples[GERMAN_PRESSURE]
    before = pressure[_month(dt.date(1941, 10, 31))]
    after = pressure[_month(dt.date(1941, 11, 30))]
    assert before == pytest.approx(ef.TYPHOON_LEVEL * p["barbarossa.pressure"])
    assert after == pytest.approx(p["barbarossa.moscow_falls_pressure"] * p["barbarossa.pressure"])
    assert pressure[_month(dt.date(1942, 2, 28))] == pytest.approx(after)  # no winter lull


def test_series_are_filled() -> None:
    rep = run(1)
    pressure = rep.series["german_pressure"]
    reserve = rep.series["soviet_reserve"]
    assert pressure[_month(dt.date(1941, 5, 31))] == 0.0
    assert pressure[_month(dt.date(1941, 7, 31))] == pytest.approx(1.0)
    assert pressure[_month(dt.date(1941, 10, 31))] == pytest.approx(1.2)
    assert 0.0 < pressure[_month(dt.date(1943, 6, 30))] < 1.0
    assert reserve[_month(dt.date(1941, 5, 31))] == 0.0
    assert reserve[_month(dt.date(1941, 11, 30))] > 400000  # gathering for the counteroffensive
    # EF-17: about 1 M Soviet men in reserve when Case Blue began
    assert 600000 < reserve[_month(dt.date(1942, 5, 31))] < 1000000


def test_forced_and_free_share_every_draw_until_the_branch_point() -> None:
    d = dt.date(1941, 11, 15)
    for index in range(6):
        free = run(index, trace=True, barbarossa__moscow_fall_date=d)
        forced = run(index, trace=True, barbarossa__moscow_falls=True,
                     barbarossa__moscow_fall_date=d)
        k = _month(d)
        for name in free.series:
            np.testing.assert_array_equal(free.series[name][:k], forced.series[name][:k])
        assert [e for e in free.events if e.date < d] == [e for e in forced.events if e.date < d]
        assert forced.outcomes["moscow_falls_date"] == d
        for name in ("kg_outcome", "conference_2_choice", "conference_3_choice",
                     "soviet_fe_fraction_west_1941_08"):
            assert free.outcomes[name] == forced.outcomes[name]


@pytest.mark.parametrize("overrides", [{}, {"barbarossa__moscow_falls": True},
                                       {"decision__force": "north"},
                                       {"barbarossa__pressure": 2.5}])
def test_no_far_east_division_is_counted_twice(overrides: dict[str, Any]) -> None:
    for index in range(5):
        p = params_for(index, **overrides)
        world, cast = assembly.run(p, Streams(ENTROPY, index))
        far_east = cast.far_east
        front = cast.eastern_front
        t_end = world.ledger.t
        # the breakpoints reproduce the account, and adjacent windows add up
        assert far_east.sent_by(t_end) == pytest.approx(world.ledger.values[FE_SENT_WEST])
        a, b, c = day_of(dt.date(1941, 7, 1)), day_of(dt.date(1941, 10, 1)), t_end
        assert far_east.divisions_sent_between(a, b) + far_east.divisions_sent_between(b, c) == \
            pytest.approx(far_east.divisions_sent_between(a, c))
        # those at Moscow left the Far East a transit before the battle, and at most once
        fe = front.fe_at_moscow
        sent = world.ledger.values[FE_SENT_WEST] / p["soviet_fe.men_per_division"]
        assert fe is not None and 0.0 <= fe <= sent + 1e-9
        end = front.t_fall if front.moscow_fallen else front.t_counteroffensive
        arrived = far_east.divisions_sent_between(0.0, end - front.transit)
        assert fe <= arrived + 1e-9


def test_a_1942_collapse_keeps_german_pressure_up() -> None:
    p = params_for(3, eastern_front__collapse_chance_1942=0.999)
    world, cast = assembly.run(p, Streams(ENTROPY, 3))
    front = cast.eastern_front
    assert front.reach == "collapse" and front.soviet_collapse
    pressure = world.ledger.samples[GERMAN_PRESSURE]
    level = p["barbarossa.moscow_falls_pressure"] * p["barbarossa.pressure"]
    assert pressure[_month(dt.date(1942, 10, 31))] == pytest.approx(level)
    assert pressure[_month(dt.date(1943, 6, 30))] == pytest.approx(level)  # no late-war fade


# --- directions, many replications ----------------------------------------------------------

@pytest.fixture(scope="module")
def historical() -> Any:
    return _outcomes("historical.yaml")


def test_more_german_pressure_makes_moscow_fall_more_often(historical: Any) -> None:
    stronger = _outcomes("historical.yaml", **{"barbarossa.pressure": 1.3})
    weaker = _outcomes("historical.yaml", **{"barbarossa.pressure": 0.8})
    assert _fell(weaker).mean() < _fell(historical).mean() - 0.03
    assert _fell(stronger).mean() > _fell(historical).mean() + 0.1


def test_weaker_mobilisation_makes_moscow_fall_more_often(historical: Any) -> None:
    weaker = _outcomes("historical.yaml",
                       **{"eastern_front.mobilisation_divisions_per_month": 30.0})
    assert _fell(weaker).mean() > _fell(historical).mean() + 0.03


def test_withholding_the_far_east_raises_the_chance_of_a_fall_but_leaves_it_a_minority(
        historical: Any) -> None:
    """§2 of the reference: P(fall | Far East withheld) about 0.1-0.25, a low-probability
    branch, not a near-certainty (CF-1...CF-5)."""
    withheld = _outcomes("historical.yaml", **{"soviet_fe.transfer_divisions_per_month": 0.0,
                                               "soviet_fe.sorge_release_divisions_per_month": 0.0})
    assert np.all(np.asarray(withheld["fe_divisions_at_moscow"], dtype=float) == 0.0)
    base, without = _fell(historical).mean(), _fell(withheld).mean()
    assert without > base + 0.05
    assert 0.1 <= without <= 0.3


def test_a_fall_of_moscow_carries_the_1942_campaign_further(historical: Any) -> None:
    fallen = _outcomes("moscow-falls.yaml")
    reach = np.asarray(historical["case_blue_reach"])
    reach_fallen = np.asarray(fallen["case_blue_reach"])
    assert np.mean(reach_fallen == "collapse") > np.mean(reach == "collapse") + 0.1
    assert np.mean(reach_fallen == "held") < np.mean(reach == "held")
    assert np.mean(reach == "volga") > 0.5  # as in 1942, the likeliest reach
    assert np.mean(reach_fallen != "collapse") > 0.5  # the USSR fights on (CF-9)


def test_executing_kantokuen_raises_the_chance_of_a_fall_modestly() -> None:
    """Fewer Far East divisions reach Moscow when Japan attacks in August 1941 (2,000 runs each,
    paired seeds)."""
    historical = _outcomes("historical.yaml", runs=2000)
    northern = _outcomes("kantokuen-executed.yaml", runs=2000)
    fe = np.asarray(historical["fe_divisions_at_moscow"], dtype=float)
    fe_north = np.asarray(northern["fe_divisions_at_moscow"], dtype=float)
    assert np.median(fe_north) < 0.5 * np.median(fe)
    base, north = _fell(historical).mean(), _fell(northern).mean()
    assert base + 0.03 < north < base + 0.2
    # paired: a run in which Moscow falls with the Far East's help mostly falls without it
    assert np.mean(_fell(northern)[_fell(historical)]) > 0.8
