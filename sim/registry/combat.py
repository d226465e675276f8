"""The combat kernel's parameters and the calibrated figures behind them.

The literals are what :func:`sim.model.kernels.calibration.calibrate` recomputes from
``sim/data/battles_cdb90.csv`` and the figures quoted in ``docs/combat.md``;
``tests/test_calibration.py`` checks that they agree.  Three of the fitted figures (Khalkhin
Gol 1939 as a whole, Jitra 1941, the August 1939 offensive's intensity) are *calibration
data*: they document the kernel's fit and bound the sampled parameters, but no actor of the
model reads them, so they are not sampled (:data:`RETIRED`).  Changkufeng 1938 is sampled: the
Khasan actor fights the incident with it.
"""

from __future__ import annotations

from sim.distributions import LogNormal
from sim.params import Param

# ---------------------------------------------------------------------------------------------
# Calibrated defaults.  Each literal below is what ``sim.model.kernels.calibration.calibrate()``
# recomputes from ``sim/data/battles_cdb90.csv`` and the figures quoted in ``docs/combat.md``;
# ``tests/test_calibration.py`` checks that they agree.
# ---------------------------------------------------------------------------------------------

#: Exponent of the attrition law: kernel elasticity of the exchange ratio = CDB90's +0.3.
DEFAULT_EXPONENT = 0.71
#: Dupuy (QJM/TNDM) neutral-conditions daily loss fraction of an attacker facing equal forces.
ATTACKER_DAILY_LOSS = 0.028
#: Dupuy's daily loss fraction of a defender facing equal forces.
DEFENDER_DAILY_LOSS = 0.015
#: Per-nation effectiveness relative to the Imperial Japanese Army (the reference, 1.0).
JAPANESE_EFFECTIVENESS = 1.0
#: Changkufeng 1938 (CDB90 isqno 258), with the spread of its engagement rows 256-257.
SOVIET_EFFECTIVENESS_1938 = 0.40
SOVIET_EFFECTIVENESS_1938_SIGMA = 0.49
#: Khalkhin Gol 1939 as a whole (KG-15, KG-19), with KG-21's ratio range as its spread.
SOVIET_EFFECTIVENESS_1939 = 1.01
SOVIET_EFFECTIVENESS_1939_SIGMA = 0.12
#: The 20-31 Aug 1939 counteroffensive alone (CDB90 isqno 260).
SOVIET_EFFECTIVENESS_AUG_1939 = 1.72
#: British-Indian army in Malaya, Jitra 1941 (CDB90 isqno 487); one battle, so a wide spread.
WESTERN_EFFECTIVENESS_1941 = 0.23
WESTERN_EFFECTIVENESS_1941_SIGMA = 0.42
#: Multiplier of the base rates that spreads Khalkhin Gol's losses over its 128 days (KG-01).
KHALKHIN_GOL_INTENSITY = 0.362
#: Intensity of the 20-31 Aug 1939 counteroffensive (CDB90 isqno 260): a standard Dupuy day.
NOMONHAN_OFFENSIVE_INTENSITY = 1.07

#: Lake Khasan 1938 from the archival totals (KH-02...KH-04; ratio KH-07 2.8).
SOVIET_EFFECTIVENESS_KHASAN = 0.47
#: The Soviet Far East of 1941 as a defender (SFE-01, SFE-03, SFE-04): between the 1939
#: campaign fit and the August 1939 fit by its armour and air per man; the lognormal's 5th
#: percentile at the 1939 campaign value.
SOVIET_EFFECTIVENESS_1941 = 1.36
SOVIET_EFFECTIVENESS_1941_SIGMA = 0.18
#: The same, from the Army General Staff's under-count of Soviet tanks and aircraft (POL-Q2).
SOVIET_EFFECTIVENESS_1941_AGS = 1.27
#: Intensity law of whole Soviet-Japanese engagements, intensity(d) = I12 * (d / 12) ** -decay,
#: fitted over Khasan (13 days), the August 1939 offensive (12) and the 1939 campaign (128).
INTENSITY_AT_12_DAYS = 1.181
INTENSITY_DECAY = 0.498

#: Parameters withdrawn from the registry because no actor reads them (calibration data
#: above); their random-number slots stay reserved so that every other parameter keeps its draw.
RETIRED: tuple[str, ...] = (
    "combat.nomonhan_offensive_intensity",
    "combat.soviet_effectiveness_1939",
    "combat.western_effectiveness_1941",
)

PARAMS: list[Param] = [
    Param(
        name="combat.exponent",
        default=DEFAULT_EXPONENT,
        unit="dimensionless",
        source=(
            "combat.md CDB90 elasticity (+0.3); fitted by sim.model.kernels.calibration.fit_exponent "
            "(credible range: elasticity 0.2-0.4)"
        ),
        description=(
            "Exponent of the attrition law: 0 = Lanchester square law, 1 = linear law; chosen "
            "so the exchange ratio's elasticity to the force ratio matches CDB90's +0.3"
        ),
        credible=(0.62, 0.81),
        bounds=(0.0, 1.0),
    ),
    Param(
        name="combat.attacker_daily_loss",
        default=ATTACKER_DAILY_LOSS,
        unit="fraction/day",
        source="combat.md Dupuy QJM/TNDM rule of thumb (2.8%/day; cap 13.4%)",
        description=(
            "Base daily loss fraction of an attacker facing equal forces in neutral conditions "
            "(the rate a defender of effectiveness 1 inflicts)"
        ),
        credible=(0.014, 0.134),
        bounds=(0.0, 1.0),
    ),
    Param(
        name="combat.defender_daily_loss",
        default=DEFENDER_DAILY_LOSS,
        unit="fraction/day",
        source="combat.md Dupuy QJM/TNDM rule of thumb (1.5%/day; cap 5.8%)",
        description=(
            "Base daily loss fraction of a defender facing equal forces in neutral conditions "
            "(the rate an attacker of effectiveness 1 inflicts)"
        ),
        credible=(0.0075, 0.058),
        bounds=(0.0, 1.0),
    ),
    Param(
        name="combat.japanese_effectiveness",
        default=JAPANESE_EFFECTIVENESS,
        unit="multiplier",
        source="reference army: the other effectiveness values are relative to it (docs/combat.md)",
        description=(
            "Combat effectiveness of the Imperial Japanese Army; 1 by definition, change it to "
            "ask what a better or worse Japanese army would have done"
        ),
        credible=(0.8, 1.2),
        bounds=(0.0, 10.0),
    ),
    Param(
        name="combat.soviet_effectiveness_aug_1939",
        default=SOVIET_EFFECTIVENESS_AUG_1939,
        unit="multiplier",
        source="battles_cdb90.csv isqno 260 (Nomonhan Soviet counteroffensive, 20-31 Aug 1939)",
        description=(
            "Red Army effectiveness relative to the Japanese in the August 1939 offensive alone "
            "(498 tanks against 120, massed artillery): the upper end of 1939"
        ),
        credible=(1.01, 2.5),
        bounds=(0.0, 10.0),
    ),
    Param(
        name="combat.khalkhin_gol_intensity",
        default=KHALKHIN_GOL_INTENSITY,
        unit="multiplier",
        source="history.md KG-01, KG-03, KG-09, KG-15, KG-19 (campaign fit, docs/combat.md)",
        description=(
            "Multiplier of the base daily rates that, with 57,000 Soviets attacking 30,000 "
            "Japanese for the campaign's 128 days, reproduces both archival casualty totals"
        ),
        credible=(0.2, 1.0),
        bounds=(0.0, 100.0),
    ),
    Param(
        name="combat.soviet_effectiveness_1938",
        default=LogNormal(dist="lognormal", median=SOVIET_EFFECTIVENESS_1938,
                          sigma=SOVIET_EFFECTIVENESS_1938_SIGMA),
        unit="multiplier",
        source=(
            "battles_cdb90.csv isqno 258 (Changkufeng-Hill 52, 1938); spread from isqno 256-257; "
            "fought on the archival totals KH-02, KH-03, KH-04 (docs/model.md §1b)"
        ),
        description=(
            "Red Army effectiveness relative to the Japanese at Lake Khasan 1938, on CDB90's "
            "casualty count (the Khasan actor scales it to the archival totals, KH-07)"
        ),
        credible=(0.18, 0.9),
        bounds=(0.0, None),
    ),
]
