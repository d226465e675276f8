"""The decisions figure: the share of each strategic choice (and of each furthest northern
objective, and each result of Khalkhin Gol) with its 95 % Wilson interval, categories named and
ordered by :mod:`sim.labels`, the record's share (backtest target T8) marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim import labels
from sim.outcomes import Outcome
from sim.plots.axes import (
    CONFERENCE_OUTCOMES,
    category_colour,
    new_figure,
    outcome_title,
    set_title,
    style_axes,
)
from sim.plots.values import category_outcomes, category_shares
from sim.reference import TARGET_BY_ID


def present_categories(name: str, values: np.ndarray | Sequence[Any]) -> tuple[str, ...]:
    """The outcome's declared categories and any other code found, in the table's order."""
    outcome_codes = labels.category_order(name)
    seen = [str(v) for v in np.unique(np.asarray(values).astype(str)) if str(v) not in ("", "nan")]
    return labels.category_order(name, [*outcome_codes, *seen])


def draw_shares(ax: Axes, outcome: Outcome, values: np.ndarray, *, compact: bool = False
                ) -> None:
    """Horizontal bars of each category's share with its 95 % interval and its count
    (``compact``: the share alone, and no row for a category no run took)."""
    codes = present_categories(outcome.name, values)
    shares = category_shares(values, codes)
    if compact:
        shares = [s for s in shares if s[4] > 0]
        codes = tuple(s[0] for s in shares)
    p = np.array([s[1] for s in shares])
    err = np.array([[s[1] - s[2] for s in shares], [s[3] - s[1] for s in shares]])
    y = np.arange(len(codes))
    ax.barh(y, p, color=[category_colour(outcome.name, c) for c in codes], alpha=0.85,
            label="share of replications")
    ax.errorbar(p, y, xerr=err, fmt="none", ecolor="black", capsize=3, linewidth=1,
                label="95% interval (Wilson)")
    t8 = TARGET_BY_ID["T8"]  # the record: Japan went south (in most runs of history)
    marked = outcome.name == "decision" and "south" in codes
    for code, yi, (_, share, _, hi, k) in zip(codes, y, shares):
        text = f"{share:.0%}" if compact else f"{share:.1%} ({k:,})"
        right = max(hi, float(t8.high)) if marked and code == "south" else hi  # type: ignore[arg-type]
        ax.text(min(right, 1.0) + 0.02, yi, text, va="center", fontsize=8)
    if marked:
        row = codes.index("south")
        ax.fill_betweenx([row - 0.45, row + 0.45], float(t8.low), float(t8.high),  # type: ignore[arg-type]
                         facecolor="none", edgecolor="#333333", hatch="///", linewidth=0.6,
                         zorder=3, label="backtest target T8 (historical scenario)")
    ax.set_yticks(y, [labels.display(outcome.name, c) for c in codes], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.22)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    style_axes(ax)


def plot_decisions(results: Any) -> Figure:
    """Share of each decision, furthest northern objective and Khalkhin Gol result with 95 %
    intervals (the conference choices are the conference-path figure's)."""
    cats = [o for o in category_outcomes(results) if o.name not in CONFERENCE_OUTCOMES]
    if not cats:
        raise ValueError("these results hold no category outcome to plot")
    fig, axes = new_figure(len(cats), 2, panel_size=(5.4, 3.0))
    for ax, outcome in zip(axes, cats):
        draw_shares(ax, outcome, results.outcomes[outcome.name])
        ax.set_xlabel("share of replications", fontsize=8)
        ax.set_title(outcome_title(outcome, 52), fontsize=9)
    # One legend for the figure, below it: inside a panel it would cover the longest bar.
    handles, names = axes[0].get_legend_handles_labels()
    keep = [(h, n) for h, n in zip(handles, names) if n != "95% interval (Wilson)"]
    texts = ["share of replications, with its 95% interval (Wilson)" if n ==
             "share of replications" else n for _, n in keep]
    fig.legend([h for h, _ in keep], texts, loc="outside lower center", fontsize=8,
               frameon=False, ncols=len(keep))
    set_title(fig, "Japan's strategic choice", results)
    return fig
