"""PRIM (the Patient Rule Induction Method of Friedman and Fisher, 1999) on plain arrays.

* **peeling**: repeatedly shave off the slice of the box (an ``alpha`` quantile at one end of a
  number's range, or one value of a category) whose removal raises the share of target runs the
  most per point removed, until the box holds too few points;
* the peeling trajectory trades **coverage** (the share of all target runs that fall inside the
  box) against **density** (the share of runs inside the box that hit the target); we take the
  box with the largest coverage whose density reaches ``min_density``;
* **pasting**: widen any limit again while that raises the density;
* restrictions that barely change the density are dropped, so the rule stays readable;
* covering: the points inside the box are set aside and the search repeats for the next box.

Categorical and true/false parameters are restricted to a subset of their values, never to an
interval of arbitrary codes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import binomtest

from sim.analysis.space import as_number, from_ordinal
from sim.errors import UserError
from sim.formatting import format_setting, format_significant

DEFAULT_MIN_DENSITY = 0.5
#: The quasi-p value above which a restriction is reported as not significant (EMA's 5%).
SIGNIFICANCE = 0.05
#: Density a restriction may cost and still be dropped, for a shorter rule.
SIMPLIFY_TOLERANCE = 0.02


@dataclass
class Box:
    """Limits per column: ``(low, high)`` (inclusive) for numbers, a set of values otherwise."""

    limits: dict[str, Any]
    coverage: float = math.nan
    density: float = math.nan
    mass: float = math.nan
    points: int = 0
    restricted: list[str] = field(default_factory=list)
    density_se: float = math.nan  # standard error over the shared replication streams
    #: per restriction, the one-sided binomial quasi-p value of keeping it (see
    #: :func:`quasi_p`): small means the restriction does raise the density
    quasi_p: dict[str, float] = field(default_factory=dict)
    #: per restriction, the share of bootstrap resamples whose box restricts it too
    stability: dict[str, float] = field(default_factory=dict)
    #: the points the box was searched among (those left by the boxes before it)
    among: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def significant(self) -> bool:
        """Every restriction has a quasi-p value of at most :data:`SIGNIFICANCE`."""
        return all(p <= SIGNIFICANCE for p in self.quasi_p.values())

    def rule_parts(self, kinds: Mapping[str, str] | None = None) -> dict[str, str]:
        """Each restriction as a plain condition, by parameter."""
        return {name: self._condition(name, (kinds or {}).get(name, ""))
                for name in self.restricted}

    def rule(self, kinds: Mapping[str, str] | None = None) -> str:
        """The box as plain conditions joined by 'and'."""
        parts = list(self.rule_parts(kinds).values())
        return " and ".join(parts) if parts else "anywhere"

    def _condition(self, name: str, kind: str) -> str:
        lim = self.limits[name]
        if isinstance(lim, frozenset):
            vals = sorted(lim, key=str)
            if len(vals) == 1:
                return f"{name} = {format_setting(vals[0])}"
            return f"{name} in {{{', '.join(format_setting(v) for v in vals)}}}"
        lo, hi, full_lo, full_hi = lim
        lo_s, hi_s = _show_limit(lo, kind), _show_limit(hi, kind)
        if lo > full_lo and hi < full_hi:
            return f"{lo_s} <= {name} <= {hi_s}"
        if lo > full_lo:
            return f"{name} >= {lo_s}"
        return f"{name} <= {hi_s}"


def _show_limit(x: float, kind: str) -> str:
    """A limit for reading: ISO for dates, three significant digits with separators otherwise
    (the exact limits are in ``discovery.json``)."""
    if kind == "date":
        return from_ordinal(x).isoformat()
    return format_significant(x)


class _Data:
    """Columns prepared for PRIM: numbers as float arrays, categories as object arrays."""

    def __init__(self, columns: Mapping[str, Sequence[Any] | np.ndarray], categorical: set[str]) -> None:
        self.names = list(columns)
        self.categorical = categorical
        self.cols: dict[str, np.ndarray] = {}
        for name, col in columns.items():
            arr = np.asarray(col, dtype=object if name in categorical else None)
            if name not in categorical:
                arr = np.array([as_number(v) for v in arr], dtype=np.float64)
            self.cols[name] = arr

    def full_box(self, rows: np.ndarray) -> dict[str, Any]:
        limits: dict[str, Any] = {}
        for name in self.names:
            col = self.cols[name][rows]
            if name in self.categorical:
                limits[name] = frozenset(col.tolist())
            else:
                lo, hi = float(np.min(col)), float(np.max(col))
                limits[name] = (lo, hi, lo, hi)
        return limits

    def inside(self, limits: Mapping[str, Any], skip: str | None = None) -> np.ndarray:
        mask = np.ones(len(next(iter(self.cols.values()))), dtype=bool)
        for name, lim in limits.items():
            if name != skip:
                mask &= self.condition(name, lim)
        return mask

    def condition(self, name: str, lim: Any) -> np.ndarray:
        """The points that satisfy one limit."""
        col = self.cols[name]
        if isinstance(lim, frozenset):
            return np.isin(col, list(lim))
        return (col >= lim[0]) & (col <= lim[1])


def _mean(y: np.ndarray, mask: np.ndarray) -> float:
    n = int(mask.sum())
    return float(y[mask].mean()) if n else -math.inf


def _peel_candidates(data: _Data, limits: dict[str, Any], mask: np.ndarray, alpha: float) -> list[tuple[str, dict[str, Any]]]:
    """Every box one peel smaller (with the parameter it changes): an alpha slice off either
    end of a number, or one category."""
    out = []
    for name in data.names:
        lim = limits[name]
        col = data.cols[name][mask]
        if isinstance(lim, frozenset):
            present = set(col.tolist())
            if len(present) < 2:
                continue
            for value in present:
                out.append((name, {**limits, name: frozenset(present - {value})}))
            continue
        ordered = np.sort(col)
        if ordered.size < 2 or ordered[0] == ordered[-1]:
            continue
        lo_q = _quantile(ordered, alpha)
        second = ordered[np.searchsorted(ordered, ordered[0], side="right")]
        new_lo = lo_q if lo_q > ordered[0] else float(second)
        out.append((name, {**limits, name: (new_lo, lim[1], lim[2], lim[3])}))
        hi_q = _quantile(ordered, 1 - alpha)
        before_last = ordered[np.searchsorted(ordered, ordered[-1], side="left") - 1]
        new_hi = hi_q if hi_q < ordered[-1] else float(before_last)
        out.append((name, {**limits, name: (lim[0], new_hi, lim[2], lim[3])}))
    return out


def _quantile(ordered: np.ndarray, q: float) -> float:
    """``np.quantile(x, q)`` (linear interpolation, numpy's formula) of the sorted ``x``:
    peeling asks for two quantiles of every parameter at every step."""
    pos = q * (ordered.size - 1)
    i = min(int(math.floor(pos)), ordered.size - 2)
    t = pos - i
    a, b = float(ordered[i]), float(ordered[i + 1])
    return b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t


def _paste_candidates(data: _Data, limits: dict[str, Any], mask: np.ndarray, rows: np.ndarray, alpha: float) -> list[dict[str, Any]]:
    """Every box one paste larger: widen one limit to take in about alpha of the box's points."""
    out = []
    n_add = max(1, int(round(alpha * mask.sum())))
    for name in data.names:
        lim = limits[name]
        others = data.inside(limits, skip=name) & rows
        col = data.cols[name]
        if isinstance(lim, frozenset):
            for value in set(col[others].tolist()) - set(lim):
                out.append({**limits, name: frozenset(set(lim) | {value})})
            continue
        below = np.sort(col[others & (col < lim[0])])
        if len(below):
            out.append({**limits, name: (float(below[max(0, len(below) - n_add)]), lim[1], lim[2], lim[3])})
        above = np.sort(col[others & (col > lim[1])])
        if len(above):
            out.append({**limits, name: (lim[0], float(above[min(len(above), n_add) - 1]), lim[2], lim[3])})
    return out


def _restricted(data: _Data, limits: Mapping[str, Any], rows: np.ndarray) -> list[str]:
    full = data.full_box(rows)
    names = []
    for name in data.names:
        lim = limits[name]
        if isinstance(lim, frozenset):
            if set(full[name]) - set(lim):
                names.append(name)
        elif lim[0] > full[name][0] or lim[1] < full[name][1]:
            names.append(name)
    return names


@dataclass
class PrimResult:
    """Boxes found by PRIM, with the peeling trajectory of the first one."""

    boxes: list[Box]
    base_density: float
    points: int
    trajectory: list[tuple[float, float, int]]  # (coverage, density, restricted dims) per peel


def prim(
    columns: Mapping[str, Sequence[Any] | np.ndarray],
    y: Sequence[float] | np.ndarray,
    *,
    categorical: Sequence[str] = (),
    min_density: float = DEFAULT_MIN_DENSITY,
    alpha: float = 0.05,
    min_mass: float = 0.05,
    max_boxes: int = 3,
    simplify_tolerance: float = SIMPLIFY_TOLERANCE,
    replicated: np.ndarray | None = None,
) -> PrimResult:
    """PRIM on plain arrays: ``columns`` name -> values per point, ``y`` the target share per point.

    ``y`` is in [0, 1] (1 = the point hit the target in every replication).  Columns named in
    ``categorical`` (and any with bool or str values) are restricted to subsets of values.
    ``replicated`` (points x R hits, replication *j* sharing its random streams across points)
    gives each box's density a standard error that respects that sharing.
    """
    y_all = np.asarray(y, dtype=np.float64)
    n = len(y_all)
    if n == 0:
        raise UserError("scenario discovery needs at least one sample point")
    cats = set(categorical) | {
        name for name, col in columns.items()
        if len(col) and isinstance(np.asarray(col, dtype=object)[0], (bool, np.bool_, str))
    }
    data = _Data(columns, cats)
    total_target = float(y_all.sum())
    base = float(y_all.mean())
    boxes: list[Box] = []
    trajectory: list[tuple[float, float, int]] = []
    rows = np.ones(n, dtype=bool)
    if total_target <= 0:
        return PrimResult([], base, n, [])
    for box_index in range(max_boxes):
        if y_all[rows].sum() <= 0 or rows.sum() < 2:
            break
        traj = _peel(data, y_all, rows, alpha, min_mass * n)
        if box_index == 0:
            trajectory = [
                (float(y_all[m].sum() / total_target), _mean(y_all, m), len(_restricted(data, lim, rows)))
                for lim, m in traj
            ]
        best = _select(traj, y_all, total_target, min_density)
        if best is None:
            break
        limits = _paste(data, y_all, rows, best, alpha)
        limits = _simplify(data, y_all, rows, limits, min_density, simplify_tolerance)
        mask = data.inside(limits) & rows
        restricted = _restricted(data, limits, np.ones(n, dtype=bool))
        density = _mean(y_all, mask)
        if density < min_density or not restricted:
            break
        boxes.append(
            Box(
                limits=limits,
                coverage=float(y_all[mask].sum() / total_target),
                density=density,
                mass=float(mask.sum() / n),
                points=int(mask.sum()),
                restricted=restricted,
                density_se=_density_se(replicated, mask),
                quasi_p=quasi_p(data, y_all, rows, limits, restricted),
                among=rows.copy(),
            )
        )
        rows = rows & ~mask
    return PrimResult(boxes, base, n, trajectory)


def quasi_p(data: _Data, y: np.ndarray, rows: np.ndarray, limits: Mapping[str, Any],
            restricted: Sequence[str]) -> dict[str, float]:
    """Per restriction, the one-sided binomial test of EMA Workbench's PRIM: could the box's
    hits have come from the box *without* that restriction?  ``k`` hits among the box's ``n``
    points, against the density ``p`` of the box with the restriction lifted; the p-value of
    ``k`` or more.  A point's hits are its share of target runs (1 point = 1 trial, as EMA
    counts one run per point), so replications do not inflate the evidence."""
    box = data.inside(limits) & rows
    n = int(box.sum())
    k = int(round(float(y[box].sum())))
    out: dict[str, float] = {}
    for name in restricted:
        wider = data.inside(limits, skip=name) & rows
        p = float(y[wider].mean()) if wider.any() else 0.0
        if n == 0 or p >= 1.0:
            out[name] = 1.0
        elif p <= 0.0:
            out[name] = 0.0 if k > 0 else 1.0
        else:
            out[name] = float(binomtest(min(k, n), n, p, alternative="greater").pvalue)
    return out


def _density_se(replicated: np.ndarray | None, mask: np.ndarray) -> float:
    """Standard error of a box's density when replication *j* shares its streams across points:
    the R per-stream densities are the independent draws, not the points x R hits."""
    if replicated is None or replicated.ndim != 2 or replicated.shape[1] < 2 or not mask.any():
        return math.nan
    per_stream = np.nanmean(replicated[mask], axis=0)
    return float(np.nanstd(per_stream, ddof=1) / math.sqrt(replicated.shape[1]))


def _peel(data: _Data, y: np.ndarray, rows: np.ndarray, alpha: float, min_points: float) -> list[tuple[dict[str, Any], np.ndarray]]:
    limits = data.full_box(rows)
    mask = rows.copy()
    traj = [(limits, mask)]
    while True:
        current = _mean(y, mask)
        n_now = int(mask.sum())
        best: tuple[float, dict[str, Any], np.ndarray] | None = None
        for name, cand in _peel_candidates(data, limits, mask, alpha):
            # a peel only shrinks the box: the points left are those of the box that also
            # meet the one changed limit (the same set as data.inside(cand) & rows)
            cmask = mask & data.condition(name, cand[name])
            n_new = int(cmask.sum())
            if n_new < min_points or n_new == n_now or n_new == 0:
                continue
            gain = (_mean(y, cmask) - current) / (n_now - n_new)
            if best is None or gain > best[0]:
                best = (gain, cand, cmask)
        if best is None or best[0] <= 0:
            return traj
        _, limits, mask = best
        traj.append((limits, mask))


def _select(traj: list[tuple[dict[str, Any], np.ndarray]], y: np.ndarray, total: float, min_density: float) -> dict[str, Any] | None:
    """The box on the trajectory with the largest coverage among those dense enough."""
    good = [
        (round(float(y[m].sum() / total), 12), _mean(y, m), lim)
        for lim, m in traj
        if _mean(y, m) >= min_density
    ]
    if not good:
        return None
    return max(good, key=lambda t: (t[0], t[1]))[2]  # ties in coverage: the denser box


def _paste(data: _Data, y: np.ndarray, rows: np.ndarray, limits: dict[str, Any], alpha: float) -> dict[str, Any]:
    mask = data.inside(limits) & rows
    while True:
        current = _mean(y, mask)
        best: tuple[float, dict[str, Any], np.ndarray] | None = None
        for cand in _paste_candidates(data, limits, mask, rows, alpha):
            cmask = data.inside(cand) & rows
            d = _mean(y, cmask)
            if d > current and (best is None or d > best[0]):
                best = (d, cand, cmask)
        if best is None:
            return limits
        _, limits, mask = best


def _simplify(data: _Data, y: np.ndarray, rows: np.ndarray, limits: dict[str, Any], min_density: float, tolerance: float) -> dict[str, Any]:
    """Drop restrictions whose removal costs at most ``tolerance`` of density (readability)."""
    full = data.full_box(np.ones(len(y), dtype=bool))
    while True:
        density = _mean(y, data.inside(limits) & rows)
        best: tuple[float, dict[str, Any]] | None = None
        for name in _restricted(data, limits, np.ones(len(y), dtype=bool)):
            cand = {**limits, name: full[name]}
            d = _mean(y, data.inside(cand) & rows)
            if d >= min_density and density - d <= tolerance and (best is None or d > best[0]):
                best = (d, cand)
        if best is None:
            return limits
        limits = best[1]
