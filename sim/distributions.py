"""Uncertain parameter values.

A parameter is either fixed or drawn from one of the distributions below.  Every
distribution is sampled by *inverse transform*: the engine hands it one uniform number ``u``
in (0, 1) and it returns ``ppf(u)``.  Two scenarios that share a seed therefore draw the same
``u`` for the same parameter in the same replication (common random numbers), and a global
sensitivity analysis can feed the unit hypercube of its own design straight in.

In YAML a distribution is a mapping with a ``dist`` key::

    soviet_men: {dist: triangular, low: 50000, mode: 57000, high: 73961}
    embargo_date: {dist: uniform, low: 1941-07-25, high: 1941-08-15}

``uniform``, ``triangular`` and ``pert`` accept ISO dates for their bounds and then return dates.
``ensemble`` (:mod:`sim.ensemble`) is a column of a posterior file, drawn jointly with the others.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cached_property
from typing import Annotated, Any, Literal, Union

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, model_validator
from scipy import special

from .dist_base import _as_ordinal, _Dist, _field, _from_ordinal
from .ensemble import Ensemble
from .errors import did_you_mean
from .quantiles import BETA_SHAPES, LARGEST_UNIFORM, beta_quantile, safe_exp


class _DateAware(_Dist):
    """Distributions on an interval, whose bounds may be numbers or ISO dates."""

    def _is_date(self) -> bool:
        return isinstance(getattr(self, "low"), dt.date)

    def _out(self, x: float) -> Any:
        return _from_ordinal(x) if self._is_date() else x

    def _check_same_kind(self, *values: Any) -> None:
        if len({isinstance(v, dt.date) for v in values}) > 1:
            raise ValueError("bounds must be all numbers or all ISO dates")


class Normal(_Dist):
    """Normal(mean, sd), optionally truncated to [low, high]."""

    dist: Literal["normal"]
    mean_: float = Field(alias="mean")
    sd: float = Field(gt=0)
    low: float | None = None
    high: float | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)

    @model_validator(mode="after")
    def _check(self) -> "Normal":
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"needs low < high (got low={self.low:g}, high={self.high:g})")
        return self

    def ppf(self, u: float) -> float:
        lo = 0.0 if self.low is None else float(special.ndtr((self.low - self.mean_) / self.sd))
        hi = 1.0 if self.high is None else float(special.ndtr((self.high - self.mean_) / self.sd))
        p = lo + (hi - lo) * u
        x = self.mean_ + self.sd * float(special.ndtri(min(max(p, 1e-12), 1 - 1e-12)))
        if self.low is not None:
            x = max(x, self.low)
        if self.high is not None:
            x = min(x, self.high)
        return x

    def mean(self) -> float:
        if self.low is None and self.high is None:
            return self.mean_
        # numerical mean of the truncated normal (midpoint rule on u)
        n = 2000
        return sum(self.ppf((i + 0.5) / n) for i in range(n)) / n

    def to_yaml(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump(by_alias=True).items() if v is not None}


class LogNormal(_Dist):
    """Lognormal given its median and log-sd ``sigma``, or its 5th and 95th percentiles.

    The percentile form is how `history.md` suggests fitting casualty figures: the credible
    range (low, high) is read as the 5th-95th percentile band.
    """

    dist: Literal["lognormal"]
    median: float | None = Field(default=None, gt=0)
    sigma: float | None = Field(default=None, gt=0)
    p05: float | None = Field(default=None, gt=0)
    p95: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _check(self) -> "LogNormal":
        by_median = self.median is not None and self.sigma is not None
        by_pct = self.p05 is not None and self.p95 is not None
        if by_median == by_pct:
            raise ValueError("needs either `median` and `sigma`, or `p05` and `p95`")
        if by_pct and not self.p05 < self.p95:  # type: ignore[operator]
            raise ValueError(f"needs p05 < p95 (got p05={self.p05:g}, p95={self.p95:g})")
        return self

    @cached_property
    def _mu_sigma(self) -> tuple[float, float]:
        if self.median is not None:
            return math.log(self.median), float(self.sigma)  # type: ignore[arg-type]
        z95 = 1.6448536269514722
        lo, hi = math.log(self.p05), math.log(self.p95)  # type: ignore[arg-type]
        return (lo + hi) / 2, (hi - lo) / (2 * z95)

    def ppf(self, u: float) -> float:
        mu, s = self._mu_sigma
        if u <= 0.0:
            return 0.0
        if u >= 1.0:
            return math.inf
        return safe_exp(mu + s * float(special.ndtri(u)))

    def draw_range(self) -> tuple[float, float]:
        """``ppf(1)`` is infinite, but no draw reaches it: the largest is at
        :data:`LARGEST_UNIFORM` (infinite too when ``sigma`` is huge)."""
        return 0.0, self.ppf(LARGEST_UNIFORM)

    def mean(self) -> float:
        mu, s = self._mu_sigma
        return safe_exp(mu + s * s / 2)


class Uniform(_DateAware):
    """Uniform on [low, high] (numbers or dates)."""

    dist: Literal["uniform"]
    low: float | dt.date
    high: float | dt.date

    @model_validator(mode="after")
    def _check(self) -> "Uniform":
        self._check_same_kind(self.low, self.high)
        if not _as_ordinal(self.low) < _as_ordinal(self.high):
            raise ValueError(
                f"needs low < high (got low={_field(self.low)}, high={_field(self.high)})"
            )
        return self

    def ppf(self, u: float) -> Any:
        a, b = _as_ordinal(self.low), _as_ordinal(self.high)
        return self._out(a + (b - a) * u)

    def mean(self) -> Any:
        return self.ppf(0.5)


class Triangular(_DateAware):
    """Triangular(low, mode, high) (numbers or dates)."""

    dist: Literal["triangular"]
    low: float | dt.date
    mode: float | dt.date
    high: float | dt.date

    @model_validator(mode="after")
    def _check(self) -> "Triangular":
        self._check_same_kind(self.low, self.mode, self.high)
        a, c, b = _as_ordinal(self.low), _as_ordinal(self.mode), _as_ordinal(self.high)
        if not (a <= c <= b and a < b):
            raise ValueError(
                "needs low <= mode <= high and low < high "
                f"(got low={_field(self.low)}, mode={_field(self.mode)}, high={_field(self.high)})"
            )
        return self

    @cached_property
    def _shape(self) -> tuple[float, ...]:  # a, b, F(c), b - a, c - a, b - c for low a, mode c
        a, c, b = _as_ordinal(self.low), _as_ordinal(self.mode), _as_ordinal(self.high)
        return a, b, (c - a) / (b - a), b - a, c - a, b - c

    def ppf(self, u: float) -> Any:
        a, b, fc, ba, ca, bc = self._shape
        if u < fc:
            x = a + math.sqrt(u * ba * ca)
        else:
            x = b - math.sqrt((1 - u) * ba * bc)
        return self._out(x)

    def mean(self) -> Any:
        return self._out(
            (_as_ordinal(self.low) + _as_ordinal(self.mode) + _as_ordinal(self.high)) / 3
        )


class Pert(_DateAware):
    """PERT(low, mode, high): a beta shaped by a most-likely value, as `history.md` suggests
    for force levels."""

    dist: Literal["pert"]
    low: float | dt.date
    mode: float | dt.date
    high: float | dt.date
    shape: float = Field(default=4.0, gt=0)

    @model_validator(mode="after")
    def _check(self) -> "Pert":
        self._check_same_kind(self.low, self.mode, self.high)
        a, c, b = _as_ordinal(self.low), _as_ordinal(self.mode), _as_ordinal(self.high)
        if not (a <= c <= b and a < b):
            raise ValueError(
                "needs low <= mode <= high and low < high "
                f"(got low={_field(self.low)}, mode={_field(self.mode)}, high={_field(self.high)})"
            )
        if self.shape > BETA_SHAPES[1]:
            raise ValueError(f"needs shape <= {BETA_SHAPES[1]:g} (got shape={self.shape:g})")
        return self

    @cached_property
    def _ab(self) -> tuple[float, float, float, float]:  # low, high - low, alpha, beta
        a, c, b = _as_ordinal(self.low), _as_ordinal(self.mode), _as_ordinal(self.high)
        alpha = 1 + self.shape * (c - a) / (b - a)
        beta = 1 + self.shape * (b - c) / (b - a)
        return a, b - a, alpha, beta

    def ppf(self, u: float) -> Any:
        a, width, al, be = self._ab
        return self._out(a + width * beta_quantile(al, be, u))

    def mean(self) -> Any:
        a, width, al, be = self._ab
        return self._out(a + width * al / (al + be))


class Beta(_Dist):
    """Beta(alpha, beta) scaled to [low, high] (default [0, 1]), for fractions and shares."""

    dist: Literal["beta"]
    alpha: float = Field(gt=0)
    beta: float = Field(gt=0)
    low: float = 0.0
    high: float = 1.0

    @model_validator(mode="after")
    def _check(self) -> "Beta":
        if not self.low < self.high:
            raise ValueError(f"needs low < high (got low={self.low:g}, high={self.high:g})")
        lowest, highest = BETA_SHAPES
        if not (lowest <= self.alpha <= highest and lowest <= self.beta <= highest):
            raise ValueError(
                f"needs alpha and beta in [{lowest:g}, {highest:g}] "
                f"(got alpha={self.alpha:g}, beta={self.beta:g})"
            )
        return self

    def ppf(self, u: float) -> float:
        return self.low + (self.high - self.low) * beta_quantile(self.alpha, self.beta, u)

    def mean(self) -> float:
        return self.low + (self.high - self.low) * self.alpha / (self.alpha + self.beta)


class Choice(_Dist):
    """A discrete choice among ``values`` with optional ``weights`` (normalised)."""

    dist: Literal["choice"]
    values: list[Any] = Field(min_length=1)
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _check(self) -> "Choice":
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"needs one weight per value (got {len(self.weights)} weights "
                    f"for {len(self.values)} values)"
                )
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("weights must be non-negative and not all zero")
            if not math.isfinite(sum(self.weights)):  # 1e308 + 1e308: every share would be 0
                raise ValueError("weights must add up to a finite number; scale them down")
        return self

    def _cum(self) -> list[float]:
        w = self.weights or [1.0] * len(self.values)
        total = float(sum(w))
        acc, out = 0.0, []
        for x in w:
            acc += x / total
            out.append(acc)
        return out

    def ppf(self, u: float) -> Any:
        for value, edge in zip(self.values, self._cum()):
            if u < edge:
                return value
        return self.values[-1]

    def mean(self) -> Any:
        w = self.weights or [1.0] * len(self.values)
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in self.values):
            return sum(v * x for v, x in zip(self.values, w)) / sum(w)
        return self.values[max(range(len(w)), key=w.__getitem__)]

    def bounds(self) -> tuple[Any, Any]:
        try:
            return min(self.values), max(self.values)
        except TypeError:
            return self.values[0], self.values[-1]


Distribution = Annotated[
    Union[Normal, LogNormal, Uniform, Triangular, Pert, Beta, Choice, Ensemble],
    Field(discriminator="dist"),
]
#: The distributions defined by their fields alone, and those that read a file (an ensemble).
DIST_NAMES = ("normal", "lognormal", "uniform", "triangular", "pert", "beta", "choice")
FILE_DIST_NAMES = ("ensemble",)
_NAMES = DIST_NAMES + FILE_DIST_NAMES
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Distribution)


def is_distribution(value: Any) -> bool:
    return isinstance(value, _Dist)


def parse_distribution(spec: dict[str, Any]) -> _Dist:
    """Build a distribution from a YAML mapping; raise ``ValueError`` with a one-line message."""
    name = spec.get("dist")
    expected = f"expected one of {', '.join(_NAMES)}"
    if isinstance(name, (list, tuple, dict)):  # never quoted: aliases make them huge
        kind = "a mapping" if isinstance(name, dict) else "a list"
        raise ValueError(f"`dist` must be the name of a distribution, got {kind}; {expected}")
    if name not in _NAMES:
        shown = str(name)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        hint = did_you_mean(shown, _NAMES)
        raise ValueError(f"unknown distribution `{shown}`{hint}; {expected}")
    try:
        return _ADAPTER.validate_python(spec)
    except ValidationError as exc:
        raise ValueError(f"{name}: {one_line(exc)}") from None


def one_line(exc: ValidationError) -> str:
    """Condense a pydantic error into one readable line."""
    msgs = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("function-", "_")))
        # drop the discriminator tag pydantic puts first in the location
        loc = ".".join(p for p in loc.split(".") if p not in _NAMES)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "is required"
        elif err["type"] == "extra_forbidden":
            msg = "is not a known field"
        msgs.append(f"`{loc}` {msg}" if loc else msg)
    return "; ".join(msgs)
