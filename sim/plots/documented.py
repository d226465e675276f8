"""The documented historical values a figure marks on a distribution or a series: the
backtest targets and reference figures of :mod:`sim.reference`, with their credible bands.

A reader of a distribution asks first "and what happened?": each outcome the record documents
is mapped here to its target (or reference) ID, and the figures draw the value as a line and
the band as a shaded span, labelled with the ID so that it can be looked up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import matplotlib.dates as mdates
from matplotlib.axes import Axes

from sim.reference import OIL_STOCK_TARGETS, TARGET_BY_ID, as_date, lookup
from sim.reference_series import CHECKPOINTS

#: Colour of the documented values, the same in every figure.
RECORD_COLOUR = "#111111"


@dataclass(frozen=True)
class Documented:
    """A documented value (as an axis number: dates as day numbers) and its band."""

    ref: str
    value: float
    low: float | None
    high: float | None
    when: dt.date | None = None  # for a series: the date the value is for

    @property
    def text(self) -> str:
        return f"documented ({self.ref})"


def _number(value: object, is_date: bool) -> float | None:
    if value is None:
        return None
    if is_date:
        return float(mdates.date2num(as_date(value)))  # type: ignore[arg-type]
    return float(value)  # type: ignore[arg-type]


def _from(ref_id: str, is_date: bool = False) -> Documented:
    ref = lookup(ref_id)
    best = ref.value if ref_id in TARGET_BY_ID else ref.best  # type: ignore[union-attr]
    value = _number(best, is_date)
    assert value is not None, ref_id
    return Documented(ref_id, value, _number(ref.low, is_date), _number(ref.high, is_date))


def _oil(year: int) -> Documented:
    stock = OIL_STOCK_TARGETS[year]  # T15: within 20 % each year
    return Documented("T15", stock, stock * 0.8, stock * 1.2, dt.date(year, 12, 31))


#: Outcome -> (reference ID, is a date); the oil stocks follow T15.
_OUTCOME_REFS: dict[str, tuple[str, bool]] = {
    "kg_japanese_casualties": ("T1", False),
    "kg_soviet_casualties": ("T2", False),
    "kg_offensive_days": ("T4", False),
    "cabinet_fall_days": ("T6", False),
    "kantokuen_peak_men": ("T9", False),
    "kantokuen_cancelled_date": ("KT-09", True),
    "soviet_fe_fraction_west_1941_12": ("T11", False),
    "soviet_fe_men_1941_06": ("SFE-01", False),
    "soviet_fe_divisions_sent_west_1941": ("SFE-06", False),
    "singapore_fall_days": ("T14", False),
    "kg_ceasefire_date": ("KG-02", True),
    "embargo_date": ("EMB-04", True),
    "south_attack_date": ("POL-08", True),
    "dei_captured_date": ("SOP-08", True),
    "philippines_fall_date": ("SOP-06", True),
}


def documented_outcome(name: str) -> Documented | None:
    """The documented value of outcome ``name``, or None if the record gives none."""
    if name.startswith("oil_stock_end_") and name[-4:].isdigit():
        year = int(name[-4:])
        return _oil(year) if year in OIL_STOCK_TARGETS else None
    if name in _OUTCOME_REFS:
        return _from(*_OUTCOME_REFS[name])
    return None


def documented_series(name: str) -> list[Documented]:
    """Documented points of a monthly series: the year-end oil stocks (T15), the June 1941 Far
    East, China in December 1941, and the checkpoints of :mod:`sim.reference_series` (the
    force levels, the fleet, the Far East and the oil to 1945)."""
    out: list[Documented] = []
    if name == "oil_stock":
        out = [_oil(year) for year in sorted(OIL_STOCK_TARGETS) if year <= 1944]
    elif name == "soviet_fe_men":
        d = _from("SFE-01")
        out = [Documented(d.ref, d.value, d.low, d.high, dt.date(1941, 6, 22))]
    elif name == "jp_men_china":
        d = _from("CHN-03")
        out = [Documented(d.ref, d.value, d.low, d.high, dt.date(1941, 12, 31))]
    out += [Documented(c.ids[0], c.value, c.low, c.high, c.date) for c in CHECKPOINTS
            if c.series == name and c.on_chart]
    return out


def mark_documented_value(ax: Axes, doc: Documented, *, vertical: bool = True) -> None:
    """The documented value as a solid line and its band as a hatched span."""
    line = ax.axvline if vertical else ax.axhline
    span = ax.axvspan if vertical else ax.axhspan
    if doc.low is not None and doc.high is not None and doc.high > doc.low:
        span(doc.low, doc.high, facecolor="none", edgecolor="#777777", hatch="//",
             linewidth=0, alpha=0.35, zorder=0.5, label="documented range")
    line(doc.value, color=RECORD_COLOUR, linewidth=1.6, zorder=4, label="documented value")


def mark_documented_points(ax: Axes, docs: list[Documented]) -> None:
    """Documented points of a series: a diamond at each date with its band as an error bar."""
    if not docs:
        return
    xs = [float(mdates.date2num(d.when)) for d in docs if d.when is not None]
    ys = [d.value for d in docs]
    lo = [d.value - (d.low if d.low is not None else d.value) for d in docs]
    hi = [(d.high if d.high is not None else d.value) - d.value for d in docs]
    ax.errorbar(xs, ys, yerr=[lo, hi], fmt="D", color=RECORD_COLOUR, markersize=4,
                capsize=3, linewidth=1, zorder=7, label="documented value, with range")
    ax.annotate(docs[0].ref, (xs[0], ys[0]), xytext=(5, 4), textcoords="offset points",
                fontsize=6.5, color=RECORD_COLOUR, zorder=7)
