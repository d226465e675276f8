"""The path through the conferences: at each policy conference the share of runs choosing
hold, north or south, and the flows between one conference's choice and the next, ending in
the first offensive Japan launched (an alluvial, Sankey-style figure)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from sim import labels
from sim.plots.axes import CONFERENCE_OUTCOMES, category_colour, set_title, style_axes
from sim.plots.decisions import present_categories

#: The code a run has at a conference it did not hold (the choice was already settled).
SETTLED = "settled"
_SETTLED_TEXT = "No conference (settled)"
_SETTLED_COLOUR = "#d9d9d9"
_WIDTH = 0.22  # width of a column, in column spacings
_MIN_LABEL = 0.05  # a segment this share or larger is labelled inside


def conference_dates(results: Any) -> list[dt.date | None]:
    """The date of each conference in the scenario (None where it cannot say)."""
    scenario = getattr(results, "scenario", None)
    try:
        central = scenario.sampler().central()  # type: ignore[union-attr]
    except AttributeError:
        return [None] * len(CONFERENCE_OUTCOMES)
    return [central.get(f"decision.conference_{k}_date")
            for k in range(1, len(CONFERENCE_OUTCOMES) + 1)]


def _codes(values: Any) -> np.ndarray:
    arr = np.asarray(values).astype(str)
    return np.where(np.isin(arr, ["", "nan", "None"]), SETTLED, arr)


def _columns(results: Any) -> list[tuple[str, str, np.ndarray, tuple[str, ...]]]:
    """(outcome name, column heading, codes per run, codes in display order)."""
    cols = []
    for name, day in zip(CONFERENCE_OUTCOMES, conference_dates(results)):
        if name not in results.outcomes:
            continue
        codes = _codes(results.outcomes[name])
        order = present_categories(name, codes[codes != SETTLED])
        if (codes == SETTLED).any():
            order = (*order, SETTLED)
        when = f"{day.day} {day:%b %Y}" if isinstance(day, dt.date) else labels.short(name)
        cols.append((name, f"Conference\n{when}", codes, order))
    if "decision" in results.outcomes and cols:
        codes = _codes(results.outcomes["decision"])
        cols.append(("decision", "First offensive\nlaunched", codes,
                     present_categories("decision", codes)))
    return cols


def _segments(codes: np.ndarray, order: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """(bottom, top) of each category's share, the first category on top."""
    n = max(codes.size, 1)
    out, top = {}, 1.0
    for c in order:
        share = float(np.count_nonzero(codes == c)) / n
        out[c] = (top - share, top)
        top -= share
    return out


def _colour(name: str, code: str) -> str:
    return _SETTLED_COLOUR if code == SETTLED else category_colour(name, code)


def _display(name: str, code: str) -> str:
    return _SETTLED_TEXT if code == SETTLED else labels.display(name, code)


def _flows(ax: Axes, x0: float, x1: float, left: tuple[str, np.ndarray, tuple[str, ...]],
           right: tuple[str, np.ndarray, tuple[str, ...]]) -> None:
    """Bands from each left segment to each right one, as wide as the runs that moved (one
    collection of polygons: a band per pair of choices would be an artist each)."""
    lname, lcodes, lorder = left
    _, rcodes, rorder = right
    n = max(lcodes.size, 1)
    lseg, rseg = _segments(lcodes, lorder), _segments(rcodes, rorder)
    out_top = {c: lseg[c][1] for c in lorder}
    in_top = {c: rseg[c][1] for c in rorder}
    t = np.linspace(0.0, 1.0, 24)
    ease = t * t * (3 - 2 * t)
    xs = x0 + _WIDTH / 2 + (x1 - x0 - _WIDTH) * t
    polygons, colours = [], []
    for a in lorder:  # flows leave in the right column's order and arrive in the left's
        for b in rorder:
            share = float(np.count_nonzero((lcodes == a) & (rcodes == b))) / n
            if share <= 0:
                continue
            y0, y1 = out_top[a], in_top[b]
            out_top[a] -= share
            in_top[b] -= share
            upper = y0 + (y1 - y0) * ease
            polygons.append(np.column_stack([np.r_[xs, xs[::-1]],
                                             np.r_[upper, (upper - share)[::-1]]]))
            colours.append(_colour(lname, a))
    ax.add_collection(PolyCollection(polygons, facecolors=colours, alpha=0.35, linewidths=0))


def draw_conference_paths(ax: Axes, results: Any, *, legend: bool = True,
                          label_segments: bool = True) -> dict[str, str]:
    """The alluvial figure on ``ax``; returns the legend's display name -> colour."""
    cols = _columns(results)
    if not cols:
        raise ValueError("these results hold no conference choices")
    for i, (name, _, codes, order) in enumerate(cols):
        for code, (lo, hi) in _segments(codes, order).items():
            if hi - lo <= 0:
                continue
            ax.bar(i, hi - lo, bottom=lo, width=_WIDTH, color=_colour(name, code),
                   edgecolor="white", linewidth=0.6, zorder=3)
            if label_segments and hi - lo >= _MIN_LABEL:
                ax.text(i + _WIDTH / 2 + 0.03, (lo + hi) / 2,
                        f"{_display(name, code)}\n{hi - lo:.0%}", va="center", ha="left",
                        fontsize=7, zorder=5, color="#222222",
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                              "alpha": 0.7, "edgecolor": "none"})
        if i + 1 < len(cols):
            _flows(ax, i, i + 1, (name, codes, order), (cols[i + 1][0], *cols[i + 1][2:]))
    ax.set_xticks(range(len(cols)), [heading for _, heading, _, _ in cols], fontsize=7.5)
    ax.set_xlim(-0.4, len(cols) - (0.35 if label_segments else 0.6))
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel("share of replications", fontsize=8)
    style_axes(ax)
    ax.grid(False)
    handles: dict[str, str] = {}
    for name, _, codes, order in cols:
        for code in order:
            if (codes == code).any():
                handles.setdefault(_display(name, code), _colour(name, code))
    return handles


def plot_conference_paths(results: Any) -> Figure:
    """Hold, north or south at each conference, and how runs moved between them."""
    n_cols = len(_columns(results))
    fig = Figure(figsize=(max(8.0, 2.1 * n_cols + 1.5), 4.8), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    handles = draw_conference_paths(ax, results)
    fig.legend([Patch(color=c) for c in handles.values()], list(handles),
               loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False,
               title="bands: runs moving from one choice to the next", title_fontsize=8)
    set_title(fig, "The path through the conferences", results)
    return fig
