"""Sensitivity analysis on a plain Python model (:func:`analyse_function`) or on the real one
(:func:`analyse`: every sample point runs as a scenario, all with one seed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sim.analysis.evaluation import ModelChoice, PointModel, pointwise, scenario_evaluator
from sim.analysis.defaults import DEFAULT_OUTCOME
from sim.analysis.expressions import OutcomeExpression, compile_outcome
from sim.analysis.sensitivity.methods import (
    check_method,
    check_sobol_samples,
    run_method,
    salib,
)
from sim.analysis.options import check_count
from sim.analysis.sensitivity.result import SensitivityResult
from sim.analysis.space import Dimension, dimensions_for
from sim.scenario import Scenario, load_scenario

#: Replications per sample point.  One-at-a-time has few points, so it can afford enough
#: replications to resolve a rare event such as a northern strike at a few percent.
DEFAULT_REPLICATIONS = {"sobol": 16, "morris": 16, "oat": 200}


def analyse_function(
    model: PointModel,
    dims: Sequence[Dimension],
    method: str = "sobol",
    samples: int | None = None,
    seed: int | None = 1,
    *,
    outcome: str = "outcome",
) -> SensitivityResult:
    """Run a method on a plain Python model (one call per point)."""
    return run_method(pointwise(model), dims, method, samples, seed, outcome, "")


def analyse(
    scenario: Scenario | str | Path,
    method: str = "sobol",
    outcome: str | OutcomeExpression = DEFAULT_OUTCOME,
    params: Sequence[str] | str | None = None,
    samples: int | None = None,
    replications: int | None = None,
    seed: int | None = 1,
    *,
    workers: int | None = None,
    progress: bool | None = None,
    model: ModelChoice = None,
) -> SensitivityResult:
    """Sensitivity of an outcome of the real model to a scenario's uncertain assumptions."""
    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    check_method(method)
    if replications is None:
        replications = DEFAULT_REPLICATIONS[method]
    replications = check_count(replications, "--replications", 1)
    expr = outcome if isinstance(outcome, OutcomeExpression) else compile_outcome(outcome)
    dims = dimensions_for(scenario, params)
    if method == "sobol" and samples is not None:
        check_sobol_samples(samples)
    if method != "oat":
        salib()  # fail fast, before any simulation
    evaluate = scenario_evaluator(
        scenario, expr, replications, seed, workers=workers, progress=progress, model=model
    )
    result = run_method(evaluate, dims, method, samples, seed, expr.text, expr.unit)
    result.scenario = getattr(scenario, "name", "")
    return result
