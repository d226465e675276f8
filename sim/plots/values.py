"""Outcome values as a figure plots them: which outcomes a figure can show, values as axis
numbers (dates as matplotlib day numbers) and back to text, and category shares."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Any

import matplotlib.dates as mdates
import numpy as np

from sim.analysis.expressions import outcome_named
from sim.formatting import format_statistic
from sim.outcomes import OUTCOMES, Outcome
from sim.stats import wilson_interval


def numeric_outcomes(results: Any, names: Iterable[str] | None = None) -> list[Outcome]:
    """The outcomes with a number or date value that are present in ``results``."""
    pool = [outcome_named(w) for w in names] if names is not None else list(OUTCOMES)
    return [o for o in pool if o.kind != "category" and o.name in results.outcomes]


def category_outcomes(results: Any) -> list[Outcome]:
    return [o for o in OUTCOMES if o.kind == "category" and o.name in results.outcomes]


def as_float(outcome: Outcome, values: np.ndarray) -> np.ndarray:
    """Values as floats (dates as matplotlib day numbers), NaN where the event did not happen."""
    arr = np.asarray(values)
    if outcome.kind == "date":
        if arr.dtype.kind != "M":
            arr = np.array([_to_datetime64(v) for v in arr], dtype="datetime64[D]")
        out = np.full(arr.shape, np.nan)
        ok = ~np.isnat(arr)
        out[ok] = mdates.date2num(arr[ok])
        return out
    return np.asarray(arr, dtype=float)


def _to_datetime64(v: Any) -> np.datetime64:
    if v is None or v == "" or (isinstance(v, float) and math.isnan(v)):
        return np.datetime64("NaT")
    return np.datetime64(str(v)[:10], "D")


def format_value(outcome: Outcome, x: float) -> str:
    """A value for a table or label: dates (axis day numbers) as ISO, men with separators."""
    if outcome.kind == "date" and x is not None and np.isfinite(x):
        return mdates.num2date(x).date().isoformat()
    return format_statistic(outcome.kind, x)


def month_dates(series: Any) -> np.ndarray:
    """The series' month-end dates as matplotlib day numbers."""
    months = [m if isinstance(m, dt.date) else dt.date.fromisoformat(str(m)[:10])
              for m in series.months]
    return np.asarray(mdates.date2num(months))


def category_shares(values: np.ndarray, categories: Sequence[str]
                    ) -> list[tuple[str, float, float, float, int]]:
    """(category, share, low, high, count) for each category, with Wilson 95 % intervals."""
    arr = np.asarray(values).astype(str)
    n = int(arr.size)
    out = []
    for cat in categories:
        k = int(np.count_nonzero(arr == cat))
        share, lo, hi = wilson_interval(k, n)
        out.append((cat, share, lo, hi, k))
    return out
