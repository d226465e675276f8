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
    if not sep or not key or not spec.strip():
        raise UserError(f"--vary `{text}`: expected KEY=LOW:HIGH:STEPS such as "
                        "khalkhin_gol.soviet_men=40000:80000:5")
    if key not in REGISTRY:
        raise UserError(f"--vary: unknown parameter `{key}`{did_you_mean(key, REGISTRY.names())};"
                        " see `sim show` for the parameter names")
    param = REGISTRY[key]
    spec = spec.strip()
    if param.kind in ("bool", "choice"):
        return Vary(key, _parse_list(param, spec, text), param.kind, param.unit)
    parts = spec.split(":")
    if len(parts) != 3:
        raise UserError(f"--vary `{text}`: expected KEY=LOW:HIGH:STEPS (three parts separated "
                        f"by `:`), got {len(parts)} part(s)")
    low_text, high_text, steps_text = (p.strip() for p in parts)
    try:
        steps = int(steps_text)
    except ValueError:
        raise UserError(f"--vary `{text}`: STEPS must be a whole number, got `{steps_text}`"
                        ) from None
    if not 2 <= steps <= MAX_POINTS:
        raise UserError(f"--vary `{text}`: STEPS must be between 2 and {MAX_POINTS}, got {steps}")
    if param.kind == "date":
        low, high = (_parse_date(text, t) for t in (low_text, high_text))
        if high <= low:
            raise UserError(f"--vary `{text}`: HIGH ({high}) must be after LOW ({low})")
        days = np.linspace(low.toordinal(), high.toordinal(), steps)
        values: tuple[Any, ...] = tuple(dict.fromkeys(dt.date.fromordinal(int(round(d)))
                                                      for d in days))
    else:
        low_f, high_f = (_parse_number(text, t) for t in (low_text, high_text))
        if high_f <= low_f:
            raise UserError(f"--vary `{text}`: HIGH ({high_text}) must be greater than LOW "
                            f"({low_text})")
        grid = np.linspace(low_f, high_f, steps)
        if param.kind == "int":
            values = tuple(dict.fromkeys(int(round(x)) for x in grid))
        else:
            values = tuple(float(round(x, 12)) for x in grid)
    for v in values:
        try:
            param.check(v)
        except ValueError as exc:
            raise UserError(f"--vary `{text}`: {exc}") from None
    return Vary(key, values, param.kind, param.unit)


def _parse_list(param: Any, spec: str, text: str) -> tuple[Any, ...]:
    words = [w.strip() for w in spec.split(",") if w.strip()]
    values: list[Any] = []
    for w in words:
        v: Any = w
        if param.kind == "bool":
            if w.lower() not in ("true", "false"):
                raise UserError(f"--vary `{text}`: {param.name} is true/false; expected "
                                "KEY=true,false")
            v = w.lower() == "true"
        try:
            values.append(param.check(v))
        except ValueError as exc:
            raise UserError(f"--vary `{text}`: {exc}") from None
    if len(values) < 2:
        opts = "true,false" if param.kind == "bool" else ",".join(map(str, param.choices or ()))
        raise UserError(f"--vary `{text}`: expected at least two values such as "
                        f"{param.name}={opts}")
    return tuple(dict.fromkeys(values))


def _parse_date(text: str, word: str) -> dt.date:
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        raise UserError(f"--vary `{text}`: `{word}` is not an ISO date; expected e.g. "
                        "1941-06-22") from None


def _parse_number(text: str, word: str) -> float:
    try:
        x = float(word)
    except ValueError:
        raise UserError(f"--vary `{text}`: `{word}` is not a number") from None
    if not math.isfinite(x):
        raise UserError(f"--vary `{text}`: `{word}` is not a finite number")
    return x
