"""The figure of a sweep: lines with 95 % bands for one parameter, heatmaps for two.

Axes and measures are named by :mod:`sim.labels`; a heatmap's colour scale runs from the
smallest to the largest value swept (a fixed 0-100 % would paint 2 % and 7 % the same), and
its colour bar says so."""

from __future__ import annotations

from typing import Protocol

import matplotlib.dates as mdates
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim import labels, plots
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


def _vary_label(v: Vary) -> str:
    """'Start of the German invasion' or 'Soviet-Mongol manpower for the August offensive
    (men)': the parameter's label and unit."""
    return labels.axis_label(v.key)


def _measure_label(m: Measure) -> str:
    """'Share of runs: Strike north' or 'Mean of Japan's oil stock, end of 1942 (million bbl)'."""
    if m.category is not None:
        return labels.share_title(m.outcome.name, m.category)
    unit = labels.unit(m.outcome.name)
    return f"Mean of {labels.title(m.outcome.name)}" + (f" ({unit})" if unit else "")


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
            label = labels.display(m.outcome.name, m.category) if m.category is not None \
                else "mean"
            marker = "o" if len(x) <= 15 else None
            ax.plot(x, est[:, 0], color=colour, linewidth=1.8, marker=marker, markersize=3,
                    label=label)
            ax.fill_between(x, est[:, 1], est[:, 2], color=colour, alpha=0.2, linewidth=0,
                            label="_nolegend_")
        outcome = group[0].outcome
        if group[0].category is not None:
            ax.set_ylabel("share of replications", fontsize=8)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.set_ylim(-0.02, 1.02)
        else:
            unit = labels.unit(outcome.name)
            ax.set_ylabel(f"mean ({unit})" if unit else "mean", fontsize=8)
            if outcome.kind == "date":
                plots.date_axis(ax, "y")
        ax.set_title(plots.outcome_title(outcome, 56), fontsize=9)
        ax.set_xlabel(_vary_label(v), fontsize=8)
        if v.kind == "date":
            plots.date_axis(ax)
        elif v.kind in ("bool", "choice"):
            ax.set_xticks(x, _tick_labels(v))
        plots.style_axes(ax)
        ax.legend(fontsize=7, loc="best", framealpha=0.8, ncols=2 if len(group) > 2 else 1,
                  title="shaded: 95% interval", title_fontsize=7)
    plots.set_title(fig, f"Sweep: {labels.title(v.key)}", s.label())
    return fig


def _colour_range(est: np.ndarray) -> tuple[float, float]:
    """The smallest and largest finite value, widened a little when they are equal."""
    finite = est[np.isfinite(est)]
    if finite.size == 0:
        return 0.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    if hi - lo < 1e-12:
        pad = max(abs(lo) * 0.05, 1e-3)
        return lo - pad, hi + pad
    return lo, hi


def _cell_text(m: Measure, value: float, span: float) -> str:
    if m.category is not None:  # 2.1% and 2.4% differ when the whole range is a few points
        return f"{value:.1%}" if span < 0.1 else f"{value:.0%}"
    return plots.format_value(m.outcome, value)


def _plot_heatmaps(s: Swept) -> Figure:
    vx, vy = s.varies
    measures = s.measures
    fig, axes = plots.new_figure(len(measures), 2, panel_size=(5.2, 4.2))
    annotate = len(vx.values) * len(vy.values) <= 64
    for ax, m in zip(axes, measures):
        est = s.estimates(m)[..., 0].T  # rows: second key, columns: first key
        lo, hi = _colour_range(est)
        image = ax.imshow(est, origin="lower", aspect="auto", cmap="viridis", vmin=lo, vmax=hi)
        bar = fig.colorbar(image, ax=ax, shrink=0.9)
        if m.category is not None:
            bar.ax.yaxis.set_major_formatter(
                PercentFormatter(1.0, decimals=1 if hi - lo < 0.1 else 0))
        elif m.outcome.kind == "date":
            bar.ax.yaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        bar.set_label(f"{_measure_label(m)}\ncolour scale: lowest to highest value swept",
                      fontsize=7.5)
        bar.ax.tick_params(labelsize=7)
        if annotate:
            for (iy, ix), value in np.ndenumerate(est):
                if np.isfinite(value):
                    light = (value - lo) / (hi - lo or 1) < 0.55
                    ax.text(ix, iy, _cell_text(m, value, hi - lo), ha="center", va="center",
                            fontsize=7, color="white" if light else "black")
        ax.set_xticks(range(len(vx.values)), _tick_labels(vx), rotation=45, ha="right",
                      fontsize=7)
        ax.set_yticks(range(len(vy.values)), _tick_labels(vy), fontsize=7)
        ax.set_xlabel(plots.fit_text(_vary_label(vx), 60), fontsize=8)
        ax.set_ylabel(plots.fit_text(_vary_label(vy), 50), fontsize=8)
        ax.set_title(plots.fit_text(_measure_label(m), 60, 2), fontsize=9)
    plots.set_title(fig, f"Sweep: {labels.short(vx.key)} × {labels.short(vy.key)}",
                    s.label())
    return fig
