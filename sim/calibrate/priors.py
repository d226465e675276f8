"""The parameters a calibration fits and their priors: uniform on each one's credible range.

The registry gives every judgement parameter a documented or reasoned credible range
(``Param.credible``, with its ``source``); a calibration's prior is uniform on that range, which
says no more than the range does.  ``--prior NAME=LOW:HIGH`` narrows or widens one (inside the
parameter's hard bounds).  The default set is the judgement parameters the issue names: the
decision weights and biases (the persimmon condition's weight among them), the belief learning
rates, the northern campaign's effectiveness and intensity, and the Far East transfer rates.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim.errors import UserError
from sim.params import Param, Registry
from sim.registry.judgement import JUDGEMENT_PATTERNS

#: The parameters ``sim calibrate`` fits unless ``--params`` names others (patterns).
DEFAULT_PARAMETERS: tuple[str, ...] = JUDGEMENT_PATTERNS


@dataclass(frozen=True)
class Prior:
    """A uniform prior on [low, high] for one registry parameter."""

    name: str
    low: float
    high: float
    kind: str
    source: str
    origin: str  # "credible" (the registry's range), "scenario" (its file says) or "--prior"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "dist": "uniform", "low": self.low, "high": self.high,
                "source": self.source, "origin": self.origin}


def _fittable(p: Param) -> bool:
    return p.kind in ("float", "int")


def select_parameters(patterns: Sequence[str], registry: Registry) -> list[str]:
    """Registry names matching ``patterns`` (exact names or ``group.*`` globs), in registry
    order; a pattern that matches no numeric parameter is an error."""
    chosen: list[str] = []
    for pattern in patterns:
        hits = [p.name for p in registry if fnmatch.fnmatchcase(p.name, pattern)]
        numeric = [n for n in hits if _fittable(registry[n])]
        if not numeric:
            what = "matches only parameters that are not numbers" if hits else \
                "matches no parameter"
            raise UserError(f"--params {pattern}: {what}; expected a numeric parameter such "
                            "as decision.w_oil or a pattern such as 'decision.*'")
        for n in numeric:
            if n not in chosen and (registry[n].credible is not None or pattern == n):
                chosen.append(n)
    return sorted(chosen, key=registry.names().index)


def parse_prior(text: str) -> tuple[str, float, float]:
    """``NAME=LOW:HIGH`` -> (name, low, high)."""
    name, sep, rng = text.partition("=")
    lo, colon, hi = rng.partition(":")
    try:
        low, high = float(lo), float(hi)
    except ValueError:
        low = high = math.nan
    if not sep or not colon or not (math.isfinite(low) and math.isfinite(high)):
        raise UserError(f"--prior {text}: expected NAME=LOW:HIGH such as "
                        "decision.w_oil=1.0:3.5")
    return name.strip(), low, high


def scenario_priors(scenario: Any) -> dict[str, tuple[float, float]]:
    """The priors a scenario's files state (:meth:`Scenario.stated_priors`)."""
    return scenario.stated_priors()


def build_priors(names: Sequence[str], overrides: Mapping[str, tuple[float, float]],
                 registry: Registry,
                 stated: Mapping[str, tuple[float, float]] | None = None) -> list[Prior]:
    """The prior of every fitted parameter: ``--prior`` overrides first, then the uniform the
    scenario states (``stated``), then the registry's credible range; the overrides' and the
    stated priors' names are fitted too."""
    stated = dict(stated or {})
    for name in overrides:
        if name not in registry:
            raise UserError(f"--prior {name}: no such parameter")
    out = []
    extra = [n for n in [*overrides, *stated] if n not in names]
    for name in [*names, *dict.fromkeys(extra)]:
        p = registry[name]
        if not _fittable(p):
            raise UserError(f"--prior {name}: only numeric parameters can be fitted")
        if name in overrides:
            low, high = overrides[name]
            origin = "--prior"
        elif name in stated:
            low, high = stated[name]
            origin = "scenario"
        elif p.credible is not None:
            low, high = (float(x) for x in p.credible)
            origin = "credible"
        else:
            raise UserError(f"{name} has no credible range in the registry; give its prior "
                            f"with --prior {name}=LOW:HIGH")
        if not low < high:
            raise UserError(f"prior of {name}: needs LOW < HIGH (got {low:g}:{high:g})")
        for end in (low, high):
            try:
                p.check(float(end) if p.kind == "float" else int(round(end)))
            except ValueError as exc:
                raise UserError(f"prior of {name}: {end:g} is not a value it may take "
                                f"({exc})") from None
        out.append(Prior(name, low, high, p.kind, p.source, origin))
    return sorted(out, key=lambda pr: registry.names().index(pr.name))
