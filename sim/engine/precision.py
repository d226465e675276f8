"""Precision instead of a number of runs: add whole chunks of replications until every
headline share is known to the asked 95% half-width, or the cap is reached.

The next target depends only on the results so far, so a run with ``--precision`` is exactly
a fixed run with the final number of replications.
"""

from __future__ import annotations

import math
from typing import Any

from sim import stats
from sim.engine.options import check_runs
from sim.errors import UserError
from sim.outcomes import OUTCOMES
from sim.results import ResultsBuilder

#: --precision without --max-runs stops here.
DEFAULT_MAX_RUNS = 200_000


def check_precision(precision: float | None, max_runs: int | None, runs: int) -> int | None:
    """The cap on replications of a run with ``precision`` (None for a fixed run), checked."""
    if precision is None:
        if max_runs is not None:
            raise UserError("--max-runs only applies with --precision")
        return None
    if not isinstance(precision, (int, float)) or not 0 < precision < 0.5:
        raise UserError(f"--precision: expected a half-width between 0 and 0.5 (e.g. 0.01 "
                        f"for ±1 point), got {precision!r}")
    cap = check_runs(max_runs, "--max-runs") if max_runs is not None \
        else max(DEFAULT_MAX_RUNS, runs)
    if cap < runs:
        raise UserError(f"--max-runs {cap} is below --runs {runs}; expected at least "
                        "as many")
    return cap


def headline_half_width(builder: ResultsBuilder) -> float:
    """Widest 95% Wilson half-width among the shares of the headline categorical outcomes."""
    worst = 0.0
    n = builder.n
    for o in OUTCOMES:
        if o.kind == "category" and o.headline:
            for k in builder.category_counts(o.name).tolist():
                worst = max(worst, stats.wilson_half_width(int(k), n) if n else 1.0)
    return worst


def next_target(builder: ResultsBuilder, record: dict[str, Any], current: int,
                chunk: int) -> int | None:
    """Replications to aim for after the first ``current``, or None when the run is done.

    ``record`` is the manifest's ``precision`` entry: it gets the half-width achieved and,
    once done, the runs needed and whether the target was reached.
    """
    width = headline_half_width(builder)
    record["achieved_half_width"] = width
    goal = record["target_half_width"]
    cap = int(record["max_runs"])
    if width <= goal or current >= cap:
        record["runs_needed"] = current
        record["reached"] = bool(width <= goal)
        return None
    return _wald_target(builder, current, goal, cap, chunk)


def _wald_target(builder: ResultsBuilder, current: int, precision: float, cap: int,
                 chunk: int) -> int:
    """The Wald estimate of what the widest share needs, plus 10%, rounded up to whole
    chunks (deterministic: depends only on the results so far)."""
    n = builder.n
    worst_p = 0.5
    best_gap = 1.0
    for o in OUTCOMES:
        if o.kind == "category" and o.headline:
            for k in builder.category_counts(o.name).tolist():
                p = k / n if n else 0.5
                if abs(p - 0.5) < best_gap:
                    best_gap, worst_p = abs(p - 0.5), p
    need = math.ceil(stats.required_runs(worst_p, precision) * 1.1)
    target = max(need, current + chunk)
    target = math.ceil(target / chunk) * chunk
    return min(target, cap)
