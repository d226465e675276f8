"""Key dates on time axes: the scenario's events (from the model) and, to the horizon, the
median dates of what the runs did (the southern attack, the fall of the Dutch East Indies...),
dotted lines numbered on the axes and the key to the numbers under the figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim import labels
from sim.model import key_events as model_key_events
from sim.outcomes import BY_NAME
from sim.plots.values import as_float

#: Dated outcomes marked at their median date when at least half of the runs reach them, so
#: that the key dates run past 1941 to what the runs did afterwards.
SIMULATED_EVENTS: tuple[str, ...] = (
    "north_attack_date", "south_attack_date", "dei_captured_date", "philippines_fall_date",
)
#: Width of a numbered marker on the axes, in inches (a 6.5 pt digit in a circle, and a gap).
_MARKER_INCHES = 0.17
_LANE_STEP = 0.06  # axes fraction between two rows of markers


def key_events(results_or_scenario: Any) -> list[tuple[dt.date, str]]:
    """Dated events to mark on time axes: the scenario's (from the model, empty if it cannot
    say) and, for results, the median date of each event that happened in most runs."""
    scenario = getattr(results_or_scenario, "scenario", results_or_scenario)
    try:
        events = model_key_events(scenario.sampler().central())
    except AttributeError:  # no scenario to ask, or one the model cannot read
        events = []
    out = []
    for date, label in events:
        if isinstance(date, dt.datetime):
            date = date.date()
        if isinstance(date, dt.date):
            out.append((date, str(label)))
    out += simulated_events(results_or_scenario)
    return sorted(out)


def simulated_events(results: Any) -> list[tuple[dt.date, str]]:
    """(median date, 'Southern attack (median of runs)') for each dated outcome of
    :data:`SIMULATED_EVENTS` that happened in at least half of the runs."""
    outcomes = getattr(results, "outcomes", None)
    if not outcomes:
        return []
    out = []
    for name in SIMULATED_EVENTS:
        if name not in outcomes:
            continue
        x = as_float(BY_NAME[name], outcomes[name])
        finite = x[np.isfinite(x)]
        if finite.size and finite.size >= 0.5 * x.size:
            day = mdates.num2date(float(np.median(finite))).date()
            out.append((day, f"{labels.short(name)} (median of runs)"))
    return out


def _lanes(xs: Sequence[float], min_gap: float) -> list[int]:
    """Greedy rows for markers at ``xs`` (ascending): each takes the first row whose last
    marker is at least ``min_gap`` away, so no two markers overlap however dense the dates."""
    last: list[float] = []
    lanes = []
    for x in xs:
        lane = next((i for i, end in enumerate(last) if x - end >= min_gap), len(last))
        if lane == len(last):
            last.append(x)
        else:
            last[lane] = x
        lanes.append(lane)
    return lanes


def _make_headroom(ax: Axes, fraction: float) -> None:
    """Raise the top of a linear y-axis so the data stay below the top ``fraction`` of the
    axes, where the event numbers go."""
    if ax.get_yscale() != "linear":
        return
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, lo + (hi - lo) / max(1.0 - fraction, 0.5))


def mark_events(ax: Axes, events: Sequence[tuple[dt.date, str]], *, labels: bool = True
                ) -> list[tuple[int, dt.date, str]]:
    """Dotted vertical lines at the key dates, numbered at the top of the axes.

    Events crowd together (three in four weeks of August-September 1939, five in the summer
    of 1941), so the axes carry numbers, each in the first row where it overlaps no other, and
    :func:`event_key` writes the names once under the figure.  Returns the (number, date,
    label) of the events shown.
    """
    lo, hi = ax.get_xlim()
    inside = [(n, d, t) for n, (d, t) in enumerate(events, start=1)
              if lo <= float(mdates.date2num(d)) <= hi]
    xs = [float(mdates.date2num(d)) for _, d, _ in inside]
    fig = ax.get_figure()
    width_in = ax.get_position().width * (fig.get_figwidth() if fig is not None else 6.0)
    min_gap = (hi - lo) * _MARKER_INCHES / max(width_in, 0.5)
    lanes = _lanes(xs, min_gap)
    if labels and lanes:
        _make_headroom(ax, 0.04 + _LANE_STEP * (max(lanes) + 1))
    for x, (number, _, _), lane in zip(xs, inside, lanes):
        ax.axvline(x, color="#444444", linewidth=0.7, linestyle=":", zorder=1)
        if labels:
            ax.text(x, 0.985 - _LANE_STEP * lane, str(number), transform=ax.get_xaxis_transform(),
                    ha="center", va="top", fontsize=6.5, color="#222222", zorder=6,
                    bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white",
                          "edgecolor": "#777777", "linewidth": 0.5})
    ax.set_xlim(lo, hi)
    return inside


def event_key(fig: Figure, shown: Sequence[tuple[int, dt.date, str]], width: int = 170) -> None:
    """'1 Khalkhin Gol offensive (20 Aug 1939) · 2 ...' under the figure."""
    if not shown:
        return
    items = [f"{n} {label} ({date:%d %b %Y})" for n, date, label in shown]
    lines: list[str] = ["Key dates:"]
    for item in items:  # never split an item across lines
        if len(lines[-1]) + len(item) + 5 > width:
            lines.append(item)
        else:
            lines[-1] += ("   ·   " if lines[-1] != "Key dates:" else " ") + item
    fig.supxlabel("\n".join(lines), fontsize=7.5, color="#222222")
