"""The three methods: Sobol indices and Morris screening (SALib), and one at a time.

Each takes a batch evaluator (:mod:`sim.analysis.evaluation`) and the dimensions to vary
(:mod:`sim.analysis.space`), so it runs on any model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.analysis.evaluation import Evaluate, check_design_size, evaluate_points
from sim.analysis.options import check_count, check_seed, format_count
from sim.analysis.sensitivity.result import SensitivityResult, quiet_empty_rows, variance_split
from sim.analysis.space import Dimension, points_from_unit
from sim.errors import UserError, did_you_mean
from sim.formatting import SHARE_OF_RUNS
from sim.stats import mean_interval, wilson_interval

METHODS = ("sobol", "morris", "oat")
DEFAULT_SAMPLES = {"sobol": 32, "morris": 10, "oat": 1}
_SMALLER = "lower --samples or --replications, or vary fewer --params"
SALIB_MISSING = 'SALib is not installed; install the analysis extra: pip install "strike-north-or-south[analysis]"'


def _problem(dims: Sequence[Dimension]) -> dict[str, Any]:
    return {"num_vars": len(dims), "names": [d.name for d in dims], "bounds": [[0.0, 1.0]] * len(dims)}


def salib() -> Any:
    """SALib's Sobol and Morris samplers and analysers, or a one-line error without SALib.

    SALib is an optional extra: it is imported only when a Sobol or Morris analysis runs."""
    try:
        from SALib.analyze import morris as morris_analyze
        from SALib.analyze import sobol as sobol_analyze
        from SALib.sample import morris as morris_sample
        from SALib.sample import sobol as sobol_sample
    except ImportError:
        raise UserError(SALIB_MISSING) from None
    return sobol_sample, sobol_analyze, morris_sample, morris_analyze


def _point_means(y: np.ndarray, outcome: str) -> np.ndarray:
    with quiet_empty_rows():
        means = np.nanmean(y, axis=1)
    if np.isnan(means).any():
        # An outcome undefined in every replication of a point (e.g. a date of an attack that
        # never happens) has no mean there; variance-based indices need a number everywhere.
        raise UserError(
            f"outcome {outcome!r} is undefined in every replication of {int(np.isnan(means).sum())} "
            "sample points; choose an outcome defined in every run (e.g. a condition)"
        )
    return means


def sobol(
    evaluate: Evaluate,
    dims: Sequence[Dimension],
    samples: int = DEFAULT_SAMPLES["sobol"],
    seed: int | None = 1,
    *,
    outcome: str = "outcome",
    unit: str = "",
    num_resamples: int = 200,
) -> SensitivityResult:
    """First-order and total Sobol' indices (Saltelli design, ``samples * (d + 2)`` points)."""
    sobol_sample, sobol_analyze, _, _ = salib()
    _need_dims(dims)
    problem = _problem(dims)
    check_sobol_samples(samples)
    seed = check_seed(seed)
    d = len(dims)
    check_design_size(
        evaluate, samples * (d + 2), d,
        f"sensitivity --method sobol: {format_count(samples)} base samples x ({d} parameters + 2) = "
        f"{format_count(samples * (d + 2))} points", _SMALLER,
    )
    unit_x = sobol_sample.sample(problem, samples, calc_second_order=False, scramble=True, seed=seed)
    y = evaluate_points(evaluate, points_from_unit(dims, unit_x))
    means = _point_means(y, outcome)
    split = variance_split(y)
    var_means = float(np.var(means, ddof=1)) if len(means) > 1 else 0.0
    names = [d.name for d in dims]
    if var_means <= 0:
        zeros = {"S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0}
        indices = {n: dict(zeros) for n in names}
    else:
        res = sobol_analyze.analyze(
            problem, means, calc_second_order=False, num_resamples=num_resamples, seed=seed
        )
        indices = {
            n: {
                "S1": float(res["S1"][i]), "S1_conf": float(res["S1_conf"][i]),
                "ST": float(res["ST"][i]), "ST_conf": float(res["ST_conf"][i]),
            }
            for i, n in enumerate(names)
        }
    noise = split.chance / split.replications / var_means if var_means > 0 else 0.0
    return SensitivityResult(
        method="sobol", outcome=outcome, unit=unit, names=names, indices=indices,
        variance=split, points=len(unit_x), replications=y.shape[1], seed=seed,
        noise_floor=min(float(noise), 1.0),
    )


def morris(
    evaluate: Evaluate,
    dims: Sequence[Dimension],
    trajectories: int = DEFAULT_SAMPLES["morris"],
    seed: int | None = 1,
    *,
    outcome: str = "outcome",
    unit: str = "",
    num_levels: int = 4,
) -> SensitivityResult:
    """Morris elementary effects (``trajectories * (d + 1)`` points): mu*, sigma, mu.

    Grid levels are mapped to the middle of their quantile bands, so an unbounded distribution
    is never asked for its 0th or 100th percentile; effects are per unit step in probability.
    """
    _, _, morris_sample, morris_analyze = salib()
    _need_dims(dims)
    trajectories = check_count(trajectories, "--samples", 2, "(the number of Morris trajectories)")
    seed = check_seed(seed)
    d = len(dims)
    check_design_size(
        evaluate, trajectories * (d + 1), d,
        f"sensitivity --method morris: {format_count(trajectories)} trajectories x ({d} parameters + 1) = "
        f"{format_count(trajectories * (d + 1))} points", _SMALLER,
    )
    problem = _problem(dims)
    unit_x = morris_sample.sample(problem, trajectories, num_levels=num_levels, seed=seed)
    mid = (unit_x * (num_levels - 1) + 0.5) / num_levels
    y = evaluate_points(evaluate, points_from_unit(dims, mid))
    means = _point_means(y, outcome)
    res = morris_analyze.analyze(
        problem, unit_x, means, num_levels=num_levels, seed=seed, num_resamples=200
    )
    names = [d.name for d in dims]
    # SALib divides by the grid step; the model saw steps shrunk by (L - 1) / L (midpoints).
    scale = num_levels / (num_levels - 1)
    indices = {
        n: {
            "mu_star": scale * float(res["mu_star"][i]),
            "mu_star_conf": scale * float(res["mu_star_conf"][i]),
            "sigma": scale * float(res["sigma"][i]), "mu": scale * float(res["mu"][i]),
        }
        for i, n in enumerate(names)
    }
    return SensitivityResult(
        method="morris", outcome=outcome, unit=unit, names=names, indices=indices,
        variance=variance_split(y), points=len(unit_x), replications=y.shape[1], seed=seed,
    )


def oat(
    evaluate: Evaluate,
    dims: Sequence[Dimension],
    seed: int | None = 1,
    *,
    outcome: str = "outcome",
    unit: str = "",
) -> SensitivityResult:
    """One at a time: each parameter at both ends of its range (every value of a category)."""
    _need_dims(dims)
    central = {d.name: d.central for d in dims}
    points = [dict(central)]
    owners: list[tuple[str, Any]] = []
    for d in dims:
        for value in d.oat_settings():
            points.append({**central, d.name: value})
            owners.append((d.name, value))
    check_design_size(
        evaluate, len(points), len(dims),
        f"sensitivity --method oat: {len(points):,} points",
        "lower --replications, or vary fewer --params",
    )
    y = evaluate_points(evaluate, points)
    with quiet_empty_rows():
        means = np.nanmean(y, axis=1)
    baseline = float(means[0])
    bounds = [_interval(row, unit) for row in y]  # 95 % interval of each point's mean
    settings: dict[str, list[tuple[Any, float]]] = {d.name: [] for d in dims}
    intervals: dict[str, list[tuple[float, float]]] = {d.name: [] for d in dims}
    for (name, value), m, bound in zip(owners, means[1:], bounds[1:]):
        settings[name].append((value, float(m)))
        intervals[name].append(bound)
    indices = {}
    for d in dims:
        vals = [m for _, m in settings[d.name]]
        finite = [v for v in vals if math.isfinite(v)]
        indices[d.name] = {
            "low_value": vals[0],
            "high_value": vals[-1],
            "swing": (max(finite) - min(finite)) if finite else math.nan,
        }
    return SensitivityResult(
        method="oat", outcome=outcome, unit=unit, names=[d.name for d in dims], indices=indices,
        variance=variance_split(y[:1]), points=len(points), replications=y.shape[1], seed=seed,
        baseline=baseline, settings=settings, intervals=intervals,
        baseline_interval=bounds[0],
    )


def _interval(row: np.ndarray, unit: str) -> tuple[float, float]:
    """95 % interval of a point's mean: Wilson's for a share of runs (it stays in [0, 1]),
    the normal one otherwise."""
    if unit == SHARE_OF_RUNS:
        finite = row[np.isfinite(row)]
        return wilson_interval(int(np.count_nonzero(finite)), int(finite.size))[1:]
    return mean_interval(row)[1:]


def _need_dims(dims: Sequence[Dimension]) -> None:
    if not dims:
        raise UserError("sensitivity analysis needs at least one parameter to vary")
    if len({d.name for d in dims}) != len(dims):
        raise UserError("a parameter is listed twice in --params")


def check_method(method: str) -> None:
    """Raise a one-line error for a method that is not one of :data:`METHODS`."""
    if method not in METHODS:
        raise UserError(
            f"--method: unknown method `{method}`{did_you_mean(method, METHODS)}; "
            "expected sobol, morris or oat"
        )


def check_sobol_samples(samples: int) -> None:
    """Saltelli's design needs a power of 2 base samples."""
    samples = check_count(samples, "--samples", 2, "(a power of 2 for sobol, e.g. 64, 128)")
    if samples & (samples - 1):
        raise UserError(f"--samples for sobol must be a power of 2 (e.g. 64, 128), got "
                        f"{format_count(samples)}")


def run_method(
    evaluate: Evaluate, dims: Sequence[Dimension], method: str, samples: int | None,
    seed: int | None, outcome: str, unit: str,
) -> SensitivityResult:
    """Run ``method`` (``samples`` None: its default size) and return its result."""
    check_method(method)
    n = DEFAULT_SAMPLES[method] if samples is None else samples
    if method == "sobol":
        return sobol(evaluate, dims, n, seed, outcome=outcome, unit=unit)
    if method == "morris":
        return morris(evaluate, dims, n, seed, outcome=outcome, unit=unit)
    return oat(evaluate, dims, seed, outcome=outcome, unit=unit)
