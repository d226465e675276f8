"""Lake Khasan 1938 (docs/model.md §1b): the incident fought with the combat kernel, the switch
and the start date, and the lesson Japan drew from it, before Khalkhin Gol overturned it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import engine
from sim.model import assembly
from sim.model.actors.khasan import khasan_battle
from sim.model.kernels import belief
from sim.scenario import load_scenario
from sim.streams import Streams

from conftest import SCENARIOS

try:
    from test_model import ENTROPY, central_params, params_for, run
except ImportError:  # pragma: no cover - tests collected as a package
    from tests.test_model import ENTROPY, central_params, params_for, run

#: KH-03, KH-04, KH-07 (T27's band).
SOVIET_CASUALTIES = 4071
JAPANESE_CASUALTIES = 1439
RATIO_BAND = (2.2, 3.4)
PAIRS = 120


def _cast(index: int, **overrides: object):  # type: ignore[no-untyped-def]
    _, cast = assembly.run(params_for(index, **overrides), Streams(ENTROPY, index))
    return cast


@pytest.fixture(scope="module")
def paired() -> dict[str, list]:
    """The same replications with and without Khasan: beliefs after Khasan and after
    Khalkhin Gol, and whether the Soviets won there."""
    out: dict[str, list] = {"after_khasan": [], "after_kg": [], "no_khasan_after_kg": [],
                            "soviet_won": []}
    for i in range(PAIRS):
        cast = _cast(i)
        out["after_khasan"].append(cast.khasan.belief_after)
        out["after_kg"].append(cast.khalkhin_gol.soviet_power)
        out["soviet_won"].append(cast.khalkhin_gol.outcome == "soviet_victory")
        out["no_khasan_after_kg"].append(_cast(i, khasan__enabled=False)
                                         .khalkhin_gol.soviet_power)
    return out


# --- the incident ----------------------------------------------------------------------------

def test_the_central_incident_reproduces_the_archival_totals() -> None:
    """KH-02's forces at the central effectiveness give KH-03/KH-04 within 10%, KH-07's 2.8."""
    soviet, japanese, days = khasan_battle(central_params())
    assert days == 13.0  # KH-01: 29 July - 11 August
    assert japanese == pytest.approx(JAPANESE_CASUALTIES, rel=0.10)
    assert soviet == pytest.approx(SOVIET_CASUALTIES, rel=0.10)
    assert RATIO_BAND[0] <= soviet / japanese <= RATIO_BAND[1]


def test_casualties_are_in_band_over_the_draws() -> None:
    outcomes = [run(i).outcomes for i in range(60)]
    japanese = np.array([o["khasan_japanese_casualties"] for o in outcomes])
    soviet = np.array([o["khasan_soviet_casualties"] for o in outcomes])
    assert RATIO_BAND[0] <= float(np.median(soviet / japanese)) <= RATIO_BAND[1]
    assert 0.75 <= float(np.median(japanese)) / JAPANESE_CASUALTIES <= 1.25
    assert np.all(soviet < 0.25 * 32_000) and np.all(japanese < 9_000)  # nobody wiped out


def test_a_more_effective_red_army_costs_japan_more_men() -> None:
    weak = khasan_battle(central_params(combat__soviet_effectiveness_1938=0.3))
    strong = khasan_battle(central_params(combat__soviet_effectiveness_1938=0.6))
    assert strong[1] > weak[1] and strong[0] < weak[0]


def test_the_casualties_are_outcomes_not_ledger_entries() -> None:
    """Khasan falls before the accounts open (1 Jan 1939): Japan's casualty account and the
    Kwantung Army are the same with and without it."""
    with_khasan, _ = assembly.run(params_for(3), Streams(ENTROPY, 3))
    without, _ = assembly.run(params_for(3, khasan__enabled=False), Streams(ENTROPY, 3))
    assert run(3).outcomes["khasan_japanese_casualties"] > 0.0
    assert with_khasan.ledger.sample_array()[:, :8].tolist() == \
        without.ledger.sample_array()[:, :8].tolist()  # Jan-Aug 1939, before Nomonhan's end


def test_switched_off_there_is_no_battle_and_no_lesson() -> None:
    p = params_for(2, khasan__enabled=False)
    rep = run(2, trace=True, khasan__enabled=False)
    assert rep.outcomes["khasan_japanese_casualties"] is None
    assert rep.outcomes["khasan_soviet_casualties"] is None
    assert not any("Khasan" in e.text for e in rep.events or ())
    assert _cast(2, khasan__enabled=False).khasan.belief_after == p["belief.prior_soviet_power"]


def test_a_start_after_the_first_day_means_it_is_not_fought() -> None:
    later = dt.date(1938, 8, 1)
    rep = run(2, trace=True, simulation__start=later)
    assert rep.outcomes["khasan_japanese_casualties"] is None
    assert rep.outcomes["khasan_soviet_casualties"] is None
    notes = [e.text for e in rep.events or () if "Khasan" in e.text]
    assert len(notes) == 1 and "not fought" in notes[0]
    cast = _cast(2, simulation__start=later)
    assert not cast.khasan.fought
    assert cast.khasan.belief_after == params_for(2)["belief.prior_soviet_power"]
    # on its first day it is still fought
    assert run(2, simulation__start=dt.date(1938, 7, 29)).outcomes[
        "khasan_japanese_casualties"] is not None


def test_the_trace_tells_the_incident_and_the_lesson() -> None:
    rep = run(1, trace=True)
    texts = [(e.date, e.text) for e in rep.events or ()]
    battle = [d for d, t in texts if t.startswith("Lake Khasan ceasefire")]
    lesson = [t for _, t in texts if t.startswith("Japan's reading of Khasan")]
    assert battle == [dt.date(1938, 8, 11)]
    assert len(lesson) == 1 and "perceived Soviet power" in lesson[0]


# --- the lesson --------------------------------------------------------------------------------

def test_khasan_raises_confidence_before_khalkhin_gol_lowers_it(paired: dict) -> None:
    """KH-08: Khasan confirmed the low view of Soviet power (in most draws of the reading:
    KH-09, KH-10 are the other side); Khalkhin Gol then raised it far above (the shock)."""
    prior = params_for(0)["belief.prior_soviet_power"]
    after_khasan = np.array(paired["after_khasan"])
    after_kg = np.array(paired["after_kg"])
    assert float(np.median(after_khasan)) < prior - 0.05
    assert 0.55 <= float(np.mean(after_khasan < prior)) <= 0.95  # a reading, not a sign
    won = np.array(paired["soviet_won"])
    assert won.mean() > 0.8
    confirmed = won & (after_khasan < prior)
    assert np.all(after_kg[confirmed] > prior)  # Nomonhan overturned the Khasan reading
    assert float(np.median(after_kg)) > prior + 0.3 > float(np.median(after_khasan)) + 0.3


def test_nomonhan_overturns_the_khasan_lesson(paired: dict) -> None:
    """After a Soviet victory the belief Japan carries to 1941 is the one it would have had
    without Khasan (khasan.overturned = 1): the decision's calibration is untouched."""
    won = np.array(paired["soviet_won"])
    with_k = np.array(paired["after_kg"])[won]
    without = np.array(paired["no_khasan_after_kg"])[won]
    assert with_k.tolist() == without.tolist()


def test_a_partial_overturn_leaves_part_of_the_lesson() -> None:
    full = _cast(0).khalkhin_gol.soviet_power
    half = _cast(0, khasan__overturned=0.5)
    assert half.khalkhin_gol.outcome == "soviet_victory"
    lowered = half.khasan.belief_after < params_for(0)["belief.prior_soviet_power"]
    assert (half.khalkhin_gol.soviet_power < full) == lowered


def test_without_khalkhin_gol_the_khasan_lesson_reaches_1941() -> None:
    cast = _cast(5, khalkhin_gol__enabled=False)
    assert cast.khalkhin_gol.soviet_power == cast.khasan.belief_after
    assert run(5, khalkhin_gol__enabled=False).outcomes["nomonhan_shock"] == \
        cast.khasan.belief_after


def test_a_japanese_success_at_khalkhin_gol_keeps_the_lesson() -> None:
    with_k = _cast(6, khalkhin_gol__outcome="japanese_success")
    without = _cast(6, khalkhin_gol__outcome="japanese_success", khasan__enabled=False)
    lowered = with_k.khasan.belief_after < without.khasan.belief_after
    assert (with_k.khalkhin_gol.soviet_power < without.khalkhin_gol.soviet_power) == lowered


# --- the belief kernel -------------------------------------------------------------------------

def test_the_two_readings_of_the_record() -> None:
    """KH-08 (totals, 'by the books') against KH-10 (per man) on the archival figures."""
    books = belief.khasan_evidence(1439, 4071, 7000, 22950, 0.0)
    per_man = belief.khasan_evidence(1439, 4071, 7000, 22950, 1.0)
    assert books == pytest.approx(1439 / 4071)
    assert per_man == pytest.approx((1439 / 7000) / (4071 / 22950))
    assert books < 0.7 < per_man  # one lowers the 1938 prior, the other raises it


def test_no_soviet_casualties_is_no_evidence_of_weakness() -> None:
    assert belief.khasan_evidence(100.0, 0.0, 7000, 22950, 0.0) == 1.0


def test_nomonhan_prior_at_its_ends() -> None:
    assert belief.nomonhan_prior(0.7, 0.55, 1.0, True) == 0.7
    assert belief.nomonhan_prior(0.7, 0.55, 0.0, True) == 0.55
    assert belief.nomonhan_prior(0.7, 0.55, 1.0, False) == 0.55


beliefs = st.floats(0.05, 3.0)
rates = st.floats(0.0, 1.0)
men = st.floats(1000.0, 50_000.0)
losses = st.floats(1.0, 10_000.0)


@given(b=beliefs, rate=rates, evidence=st.floats(0.0, 5.0))
def test_an_update_lies_between_the_belief_and_the_evidence(b: float, rate: float,
                                                            evidence: float) -> None:
    moved = belief.move_towards(b, rate, evidence)
    low, high = min(b, evidence), max(b, evidence)
    assert max(low, belief.FLOOR) - 1e-12 <= moved <= max(high, belief.FLOOR) + 1e-12


@given(prior=beliefs, rate=rates, jp=losses, su=losses, more=st.floats(0.0, 5000.0),
       jm=men, sm=men, w=st.floats(0.0, 1.0))
def test_a_bloodier_khasan_for_japan_never_lowers_the_belief(
        prior: float, rate: float, jp: float, su: float, more: float, jm: float, sm: float,
        w: float) -> None:
    base = belief.khasan_belief(prior, rate, jp, su, jm, sm, w)
    assert belief.khasan_belief(prior, rate, jp + more, su, jm, sm, w) >= base - 1e-12
    assert belief.khasan_belief(prior, rate, jp, su + more, jm, sm, w) <= base + 1e-12


@given(prior=beliefs, rate=rates, jp=losses, su=losses, jm=men, extra=st.floats(0.0, 40_000.0),
       w=st.floats(0.0, 1.0), dw=st.floats(0.0, 1.0))
def test_allowing_more_for_soviet_numbers_never_lowers_the_belief(
        prior: float, rate: float, jp: float, su: float, jm: float, extra: float, w: float,
        dw: float) -> None:
    """When the Soviets outnumber the Japanese, a per-man reading (KH-10) credits them more."""
    sm = jm + extra
    base = belief.khasan_belief(prior, rate, jp, su, jm, sm, w)
    assert belief.khasan_belief(prior, rate, jp, su, jm, sm, min(1.0, w + dw)) >= base - 1e-12


@settings(max_examples=200)
@given(prior=beliefs, after=beliefs, share=st.floats(0.0, 1.0), more=st.floats(0.0, 1.0),
       won=st.booleans())
def test_the_overturn_moves_monotonically_back_to_the_prior(
        prior: float, after: float, share: float, more: float, won: bool) -> None:
    start = belief.nomonhan_prior(prior, after, share, won)
    assert min(prior, after) - 1e-12 <= start <= max(prior, after) + 1e-12
    further = belief.nomonhan_prior(prior, after, min(1.0, share + more), won)
    assert abs(further - prior) <= abs(start - prior) + 1e-12


# --- the no-khasan scenario (same seed: common random numbers) ---------------------------------

def test_the_no_khasan_scenario_keeps_the_1938_view_until_nomonhan() -> None:
    """Without Khasan: no casualties; after a Soviet victory at Khalkhin Gol the same shock
    (the lesson it would have carried is overturned); after a Japanese success a higher
    perceived Soviet power than history's in most runs (KH-08's lesson is missing)."""
    runs = {name: engine.run(load_scenario(SCENARIOS / f"{name}.yaml"), runs=400, seed=1,
                             workers=1, progress=False).outcomes
            for name in ("historical", "no-khasan")}
    hist, none = runs["historical"], runs["no-khasan"]
    assert np.all(np.isnan(np.asarray(none["khasan_japanese_casualties"], dtype=float)))
    assert np.all(np.asarray(hist["khasan_japanese_casualties"], dtype=float) > 0.0)
    won = np.asarray(hist["kg_outcome"]) == "soviet_victory"
    assert np.array_equal(np.asarray(none["kg_outcome"]) == "soviet_victory", won)
    shock_h = np.asarray(hist["nomonhan_shock"], dtype=float)
    shock_n = np.asarray(none["nomonhan_shock"], dtype=float)
    assert np.array_equal(shock_h[won], shock_n[won])
    assert (~won).sum() > 10
    assert float(np.median(shock_h[~won])) < float(np.median(shock_n[~won]))
    assert float(np.mean(shock_h[~won] < shock_n[~won])) >= 0.6
