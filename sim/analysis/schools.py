"""Shapley attribution across schools of thought and their posterior draws.

``sim explain`` splits the change in an outcome among the documented factors for one scenario.
Its answer depends on the judgement weights; a calibrated scenario carries them as a posterior
ensemble, and each school of thought (``scenarios/school-*.yaml``) states its own priors (and,
where it reads the history differently, its own structure).  This module runs the same
attribution for each *draw* of each school's weights, so a factor's share gets a credible band
per school, and then says plainly which conclusions hold in every school and which depend on
the school.

Draws: a school with a posterior (``posterior:``, or parameters bound to one ensemble) gives
``draws`` rows resampled by weight; an uncalibrated school with stated uniform priors gives
``draws`` points of its prior, and says so; a school with neither is one draw, as written.
Every draw and every factor combination run with one seed (common random numbers), in one
batch.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from sim.analysis.evaluation import outcome_matrix
from sim.analysis.defaults import DEFAULT_OUTCOME
from sim.analysis.expressions import compile_outcome
from sim.analysis.factors import Factor, select_factors
from sim.analysis.options import check_count
from sim.analysis.shapley.adapters import coalition_scenarios
from sim.analysis.shapley.values import check_attribution_size, shapley_weights
from sim.ensemble import Ensemble
from sim.formatting import format_analysis_number
from sim.scenario import Scenario, load_scenario

#: The factors the schools disagree about (issue: two weight sets that pass the same backtest
#: reverse the ranking of the embargo and Khalkhin Gol), plus the pact and the China war.
DEFAULT_FACTORS = ("khalkhin_gol", "embargo", "neutrality_pact", "china_drain")
#: The installed schools compared by default, the calibrated baseline first.
DEFAULT_SCHOOLS = ("historical", "school-nomonhan", "school-oil", "school-revisionist-far-east")
DEFAULT_DRAWS = 10
DEFAULT_RUNS = 200
BAND = (0.05, 0.95)
RESAMPLES = 200  # bootstrap resamples of each draw's replications


@dataclass
class SchoolResult:
    """One school: its per-draw Shapley contributions and how its draws were made."""

    name: str
    basis: str  # 'posterior' | 'prior' | 'as written'
    draws: list[dict[str, float]]  # the fitted or stated parameters of each draw
    baseline: np.ndarray  # outcome mean as written, per draw
    contributions: np.ndarray  # (draws, factors), on all replications
    samples: np.ndarray  # (draws x resamples, factors): each draw's replications resampled

    def band(self, j: int) -> tuple[float, float, float]:
        """(median, low, high) of factor ``j``'s contribution: over the draws *and* the
        Monte Carlo noise of each (a CRN-paired bootstrap of its replications)."""
        x = self.samples[:, j]
        lo, hi = np.quantile(x, BAND)
        return float(np.median(self.contributions[:, j])), float(lo), float(hi)


@dataclass
class SchoolsComparison:
    """Every school's attribution and the verdict on each factor across schools."""

    outcome: str
    unit: str
    factors: list[Factor]
    schools: list[SchoolResult]
    runs: int
    seed: int | None

    def verdict(self, j: int) -> str:
        """Whether factor ``j``'s direction holds in every school (its band clear of zero on
        the same side everywhere), or depends on the school."""
        signs = set()
        for school in self.schools:
            _, lo, hi = school.band(j)
            signs.add(1 if lo > 0 else -1 if hi < 0 else 0)
        if signs == {1}:
            return "raises it in every school"
        if signs == {-1}:
            return "lowers it in every school"
        if signs == {0}:
            return "indistinguishable from zero in every school"
        return "depends on the school"

    def largest(self, school: SchoolResult) -> str | None:
        """The factor with the largest median share, if any share is not zero."""
        top = self.ranking(school)[0]
        j = [f.name for f in self.factors].index(top)
        return top if abs(school.band(j)[0]) > 0 else None

    def _num(self, x: float) -> str:
        return format_analysis_number(x, self.unit, True)

    def ranking(self, school: SchoolResult) -> list[str]:
        """Factor names by the size of their median contribution, largest first."""
        med = [abs(school.band(j)[0]) for j in range(len(self.factors))]
        return [self.factors[j].name for j in np.argsort(med)[::-1]]

    def table(self) -> str:
        """The text ``sim explain --schools`` prints."""
        head = [f"Shapley shares of `{self.outcome}` across schools of thought "
                f"({self.runs} runs per combination and draw, seed {self.seed})", ""]
        for s in self.schools:
            base = float(np.median(s.baseline))
            what = "as written" if s.basis == "as written" else f"{len(s.draws)} draws of its {s.basis}"
            head.append(f"  {s.name}: {what}; outcome as written "
                        f"{format_analysis_number(base, self.unit)} (median)")
        head.append("")
        width = max(len(f.name) for f in self.factors) + 2
        cols = "".join(f"{s.name[:24]:>28}" for s in self.schools)
        lines = [f"{'factor':<{width}}{cols}   verdict", "-" * (width + 28 * len(self.schools) + 10)]
        for j, f in enumerate(self.factors):
            cells = ""
            for s in self.schools:
                med, lo, hi = s.band(j)
                cells += f"{self._num(med)} [{self._num(lo)}, {self._num(hi)}]".rjust(28)
            lines.append(f"{f.name:<{width}}{cells}   {self.verdict(j)}")
        tops = {s.name: self.largest(s) for s in self.schools}
        lines.append("")
        if set(tops.values()) == {None}:
            lines.append("No factor moves the outcome in any school at this number of runs.")
        elif len(set(tops.values())) == 1:
            lines.append(f"The largest factor is {next(iter(tops.values()))} in every school.")
        else:
            lines.append("The largest factor depends on the school: " + "; ".join(
                f"{name}: {top or 'none'}" for name, top in tops.items()) + ".")
        noisy = [s.name for s in self.schools if s.basis == "as written"]
        if noisy:
            lines.append("The bands of " + ", ".join(noisy) + " are Monte Carlo noise only: "
                         "no posterior or stated prior to draw their weights from.")
        lines.append(f"Bands: {BAND[0]:.0%}-{BAND[1]:.0%} over the draws and each draw's "
                     "Monte Carlo noise; a verdict holds when every school's band is clear of "
                     "zero on the same side.")
        return "\n".join(head + lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome, "unit": self.unit, "runs": self.runs, "seed": self.seed, "band": list(BAND),
            "factors": [f.name for f in self.factors],
            "verdicts": {f.name: self.verdict(j) for j, f in enumerate(self.factors)},
            "schools": [{
                "name": s.name, "basis": s.basis, "draws": s.draws,
                "baseline": s.baseline.tolist(),
                "contributions": {f.name: s.contributions[:, j].tolist()
                                  for j, f in enumerate(self.factors)},
                "ranking": self.ranking(s),
            } for s in self.schools],
        }

    def write(self, folder: Path) -> list[Path]:
        """schools.json, schools.csv (one row per school and factor) and schools.png."""
        folder.mkdir(parents=True, exist_ok=True)
        out = [folder / "schools.json", folder / "schools.csv", folder / "schools.png"]
        out[0].write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")
        with out[1].open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["school", "basis", "draws", "factor", "median", "low", "high", "verdict"])
            for s in self.schools:
                for j, f in enumerate(self.factors):
                    med, lo, hi = s.band(j)
                    w.writerow([s.name, s.basis, len(s.draws), f.name, repr(med), repr(lo),
                                repr(hi), self.verdict(j)])
        schools_chart(self, out[2])
        return out


def _typed(scenario: Scenario, name: str, x: float) -> float | int:
    return int(round(x)) if scenario.registry[name].kind == "int" else float(x)


def school_draws(scenario: Scenario, draws: int, seed: int) -> tuple[str, list[dict[str, float]]]:
    """The draws of a school's weights: resampled posterior rows, else points of its stated
    uniform priors, else none (the scenario as written)."""
    rng = np.random.default_rng([seed, 0x5C400])
    bound = {n: v for n, v in scenario.values.items() if isinstance(v, Ensemble)}
    if bound:
        # one row per draw from each posterior file the scenario binds (a school that extends
        # the historical scenario may bind some weights to its own file, the rest to that one)
        by_table: dict[str, list[str]] = {}
        for name, value in bound.items():
            by_table.setdefault(value.table.sha256, []).append(name)
        out: list[dict[str, float]] = [{} for _ in range(draws)]
        for names in by_table.values():
            table = bound[names[0]].table
            picks = rng.choice(len(table.rows), size=draws, p=np.asarray(table.weights))
            idx = [table.columns.index(bound[n].key or n) for n in names]
            for point, k in zip(out, picks):
                row = table.rows[k]
                point.update({n: _typed(scenario, n, row[i]) for n, i in zip(names, idx)})
        return "posterior", out
    stated = scenario.stated_priors()
    if stated:
        return "prior", [{n: _typed(scenario, n, rng.uniform(low, high))
                          for n, (low, high) in stated.items()} for _ in range(draws)]
    return "as written", [{}]


def compare_schools(
    schools: Sequence[Scenario | str | Path] = DEFAULT_SCHOOLS,
    outcome: str = DEFAULT_OUTCOME,
    factors: Sequence[str] | str | None = DEFAULT_FACTORS,
    *, runs: int = DEFAULT_RUNS, draws: int = DEFAULT_DRAWS, seed: int = 1,
    workers: int | None = None, progress: bool | None = None,
) -> SchoolsComparison:
    """Attribute ``outcome`` to ``factors`` for every draw of every school (one batch, one
    seed) and compare the factors' shares across schools."""
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in schools]
    chosen = select_factors(factors)
    runs = check_count(runs, "--runs", 2, "for a band")
    draws = check_count(draws, "--draws", 1)
    expr = compile_outcome(outcome)
    plan: list[tuple[Scenario, str, list[dict[str, float]]]] = []
    for sc in loaded:
        basis, points = school_draws(sc, draws, seed)
        plan.append((sc, basis, points))
    check_attribution_size(len(chosen), runs * sum(len(p) for _, _, p in plan), 0,
                           simulated=True)
    scenarios = [c for sc, _, points in plan for point in points
                 for c in coalition_scenarios(sc.with_overrides(point, origin="school draw")
                                              if point else sc, chosen)]
    matrix, _ = outcome_matrix(scenarios, expr, runs, seed, workers=workers, progress=progress)
    weights = shapley_weights(len(chosen))
    size = 1 << len(chosen)
    rng = np.random.default_rng([seed, 0xB007])
    resample = rng.integers(0, runs, size=(RESAMPLES, runs))
    results, at = [], 0
    for sc, basis, points in plan:
        block = matrix[at:at + size * len(points)].reshape(len(points), size, runs)
        at += size * len(points)
        means = np.nanmean(block, axis=2)  # (draws, size)
        boot = np.nanmean(block[:, :, resample], axis=3)  # (draws, size, resamples)
        samples = np.einsum("ks,dsb->dbk", weights, boot).reshape(-1, len(chosen))
        results.append(SchoolResult(sc.name, basis, points, means[:, 0], means @ weights.T,
                                    samples))
    return SchoolsComparison(expr.text, expr.unit, chosen, results, runs, seed)


def schools_chart(cmp: SchoolsComparison, path: Path | None = None) -> Figure:
    """One row per factor, one marker per school: the median contribution and its band.

    Within a factor the schools run top to bottom in the legend's order; the legend sits
    under the axes, where it covers no band."""
    k, n = len(cmp.factors), len(cmp.schools)
    fig = Figure(figsize=(7.5, 1.6 + 0.55 * k * max(1, n) / 2 + 0.25 * n))
    ax = fig.subplots()
    offsets = np.linspace(0.3, -0.3, n) if n > 1 else np.zeros(1)
    for i, school in enumerate(cmp.schools):
        med, lo, hi = zip(*(school.band(j) for j in range(k)))
        ys = np.arange(k)[::-1] + offsets[i]
        ax.errorbar(med, ys, xerr=[np.subtract(med, lo), np.subtract(hi, med)], fmt="o",
                    capsize=3, linewidth=1, markersize=4,
                    label=f"{school.name} ({len(school.draws)} draw(s), {school.basis})")
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_yticks(np.arange(k)[::-1])
    ax.set_yticklabels([f.label for f in cmp.factors])
    ax.set_xlabel(f"Shapley contribution to {cmp.outcome}\n(median and {BAND[0]:.0%}-"
                  f"{BAND[1]:.0%} band over draws)")
    fig.legend(*ax.get_legend_handles_labels(), fontsize=7, loc="outside lower center",
               ncols=2 if n > 1 else 1, frameon=False)
    ax.set_title("Why not north? The factors' shares in each school of thought", fontsize=10)
    fig.set_layout_engine("constrained")
    if path is not None:
        fig.savefig(path, dpi=120)
    return fig
