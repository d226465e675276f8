"""Fan charts of the monthly series: median with the 50 % and 90 % bands, split by Japan's
decision (pooling runs that went south with runs that went north draws a median of neither),
single runs on request, key dates and documented values marked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from sim import labels
from sim.errors import UserError, did_you_mean
from sim.formatting import format_thousands
from sim.outcomes import SERIES
from sim.plots.axes import category_colour, date_axis, new_figure, set_title, style_axes
from sim.plots.decisions import present_categories
from sim.plots.documented import documented_series, mark_documented_points
from sim.plots.events import event_key, key_events, mark_events
from sim.plots.values import month_dates

#: A branch gets its own fan when at least this many of the sampled runs took it.
MIN_BRANCH_RUNS = 30
#: What a fan chart can be split by.
BY_CHOICES: tuple[str, ...] = ("decision", "none")
_QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}


def draw_fan(ax: Axes, x: np.ndarray, quantiles: Mapping[str, Any], *, colour: str,
             label: str = "", bands: bool = True, outer: bool = True,
             linestyle: str = "-") -> None:
    """Median line with the 50 % (p25-p75) and, if ``outer``, 90 % (p05-p95) bands."""
    q = {k: np.asarray(v, dtype=float) for k, v in quantiles.items()}
    prefix = f"{label}: " if label else ""
    if bands and outer and "p05" in q and "p95" in q:
        ax.fill_between(x, q["p05"], q["p95"], color=colour, alpha=0.15, linewidth=0,
                        label=f"{prefix}90% band")
    if bands and "p25" in q and "p75" in q:
        ax.fill_between(x, q["p25"], q["p75"], color=colour, alpha=0.32, linewidth=0,
                        label=f"{prefix}50% band")
    ax.plot(x, q["p50"], color=colour, linewidth=1.8, linestyle=linestyle,
            label=f"{prefix}median")


def branches(results: Any, by: str = "decision") -> list[tuple[str, np.ndarray]]:
    """(category, row mask of the series sample) for each category of ``by`` taken by at
    least :data:`MIN_BRANCH_RUNS` sampled runs, most common first."""
    data = results.series
    sample = getattr(data, "sample", None) or {}
    if by not in results.outcomes or not sample:
        return []
    rows = int(np.asarray(next(iter(sample.values()))).shape[0])
    codes = np.asarray(results.outcomes[by][:rows]).astype(str)
    found = [(c, codes == c) for c in present_categories(by, codes)]
    found = [(c, m) for c, m in found if int(m.sum()) >= MIN_BRANCH_RUNS]
    return sorted(found, key=lambda item: -int(item[1].sum()))


def branch_quantiles(rows: np.ndarray) -> dict[str, np.ndarray]:
    qv = np.quantile(rows, list(_QUANTILES.values()), axis=0)
    return {k: qv[j] for j, k in enumerate(_QUANTILES)}


def _draw_branches(ax: Axes, x: np.ndarray, rows: np.ndarray,
                   split: list[tuple[str, np.ndarray]], by: str) -> None:
    """The most common branch with both bands, each other one with its median and 50 % band."""
    for i, (code, mask) in enumerate(split):
        name = f"{labels.display(by, code)} ({int(mask.sum()):,} runs)"
        draw_fan(ax, x, branch_quantiles(rows[mask][:, : x.size]),
                 colour=category_colour(by, code), label=name, outer=i == 0,
                 linestyle="-" if i == 0 else "--")


def plot_fan_charts(results: Any, series: Iterable[str] | None = None, *,
                    events: bool = True, ncols: int = 2, samples: int = 0,
                    by: str | None = "decision") -> Figure:
    """Monthly series as fan charts (median, 50 % and 90 % bands), key dates marked.

    ``by="decision"`` (the default) draws one fan per decision taken by enough runs of the
    series sample, so the historical branch (south) reads on its own; ``by=None`` (or
    ``"none"``) pools every run.  ``samples`` adds that many individual replications as thin
    lines: the bands hide how single runs move (a step when the war starts, not a slope).
    """
    data = results.series
    names = list(series) if series is not None else [s for s in SERIES if s in data.quantiles]
    unknown = [s for s in names if s not in data.quantiles]
    if unknown:
        raise UserError(f"unknown series `{unknown[0]}`{did_you_mean(unknown[0], data.quantiles)};"
                        f" expected one of {', '.join(data.quantiles)}")
    if not names:
        raise ValueError("these results hold no monthly series")
    if by not in (None, *BY_CHOICES):
        raise UserError(f"--by: `{by}` is not something a fan chart splits by; expected one "
                        f"of {', '.join(BY_CHOICES)}")
    split = branches(results, by) if by not in (None, "none") else []
    x = month_dates(data)
    dated = key_events(results) if events else []
    fig, axes = new_figure(len(names), ncols, panel_size=(6.2, 3.2))
    kept = getattr(data, "sample", None) or {}
    shown: list[Any] = []
    legend: dict[str, Any] = {}
    split_rows = int(np.asarray(next(iter(kept.values()))).shape[0]) if kept else 0
    for i, (ax, name) in enumerate(zip(axes, names)):
        rows = np.asarray(kept.get(name, np.empty((0, x.size))))
        if split and rows.shape[0]:
            _draw_branches(ax, x, rows, split, str(by))
        else:
            draw_fan(ax, x, data.quantiles[name], colour="#1f5f9f")
        for k, trajectory in enumerate(rows[:max(0, samples)]):
            ax.plot(x, trajectory[: x.size], color="#d0781c", linewidth=0.6, alpha=0.6,
                    label=f"{min(samples, len(rows))} single replications" if k == 0
                    else "_nolegend_", zorder=2)
        unit = SERIES.get(name, "")
        ax.set_title(labels.title(name), fontsize=10)
        ax.set_ylabel(labels.unit(name), fontsize=8)
        ax.set_xlim(x[0], x[-1])
        mark_documented_points(ax, [d for d in documented_series(name)
                                    if d.when is not None and d.when <= data.months[-1]])
        if unit in ("men", "GRT"):
            ax.yaxis.set_major_formatter(FuncFormatter(format_thousands))
        ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
        date_axis(ax)
        style_axes(ax)
        shown = mark_events(ax, dated)
        for h, n in zip(*ax.get_legend_handles_labels()):
            if "band" not in n or not split:
                legend.setdefault(n.removesuffix(": median"), h)
    rows_note = (f"line: median · shaded: bands\n(first {split_rows:,} runs, by decision)"
                 if split else "line: median · shaded: 50% and 90% bands")
    fig.legend(list(legend.values()), list(legend), loc="outside right upper", fontsize=7.5,
               frameon=False, title=rows_note, title_fontsize=7.5)
    event_key(fig, shown, width=int(fig.get_figwidth() * 14))
    if split:
        title = (f"Monthly series by {labels.short(str(by)).lower()}: median and 50% band "
                 f"(90% band too for the commonest)")
    else:
        title = "Monthly series: median with 50% and 90% bands"
    set_title(fig, title, results)
    return fig
