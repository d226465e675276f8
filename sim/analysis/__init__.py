"""Why did Japan not strike north?  Three quantitative answers.

* :mod:`sim.analysis.shapley`: exact Shapley attribution of an outcome's change to documented
  factors (Khalkhin Gol, the pacts, the embargo, the China war, Barbarossa), declared in
  :mod:`sim.analysis.factors`.
* :mod:`sim.analysis.sensitivity`: Sobol, Morris and one-at-a-time sensitivity to the uncertain
  assumptions (SALib), separating disagreement about assumptions from the fog of war.
* :mod:`sim.analysis.discovery`: PRIM scenario discovery, the boxes of assumptions in which a
  target outcome becomes likely.

Outcomes are written as safe expressions (:mod:`sim.analysis.expressions`, evaluated by
:mod:`sim.analysis.interpreter`).  Sensitivity and discovery vary the same dimensions
(:mod:`sim.analysis.space`) and run their points through one evaluator
(:mod:`sim.analysis.evaluation`); the charts are in :mod:`sim.analysis.plots`.  Every size an
analysis is asked for is checked against memory before anything runs (:mod:`sim.analysis.options`).  Each
method has a core that runs on any Python callable and an adapter for the real model::

    from sim.analysis import attribute, analyse, discover
    att = attribute("scenarios/historical.yaml", "decision == 'north'", runs=500, seed=1)
    print(att.table())
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "compile_outcome": "sim.analysis.expressions",
    "outcome_named": "sim.analysis.expressions",
    "ExpressionError": "sim.analysis.expressions",
    "OutcomeExpression": "sim.analysis.expressions",
    "Factor": "sim.analysis.factors",
    "FACTORS": "sim.analysis.factors",
    "select_factors": "sim.analysis.factors",
    "attribute": "sim.analysis.shapley",
    "attribute_function": "sim.analysis.shapley",
    "Attribution": "sim.analysis.shapley",
    "analyse": "sim.analysis.sensitivity",
    "analyse_function": "sim.analysis.sensitivity",
    "SensitivityResult": "sim.analysis.sensitivity",
    "discover": "sim.analysis.discovery",
    "discover_model": "sim.analysis.discovery",
    "prim": "sim.analysis.discovery",
    "DiscoveryResult": "sim.analysis.discovery",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sim.analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
