"""What a calibration fits: targets, each a summary of the outcomes with its documented band.

A :class:`Target` names an outcome expression (:mod:`sim.analysis.expressions`: an outcome, an
event such as ``decision == 'south'``, or arithmetic such as ``a / b``), a statistic over a
batch of replications (``share`` of runs in which the event holds, ``median``, a quantile
``q95``), the documented value and the band the record tolerates (``low``/``high``, either
open), and the IDs it comes from.  Dates are written as ISO dates and compared in days.

The tables the package ships are data (:mod:`sim.calibrate.tables`); a calibration can also
read its own from a YAML or JSON file with the same fields.  Each target is checked against
the model's outcomes before anything runs, so a renamed outcome is a one-line error naming the
target, not a silent miss.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.analysis.expressions import OutcomeExpression, compile_outcome
from sim.errors import UserError

#: Statistics a target may take: name -> what it means (quantiles are ``q`` + percent).
STATISTICS = {"share": "share of runs in which the event holds",
              "median": "median over the runs in which the value is defined",
              "mean": "mean over the runs in which the value is defined"}
#: A distance that marks a statistic the runs could not give (no defined value at all).
UNDEFINED = math.inf
_EPOCH = dt.date(1970, 1, 1)


def _days(value: Any) -> float | None:
    """A band value as a number: ISO dates (text or dates) as days since 1970."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return float((value - _EPOCH).days)
    if isinstance(value, str):
        return float((dt.date.fromisoformat(value) - _EPOCH).days)
    return float(value)


@dataclass(frozen=True)
class Target:
    """One documented fact the model should reproduce, with its tolerance band."""

    id: str
    description: str
    outcome: str
    statistic: str
    value: Any
    low: Any = None
    high: Any = None
    where: str | None = None
    sources: tuple[str, ...] = ()
    _expr: OutcomeExpression | None = field(default=None, repr=False, compare=False)
    _where: OutcomeExpression | None = field(default=None, repr=False, compare=False)

    def compiled(self) -> "Target":
        """This target with its expressions parsed and checked against the outcomes."""
        option = f"target {self.id}"
        _check_statistic(self)
        expr = compile_outcome(self.outcome, option=option)
        if self.statistic == "share" and not expr.is_event:
            raise UserError(f"{option}: `share` needs an event such as \"decision == 'south'\","
                            f" got {self.outcome!r}")
        where = compile_outcome(self.where, option=f"{option} (where)") \
            if self.where else None
        if where is not None and not where.is_event:
            raise UserError(f"{option}: `where` must be an event, got {self.where!r}")
        for name in ("value", "low", "high"):
            try:
                _days(getattr(self, name))
            except (TypeError, ValueError):
                raise UserError(f"{option}: `{name}` must be a number or an ISO date, got "
                                f"{getattr(self, name)!r}") from None
        lo, v, hi = self.band
        if (lo is not None and lo > v) or (hi is not None and hi < v):
            raise UserError(f"{option}: needs low <= value <= high")
        return Target(self.id, self.description, self.outcome, self.statistic, self.value,
                      self.low, self.high, self.where, tuple(self.sources), expr, where)

    @property
    def band(self) -> tuple[float | None, float, float | None]:
        return _days(self.low), float(_days(self.value)), _days(self.high)  # type: ignore[arg-type]

    def statistic_of(self, outcomes: Mapping[str, np.ndarray]) -> float:
        """The target's statistic over one batch of replications (NaN when undefined)."""
        assert self._expr is not None, "compile the target first"
        values = self._expr.evaluate(outcomes)
        if self._where is not None:
            values = values[self._where.evaluate(outcomes) > 0.5]
        if self.statistic == "share":
            return float(np.mean(values)) if len(values) else math.nan
        values = values[np.isfinite(values)]
        if not len(values):
            return math.nan
        if self.statistic == "median":
            return float(np.median(values))
        if self.statistic == "mean":
            return float(np.mean(values))
        return float(np.percentile(values, float(self.statistic[1:])))

    def distance(self, stat: float) -> float:
        """How far a statistic is from the record: 0 at the documented value, 1 at the edge
        of the band (so <= 1 means inside it), beyond 1 outside it in band widths."""
        if not math.isfinite(stat):
            return UNDEFINED
        lo, v, hi = self.band
        if stat >= v:
            edge, off = hi, stat - v
        else:
            edge, off = lo, v - stat
        if edge is None:
            return 0.0
        side = abs(edge - v)
        if side > 0:
            return off / side
        if off == 0:
            return 0.0
        return 1.0 + off / self.scale

    @property
    def scale(self) -> float:
        """A band width to measure misses by when one side of the band is closed at the value."""
        lo, v, hi = self.band
        width = (hi - lo) if lo is not None and hi is not None else 0.0
        return width if width > 0 else max(abs(v), 1.0) * 0.1

    def inside(self, stat: float) -> bool:
        return self.distance(stat) <= 1.0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "description": self.description,
                               "outcome": self.outcome, "statistic": self.statistic,
                               "value": self.value, "low": self.low, "high": self.high}
        if self.where:
            out["where"] = self.where
        out["sources"] = list(self.sources)
        return out


def _check_statistic(t: Target) -> None:
    s = t.statistic
    if s in STATISTICS:
        return
    if s.startswith("q"):
        try:
            q = float(s[1:])
        except ValueError:
            q = -1.0
        if 0.0 <= q <= 100.0:
            return
    raise UserError(f"target {t.id}: unknown statistic `{s}`; expected "
                    f"{', '.join(STATISTICS)} or a quantile such as q95")


def target_from_mapping(data: Mapping[str, Any], where: str) -> Target:
    """A target from a file's mapping (``where`` names the file and entry in messages)."""
    if not isinstance(data, Mapping):
        raise UserError(f"{where}: expected a mapping with id, outcome, statistic, value")
    allowed = {"id", "description", "outcome", "statistic", "value", "low", "high", "where",
               "sources"}
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise UserError(f"{where}: unknown field `{unknown[0]}`; expected "
                        f"{', '.join(sorted(allowed))}")
    missing = [k for k in ("id", "outcome", "statistic", "value") if data.get(k) is None]
    if missing:
        raise UserError(f"{where}: `{missing[0]}` is required")
    sources = data.get("sources") or ()
    return Target(str(data["id"]), str(data.get("description") or data["id"]),
                  str(data["outcome"]), str(data["statistic"]), data["value"],
                  data.get("low"), data.get("high"), data.get("where"),
                  tuple(str(s) for s in sources))


class TargetSet:
    """The compiled targets of one calibration, in order, with their joint distance."""

    def __init__(self, targets: Sequence[Target]) -> None:
        if not targets:
            raise UserError("--targets: no targets to fit; expected a table name or a file")
        ids = [t.id for t in targets]
        dup = next((i for i in ids if ids.count(i) > 1), None)
        if dup is not None:
            raise UserError(f"--targets: target {dup} is given twice")
        self.targets = tuple(t.compiled() for t in targets)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.targets]

    def statistics(self, outcomes: Mapping[str, np.ndarray]) -> dict[str, float]:
        return {t.id: t.statistic_of(outcomes) for t in self.targets}

    def distances(self, stats: Mapping[str, float]) -> dict[str, float]:
        return {t.id: t.distance(float(stats[t.id])) for t in self.targets}

    def distance(self, stats: Mapping[str, float]) -> float:
        """The joint distance: the worst target's, so <= 1 means every target is met."""
        return max(self.distances(stats).values())
