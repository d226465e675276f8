"""Key dates on time axes: the model's events for a scenario, dotted lines numbered on the
axes and the key to the numbers under the figure."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.model import key_events as model_key_events


def key_events(results_or_scenario: Any) -> list[tuple[dt.date, str]]:
    """Dated events to mark on time axes, from the model (empty if it cannot say)."""
    scenario = getattr(results_or_scenario, "scenario", results_or_scenario)
    try:
        events = model_key_events(scenario.sampler().central())
    except AttributeError:  # no scenario to ask, or one the model cannot read
        return []
    out = []
    for date, label in events:
        if isinstance(date, dt.datetime):
            date = date.date()
        if isinstance(date, dt.date):
            out.append((date, str(label)))
    return sorted(out)


def mark_events(ax: Axes, events: Sequence[tuple[dt.date, str]], *, labels: bool = True
                ) -> list[tuple[int, dt.date, str]]:
    """Dotted vertical lines at the key dates, numbered at the top of the axes.

    Events crowd together (three in four weeks of August-September 1939, five in the summer
    of 1941), so the axes carry numbers, staggered when close, and :func:`event_key` writes
    the names once under the figure.  Returns the (number, date, label) of the events shown.
    """
    lo, hi = ax.get_xlim()
    shown: list[tuple[int, dt.date, str]] = []
    last_x, level = -math.inf, 0
    for number, (date, label) in enumerate(events, start=1):
        x = float(mdates.date2num(date))
        if not lo <= x <= hi:
            continue
        ax.axvline(x, color="#444444", linewidth=0.7, linestyle=":", zorder=1)
        shown.append((number, date, label))
        if labels:
            level = (level + 1) % 3 if (x - last_x) < (hi - lo) * 0.03 else 0
            last_x = x
            ax.text(x, 0.985 - 0.065 * level, str(number), transform=ax.get_xaxis_transform(),
                    ha="center", va="top", fontsize=6.5, color="#222222", zorder=6,
                    bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white",
                          "edgecolor": "#777777", "linewidth": 0.5})
    ax.set_xlim(lo, hi)
    return shown


def event_key(fig: Figure, shown: Sequence[tuple[int, dt.date, str]], width: int = 170) -> None:
    """'1 Khalkhin Gol offensive (1939-08-20) · 2 ...' under the figure."""
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
