"""The judgement parameters: the weights, biases and rates that no document states, set
inside a credible range by reasoning (docs/model.md) and fitted to the decision record by
``sim calibrate``.

Named here, in the inputs layer, because three analyses share the set: the calibration fits
it, and ``sim sensitivity`` and ``sim discover`` vary it by default (at its posterior's
range when the scenario carries one, else at its credible range), so that "what the record
cannot pin down" is part of every answer about the assumptions.
"""

from __future__ import annotations

import fnmatch

from sim.params import Registry

#: The parameters a calibration fits unless told otherwise (patterns, registry order).
JUDGEMENT_PATTERNS: tuple[str, ...] = (
    "decision.*", "belief.*", "north.soviet_effectiveness", "north.intensity",
    "soviet_fe.transfer_divisions_per_month", "soviet_fe.transfer_sigma",
    "soviet_fe.sorge_release_divisions_per_month",
)


def judgement_parameters(registry: Registry) -> list[str]:
    """Numeric parameters matching :data:`JUDGEMENT_PATTERNS` that have a credible range."""
    return [p.name for p in registry
            if p.kind in ("float", "int") and p.credible is not None
            and any(fnmatch.fnmatchcase(p.name, pat) for pat in JUDGEMENT_PATTERNS)]
