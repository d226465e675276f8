"""The combat kernel's defaults trace to the battles they are calibrated on."""

from __future__ import annotations

import math

import pytest

from sim.distributions import LogNormal
from sim.model.kernels import calibration
from sim.model.kernels import combat as kernel
from sim.model.kernels import theatre_1941
from sim.registry import REGISTRY
from sim.registry import combat
from sim.params import Registry

#: How the literals of sim.registry.combat map to the keys calibrate() returns.
LITERALS = {
    "exponent": "DEFAULT_EXPONENT",
    "attacker_daily_loss": "ATTACKER_DAILY_LOSS",
    "defender_daily_loss": "DEFENDER_DAILY_LOSS",
    "japanese_effectiveness": "JAPANESE_EFFECTIVENESS",
    "soviet_effectiveness_1938": "SOVIET_EFFECTIVENESS_1938",
    "soviet_effectiveness_1939": "SOVIET_EFFECTIVENESS_1939",
    "soviet_effectiveness_aug_1939": "SOVIET_EFFECTIVENESS_AUG_1939",
    "western_effectiveness_1941": "WESTERN_EFFECTIVENESS_1941",
    "khalkhin_gol_intensity": "KHALKHIN_GOL_INTENSITY",
    "nomonhan_offensive_intensity": "NOMONHAN_OFFENSIVE_INTENSITY",
    "soviet_effectiveness_1938_sigma": "SOVIET_EFFECTIVENESS_1938_SIGMA",
    "soviet_effectiveness_1939_sigma": "SOVIET_EFFECTIVENESS_1939_SIGMA",
    "western_effectiveness_1941_sigma": "WESTERN_EFFECTIVENESS_1941_SIGMA",
    "soviet_effectiveness_khasan": "SOVIET_EFFECTIVENESS_KHASAN",
    "soviet_effectiveness_1941": "SOVIET_EFFECTIVENESS_1941",
    "soviet_effectiveness_1941_sigma": "SOVIET_EFFECTIVENESS_1941_SIGMA",
    "soviet_effectiveness_1941_ags": "SOVIET_EFFECTIVENESS_1941_AGS",
    "intensity_at_12_days": "INTENSITY_AT_12_DAYS",
    "intensity_decay": "INTENSITY_DECAY",
}


@pytest.fixture(scope="module")
def calibrated() -> dict:
    return calibration.calibrate()


def test_the_data_file_carries_the_theatre_rows_with_their_source() -> None:
    battles = calibration.load_battles()
    assert [b.isqno for b in battles] == [256, 257, 258, 259, 260, 487]
    nomonhan = next(b for b in battles if b.isqno == 260)
    assert (nomonhan.attacker_nation, nomonhan.defender_nation) == ("soviet", "japanese")
    assert (nomonhan.attacker_men, nomonhan.defender_casualties, nomonhan.days) == (
        57_000, 11_500, 12.0
    )
    assert next(b for b in battles if b.isqno == 487).defender_nation == "western"
    from importlib import resources

    text = (resources.files("sim") / "data" / calibration.DATA_FILE).read_text()
    assert text.startswith("# Source:") and "CDB90" in text.splitlines()[0]


def test_calibrate_reproduces_every_default(calibrated: dict) -> None:
    for key, literal in LITERALS.items():
        assert getattr(combat, literal) == pytest.approx(calibrated[key], abs=1e-12), key


def test_calibration_data_is_not_sampled() -> None:
    """The fitted figures no actor reads are calibration data: reserved slots, not parameters."""
    for name in combat.RETIRED:
        assert name not in REGISTRY
        assert name.removeprefix("combat.").upper() in LITERALS.values()
    assert REGISTRY.slots == len(REGISTRY) + len(combat.RETIRED)


def test_registry_entries_carry_the_calibrated_defaults(calibrated: dict) -> None:
    registry = Registry(list(combat.PARAMS))
    assert all(p.name.startswith("combat.") and p.source and p.description for p in registry)
    for p in registry:
        key = p.name.removeprefix("combat.")
        value = p.default
        if isinstance(value, LogNormal):
            assert value.median == calibrated[key]
            assert value.sigma == calibrated[f"{key}_sigma"]
            value = value.median
        else:
            assert value == calibrated[key]
        assert p.credible is not None and p.credible[0] <= value <= p.credible[1], p.name
        assert p.bounds is not None


def test_every_battle_fit_reproduces_its_casualties(calibrated: dict) -> None:
    fits = list(calibrated["battle_fits"].values()) + [calibrated["campaign_fit"]]
    assert len(fits) == 7
    for fit in fits:
        assert fit.attacker_casualties == pytest.approx(fit.battle.attacker_casualties, rel=1e-6)
        assert fit.defender_casualties == pytest.approx(fit.battle.defender_casualties, rel=1e-6)
        assert fit.exponent == combat.DEFAULT_EXPONENT


def test_fit_battle_recovers_the_rates_of_a_kernel_battle() -> None:
    truth = dict(red_rate=0.04, blue_rate=0.07, exponent=combat.DEFAULT_EXPONENT)
    att_loss, def_loss, _ = kernel.fight(25_000, 10_000, 6.0, **truth)
    synthetic = calibration.Battle(
        isqno=1, name="SYNTHETIC", attacker="SOV X", defender="JAP Y",
        attacker_nation="soviet", defender_nation="japanese", attacker_men=25_000,
        defender_men=10_000, attacker_casualties=att_loss, defender_casualties=def_loss,
        days=6.0, year=1939, source="test",
    )
    fit = calibration.fit_battle(synthetic)
    assert fit.attacker_rate == pytest.approx(0.04, rel=1e-6)
    assert fit.defender_rate == pytest.approx(0.07, rel=1e-6)


def test_kernel_elasticity_matches_cdb90() -> None:
    durations = [b.days for b in calibration.load_battles()]
    mean = sum(calibration.kernel_elasticity(combat.DEFAULT_EXPONENT, d) for d in durations)
    assert mean / len(durations) == pytest.approx(calibration.CDB90_ELASTICITY, abs=0.005)
    # the pure laws are far from the record: square ~1, linear 0
    assert calibration.kernel_elasticity(0.0, 1.0) > 0.95
    assert calibration.kernel_elasticity(1.0, 1.0) == pytest.approx(0.0, abs=1e-6)


def test_khalkhin_gol_defaults_reproduce_the_campaign_totals() -> None:
    """KG-15, KG-19, KG-21 (backtests T1-T3): the winner lost more men."""
    soviet_rate, japanese_rate = kernel.engagement_rates(
        combat.SOVIET_EFFECTIVENESS_1939, combat.JAPANESE_EFFECTIVENESS,
        combat.KHALKHIN_GOL_INTENSITY,
    )
    soviet, japanese, days = kernel.fight(57_000, 30_000, 128, red_rate=soviet_rate,
                                          blue_rate=japanese_rate)
    assert days == 128
    assert soviet == pytest.approx(26_000, rel=0.005)
    assert japanese == pytest.approx(17_400, rel=0.005)
    assert 1.2 <= soviet / japanese <= 1.7


def test_august_offensive_defaults_reproduce_cdb90_row_260() -> None:
    soviet_rate, japanese_rate = kernel.engagement_rates(
        combat.SOVIET_EFFECTIVENESS_AUG_1939, combat.JAPANESE_EFFECTIVENESS,
        combat.NOMONHAN_OFFENSIVE_INTENSITY,
    )
    soviet, japanese, _ = kernel.fight(57_000, 30_000, 12, red_rate=soviet_rate,
                                       blue_rate=japanese_rate)
    assert soviet == pytest.approx(10_000, rel=0.01)
    assert japanese == pytest.approx(11_500, rel=0.01)


def test_the_data_rank_the_armies_as_history_does(calibrated: dict) -> None:
    assert calibrated["soviet_effectiveness_1938"] < 1.0  # Changkufeng: ~3.6 Soviet per Japanese
    assert calibrated["soviet_effectiveness_1938"] < calibrated["soviet_effectiveness_1939"]
    assert calibrated["soviet_effectiveness_1939"] < calibrated["soviet_effectiveness_aug_1939"]
    assert calibrated["western_effectiveness_1941"] < 0.5  # Jitra
    lo, hi = calibrated["soviet_effectiveness_1939_range"]
    assert lo < calibrated["soviet_effectiveness_1939"] < hi
    # the raw theatre rows alone say nothing sensible about the law: quality dominates
    assert calibrated["theatre_elasticity"] < 0.0


def test_intensity_and_effectiveness_give_back_the_fitted_rates(calibrated: dict) -> None:
    """engagement_rates(effectiveness..., intensity) is how the model uses a fit: it must
    reproduce the fitted rates, the Japanese army having effectiveness 1."""
    for fit in calibrated["battle_fits"].values():
        b = fit.battle
        other = b.defender_nation if b.attacker_nation == "japanese" else b.attacker_nation
        eff = calibration.effectiveness_of(fit, other)
        att_eff = 1.0 if b.attacker_nation == "japanese" else eff
        def_eff = 1.0 if b.defender_nation == "japanese" else eff
        att, dfn = kernel.engagement_rates(att_eff, def_eff, fit.intensity)
        assert att == pytest.approx(fit.attacker_rate, rel=1e-12)
        assert dfn == pytest.approx(fit.defender_rate, rel=1e-12)


def test_exponent_credible_range_is_cdb90_elasticity_from_0_4_to_0_2() -> None:
    (param,) = [p for p in combat.PARAMS if p.name == "combat.exponent"]
    low, high = param.credible  # type: ignore[misc]
    assert calibration.fit_exponent(0.4) == pytest.approx(low, abs=0.01)
    assert calibration.fit_exponent(0.2) == pytest.approx(high, abs=0.01)


# --- what the calibration says about 1941 (the northern campaign) -----------------------------

def test_khasan_fit_reproduces_the_archival_totals_and_ratio(calibrated: dict) -> None:
    fit = calibrated["khasan_fit"]
    assert fit.attacker_casualties == pytest.approx(calibration.KH_SOVIET_CASUALTIES, rel=1e-6)
    assert fit.defender_casualties == pytest.approx(calibration.KH_JAPANESE_CASUALTIES, rel=1e-6)
    ratio = fit.attacker_casualties / fit.defender_casualties
    assert 2.5 <= ratio <= 3.0  # KH-07: 2.8 (2.5-3.0)
    # the archival totals rank the 1938 army a little above CDB90's row 258, far below 1939
    assert (calibrated["soviet_effectiveness_1938"] < calibrated["soviet_effectiveness_khasan"]
            < 0.5 * calibrated["soviet_effectiveness_1939"])


def test_intensity_falls_with_the_length_of_the_fighting(calibrated: dict) -> None:
    at_12, decay = calibrated["intensity_at_12_days"], calibrated["intensity_decay"]
    assert 0.0 < decay < 1.0
    law = [theatre_1941.intensity_at(d, at_12, decay) for d in (5.0, 12.0, 30.0, 45.0, 128.0)]
    assert law == sorted(law, reverse=True)
    # the law passes between the battles it is fitted to (within a factor of 1.25)
    for fit in (calibrated["khasan_fit"], calibrated["battle_fits"][260],
                calibrated["campaign_fit"]):
        expected = theatre_1941.intensity_at(fit.battle.days, at_12, decay)
        assert 0.8 < fit.intensity / expected < 1.25, fit.battle.name
    # a month-long northern sector battle is below a standard Dupuy day
    assert theatre_1941.intensity_at(30.0, at_12, decay) < 1.0


def test_the_1941_far_east_sits_between_the_1939_fits(calibrated: dict) -> None:
    s1939 = calibrated["soviet_effectiveness_1939"]
    august = calibrated["soviet_effectiveness_aug_1939"]
    s1941 = calibrated["soviet_effectiveness_1941"]
    assert s1939 < s1941 < august
    # about half August 1939's armour and air per man (SFE-01, SFE-03, SFE-04)
    assert 0.4 < calibrated["armour_air_share_1941"] < 0.7
    # the Army General Staff's under-count (POL-Q2) makes the Far East look weaker than it was
    assert s1939 < calibrated["soviet_effectiveness_1941_ags"] < s1941
    # the lognormal's 5th percentile is the 1939 campaign value
    sigma = calibrated["raw"]["soviet_effectiveness_1941_sigma"]
    assert calibrated["raw"]["soviet_effectiveness_1941"] * math.exp(-1.6448536 * sigma) == \
        pytest.approx(calibrated["raw"]["soviet_effectiveness_1939"])


def test_the_northern_campaign_samples_the_calibrated_1941_effectiveness() -> None:
    param = REGISTRY["north.soviet_effectiveness"]
    assert isinstance(param.default, LogNormal)
    assert param.default.median == combat.SOVIET_EFFECTIVENESS_1941
    assert param.default.sigma == combat.SOVIET_EFFECTIVENESS_1941_SIGMA
    assert param.credible == (combat.SOVIET_EFFECTIVENESS_1939,
                              combat.SOVIET_EFFECTIVENESS_AUG_1939)
