"""The decisions figure: the share of each strategic choice (and of each furthest northern
objective) with its 95 % Wilson interval."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.outcomes import Outcome
from sim.plots.axes import DECISION_COLOURS, new_figure, outcome_title, set_title, style_axes
from sim.plots.values import category_outcomes, category_shares


def _categories(outcome: Outcome, values: np.ndarray) -> list[str]:
    seen = [str(v) for v in np.unique(np.asarray(values).astype(str)) if str(v) not in ("", "nan")]
    cats = list(outcome.categories) + [c for c in seen if c not in outcome.categories]
    return cats


def plot_decisions(results: Any) -> Figure:
    """Share of each decision (and of each furthest northern objective) with 95 % intervals."""
    cats = category_outcomes(results)
    if not cats:
        raise ValueError("these results hold no category outcome to plot")
    fig, axes = new_figure(len(cats), 2, panel_size=(5.4, 3.2))
    for ax, outcome in zip(axes, cats):
        values = results.outcomes[outcome.name]
        shares = category_shares(values, _categories(outcome, values))
        labels = [s[0] for s in shares]
        p = np.array([s[1] for s in shares])
        err = np.array([[s[1] - s[2] for s in shares], [s[3] - s[1] for s in shares]])
        colours = [DECISION_COLOURS.get(c, "#5b7f95") for c in labels]
        y = np.arange(len(labels))
        ax.barh(y, p, color=colours, alpha=0.85, label="share of replications")
        ax.errorbar(p, y, xerr=err, fmt="none", ecolor="black", capsize=3, linewidth=1,
                    label="95% interval (Wilson)")
        for yi, (_, share, _, hi, k) in zip(y, shares):
            ax.text(min(hi, 1.0) + 0.02, yi, f"{share:.1%} ({k:,})", va="center", fontsize=8)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.18)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("share of replications")
        ax.set_title(outcome_title(outcome, 52), fontsize=9)
        style_axes(ax)
    # One legend for the figure, below it: inside a panel it would cover the longest bar.
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend([handles[0]], ["share of replications, with its 95% interval (Wilson)"],
               loc="outside lower center", fontsize=8, frameon=False)
    set_title(fig, "Japan's strategic choice", results)
    return fig
