"""What a Shapley attribution hands back: values, contributions and their intervals, the
table ``sim explain`` prints and the files it writes."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.analysis.factors import Factor
from sim.analysis.plots import switched_label, waterfall
from sim.formatting import format_analysis_number


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
        width = max(40, *(len(switched_label(n, lbl)) + 4
                          for n, lbl in zip(self.factor_names, self.labels)))
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
                f"{'  ' + switched_label(name, label):<{width}}"
                f"{fmt(self.contributions[name], True):>12}"
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
