"""Strike North or South: a counterfactual Monte Carlo model of Japan's 1939-1941 choice.

The public Python API (used by the CLI and by notebooks)::

    import sim
    scenario = sim.load_scenario("scenarios/historical.yaml", overrides={"embargo.enabled": False})
    results = sim.run(scenario, runs=1000, seed=1)
    results.outcomes["decision"]          # one numpy array per outcome
    results.rows()                        # one dict per replication
    results.write("results/no-embargo")   # manifest.json, runs.csv, summary.json, plots/
    with sim.WorkerPool() as pool:        # worker processes kept up across runs
        results = sim.run(scenario, runs=1000, seed=1, pool=pool)

Names are imported lazily so that ``import sim`` (and the CLI's start-up) stays fast.
``sim.run`` and ``sim.load_results`` come from :mod:`sim.api`, which gives the engine and the
results the standard figure writer (they sit below the figures and cannot draw on their own).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_scenario": "sim.scenario",
    "Scenario": "sim.scenario",
    "REGISTRY": "sim.registry",
    "simulate": "sim.model",
    "run": "sim.api",
    "run_replication": "sim.engine",
    "WorkerPool": "sim.engine",
    "Results": "sim.results",
    "load_results": "sim.api",
    "UserError": "sim.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
