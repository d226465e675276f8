"""Shapley attribution: how much of the change in an outcome does each factor account for?

Switching a set of factors from history to their counterfactuals moves an outcome's mean from
``v(empty)`` (history) to ``v(all)``.  Because factors interact (no embargo matters more once
the neutrality pact is gone, say) "the effect of factor i" depends on what else is switched.
The Shapley value settles this the way cooperative game theory splits a payout: factor *i* gets
its marginal effect ``v(S + i) - v(S)`` averaged over every order in which the factors could be
switched on.  With ``k`` factors that needs all ``2**k`` combinations, which we run with common
random numbers (one seed), so the differences between combinations are not swamped by chance.
The contributions add up to ``v(all) - v(empty)`` exactly (the "efficiency" property), and an
effect that only appears when two factors act together is split equally between them.

Uncertainty: a bootstrap that resamples *replication indices* jointly across all ``2**k``
combinations (replication *i* of every combination shares its random streams), so the CRN
pairing that makes the differences precise is kept in every resample.

The core (:func:`shapley_values`, :func:`attribute_matrix`, :func:`attribute_function`) works on
plain arrays and callables; :func:`attribute` is the adapter that runs the real model.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis.expressions import OutcomeExpression, compile_outcome
from sim.analysis.factors import Factor, combined_overrides, select_factors
from sim.errors import UserError
from sim.formatting import format_analysis_number

if TYPE_CHECKING:  # pragma: no cover
    from sim.scenario import Scenario

MAX_FACTORS = 10  # 2**10 = 1024 scenarios: beyond that the exact method is not sensible

DEFAULT_RUNS = 500
DEFAULT_BOOTSTRAP = 1000


def shapley_weights(k: int) -> np.ndarray:
    """The (k, 2**k) matrix ``W`` with ``phi = W @ v`` for coalition values ``v``.

    Coalition ``S`` is the bit mask with bit *i* set when factor *i* is switched.  Factor *i*
    receives ``|S|! (k - |S| - 1)! / k!`` times ``v(S + i) - v(S)`` for every ``S`` without *i*.
    """
    if not 1 <= k <= MAX_FACTORS:
        raise UserError(f"Shapley attribution needs 1 to {MAX_FACTORS} factors, got {k}")
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


def shapley_values(coalition_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Exact Shapley values from the ``2**k`` coalition values (indexed by bit mask)."""
    v = np.asarray(coalition_values, dtype=np.float64)
    k = int(round(math.log2(len(v)))) if len(v) else 0
    if len(v) != 1 << k or k == 0:
        raise ValueError(f"need 2**k coalition values, got {len(v)}")
    return shapley_weights(k) @ v


@dataclass
class Attribution:
    """The result of a Shapley attribution: values, contributions and bootstrap intervals."""

    outcome: str
    unit: str
    factor_names: list[str]
    labels: list[str]
    coalition_values: np.ndarray  # mean per bit mask; [0] = as written, [-1] = all switched
    contributions: dict[str, float]
    ci: dict[str, tuple[float, float]]
    total_ci: tuple[float, float]
    runs: int
    bootstrap: int
    confidence: float = 0.95
    seed: int | None = None
    scenario: str = ""
    factors: list[Factor] = field(default_factory=list)
    missing_share: float = 0.0  # share of replications where the outcome was undefined

    @property
    def baseline_value(self) -> float:
        """The outcome's mean in the scenario as written (history, normally)."""
        return float(self.coalition_values[0])

    @property
    def counterfactual_value(self) -> float:
        """The outcome's mean with every factor switched to its counterfactual."""
        return float(self.coalition_values[-1])

    @property
    def total(self) -> float:
        return self.counterfactual_value - self.baseline_value

    def value_of(self, active: Iterable[str]) -> float:
        """Mean outcome with exactly the named factors switched."""
        mask = 0
        for name in active:
            mask |= 1 << self.factor_names.index(name)
        return float(self.coalition_values[mask])

    def ranked(self) -> list[str]:
        """Factor names by the size of their contribution, largest first."""
        return sorted(self.factor_names, key=lambda n: -abs(self.contributions[n]))

    def table(self) -> str:
        """A plain-text table: history, each contribution with its interval, counterfactual."""
        def fmt(x: float, signed: bool = False) -> str:
            return format_analysis_number(x, self.unit, signed)

        pct = int(round(self.confidence * 100))
        width = max(40, *(len(lbl) + 6 for lbl in self.labels))
        head = f"Shapley attribution of {self.outcome}"
        if self.scenario:
            head += f" ({self.scenario})"
        sub = (
            f"{1 << len(self.factor_names)} scenarios x {self.runs} runs, common random numbers"
            + (f", seed {self.seed}" if self.seed is not None else "")
            + f"; {pct}% bootstrap intervals ({self.bootstrap} resamples)"
        )
        lines = [head, sub, ""]
        lines.append(f"{'':<{width}}{'value':>12}   {pct}% interval")
        lines.append(f"{'as written (all factors as in history)':<{width}}{fmt(self.baseline_value):>12}")
        for name, label in zip(self.factor_names, self.labels):
            lo, hi = self.ci[name]
            lines.append(
                f"{'  + ' + label:<{width}}{fmt(self.contributions[name], True):>12}"
                f"   [{fmt(lo, True)}, {fmt(hi, True)}]"
            )
        lines.append(f"{'all factors switched':<{width}}{fmt(self.counterfactual_value):>12}")
        lo, hi = self.total_ci
        lines.append(
            f"{'total change':<{width}}{fmt(self.total, True):>12}   [{fmt(lo, True)}, {fmt(hi, True)}]"
        )
        if self.missing_share > 0:
            lines.append(
                f"(the outcome is undefined in {self.missing_share:.0%} of replications; "
                "means are over the defined ones)"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "unit": self.unit,
            "scenario": self.scenario,
            "runs": self.runs,
            "seed": self.seed,
            "bootstrap": self.bootstrap,
            "confidence": self.confidence,
            "baseline_value": self.baseline_value,
            "counterfactual_value": self.counterfactual_value,
            "total": self.total,
            "total_ci": list(self.total_ci),
            "factors": [
                {
                    "name": name,
                    "label": label,
                    "contribution": self.contributions[name],
                    "ci": list(self.ci[name]),
                    "overrides": {k: _jsonable(v) for k, v in f.overrides.items()} if f else {},
                    "question": f.question if f else "",
                    "sources": list(f.sources) if f else [],
                }
                for name, label, f in zip(
                    self.factor_names,
                    self.labels,
                    self.factors or [None] * len(self.factor_names),  # type: ignore[list-item]
                )
            ],
            "coalitions": [
                {
                    "switched": [n for i, n in enumerate(self.factor_names) if mask >> i & 1],
                    "value": float(v),
                }
                for mask, v in enumerate(self.coalition_values)
            ],
        }

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ``attribution.json``, ``attribution.csv`` and ``waterfall.png`` into a folder."""
        from sim.analysis.plots import waterfall

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / "attribution.json", out / "attribution.csv", out / "waterfall.png"]
        paths[0].write_text(json.dumps(self.to_dict(), indent=2) + "\n")
        with paths[1].open("w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["factor", "label", "contribution", "ci_low", "ci_high"])
            for name, label in zip(self.factor_names, self.labels):
                writer.writerow([name, label, self.contributions[name], *self.ci[name]])
            writer.writerow(["total", "total change", self.total, *self.total_ci])
        waterfall(self, paths[2])
        return paths


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    return str(value)


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


def coalition_scenarios(scenario: "Scenario", factors: Sequence[Factor]) -> list["Scenario"]:
    """The ``2**k`` scenarios, index = bit mask of the switched factors."""
    if len(factors) > MAX_FACTORS:
        raise UserError(
            f"{len(factors)} factors would need {1 << len(factors)} scenarios; "
            f"choose at most {MAX_FACTORS} with --factors"
        )
    return [
        scenario.with_overrides(
            combined_overrides(factors, [i for i in range(len(factors)) if mask >> i & 1])
        )
        for mask in range(1 << len(factors))
    ]


def attribute(
    scenario: "Scenario | str | Path",
    outcome: str | OutcomeExpression,
    factors: Sequence[Factor | str] | str | None = None,
    runs: int = DEFAULT_RUNS,
    seed: int | None = 1,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    *,
    confidence: float = 0.95,
    workers: int | None = None,
    progress: bool | None = None,
    model: Callable[..., Any] | str | None = None,
) -> Attribution:
    """Run all ``2**k`` factor combinations of a scenario and attribute the outcome's change.

    ``factors``: documented factor names (a list or "a,b,c"), :class:`Factor` objects, or None
    for all documented factors.  One ``run_batch`` call with one seed gives common random
    numbers across the combinations.  ``model`` (``module:function``) runs another model
    than :func:`sim.model.simulate`, as ``sim run --model`` does; ``progress`` shows a bar on
    stderr (None: when stderr is a terminal).
    """
    from sim.engine import run_batch
    from sim.scenario import load_scenario

    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    expr = outcome if isinstance(outcome, OutcomeExpression) else compile_outcome(outcome)
    chosen = _resolve_factors(factors)
    if runs < 2:
        raise UserError(f"--runs must be at least 2 for a bootstrap interval, got {runs}")
    scenarios = coalition_scenarios(scenario, chosen)
    results = run_batch(scenarios, runs, seed, workers=workers, progress=progress, model=model)
    matrix = np.vstack([expr.evaluate(r.outcomes) for r in results])
    att = attribute_matrix(
        matrix,
        [f.name for f in chosen],
        bootstrap=bootstrap,
        seed=seed if seed is not None else 0,
        confidence=confidence,
        outcome=expr.text,
        unit=expr.unit,
        labels=[f.label for f in chosen],
    )
    # with seed=None the engine drew a fresh seed: report it so the run can be repeated
    att.seed = seed if seed is not None else _seed_used(results)
    att.scenario = getattr(scenario, "name", "")
    att.factors = list(chosen)
    return att


def _seed_used(results: Sequence[Any]) -> int | None:
    manifest = getattr(results[0], "manifest", None) if results else None
    seed = manifest.get("seed") if isinstance(manifest, dict) else None
    return int(seed) if isinstance(seed, int) else None


def _resolve_factors(factors: Sequence[Factor | str] | str | None) -> list[Factor]:
    if factors is None or isinstance(factors, str):
        return select_factors(factors)
    names = [f for f in factors if isinstance(f, str)]
    objects = [f for f in factors if isinstance(f, Factor)]
    if names and not objects:
        return select_factors(names)
    return select_factors(names, objects) if names else select_factors([], objects)
