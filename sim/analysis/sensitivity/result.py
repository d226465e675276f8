"""What a sensitivity analysis hands back: indices per parameter, the variance split, the
table ``sim sensitivity`` prints and the files it writes."""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.analysis.evaluation import as_replications
from sim.analysis.plots import index_bars, morris_plot, tornado
from sim.formatting import format_setting, grouped_number

#: The chart each method draws, by file name.
_CHARTS = {
    "sobol": ("sobol_indices.png", index_bars),
    "morris": ("morris.png", morris_plot),
    "oat": ("tornado.png", tornado),
}


@contextmanager
def quiet_empty_rows() -> Iterator[None]:
    """Silence numpy's 'mean of empty slice' warnings for all-NaN rows (undefined outcomes)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        yield


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
    y = as_replications(per_point)
    reps = y.shape[1]
    with np.errstate(invalid="ignore"), quiet_empty_rows():
        means = np.nanmean(y, axis=1)
        within = np.nanvar(y, axis=1, ddof=1) if reps > 1 else np.zeros(len(y))
        chance = float(np.nanmean(within)) if reps > 1 else 0.0
        between = float(np.nanvar(means, ddof=1)) if len(means) > 1 else 0.0
    chance = 0.0 if not math.isfinite(chance) else chance
    between = 0.0 if not math.isfinite(between) else between
    return VarianceSplit(max(between - chance / reps, 0.0), chance, reps)


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
    #: OAT: the 95 % interval of each setting's mean (same order as ``settings``) and of the
    #: baseline's, from the spread of its replications.
    intervals: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    baseline_interval: tuple[float, float] = (math.nan, math.nan)
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
        warning = self.noise_warning()
        if warning:
            lines += [f"WARNING: {warning}", ""]
        width = max(12, *(len(n) for n in self.names)) + 2
        if self.method == "sobol":
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

    def noise_warning(self) -> str | None:
        """What a reader must know before the numbers when chance dominates them: Sobol's
        per-point means mostly noise, Morris effects mostly within their own intervals, OAT
        swings mostly inside the central point's interval."""
        if not self.names:
            return None
        if self.method == "sobol" and self.noise_floor >= 0.5:
            return ("at this size chance dominates the per-point means: the indices below are "
                    "mostly noise (raise --replications)")
        if self.method == "morris":
            within = sum(1 for n in self.names
                         if not _finite(self.indices[n]["mu_star"])
                         > _finite(self.indices[n]["mu_star_conf"]))
            if within * 2 >= len(self.names):
                return (f"{within} of {len(self.names)} parameters' mu* are within their own "
                        "95% interval of zero: the ranking below is mostly noise (raise "
                        "--replications or --samples)")
        if self.method == "oat":
            lo, hi = self.baseline_interval
            width = hi - lo if math.isfinite(lo) and math.isfinite(hi) else math.nan
            small = sum(1 for n in self.names if not _finite(self.indices[n]["swing"]) > width)
            if math.isfinite(width) and small * 2 >= len(self.names):
                return (f"{small} of {len(self.names)} parameters swing the outcome by less "
                        f"than the central point's own 95% interval ({width:.3g} wide): mostly "
                        "noise (raise --replications)")
        return None

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
            "intervals": {
                n: [[_finite(lo, None), _finite(hi, None)] for lo, hi in iv]
                for n, iv in self.intervals.items()
            },
        }

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ``sensitivity_<method>.json`` and the method's chart into a folder."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        data = out / f"sensitivity_{self.method}.json"
        data.write_text(json.dumps(self.to_dict(), indent=2) + "\n")
        chart_name, draw = _CHARTS[self.method]
        draw(self, out / chart_name)
        return [data, out / chart_name]


def _finite(x: float, default: Any = -math.inf) -> Any:
    return x if isinstance(x, (int, float)) and math.isfinite(x) else default
