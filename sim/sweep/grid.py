"""The grid of a sweep: ``--vary KEY=LOW:HIGH:STEPS`` (or ``KEY=a,b``) parsed and checked
against the registry into the values one parameter takes."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.errors import UserError, did_you_mean
from sim.registry import REGISTRY
from sim.scenario.quoting import clip

MAX_POINTS = 400


@dataclass(frozen=True)
class Vary:
    """One swept parameter and the values it takes."""

    key: str
    values: tuple[Any, ...]
    kind: str
    unit: str = ""

    @property
    def label(self) -> str:
        return f"{self.key} ({self.unit})" if self.unit and self.kind != "date" else self.key


def parse_vary(text: str) -> Vary:
    """``KEY=LOW:HIGH:STEPS`` (or ``KEY=a,b,c`` for true/false and choices) -> :class:`Vary`."""
    key, sep, spec = text.partition("=")
    key = key.strip().removeprefix("params.")
    shown = clip(text)  # the option as quoted in messages
    if not sep or not key or not spec.strip():
        raise UserError(f"--vary `{shown}`: expected KEY=LOW:HIGH:STEPS such as "
                        "khalkhin_gol.soviet_men=40000:80000:5")
    if key not in REGISTRY:
        raise UserError(f"--vary: unknown parameter `{clip(key, 60)}`"
                        f"{did_you_mean(key, REGISTRY.names())};"
                        " see `sim show` for the parameter names")
    param = REGISTRY[key]
    spec = spec.strip()
    if param.kind in ("bool", "choice"):
        return Vary(key, _parse_list(param, spec, shown), param.kind, param.unit)
    parts = spec.split(":")
    if len(parts) != 3:
        raise UserError(f"--vary `{shown}`: expected KEY=LOW:HIGH:STEPS (three parts separated "
                        f"by `:`), got {len(parts)} part(s)")
    low_text, high_text = (clip(p.strip(), 40) for p in parts[:2])
    steps = _parse_steps(shown, parts[2].strip())
    if param.kind == "date":
        low, high = (_parse_date(shown, p.strip()) for p in parts[:2])
        if high <= low:
            raise UserError(f"--vary `{shown}`: HIGH ({high}) must be after LOW ({low})")
        grid: list[Any] = date_grid(low, high, steps, param.default)
    else:
        low_f, high_f = (_parse_number(shown, p.strip()) for p in parts[:2])
        if high_f <= low_f:
            raise UserError(f"--vary `{shown}`: HIGH ({high_text}) must be greater than LOW "
                            f"({low_text})")
        if not math.isfinite(high_f - low_f):
            raise UserError(f"--vary `{shown}`: the range from LOW to HIGH is too wide for a "
                            "float; expected a span below 1.8e308")
        numbers = np.linspace(low_f, high_f, steps)
        grid = [int(round(x)) if param.kind == "int" else float(round(x, 12)) for x in numbers]
    values: tuple[Any, ...] = tuple(dict.fromkeys(grid))
    if len(values) < 2:
        raise UserError(f"--vary `{shown}`: LOW and HIGH are too close to give two different "
                        "values; widen the range")
    for v in values:
        try:
            param.check(v)
        except ValueError as exc:
            raise UserError(f"--vary `{shown}`: {exc}") from None
    return Vary(key, values, param.kind, param.unit)


#: A date grid coarser than this (days between points) falls on calendar boundaries.
MONTHLY_STEP = 28


def date_grid(low: dt.date, high: dt.date, steps: int, documented: Any = None) -> list[dt.date]:
    """STEPS dates from LOW to HIGH that a reader recognises: when the points are a month or
    more apart, each one between the ends falls on the first of the nearest month, or on the
    ``documented`` date (the parameter's registry default) when that is nearer; a finer grid
    is whole days evenly spaced.  LOW and HIGH are kept as given."""
    days = np.linspace(low.toordinal(), high.toordinal(), steps)
    if (high - low).days / (steps - 1) < MONTHLY_STEP:
        return [dt.date.fromordinal(int(round(d))) for d in days]
    grid = [low]
    for d in days[1:-1]:
        day = dt.date.fromordinal(int(round(d)))
        first = day.replace(day=1)
        after = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        marks = [first, after]
        if isinstance(documented, dt.date) and low < documented < high:
            marks.append(documented)
        grid.append(min(marks, key=lambda m: (abs((m - day).days), m)))
    return [*grid, high]


def _parse_list(param: Any, spec: str, shown: str) -> tuple[Any, ...]:
    words = [w.strip() for w in spec.split(",") if w.strip()]
    values: list[Any] = []
    for w in words:
        v: Any = w
        if param.kind == "bool":
            if w.lower() not in ("true", "false"):
                raise UserError(f"--vary `{shown}`: {param.name} is true/false; expected "
                                "KEY=true,false")
            v = w.lower() == "true"
        try:
            values.append(param.check(v))
        except ValueError as exc:
            raise UserError(f"--vary `{shown}`: {exc}") from None
    distinct = tuple(dict.fromkeys(values))
    if len(distinct) < 2:
        opts = "true,false" if param.kind == "bool" else ",".join(map(str, param.choices or ()))
        raise UserError(f"--vary `{shown}`: expected at least two different values such as "
                        f"{param.name}={opts}")
    return distinct


def _parse_steps(shown: str, word: str) -> int:
    """STEPS, a whole number from 2 to MAX_POINTS (one of 5,000 digits is out of range, not a
    conversion error)."""
    digits = word[1:] if word[:1] in ("+", "-") else word
    if not (digits.isascii() and digits.isdigit()):
        raise UserError(f"--vary `{shown}`: STEPS must be a whole number, got `{clip(word, 40)}`")
    steps = int(word) if len(digits.lstrip("0")) <= len(str(MAX_POINTS)) else MAX_POINTS + 1
    if not 2 <= steps <= MAX_POINTS:
        raise UserError(f"--vary `{shown}`: STEPS must be between 2 and {MAX_POINTS}, got "
                        f"{clip(word, 40)}")
    return steps


def _parse_date(shown: str, word: str) -> dt.date:
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        raise UserError(f"--vary `{shown}`: `{clip(word, 40)}` is not an ISO date; expected e.g. "
                        "1941-06-22") from None


def _parse_number(shown: str, word: str) -> float:
    try:
        x = float(word)
    except ValueError:
        raise UserError(f"--vary `{shown}`: `{clip(word, 40)}` is not a number") from None
    if not math.isfinite(x):
        raise UserError(f"--vary `{shown}`: `{clip(word, 40)}` is not a finite number")
    return x
