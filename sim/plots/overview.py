"""The one figure ``sim run`` draws by default: the answer at a glance, cheap to draw.

Japan's choice with its intervals, the path through the conferences, and the oil stock of each
branch against the documented year-end stocks: three panels, one small PNG.  Drawing the full
set (every distribution, fan charts of every series, convergence) takes seconds and tens of
megabytes, so it is left to ``sim plot``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from sim import labels
from sim.outcomes import BY_NAME
from sim.plots.axes import date_axis, set_title, style_axes
from sim.plots.decisions import draw_shares
from sim.plots.documented import documented_series, mark_documented_points
from sim.plots.fan_charts import _draw_branches, branches, draw_fan
from sim.plots.paths import draw_conference_paths
from sim.plots.values import month_dates

#: Resolution of the overview PNG: a screen's, not a print's (a quarter of the pixels of 150).
OVERVIEW_DPI = 100


def plot_overview(results: Any) -> Figure:
    """Decision shares, conference paths and the oil stock by decision, in one row."""
    fig = Figure(figsize=(15.0, 4.3), dpi=OVERVIEW_DPI)
    grid = fig.add_gridspec(1, 3, left=0.095, right=0.985, top=0.80, bottom=0.17,
                            wspace=0.25, width_ratios=(1.0, 1.3, 1.1))
    ax_share, ax_path, ax_oil = (fig.add_subplot(grid[0, i]) for i in range(3))
    if "decision" in results.outcomes:
        draw_shares(ax_share, BY_NAME["decision"], results.outcomes["decision"], compact=True)
        ax_share.set_xlabel("share of replications (95% interval)", fontsize=8)
        target = [c for c in ax_share.collections if c.get_label().startswith("backtest")]
        if target:
            ax_share.legend(target, ["backtest target T8: south in 70-100%"], fontsize=7,
                            loc="lower right", framealpha=0.85)
        ax_share.set_title(labels.title("decision"), fontsize=9)
    try:
        draw_conference_paths(ax_path, results, label_segments=False)
        ax_path.set_title("The path through the conferences (colours as on the left)",
                          fontsize=9)
    except ValueError:
        ax_path.set_axis_off()
    series = getattr(results, "series", None)
    if series is not None and "oil_stock" in getattr(series, "quantiles", {}):
        x = month_dates(series)
        split = branches(results, "decision")
        rows = np.asarray((series.sample or {}).get("oil_stock", np.empty((0, x.size))))
        if split and rows.shape[0]:
            _draw_branches(ax_oil, x, rows, split, "decision")
        else:
            draw_fan(ax_oil, x, series.quantiles["oil_stock"], colour="#1f5f9f")
        mark_documented_points(ax_oil, [d for d in documented_series("oil_stock")
                                        if d.when is not None and d.when <= series.months[-1]])
        ax_oil.set_xlim(x[0], x[-1])
        ax_oil.set_ylim(bottom=0)
        ax_oil.set_title(f"{labels.title('oil_stock')} by decision", fontsize=9)
        ax_oil.set_ylabel(labels.axis_label("oil_stock"), fontsize=8)
        handles, names = ax_oil.get_legend_handles_labels()
        keep = [(h, n.removesuffix(": median")) for h, n in zip(handles, names)
                if "band" not in n]
        note = f"of the first {rows.shape[0]:,} runs" if split and rows.shape[0] else ""
        ax_oil.legend([h for h, _ in keep],
                      [n.replace("documented value, with range", "documented (T15)")
                       for _, n in keep], fontsize=6.5, loc="lower left", framealpha=0.85,
                      title=f"median, 50% and 90% bands\n{note}".strip(), title_fontsize=6.5)
        date_axis(ax_oil)
        style_axes(ax_oil)
    else:
        ax_oil.set_axis_off()
    set_title(fig, "Japan's choice at a glance", results)
    return fig
