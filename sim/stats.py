"""Small statistics helpers shared by results, comparisons and analyses.

Kept free of scipy so that they are cheap to import and their behaviour is easy to audit:
the 95% intervals use z = 1.959963984540054 (normal quantile), which for Monte Carlo sample
sizes (hundreds and more) is indistinguishable from Student's t.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

#: Two-sided 95% normal quantile.
Z95 = 1.959963984540054

#: Quantiles reported everywhere (summary.json, series summaries, plots).
QUANTILES: dict[str, float] = {"p05": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float, float]:
    """Share ``successes / n`` with its Wilson score interval ``(p, lo, hi)``.

    Wilson rather than the textbook p ± z·se because Monte Carlo shares are often near 0 or 1
    (a decision that almost never happens), where the textbook interval leaves [0, 1] or
    collapses to zero width.  With ``n == 0`` nothing is known: ``(nan, 0, 1)``.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got {successes} of {n}")
    if n == 0:
        return math.nan, 0.0, 1.0
    p = successes / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    lo = max(0.0, centre - half)
    hi = min(1.0, centre + half)
    # Guard against rounding putting the bound on the wrong side of p at the extremes.
    return p, min(lo, p), max(hi, p)


def wilson_half_width(successes: int, n: int, z: float = Z95) -> float:
    """Half the width of the Wilson interval: the precision a share is known to."""
    _, lo, hi = wilson_interval(successes, n, z)
    return (hi - lo) / 2


def _finite(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """The finite values as float64: the array itself when all are (a million-replication
    column is 8 MB, and the statistics of summary.json are taken one column at a time)."""
    x = np.asarray(values, dtype=np.float64)
    mask = np.isfinite(x)
    return x if mask.all() else x[mask]


def mean_interval(values: np.ndarray, z: float = Z95) -> tuple[float, float, float]:
    """Mean of the finite values with a normal 95% interval ``(mean, lo, hi)``.

    NaN (a missing outcome) is left out.  With fewer than two values the interval is the
    mean itself (one value) or NaN (none): there is no spread to estimate.
    """
    x = _finite(values)
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(np.mean(x))
    if n == 1:
        return mean, mean, mean
    se = float(np.std(x, ddof=1)) / math.sqrt(n)
    return mean, mean - z * se, mean + z * se


def quantiles(values: np.ndarray, qs: dict[str, float] | None = None) -> dict[str, float]:
    """Named quantiles of the finite values (linear interpolation; NaN when there are none)."""
    qs = QUANTILES if qs is None else qs
    x = _finite(values)
    if x.size == 0:
        return {name: math.nan for name in qs}
    got = np.quantile(x, list(qs.values()))
    return {name: float(v) for name, v in zip(qs, got)}


def date_quantiles(days: np.ndarray, qs: dict[str, float] | None = None) -> dict[str, int | None]:
    """Quantiles of dates given as int64 days since 1970-01-01 (NaT/min int = missing).

    Quantiles of dates are taken on day numbers and rounded down to a whole day ('lower'
    interpolation) so that the answer is a date that actually occurred in some run.
    """
    qs = QUANTILES if qs is None else qs
    d = np.asarray(days)
    d = d[d != np.iinfo(np.int64).min]
    if d.size == 0:
        return {name: None for name in qs}
    got = np.quantile(d, list(qs.values()), method="lower")
    return {name: int(v) for name, v in zip(qs, got)}


def paired_difference(a: np.ndarray, b: np.ndarray, z: float = Z95) -> tuple[float, float, float]:
    """Mean of ``a - b`` over replications where both are present, with a 95% interval.

    With common random numbers, replication *i* of two scenarios share every random draw, so
    the paired difference has far less variance than the difference of two independent means.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"paired samples must have the same length, got {a.shape} and {b.shape}")
    return mean_interval(a - b, z)


def required_runs(p: float, half_width: float, z: float = Z95) -> int:
    """Runs needed for a share near ``p`` to have a 95% half-width of ``half_width``."""
    if not 0 < half_width < 1:
        raise ValueError(f"half-width must be in (0, 1), got {half_width}")
    p = min(max(p, 0.0), 1.0)
    return max(1, math.ceil(z * z * max(p * (1 - p), 1e-4) / (half_width * half_width)))


def describe(values: Sequence[float] | np.ndarray) -> dict[str, float]:
    """Mean, its 95% interval, standard deviation, quantiles, min and max of finite values."""
    finite = _finite(values)
    mean, lo, hi = mean_interval(finite)
    out: dict[str, float] = {"mean": mean, "ci95_low": lo, "ci95_high": hi}
    out["sd"] = float(np.std(finite, ddof=1)) if finite.size > 1 else math.nan
    out.update(quantiles(finite))
    out["min"] = float(finite.min()) if finite.size else math.nan
    out["max"] = float(finite.max()) if finite.size else math.nan
    return out
