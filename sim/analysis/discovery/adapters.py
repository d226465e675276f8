"""Scenario discovery on a plain Python model (:func:`discover_model`) or on the real one
(:func:`discover`): sample the assumptions with a Latin hypercube, run every point for a few
replications with one seed, and look for the boxes with PRIM."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sim.analysis.discovery.dating import later_parameters
from sim.analysis.discovery.prim import DEFAULT_MIN_DENSITY, prim
from sim.analysis.discovery.result import DiscoveryResult
from sim.analysis.discovery.robustness import (
    DEFAULT_RESAMPLES, check_scores_available, feature_scores, resampling_stability,
)
from sim.analysis.evaluation import (
    Evaluate,
    ModelChoice,
    PointModel,
    as_replications,
    check_design_size,
    pointwise,
    scenario_evaluator,
)
from sim.analysis.defaults import DEFAULT_OUTCOME
from sim.analysis.expressions import OutcomeExpression, compile_outcome
from sim.analysis.options import check_count, check_seed, format_count
from sim.analysis.space import (
    Dimension,
    dimensions_for,
    factor_dimensions,
    latin_hypercube,
    points_from_unit,
)
from sim.errors import UserError
from sim.scenario import Scenario, load_scenario
from sim.scenario.quoting import clip

DEFAULT_SAMPLES = 400
DEFAULT_REPLICATIONS = 8
DEFAULT_TARGET = DEFAULT_OUTCOME


def discover_function(
    evaluate: Evaluate,
    dims: Sequence[Dimension],
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = 1,
    min_density: float = DEFAULT_MIN_DENSITY,
    target: str = "target",
    label: str = "target",
    max_boxes: int = 3,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    resamples: int = DEFAULT_RESAMPLES,
    scores: bool = False,
) -> DiscoveryResult:
    """Sample ``dims`` with a Latin hypercube, evaluate, and run PRIM on the target share.

    ``evaluate(points)`` returns an ``(n, R)`` array of 0/1 target hits (or shares).  Each
    box comes with the quasi-p value of each restriction and how often it recurs over
    ``resamples`` bootstrap resamples (0: not measured); ``scores`` adds the extra-trees
    feature scores (needs scikit-learn).
    """
    if not dims:
        raise UserError("scenario discovery needs at least one parameter to vary")
    samples = check_count(samples, "--samples", 10, "for scenario discovery")
    max_boxes = check_count(max_boxes, "--max-boxes", 1)
    if not isinstance(min_density, (int, float)) or not 0 < min_density <= 1:
        raise UserError(f"--min-density must be in (0, 1], got {clip(repr(min_density), 40)}")
    seed = check_seed(seed)
    resamples = check_count(resamples, "--resamples", 0)
    if scores:
        check_scores_available()
    check_design_size(
        evaluate, samples, len(dims),
        f"discover: {format_count(samples)} sample points",
        "lower --samples or --replications",
    )
    points = points_from_unit(dims, latin_hypercube(samples, len(dims), seed))
    y = as_replications(evaluate(points))
    share = np.nan_to_num(np.nanmean(np.where(np.isnan(y), 0.0, y), axis=1))
    columns = {d.name: [p[d.name] for p in points] for d in dims}
    categorical = [d.name for d in dims if d.categorical]
    settings = {"min_density": min_density, "alpha": alpha, "min_mass": min_mass}
    found = prim(columns, share, categorical=categorical, max_boxes=max_boxes, replicated=y,
                 **settings)
    resampling_stability(columns, share, found.boxes, categorical=categorical,
                         seed=0 if seed is None else seed, resamples=resamples, **settings)
    return DiscoveryResult(
        target=target, label=label, boxes=found.boxes, base_density=found.base_density,
        points=samples, replications=y.shape[1], min_density=min_density, dimensions=list(dims),
        samples=points, hit_share=share, trajectory=found.trajectory, seed=seed,
        resamples=resamples,
        scores=feature_scores(dims, points, share, 0 if seed is None else seed) if scores
        else None,
    )


def discover(
    scenario: Scenario | str | Path,
    target: str | OutcomeExpression = DEFAULT_TARGET,
    samples: int = DEFAULT_SAMPLES,
    params: Sequence[str] | str | None = None,
    min_density: float = DEFAULT_MIN_DENSITY,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = 1,
    *,
    include_factors: bool = True,
    include_later: bool = False,
    max_boxes: int = 3,
    resamples: int = DEFAULT_RESAMPLES,
    scores: bool = False,
    workers: int | None = None,
    progress: bool | None = None,
    model: ModelChoice = None,
) -> DiscoveryResult:
    """Find the boxes of assumptions in which ``target`` is likely, on the real model.

    Varies the scenario's uncertain parameters and, unless ``include_factors=False``, the
    documented factors' switches; or exactly the parameters named in ``params``.  Parameters
    dated after the target is settled (a 1942 rate for a 1941 decision, see
    :mod:`.dating`) are left out unless named in ``params`` or ``include_later=True``.
    """
    if scores:
        check_scores_available()
    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    expr = (target if isinstance(target, OutcomeExpression)
            else compile_outcome(target, option="--target"))
    if not expr.is_event:
        raise UserError(
            f"--target {clip(expr.text)!r} is a number, not a condition; "
            f"write e.g. \"{clip(expr.text, 40)} > 1000\""
        )
    replications = check_count(replications, "--replications", 1)
    dims = _discovery_dimensions(scenario, params, include_factors)
    later = {} if params or include_later else later_parameters([d.name for d in dims],
                                                                expr.names)
    dims = [d for d in dims if d.name not in later]
    if not dims:
        raise UserError(f"every parameter to vary is dated after {clip(expr.text, 60)} is "
                        "settled; add --include-later to keep them, or name others with --params")
    evaluate = scenario_evaluator(
        scenario, expr, replications, seed, workers=workers, progress=progress, model=model
    )
    result = discover_function(
        evaluate, dims, samples=samples, seed=seed, min_density=min_density,
        target=expr.text, label=expr.label, max_boxes=max_boxes, resamples=resamples,
        scores=scores,
    )
    result.scenario = getattr(scenario, "name", "")
    result.left_out = {name: day.isoformat() for name, day in later.items()}
    return result


def _discovery_dimensions(scenario: Scenario, params: Sequence[str] | str | None, include_factors: bool) -> list[Dimension]:
    explicit = bool(params)
    try:
        dims = dimensions_for(scenario, params)
    except UserError:
        if explicit or not include_factors:
            raise
        dims = []  # no uncertain parameters: the factor switches alone
    if include_factors and not explicit:
        names = {d.name for d in dims}
        dims += [d for d in factor_dimensions(scenario) if d.name not in names]
    if not dims:
        raise UserError(f"scenario `{scenario.name}` has nothing to vary; name parameters with --params")
    return dims


def discover_model(
    model: PointModel,
    dims: Sequence[Dimension],
    **kwargs: Any,
) -> DiscoveryResult:
    """Scenario discovery on a plain Python model returning 0/1 hits (or a share) per point."""
    return discover_function(pointwise(model), dims, **kwargs)
