"""The base of every distribution (:mod:`sim.distributions`): frozen fields, ``ppf`` by
inverse transform, the range a draw can take, and how a scenario file writes it.

Kept apart so that a distribution defined in another module (the posterior ensemble,
:mod:`sim.ensemble`) can subclass it while :mod:`sim.distributions` lists them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict

from .formatting import compact_number, format_setting

def _as_ordinal(x: Any) -> float:
    return float(x.toordinal()) if isinstance(x, dt.date) else float(x)


def _from_ordinal(x: float) -> dt.date:
    return dt.date.fromordinal(int(round(x)))


class _Dist(BaseModel):
    """Frozen fields; ``ppf``'s constants are cached properties (not in equality or dumps)."""

    # allow_inf_nan: an infinite field (``1e400`` read as text, or from Python) is refused
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    def ppf(self, u: float) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def mean(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def quantile_function(self) -> Callable[[float], Any]:
        """``ppf`` as a plain callable for the sampler's per-replication loop: a distribution
        whose ``ppf`` reads a large table (the posterior ensemble) returns one that holds the
        table's column itself, so a draw does no lookups through the model."""
        return self.ppf

    @property
    def tabulated(self) -> bool:
        """Whether every draw is one of the few values of a table (a posterior ensemble's
        column): storage then keeps a dictionary of them rather than each draw in full."""
        return False

    def bounds(self) -> tuple[Any, Any]:
        """Smallest and largest value the distribution can return (may be infinite)."""
        return self.ppf(0.0), self.ppf(1.0)

    def draw_range(self) -> tuple[Any, Any]:
        """Smallest and largest value a draw can take: what validation must prove finite and
        inside a parameter's bounds.  Every ``ppf`` is monotone, so its ends bound it; a
        formula that overflows shows there as an infinity or a NaN."""
        return self.bounds()

    def describe(self) -> str:
        """``triangular(low=50000, mode=57000, high=73961)``: the fields a scenario file names."""
        fields = ", ".join(f"{k}={_field(v)}" for k, v in self.model_dump(by_alias=True).items()
                           if k != "dist" and v is not None)
        return f"{self.dist}({fields})"  # type: ignore[attr-defined]

    def to_yaml(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


def _field(value: Any) -> str:
    """A field of a distribution in a description or a message: numbers compact, ISO dates."""
    return format_setting(value, compact_number)
