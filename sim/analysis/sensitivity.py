"""Global sensitivity analysis: which assumptions move the outcome, and how much is chance?

Three methods over the uncertain parameters (those with a distribution in the scenario, or a
chosen subset; a fixed parameter named explicitly is varied over its documented credible range):

* ``sobol``: variance-based first-order (S1) and total (ST) indices with SALib's Saltelli
  design and bootstrap confidence intervals.  S1 is the share of the outcome's variance a
  parameter explains alone, ST includes all its interactions; ST >> S1 means the parameter
  matters through interactions.
* ``morris``: elementary effects (mu*, sigma) on a few trajectories, a cheap screening that ranks
  parameters; sigma large relative to mu* flags non-linearity or interactions.
* ``oat``: one at a time, each parameter at the low and high end of its credible range with the
  others at their central values, drawn as a tornado chart.

Replications are nested: every sample point of the assumptions runs ``R`` replications with the
same seed (common random numbers), so the report separates the variance from the assumptions
("historians disagree": variance of the per-point means, corrected for the within-point noise)
from the variance of chance ("fog of war": the mean within-point variance).  The indices are
computed on the per-point means.

SALib is an optional dependency (``pip install "strike-north-or-south[analysis]"``), imported
only when a Sobol or Morris analysis runs.  The core functions take a batch evaluator
``evaluate(points) -> (n_points, R) array`` so they run on any model; :func:`analyse` is the
adapter that runs the real one.
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
from sim.distributions import is_distribution
from sim.errors import UserError, did_you_mean
from sim.formatting import format_setting, grouped_number

if TYPE_CHECKING:  # pragma: no cover
    from sim.scenario import Scenario

METHODS = ("sobol", "morris", "oat")
DEFAULT_SAMPLES = {"sobol": 32, "morris": 10, "oat": 1}
#: Replications per sample point.  One-at-a-time has few points, so it can afford enough
#: replications to resolve a rare event such as a northern strike at a few percent.
DEFAULT_REPLICATIONS = {"sobol": 16, "morris": 16, "oat": 200}
DEFAULT_OUTCOME = "decision == 'north'"
SALIB_MISSING = 'SALib is not installed; install the analysis extra: pip install "strike-north-or-south[analysis]"'

#: An unbounded distribution asked for its 0th or 100th percentile is asked for this one instead.
_U_EPS = 1e-6


def _safe_ppf(dist: Any, u: float) -> Any:
    """``dist.ppf(u)``, moving ``u`` in from 0 or 1 only where the answer would be infinite."""
    x = dist.ppf(u)
    if isinstance(x, float) and not math.isfinite(x):
        x = dist.ppf(min(max(u, _U_EPS), 1 - _U_EPS))
    return x

Evaluate = Callable[[list[dict[str, Any]]], np.ndarray]


@dataclass(frozen=True)
class Dimension:
    """One varied parameter: how a unit sample maps to a value, and its OAT settings."""

    name: str
    kind: str  # "float", "int", "date", "bool", "choice"
    from_unit: Callable[[float], Any] = field(repr=False, compare=False)
    central: Any
    low: Any
    high: Any
    values: tuple[Any, ...] = ()  # the possible values of a categorical parameter
    origin: str = ""  # "distribution", "credible range", "range"

    @property
    def categorical(self) -> bool:
        return self.kind in ("bool", "choice")

    def oat_settings(self) -> list[Any]:
        """Values tried one at a time: the two ends, or every value of a category."""
        return list(self.values) if self.categorical else [self.low, self.high]


def uniform_dimension(name: str, low: float, high: float) -> Dimension:
    """A number varied uniformly on [low, high] (for users' own models and tests)."""
    return Dimension(
        name=name, kind="float", from_unit=lambda u: low + (high - low) * u,
        central=(low + high) / 2, low=low, high=high, origin="range",
    )


def categorical_dimension(name: str, values: Sequence[Any], central: Any = None) -> Dimension:
    """A parameter taking one of ``values`` with equal probability."""
    vals = tuple(values)
    kind = "bool" if all(isinstance(v, bool) for v in vals) else "choice"
    return Dimension(
        name=name, kind=kind, from_unit=_pick(vals),
        central=vals[0] if central is None else central, low=vals[0], high=vals[-1],
        values=vals, origin="range",
    )


def _pick(values: tuple[Any, ...]) -> Callable[[float], Any]:
    def pick(u: float) -> Any:
        return values[min(int(u * len(values)), len(values) - 1)]

    return pick


def _typed(kind: str, x: Any) -> Any:
    """A sampled number as the parameter's Python type (int rounded, date from ordinal)."""
    if kind == "int":
        return int(round(float(x)))
    if kind == "date":
        return x if isinstance(x, dt.date) else dt.date.fromordinal(int(round(float(x))))
    if kind == "float":
        return float(x)
    return x


def _ordinal(x: Any) -> float:
    return float(x.toordinal()) if isinstance(x, dt.date) else float(x)


def dimensions_for(scenario: "Scenario", params: Sequence[str] | str | None = None) -> list[Dimension]:
    """The dimensions of a scenario's analysis: its uncertain parameters, or ``params``."""
    registry = scenario.registry
    values = scenario.values
    if isinstance(params, str):
        params = [p.strip() for p in params.split(",") if p.strip()]
    if not params:
        names = [n for n in registry.names() if is_distribution(values.get(n))]
        if not names:
            raise UserError(
                f"scenario `{scenario.name}` has no uncertain parameters; name some with --params"
            )
    else:
        names = list(dict.fromkeys(params))
    dims = []
    for name in names:
        if name not in registry:
            raise UserError(
                f"--params: unknown parameter `{name}`{did_you_mean(name, registry.names())}"
            )
        dims.append(_dimension(registry[name], values[name], scenario.name))
    return dims


def _dimension(param: Any, value: Any, scenario_name: str) -> Dimension:
    kind = param.kind
    if is_distribution(value):
        dist = value
        if kind in ("bool", "choice") or getattr(dist, "dist", None) == "choice":
            vals = tuple(dist.values)
            return Dimension(
                name=param.name, kind=kind if kind in ("bool", "choice") else "choice",
                from_unit=lambda u, d=dist: d.ppf(u),
                central=dist.ppf(0.5), low=vals[0], high=vals[-1], values=vals,
                origin="distribution",
            )

        def from_unit(u: float, d: Any = dist, k: str = kind) -> Any:
            return _typed(k, _safe_ppf(d, u))

        if param.credible is not None:
            low, high = param.credible
        else:
            low, high = dist.ppf(0.05), dist.ppf(0.95)
        return Dimension(
            name=param.name, kind=kind, from_unit=from_unit, central=_typed(kind, dist.ppf(0.5)),
            low=_typed(kind, low), high=_typed(kind, high), origin="distribution",
        )
    if kind == "bool":
        return Dimension(
            name=param.name, kind=kind, from_unit=_pick((False, True)), central=value,
            low=False, high=True, values=(False, True), origin="range",
        )
    if kind == "choice":
        vals = tuple(param.choices or (value,))
        return Dimension(
            name=param.name, kind=kind, from_unit=_pick(vals), central=value,
            low=vals[0], high=vals[-1], values=vals, origin="range",
        )
    if param.credible is None:
        raise UserError(
            f"--params: `{param.name}` is fixed in scenario `{scenario_name}` and has no "
            "documented credible range; give it a distribution in the scenario to vary it"
        )
    lo, hi = param.credible
    a, b = _ordinal(lo), _ordinal(hi)

    def from_range(u: float, k: str = kind) -> Any:
        return _typed(k, a + (b - a) * u)

    return Dimension(
        name=param.name, kind=kind, from_unit=from_range, central=value,
        low=_typed(kind, lo), high=_typed(kind, hi), origin="credible range",
    )


@dataclass(frozen=True)
class VarianceSplit:
    """Outcome variance split into disagreement about assumptions and the fog of war."""

    assumptions: float  # variance of the per-point means, minus the within-point noise share
    chance: float  # mean within-point variance
    replications: int

    @property
    def total(self) -> float:
        return self.assumptions + self.chance

    @property
    def assumptions_share(self) -> float:
        return self.assumptions / self.total if self.total > 0 else math.nan

    def describe(self) -> str:
        if not self.total > 0:
            return "the outcome does not vary"
        return (
            f"variance from the assumptions ('historians disagree'): {self.assumptions:.4g} "
            f"({self.assumptions_share:.0%}); from chance ('fog of war'): {self.chance:.4g} "
            f"({1 - self.assumptions_share:.0%})"
        )


def variance_split(per_point: np.ndarray) -> VarianceSplit:
    """Split the variance of an ``(n_points, R)`` matrix into between- and within-point parts.

    The variance of point means over-states the assumptions' share by the noise in each mean
    (within-variance / R), which is subtracted (floored at zero).
    """
    y = np.asarray(per_point, dtype=np.float64)
    if y.ndim == 1:
        y = y[:, None]
    reps = y.shape[1]
    with np.errstate(invalid="ignore"), _quiet():
        means = np.nanmean(y, axis=1)
        within = np.nanvar(y, axis=1, ddof=1) if reps > 1 else np.zeros(len(y))
        chance = float(np.nanmean(within)) if reps > 1 else 0.0
        between = float(np.nanvar(means, ddof=1)) if len(means) > 1 else 0.0
    chance = 0.0 if not math.isfinite(chance) else chance
    between = 0.0 if not math.isfinite(between) else between
    return VarianceSplit(max(between - chance / reps, 0.0), chance, reps)


class _quiet:
    """Silence numpy's 'mean of empty slice' warnings for all-NaN rows (undefined outcomes)."""

    def __enter__(self) -> None:
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", category=RuntimeWarning)

    def __exit__(self, *exc: Any) -> None:
        self._ctx.__exit__(*exc)


@dataclass
class SensitivityResult:
    """Indices per parameter and the variance split, for one method and one outcome."""

    method: str
    outcome: str
    unit: str
    names: list[str]
    indices: dict[str, dict[str, float]]
    variance: VarianceSplit
    points: int
    replications: int
    seed: int | None = None
    scenario: str = ""
    baseline: float = math.nan  # OAT: outcome with every parameter central
    settings: dict[str, list[tuple[Any, float]]] = field(default_factory=dict)  # OAT detail
    noise_floor: float = 0.0  # Sobol: share of variance in point means due to chance

    def ranked(self) -> list[str]:
        """Parameters from most to least influential (ST, mu* or swing)."""
        key = {"sobol": "ST", "morris": "mu_star", "oat": "swing"}[self.method]
        return sorted(self.names, key=lambda n: -_finite(self.indices[n][key]))

    def table(self) -> str:
        head = f"{self.method} sensitivity of {self.outcome}"
        if self.scenario:
            head += f" ({self.scenario})"
        lines = [
            head,
            f"{self.points} sample points x {self.replications} replications (common random numbers"
            + (f", seed {self.seed})" if self.seed is not None else ")"),
            self._variance_line(),
            "",
        ]
        width = max(12, *(len(n) for n in self.names)) + 2
        if self.method == "sobol":
            if self.noise_floor >= 0.5:
                lines.append(
                    "at this size chance dominates the per-point means: the indices below are "
                    "mostly noise (raise --replications)"
                )
            lines.append(f"{'parameter':<{width}}{'S1':>8}{'+/-':>8}{'ST':>8}{'+/-':>8}")
            for n in self.ranked():
                ix = self.indices[n]
                lines.append(
                    f"{n:<{width}}{ix['S1']:>8.3f}{ix['S1_conf']:>8.3f}{ix['ST']:>8.3f}{ix['ST_conf']:>8.3f}"
                )
            if self.noise_floor > 0.005:
                lines.append(
                    f"(chance left in the per-point means makes up ~{self.noise_floor:.2f} of their "
                    "variance: total indices below that are indistinguishable from noise)"
                )
        elif self.method == "morris":
            lines.append(f"{'parameter':<{width}}{'mu*':>10}{'+/-':>10}{'sigma':>10}{'mu':>10}")
            for n in self.ranked():
                ix = self.indices[n]
                lines.append(
                    f"{n:<{width}}{ix['mu_star']:>10.4g}{ix['mu_star_conf']:>10.4g}"
                    f"{ix['sigma']:>10.4g}{ix['mu']:>10.4g}"
                )
        else:
            lines.append(f"baseline (all central): {self.baseline:.4g}")
            lines.append(f"{'parameter':<{width}}{'low':>14}{'-> outcome':>12}{'high':>14}{'-> outcome':>12}{'swing':>10}")
            for n in self.ranked():
                ix = self.indices[n]
                settings = self.settings.get(n, [])
                lo_set = format_setting(settings[0][0], grouped_number) if settings else ""
                hi_set = format_setting(settings[-1][0], grouped_number) if settings else ""
                lines.append(
                    f"{n:<{width}}{lo_set:>14}{ix['low_value']:>12.4g}{hi_set:>14}"
                    f"{ix['high_value']:>12.4g}{ix['swing']:>10.4g}"
                )
        return "\n".join(lines)

    def _variance_line(self) -> str:
        if self.method != "oat":
            return self.variance.describe()
        # one-at-a-time points are not a sample of the assumptions: only chance is estimated
        return (
            f"variance from chance ('fog of war') at the central point: {self.variance.chance:.4g}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "outcome": self.outcome,
            "unit": self.unit,
            "scenario": self.scenario,
            "points": self.points,
            "replications": self.replications,
            "seed": self.seed,
            "variance": {
                "assumptions": self.variance.assumptions,
                "chance": self.variance.chance,
                "assumptions_share": _finite(self.variance.assumptions_share, None),
            },
            "baseline": _finite(self.baseline, None),
            "noise_floor": self.noise_floor,
            "indices": {n: {k: _finite(v, None) for k, v in ix.items()} for n, ix in self.indices.items()},
            "settings": {
                n: [[format_setting(s, grouped_number), v] for s, v in st]
                for n, st in self.settings.items()
            },
        }

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ``sensitivity_<method>.json`` and the method's chart into a folder."""
        from sim.analysis import plots

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        data = out / f"sensitivity_{self.method}.json"
        data.write_text(json.dumps(self.to_dict(), indent=2) + "\n")
        chart = out / {"sobol": "sobol_indices.png", "morris": "morris.png", "oat": "tornado.png"}[self.method]
        {"sobol": plots.index_bars, "morris": plots.morris_plot, "oat": plots.tornado}[self.method](self, chart)
        return [data, chart]


def _finite(x: float, default: Any = -math.inf) -> Any:
    return x if isinstance(x, (int, float)) and math.isfinite(x) else default


def _problem(dims: Sequence[Dimension]) -> dict[str, Any]:
    return {"num_vars": len(dims), "names": [d.name for d in dims], "bounds": [[0.0, 1.0]] * len(dims)}


def _salib() -> Any:
    try:
        import SALib  # noqa: F401
        from SALib.analyze import morris as morris_analyze
        from SALib.analyze import sobol as sobol_analyze
        from SALib.sample import morris as morris_sample
        from SALib.sample import sobol as sobol_sample
    except ImportError:
        raise UserError(SALIB_MISSING) from None
    return sobol_sample, sobol_analyze, morris_sample, morris_analyze


def _points(dims: Sequence[Dimension], unit: np.ndarray) -> list[dict[str, Any]]:
    return [{d.name: d.from_unit(float(u)) for d, u in zip(dims, row)} for row in unit]


def _evaluate(evaluate: Evaluate, points: list[dict[str, Any]]) -> np.ndarray:
    y = np.asarray(evaluate(points), dtype=np.float64)
    if y.ndim == 1:
        y = y[:, None]
    if y.shape[0] != len(points):
        raise ValueError(f"evaluate returned {y.shape[0]} rows for {len(points)} points")
    return y


def _point_means(y: np.ndarray, outcome: str) -> np.ndarray:
    with _quiet():
        means = np.nanmean(y, axis=1)
    if np.isnan(means).any():
        # An outcome undefined in every replication of a point (e.g. a date of an attack that
        # never happens) has no mean there; variance-based indices need a number everywhere.
        raise UserError(
            f"outcome {outcome!r} is undefined in every replication of {int(np.isnan(means).sum())} "
            "sample points; choose an outcome defined in every run (e.g. a condition)"
        )
    return means


def sobol(
    evaluate: Evaluate,
    dims: Sequence[Dimension],
    samples: int = DEFAULT_SAMPLES["sobol"],
    seed: int | None = 1,
    *,
    outcome: str = "outcome",
    unit: str = "",
    num_resamples: int = 200,
) -> SensitivityResult:
    """First-order and total Sobol' indices (Saltelli design, ``samples * (d + 2)`` points)."""
    sobol_sample, sobol_analyze, _, _ = _salib()
    _need_dims(dims)
    problem = _problem(dims)
    if samples < 2 or samples & (samples - 1):
        raise UserError(f"--samples for sobol must be a power of 2 (e.g. 64, 128), got {samples}")
    unit_x = sobol_sample.sample(problem, samples, calc_second_order=False, scramble=True, seed=seed)
    y = _evaluate(evaluate, _points(dims, unit_x))
    means = _point_means(y, outcome)
    split = variance_split(y)
    var_means = float(np.var(means, ddof=1)) if len(means) > 1 else 0.0
    names = [d.name for d in dims]
    if var_means <= 0:
        zeros = {"S1": 0.0, "S1_conf": 0.0, "ST": 0.0, "ST_conf": 0.0}
        indices = {n: dict(zeros) for n in names}
    else:
        res = sobol_analyze.analyze(
            problem, means, calc_second_order=False, num_resamples=num_resamples, seed=seed
        )
        indices = {
            n: {
                "S1": float(res["S1"][i]), "S1_conf": float(res["S1_conf"][i]),
                "ST": float(res["ST"][i]), "ST_conf": float(res["ST_conf"][i]),
            }
            for i, n in enumerate(names)
        }
    noise = split.chance / split.replications / var_means if var_means > 0 else 0.0
    return SensitivityResult(
        method="sobol", outcome=outcome, unit=unit, names=names, indices=indices,
        variance=split, points=len(unit_x), replications=y.shape[1], seed=seed,
        noise_floor=min(float(noise), 1.0),
    )


def morris(
    evaluate: Evaluate,
    dims: Sequence[Dimension],
    trajectories: int = DEFAULT_SAMPLES["morris"],
    seed: int | None = 1,
    *,
    outcome: str = "outcome",
    unit: str = "",
    num_levels: int = 4,
) -> SensitivityResult:
    """Morris elementary effects (``trajectories * (d + 1)`` points): mu*, sigma, mu.

    Grid levels are mapped to the middle of their quantile bands, so an unbounded distribution
    is never asked for its 0th or 100th percentile; effects are per unit step in probability.
    """
    _, _, morris_sample, morris_analyze = _salib()
    _need_dims(dims)
    if trajectories < 2:
        raise UserError(f"--samples for morris is the number of trajectories, at least 2; got {trajectories}")
    problem = _problem(dims)
    unit_x = morris_sample.sample(problem, trajectories, num_levels=num_levels, seed=seed)
    mid = (unit_x * (num_levels - 1) + 0.5) / num_levels
    y = _evaluate(evaluate, _points(dims, mid))
    means = _point_means(y, outcome)
    res = morris_analyze.analyze(
        problem, unit_x, means, num_levels=num_levels, seed=seed, num_resamples=200
    )
    names = [d.name for d in dims]
    # SALib divides by the grid step; the model saw steps shrunk by (L - 1) / L (midpoints).
    scale = num_levels / (num_levels - 1)
    indices = {
        n: {
            "mu_star": scale * float(res["mu_star"][i]),
            "mu_star_conf": scale * float(res["mu_star_conf"][i]),
            "sigma": scale * float(res["sigma"][i]), "mu": scale * float(res["mu"][i]),
        }
        for i, n in enumerate(names)
    }
    return SensitivityResult(
        method="morris", outcome=outcome, unit=unit, names=names, indices=indices,
        variance=variance_split(y), points=len(unit_x), replications=y.shape[1], seed=seed,
    )


def oat(
    evaluate: Evaluate,
    dims: Sequence[Dimension],
    seed: int | None = 1,
    *,
    outcome: str = "outcome",
    unit: str = "",
) -> SensitivityResult:
    """One at a time: each parameter at both ends of its range (every value of a category)."""
    _need_dims(dims)
    central = {d.name: d.central for d in dims}
    points = [dict(central)]
    owners: list[tuple[str, Any]] = []
    for d in dims:
        for value in d.oat_settings():
            points.append({**central, d.name: value})
            owners.append((d.name, value))
    y = _evaluate(evaluate, points)
    with _quiet():
        means = np.nanmean(y, axis=1)
    baseline = float(means[0])
    settings: dict[str, list[tuple[Any, float]]] = {d.name: [] for d in dims}
    for (name, value), m in zip(owners, means[1:]):
        settings[name].append((value, float(m)))
    indices = {}
    for d in dims:
        vals = [m for _, m in settings[d.name]]
        finite = [v for v in vals if math.isfinite(v)]
        indices[d.name] = {
            "low_value": vals[0],
            "high_value": vals[-1],
            "swing": (max(finite) - min(finite)) if finite else math.nan,
        }
    return SensitivityResult(
        method="oat", outcome=outcome, unit=unit, names=[d.name for d in dims], indices=indices,
        variance=variance_split(y[:1]), points=len(points), replications=y.shape[1], seed=seed,
        baseline=baseline, settings=settings,
    )


def _need_dims(dims: Sequence[Dimension]) -> None:
    if not dims:
        raise UserError("sensitivity analysis needs at least one parameter to vary")
    if len({d.name for d in dims}) != len(dims):
        raise UserError("a parameter is listed twice in --params")


def pointwise(model: Callable[[Mapping[str, Any]], float | Sequence[float] | np.ndarray]) -> Evaluate:
    """Adapt a per-point model ``model(values) -> value or replications`` to a batch evaluator."""

    def evaluate(points: list[dict[str, Any]]) -> np.ndarray:
        rows = [np.atleast_1d(np.asarray(model(p), dtype=np.float64)) for p in points]
        return np.vstack(rows)

    return evaluate


def analyse_function(
    model: Callable[[Mapping[str, Any]], float | Sequence[float] | np.ndarray],
    dims: Sequence[Dimension],
    method: str = "sobol",
    samples: int | None = None,
    seed: int | None = 1,
    *,
    outcome: str = "outcome",
) -> SensitivityResult:
    """Run a method on a plain Python model (one call per point)."""
    return _run_method(pointwise(model), dims, method, samples, seed, outcome, "")


def _run_method(
    evaluate: Evaluate, dims: Sequence[Dimension], method: str, samples: int | None,
    seed: int | None, outcome: str, unit: str,
) -> SensitivityResult:
    if method not in METHODS:
        raise UserError(f"--method: unknown method `{method}`{did_you_mean(method, METHODS)}; expected sobol, morris or oat")
    n = DEFAULT_SAMPLES[method] if samples is None else samples
    if method == "sobol":
        return sobol(evaluate, dims, n, seed, outcome=outcome, unit=unit)
    if method == "morris":
        return morris(evaluate, dims, n, seed, outcome=outcome, unit=unit)
    return oat(evaluate, dims, seed, outcome=outcome, unit=unit)


def scenario_evaluator(
    scenario: "Scenario",
    expr: OutcomeExpression,
    replications: int,
    seed: int | None,
    *,
    workers: int | None = None,
    progress: bool | None = None,
    model: Callable[..., Any] | str | None = None,
) -> Evaluate:
    """A batch evaluator that runs each point as a scenario (``R`` replications, one seed)."""
    from sim.engine import run_batch

    def evaluate(points: list[dict[str, Any]]) -> np.ndarray:
        scenarios = [scenario.with_overrides(p) for p in points]
        results = run_batch(
            scenarios, replications, seed, workers=workers, progress=progress, model=model
        )
        return np.vstack([expr.evaluate(r.outcomes) for r in results])

    return evaluate


def analyse(
    scenario: "Scenario | str | Path",
    method: str = "sobol",
    outcome: str | OutcomeExpression = DEFAULT_OUTCOME,
    params: Sequence[str] | str | None = None,
    samples: int | None = None,
    replications: int | None = None,
    seed: int | None = 1,
    *,
    workers: int | None = None,
    progress: bool | None = None,
    model: Callable[..., Any] | str | None = None,
) -> SensitivityResult:
    """Sensitivity of an outcome of the real model to a scenario's uncertain assumptions."""
    from sim.scenario import load_scenario

    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    if method not in METHODS:
        raise UserError(f"--method: unknown method `{method}`{did_you_mean(method, METHODS)}; expected sobol, morris or oat")
    if replications is None:
        replications = DEFAULT_REPLICATIONS[method]
    if replications < 1:
        raise UserError(f"--replications must be at least 1, got {replications}")
    expr = outcome if isinstance(outcome, OutcomeExpression) else compile_outcome(outcome)
    dims = dimensions_for(scenario, params)
    if method == "sobol" and samples is not None and (samples < 2 or samples & (samples - 1)):
        raise UserError(f"--samples for sobol must be a power of 2 (e.g. 64, 128), got {samples}")
    if method != "oat":
        _salib()  # fail fast, before any simulation
    evaluate = scenario_evaluator(
        scenario, expr, replications, seed, workers=workers, progress=progress, model=model
    )
    result = _run_method(evaluate, dims, method, samples, seed, expr.text, expr.unit)
    result.scenario = getattr(scenario, "name", "")
    return result
