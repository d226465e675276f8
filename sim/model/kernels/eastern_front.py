"""The Eastern Front's balances, 1941-42: the battle of Moscow and the 1942 summer campaign.

Pure functions over documented reference strengths (docs/model.md §6).  Every balance is a
log force ratio *relative to the historical one*, plus a calibrated historical margin, plus
luck (a standard normal from a fixed ``combat`` slot times a log-sd): a side that is stronger
than it was in 1941 does better than it did, by as much as the ratio says, and as history ran
the outcome has the calibrated chance.

Reference strengths (divisions; the derivations are in docs/model.md §6):

* Soviet defence of Moscow in October-November: EF-03's 1.25 M men at the 11,000-man
  establishment of 15 July 1941 (EF-14's note), about 114 division-equivalents, plus the new
  formations that reach the Moscow axis and the Far East divisions that arrive there;
* the December counteroffensive: EF-12's 71 divisions, of which EF-14's 9 from the Far East,
  so 62 from the reserve raised since Typhoon began;
* new formations: EF-11's 194 divisions in 5.3 months, about 37 a month; the share that
  reached the Moscow axis in October-November is what makes 62 of them (derived below).
"""

from __future__ import annotations

from math import log
from statistics import NormalDist

_NORMAL = NormalDist()

DAYS_PER_MONTH = 30.44
#: Men in a new Soviet rifle division after the 15 July 1941 establishment cut (EF-14's note).
MEN_PER_NEW_DIVISION = 11000.0
#: EF-03: the Western, Reserve and Bryansk Fronts on 1 Oct 1941, in division-equivalents.
DEFENCE_DIVISIONS = 1250000.0 / MEN_PER_NEW_DIVISION
#: EF-11: new divisions a month, 22 Jun - 1 Dec 1941 (194 in 5.3 months).
REFERENCE_MOBILISATION = 194.0 / 5.3
#: EF-12 and EF-14: the counteroffensive's 71 divisions less the 9 from the Far East.
COUNTEROFFENSIVE_RESERVE = 71.0 - 9.0
#: EF-14: Far East divisions that fought at Moscow.
REFERENCE_FE_AT_MOSCOW = 9.0
#: Days of Typhoon before the counteroffensive as history ran (2 Oct - 5 Dec 1941).
REFERENCE_TYPHOON_DAYS = 64.0
#: Share of the new formations that reached the Moscow axis during Typhoon (derived: the 62
#: reserve divisions of the counteroffensive over 37 a month for 64 days).
MOSCOW_AXIS_SHARE = COUNTEROFFENSIVE_RESERVE / (
    REFERENCE_MOBILISATION * REFERENCE_TYPHOON_DAYS / DAYS_PER_MONTH)
#: Days from the start of Typhoon to the crisis of the defence as history ran (2 Oct to the
#: second German drive of mid-November) and the Far East divisions in the line by then
#: (judgement: about half of EF-14's nine fought in the defence, such as the 32nd Rifle
#: Division at Borodino and the 78th at Istra).
REFERENCE_DEFENCE_DAYS = 44.0
REFERENCE_FE_IN_DEFENCE = 5.0
#: Far East divisions arriving this many days before Typhoon began already joined the Moscow
#: axis (the Mozhaisk line and the Reserve Front were manned from arrivals of late September,
#: among them the 32nd Rifle Division at Borodino).
GATHERING_DAYS = 14.0
#: The Germans take Moscow this many days after a counteroffensive too weak to throw them
#: back (the last German drive of early December had reached 30 km from the Kremlin).
FALL_AFTER_FAILED_COUNTEROFFENSIVE_DAYS = 14.0
#: German pressure over the winter after a counteroffensive of historical strength (the
#: German retreat of December-January) and at Typhoon's height.
WINTER_LEVEL = 0.6
TYPHOON_LEVEL = 1.2
#: The 1942 campaign: the Soviet reserve built from the end of the winter campaign (1 April
#: 1942) to Case Blue, at the Moscow axis share, is EF-17's ~1.0 M men in reserve; Far East
#: divisions that reached it (SFE-17's examples: five Far East and Transbaikal divisions at
#: Stalingrad in 1942).
REFERENCE_RESERVE_1942_DAYS = 88.0
REFERENCE_FE_1942 = 5.0
#: Chance, as history ran, that the Germans are stopped short of the Volga and the Caucasus
#: (the Stavka expected the blow at Moscow and was surprised in the south; judgement).
HELD_CHANCE_1942 = 0.25
#: Share of a winter counteroffensive's shortfall (or surplus) that still weighs on the 1942
#: balance: much of what the winter won was lost again in the spring (Kharkov, the Crimea,
#: Rzhev; judgement).
COUNTEROFFENSIVE_CARRYOVER = 0.5



def normal_deviate(u: float) -> float:
    """A standard normal from a uniform, kept finite at the ends."""
    if u <= 1e-12:
        u = 1e-12
    elif u >= 1.0 - 1e-12:
        u = 1.0 - 1e-12
    return _NORMAL.inv_cdf(u)


def margin_for(chance: float, sigma: float) -> float:
    """The historical margin (log force ratio) at which an outcome with normal luck of log-sd
    ``sigma`` goes the defender's way with probability ``chance``."""
    return sigma * _NORMAL.inv_cdf(chance)


def new_divisions(rate_per_month: float, days: float) -> float:
    """New formations that reach the Moscow axis in ``days`` at ``rate_per_month``."""
    return MOSCOW_AXIS_SHARE * rate_per_month * max(days, 0.0) / DAYS_PER_MONTH


def defence_margin(base: float, german: float, reserve: float, fe: float) -> float:
    """Log margin of the Moscow defence at its crisis: ``base`` (the historical margin), the
    German strength relative to 1941 (``german``), new divisions and Far East divisions in
    the line, each against the historical defence."""
    soviet = DEFENCE_DIVISIONS + reserve + fe
    reference = (DEFENCE_DIVISIONS + new_divisions(REFERENCE_MOBILISATION, REFERENCE_DEFENCE_DAYS)
                 + REFERENCE_FE_IN_DEFENCE)
    return base + log(soviet / reference) - log(german)


def counteroffensive_ratio(reserve: float, fe: float, fe_weight: float) -> float:
    """Strength of the December counteroffensive relative to history: reserve divisions plus
    Far East divisions counted at ``fe_weight`` (their quality and timing, CF-10)."""
    reference = COUNTEROFFENSIVE_RESERVE + fe_weight * REFERENCE_FE_AT_MOSCOW
    return max(reserve + fe_weight * fe, 1e-9) / reference


def counteroffensive_margin(base: float, german: float, ratio: float) -> float:
    """Log margin of the counteroffensive: it throws the Germans back from Moscow if positive."""
    return base + log(ratio) - log(german)


def winter_level(ratio: float) -> float:
    """German pressure over the winter: lower the stronger the counteroffensive was, never
    above Typhoon's."""
    return min(WINTER_LEVEL / max(ratio, 1e-9), TYPHOON_LEVEL)


def reserve_ratio_1942(rate_per_month: float, days: float, fe: float) -> float:
    """The 1942 Soviet reserve (new formations since 1 April plus Far East arrivals) against
    EF-17's."""
    reference = (new_divisions(REFERENCE_MOBILISATION, REFERENCE_RESERVE_1942_DAYS)
                 + REFERENCE_FE_1942)
    return max(new_divisions(rate_per_month, days) + fe, 1e-9) / reference


def case_blue_reach(push: float, luck: float, sigma: float, collapse_chance: float) -> str:
    """How far the 1942 summer campaign goes: ``push`` is the log German advantage over the
    1942 reference (German strength, a fallen Moscow or a weak winter counteroffensive, less
    the Soviet reserve); as history ran the Germans reach the Volga and the Caucasus
    (EF-16, EF-17), are held short with :data:`HELD_CHANCE_1942` and break the USSR with
    ``collapse_chance``."""
    x = push + sigma * luck
    if x < sigma * _NORMAL.inv_cdf(HELD_CHANCE_1942):
        return "held"
    if x > sigma * _NORMAL.inv_cdf(1.0 - collapse_chance):
        return "collapse"
    return "volga"
