"""Exact Shapley values on plain arrays and callables: the weights, the attribution of a
``(2**k, n)`` matrix of per-replication values with a CRN-paired bootstrap, and any model."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from sim.analysis.options import (
    bootstrap_memory,
    check_memory,
    check_seed,
    format_count,
    results_memory,
)
from sim.analysis.shapley.result import Attribution
from sim.errors import UserError

MAX_FACTORS = 10  # 2**10 = 1024 scenarios: beyond that the exact method is not sensible
DEFAULT_BOOTSTRAP = 1000


def shapley_weights(k: int) -> np.ndarray:
    """The (k, 2**k) matrix ``W`` with ``phi = W @ v`` for coalition values ``v``.

    Coalition ``S`` is the bit mask with bit *i* set when factor *i* is switched.  Factor *i*
    receives ``|S|! (k - |S| - 1)! / k!`` times ``v(S + i) - v(S)`` for every ``S`` without *i*.
    """
    check_factor_count(k)
    size = 1 << k
    weight_by_size = [
        math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)
    ]
    popcount = np.array([bin(m).count("1") for m in range(size)])
    weights = np.zeros((k, size))
    for i in range(k):
        bit = 1 << i
        without = np.array([m for m in range(size) if not m & bit])
        w = np.array([weight_by_size[s] for s in popcount[without]])
        weights[i, without | bit] += w
        weights[i, without] -= w
    return weights


def check_factor_count(k: int) -> None:
    """Exact Shapley values need all ``2**k`` combinations: ``k`` from 1 to :data:`MAX_FACTORS`."""
    if not 1 <= k <= MAX_FACTORS:
        raise UserError(
            f"Shapley attribution needs 1 to {MAX_FACTORS} factors ({2**MAX_FACTORS:,} "
            f"combinations), got {k}; choose them with --factors"
        )


def check_attribution_size(factors: int, runs: int, bootstrap: int, *, simulated: bool = False) -> None:
    """Refuse an attribution too big for memory before anything runs: its bootstrap and, when
    the ``2**factors`` combinations are ``simulated`` on the model, their results."""
    check_factor_count(factors)
    combinations = 1 << factors
    needed = bootstrap_memory(combinations, runs, bootstrap)
    what = f"explain: {combinations:,} factor combinations x {format_count(runs)} runs"
    if simulated:
        needed += results_memory(combinations, runs, series=False)  # outcome_matrix
        what += f" = {format_count(combinations * runs)} replications in all"
    check_memory(needed, f"{what}, with {format_count(bootstrap)} bootstrap resamples,",
                 "lower --runs or --bootstrap, or choose fewer --factors")


def shapley_values(coalition_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Exact Shapley values from the ``2**k`` coalition values (indexed by bit mask)."""
    v = np.asarray(coalition_values, dtype=np.float64)
    k = int(round(math.log2(len(v)))) if len(v) else 0
    if len(v) != 1 << k or k == 0:
        raise ValueError(f"need 2**k coalition values, got {len(v)}")
    return shapley_weights(k) @ v


def attribute_matrix(
    per_replication: np.ndarray,
    factor_names: Sequence[str],
    *,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int | None = 0,
    confidence: float = 0.95,
    outcome: str = "outcome",
    unit: str = "",
    labels: Sequence[str] | None = None,
) -> Attribution:
    """Shapley attribution from a ``(2**k, n)`` matrix of per-replication values.

    Row ``mask`` holds the values with the factors in bit mask ``mask`` switched; column *j*
    is replication *j* in every row (the CRN pairing the bootstrap keeps).  NaN marks an
    undefined value and is left out of the means.
    """
    y = np.asarray(per_replication, dtype=np.float64)
    k = len(factor_names)
    if y.ndim != 2 or y.shape[0] != 1 << k:
        raise ValueError(f"expected a (2**{k}, n) matrix, got shape {y.shape}")
    n = y.shape[1]
    if n < 1:
        raise UserError("attribution needs at least one replication per scenario")
    check_attribution_size(k, n, bootstrap)
    seed = check_seed(seed)
    weights = shapley_weights(k)
    defined = ~np.isnan(y)
    filled = np.where(defined, y, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = filled.sum(axis=1) / defined.sum(axis=1)
    phi = weights @ means

    rng = np.random.default_rng(seed)
    alpha = (1 - confidence) / 2
    if bootstrap > 0:
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=bootstrap).T.astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            boot_means = (filled @ counts) / (defined.astype(np.float64) @ counts)
        boot_phi = weights @ boot_means
        boot_total = boot_means[-1] - boot_means[0]
        lo = np.nanquantile(boot_phi, alpha, axis=1)
        hi = np.nanquantile(boot_phi, 1 - alpha, axis=1)
        total_ci = (float(np.nanquantile(boot_total, alpha)), float(np.nanquantile(boot_total, 1 - alpha)))
    else:
        lo = hi = np.full(k, np.nan)
        total_ci = (math.nan, math.nan)
    names = list(factor_names)
    return Attribution(
        outcome=outcome,
        unit=unit,
        factor_names=names,
        labels=list(labels) if labels is not None else names,
        coalition_values=means,
        contributions={nm: float(p) for nm, p in zip(names, phi)},
        ci={nm: (float(a), float(b)) for nm, a, b in zip(names, lo, hi)},
        total_ci=total_ci,
        runs=n,
        bootstrap=bootstrap,
        confidence=confidence,
        seed=seed,
        missing_share=float(1 - defined.mean()),
    )


def attribute_function(
    evaluate: Callable[[frozenset[str]], np.ndarray | Sequence[float]],
    factor_names: Sequence[str],
    *,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int | None = 0,
    confidence: float = 0.95,
    outcome: str = "outcome",
    unit: str = "",
) -> Attribution:
    """Shapley attribution for any model: ``evaluate(switched)`` returns per-replication values.

    ``switched`` is the set of factor names moved to their counterfactual.  Every call must
    return the same number of replications, replication *j* using the same random numbers in
    every call (common random numbers), or the bootstrap pairing is meaningless.
    """
    names = list(factor_names)
    rows = []
    for mask in range(1 << len(names)):
        switched = frozenset(n for i, n in enumerate(names) if mask >> i & 1)
        rows.append(np.atleast_1d(np.asarray(evaluate(switched), dtype=np.float64)))
    lengths = {len(r) for r in rows}
    if len(lengths) != 1:
        raise ValueError(f"evaluate returned different numbers of replications: {sorted(lengths)}")
    return attribute_matrix(
        np.vstack(rows), names, bootstrap=bootstrap, seed=seed, confidence=confidence,
        outcome=outcome, unit=unit,
    )
