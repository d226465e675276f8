"""Backtests: the historical scenario against the documented targets (sim.reference §4).

One Monte Carlo run of the historical scenario (fixed seed) is checked against T1-T4, T6,
T8-T11, T14 and T15 with the tolerances of the reference notes: medians inside the band,
decision shares above the threshold.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from sim import engine
from sim.reference import OIL_STOCK_TARGETS, TARGET_BY_ID
from sim.scenario import load_scenario

from conftest import SCENARIOS

RUNS = 1000
SEED = 1


@pytest.fixture(scope="module")
def outcomes() -> Any:
    scenario = load_scenario(SCENARIOS / "historical.yaml")
    return engine.run(scenario, runs=RUNS, seed=SEED, workers=1, progress=False).outcomes


def _numbers(outcomes: Any, name: str) -> np.ndarray:
    values = np.asarray(outcomes[name], dtype=float)
    return values[np.isfinite(values)]


def _dates(outcomes: Any, name: str) -> list[dt.date]:
    out = []
    for value in outcomes[name]:
        text = str(value)
        if text and text not in ("NaT", "None", "nan"):
            out.append(dt.date.fromisoformat(text[:10]))
    return out


def _median_date(dates: list[dt.date]) -> dt.date:
    ordinals = sorted(d.toordinal() for d in dates)
    return dt.date.fromordinal(ordinals[len(ordinals) // 2])


def _inside(value: float, target_id: str) -> None:
    t = TARGET_BY_ID[target_id]
    assert t.low <= value <= t.high, f"{target_id} {t.description}: {value:.3f} not in " \
        f"[{t.low}, {t.high}]"


def test_t1_t2_t3_khalkhin_gol_casualties(outcomes: Any) -> None:
    japanese = _numbers(outcomes, "kg_japanese_casualties")
    soviet = _numbers(outcomes, "kg_soviet_casualties")
    _inside(float(np.median(japanese)), "T1")
    _inside(float(np.median(soviet)), "T2")
    _inside(float(np.median(soviet / japanese)), "T3")


def test_t4_offensive_length_and_ceasefire(outcomes: Any) -> None:
    _inside(float(np.median(_numbers(outcomes, "kg_offensive_days"))), "T4")
    assert max(_dates(outcomes, "kg_ceasefire_date")) <= dt.date(1939, 9, 30)


def test_t6_cabinet_falls_after_the_pact(outcomes: Any) -> None:
    days = _numbers(outcomes, "cabinet_fall_days")
    assert len(days) == RUNS
    _inside(float(np.median(days)), "T6")
    assert days.max() <= TARGET_BY_ID["T6"].high


def test_t8_japan_goes_south_and_north_stays_possible(outcomes: Any) -> None:
    """T8: south in >= 70% of runs.  The north stays a live option where the record says it
    was argued (POL-15: "the north only if favourable"): the 2 July 1941 conference chooses it
    in 0.5-25% of runs, and some runs do attack the USSR.  With the fitted posterior a
    northern *first* offensive is rarer than that (a few runs in a thousand), as T10 and
    POL-20 ask, so the possibility is checked at the conference."""
    decisions = np.asarray(outcomes["decision"])
    south = float(np.mean(decisions == "south"))
    assert south >= TARGET_BY_ID["T8"].low, f"south in {south:.1%} of runs"
    july = float(np.mean(np.asarray(outcomes["conference_2_choice"]) == "north"))
    assert 0.005 <= july <= 0.25, f"north on 2 Jul 1941 in {july:.1%} of runs"
    assert np.isin(decisions, ["north", "both"]).any()


def test_t8_the_july_1941_conference_goes_south(outcomes: Any) -> None:
    july = np.asarray(outcomes["conference_2_choice"])
    assert float(np.mean(july == "south")) >= TARGET_BY_ID["T8"].low
    assert float(np.mean(july == "north")) > 0.0  # the northern option was live (POL-03)


def test_t9_kantokuen_mobilisation(outcomes: Any) -> None:
    _inside(float(np.median(_numbers(outcomes, "kantokuen_peak_men"))), "T9")


def test_t10_no_northern_attack_in_1941(outcomes: Any) -> None:
    attacks = _dates(outcomes, "north_attack_date")
    in_1941 = sum(1 for d in attacks if d.year <= 1941)
    assert in_1941 / RUNS <= 0.02
    cancelled = _dates(outcomes, "kantokuen_cancelled_date")
    assert all(d <= dt.date(1941, 8, 31) for d in cancelled if d.year == 1941)


def test_t11_soviet_far_east_drawdown(outcomes: Any) -> None:
    december = _numbers(outcomes, "soviet_fe_fraction_west_1941_12")
    august = _numbers(outcomes, "soviet_fe_fraction_west_1941_08")
    _inside(float(np.median(december)), "T11")
    assert np.percentile(august, 95) < 0.25
    assert august.max() < 0.5


def test_t14_southern_conquest_pace(outcomes: Any) -> None:
    _inside(float(np.median(_numbers(outcomes, "singapore_fall_days"))), "T14")
    assert _median_date(_dates(outcomes, "dei_captured_date")) <= dt.date(1942, 3, 31)
    assert _median_date(_dates(outcomes, "philippines_fall_date")) <= dt.date(1942, 5, 31)


def test_t15_oil_stock_run_down(outcomes: Any) -> None:
    decisions = np.asarray(outcomes["decision"])
    south = decisions == "south"
    names = {1941: "oil_stock_end_1941", 1942: "oil_stock_end_1942",
             1943: "oil_stock_end_1943", 1944: "oil_stock_end_1944"}
    medians = {}
    for year, name in names.items():
        values = np.asarray(outcomes[name], dtype=float)[south]
        medians[year] = float(np.median(values))
        target = OIL_STOCK_TARGETS[year]
        assert 0.8 * target <= medians[year] <= 1.2 * target, (year, medians[year])
    draw = medians[1941] - medians[1942]
    assert 8.0 <= draw <= 13.0, f"first-year draw {draw:.1f} M bbl"
    horizon = float(np.median(np.asarray(outcomes["oil_stock_at_horizon"], dtype=float)[south]))
    assert horizon < medians[1944]


# --- consequences through 1945 (one block per actor) ---------------------------------------
# eastern front
from sim.model.kernels.eastern_front import COUNTEROFFENSIVE_RESERVE  # noqa: E402


def test_t16_far_east_divisions_at_moscow(outcomes: Any) -> None:
    """T16 (EF-14, EF-15): 8-10 Far East divisions of the counteroffensive's 71; at most 18,
    at most a quarter of it."""
    fe = _numbers(outcomes, "fe_divisions_at_moscow")
    assert len(fe) == RUNS
    _inside(float(np.median(fe)), "T16")
    assert 7.0 <= float(np.median(fe)) <= 11.0  # EF-14: 9 (8-18)
    assert np.percentile(fe, 95) <= TARGET_BY_ID["T16"].high
    share = fe / (COUNTEROFFENSIVE_RESERVE + fe)  # the historical scenario's reserve: 62
    assert 0.09 <= float(np.median(share)) <= 0.15  # EF-15: 13% (11-25%)
    assert np.percentile(share, 95) <= 0.25


def test_moscow_holds_in_a_clear_majority_of_runs(outcomes: Any) -> None:
    """Moscow held (BAR-03); §2 grades a fall, even without the Far East divisions, a
    low-probability branch, so as history ran a fall must be rarer than one run in eight."""
    fell = len(_dates(outcomes, "moscow_falls_date")) / RUNS
    assert 0.02 <= fell <= 0.125, f"Moscow falls in {fell:.1%} of runs"
    reach = np.asarray(outcomes["case_blue_reach"])
    assert float(np.mean(reach == "volga")) >= 0.5  # EF-16, EF-17: the Volga and the Caucasus
    assert float(np.mean(reach == "collapse")) <= 0.1
# end eastern front
# united states
from sim.model import assembly  # noqa: E402 - this block's own needs (merge-friendly)
from sim.model.accounts import day_of  # noqa: E402
from sim.streams import Streams  # noqa: E402


def test_t17_the_freeze_follows_the_southern_move_within_a_week(outcomes: Any) -> None:
    """T17 (US-01, US-02, US-05; POL-18): the freeze within 0-7 days of the move into southern
    Indochina, the oil ban on the freeze but not before 1 August, no licensed oil after it."""
    t17 = TARGET_BY_ID["T17"]
    sampler = load_scenario(SCENARIOS / "historical.yaml").sampler()
    lags = []
    for index in range(100):
        streams = Streams(SEED, index)
        world, cast = assembly.build(sampler.draw_for(streams), streams)
        moves: list[float] = []
        world.signals.southern_move.callbacks.append(lambda _e: moves.append(world.env.now))
        assembly.play(world, cast)
        freeze = cast.united_states.freeze_date
        if cast.united_states.embargo_date is not None:
            assert cast.oil.imports() <= 0.12 * cast.oil.p["oil.imports_mbbl_per_year"]
        if not moves or freeze is None:
            continue
        if day_of(freeze) < moves[0]:  # sanctions had tightened anyway (no move by then)
            p = world.p
            assert day_of(freeze) == day_of(p["embargo.date"]) + p[
                "embargo.delay_without_southern_move_days"]
            continue
        lags.append(day_of(freeze) - int(moves[0]))
    assert len(lags) >= 75
    assert all(t17.low <= lag <= t17.high for lag in lags), lags
    freezes = _dates(outcomes, "us_freeze_date")
    bans = _dates(outcomes, "embargo_date")
    assert len(freezes) == len(bans) == RUNS
    assert dt.date(1941, 7, 25) <= _median_date(freezes) <= dt.date(1941, 8, 4)
    assert _median_date(bans) == dt.date(1941, 8, 1)  # EMB-04
    assert all(b >= f for f, b in zip(sorted(freezes), sorted(bans)))


def test_us_war_on_the_southern_attack_and_lend_lease_through_the_pacific(outcomes: Any) -> None:
    """US-15: ~8.2 M long tons by the horizon wherever Japan stays out of the north."""
    south = _dates(outcomes, "south_attack_date")
    war = _dates(outcomes, "us_war_date")
    assert len(war) >= len(south) and _median_date(war) == _median_date(south)
    shipped = np.asarray(outcomes["lend_lease_pacific_mt"], dtype=float)
    north = np.array([str(d) not in ("", "None", "NaT") for d in outcomes["north_attack_date"]])
    assert 7.9 <= float(np.median(shipped[~north])) <= 9.0
    if north.any():
        assert float(shipped[north].max()) < float(np.median(shipped[~north]))
# end united states
# policy
#: "Most runs" in T19/T20, read as at least this share (T8's 70% for the final decision).
MOST = 0.7


def _within(outcomes: Any, name: str, day: dt.date, days: int = 14) -> float:
    """Share of all runs whose ``name`` falls within ``days`` of ``day``."""
    hits = sum(1 for d in _dates(outcomes, name) if abs((d - day).days) <= days)
    return hits / RUNS


def _share(outcomes: Any, name: str, value: str) -> float:
    return float(np.mean(np.asarray(outcomes[name]) == value))


def test_t19_the_1941_decision_sequence(outcomes: Any) -> None:
    """2 Jul south -> 9 Aug no north -> 6 Sep prepare -> October crisis goes on -> 5 Nov ->
    27 Nov -> 1 Dec war -> 7/8 Dec attack (POL-15...POL-27), each within two weeks of its
    date in most runs, and war before 31 Dec 1941 in most runs."""
    assert _share(outcomes, "conference_2_choice", "south") >= MOST
    assert _share(outcomes, "north_review_1941_choice", "north") <= 0.02
    assert _within(outcomes, "war_preparation_date", dt.date(1941, 9, 6)) >= MOST
    for meeting in ("1941_10_16", "1941_11_05", "1941_11_27", "1941_12_01"):
        assert _share(outcomes, f"conference_{meeting}_war", "war") >= MOST, meeting
    assert _within(outcomes, "war_with_us_decided_date", dt.date(1941, 12, 1)) >= MOST
    assert _within(outcomes, "south_attack_date", dt.date(1941, 12, 7)) >= MOST
    war_1941 = sum(1 for d in _dates(outcomes, "south_attack_date") if d <= dt.date(1941, 12, 31))
    assert war_1941 / RUNS >= MOST
    # the steps come in order in every run: preparation, decision, attack
    for prepared, decided, attack in zip(outcomes["war_preparation_date"],
                                         outcomes["war_with_us_decided_date"],
                                         outcomes["south_attack_date"]):
        steps = [str(v)[:10] for v in (prepared, decided, attack)
                 if str(v) not in ("", "None", "NaT", "nan")]
        assert steps == sorted(steps)


def test_t20_japan_does_not_attack_the_ussr_before_august_1945(outcomes: Any) -> None:
    """Germany asked in July 1941, July 1942 and March 1943 and Japan refused each time
    (EF-19, EF-20, POL-28): at least 90% of the historical runs never attack the USSR before
    August 1945 (the model keeps the north possible: T8 allows it up to 25% as a first
    offensive)."""
    attacks = [d for d in _dates(outcomes, "north_attack_date") if d < dt.date(1945, 8, 1)]
    for request in (dt.date(1941, 7, 10), dt.date(1942, 7, 9), dt.date(1943, 3, 6)):
        # refused: no northern attack within the year after the request
        followed = sum(1 for d in attacks if 0 <= (d - request).days <= 365)
        assert followed / RUNS <= 0.05, request
    assert len(attacks) / RUNS <= 0.10
    second = _dates(outcomes, "north_second_attack_date")
    assert len(second) / RUNS <= 0.05
# end policy
# oil
def test_oil_09_stock_in_1945(outcomes: Any) -> None:
    """OIL-09 1945 (T15's last year, +-20%): ~5 M bbl left when the war ends (the default
    horizon is the surrender, 2 Sep 1945), reached as the tankers and the fleet go down."""
    south = np.asarray(outcomes["decision"]) == "south"
    values = np.asarray(outcomes["oil_stock_end_1945"], dtype=float)[south]
    target = OIL_STOCK_TARGETS[1945]
    assert 0.8 * target <= float(np.median(values)) <= 1.2 * target
# end oil
# north
from sim.model.kernels.calibration import (KH_DAYS, KH_JAPANESE_CASUALTIES,  # noqa: E402
                                           KH_JAPANESE_MEN, KH_SOVIET_MEN)
from sim.model.kernels.combat import engagement_rates, fight  # noqa: E402
from sim.model.kernels.theatre_1941 import intensity_at  # noqa: E402
from sim.registry.combat import (INTENSITY_AT_12_DAYS, INTENSITY_DECAY,  # noqa: E402
                                 SOVIET_EFFECTIVENESS_KHASAN)


def test_no_northern_war_no_sakhalin_landing_no_counteroffensive(outcomes: Any) -> None:
    """As history ran (T10, T20): Sakhalin stays Soviet and the Far East never counter-attacks
    unless Japan strikes north."""
    def happened(name: str) -> np.ndarray:
        return ~np.isnat(np.asarray(outcomes[name], dtype="datetime64[D]"))

    attacked = happened("north_attack_date")
    for name in ("sakhalin_taken_date", "north_counteroffensive_date"):
        assert not np.any(happened(name) & ~attacked), name
    assert np.mean(attacked) <= 0.25  # T8's band for a northern strike


def test_t27_khasan_casualty_ratio_from_the_calibrated_kernel() -> None:
    """T27 (KH-07): the kernel, at the Khasan effectiveness and the intensity its 13 days get
    from the calibrated law, gives the Soviets 2.2-3.4 casualties per Japanese."""
    from_law = intensity_at(KH_DAYS, INTENSITY_AT_12_DAYS, INTENSITY_DECAY)
    soviet_rate, japanese_rate = engagement_rates(SOVIET_EFFECTIVENESS_KHASAN, 1.0, from_law)
    soviet, japanese, _ = fight(KH_SOVIET_MEN, KH_JAPANESE_MEN, KH_DAYS, red_rate=soviet_rate,
                                blue_rate=japanese_rate)
    assert 2.2 <= soviet / japanese <= 3.4
    assert 0.8 <= japanese / KH_JAPANESE_CASUALTIES <= 1.25  # KH-04's 1,439 within 25%
# end north
# khasan
from sim.reference_war import WAR_TARGETS  # noqa: E402


def test_t27_khasan_casualties_in_the_historical_runs(outcomes: Any) -> None:
    """T27 (KH-07) on the simulated incident of 29 Jul - 11 Aug 1938: the median ratio of
    Soviet to Japanese casualties in 2.2-3.4, the Japanese within 25% of KH-04's 1,439 and
    the Soviets within 25% of KH-03's 4,071; the incident is fought in every run."""
    (t27,) = [t for t in WAR_TARGETS if t.id == "T27"]
    japanese = _numbers(outcomes, "khasan_japanese_casualties")
    soviet = _numbers(outcomes, "khasan_soviet_casualties")
    assert len(japanese) == len(soviet) == RUNS
    ratio = float(np.median(soviet / japanese))
    assert t27.low <= ratio <= t27.high, ratio
    assert 0.75 <= float(np.median(japanese)) / 1439 <= 1.25
    assert 0.75 <= float(np.median(soviet)) / 4071 <= 1.25
# end khasan
# army
from sim.model import assembly  # noqa: E402
from sim.model.actors.china import activity  # noqa: E402
from sim.params import Sampler  # noqa: E402
from sim.registry import REGISTRY  # noqa: E402
from sim.streams import Streams  # noqa: E402

#: Month-end indices from Jan 1939.
_DEC_1943, _AUG_1943, _DEC_1944, _AUG_1945 = 59, 55, 71, 79
#: The documented 1945 strengths (JF-01, JF-07, JF-08) are the order of battle at the
#: surrender, which still counts the wounded and the men who surrendered in Manchuria
#: (MAN-05); the model's Manchurian war of August takes its casualties off the accounts, so
#: those are added back when the August army is compared.


@pytest.fixture(scope="module")
def army_series() -> Any:
    """Medians of the monthly series of the historical scenario (same runs as ``outcomes``)."""
    scenario = load_scenario(SCENARIOS / "historical.yaml")
    results = engine.run(scenario, runs=RUNS, seed=SEED, workers=1, progress=False)
    return {name: q["p50"] for name, q in results.series.quantiles.items()}


def test_t23_the_kwantung_army_stripped_and_refilled(outcomes: Any, army_series: Any) -> None:
    """T23 (JF-06): 15-17 divisions in 1943, 10-11 at the end of 1944 (also the outcome), 24 in
    Aug 1945 of which at most 5 of 1941 quality (3 as history ran)."""
    divisions = army_series["jp_divisions_manchuria"]
    assert 15 <= divisions[_DEC_1943] <= 17
    assert 10 <= divisions[_DEC_1944] <= 11
    assert 10 <= float(np.median(_numbers(outcomes, "kwantung_divisions_1944_12"))) <= 11
    assert divisions[_AUG_1945] == 24
    veterans = []
    for index in range(20):
        u = Streams(SEED, index)["parameters"].random(REGISTRY.slots)
        p = Sampler(REGISTRY, REGISTRY.defaults()).draw(u)
        _, cast = assembly.run(p, Streams(SEED, index))
        if cast.south.t_launch is not None and cast.north.t_launch is None:
            veterans.append(cast.army.veterans)
            assert cast.army.kwantung_quality < 0.6
    assert veterans and float(np.median(veterans)) <= TARGET_BY_ID["T23"].high


def test_t28_china_front_intensity_on_the_activity_index() -> None:
    """T28 (CHN-10): the 1943 index is 35% +- 15 points of 1942's; Apr-Jun 1944 spikes with
    Ichi-Go (and only with it)."""
    ratio = activity(dt.date(1943, 7, 1), True) / activity(dt.date(1942, 7, 1), True)
    _inside(ratio, "T28")
    assert activity(dt.date(1944, 5, 1), True) > 10 * activity(dt.date(1944, 2, 1), True)
    assert activity(dt.date(1944, 5, 1), False) == activity(dt.date(1944, 2, 1), True)


def test_jf04_china_proper_in_1943_and_1945(outcomes: Any) -> None:
    """JF-04 / CHN-06: ~620,000 in Aug 1943 (600,000-650,000), 1.05-1.086 M in Aug 1945."""
    assert 600000 <= float(np.median(_numbers(outcomes, "china_men_1943_08"))) <= 650000
    assert 1050000 <= float(np.median(_numbers(outcomes, "china_men_1945_08"))) <= 1086000
    ichigo = float(np.median(_numbers(outcomes, "ichigo_japanese_casualties")))
    assert 30000 <= ichigo <= 100000  # JF-13


def test_jf01_jf07_jf09_jf10_force_levels(army_series: Any, outcomes: Any) -> None:
    """JF-01 (2.75 M end-1943, 3.76 M end-1944, Aug 1945 within 5.42 M (JF-02 less the air
    arm) - 5.95 M), JF-07 + JF-08 (Manchuria and Korea 0.96-1.12 M), JF-09 (south 0.8 M +
    the bypassed Pacific, <= 0.93 M), JF-10 (home 2.25-2.5 M); no unused pool before 1944."""
    s = army_series
    total = [s["jp_men_china"][k] + s["jp_men_manchuria"][k] + s["jp_men_south"][k]
             + s["jp_men_home"][k] for k in (_DEC_1943, _DEC_1944, _AUG_1945)]
    august = float(np.nanmedian(_numbers(outcomes, "manchuria_1945_japanese_casualties")))
    assert 2.6e6 <= total[0] <= 2.9e6
    assert 3.6e6 <= total[1] <= 3.9e6
    assert 5.42e6 <= total[2] + august <= 5.95e6
    assert 665500 + 294000 <= s["jp_men_manchuria"][_AUG_1945] + august <= 780000 + 335900
    assert 800000 <= s["jp_men_south"][_AUG_1945] <= 932000
    assert 2.25e6 <= s["jp_men_home"][_AUG_1945] <= 2.5e6
    # JF-11: China's share of the army, 23% (1943) and 18% (1945), +-5 points
    assert abs(s["jp_men_china"][_AUG_1943] / 2.6e6 - 0.23) <= 0.05
    assert abs(s["jp_men_china"][_AUG_1945] / total[2] - 0.18) <= 0.03
# end army
# shipping
from sim.model import assembly  # noqa: E402
from sim.model.actors.shipping import TANKER_SHARE  # noqa: E402
from sim.reference import BY_ID  # noqa: E402
from sim.params import Sampler  # noqa: E402
from sim.registry import REGISTRY  # noqa: E402
from sim.streams import Streams  # noqa: E402


def test_t21_merchant_fleet_run_down(outcomes: Any) -> None:
    """T21 (SH-01...SH-08): the fleet without its tankers near SH-02's 5.25 M (Dec 1942) and
    SH-03's 4.17 M (Dec 1943), within 15% (SH-02's parts leave 7% unexplained; the tankers
    counted at their Dec 1941 share), and at most 2.0 M GRT in August 1945 (SH-05: 1.34 M)."""
    south = np.asarray(outcomes["decision"]) == "south"

    def median(name: str) -> float:
        return float(np.median(np.asarray(outcomes[name], dtype=float)[south]))

    for name, ref in (("merchant_fleet_grt_end_1942", "SH-02"),
                      ("merchant_fleet_grt_end_1943", "SH-03")):
        dry = median(name) * (1.0 - TANKER_SHARE)
        assert 0.85 <= dry / BY_ID[ref].best <= 1.15, (name, dry)
    assert median("merchant_fleet_grt_end_1944") < median("merchant_fleet_grt_end_1943")
    august = median("merchant_fleet_grt_1945_08")
    assert BY_ID["SH-05"].best * 0.8 <= august <= TARGET_BY_ID["T21"].high


def test_t21_total_losses_8_to_9_million_grt() -> None:
    """T21 (SH-08: 8.62 M GRT lost 1941-45): the replications of the southern war sink 8-9 M
    GRT by the surrender."""
    from_scenario = load_scenario(SCENARIOS / "historical.yaml")
    sampler = Sampler(REGISTRY, from_scenario.values)
    sunk = []
    for index in range(40):
        streams = Streams(SEED, index)
        p = sampler.draw(streams["parameters"].random(REGISTRY.slots))
        world, cast = assembly.run(p, streams)
        if world.signals.south_war.happened and not world.signals.north_war.happened:
            cast.shipping.finish()
            sunk.append(cast.shipping.sunk)
    assert len(sunk) >= 30
    assert 8.0e6 <= float(np.median(sunk)) <= 9.0e6
# end shipping
# manchuria 1945
from sim.outcomes import DEFAULT_HORIZON, month_ends  # noqa: E402
from sim.reference import lookup  # noqa: E402

#: Japanese casualties per man killed: as many wounded as killed at the low end (an army that
#: broke and left its wounded to the enemy), Khasan's 1,439 for 526 killed (KH-04) at the
#: high end: MAN-05's killed times these bound the killed and wounded the kernel counts.
JP_CASUALTIES_PER_KILLED = (2.0, 2.74)
#: The kernel's engagement rows scatter by up to a factor of 2 in the loser's casualties
#: (docs/combat.md, per-battle fits); the winner's, fitted through the engaged share, by 1.5.
LOSER_FACTOR, WINNER_FACTOR = 2.0, 1.5


@pytest.fixture(scope="module")
def august_1945() -> Any:
    scenario = load_scenario(SCENARIOS / "historical.yaml")
    return engine.run(scenario, runs=RUNS, seed=SEED, workers=1, progress=False)


def _fe_median(results: Any) -> dict[dt.date, float]:
    median = results.series.quantiles["soviet_fe_men"]["p50"]
    return dict(zip(month_ends(DEFAULT_HORIZON), median))


def test_t25_soviet_far_east_floor_through_1945(august_1945: Any) -> None:
    """T25 (SFE-11, SFE-18, SFE-19): from 1943 to the 1945 build-up the Far East holds
    0.9-1.2 M men, near SFE-11's 1,162,991 on 1 Jan 1944, and never shrinks after mid-1943."""
    fe = _fe_median(august_1945)
    late = [v for d, v in fe.items() if dt.date(1943, 1, 1) <= d <= dt.date(1945, 3, 31)]
    assert 0.9e6 <= min(late) and max(late) <= 1.2e6
    assert fe[dt.date(1943, 12, 31)] == pytest.approx(lookup("SFE-11").best, rel=0.1)
    flat = [v for d, v in fe.items() if dt.date(1943, 7, 31) <= d <= dt.date(1945, 3, 31)]
    assert max(flat) - min(flat) < 0.01 * min(flat)


def test_man02_soviet_forces_in_august_1945(august_1945: Any) -> None:
    """MAN-02 (SFE-23): 1,577,725 men on the eve of the invasion, within 10% (SFE-11 and
    SFE-23, both grade C, are the two ends of the build-up); the men grow x1.3-1.7 from March
    (T25's doubling of combat strength counts the veterans' weight, tests/test_manchuria_1945)."""
    men = _numbers(august_1945.outcomes, "soviet_fe_men_1945_08")
    assert np.median(men) == pytest.approx(lookup("MAN-02").best, rel=0.10)
    fe = _fe_median(august_1945)
    assert 1.3 <= fe[dt.date(1945, 8, 31)] / fe[dt.date(1945, 3, 31)] <= 1.7


def test_man01_invasion_date_and_duration(august_1945: Any) -> None:
    """MAN-01 (NP-04): the invasion on 9 Aug 1945 in >= 90% of the runs (the rest: a Soviet
    collapse in 1942); ~11-12 days of main operations.  The fighting stops at the ceasefire
    of 20 Aug at the latest (12 days), so what is tested is that the Kwantung Army does not
    break much sooner than the record's war ended: a median of 8-12 days."""
    dates = _dates(august_1945.outcomes, "manchuria_invaded_date")
    assert sum(d == dt.date(1945, 8, 9) for d in dates) / RUNS >= 0.90
    days = _numbers(august_1945.outcomes, "manchuria_1945_days")
    assert 8.0 <= np.median(days) <= 12.0 + 1e-9


def test_man04_man05_casualties_of_august_1945(august_1945: Any) -> None:
    """MAN-04: Soviet killed, wounded and sick 34,205-36,456, within 1.5x; MAN-05: Japanese
    killed 21,389-23,600 x the killed-to-casualties ratios above, within 2x."""
    soviet = np.median(_numbers(august_1945.outcomes, "manchuria_1945_soviet_casualties"))
    man04 = lookup("MAN-04")
    assert man04.low / WINNER_FACTOR <= soviet <= man04.high * WINNER_FACTOR
    japanese = np.median(_numbers(august_1945.outcomes, "manchuria_1945_japanese_casualties"))
    man05 = lookup("MAN-05")
    low = man05.low * JP_CASUALTIES_PER_KILLED[0] / LOSER_FACTOR
    high = man05.high * JP_CASUALTIES_PER_KILLED[1] * LOSER_FACTOR
    assert low <= japanese <= high
    assert soviet < japanese  # the attacker won cheaply against a hollowed army
# end manchuria 1945
