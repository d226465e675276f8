"""Figures of a comparison: decision shares side by side, overlaid distributions and fan
charts, and forest plots of the differences from the baseline: in the shares of each choice,
and in the means of the numeric outcomes (paired by replication when the runs share their
random numbers).  Names, units and category order come from :mod:`sim.labels`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sim import labels, plots
from sim.errors import UserError
from sim.formatting import format_thousands
from sim.outcomes import BY_NAME, OUTCOMES, SERIES


class Compared(Protocol):
    """What the figures read of a :class:`sim.compare.Comparison` (which draws them)."""

    names: list[str]
    results: list[Any]
    paired: bool

    @property
    def baseline(self) -> str: ...

    def label(self) -> str: ...

    def table(self) -> list[dict[str, Any]]: ...


def plot_compared_decisions(comp: Compared) -> Figure:
    """Shares of each decision (and northern objective), scenarios side by side, 95 % CIs."""
    cats = plots.category_outcomes(comp.results[0])
    fig, axes = plots.new_figure(len(cats), 2, panel_size=(5.6, 0.9 + 0.5 * len(comp.names) * 2.2))
    k = len(comp.names)
    height = 0.8 / k
    for ax, outcome in zip(axes, cats):
        found = np.concatenate([np.asarray(r.outcomes[outcome.name]).astype(str)
                                for r in comp.results])
        categories = list(plots.present_categories(outcome.name, found))
        y = np.arange(len(categories))
        for i, (name, r) in enumerate(zip(comp.names, comp.results)):
            shares = plots.category_shares(r.outcomes[outcome.name], categories)
            p = np.array([s[1] for s in shares])
            err = np.array([[s[1] - s[2] for s in shares], [s[3] - s[1] for s in shares]])
            ypos = y - 0.4 + height * (i + 0.5)
            ax.barh(ypos, p, height=height * 0.92, color=plots.scenario_colour(i), alpha=0.85,
                    label=name)
            ax.errorbar(p, ypos, xerr=err, fmt="none", ecolor="black", capsize=2, linewidth=0.8)
            for yy, s in zip(ypos, shares):
                ax.text(min(s[3], 1.0) + 0.015, yy, f"{s[1]:.0%}", va="center", fontsize=6.5)
        ax.set_yticks(y, [labels.display(outcome.name, c) for c in categories], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.12)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel("share of replications (bars: 95% Wilson interval)", fontsize=8)
        ax.set_title(plots.outcome_title(outcome, 56), fontsize=9)
        plots.style_axes(ax)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=min(len(names), 6),
               fontsize=8, frameon=False)
    plots.set_title(fig, "Japan's strategic choice, compared", comp.label())
    return fig


def plot_compared_distributions(comp: Compared, outcomes: Iterable[str] | None = None,
                                ncols: int = 3) -> Figure:
    """Overlaid histograms (same bins) and ECDFs of the headline numeric outcomes."""
    pool = plots.numeric_outcomes(comp.results[0], outcomes)
    selected = pool if outcomes is not None else [o for o in pool if o.headline]
    selected = [o for o in selected if all(o.name in r.outcomes for r in comp.results)]
    if not selected:
        raise ValueError("no numeric outcome common to the compared results")
    fig, axes = plots.new_figure(len(selected), ncols, panel_size=(4.6, 3.0))
    legend: dict[str, Any] = {}
    for ax, outcome in zip(axes, selected):
        xs = [plots.as_float(outcome, r.outcomes[outcome.name]) for r in comp.results]
        finite = np.concatenate([x[np.isfinite(x)] for x in xs])
        plots.style_axes(ax)
        ax.set_title(plots.outcome_title(outcome), fontsize=9)
        ax.set_xlabel(labels.unit(outcome.name), fontsize=8)
        ax.set_ylabel("share of replications", fontsize=7)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        if finite.size == 0:
            ax.text(0.5, 0.5, "did not happen in any replication", transform=ax.transAxes,
                    ha="center", va="center", fontsize=9, color="#666666")
            continue
        doc = plots.documented_outcome(outcome.name)
        if doc is not None:
            plots.mark_documented_value(ax, doc)
        bins, value_range = plots.histogram_bins(finite, outcome)
        twin = None
        for i, (name, r) in enumerate(zip(comp.names, comp.results)):
            twin = plots.draw_distribution(ax, outcome, r.outcomes[outcome.name],
                                           colour=plots.scenario_colour(i), label=name,
                                           outline=True, linestyle=plots.scenario_linestyle(i),
                                           ecdf_axis=twin, bins=bins, value_range=value_range)
        if twin is not None:
            twin.set_ylabel("cumulative share (lines)", fontsize=7)
        if outcome.kind == "date":
            plots.date_axis(ax)
        elif outcome.unit == "men":
            ax.xaxis.set_major_formatter(FuncFormatter(format_thousands))
        for h, n in zip(*ax.get_legend_handles_labels()):
            if not n.startswith("documented"):  # said once, in the legend's title
                legend.setdefault(n, h)
    if legend:
        fig.legend(list(legend.values()), list(legend), loc="outside lower center",
                   ncols=min(4, len(legend)),
                   fontsize=8, frameon=False,
                   title="steps: histogram (left axis) · faint lines: ECDF (right axis) · "
                         "black line: documented value, hatched: its documented range",
                   title_fontsize=8)
    plots.set_title(fig, "Distribution of outcomes, compared", comp.label())
    return fig


def plot_compared_fan_charts(comp: Compared, series: Iterable[str] | None = None,
                             ncols: int = 2) -> Figure:
    """Median and 50 % band of each monthly series for every scenario, on one set of axes."""
    first = comp.results[0].series
    names = list(series) if series is not None else [s for s in SERIES if s in first.quantiles]
    fig, axes = plots.new_figure(len(names), ncols, panel_size=(6.2, 3.2))
    events = plots.key_events(comp.results[0])
    for ax, name in zip(axes, names):
        x_all = []
        for i, (label, r) in enumerate(zip(comp.names, comp.results)):
            x = plots.month_dates(r.series)
            x_all.append(x)
            q = r.series.quantiles[name]
            ax.fill_between(x, q["p25"], q["p75"], color=plots.scenario_colour(i), alpha=0.22,
                            linewidth=0, label=f"{label} 50% band")
            ax.plot(x, q["p50"], color=plots.scenario_colour(i), linewidth=1.8,
                    linestyle=plots.scenario_linestyle(i), label=f"{label} median")
        unit = SERIES.get(name, "")
        ax.set_title(labels.title(name), fontsize=10)
        ax.set_ylabel(labels.unit(name), fontsize=8)
        ax.set_xlim(min(x[0] for x in x_all), max(x[-1] for x in x_all))
        if unit == "men":
            ax.yaxis.set_major_formatter(FuncFormatter(format_thousands))
        ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
        plots.date_axis(ax)
        plots.style_axes(ax)
        shown = plots.mark_events(ax, events)
    medians = [ln for ln in axes[0].lines if ln.get_label().endswith(" median")]
    fig.legend(medians, comp.names, loc="outside right upper", fontsize=8, frameon=False,
               title="line: median\nshaded: 50% band", title_fontsize=8)
    plots.event_key(fig, shown, width=int(fig.get_figwidth() * 14))
    plots.set_title(fig, "Monthly series compared: median and 50% band", comp.label())
    return fig


def plot_share_differences(comp: Compared, outcomes: Iterable[str] | None = None) -> Figure:
    """Forest plot: change in each category's share from the baseline, with 95 % intervals.

    ``outcomes`` defaults to the headline category outcomes (the decision and the furthest
    northern objective).
    """
    if outcomes is None:
        wanted = {o.name for o in OUTCOMES if o.kind == "category" and o.headline}
    else:
        wanted = set(outcomes)
    rows = [r for r in comp.table() if r["kind"] == "share" and r["outcome"] in wanted
            and BY_NAME[r["outcome"]].kind == "category"]
    if not rows:
        raise UserError(f"no category outcome among {', '.join(sorted(wanted))}")
    others = comp.names[1:]
    fig = Figure(figsize=(9.0, 1.6 + 0.3 * len(rows) * max(1, len(others))),
                 layout="constrained")
    ax = fig.add_subplot()
    names = [f"{labels.short(r['outcome'])}: "
             f"{labels.display(r['outcome'], r['statistic'].removeprefix('share '))}"
             for r in rows]
    y = np.arange(len(rows))
    k = max(1, len(others))
    for i, name in enumerate(others):
        key = f"{name} - {comp.baseline}"
        d = np.array([r[key] for r in rows]) * 100
        lo = np.array([r[key + " low"] for r in rows]) * 100
        hi = np.array([r[key + " high"] for r in rows]) * 100
        ypos = y + (i - (k - 1) / 2) * (0.7 / k)
        ax.errorbar(d, ypos, xerr=[np.nan_to_num(d - lo), np.nan_to_num(hi - d)], fmt="o",
                    color=plots.scenario_colour(i + 1), capsize=3, markersize=4,
                    label=f"{name} - {comp.baseline}")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("difference in share (percentage points), 95% interval "
                  + ("paired by replication" if comp.paired else "UNPAIRED"), fontsize=8)
    plots.style_axes(ax)
    ax.legend(fontsize=8, loc="best")
    plots.set_title(fig, f"Change from {comp.baseline}", comp.label())
    return fig


def plot_mean_differences(comp: Compared, outcomes: Iterable[str] | None = None,
                          ncols: int = 3) -> Figure:
    """Forest plots of the change in each numeric outcome's mean from the baseline, one panel
    per outcome in its own unit (days for dates), with 95 % intervals: paired by replication
    when the runs share their random numbers and the event happened in the same runs, else
    Welch's (drawn hollow).

    ``outcomes`` defaults to the headline numeric outcomes.
    """
    if outcomes is None:
        wanted = [o.name for o in OUTCOMES if o.kind != "category" and o.headline]
    else:
        wanted = [plots.numeric_outcomes(comp.results[0], [w])[0].name for w in outcomes]
    by_outcome = {r["outcome"]: r for r in comp.table()
                  if r["outcome"] in wanted and r["statistic"] in ("mean", "mean date")}
    names = [w for w in wanted if w in by_outcome]
    if not names:
        raise UserError(f"no numeric outcome among {', '.join(wanted)}")
    others = comp.names[1:]
    fig, axes = plots.new_figure(len(names), ncols,
                                 panel_size=(4.4, 0.9 + 0.35 * max(1, len(others))))
    for ax, name in zip(axes, names):
        row = by_outcome[name]
        for i, other in enumerate(others):
            key = f"{other} - {comp.baseline}"
            d, lo, hi = (float(row[key + end]) for end in ("", " low", " high"))
            paired = bool(row.get(f"{key} paired", comp.paired))
            colour = plots.scenario_colour(i + 1)
            ax.errorbar([d], [i], xerr=[[max(d - lo, 0.0)], [max(hi - d, 0.0)]], fmt="o",
                        color=colour, markerfacecolor=colour if paired else "white",
                        capsize=3, markersize=5, linewidth=1.2)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(range(len(others)), [plots.fit_text(o, 24) for o in others], fontsize=7)
        ax.set_ylim(len(others) - 0.5, -0.5)
        unit = "days" if BY_NAME[name].kind == "date" else labels.unit(name)
        ax.set_xlabel(f"change in the mean ({unit})" if unit else "change in the mean",
                      fontsize=8)
        ax.set_title(plots.outcome_title(BY_NAME[name], 50), fontsize=9)
        # differences can be tiny or zero: 0, -0.4 or -20,000, never "-0" four times over
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: plots.format_number(x)))
        plots.style_axes(ax)
    kind = "paired by replication" if comp.paired else "UNPAIRED"
    fig.supxlabel(f"dot: difference of the means from {comp.baseline}, bar: 95% interval "
                  f"({kind}; hollow: the event happened in different runs, Welch interval)",
                  fontsize=8)
    plots.set_title(fig, f"Change in the means from {comp.baseline}", comp.label())
    return fig
