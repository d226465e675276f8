"""Calibration of the combat kernel's defaults to the theatre's battles.

Everything the kernel assumes by default is recomputed here from data carried in the package:

* the exponent, from the CDB90 elasticity of the casualty-exchange ratio to the force ratio;
* per-battle attrition rates, fitted so the kernel reproduces each CDB90 row's casualties
  exactly, split into an *intensity* (how hard the fighting was, relative to Dupuy's base daily
  rates) and a *relative effectiveness* of the attacker's army against the defender's;
* per-nation effectiveness relative to the Imperial Japanese Army, and the Khalkhin Gol
  campaign fit to the archival totals (the winner lost more men).

``calibrate()`` returns the defaults that :mod:`sim.registry.combat` carries as literals; the tests
check that they agree, so every default traces to these data.  Method and results:
``docs/combat.md``.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from scipy import optimize

from sim.model.kernels import combat
from sim.model.kernels.theatre_1941 import (AGS_AIRCRAFT, AGS_TANKS, KG_SOVIET_MEN,
                                            SFE_AIRCRAFT, SFE_MEN, SFE_TANKS, armour_air_share,
                                            intensity_law, soviet_effectiveness_1941)
from sim.registry.combat import DEFAULT_EXPONENT

#: CDB90 elasticity of the casualty-exchange ratio (defender's losses / attacker's losses) to
#: the force ratio (attacker / defender), computed over CDB90's 660 battles (combat.md).
CDB90_ELASTICITY = 0.3
#: Dupuy's QJM/TNDM rule of thumb for neutral conditions (combat.md): daily loss fractions of an
#: attacker and a defender; carried, not fitted: the battle fits are expressed relative to them.
DUPUY_ATTACKER_DAILY_LOSS = 0.028
DUPUY_DEFENDER_DAILY_LOSS = 0.015
#: Force ratios over which the kernel's elasticity is measured, like a regression over battles.
ELASTICITY_FORCE_RATIOS = (0.5, 4.0)

#: Khalkhin Gol whole-campaign figures (history.md §2.2).
KG_JAPANESE_MEN = 30_000.0  # KG-09: Japanese manpower on the battlefield
KG_DAYS = 128.0  # KG-01: 11 May - 16 Sept 1939
KG_JAPANESE_CASUALTIES = 17_400.0  # KG-15: Army medical records (Coox), combat casualties
KG_SOVIET_CASUALTIES = 26_000.0  # KG-19: Krivosheev-type archival total, best value
KG_RATIO_RANGE = (1.2, 1.6)  # KG-21: credible Soviet:Japanese casualty ratio

#: Lake Khasan (Changkufeng), 29 July - 11 Aug 1938, from the archival totals (KH-01...KH-04):
#: Soviet/Japanese casualty ratio 2.8 (KH-07), against CDB90 row 258's 3.6.
KH_SOVIET_MEN = 22_950.0  # KH-02, BC-13
KH_JAPANESE_MEN = 7_000.0  # KH-02, BC-14 (7,000-7,300)
KH_DAYS = 13.0  # KH-01: first Japanese attacks 29 July, fire ceases 11 Aug
KH_SOVIET_CASUALTIES = 4_071.0  # KH-03: 792 killed and missing + 3,279 wounded and sick
KH_JAPANESE_CASUALTIES = 1_439.0  # KH-04: 526 killed + 913 wounded

#: CDB90 unit prefixes -> the armies whose effectiveness the fits estimate.
NATIONS = {"JAP": "japanese", "SOV": "soviet", "BR": "western"}
#: The army whose effectiveness is 1 by definition.
REFERENCE_NATION = "japanese"
#: Decimal places the kernel's literals carry.
ROUNDING = {
    "exponent": 2,
    "attacker_daily_loss": 3,
    "defender_daily_loss": 3,
    "japanese_effectiveness": 2,
    "soviet_effectiveness_1938": 2,
    "soviet_effectiveness_1939": 2,
    "soviet_effectiveness_aug_1939": 2,
    "western_effectiveness_1941": 2,
    "khalkhin_gol_intensity": 3,
    "nomonhan_offensive_intensity": 2,
    "soviet_effectiveness_1938_sigma": 2,
    "soviet_effectiveness_1939_sigma": 2,
    "western_effectiveness_1941_sigma": 2,
    "soviet_effectiveness_khasan": 2,
    "soviet_effectiveness_1941": 2,
    "soviet_effectiveness_1941_sigma": 2,
    "soviet_effectiveness_1941_ags": 2,
    "intensity_at_12_days": 3,
    "intensity_decay": 3,
}
#: 5th-95th percentile z-score: lognormal spreads are read off ranges taken as that band.
_Z95 = 1.6448536269514722
#: Jitra is the only British-Indian row: a factor of 2 either way at the 5th/95th percentiles is
#: a modelling judgement, not a fit.
WESTERN_SPREAD_FACTOR = 2.0

DATA_FILE = "battles_cdb90.csv"


@dataclass(frozen=True)
class Battle:
    """One CDB90 row: who attacked whom, with how many men, losing how many, for how long."""

    isqno: int
    name: str
    attacker: str
    defender: str
    attacker_nation: str
    defender_nation: str
    attacker_men: float
    defender_men: float
    attacker_casualties: float
    defender_casualties: float
    days: float
    year: int
    source: str


@dataclass(frozen=True)
class BattleFit:
    """The kernel's attrition rates that reproduce one battle's casualties.

    Each rate is expressed as a *factor* of Dupuy's base rate for its posture.
    ``relative_effectiveness`` is the attacker's factor over the defender's: how many times
    more effective, man for man, the attacking army was than the defending one once posture is
    accounted for.  ``intensity`` is the factor of the reference (Japanese) army, whose
    effectiveness is 1 by definition, so ``combat.engagement_rates(attacker_effectiveness,
    defender_effectiveness, intensity)`` gives back the fitted rates (1 = a standard day of
    battle in Dupuy's sense; battles without the reference army use the geometric mean).
    """

    battle: Battle
    exponent: float
    attacker_rate: float
    defender_rate: float
    attacker_casualties: float
    defender_casualties: float

    @property
    def attacker_factor(self) -> float:
        return self.attacker_rate / DUPUY_DEFENDER_DAILY_LOSS

    @property
    def defender_factor(self) -> float:
        return self.defender_rate / DUPUY_ATTACKER_DAILY_LOSS

    @property
    def intensity(self) -> float:
        if self.battle.defender_nation == REFERENCE_NATION:
            return self.defender_factor
        if self.battle.attacker_nation == REFERENCE_NATION:
            return self.attacker_factor
        return math.sqrt(self.attacker_factor * self.defender_factor)

    @property
    def relative_effectiveness(self) -> float:
        return self.attacker_factor / self.defender_factor


# Year of each CDB90 row (the tidy table has no date column): Changkufeng July-Aug 1938,
# Nomonhan May-Aug 1939, Jitra 11-12 Dec 1941.
_YEARS = {256: 1938, 257: 1938, 258: 1938, 259: 1939, 260: 1939, 487: 1941}


def load_battles() -> list[Battle]:
    """The theatre's CDB90 rows, read from the package data."""
    text = (resources.files("sim") / "data" / DATA_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    battles = []
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        isqno = int(row["isqno"])
        battles.append(
            Battle(
                isqno=isqno,
                name=row["battle"],
                attacker=row["attacker"],
                defender=row["defender"],
                attacker_nation=_nation(row["attacker"]),
                defender_nation=_nation(row["defender"]),
                attacker_men=float(row["att_str"]),
                defender_men=float(row["def_str"]),
                attacker_casualties=float(row["att_cas"]),
                defender_casualties=float(row["def_cas"]),
                days=float(row["days"]),
                year=_YEARS[isqno],
                source=f"battles_cdb90.csv isqno {isqno}",
            )
        )
    return battles


def khalkhin_gol_campaign(soviet_casualties: float = KG_SOVIET_CASUALTIES) -> Battle:
    """The whole Khalkhin Gol campaign as one Soviet attack over its 128 days.

    Treating the Soviets as the attacker follows the campaign's decisive phase (the 20-31 Aug
    offensive, KG-25) and how it ended; the Japanese May-July attacks are inside the totals.
    """
    return Battle(
        isqno=0,
        name="KHALKHIN GOL CAMPAIGN",
        attacker="SOV 1ST ARMY GROUP",
        defender="JAP 6TH ARMY",
        attacker_nation="soviet",
        defender_nation="japanese",
        attacker_men=KG_SOVIET_MEN,
        defender_men=KG_JAPANESE_MEN,
        attacker_casualties=soviet_casualties,
        defender_casualties=KG_JAPANESE_CASUALTIES,
        days=KG_DAYS,
        year=1939,
        source="history.md KG-01, KG-03, KG-09, KG-15, KG-19",
    )


def khasan_incident() -> Battle:
    """Lake Khasan as one Soviet attack over the incident's 13 days, to the archival totals
    (the Japanese attacks of 29-31 July inside them, like the Khalkhin Gol campaign's; KH-01)."""
    return Battle(
        isqno=0,
        name="LAKE KHASAN INCIDENT",
        attacker="SOV 39TH RIFLE CORPS",
        defender="JAP 19TH DIVISION",
        attacker_nation="soviet",
        defender_nation="japanese",
        attacker_men=KH_SOVIET_MEN,
        defender_men=KH_JAPANESE_MEN,
        attacker_casualties=KH_SOVIET_CASUALTIES,
        defender_casualties=KH_JAPANESE_CASUALTIES,
        days=KH_DAYS,
        year=1938,
        source="war_1938_45.md KH-01, KH-02, KH-03, KH-04 (ratio KH-07)",
    )


def kernel_elasticity(exponent: float, days: float, points: int = 15) -> float:
    """Slope of log(defender losses / attacker losses) on log(attacker / defender men).

    Battles of ``days`` days at Dupuy's base rates over the force ratios
    :data:`ELASTICITY_FORCE_RATIOS`, measured the way CDB90's elasticity is.  At low attrition
    the slope is exactly ``1 - exponent``; longer, bloodier battles push it up.
    """
    lo, hi = ELASTICITY_FORCE_RATIOS
    xs, ys = [], []
    defender = 10_000.0
    for ratio in np.geomspace(lo, hi, points):
        attacker = float(ratio) * defender
        att_loss, def_loss, _ = combat.fight(
            attacker, defender, days,
            red_rate=DUPUY_DEFENDER_DAILY_LOSS, blue_rate=DUPUY_ATTACKER_DAILY_LOSS,
            exponent=exponent,
        )
        xs.append(math.log(ratio))
        ys.append(math.log(def_loss / att_loss))
    return float(np.polyfit(xs, ys, 1)[0])


def fit_exponent(
    target: float = CDB90_ELASTICITY, durations: list[float] | None = None
) -> float:
    """The exponent whose kernel elasticity, averaged over battle durations, equals ``target``.

    The durations default to those of the theatre's CDB90 rows, so the exponent is fitted for
    battles of the lengths the kernel is calibrated on.
    """
    if durations is None:
        durations = [b.days for b in load_battles()]

    def gap(exponent: float) -> float:
        return float(np.mean([kernel_elasticity(exponent, d) for d in durations])) - target

    return float(optimize.brentq(gap, 0.0, 1.0, xtol=1e-6))


def fit_battle(battle: Battle, exponent: float | None = None) -> BattleFit:
    """Attacker and defender rates for which the kernel reproduces the battle's casualties.

    Two unknowns, two observed totals: solved exactly (in log space, from the low-attrition
    approximation as the starting point).
    """
    e = DEFAULT_EXPONENT if exponent is None else exponent
    a0, d0 = battle.attacker_men, battle.defender_men
    s = math.sqrt(a0 * d0)
    guess_att = battle.defender_casualties / (battle.days * a0 * (d0 / s) ** e)
    guess_def = battle.attacker_casualties / (battle.days * d0 * (a0 / s) ** e)
    target = np.log([battle.attacker_casualties, battle.defender_casualties])

    def residual(log_rates: np.ndarray) -> np.ndarray:
        att_loss, def_loss, _ = combat.fight(
            a0, d0, battle.days,
            red_rate=math.exp(log_rates[0]), blue_rate=math.exp(log_rates[1]), exponent=e,
        )
        return np.log([max(att_loss, 1e-300), max(def_loss, 1e-300)]) - target

    solution = optimize.root(residual, np.log([guess_att, guess_def]), method="hybr",
                             options={"xtol": 1e-12})
    if not solution.success or np.max(np.abs(residual(solution.x))) > 1e-8:
        raise RuntimeError(f"could not fit {battle.name}: {solution.message}")
    att_rate, def_rate = (float(v) for v in np.exp(solution.x))
    att_loss, def_loss, _ = combat.fight(
        a0, d0, battle.days, red_rate=att_rate, blue_rate=def_rate, exponent=e
    )
    return BattleFit(battle, e, att_rate, def_rate, att_loss, def_loss)


def effectiveness_of(fit: BattleFit, nation: str) -> float:
    """``nation``'s effectiveness relative to the Japanese army implied by one battle."""
    b = fit.battle
    if b.attacker_nation == nation and b.defender_nation == REFERENCE_NATION:
        return fit.relative_effectiveness
    if b.defender_nation == nation and b.attacker_nation == REFERENCE_NATION:
        return 1.0 / fit.relative_effectiveness
    raise ValueError(f"{b.name} is not a battle between the {nation} and Japanese armies")


def theatre_elasticity(battles: list[Battle] | None = None) -> float:
    """The raw elasticity of the theatre's own rows (a check, not a fit: six battles between
    three armies confound quality with force ratio)."""
    battles = load_battles() if battles is None else battles
    x = [math.log(b.attacker_men / b.defender_men) for b in battles]
    y = [math.log(b.defender_casualties / b.attacker_casualties) for b in battles]
    return float(np.polyfit(x, y, 1)[0])


def calibrate() -> dict[str, Any]:
    """Recompute every calibrated default of the combat kernel from the carried data.

    Returns the defaults (rounded as :mod:`sim.registry.combat` carries them), the unrounded
    values, and the per-battle fits for the documentation.
    """
    battles = {b.isqno: b for b in load_battles()}
    exponent = fit_exponent(durations=[b.days for b in battles.values()])
    e = round(exponent, ROUNDING["exponent"])
    fits = {isqno: fit_battle(b, e) for isqno, b in battles.items()}
    campaign = fit_battle(khalkhin_gol_campaign(), e)
    ratio_lo, ratio_hi = KG_RATIO_RANGE
    campaign_lo = fit_battle(khalkhin_gol_campaign(ratio_hi * KG_JAPANESE_CASUALTIES), e)
    campaign_hi = fit_battle(khalkhin_gol_campaign(ratio_lo * KG_JAPANESE_CASUALTIES), e)
    changkufeng = [effectiveness_of(fits[i], "soviet") for i in (256, 257, 258)]
    khasan = fit_battle(khasan_incident(), e)
    at_12, decay = intensity_law([(f.battle.days, f.intensity)
                                  for f in (khasan, fits[260], campaign)])
    soviet_1939 = effectiveness_of(campaign, "soviet")
    soviet_aug = effectiveness_of(fits[260], "soviet")
    share_1941 = armour_air_share(SFE_MEN, SFE_TANKS, SFE_AIRCRAFT)
    share_ags = armour_air_share(SFE_MEN, AGS_TANKS, AGS_AIRCRAFT)
    soviet_1941 = soviet_effectiveness_1941(soviet_1939, soviet_aug, share_1941)

    raw = {
        "exponent": exponent,
        "attacker_daily_loss": DUPUY_ATTACKER_DAILY_LOSS,
        "defender_daily_loss": DUPUY_DEFENDER_DAILY_LOSS,
        "japanese_effectiveness": 1.0,  # the reference army
        # Changkufeng's battle-level row (the engagement rows 256/257 bracket it)
        "soviet_effectiveness_1938": effectiveness_of(fits[258], "soviet"),
        # Khalkhin Gol whole campaign: KG-15/KG-19, the key target
        "soviet_effectiveness_1939": effectiveness_of(campaign, "soviet"),
        # the 20-31 Aug 1939 counteroffensive alone (498 tanks against 120)
        "soviet_effectiveness_aug_1939": effectiveness_of(fits[260], "soviet"),
        "western_effectiveness_1941": effectiveness_of(fits[487], "western"),
        "khalkhin_gol_intensity": campaign.intensity,
        "nomonhan_offensive_intensity": fits[260].intensity,
        # lognormal spreads: the Changkufeng engagement rows set the 5th percentile of 1938;
        # the 5th-95th band of 1939 covers the fits at both ends of KG-21's ratio range
        "soviet_effectiveness_1938_sigma": math.log(
            effectiveness_of(fits[258], "soviet") / min(changkufeng)
        ) / _Z95,
        "soviet_effectiveness_1939_sigma": max(
            math.log(effectiveness_of(campaign_hi, "soviet") / effectiveness_of(campaign, "soviet")),
            math.log(effectiveness_of(campaign, "soviet") / effectiveness_of(campaign_lo, "soviet")),
        ) / _Z95,
        "western_effectiveness_1941_sigma": math.log(WESTERN_SPREAD_FACTOR) / _Z95,
        # Lake Khasan from the archival totals (KH-07's ratio 2.8)
        "soviet_effectiveness_khasan": effectiveness_of(khasan, "soviet"),
        # the 1941 Far East by its own tank and aircraft counts; 5th percentile at 1939's value
        "soviet_effectiveness_1941": soviet_1941,
        "soviet_effectiveness_1941_sigma": math.log(soviet_1941 / soviet_1939) / _Z95,
        # what the Army General Staff's under-count (POL-Q2) would have made of it
        "soviet_effectiveness_1941_ags": soviet_effectiveness_1941(soviet_1939, soviet_aug,
                                                                   share_ags),
        "intensity_at_12_days": at_12,
        "intensity_decay": decay,
    }
    defaults = {key: round(value, ROUNDING[key]) for key, value in raw.items()}
    return {
        **defaults,
        "raw": raw,
        "battle_fits": fits,
        "campaign_fit": campaign,
        "soviet_effectiveness_1939_range": (
            effectiveness_of(campaign_lo, "soviet"), effectiveness_of(campaign_hi, "soviet")
        ),
        "soviet_effectiveness_1938_range": (min(changkufeng), max(changkufeng)),
        "khasan_fit": khasan,
        "armour_air_share_1941": share_1941,
        "armour_air_share_1941_ags": share_ags,
        "theatre_elasticity": theatre_elasticity(list(battles.values())),
    }


def _nation(unit: str) -> str:
    prefix = unit.split()[0]
    try:
        return NATIONS[prefix]
    except KeyError:
        raise ValueError(f"{DATA_FILE}: unknown army prefix {prefix!r} in {unit!r}") from None
