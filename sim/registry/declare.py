"""Shorthands for declaring registry parameters: each fixes the unit and bounds its kind implies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sim.params import Param

D = dt.date


def number(name: str, default: Any, unit: str, source: str, description: str,
         credible: tuple[Any, Any] | None = None, bounds: tuple[Any, Any] | None = (0.0, None),
         kind: str = "float") -> Param:
    return Param(name=name, default=default, unit=unit, source=source, description=description,
                 kind=kind, credible=credible, bounds=bounds)  # type: ignore[arg-type]


def integer(name: str, default: Any, unit: str, source: str, description: str,
         credible: tuple[Any, Any] | None = None,
         bounds: tuple[Any, Any] | None = (0, None)) -> Param:
    return number(name, default, unit, source, description, credible, bounds, kind="int")


def fraction(name: str, default: Any, source: str, description: str,
          credible: tuple[float, float] | None = None) -> Param:
    return number(name, default, "fraction", source, description, credible, (0.0, 1.0))


def date_param(name: str, default: Any, source: str, description: str,
          credible: tuple[dt.date, dt.date] | None = None) -> Param:
    return Param(name=name, default=default, unit="date", source=source, description=description,
                 kind="date", credible=credible, bounds=(D(1939, 1, 1), D(1950, 12, 31)))


def switch(name: str, default: bool, source: str, description: str) -> Param:
    return Param(name=name, default=default, unit="", source=source, description=description,
                 kind="bool")


def choice(name: str, default: str, choices: tuple[str, ...], source: str,
            description: str) -> Param:
    return Param(name=name, default=default, unit="", source=source, description=description,
                 kind="choice", choices=choices)
