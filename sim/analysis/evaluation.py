"""Running the points of an analysis: ``evaluate(points) -> (n_points, R)`` replicated values.

The analysis methods take such a batch evaluator so that they run on any model;
:func:`pointwise` adapts a plain Python function of one point, and :func:`scenario_evaluator`
runs every point as a scenario of the real model, all with one seed (common random numbers, so
that replication *j* of every point shares its random streams).  :func:`check_design_size`
refuses a design too big for memory before it is sampled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.options import check_memory, design_memory, format_count, results_memory
from sim.analysis.expressions import OutcomeExpression
from sim.engine import run_batch

if TYPE_CHECKING:  # pragma: no cover
    from sim.scenario import Scenario

Evaluate = Callable[[list[dict[str, Any]]], np.ndarray]
#: A model of one point: its value, or one value per replication.
PointModel = Callable[[Mapping[str, Any]], float | Sequence[float] | np.ndarray]
#: What the engine runs (``model=`` of :func:`sim.engine.run_batch`): a function, its
#: ``module:function`` name, or None for the campaign model.
ModelChoice = Callable[..., Any] | str | None


def as_replications(values: Any) -> np.ndarray:
    """Values as a float matrix with one row per point (a single value per point: one column)."""
    y = np.asarray(values, dtype=np.float64)
    return y[:, None] if y.ndim == 1 else y


def evaluate_points(evaluate: Evaluate, points: list[dict[str, Any]]) -> np.ndarray:
    """``evaluate(points)`` as a matrix, checked to hold one row per point."""
    y = as_replications(evaluate(points))
    if y.shape[0] != len(points):
        raise ValueError(f"evaluate returned {y.shape[0]} rows for {len(points)} points")
    return y


def pointwise(model: PointModel) -> Evaluate:
    """Adapt a per-point model ``model(values) -> value or replications`` to a batch evaluator."""

    def evaluate(points: list[dict[str, Any]]) -> np.ndarray:
        rows = [np.atleast_1d(np.asarray(model(p), dtype=np.float64)) for p in points]
        return np.vstack(rows)

    return evaluate


def outcome_matrix(
    scenarios: Sequence["Scenario"],
    expr: OutcomeExpression,
    replications: int,
    seed: int | None,
    *,
    workers: int | None = None,
    progress: bool | None = None,
    model: ModelChoice = None,
) -> tuple[np.ndarray, list[Any]]:
    """Run the scenarios together (one seed) and evaluate ``expr``: one row per scenario, one
    column per replication; with the results, whose manifests say which seed was used."""
    results = run_batch(scenarios, replications, seed, workers=workers, progress=progress,
                        model=model, keep_series=False)  # the outcomes are all it reads
    return np.vstack([expr.evaluate(r.outcomes) for r in results]), results


@dataclass(frozen=True)
class ScenarioEvaluator:
    """A batch evaluator that runs each point as a scenario (``R`` replications, one seed)."""

    scenario: "Scenario"
    expr: OutcomeExpression
    replications: int
    seed: int | None
    workers: int | None = None
    progress: bool | None = None
    model: ModelChoice = None

    def __call__(self, points: list[dict[str, Any]]) -> np.ndarray:
        scenarios = [self.scenario.with_overrides(p) for p in points]
        matrix, _ = outcome_matrix(
            scenarios, self.expr, self.replications, self.seed, workers=self.workers,
            progress=self.progress, model=self.model,
        )
        return matrix


def scenario_evaluator(
    scenario: "Scenario",
    expr: OutcomeExpression,
    replications: int,
    seed: int | None,
    *,
    workers: int | None = None,
    progress: bool | None = None,
    model: ModelChoice = None,
) -> Evaluate:
    """The :class:`ScenarioEvaluator` of ``scenario``: its points through the engine."""
    return ScenarioEvaluator(scenario, expr, replications, seed, workers, progress, model)


def check_design_size(evaluate: Evaluate, points: int, dimensions: int, what: str, advice: str) -> None:
    """Refuse a design too big for memory before it is sampled: the design itself and, when
    the points run as scenarios, their results.  ``what`` names the method and its size."""
    needed = design_memory(points, dimensions)
    if isinstance(evaluate, ScenarioEvaluator):
        needed += results_memory(points, evaluate.replications, series=False)
        what += (f" x {format_count(evaluate.replications)} replications = "
                 f"{format_count(points * evaluate.replications)} replications in all")
    check_memory(needed, what, advice)
