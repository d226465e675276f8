"""How the product writes numbers, shares, dates and parameter settings.

Tables, messages, chart labels and the generated parameter reference all format values through
here, so a value reads the same wherever it appears.  Where two places differ on purpose (a
scenario file must spell ``0.0`` exactly, a chart tick may say ``0``; a difference carries its
sign, a level does not) the difference is a named style or a parameter, not a second copy.

Dates are ``datetime.date`` values here; converting the day numbers of a chart axis back to
dates belongs to the charts (:mod:`sim.plots`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np

#: The unit of an event's mean (the share of replications in which it happened): such values
#: are fractions, written to a fixed number of decimals rather than significant digits.
SHARE_OF_RUNS = "share of runs"

#: How a setting's number (an ``int`` or a ``float``) is written; see :func:`format_setting`.
NumberStyle = Callable[[Any], str]


# --------------------------------------------------------------------------------------------
# numbers and shares
# --------------------------------------------------------------------------------------------


def format_number(x: float, sign: bool = False) -> str:
    """1,234 / 37.2 / 0.0312: enough digits for oil stocks, days and fractions alike."""
    plus = "+" if sign else ""
    if abs(x) < 1e-12:  # rounding noise of a difference that is zero
        x = 0.0
    if abs(x) >= 1000:
        return f"{x:{plus},.0f}"
    if abs(x) >= 10:
        return f"{x:{plus}.1f}"
    return f"{x:{plus}.3g}"


def format_magnitude(x: float, signed: bool = False) -> str:
    """Whole with separators from 1,000 up (casualties, men), four significant digits below."""
    sign = "+" if signed else ""
    if abs(x) >= 1000:
        return f"{x:{sign},.0f}"
    return f"{x:{sign}.4g}"


def format_significant(x: float, digits: int = 3) -> str:
    """``x`` rounded to ``digits`` significant digits for reading (430,000 rather than
    429,817.3), with separators from 1,000 up."""
    rounded = x
    if x != 0 and math.isfinite(x):
        rounded = round(x, digits - int(math.floor(math.log10(abs(x)))) - 1)
    return f"{rounded:,.0f}" if abs(rounded) >= 1000 else f"{rounded:g}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 replication``, ``1,000 replications``: a count with its noun, in the right number
    (``many`` for nouns that do not take an ``s``)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def format_thousands(x: float, _pos: Any = None) -> str:
    """Tick label for men: 250k, 1.2M (``_pos`` lets matplotlib's FuncFormatter call it)."""
    if abs(x) >= 1e6:  # 1.05M, not 1.0M three times over a narrow range
        return f"{x / 1e6:.2f}".rstrip("0").rstrip(".") + "M"
    if abs(x) >= 1e4:
        return f"{x / 1e3:.0f}k"
    return f"{x:,.0f}"


def format_share(x: float | None) -> str:
    """A share as a percentage to one decimal (12.3%); ``-`` when there is none."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{x:.1%}"


def format_statistic(kind: str, x: Any) -> str:
    """A statistic in a table cell: ``kind`` ``share`` as a percentage, ``count`` whole with
    separators, any other number by :func:`format_number`.  Text (a date already written as
    ISO) is kept; ``-`` when the statistic is missing or not finite."""
    if isinstance(x, str):
        return x
    if x is None or not math.isfinite(x):
        return "-"
    if kind == "share":
        return f"{x:.1%}"
    if kind == "count":
        return f"{x:,.0f}"
    return format_number(x)


def format_difference(kind: str, x: float | None) -> str:
    """A difference between two statistics, always signed: percentage points for a share,
    whole days for a date, whole men for a count; ``-`` when it is not known."""
    if x is None or not math.isfinite(x):
        return "-"
    if kind == "share":
        return f"{round(x * 100, 1) + 0.0:+.1f} pp"  # + 0.0: no "-0.0"
    if kind == "date":
        return f"{round(x) + 0:+d} d"
    if kind == "count":
        return f"{round(x) + 0:+,d}"
    return format_number(x, sign=True)


def format_analysis_number(x: float, unit: str, signed: bool = False) -> str:
    """A mean or a contribution of an analysed outcome: a share of runs to three decimals
    (so that contributions line up), other units by :func:`format_magnitude`; ``n/a`` when
    the outcome was undefined."""
    if not math.isfinite(x):
        return "n/a"
    if unit == SHARE_OF_RUNS:
        return f"{x:{'+' if signed else ''}.3f}"
    return format_magnitude(x, signed)


# --------------------------------------------------------------------------------------------
# parameter settings
# --------------------------------------------------------------------------------------------


def compact_number(x: Any) -> str:
    """Number style for labels and messages: floats in the shortest form (``:g``)."""
    return f"{x:g}" if isinstance(x, float) else str(x)


def grouped_number(x: Any) -> str:
    """Number style for tables of settings: separators, six significant digits for floats."""
    return f"{x:,.6g}" if isinstance(x, float) else f"{x:,}"


def magnitude_number(x: Any) -> str:
    """Number style for a narrative: floats by :func:`format_magnitude`."""
    return format_magnitude(x) if isinstance(x, float) else str(x)


def format_setting(value: Any, number: NumberStyle = str) -> str:
    """A parameter setting as a reader expects it: ``true``/``false`` (numpy's booleans too),
    ISO dates, numbers in the ``number`` style and anything else as text.

    The default style writes numbers exactly as Python does, so the text reads back as the same
    value (override specs, sampled points in CSV files)."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return number(value)
    return str(value)


def format_param_value(value: Any) -> str:
    """A value quoted in a message or a settings table: ``-`` for none, strings in quotes (so
    that ``'north'`` reads as text), numbers compact, any other object by its ``repr``."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (bool, dt.date, int, float)):
        return format_setting(value, compact_number)
    return repr(value)


def format_range(lo: Any, hi: Any, show: Callable[[Any], str] = format_param_value) -> str:
    """``[lo, hi]``, ``>= lo`` or ``<= hi`` (``None`` is an open end); empty when both are."""
    if lo is None and hi is None:
        return ""
    if hi is None:
        return f">= {show(lo)}"
    if lo is None:
        return f"<= {show(hi)}"
    return f"[{show(lo)}, {show(hi)}]"
