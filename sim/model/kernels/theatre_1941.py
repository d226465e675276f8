"""What the combat calibration says about 1941: the intensity of a battle by its length and the
Soviet Far East's effectiveness by its armour and air (docs/combat.md §1941).

Pure arithmetic on documented figures, without the fitting machinery of
:mod:`sim.model.kernels.calibration` (which uses these functions), so the campaign model can
read the intensity law without importing scipy.
"""

from __future__ import annotations

import math

import numpy as np

#: Soviet-Mongol manpower of the August 1939 offensive: Zhukov's 1st Army Group (KG-03).
KG_SOVIET_MEN = 57_000.0
#: Armour and air per man, Soviet side: the August 1939 offensive (KG-03, KG-04, KG-07), the
#: Soviet Far East on 22 June 1941 by its own count (SFE-01, SFE-03, SFE-04) and by the Army
#: General Staff's estimate (POL-Q2: 2,700 tanks, 2,800 aircraft, the same ~700,000 men, KT-05).
KG_SOVIET_TANKS = 498.0  # KG-04
KG_SOVIET_AIRCRAFT = 550.0  # KG-07
SFE_MEN = 703_714.0  # SFE-01
SFE_TANKS = 3_188.0  # SFE-03
SFE_AIRCRAFT = 4_140.0  # SFE-04
AGS_TANKS = 2_700.0  # POL-Q2
AGS_AIRCRAFT = 2_800.0  # POL-Q2


def intensity_law(battles: list[tuple[float, float]]) -> tuple[float, float]:
    """``(intensity at 12 days, decay)`` of ``intensity(d) = I12 * (d / 12) ** -decay``.

    ``battles`` are ``(days, fitted intensity)`` pairs.  Least squares in logs over whole
    Soviet-Japanese engagements: the longer the fighting, the more of it is quiet days, so the
    average day is less intense (Khasan's 13 days, the 12-day August offensive, the 128-day
    campaign).  The northern battles read their intensity off this
    law at their length instead of taking a standard Dupuy day for a month.
    """
    xs = [math.log(days / 12.0) for days, _ in battles]
    ys = [math.log(intensity) for _, intensity in battles]
    slope, intercept = np.polyfit(xs, ys, 1)
    return float(math.exp(intercept)), float(-slope)


def intensity_at(days: float, at_12_days: float, decay: float) -> float:
    """Intensity (multiple of Dupuy's base rates) of a battle that may last ``days`` days."""
    return at_12_days * (days / 12.0) ** -decay


def armour_air_share(men: float, tanks: float, aircraft: float) -> float:
    """Tanks and aircraft per man as a share of the August 1939 offensive's (mean of the two)."""
    return 0.5 * ((tanks / men) / (KG_SOVIET_TANKS / KG_SOVIET_MEN)
                  + (aircraft / men) / (KG_SOVIET_AIRCRAFT / KG_SOVIET_MEN))


def soviet_effectiveness_1941(campaign: float, august: float, share: float) -> float:
    """The 1941 Far East's effectiveness between the 1939 army's two fits.

    The campaign fit is the Red Army of 1939 over a whole campaign; the August fit is the same
    army with its armour and air massed (498 tanks, ~550 aircraft for 57,000 men).  The Far East
    of 1941 had far more of both in total (SFE-03, SFE-04) but spread over ~700,000 men: about
    half August 1939's density.  Interpolated in logs by that share.
    """
    return campaign * (august / campaign) ** share
