"""Combat kernel: a generalized (Helmbold-type) Lanchester attrition law for two sides.

Each side's losses per day are proportional to the enemy's strength and to a power of its own::

    dBlue/dt = -red_rate  * Red  * (Blue / S) ** exponent + P_blue(t)
    dRed/dt  = -blue_rate * Blue * (Red  / S) ** exponent + P_red(t)

``exponent`` spans the classical laws: 0 is Lanchester's *square* law (aimed fire,
``dBlue/dt = -red_rate * Red``), 1 the *linear* law (area fire, losses proportional to the
product of both strengths), values in between the intermediate laws the historical record
favours.  ``S = sqrt(red0 * blue0)`` is one reference strength shared by both sides.  Because it
is common to both equations it cancels from the casualty-exchange ratio, so the exponent alone
sets how that ratio responds to the force ratio (its elasticity is ``1 - exponent``), and the
daily loss fractions do not depend on the size of the battle, only on the force ratio: with
equal forces ``red_rate`` *is* the fraction of blue lost per day.  Effectiveness multipliers
scale the rates.  See ``docs/combat.md`` for the closed forms and the calibration.

``lanchester`` returns the trajectory; ``fight`` is the allocation-free fast path for Monte
Carlo inner loops and returns exactly the same totals (both run the same integrator,
:func:`sim.model.kernels.attrition.integrate`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.kernels.attrition import ENDINGS, CombatInputError, Reinforcements, integrate
from sim.registry.combat import ATTACKER_DAILY_LOSS, DEFAULT_EXPONENT, DEFENDER_DAILY_LOSS

__all__ = ["CombatInputError", "Trajectory", "engagement_rates", "fight", "lanchester"]


@dataclass(frozen=True)
class Trajectory:
    """A battle's course: strengths on a regular time grid and its totals."""

    days: np.ndarray
    red: np.ndarray
    blue: np.ndarray
    red_losses: float
    blue_losses: float
    duration: float
    ended_by: str


def lanchester(
    red0: float,
    blue0: float,
    days: float,
    *,
    red_rate: float,
    blue_rate: float,
    exponent: float = DEFAULT_EXPONENT,
    red_reinforcements: Reinforcements = None,
    blue_reinforcements: Reinforcements = None,
    step: float = 1.0,
    red_break: float | None = None,
    blue_break: float | None = None,
) -> Trajectory:
    """Fight a battle for ``days`` days and return its daily trajectory.

    ``red_rate`` is the per-day attrition coefficient red inflicts on blue (and vice versa).
    Reinforcements are a sequence of ``(day, men)`` arrivals, which join at the start of their
    day (``floor(day)``), or a callable ``inflow(t) -> men/day``.  A side whose strength falls
    below ``break * initial strength`` breaks and the battle ends there; without a breakpoint a
    side fights until it is wiped out.  ``step`` is the spacing of the returned time grid (and
    the longest integration step when an inflow callable has to be resolved).
    """
    samples: list[tuple[float, float, float]] = []
    red_losses, blue_losses, duration, ending = integrate(
        red0, blue0, days, red_rate, blue_rate, exponent,
        red_reinforcements, blue_reinforcements, step, red_break, blue_break, samples,
    )
    grid = np.fromiter((s[0] for s in samples), dtype=float, count=len(samples))
    red = np.fromiter((s[1] for s in samples), dtype=float, count=len(samples))
    blue = np.fromiter((s[2] for s in samples), dtype=float, count=len(samples))
    return Trajectory(grid, red, blue, red_losses, blue_losses, duration, ENDINGS[ending])


def fight(
    red0: float,
    blue0: float,
    days: float,
    *,
    red_rate: float,
    blue_rate: float,
    exponent: float = DEFAULT_EXPONENT,
    red_reinforcements: Reinforcements = None,
    blue_reinforcements: Reinforcements = None,
    step: float = 1.0,
    red_break: float | None = None,
    blue_break: float | None = None,
) -> tuple[float, float, float]:
    """``(red_losses, blue_losses, duration)`` of the battle :func:`lanchester` would fight.

    Same arguments, same integrator, same numbers, but no arrays: for Monte Carlo inner loops.
    """
    red_losses, blue_losses, duration, _ = integrate(
        red0, blue0, days, red_rate, blue_rate, exponent,
        red_reinforcements, blue_reinforcements, step, red_break, blue_break, None,
    )
    return red_losses, blue_losses, duration


def engagement_rates(
    attacker_effectiveness: float = 1.0,
    defender_effectiveness: float = 1.0,
    intensity: float = 1.0,
    *,
    attacker_daily_loss: float = ATTACKER_DAILY_LOSS,
    defender_daily_loss: float = DEFENDER_DAILY_LOSS,
) -> tuple[float, float]:
    """``(attacker_rate, defender_rate)`` from Dupuy's base rates and effectiveness multipliers.

    The attacker inflicts the defender's base loss (1.5%/day against equal forces), the defender
    the attacker's (2.8%/day); ``intensity`` scales both (a quiet front < 1, an assault > 1).
    Pass the base rates drawn for a replication (``combat.attacker_daily_loss`` ...) to let
    their uncertainty through.
    """
    return (
        defender_daily_loss * attacker_effectiveness * intensity,
        attacker_daily_loss * defender_effectiveness * intensity,
    )
