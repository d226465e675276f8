"""Encoding of outcome values as compact array codes, and back.

Categories are int8 codes (-1 when missing), dates int64 day numbers since 1970-01-01 (numpy's
NaT when the event did not happen), numbers and counts float64 (NaN when missing).  The same
codes are what workers send back, what outcomes.npz holds and what runs.csv is written from.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from sim.outcomes import OUTCOME_NAMES, OUTCOMES, Outcome

#: int64 marker of a missing date (numpy's NaT).
NAT = np.iinfo(np.int64).min
#: Missing category code.
NO_CATEGORY = -1
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_DTYPES = {"category": np.int8, "date": np.int64, "count": np.float64, "number": np.float64}

CSV_HEADER = ",".join(("replication", *OUTCOME_NAMES)) + "\n"


def empty_codes(n: int) -> dict[str, np.ndarray]:
    """Arrays for ``n`` replications, filled with 'missing'."""
    out: dict[str, np.ndarray] = {}
    for o in OUTCOMES:
        if o.kind == "category":
            out[o.name] = np.full(n, NO_CATEGORY, dtype=np.int8)
        elif o.kind == "date":
            out[o.name] = np.full(n, NAT, dtype=np.int64)
        else:
            out[o.name] = np.full(n, np.nan, dtype=np.float64)
    return out


def make_encoder(outcome: Outcome) -> Callable[[Any], int | float]:
    """A fast function turning one value of ``outcome`` into its array code.

    Raises ``ValueError`` (naming the outcome) for a value of the wrong kind, so that a model
    bug is reported as a failed replication rather than silently stored.
    """
    name = outcome.name
    if outcome.kind == "category":
        index = {c: i for i, c in enumerate(outcome.categories)}
        choices = ", ".join(outcome.categories)

        def encode_category(value: Any) -> int:
            if value is None:
                return NO_CATEGORY
            try:
                return index[value]
            except (KeyError, TypeError):
                raise ValueError(f"outcome {name} = {value!r} is not one of {choices}") from None

        return encode_category
    if outcome.kind == "date":
        def encode_date(value: Any) -> int:
            if value is None:
                return NAT
            if type(value) is dt.date:
                return value.toordinal() - _EPOCH_ORDINAL
            if isinstance(value, dt.datetime):
                return value.date().toordinal() - _EPOCH_ORDINAL
            if isinstance(value, dt.date):
                return value.toordinal() - _EPOCH_ORDINAL
            raise ValueError(f"outcome {name} = {value!r} is not a date")

        return encode_date

    def encode_number(value: Any) -> float:
        if value is None:
            return math.nan
        t = type(value)
        if t is float or t is int:
            x = float(value)
        elif isinstance(value, (np.integer, np.floating)) or (
                isinstance(value, (int, float)) and not isinstance(value, bool)):
            x = float(value)
        else:
            raise ValueError(f"outcome {name} = {value!r} is not a number")
        if x - x != 0.0:  # NaN or infinite
            raise ValueError(f"outcome {name} = {value!r} is not finite")
        return x

    return encode_number


#: One encoder per outcome, in OUTCOMES order.
ENCODERS: tuple[tuple[str, Callable[[Any], int | float]], ...] = tuple(
    (o.name, make_encoder(o)) for o in OUTCOMES)


def encode_value(outcome: Outcome, value: Any) -> int | float:
    """One outcome value as its array code; raises ``ValueError`` for a value of the wrong kind."""
    return make_encoder(outcome)(value)


def encode_outcomes(outcomes: Mapping[str, Any]) -> list[int | float]:
    """Codes of every outcome of one replication (OUTCOMES order); ValueError if any is bad."""
    try:
        return [enc(outcomes[name]) for name, enc in ENCODERS]
    except KeyError as exc:
        raise ValueError(f"model returned no outcome {exc.args[0]}") from None


def codes_from_rows(rows: list[list[int | float]]) -> dict[str, np.ndarray]:
    """Column arrays from per-replication code lists (as made by :func:`encode_outcomes`)."""
    if not rows:
        return empty_codes(0)
    cols = list(zip(*rows))
    return {o.name: np.array(col, dtype=_DTYPES[o.kind]) for o, col in zip(OUTCOMES, cols)}


def decode_value(outcome: Outcome, code: Any) -> Any:
    """The Python value (str, date, float or None) of one array code."""
    if outcome.kind == "category":
        return None if int(code) == NO_CATEGORY else outcome.categories[int(code)]
    if outcome.kind == "date":
        return None if int(code) == NAT else dt.date.fromordinal(int(code) + _EPOCH_ORDINAL)
    x = float(code)
    return None if math.isnan(x) else x


def day_to_iso(day: int | None) -> str | None:
    """An int64 day number as an ISO date (None stays None)."""
    return None if day is None else dt.date.fromordinal(int(day) + _EPOCH_ORDINAL).isoformat()


#: runs.csv's text of the day numbers met so far (a run's dates fall on a few thousand days,
#: each written thousands of times); bounded, so odd inputs cannot make it grow for ever.
_ISO_DAYS: dict[int, str] = {NAT: ""}
_ISO_DAYS_MAX = 1 << 16


def _iso_day(day: int) -> str:
    """The ISO text of a day number (empty for NaT), remembered in :data:`_ISO_DAYS`."""
    text = dt.date.fromordinal(day + _EPOCH_ORDINAL).isoformat()
    if len(_ISO_DAYS) < _ISO_DAYS_MAX:
        _ISO_DAYS[day] = text
    return text


def csv_rows(replications: np.ndarray, codes: Mapping[str, np.ndarray]) -> Iterator[str]:
    """runs.csv lines (without header) from encoded arrays, formatted with ``to_cell``."""
    columns: list[list[str]] = []
    for o in OUTCOMES:
        arr = codes[o.name]
        if o.kind == "category":
            cats = [*o.categories, ""]  # code -1 picks the last entry: empty
            columns.append([cats[c] for c in arr.tolist()])
        elif o.kind == "date":
            iso = _ISO_DAYS
            columns.append([iso[d] if d in iso else _iso_day(d) for d in arr.tolist()])
        elif o.kind == "count":
            # exactly to_cell("count", x): str(int(round(x))) (a test holds the two together)
            columns.append(["" if x != x else str(int(round(x))) for x in arr.tolist()])
        else:
            # exactly to_cell("number", x): repr(float(round(x, 6)))
            columns.append(["" if x != x else repr(round(x, 6)) for x in arr.tolist()])
    for rep, row in zip(replications.tolist(), zip(*columns)) if columns else ():
        yield f"{rep},{','.join(row)}\n"


def code_from_cell(outcome: Outcome, cell: str) -> int | float:
    """The array code of one non-empty runs.csv cell (the inverse of :func:`csv_rows`)."""
    if outcome.kind == "category":
        return outcome.categories.index(cell)
    if outcome.kind == "date":
        return dt.date.fromisoformat(cell).toordinal() - _EPOCH_ORDINAL
    return float(cell)
