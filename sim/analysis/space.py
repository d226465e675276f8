"""The sampling space of an analysis: which parameters vary, and how a unit sample maps to a value.

Sensitivity analysis and scenario discovery both sample the unit hypercube (SALib's designs, a
Latin hypercube) and map each coordinate to one parameter through a :class:`Dimension`: through
the inverse CDF of the parameter's distribution in the scenario, uniformly over the documented
credible range of a fixed parameter named explicitly, or over the values of a category.  The
documented factors' switches are dimensions too (:func:`factor_dimensions`).  Dates travel
through the cube as day ordinals.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.factors import FACTORS
from sim.distributions import is_distribution
from sim.ensemble import Ensemble
from sim.errors import UserError, did_you_mean
from sim.registry.judgement import judgement_parameters
from sim.scenario.quoting import clip

if TYPE_CHECKING:  # pragma: no cover
    from sim.params import Param
    from sim.scenario import Scenario

#: An unbounded distribution asked for its 0th or 100th percentile is asked for this one instead.
_U_EPS = 1e-6


@dataclass(frozen=True)
class Dimension:
    """One varied parameter: how a unit sample maps to a value, and its OAT settings."""

    name: str
    kind: str  # "float", "int", "date", "bool", "choice"
    from_unit: Callable[[float], Any] = field(repr=False, compare=False)
    central: Any
    low: Any
    high: Any
    values: tuple[Any, ...] = ()  # the possible values of a categorical parameter
    origin: str = ""  # "distribution", "credible range", "range", "factor range"

    @property
    def categorical(self) -> bool:
        return self.kind in ("bool", "choice")

    def oat_settings(self) -> list[Any]:
        """Values tried one at a time: the two ends, or every value of a category."""
        return list(self.values) if self.categorical else [self.low, self.high]


def uniform_dimension(name: str, low: float, high: float) -> Dimension:
    """A number varied uniformly on [low, high] (for users' own models and tests)."""
    return Dimension(
        name=name, kind="float", from_unit=lambda u: low + (high - low) * u,
        central=(low + high) / 2, low=low, high=high, origin="range",
    )


def categorical_dimension(name: str, values: Sequence[Any], central: Any = None) -> Dimension:
    """A parameter taking one of ``values`` with equal probability."""
    vals = tuple(values)
    kind = "bool" if all(isinstance(v, bool) for v in vals) else "choice"
    return Dimension(
        name=name, kind=kind, from_unit=_pick(vals),
        central=vals[0] if central is None else central, low=vals[0], high=vals[-1],
        values=vals, origin="range",
    )


def _pick(values: tuple[Any, ...]) -> Callable[[float], Any]:
    def pick(u: float) -> Any:
        return values[min(int(u * len(values)), len(values) - 1)]

    return pick


def as_number(x: Any) -> float:
    """A sampled value as a coordinate: dates as day ordinals, numbers as floats."""
    return float(x.toordinal()) if isinstance(x, dt.date) else float(x)


def from_ordinal(x: float) -> dt.date:
    """The date of a (possibly fractional) day ordinal."""
    return dt.date.fromordinal(int(round(float(x))))


def _typed(kind: str, x: Any) -> Any:
    """A sampled number as the parameter's Python type (int rounded, date from ordinal)."""
    if kind == "int":
        return int(round(float(x)))
    if kind == "date":
        return x if isinstance(x, dt.date) else from_ordinal(x)
    if kind == "float":
        return float(x)
    return x


def _interval(kind: str, low: float, high: float) -> Callable[[float], Any]:
    """Uniform on [low, high] (numbers or day ordinals), typed as the parameter."""

    def from_unit(u: float) -> Any:
        return _typed(kind, low + (high - low) * u)

    return from_unit


def _safe_ppf(dist: Any, u: float) -> Any:
    """``dist.ppf(u)``, moving ``u`` in from 0 or 1 only where the answer would be infinite."""
    x = dist.ppf(u)
    if isinstance(x, float) and not math.isfinite(x):
        x = dist.ppf(min(max(u, _U_EPS), 1 - _U_EPS))
    return x


def dimensions_for(scenario: "Scenario", params: Sequence[str] | str | None = None) -> list[Dimension]:
    """The dimensions of a scenario's analysis: ``params``, else its uncertain parameters and
    the judgement parameters (:mod:`sim.registry.judgement`: a posterior's draws where the
    scenario has one, else their credible ranges)."""
    registry = scenario.registry
    values = scenario.values
    if isinstance(params, str):
        params = [p.strip() for p in params.split(",") if p.strip()]
    if not params:
        judgement = set(judgement_parameters(registry))
        names = [n for n in registry.names() if is_distribution(values.get(n)) or n in judgement]
        if not names:
            raise UserError(
                f"scenario `{scenario.name}` has no uncertain parameters; name some with --params"
            )
    else:
        names = list(dict.fromkeys(params))
    dims = []
    for name in names:
        if name not in registry:
            raise UserError(
                f"--params: unknown parameter `{clip(name, 60)}`{did_you_mean(name, registry.names())}"
            )
        dims.append(_dimension(registry[name], values[name], scenario.name))
    return dims


def _dimension(param: "Param", value: Any, scenario_name: str) -> Dimension:
    kind = param.kind
    if is_distribution(value):
        dist = value
        if kind in ("bool", "choice") or getattr(dist, "dist", None) == "choice":
            vals = tuple(dist.values)
            return Dimension(
                name=param.name, kind=kind if kind in ("bool", "choice") else "choice",
                from_unit=lambda u, d=dist: d.ppf(u),
                central=dist.ppf(0.5), low=vals[0], high=vals[-1], values=vals,
                origin="distribution",
            )

        def from_unit(u: float, d: Any = dist, k: str = kind) -> Any:
            return _typed(k, _safe_ppf(d, u))

        if param.credible is not None and not isinstance(dist, Ensemble):
            low, high = param.credible
        else:
            low, high = dist.ppf(0.05), dist.ppf(0.95)
        return Dimension(
            name=param.name, kind=kind, from_unit=from_unit, central=_typed(kind, dist.ppf(0.5)),
            low=_typed(kind, low), high=_typed(kind, high), origin="distribution",
        )
    if kind == "bool":
        return Dimension(
            name=param.name, kind=kind, from_unit=_pick((False, True)), central=value,
            low=False, high=True, values=(False, True), origin="range",
        )
    if kind == "choice":
        vals = tuple(param.choices or (value,))
        return Dimension(
            name=param.name, kind=kind, from_unit=_pick(vals), central=value,
            low=vals[0], high=vals[-1], values=vals, origin="range",
        )
    if param.credible is None:
        raise UserError(
            f"--params: `{param.name}` is fixed in scenario `{scenario_name}` and has no "
            "documented credible range; give it a distribution in the scenario to vary it"
        )
    lo, hi = param.credible
    return Dimension(
        name=param.name, kind=kind, from_unit=_interval(kind, as_number(lo), as_number(hi)),
        central=value, low=_typed(kind, lo), high=_typed(kind, hi), origin="credible range",
    )


def factor_dimensions(scenario: "Scenario") -> list[Dimension]:
    """The documented factors' switches as dimensions: true/false for a switch, the range
    between history and the counterfactual for a number (e.g. the China drain from 0 to 1)."""
    registry = scenario.registry
    dims = []
    for factor in FACTORS.values():
        for key, counterfactual in factor.overrides.items():
            if key not in registry:
                continue
            current = scenario.values[key]
            param = registry[key]
            if param.kind == "bool":
                dims.append(categorical_dimension(key, (False, True), central=current))
            elif param.kind in ("float", "int") and isinstance(current, (int, float)):
                lo, hi = sorted((float(current), float(counterfactual)))
                if lo < hi:
                    dims.append(
                        Dimension(
                            name=key, kind=param.kind, from_unit=_interval(param.kind, lo, hi),
                            central=current, low=lo, high=hi, origin="factor range",
                        )
                    )
            elif param.kind == "choice" and param.choices:
                dims.append(categorical_dimension(key, param.choices, central=current))
    return dims


def latin_hypercube(n: int, d: int, seed: int | None) -> np.ndarray:
    """``n`` points in the unit cube, one per stratum of every coordinate (random within it)."""
    rng = np.random.default_rng(seed)
    strata = np.array([rng.permutation(n) for _ in range(d)]).T
    return (strata + rng.random((n, d))) / n


def points_from_unit(dims: Sequence[Dimension], unit: np.ndarray) -> list[dict[str, Any]]:
    """Each row of a design in the unit cube as parameter values, one per dimension."""
    return [{d.name: d.from_unit(float(u)) for d, u in zip(dims, row)} for row in unit]
