"""Convergence: each headline estimate (the share of each decision, the mean of headline
outcomes) with its 95 % interval as replications accumulate, so a reader sees whether the run
was long enough: the line should have settled and the band narrowed to what the question needs.

Replications are taken in index order, which is the same whatever the number of workers, so
the figure is reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter, StrMethodFormatter

from sim import labels
from sim.formatting import format_thousands
from sim.plots.axes import category_colour, date_axis, new_figure, set_title, style_axes
from sim.plots.decisions import present_categories
from sim.plots.values import as_float, numeric_outcomes
from sim.stats import mean_interval, wilson_interval

#: Points along the replication axis (log-spaced), enough for a smooth line at any run size.
GRID_POINTS = 120
#: Fewer runs than this give intervals too wide to draw on the same scale.
FIRST_RUNS = 20
#: The numeric outcomes drawn when none are named: the first few headline ones.
DEFAULT_MEANS = 5


def replication_grid(n: int) -> np.ndarray:
    """Log-spaced run counts from :data:`FIRST_RUNS` to ``n`` (``n`` always included)."""
    first = min(FIRST_RUNS, n)
    return np.unique(np.geomspace(max(first, 1), max(n, 1), GRID_POINTS).astype(int))


def share_path(codes: np.ndarray, code: str, grid: np.ndarray) -> np.ndarray:
    """(share, low, high) of ``code`` among the first k runs, for each k of ``grid``."""
    hits = np.cumsum(codes == code)
    return np.array([wilson_interval(int(hits[k - 1]), int(k)) for k in grid])


def mean_path(x: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """(mean, low, high) of the first k runs' finite values, for each k of ``grid``."""
    return np.array([mean_interval(x[:k]) for k in grid])


def plot_convergence(results: Any, outcomes: Iterable[str] | None = None) -> Figure:
    """Running estimates with 95 % intervals against the number of replications: the share
    of each decision in one panel, the mean of each numeric outcome in its own."""
    n = int(getattr(results, "n", 0) or len(next(iter(results.outcomes.values()))))
    if n < 2:
        raise ValueError("a convergence plot needs at least two replications")
    grid = replication_grid(n)
    pool = numeric_outcomes(results, outcomes)
    means = pool if outcomes is not None else [o for o in pool if o.headline][:DEFAULT_MEANS]
    with_decision = "decision" in results.outcomes
    fig, axes = new_figure(int(with_decision) + len(means), 3, panel_size=(4.4, 3.0))
    panels = iter(axes)
    if with_decision:
        ax = next(panels)
        codes = np.asarray(results.outcomes["decision"]).astype(str)
        for code in present_categories("decision", codes):
            if not (codes == code).any():
                continue
            path = share_path(codes, code, grid)
            colour = category_colour("decision", code)
            ax.plot(grid, path[:, 0], color=colour, linewidth=1.5,
                    label=labels.display("decision", code))
            ax.fill_between(grid, path[:, 1], path[:, 2], color=colour, alpha=0.2, linewidth=0)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_ylim(0, 1)
        ax.set_ylabel("share of replications", fontsize=8)
        ax.set_title(labels.title("decision"), fontsize=9)
        ax.legend(fontsize=7, loc="center right", framealpha=0.85)
    for ax, outcome in zip(panels, means):
        path = mean_path(as_float(outcome, results.outcomes[outcome.name]), grid)
        ax.plot(grid, path[:, 0], color="#1f5f9f", linewidth=1.5)
        ax.fill_between(grid, path[:, 1], path[:, 2], color="#1f5f9f", alpha=0.2, linewidth=0)
        ax.set_title(labels.title(outcome.name), fontsize=9)
        ax.set_ylabel(f"mean, {labels.unit(outcome.name) or 'value'}", fontsize=8)
        if outcome.kind == "date":
            date_axis(ax, "y")
        else:  # a narrow range of large numbers: 17,400 and 17,600, not 17k twice
            ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.6g}"))
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlim(grid[0], grid[-1])
        ax.set_xlabel("replications", fontsize=8)
        ax.xaxis.set_major_formatter(FuncFormatter(format_thousands))
        style_axes(ax)
    set_title(fig, "Convergence: running estimate with its 95% interval", results)
    return fig
