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

from sim.analysis.discovery.prim import Box
from sim.analysis.plots import prim_tradeoff
from sim.analysis.space import Dimension
from sim.formatting import format_setting


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
