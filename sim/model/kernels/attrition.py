"""The integrator behind the combat kernel (:mod:`sim.model.kernels.combat`).

Classical RK4 on the generalised Lanchester law with step control, reinforcement arrivals or
inflows, and breakpoints located on the cubic Hermite interpolant of each step.  ``lanchester``
and ``fight`` both call :func:`integrate`, so a trajectory and the fast path always agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Union

from sim.model.kernels.combat_inputs import (CombatInputError, arrivals_within, break_floor,
                                             complain)

#: Largest fraction of a side's strength one integration step may remove (RK4 step control).
STEP_FRACTION = 0.1
#: Longest integration step (days) when no inflow function has to be resolved.
MAX_STEP_DAYS = 30.0
#: Below this fraction of its initial strength a side's step is judged by its fractional loss
#: rate at this strength, so a square-law annihilation (whose fractional rate grows without
#: bound) is reached in a few steps instead of asymptotically.
_STRENGTH_FLOOR = 0.02

Arrivals = Iterable[tuple[float, float]]
Inflow = Callable[[float], float]
Reinforcements = Union[Arrivals, Inflow, None]

_INF = math.inf
#: How a battle ended, by the integer :func:`integrate` returns.
ENDINGS = ("time", "red_broke", "blue_broke")


def integrate(
    red0: float,
    blue0: float,
    days: float,
    red_rate: float,
    blue_rate: float,
    exponent: float,
    red_reinforcements: Reinforcements,
    blue_reinforcements: Reinforcements,
    step: float,
    red_break: float | None,
    blue_break: float | None,
    samples: list[tuple[float, float, float]] | None,
) -> tuple[float, float, float, int]:
    """Integrate the battle; returns ``(red_losses, blue_losses, duration, ending index)``.

    Classical RK4 with a step that removes at most :data:`STEP_FRACTION` of either side, clipped
    to reinforcement arrivals and the end of the battle.  The grid in ``samples`` (when given)
    is read off the cubic Hermite interpolant of each step and never feeds back, so ``fight``
    and ``lanchester`` take identical steps.  Breakpoints are located on the same interpolant.
    """
    try:
        # plain floats: numpy scalars or ints would slow the loop or leak into the results
        red0 = float(red0)
        blue0 = float(blue0)
        days = float(days)
        red_rate = float(red_rate)
        blue_rate = float(blue_rate)
        exponent = float(exponent)
        step = float(step)
        valid = (
            0.0 <= red0 < _INF and 0.0 <= blue0 < _INF and 0.0 <= days < _INF
            and 0.0 <= red_rate < _INF and 0.0 <= blue_rate < _INF
            and 0.0 <= exponent <= 1.0 and 0.0 < step < _INF
        )
    except (TypeError, ValueError):
        valid = False
    if not valid:
        complain(red0=red0, blue0=blue0, days=days, red_rate=red_rate, blue_rate=blue_rate,
                  exponent=exponent, step=step)

    break_floor("red_break", red_break, 1.0)  # checked even for a battle never joined
    break_floor("blue_break", blue_break, 1.0)
    red_inflow: Inflow | None = None
    blue_inflow: Inflow | None = None
    events: list[tuple[float, float, float]] = []
    if red_reinforcements is not None:
        if callable(red_reinforcements):
            red_inflow = red_reinforcements
        else:
            events.extend((t, men, 0.0) for t, men in arrivals_within("red", red_reinforcements, days))
    if blue_reinforcements is not None:
        if callable(blue_reinforcements):
            blue_inflow = blue_reinforcements
        else:
            events.extend((t, 0.0, men) for t, men in arrivals_within("blue", blue_reinforcements, days))
    if len(events) > 1:
        events.sort(key=_first)

    flows = red_inflow is not None or blue_inflow is not None
    t = 0.0
    R = red0
    B = blue0
    red_in = 0.0  # men added to red so far (arrivals and inflow)
    blue_in = 0.0
    n_events = len(events)
    ei = 0
    next_sample = 0  # index k of the next grid point k * step to record
    if R == 0.0 or B == 0.0:
        # nobody to fight yet: wait for the empty side's first men (a landing), or end here
        t, R, B, red_in, blue_in, ei, next_sample, ending = _join(
            days, step, R, B, events, red_inflow, blue_inflow, samples)
        if ending:
            return red0 + red_in - R, blue0 + blue_in - B, t, ending
    # a side's breakpoint and the reference strength are taken when the battle is joined:
    # at day 0, or on a landing side's first arrival
    red_floor = break_floor("red_break", red_break, R)
    blue_floor = break_floor("blue_break", blue_break, B)
    inv_s = 1.0 / math.sqrt(R * B)
    e = exponent
    r = red_rate
    b = blue_rate
    red_ref = _STRENGTH_FLOOR * R
    blue_ref = _STRENGTH_FLOOR * B
    h_cap = step if flows else MAX_STEP_DAYS

    loss_r = loss_b = 0.0
    fresh = False  # True when (loss_r, loss_b) already hold the loss rates at (t, R, B)
    pr = pb = 0.0  # inflow rates over the current step
    ending = 0

    while t < days:
        while ei < n_events and events[ei][0] <= t:
            _, add_r, add_b = events[ei]
            R += add_r
            B += add_b
            red_in += add_r
            blue_in += add_b
            ei += 1
            fresh = False
        if not fresh:
            loss_r = b * B * (R * inv_s) ** e
            loss_b = r * R * (B * inv_s) ** e
        # step control: remove at most STEP_FRACTION of either side per step, judging a side
        # nearly wiped out by its fractional loss rate at the floor strength
        if R > red_ref:
            rate = loss_r / R
        else:
            rate = b * B * (red_ref * inv_s) ** e / red_ref
        if B > blue_ref:
            rate += loss_b / B
        else:
            rate += r * R * (blue_ref * inv_s) ** e / blue_ref
        h = h_cap
        if rate * h > STEP_FRACTION:
            h = STEP_FRACTION / rate
        end = days
        if ei < n_events and events[ei][0] < end:
            end = events[ei][0]
        if flows:
            # steps end on the grid, so an inflow that changes from one day to the next is
            # integrated exactly
            boundary = (math.floor(t / step + 1e-9) + 1) * step
            if boundary < end:
                end = boundary
        if t + h >= end:
            h = end - t
            t_new = end
        else:
            t_new = t + h
        half = 0.5 * h
        if flows:
            # inflow held at its mid-step value: exact for rates linear in time or constant
            # between grid points
            t_mid = t + half
            pr = red_inflow(t_mid) if red_inflow is not None else 0.0
            pb = blue_inflow(t_mid) if blue_inflow is not None else 0.0
        k1r = pr - loss_r
        k1b = pb - loss_b
        x = R + half * k1r
        y = B + half * k1b
        x = x if x > 0.0 else 0.0
        y = y if y > 0.0 else 0.0
        k2r = pr - b * y * (x * inv_s) ** e
        k2b = pb - r * x * (y * inv_s) ** e
        x = R + half * k2r
        y = B + half * k2b
        x = x if x > 0.0 else 0.0
        y = y if y > 0.0 else 0.0
        k3r = pr - b * y * (x * inv_s) ** e
        k3b = pb - r * x * (y * inv_s) ** e
        x = R + h * k3r
        y = B + h * k3b
        x = x if x > 0.0 else 0.0
        y = y if y > 0.0 else 0.0
        k4r = pr - b * y * (x * inv_s) ** e
        k4b = pb - r * x * (y * inv_s) ** e
        sixth = h / 6.0
        R1 = R + sixth * (k1r + 2.0 * (k2r + k3r) + k4r)
        B1 = B + sixth * (k1b + 2.0 * (k2b + k3b) + k4b)
        # loss rates at the step's end: the Hermite interpolant's slopes and the next step's k1
        x = R1 if R1 > 0.0 else 0.0
        y = B1 if B1 > 0.0 else 0.0
        end_loss_r = b * y * (x * inv_s) ** e
        end_loss_b = r * x * (y * inv_s) ** e
        f1r = pr - end_loss_r
        f1b = pb - end_loss_b

        red_down = R1 < red_floor or R1 <= 0.0
        blue_down = B1 < blue_floor or B1 <= 0.0
        if red_down or blue_down:
            theta = 1.0
            if red_down:
                theta = _crossing(R, R1, h * k1r, h * f1r, red_floor)
                ending = 1
            if blue_down:
                theta_b = _crossing(B, B1, h * k1b, h * f1b, blue_floor)
                if theta_b < theta:
                    theta = theta_b
                    ending = 2
            t_end = t + theta * h
            R_end = _hermite(R, R1, h * k1r, h * f1r, theta)
            B_end = _hermite(B, B1, h * k1b, h * f1b, theta)
            if ending == 1:
                R_end = red_floor
            else:
                B_end = blue_floor
            R_end = R_end if R_end > 0.0 else 0.0
            B_end = B_end if B_end > 0.0 else 0.0
            red_in += pr * theta * h
            blue_in += pb * theta * h
            if samples is not None:
                next_sample = _record(samples, next_sample, step, t, t_end, h, R, R1, k1r, f1r,
                                      B, B1, k1b, f1b)
                samples.append((t_end, R_end, B_end))
            return red0 + red_in - R_end, blue0 + blue_in - B_end, t_end, ending

        if flows:
            red_in += pr * h
            blue_in += pb * h
        if samples is not None:
            next_sample = _record(samples, next_sample, step, t, t_new, h, R, R1, k1r, f1r,
                                  B, B1, k1b, f1b)
        R = R1
        B = B1
        loss_r = end_loss_r
        loss_b = end_loss_b
        fresh = True
        t = t_new

    if samples is not None:
        samples.append((t, R, B))
    return red0 + red_in - R, blue0 + blue_in - B, t, ending


def _first(event: tuple[float, float, float]) -> float:
    return event[0]


def _join(
    days: float,
    step: float,
    R: float,
    B: float,
    events: list[tuple[float, float, float]],
    red_inflow: Inflow | None,
    blue_inflow: Inflow | None,
    samples: list[tuple[float, float, float]] | None,
) -> tuple[float, float, float, float, float, int, int, int]:
    """Run the start of a battle in which a side has no men, until both sides have some.

    Nothing is lost while a side is empty: an amphibious landing's first wave is not fought
    before it is ashore.  An empty side that will still receive men (arrivals to come, or an
    inflow) is waited for; one that will not, or is still empty when the battle's time is up,
    has lost there and then (red first when both are empty).  Returns ``(t, R, B, red_in,
    blue_in, next event, next grid index, ending)`` with ending 0 when the battle is joined.
    """
    t = 0.0
    red_in = blue_in = 0.0
    n_events = len(events)
    ei = 0
    k = 0
    while True:
        while ei < n_events and events[ei][0] <= t:
            _, add_r, add_b = events[ei]
            R += add_r
            B += add_b
            red_in += add_r
            blue_in += add_b
            ei += 1
        if R > 0.0 and B > 0.0:
            return t, R, B, red_in, blue_in, ei, k, 0
        red_coming = red_inflow is not None or any(ev[1] > 0.0 for ev in events[ei:])
        blue_coming = blue_inflow is not None or any(ev[2] > 0.0 for ev in events[ei:])
        if t >= days or (R == 0.0 and not red_coming) or (B == 0.0 and not blue_coming):
            if samples is not None:
                k = _record_flat(samples, k, step, t, R, B, 0.0, 0.0)
                samples.append((t, R, B))
            if R == 0.0 and not red_coming:
                ending = 1
            elif B == 0.0 and not blue_coming:
                ending = 2
            else:  # time ran out before the empty side's men came
                ending = 1 if R == 0.0 else 2
            return t, R, B, red_in, blue_in, ei, k, ending
        end = days
        if ei < n_events and events[ei][0] < end:
            end = events[ei][0]
        if red_inflow is not None or blue_inflow is not None:
            boundary = (math.floor(t / step + 1e-9) + 1) * step
            if boundary < end:
                end = boundary
        h = end - t
        pr = red_inflow(t + 0.5 * h) if red_inflow is not None else 0.0
        pb = blue_inflow(t + 0.5 * h) if blue_inflow is not None else 0.0
        if samples is not None:
            k = _record_flat(samples, k, step, end, R, B, pr, pb, t)
        R += pr * h
        B += pb * h
        red_in += pr * h
        blue_in += pb * h
        t = end


def _record_flat(
    samples: list[tuple[float, float, float]],
    k: int,
    step: float,
    t1: float,
    R: float,
    B: float,
    pr: float,
    pb: float,
    t0: float | None = None,
) -> int:
    """Append the grid points before ``t1`` of a stretch without fighting (strengths grow
    only by the inflows ``pr``, ``pb`` from ``t0``); return the next grid index."""
    while k * step < t1:
        g = k * step
        since = g - t0 if t0 is not None else 0.0
        samples.append((g, R + pr * since, B + pb * since))
        k += 1
    return k


def _hermite(y0: float, y1: float, d0: float, d1: float, s: float) -> float:
    """Cubic Hermite interpolant on a step at fraction ``s`` (slopes already times h)."""
    s2 = s * s
    s3 = s2 * s
    return y0 + (3.0 * s2 - 2.0 * s3) * (y1 - y0) + (s3 - 2.0 * s2 + s) * d0 + (s3 - s2) * d1


def _crossing(y0: float, y1: float, d0: float, d1: float, level: float) -> float:
    """Fraction of the step at which the interpolant first falls to ``level`` (bisection).

    The step starts above the level and ends at or below it; 50 halvings locate the crossing
    to machine precision, which only happens once per battle.
    """
    lo, hi = 0.0, 1.0
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        if _hermite(y0, y1, d0, d1, mid) > level:
            lo = mid
        else:
            hi = mid
    return hi


def _record(
    samples: list[tuple[float, float, float]],
    k: int,
    step: float,
    t0: float,
    t1: float,
    h: float,
    R0: float, R1: float, dR0: float, dR1: float,
    B0: float, B1: float, dB0: float, dB1: float,
) -> int:
    """Append the grid points ``k * step`` that fall in ``[t0, t1)``; return the next ``k``."""
    while True:
        g = k * step
        if g >= t1:
            return k
        s = (g - t0) / h if h > 0.0 else 0.0
        red = _hermite(R0, R1, h * dR0, h * dR1, s)
        blue = _hermite(B0, B1, h * dB0, h * dB1, s)
        samples.append((g, red if red > 0.0 else 0.0, blue if blue > 0.0 else 0.0))
        k += 1
