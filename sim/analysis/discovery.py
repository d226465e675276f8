"""Scenario discovery: in which corners of the assumptions does the target become likely?

We sample the assumptions widely (a Latin hypercube over the scenario's distributions, the
credible ranges of named parameters and the switches of the documented factors), run each point
for a few replications with common random numbers, and look for a few readable *boxes*
(``soviet_fe.men_1941_06 < 430,000 and neutrality_pact.enabled = false``) in which the target
event is frequent, with PRIM (the Patient Rule Induction Method of Friedman and Fisher, 1999, as
in the EMA Workbench):

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

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.expressions import OutcomeExpression, compile_outcome
from sim.analysis.factors import FACTORS
from sim.analysis.sensitivity import (
    Dimension,
    Evaluate,
    categorical_dimension,
    dimensions_for,
    pointwise,
    scenario_evaluator,
)
from sim.errors import UserError
from sim.formatting import format_setting, format_significant

if TYPE_CHECKING:  # pragma: no cover
    from sim.scenario import Scenario

DEFAULT_SAMPLES = 400
DEFAULT_REPLICATIONS = 8
DEFAULT_MIN_DENSITY = 0.5
DEFAULT_TARGET = "decision == 'north'"


# --------------------------------------------------------------------------------------------
# Boxes and PRIM on plain arrays
# --------------------------------------------------------------------------------------------


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

    def rule(self, kinds: Mapping[str, str] | None = None) -> str:
        """The box as plain conditions joined by 'and'."""
        parts = []
        for name in self.restricted:
            lim = self.limits[name]
            kind = (kinds or {}).get(name, "")
            if isinstance(lim, frozenset):
                vals = sorted(lim, key=str)
                if len(vals) == 1:
                    parts.append(f"{name} = {format_setting(vals[0])}")
                else:
                    parts.append(f"{name} in {{{', '.join(format_setting(v) for v in vals)}}}")
            else:
                lo, hi, full_lo, full_hi = lim
                lo_s, hi_s = _show_limit(lo, kind), _show_limit(hi, kind)
                if lo > full_lo and hi < full_hi:
                    parts.append(f"{lo_s} <= {name} <= {hi_s}")
                elif lo > full_lo:
                    parts.append(f"{name} >= {lo_s}")
                else:
                    parts.append(f"{name} <= {hi_s}")
        return " and ".join(parts) if parts else "anywhere"


def _show_limit(x: float, kind: str) -> str:
    """A limit for reading: ISO for dates, three significant digits with separators otherwise
    (the exact limits are in ``discovery.json``)."""
    if kind == "date":
        return dt.date.fromordinal(int(round(x))).isoformat()
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
                arr = np.array([_as_number(v) for v in arr], dtype=np.float64)
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
            if name == skip:
                continue
            col = self.cols[name]
            if isinstance(lim, frozenset):
                mask &= np.isin(col, list(lim))
            else:
                mask &= (col >= lim[0]) & (col <= lim[1])
        return mask


def _as_number(v: Any) -> float:
    if isinstance(v, dt.date):
        return float(v.toordinal())
    return float(v)


def _mean(y: np.ndarray, mask: np.ndarray) -> float:
    n = int(mask.sum())
    return float(y[mask].mean()) if n else -math.inf


def _peel_candidates(data: _Data, limits: dict[str, Any], mask: np.ndarray, alpha: float) -> list[dict[str, Any]]:
    """Every box one peel smaller: an alpha slice off either end of a number, or one category."""
    out = []
    for name in data.names:
        lim = limits[name]
        col = data.cols[name][mask]
        if isinstance(lim, frozenset):
            present = set(col.tolist())
            if len(present) < 2:
                continue
            for value in present:
                out.append({**limits, name: frozenset(present - {value})})
            continue
        values = np.unique(col)
        if len(values) < 2:
            continue
        lo_q = float(np.quantile(col, alpha))
        new_lo = lo_q if lo_q > values[0] else float(values[1])
        out.append({**limits, name: (new_lo, lim[1], lim[2], lim[3])})
        hi_q = float(np.quantile(col, 1 - alpha))
        new_hi = hi_q if hi_q < values[-1] else float(values[-2])
        out.append({**limits, name: (lim[0], new_hi, lim[2], lim[3])})
    return out


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
    simplify_tolerance: float = 0.02,
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
            )
        )
        rows = rows & ~mask
    return PrimResult(boxes, base, n, trajectory)


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
        for cand in _peel_candidates(data, limits, mask, alpha):
            cmask = data.inside(cand) & rows
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


# --------------------------------------------------------------------------------------------
# Sampling and the model adapter
# --------------------------------------------------------------------------------------------


def latin_hypercube(n: int, d: int, seed: int | None) -> np.ndarray:
    """``n`` points in the unit cube, one per stratum of every coordinate (random within it)."""
    rng = np.random.default_rng(seed)
    strata = np.array([rng.permutation(n) for _ in range(d)]).T
    return (strata + rng.random((n, d))) / n


@dataclass
class DiscoveryResult:
    """Boxes in which the target is likely, with the sample they came from."""

    target: str
    label: str
    boxes: list[Box]
    base_density: float
    points: int
    replications: int
    min_density: float
    dimensions: list[Dimension]
    samples: list[dict[str, Any]] = field(repr=False, default_factory=list)
    hit_share: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    trajectory: list[tuple[float, float, int]] = field(default_factory=list)
    seed: int | None = None
    scenario: str = ""

    def rules(self) -> list[str]:
        """Each box as one sentence: 'north in 64% of runs when ... (coverage 0.41, density 0.64)'."""
        kinds = {d.name: d.kind for d in self.dimensions}
        return [
            f"{self.label} in {b.density:.0%} of runs when {b.rule(kinds)} "
            f"(coverage {b.coverage:.2f}, density {b.density:.2f})"
            for b in self.boxes
        ]

    def table(self) -> str:
        head = f"scenario discovery for {self.target}"
        if self.scenario:
            head += f" ({self.scenario})"
        lines = [
            head,
            f"{self.points} sample points x {self.replications} replications over "
            f"{len(self.dimensions)} parameters; the target occurs in {self.base_density:.1%} of all runs",
            "",
        ]
        rules = self.rules()
        if rules:
            for i, (rule, box) in enumerate(zip(rules, self.boxes), 1):
                lines.append(f"{i}. {rule}")
                if math.isfinite(box.density_se):
                    lines.append(
                        f"   {box.points} points; density {box.density:.2f} +/- "
                        f"{box.density_se:.2f} (standard error over the {self.replications} "
                        "replication streams the points share)"
                    )
        else:
            lines.append(
                f"no box reaches density {self.min_density:.2f}: nowhere in the sampled space is "
                f"{self.label!s} that likely (try --min-density lower or widen --params)"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        kinds = {d.name: d.kind for d in self.dimensions}
        return {
            "target": self.target,
            "scenario": self.scenario,
            "points": self.points,
            "replications": self.replications,
            "seed": self.seed,
            "base_density": self.base_density,
            "min_density": self.min_density,
            "parameters": [d.name for d in self.dimensions],
            "boxes": [
                {
                    "rule": b.rule(kinds),
                    "coverage": b.coverage,
                    "density": b.density,
                    "density_se": None if math.isnan(b.density_se) else b.density_se,
                    "mass": b.mass,
                    "points": b.points,
                    "limits": {
                        n: sorted((format_setting(v) for v in b.limits[n]))
                        if isinstance(b.limits[n], frozenset)
                        else [b.limits[n][0], b.limits[n][1]]
                        for n in b.restricted
                    },
                }
                for b in self.boxes
            ],
            "trajectory": [list(t) for t in self.trajectory],
        }

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ``discovery.json``, ``discovery_samples.csv`` and ``prim_tradeoff.png``."""
        import csv

        from sim.analysis.plots import prim_tradeoff

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / "discovery.json", out / "discovery_samples.csv", out / "prim_tradeoff.png"]
        paths[0].write_text(json.dumps(self.to_dict(), indent=2) + "\n")
        with paths[1].open("w", newline="") as fh:
            writer = csv.writer(fh)
            names = [d.name for d in self.dimensions]
            writer.writerow([*names, "target_share"])
            for point, share in zip(self.samples, self.hit_share):
                writer.writerow([*(format_setting(point[n]) for n in names), float(share)])
        prim_tradeoff(self, paths[2])
        return paths


def factor_dimensions(scenario: "Scenario") -> list[Dimension]:
    """The documented factors' switches as dimensions: true/false for a switch, the range
    between history and the counterfactual for a number (e.g. the China drain from 0 to 1)."""
    registry = scenario.registry
    dims = []
    for factor in FACTORS.values():
        for key, counterfactual in factor.overrides.items():
            if key not in registry:
                continue
            current = scenario.values[key]
            param = registry[key]
            if param.kind == "bool":
                dims.append(categorical_dimension(key, (False, True), central=current))
            elif param.kind in ("float", "int") and isinstance(current, (int, float)):
                lo, hi = sorted((float(current), float(counterfactual)))
                if lo < hi:
                    dims.append(
                        Dimension(
                            name=key, kind=param.kind,
                            from_unit=lambda u, a=lo, b=hi, k=param.kind: (
                                int(round(a + (b - a) * u)) if k == "int" else a + (b - a) * u
                            ),
                            central=current, low=lo, high=hi, origin="factor range",
                        )
                    )
            elif param.kind == "choice" and param.choices:
                dims.append(categorical_dimension(key, param.choices, central=current))
    return dims


def discover_function(
    evaluate: Evaluate,
    dims: Sequence[Dimension],
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int | None = 1,
    min_density: float = DEFAULT_MIN_DENSITY,
    target: str = "target",
    label: str = "target",
    max_boxes: int = 3,
    alpha: float = 0.05,
    min_mass: float = 0.05,
) -> DiscoveryResult:
    """Sample ``dims`` with a Latin hypercube, evaluate, and run PRIM on the target share.

    ``evaluate(points)`` returns an ``(n, R)`` array of 0/1 target hits (or shares).
    """
    if not dims:
        raise UserError("scenario discovery needs at least one parameter to vary")
    if samples < 10:
        raise UserError(f"--samples must be at least 10 for scenario discovery, got {samples}")
    if not 0 < min_density <= 1:
        raise UserError(f"--min-density must be in (0, 1], got {min_density}")
    unit = latin_hypercube(samples, len(dims), seed)
    points = [{d.name: d.from_unit(float(u)) for d, u in zip(dims, row)} for row in unit]
    y = np.asarray(evaluate(points), dtype=np.float64)
    if y.ndim == 1:
        y = y[:, None]
    share = np.nan_to_num(np.nanmean(np.where(np.isnan(y), 0.0, y), axis=1))
    columns = {d.name: [p[d.name] for p in points] for d in dims}
    found = prim(
        columns, share, categorical=[d.name for d in dims if d.categorical],
        min_density=min_density, max_boxes=max_boxes, alpha=alpha, min_mass=min_mass,
        replicated=y,
    )
    return DiscoveryResult(
        target=target, label=label, boxes=found.boxes, base_density=found.base_density,
        points=samples, replications=y.shape[1], min_density=min_density, dimensions=list(dims),
        samples=points, hit_share=share, trajectory=found.trajectory, seed=seed,
    )


def discover(
    scenario: "Scenario | str | Path",
    target: str | OutcomeExpression = DEFAULT_TARGET,
    samples: int = DEFAULT_SAMPLES,
    params: Sequence[str] | str | None = None,
    min_density: float = DEFAULT_MIN_DENSITY,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = 1,
    *,
    include_factors: bool = True,
    max_boxes: int = 3,
    workers: int | None = None,
    progress: bool | None = None,
    model: Callable[..., Any] | str | None = None,
) -> DiscoveryResult:
    """Find the boxes of assumptions in which ``target`` is likely, on the real model.

    Varies the scenario's uncertain parameters and, unless ``include_factors=False``, the
    documented factors' switches; or exactly the parameters named in ``params``.
    """
    from sim.scenario import load_scenario

    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    expr = target if isinstance(target, OutcomeExpression) else compile_outcome(target)
    if not expr.is_event:
        raise UserError(
            f"--target {expr.text!r} is a number, not a condition; "
            f"write e.g. \"{expr.text} > 1000\""
        )
    if replications < 1:
        raise UserError(f"--replications must be at least 1, got {replications}")
    dims = _discovery_dimensions(scenario, params, include_factors)
    evaluate = scenario_evaluator(
        scenario, expr, replications, seed, workers=workers, progress=progress, model=model
    )
    result = discover_function(
        evaluate, dims, samples=samples, seed=seed, min_density=min_density,
        target=expr.text, label=expr.label, max_boxes=max_boxes,
    )
    result.scenario = getattr(scenario, "name", "")
    return result


def _discovery_dimensions(scenario: "Scenario", params: Sequence[str] | str | None, include_factors: bool) -> list[Dimension]:
    explicit = bool(params)
    try:
        dims = dimensions_for(scenario, params)
    except UserError:
        if explicit or not include_factors:
            raise
        dims = []  # no uncertain parameters: the factor switches alone
    if include_factors and not explicit:
        names = {d.name for d in dims}
        dims += [d for d in factor_dimensions(scenario) if d.name not in names]
    if not dims:
        raise UserError(f"scenario `{scenario.name}` has nothing to vary; name parameters with --params")
    return dims


def discover_model(
    model: Callable[[Mapping[str, Any]], float | Sequence[float] | np.ndarray],
    dims: Sequence[Dimension],
    **kwargs: Any,
) -> DiscoveryResult:
    """Scenario discovery on a plain Python model returning 0/1 hits (or a share) per point."""
    return discover_function(pointwise(model), dims, **kwargs)
