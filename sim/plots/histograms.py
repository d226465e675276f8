"""Distributions of outcomes: histograms (share of replications per bin) with their ECDFs."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sim.formatting import format_thousands
from sim.outcomes import Outcome
from sim.plots.axes import date_axis, unit_label, new_figure, outcome_title, set_title, style_axes
from sim.plots.documented import documented_outcome, mark_documented_value
from sim.plots.values import as_float, format_value, numeric_outcomes

#: Order of the shared legend's entries.
_LEGEND_ORDER = {"histogram": 0, "median": 1, "documented range": 2, "documented value": 3,
                 "ECDF": 4}


def histogram_bins(x: np.ndarray, outcome: Outcome
                   ) -> tuple[int | np.ndarray, tuple[float, float]]:
    """Bins and range for the finite values ``x``: whole days for a few dates, room around a
    single value; shared by overlaid histograms so that they compare bin by bin."""
    lo, hi = float(np.min(x)), float(np.max(x))
    if hi - lo < 1e-9:  # one value: a single bar with some room around it
        if outcome.kind == "date":
            return 1, (lo - 0.5, hi + 0.5)
        half = max(0.5, abs(lo) * 0.05)
        return 1, (lo - half, hi + half)
    n_bins = int(min(40, max(8, math.sqrt(x.size))))
    if outcome.kind == "date" and hi - lo < 2 * n_bins:
        n_bins = max(1, int(hi - lo) + 1)
    return n_bins, (lo, hi)


def draw_distribution(ax: Axes, outcome: Outcome, values: np.ndarray, *, colour: str,
                      label: str | None = None, ecdf: bool = True, alpha: float = 0.45,
                      ecdf_axis: Axes | None = None, bins: Any = None,
                      value_range: tuple[float, float] | None = None,
                      outline: bool = False, linestyle: str = "-") -> Axes | None:
    """Histogram (share of replications per bin) and, on a right-hand axis, the ECDF.

    ``outline`` draws the histogram as an unfilled step line (with ``linestyle``), so that
    overlaid scenarios stay visible even where they coincide.
    """
    x = as_float(outcome, values)
    finite = x[np.isfinite(x)]
    if finite.size == 0:
        return ecdf_axis
    auto_bins, auto_range = histogram_bins(finite, outcome)
    weights = np.full(finite.size, 1.0 / x.size)  # share of *all* replications
    ax.hist(finite, bins=bins if bins is not None else auto_bins,
            range=value_range or auto_range, weights=weights, color=colour,
            alpha=1.0 if outline else alpha, label=label or "histogram",
            histtype="step" if outline else "stepfilled", edgecolor=colour,
            linewidth=1.3 if outline else 0.8, linestyle=linestyle)
    if ecdf:
        twin = ecdf_axis or ax.twinx()
        xs = np.sort(finite)
        ys = np.arange(1, xs.size + 1) / x.size
        twin.step(xs, ys, where="post", color=colour, linewidth=1.4, linestyle=linestyle,
                  alpha=0.55 if outline else 1.0, label=f"ECDF{' ' + label if label else ''}")
        twin.set_ylim(0, 1.02)
        twin.yaxis.set_major_formatter(PercentFormatter(1.0))
        twin.tick_params(labelsize=7)
        if ecdf_axis is None:
            twin.set_ylabel("cumulative share", fontsize=7)
        return twin
    return ecdf_axis


def _view(outcome: Outcome, lo: float, hi: float) -> tuple[float, float]:
    """x-limits around [lo, hi]: a month around a date or two (not hours), room around one
    value, a small margin otherwise."""
    if outcome.kind == "date" and hi - lo < 20:
        pad = 15.0
    elif hi == lo:
        pad = max(0.5, abs(lo) * 0.05)
    else:
        pad = (hi - lo) * 0.04
    return lo - pad, hi + pad


def plot_distributions(results: Any, outcomes: Iterable[str] | None = None,
                       headline_only: bool = False, ncols: int = 3) -> Figure:
    """Histogram and ECDF of every numeric and date outcome (dates on a date axis).

    Replications where the event did not happen (empty values) are counted in the
    denominator, so the ECDF ends at the share of replications where it happened, and the
    panel says how many did not.  Where the record documents the outcome (a backtest target
    or a reference figure) its value is a solid line and its credible range a hatched span.
    """
    selected = numeric_outcomes(results, outcomes)
    if headline_only:
        selected = [o for o in selected if o.headline]
    if not selected:
        raise ValueError("no numeric outcome to plot")
    fig, axes = new_figure(len(selected), ncols, panel_size=(4.6, 3.3),
                           fixed_margins=(1.0, 0.9, 1.45, 1.0))
    n_total = int(getattr(results, "n", 0) or len(results.outcomes[selected[0].name]))
    legend: dict[str, Any] = {}
    for ax, outcome in zip(axes, selected):
        values = results.outcomes[outcome.name]
        x = as_float(outcome, values)
        finite = x[np.isfinite(x)]
        style_axes(ax)
        ax.set_title(outcome_title(outcome), fontsize=9)
        ax.set_xlabel(unit_label(outcome), fontsize=8)
        ax.set_ylabel("share of replications", fontsize=7)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        if finite.size == 0:
            ax.text(0.5, 0.5, "did not happen in any replication", transform=ax.transAxes,
                    ha="center", va="center", fontsize=9, color="#666666")
            ax.set_xticks([])
            continue
        twin = draw_distribution(ax, outcome, values, colour="#1f5f9f")
        median = float(np.median(finite))
        ax.axvline(median, color="#1f5f9f", linestyle="--", linewidth=1, label="median")
        note = f"median {format_value(outcome, median)}"
        doc = documented_outcome(outcome.name)
        if doc is not None:
            mark_documented_value(ax, doc)
            note += f"\nrecord {format_value(outcome, doc.value)} ({doc.ref})"
        lo, hi = float(finite.min()), float(finite.max())
        if doc is not None:  # keep the record in view, with a little room around it
            lo, hi = min(lo, doc.low if doc.low is not None else doc.value, doc.value), \
                max(hi, doc.high if doc.high is not None else doc.value, doc.value)
        ax.set_xlim(*_view(outcome, lo, hi))
        if outcome.kind == "date":
            date_axis(ax)
        elif outcome.unit == "men":
            ax.xaxis.set_major_formatter(FuncFormatter(format_thousands))
        missing = n_total - finite.size
        if missing:
            note += f"\ndid not happen in {missing / n_total:.0%}"
        ax.text(0.02, 0.97, note, transform=ax.transAxes, ha="left", va="top", fontsize=7,
                color="#222222", zorder=6,
                bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "alpha": 0.8,
                      "edgecolor": "none"})
        handles, names = ax.get_legend_handles_labels()
        if twin is not None:
            h2, n2 = twin.get_legend_handles_labels()
            handles, names = handles + h2, names + n2
        for h, n in zip(handles, names):
            legend.setdefault(n, h)
    if legend:  # in a fixed order, whichever panel drew an entry first
        legend = dict(sorted(legend.items(), key=lambda item: _LEGEND_ORDER.get(item[0], 99)))
        fig.legend(list(legend.values()), list(legend), loc="lower center",
                   ncols=min(5, len(legend)), fontsize=8, frameon=False)
    set_title(fig, "Distribution of outcomes", results)
    return fig
