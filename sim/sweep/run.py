"""Running a sweep (every grid point in one batch, one seed) and its results as a table,
a figure and files."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from sim import plots
from sim.analysis.options import check_count, check_memory, format_count, results_memory
from sim.compare import workers_kwargs
from sim.engine import run_batch
from sim.errors import UserError
from sim.formatting import format_number, format_share
from sim.sweep.figure import plot_sweep
from sim.sweep.grid import MAX_POINTS, Vary, parse_vary
from sim.sweep.measures import Measure, parse_measures


@dataclass
class Sweep:
    """Results of every grid point of a one- or two-way sweep."""

    base_name: str
    varies: list[Vary]
    points: list[dict[str, Any]]
    results: list[Any]
    measures: list[Measure]
    runs: int
    seed: int | None
    _table: list[dict[str, Any]] | None = field(default=None, repr=False)

    def estimates(self, measure: Measure) -> np.ndarray:
        """Array of (estimate, low, high) with shape grid + (3,)."""
        shape = tuple(len(v.values) for v in self.varies)
        arr = np.array([measure.compute(r.outcomes[measure.outcome.name]) for r in self.results])
        return arr.reshape(*shape, 3)

    def table(self) -> list[dict[str, Any]]:
        """One row per grid point: the swept values and every measure with its 95 % interval."""
        if self._table is None:
            rows = []
            est = {m: self.estimates(m).reshape(-1, 3) for m in self.measures}
            for i, point in enumerate(self.points):
                row: dict[str, Any] = {k: _plain(v) for k, v in point.items()}
                for m in self.measures:
                    e, lo, hi = est[m][i]
                    if m.outcome.kind == "date" and m.category is None:
                        row[m.label] = plots.format_value(m.outcome, e)
                        row[m.label + " low"] = plots.format_value(m.outcome, lo)
                        row[m.label + " high"] = plots.format_value(m.outcome, hi)
                    else:
                        row[m.label], row[m.label + " low"], row[m.label + " high"] = e, lo, hi
                rows.append(row)
            self._table = rows
        return self._table

    def label(self) -> str:
        return (f"{self.base_name} · {self.runs:,} replications per point · seed {self.seed} · "
                "common random numbers across points")

    def format_table(self) -> str:
        rows = self.table()
        keys = [v.key for v in self.varies]
        header = keys + [m.label for m in self.measures]
        lines = [header]
        for r in rows:
            cells = [str(r[k]) for k in keys]
            for m in self.measures:
                cells.append(_fmt_measure(m, r[m.label], r[m.label + " low"],
                                          r[m.label + " high"]))
            lines.append(cells)
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        out = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]
        out.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(out)

    def figure(self) -> Figure:
        """Lines with 95 % bands (one parameter) or heatmaps (two)."""
        return plot_sweep(self)

    def write(self, out_dir: Path, formats: Sequence[str] = ("png",)) -> list[Path]:
        """sweep.csv, sweep.json and the figure into ``out_dir``."""
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        rows = self.table()
        csv_path = out_dir / "sweep.csv"
        with csv_path.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            for r in rows:
                writer.writerow({k: ("" if isinstance(v, float) and not math.isfinite(v) else v)
                                 for k, v in r.items()})
        json_path = out_dir / "sweep.json"
        json_path.write_text(json.dumps({
            "scenario": self.base_name, "runs_per_point": self.runs, "seed": self.seed,
            "vary": [{"key": v.key, "values": [_plain(x) for x in v.values]} for v in self.varies],
            "rows": [{k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                      for k, v in r.items()} for r in rows],
        }, indent=2) + "\n")
        return [csv_path, json_path, *plots.save_figure(self.figure(), out_dir / "sweep", formats)]


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else v


def _fmt_measure(m: Measure, e: Any, lo: Any, hi: Any) -> str:
    if isinstance(e, str):
        return f"{e} [{lo}, {hi}]"
    if e is None or not np.isfinite(e):
        return "-"
    show = format_share if m.category is not None else format_number
    return f"{show(e)} [{show(lo)}, {show(hi)}]"


def sweep(scenario: Any, vary: Sequence[Vary | str], *, runs: int = 200, seed: int | None = 1,
          workers: int | None = 1, outcomes: Iterable[str] | None = None) -> Sweep:
    """Run ``scenario`` at every point of the grid given by one or two ``vary`` specs."""
    varies = [v if isinstance(v, Vary) else parse_vary(v) for v in vary]
    if not 1 <= len(varies) <= 2:
        raise UserError(f"--vary: give one or two parameters to sweep, got {len(varies)}")
    if len(varies) == 2 and varies[0].key == varies[1].key:
        raise UserError(f"--vary: `{varies[0].key}` is given twice; sweep two different keys")
    runs = check_count(runs, "--runs", 2, "replications per point")
    measures = parse_measures(outcomes)
    points = [dict(zip((v.key for v in varies), combo))
              for combo in itertools.product(*(v.values for v in varies))]
    if len(points) > MAX_POINTS:
        raise UserError(f"--vary: {len(points)} grid points is more than {MAX_POINTS}; use fewer"
                        " STEPS")
    check_memory(results_memory(len(points), runs),
                 f"sweep: {len(points):,} grid points x {format_count(runs)} runs = "
                 f"{format_count(len(points) * runs)} replications in all",
                 "lower --runs or the STEPS of --vary")
    scenarios = [scenario.with_overrides(p, origin="--vary") for p in points]
    results = list(run_batch(scenarios, runs, seed, **workers_kwargs(workers)))
    return Sweep(str(scenario.name), varies, points, results, measures, runs, seed)
