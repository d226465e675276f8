"""Shapley attribution on the real model: run all ``2**k`` factor combinations of a scenario
with one seed and attribute the change of an outcome."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.analysis.evaluation import ModelChoice, outcome_matrix
from sim.analysis.expressions import OutcomeExpression, compile_outcome
from sim.analysis.factors import Factor, combined_overrides, select_factors
from sim.analysis.options import check_count
from sim.analysis.shapley.result import Attribution
from sim.analysis.shapley.values import (
    DEFAULT_BOOTSTRAP,
    attribute_matrix,
    check_attribution_size,
    check_factor_count,
)
from sim.scenario import Scenario, load_scenario

DEFAULT_RUNS = 500


def coalition_scenarios(scenario: Scenario, factors: Sequence[Factor]) -> list[Scenario]:
    """The ``2**k`` scenarios, index = bit mask of the switched factors."""
    check_factor_count(len(factors))
    return [
        scenario.with_overrides(
            combined_overrides(factors, [i for i in range(len(factors)) if mask >> i & 1])
        )
        for mask in range(1 << len(factors))
    ]


def attribute(
    scenario: Scenario | str | Path,
    outcome: str | OutcomeExpression,
    factors: Sequence[Factor | str] | str | None = None,
    runs: int = DEFAULT_RUNS,
    seed: int | None = 1,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    *,
    confidence: float = 0.95,
    workers: int | None = None,
    progress: bool | None = None,
    model: ModelChoice = None,
) -> Attribution:
    """Run all ``2**k`` factor combinations of a scenario and attribute the outcome's change.

    ``factors``: documented factor names (a list or "a,b,c"), :class:`Factor` objects, or None
    for all documented factors.  One ``run_batch`` call with one seed gives common random
    numbers across the combinations.  ``model`` (``module:function``) runs another model
    than :func:`sim.model.simulate`, as ``sim run --model`` does; ``progress`` shows a bar on
    stderr (None: when stderr is a terminal).
    """
    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    expr = outcome if isinstance(outcome, OutcomeExpression) else compile_outcome(outcome)
    chosen = _resolve_factors(factors)
    runs = check_count(runs, "--runs", 2, "for a bootstrap interval")
    bootstrap = check_count(bootstrap, "--bootstrap", 0)
    check_attribution_size(len(chosen), runs, bootstrap, simulated=True)
    scenarios = coalition_scenarios(scenario, chosen)
    matrix, results = outcome_matrix(
        scenarios, expr, runs, seed, workers=workers, progress=progress, model=model
    )
    att = attribute_matrix(
        matrix,
        [f.name for f in chosen],
        bootstrap=bootstrap,
        seed=seed if seed is not None else 0,
        confidence=confidence,
        outcome=expr.text,
        unit=expr.unit,
        labels=[f.label for f in chosen],
    )
    # with seed=None the engine drew a fresh seed: report it so the run can be repeated
    att.seed = seed if seed is not None else _seed_used(results)
    att.scenario = getattr(scenario, "name", "")
    att.factors = list(chosen)
    return att


def _seed_used(results: Sequence[Any]) -> int | None:
    manifest = getattr(results[0], "manifest", None) if results else None
    seed = manifest.get("seed") if isinstance(manifest, dict) else None
    return int(seed) if isinstance(seed, int) else None


def _resolve_factors(factors: Sequence[Factor | str] | str | None) -> list[Factor]:
    if factors is None or isinstance(factors, str):
        return select_factors(factors)
    names = [f for f in factors if isinstance(f, str)]
    objects = [f for f in factors if isinstance(f, Factor)]
    if names and not objects:
        return select_factors(names)
    return select_factors(names, objects) if names else select_factors([], objects)
