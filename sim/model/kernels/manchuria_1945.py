"""The August 1945 war in Manchuria as arithmetic (docs/model.md §6c): pure functions.

The Soviet offensive is fought with the combat kernel (:func:`sim.model.kernels.combat.fight`)
as a series of battles: one for each sector of Soviet territory Japan still holds (a northern
branch), then Manchuria itself.  In each battle ``engaged_share`` of both armies is in contact
(the Soviet first echelon against the Kwantung Army's frontier forces: the kernel's loss
fractions do not depend on the size of a battle, so the share sets the casualties and leaves
the pace to the force ratio and the effectiveness).  A battle ends when the Japanese engaged
force breaks (at the strength the encircled Japanese broke at in August 1939, CDB90-260) or
when its time runs out; the war ends when the Manchurian battle breaks the Kwantung Army, or
at the horizon.  The Soviets attack at the Far East's 1941 effectiveness times its combat
strength per man after the 1945 build-up (T25, SFE-23); the Japanese at their army's quality.
"""

from __future__ import annotations

from typing import NamedTuple

from sim.model.kernels.combat import fight
from sim.model.kernels.theatre_1941 import intensity_at

#: Longest one battle of the offensive is allotted (days; the intensity is the calibrated
#: law's for a battle of that length, or of the time left if less).
BATTLE_DAYS = 30.0
#: A battle shorter than this is not begun (the horizon is too close).
MIN_DAYS = 1.0


class Offensive(NamedTuple):
    """What the August 1945 war cost and how it ended."""

    soviet_losses: float
    japanese_losses: float
    days: float
    broken: bool  # the Kwantung Army broke in Manchuria (else the horizon ended the war)
    sectors_retaken: int  # Soviet sectors taken back before the Manchurian battle


def soviet_effectiveness_1945(base: float, strength_per_man: float) -> float:
    """The Far East's effectiveness per man after the build-up: the 1941 value (armour and air
    per man, docs/combat.md) times the combat strength the veteran formations add per man."""
    return base * strength_per_man


def offensive(soviets: float, japanese: float, days: float, *, soviet_effectiveness: float,
              japanese_quality: float, held_sectors: int, engaged_share: float,
              attacker_daily_loss: float, defender_daily_loss: float, exponent: float,
              japanese_break: float, intensity_at_12: float, intensity_decay: float) -> Offensive:
    """Fight the Soviet offensive: ``held_sectors`` battles for Soviet ground, then Manchuria.

    The Soviets attack (they suffer ``attacker_daily_loss`` x the Japanese quality), the
    Japanese defend (``defender_daily_loss`` x the Soviet effectiveness).  Each battle takes
    ``engaged_share`` of what each side has left; the war stops when the Manchurian battle
    breaks the Japanese, a battle ends without a break, or ``days`` run out.
    """
    su_total = jp_total = elapsed = 0.0
    retaken = 0
    broken = False
    for battle in range(held_sectors + 1):
        left = days - elapsed
        if left < MIN_DAYS or soviets <= 0.0 or japanese <= 0.0:
            break
        allotted = min(BATTLE_DAYS, left)
        intensity = intensity_at(allotted, intensity_at_12, intensity_decay)
        red = engaged_share * soviets
        blue = engaged_share * japanese
        su_lost, jp_lost, duration = fight(
            red, blue, allotted,
            red_rate=defender_daily_loss * soviet_effectiveness * intensity,
            blue_rate=attacker_daily_loss * japanese_quality * intensity,
            exponent=exponent, blue_break=japanese_break)
        su_total += su_lost
        jp_total += jp_lost
        soviets -= su_lost
        japanese -= jp_lost
        elapsed += duration
        if blue - jp_lost > japanese_break * blue * (1.0 + 1e-9):
            break  # the Japanese held to the end of the battle's time
        if battle < held_sectors:
            retaken += 1
        else:
            broken = True
    return Offensive(su_total, jp_total, elapsed, broken, retaken)
