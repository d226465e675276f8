"""The headline statistics of a run, as ``sim run`` prints them and the HTML report shows them.

One list of rows from a run's summary (``summary.json``): each category's share with its 95%
Wilson interval, each date's median with how often the event happened, each number's median
with its 5-95% range.  The terminal and the report lay the rows out differently, but every
figure in them is written here, so the two never disagree (a report once showed means where
the terminal showed medians).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HeadlineRow:
    """One line of the headline table: ``value`` is the estimate, ``detail`` its interval
    or range, both as text."""

    outcome: str
    kind: str
    statistic: str  # "share", "median" or "median date"
    value: str
    detail: str
    category: str | None = None  # the category a share is of
    unit: str = ""


def format_percent(x: float | None) -> str:
    """A share as a percentage to one decimal (``3.3%``); ``-`` when there is none."""
    return "-" if x is None else f"{100 * x:.1f}%"


def format_amount(x: float | None, unit: str = "") -> str:
    """A median or a quantile with its unit: whole from 100 up (``17,439 men``), one decimal
    below (``37.5 million bbl``); ``-`` when there is none."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    text = f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"
    return f"{text} {unit}".rstrip()


def outcome_rows(name: str, entry: Mapping[str, Any]) -> Iterator[HeadlineRow]:
    """The rows of one outcome of ``summary.json``."""
    kind = entry["kind"]
    if kind == "category":
        for cat, share in entry["shares"].items():
            lo, hi = share["ci95"]
            yield HeadlineRow(name, kind, "share", format_percent(share["share"]),
                              f"95% CI {format_percent(lo)}-{format_percent(hi)}", cat)
    elif kind == "date":
        yield HeadlineRow(name, kind, "median date", entry["p50"] or "-",
                          f"happened in {format_percent(entry['share_happened'])} of runs")
    else:
        unit = entry.get("unit") or ""
        yield HeadlineRow(name, kind, "median", format_amount(entry["p50"], unit),
                          f"5-95%: {format_amount(entry['p05'])} to "
                          f"{format_amount(entry['p95'])}", unit=unit)


def headline_rows(summary: Mapping[str, Any], *, every_outcome: bool = False
                  ) -> list[HeadlineRow]:
    """The rows of the headline outcomes (``every_outcome``: of all of them), in the
    summary's order."""
    return [row for name, entry in summary["outcomes"].items()
            if every_outcome or entry["headline"] for row in outcome_rows(name, entry)]
