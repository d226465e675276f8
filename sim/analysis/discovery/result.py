"""What scenario discovery hands back: the boxes, the sample they came from, the table
``sim discover`` prints and the files it writes."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.analysis.discovery.prim import SIGNIFICANCE, Box
from sim.analysis.plots import prim_tradeoff
from sim.analysis.space import Dimension
from sim.formatting import format_setting, plural


def format_p(p: float) -> str:
    """A p-value for reading: two significant digits, ``<0.001`` below that."""
    return "<0.001" if p < 0.001 else f"{p:.2g}"


def _significance(box: Box) -> str:
    """``, significant`` or ``, NOT significant`` by the largest quasi-p of its restrictions."""
    if not box.quasi_p:
        return ""
    worst = max(box.quasi_p.values())
    word = "significant" if box.significant else "NOT significant"
    return f", {word}: largest quasi-p {format_p(worst)}"


#: Fewer target events than this over all runs: the table says its boxes are mostly noise.
MIN_EVENTS = 30

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
    resamples: int = 0
    #: extra-trees feature score per parameter (highest first), when asked for
    scores: dict[str, float] | None = None
    #: parameters left out as dated after the target is settled -> the day their period starts
    left_out: dict[str, str] = field(default_factory=dict)

    def rules(self) -> list[str]:
        """Each box as one sentence: 'north in 64% of runs when ... (coverage 0.41, density 0.64)'."""
        kinds = {d.name: d.kind for d in self.dimensions}
        return [
            f"{self.label} in {b.density:.0%} of runs when {b.rule(kinds)} "
            f"(coverage {b.coverage:.2f}, density {b.density:.2f}{_significance(b)})"
            for b in self.boxes
        ]

    def table(self) -> str:
        head = f"scenario discovery for {self.target}"
        if self.scenario:
            head += f" ({self.scenario})"
        lines = [
            head,
            f"{plural(self.points, 'sample point')} x {plural(self.replications, 'replication')}"
            f" over {plural(len(self.dimensions), 'parameter')}; the target occurs in "
            f"{self.base_density:.1%} of all runs",
        ]
        if self.left_out:
            lines.append(f"left out as dated after the target is settled (--include-later "
                         f"keeps them): {', '.join(self.left_out)}")
        events = round(self.base_density * self.points * self.replications)
        if events < MIN_EVENTS:
            lines += ["", f"WARNING: the target occurs in only {events} of "
                      f"{self.points * self.replications:,} runs: the boxes below rest on few "
                      "events and are mostly noise (raise --samples or --replications)"]
        lines.append("")
        rules = self.rules()
        if rules:
            for i, (rule, box) in enumerate(zip(rules, self.boxes), 1):
                lines.append(f"{i}. {rule}")
                lines.extend(self._box_details(box))
        else:
            lines.append(
                f"no box reaches density {self.min_density:.2f}: nowhere in the sampled space is "
                f"{self.label!s} that likely (try --min-density lower or widen --params)"
            )
        if self.scores is not None:
            lines += ["", "feature scores (extra-trees importance for the target share):"]
            width = max(len(n) for n in self.scores)
            lines += [f"  {n:<{width}}  {v:.3f}" for n, v in self.scores.items()]
        return "\n".join(lines)

    def _box_details(self, box: Box) -> list[str]:
        """The box's size and spread, then each restriction with its quasi-p and stability."""
        out = [f"   {plural(box.points, 'point')}"]
        if math.isfinite(box.density_se):
            out[0] += (f"; density {box.density:.2f} +/- {box.density_se:.2f} (standard error "
                       f"over the {plural(self.replications, 'replication stream')} the points "
                       "share)")
        kinds = {d.name: d.kind for d in self.dimensions}
        for name, condition in box.rule_parts(kinds).items():
            p = box.quasi_p.get(name)
            text = f"   - {condition}: quasi-p {format_p(p)}" if p is not None else \
                f"   - {condition}"
            if p is not None and p > SIGNIFICANCE:
                text += " (not significant)"
            if name in box.stability:
                text += f"; in {box.stability[name]:.0%} of {self.resamples} resamples"
            out.append(text)
        if box.quasi_p and not box.significant:
            out.append(f"   NOT SIGNIFICANT: a restriction has quasi-p > {SIGNIFICANCE:g}; the box "
                       "may be chance (more --samples, or drop that parameter)")
        return out

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
            "left_out_later": self.left_out,
            "resamples": self.resamples,
            "significance": SIGNIFICANCE,
            "feature_scores": self.scores,
            "boxes": [
                {
                    "rule": b.rule(kinds),
                    "coverage": b.coverage,
                    "density": b.density,
                    "density_se": None if math.isnan(b.density_se) else b.density_se,
                    "mass": b.mass,
                    "points": b.points,
                    "significant": b.significant,
                    "quasi_p": b.quasi_p,
                    "stability": b.stability,
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
