"""The figure of a sweep: lines with 95 % bands for one parameter, heatmaps for two."""

from __future__ import annotations

from typing import Protocol

import matplotlib.dates as mdates
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim import plots
from sim.formatting import compact_number, format_setting
from sim.sweep.grid import Vary
from sim.sweep.measures import Measure


class Swept(Protocol):
    """What the figure reads of a :class:`sim.sweep.Sweep` (which draws it)."""

    varies: list[Vary]
    measures: list[Measure]

    def estimates(self, measure: Measure) -> np.ndarray: ...

    def label(self) -> str: ...


def _axis_values(v: Vary) -> np.ndarray:
    if v.kind == "date":
        return np.asarray(mdates.date2num(list(v.values)))
    if v.kind in ("bool", "choice"):
        return np.arange(len(v.values), dtype=float)
    return np.asarray(v.values, dtype=float)


def _tick_labels(v: Vary) -> list[str]:
    return [format_setting(x, compact_number) for x in v.values]


def _measure_colour(m: Measure, i: int) -> str:
    if m.outcome.name == "decision" and m.category in plots.DECISION_COLOURS:
        return plots.DECISION_COLOURS[m.category]
    return plots.scenario_colour(i)


def plot_sweep(s: Swept) -> Figure:
    if len(s.varies) == 1:
        return _plot_lines(s)
    return _plot_heatmaps(s)


def _panels(s: Swept) -> list[list[Measure]]:
    """Shares of one category outcome share a panel; each mean gets its own."""
    groups: dict[str, list[Measure]] = {}
    for m in s.measures:
        key = m.outcome.name if m.category is not None else f"mean:{m.outcome.name}"
        groups.setdefault(key, []).append(m)
    return list(groups.values())


def _plot_lines(s: Swept) -> Figure:
    v = s.varies[0]
    x = _axis_values(v)
    panels = _panels(s)
    fig, axes = plots.new_figure(len(panels), 2, panel_size=(5.6, 3.6))
    for ax, group in zip(axes, panels):
        for i, m in enumerate(group):
            est = s.estimates(m)
            colour = _measure_colour(m, i)
            label = m.category if m.category is not None else "mean"
            marker = "o" if len(x) <= 15 else None
            ax.plot(x, est[:, 0], color=colour, linewidth=1.8, marker=marker, markersize=3,
                    label=label)
            ax.fill_between(x, est[:, 1], est[:, 2], color=colour, alpha=0.2, linewidth=0,
                            label="_nolegend_")
        outcome = group[0].outcome
        if group[0].category is not None:
            ax.set_ylabel(f"share of replications ({outcome.name})", fontsize=8)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.set_ylim(-0.02, 1.02)
        else:
            ax.set_ylabel(group[0].label, fontsize=8)
            if outcome.kind == "date":
                plots.date_axis(ax, "y")
        ax.set_title(plots.outcome_title(outcome, 56), fontsize=9)
        ax.set_xlabel(v.label, fontsize=8)
        if v.kind == "date":
            plots.date_axis(ax)
        elif v.kind in ("bool", "choice"):
            ax.set_xticks(x, _tick_labels(v))
        plots.style_axes(ax)
        ax.legend(fontsize=7, loc="best", framealpha=0.8, ncols=2 if len(group) > 2 else 1,
                  title="shaded: 95% interval", title_fontsize=7)
    plots.set_title(fig, f"Sweep of {v.key}", s.label())
    return fig


def _plot_heatmaps(s: Swept) -> Figure:
    vx, vy = s.varies
    measures = s.measures
    fig, axes = plots.new_figure(len(measures), 2, panel_size=(5.2, 4.2))
    annotate = len(vx.values) * len(vy.values) <= 64
    for ax, m in zip(axes, measures):
        est = s.estimates(m)[..., 0].T  # rows: second key, columns: first key
        if m.category is not None:
            image = ax.imshow(est, origin="lower", aspect="auto", cmap="viridis", vmin=0, vmax=1)
        else:
            image = ax.imshow(est, origin="lower", aspect="auto", cmap="viridis")
        bar = fig.colorbar(image, ax=ax, shrink=0.9)
        if m.category is not None:
            bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        elif m.outcome.kind == "date":
            bar.ax.yaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        bar.set_label(m.label, fontsize=8)
        bar.ax.tick_params(labelsize=7)
        if annotate:
            for (iy, ix), value in np.ndenumerate(est):
                if np.isfinite(value):
                    text = f"{value:.0%}" if m.category is not None else \
                        plots.format_value(m.outcome, value)
                    lo, hi = image.get_clim()
                    light = (value - lo) / (hi - lo or 1) < 0.55
                    ax.text(ix, iy, text, ha="center", va="center", fontsize=7,
                            color="white" if light else "black")
        ax.set_xticks(range(len(vx.values)), _tick_labels(vx), rotation=45, ha="right",
                      fontsize=7)
        ax.set_yticks(range(len(vy.values)), _tick_labels(vy), fontsize=7)
        ax.set_xlabel(vx.label, fontsize=8)
        ax.set_ylabel(vy.label, fontsize=8)
        ax.set_title(m.label, fontsize=9)
    plots.set_title(fig, f"Sweep of {vx.key} and {vy.key}", s.label())
    return fig
