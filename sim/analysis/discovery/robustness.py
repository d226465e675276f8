"""How far to trust the boxes PRIM prints: do their restrictions come back when the sample is
drawn again (:func:`resampling_stability`), and which parameters matter at all, box or no box
(:func:`feature_scores`, extra-trees importances as in EMA Workbench)?

A restriction that is significant (small quasi-p), recurs in most resamples and sits on a
parameter with a high feature score is a finding; one that fails these is likely noise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.analysis.discovery.prim import Box, prim
from sim.analysis.space import Dimension, as_number
from sim.errors import UserError

#: Bootstrap resamples per box for :func:`resampling_stability`.
DEFAULT_RESAMPLES = 30
#: Trees of the extra-trees forest behind :func:`feature_scores`.
TREES = 250


def resampling_stability(
    columns: Mapping[str, Sequence[Any]],
    y: np.ndarray,
    boxes: Sequence[Box],
    *,
    categorical: Sequence[str],
    seed: int,
    resamples: int = DEFAULT_RESAMPLES,
    **prim_options: Any,
) -> None:
    """Fill each box's ``stability``: over ``resamples`` bootstrap resamples of the points the
    box was found among, the share whose first PRIM box restricts each of its parameters."""
    if resamples < 1 or not boxes:
        return
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x5AB1E]))
    arrays = {name: np.asarray(col, dtype=object) for name, col in columns.items()}
    for box in boxes:
        among = np.flatnonzero(box.among) if box.among is not None else np.arange(len(y))
        counts = dict.fromkeys(box.restricted, 0)
        for _ in range(resamples):
            pick = rng.choice(among, size=among.size, replace=True)
            found = prim({n: a[pick] for n, a in arrays.items()}, y[pick],
                         categorical=categorical, max_boxes=1, **prim_options)
            again = set(found.boxes[0].restricted) if found.boxes else set()
            for name in counts:
                counts[name] += name in again
        box.stability = {name: c / resamples for name, c in counts.items()}


def feature_scores(dims: Sequence[Dimension], samples: Sequence[Mapping[str, Any]],
                   y: np.ndarray, seed: int) -> dict[str, float]:
    """Extra-trees importance of each parameter for the target share (they sum to 1), highest
    first: EMA Workbench's feature scoring, with the forest seeded for reproducibility."""
    forest_class = _extra_trees()
    x = np.column_stack([_encode(d, [p[d.name] for p in samples]) for d in dims])
    forest = forest_class(n_estimators=TREES, max_features=0.6, bootstrap=True,
                                 random_state=int(seed) % 2**32, n_jobs=1)
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
