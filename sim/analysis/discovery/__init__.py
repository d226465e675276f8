"""Scenario discovery: in which corners of the assumptions does the target become likely?

We sample the assumptions widely (a Latin hypercube over the scenario's distributions, the
credible ranges of named parameters and the switches of the documented factors), run each point
for a few replications with common random numbers, and look for a few readable *boxes*
(``soviet_fe.men_1941_06 < 430,000 and neutrality_pact.enabled = false``) in which the target
event is frequent, with PRIM (the Patient Rule Induction Method of Friedman and Fisher, 1999, as
in the EMA Workbench).

:mod:`.prim` is the algorithm on plain arrays, :mod:`.adapters` samples and runs the points
(on a Python function or the real model) and :mod:`.result` holds what they hand back.
"""

from sim.analysis.discovery.adapters import (
    DEFAULT_REPLICATIONS,
    DEFAULT_SAMPLES,
    DEFAULT_TARGET,
    discover,
    discover_function,
    discover_model,
)
from sim.analysis.discovery.prim import DEFAULT_MIN_DENSITY, Box, PrimResult, prim
from sim.analysis.discovery.result import DiscoveryResult
from sim.analysis.space import factor_dimensions, latin_hypercube

__all__ = [
    "DEFAULT_MIN_DENSITY", "DEFAULT_REPLICATIONS", "DEFAULT_SAMPLES", "DEFAULT_TARGET", "Box",
    "DiscoveryResult", "PrimResult", "discover", "discover_function", "discover_model",
    "factor_dimensions", "latin_hypercube", "prim",
]
