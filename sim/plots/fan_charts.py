"""Fan charts of the monthly series: median with the 50 % and 90 % bands, single runs on
request, key dates marked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from sim.errors import UserError, did_you_mean
from sim.formatting import format_thousands
from sim.outcomes import SERIES
from sim.plots.axes import SERIES_LABELS, date_axis, new_figure, set_title, style_axes
from sim.plots.events import event_key, key_events, mark_events
from sim.plots.values import month_dates


def draw_fan(ax: Axes, x: np.ndarray, quantiles: Mapping[str, Any], *, colour: str,
             label: str = "", bands: bool = True) -> None:
    """Median line with the 50 % (p25-p75) and 90 % (p05-p95) bands."""
    q = {k: np.asarray(v, dtype=float) for k, v in quantiles.items()}
    prefix = f"{label} " if label else ""
    if bands and "p05" in q and "p95" in q:
        ax.fill_between(x, q["p05"], q["p95"], color=colour, alpha=0.15, linewidth=0,
                        label=f"{prefix}90% band")
    if bands and "p25" in q and "p75" in q:
        ax.fill_between(x, q["p25"], q["p75"], color=colour, alpha=0.32, linewidth=0,
                        label=f"{prefix}50% band")
    ax.plot(x, q["p50"], color=colour, linewidth=1.8, label=f"{prefix}median")


def plot_fan_charts(results: Any, series: Iterable[str] | None = None, *,
                    events: bool = True, ncols: int = 2, samples: int = 0) -> Figure:
    """Monthly series as fan charts (median, 50 % and 90 % bands), key dates marked.

    ``samples`` adds that many individual replications as thin lines: the bands hide how
    single runs move (a step when the war starts, not a gentle slope).
    """
    data = results.series
    names = list(series) if series is not None else [s for s in SERIES if s in data.quantiles]
    unknown = [s for s in names if s not in data.quantiles]
    if unknown:
        raise UserError(f"unknown series `{unknown[0]}`{did_you_mean(unknown[0], data.quantiles)};"
                        f" expected one of {', '.join(data.quantiles)}")
    if not names:
        raise ValueError("these results hold no monthly series")
    x = month_dates(data)
    dated = key_events(results) if events else []
    fig, axes = new_figure(len(names), ncols, panel_size=(6.2, 3.2))
    kept = getattr(data, "sample", None) or {}
    for i, (ax, name) in enumerate(zip(axes, names)):
        draw_fan(ax, x, data.quantiles[name], colour="#1f5f9f")
        runs = np.asarray(kept.get(name, np.empty((0, x.size))))[:max(0, samples)]
        for k, trajectory in enumerate(runs):
            ax.plot(x, trajectory[: x.size], color="#d0781c", linewidth=0.6, alpha=0.6,
                    label=f"{len(runs)} single replications" if k == 0 else "_nolegend_",
                    zorder=2)
        unit = SERIES.get(name, "")
        ax.set_title(SERIES_LABELS.get(name, name.replace("_", " ")), fontsize=10)
        ax.set_ylabel(f"{name} ({unit})" if unit else name, fontsize=8)
        ax.set_xlim(x[0], x[-1])
        if unit == "men":
            ax.yaxis.set_major_formatter(FuncFormatter(format_thousands))
        ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
        date_axis(ax)
        style_axes(ax)
        shown = mark_events(ax, dated)
        if i == 0:
            ax.legend(fontsize=7, loc="lower left", framealpha=0.8)
    event_key(fig, shown if names else [], width=int(fig.get_figwidth() * 14))
    set_title(fig, "Monthly series: median with 50% and 90% bands", results)
    return fig
