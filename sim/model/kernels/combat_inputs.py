"""Argument checks of the combat kernel (:mod:`sim.model.kernels.attrition`): one-line errors
that name the argument out of range."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from sim.errors import UserError

_INF = math.inf


class CombatInputError(UserError, ValueError):
    """An argument of the combat kernel outside its meaningful range."""


def break_floor(name: str, fraction: float | None, initial: float) -> float:
    """Strength below which a side breaks (0 without a breakpoint)."""
    if fraction is None:
        return 0.0
    if not 0.0 <= fraction < 1.0:
        raise CombatInputError(
            f"combat: `{name}` must be a fraction of initial strength in [0, 1), got {fraction!r}"
        )
    return fraction * initial


def arrivals_within(side: str, spec: Iterable[tuple[float, float]],
                    days: float) -> list[tuple[float, float]]:
    """Validated ``(start of day, men)`` arrivals that fall inside the battle."""
    out = []
    try:
        items = list(spec)
    except TypeError:
        raise CombatInputError(
            f"combat: `{side}_reinforcements` must be (day, men) pairs or a function of time, "
            f"got {type(spec).__name__}"
        ) from None
    for item in items:
        try:
            day, men = item
            day = float(day)
            men = float(men)
        except (TypeError, ValueError):
            raise CombatInputError(
                f"combat: `{side}_reinforcements` entries must be (day, men) pairs, got {item!r}"
            ) from None
        if not (0.0 <= day < _INF and 0.0 <= men < _INF):
            raise CombatInputError(
                f"combat: `{side}_reinforcements` needs day >= 0 and men >= 0, got {item!r}"
            )
        start = float(math.floor(day))
        if start < days and men > 0.0:
            out.append((start, men))
    return out


def complain(**values: object) -> None:
    """Raise a one-line error naming the first argument out of range."""
    expected = {
        "red0": "a number of men >= 0",
        "blue0": "a number of men >= 0",
        "days": "a number of days >= 0",
        "red_rate": "a daily attrition rate >= 0",
        "blue_rate": "a daily attrition rate >= 0",
        "exponent": "a number in [0, 1] (0 = square law, 1 = linear law)",
        "step": "a number of days > 0",
    }
    for name, value in values.items():
        ok = isinstance(value, (int, float, np.floating, np.integer)) and math.isfinite(value)
        number = float(value) if ok else 0.0  # type: ignore[arg-type]
        if ok and name == "exponent":
            ok = 0.0 <= number <= 1.0
        elif ok and name == "step":
            ok = number > 0.0
        elif ok:
            ok = number >= 0.0
        if not ok:
            raise CombatInputError(f"combat: `{name}` must be {expected[name]}, got {value!r}")
    raise CombatInputError(f"combat: invalid arguments {values!r}")  # pragma: no cover
