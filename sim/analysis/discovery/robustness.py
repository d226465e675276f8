"""How far to trust the boxes PRIM prints: do their restrictions come back when the sample is
drawn again (:func:`resampling_stability`), and which parameters matter at all, box or no box
(:func:`feature_scores`, extra-trees importances as in EMA Workbench)?

A restriction that is significant (small quasi-p), recurs in most resamples and sits on a
parameter with a high feature score is a finding; one that fails these is likely noise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.analysis.discovery.prim import (
    SIMPLIFY_TOLERANCE, Box, _Data, _mean, _paste, _peel, _restricted, _simplify,
)
from sim.analysis.space import Dimension, as_number
from sim.errors import UserError

#: Bootstrap resamples per box for :func:`resampling_stability`.
DEFAULT_RESAMPLES = 30
#: Trees of the extra-trees forest behind :func:`feature_scores`.
TREES = 250
#: Smallest leaf, as a share of the points: a point's target share is the noisy mean of a
#: few runs, and trees grown to single points would score that noise as importance.
MIN_LEAF_SHARE = 0.02


def resampling_stability(
    columns: Mapping[str, Sequence[Any]],
    y: np.ndarray,
    boxes: Sequence[Box],
    *,
    categorical: Sequence[str],
    seed: int,
    resamples: int = DEFAULT_RESAMPLES,
    min_density: float = 0.5,
    alpha: float = 0.05,
    min_mass: float = 0.05,
) -> None:
    """Fill each box's ``stability``: over ``resamples`` bootstrap resamples of the points the
    box was found among, the share in which PRIM, peeling the resample, restricts each of the
    box's parameters at the step whose coverage is nearest the box's own (among the steps
    dense enough, if any is).  A restriction the data really call for comes back nearly
    every time; one fitted to the sample's noise comes and goes."""
    if resamples < 1 or not boxes:
        return
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x5AB1E]))
    cats = set(categorical)
    arrays = {name: np.asarray(col, dtype=object) for name, col in columns.items()}
    for box in boxes:
        among = np.flatnonzero(box.among) if box.among is not None else np.arange(len(y))
        counts = dict.fromkeys(box.restricted, 0)
        for _ in range(resamples):
            pick = rng.choice(among, size=among.size, replace=True)
            again = _restricted_near(_Data({n: a[pick] for n, a in arrays.items()}, cats),
                                     y[pick], box.coverage, min_density, alpha, min_mass)
            for name in counts:
                counts[name] += name in again
        box.stability = {name: c / resamples for name, c in counts.items()}


def _restricted_near(data: _Data, y: np.ndarray, coverage: float, min_density: float,
                     alpha: float, min_mass: float) -> set[str]:
    """The parameters restricted at the peeling step whose coverage is nearest ``coverage``,
    once pasted and simplified as :func:`prim` does."""
    total = float(y.sum())
    rows = np.ones(len(y), dtype=bool)
    if total <= 0:
        return set()
    steps = _peel(data, y, rows, alpha, min_mass * len(y))
    dense = [s for s in steps if _mean(y, s[1]) >= min_density] or steps
    limits, _ = min(dense, key=lambda s: abs(float(y[s[1]].sum()) / total - coverage))
    limits = _paste(data, y, rows, limits, alpha)  # then as PRIM finishes a box
    limits = _simplify(data, y, rows, limits, min_density, SIMPLIFY_TOLERANCE)
    return set(_restricted(data, limits, rows))


def feature_scores(dims: Sequence[Dimension], samples: Sequence[Mapping[str, Any]],
                   y: np.ndarray, seed: int) -> dict[str, float]:
    """Extra-trees importance of each parameter for the target share (they sum to 1), highest
    first: EMA Workbench's feature scoring, with the forest seeded for reproducibility."""
    forest_class = _extra_trees()
    x = np.column_stack([_encode(d, [p[d.name] for p in samples]) for d in dims])
    leaf = max(1, math.ceil(MIN_LEAF_SHARE * len(y)))
    forest = forest_class(n_estimators=TREES, max_features=0.6, bootstrap=True,
                          min_samples_leaf=leaf, random_state=int(seed) % 2**32, n_jobs=1)
    forest.fit(x, np.asarray(y, dtype=np.float64))
    scores = {d.name: float(s) for d, s in zip(dims, forest.feature_importances_)}
    return dict(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])))


def _extra_trees() -> Any:
    """scikit-learn's ExtraTreesRegressor, or the one-line error saying how to install it
    (called before any work when scores are asked for)."""
    try:
        # scikit-learn is in the optional [analysis] extra.
        from sklearn.ensemble import ExtraTreesRegressor
    except ImportError:
        raise UserError("--scores needs scikit-learn, which is not installed; expected "
                        "pip install 'strike-north-or-south[analysis]'") from None
    return ExtraTreesRegressor


def check_scores_available() -> None:
    """Fail at once, not after the runs, when feature scores cannot be computed."""
    _extra_trees()


def _encode(dim: Dimension, values: Sequence[Any]) -> np.ndarray:
    """A column of numbers for the trees: categories as the index of their sorted values."""
    if dim.categorical:
        codes = {v: i for i, v in enumerate(sorted(set(values), key=str))}
        return np.array([codes[v] for v in values], dtype=np.float64)
    return np.array([as_number(v) for v in values], dtype=np.float64)
