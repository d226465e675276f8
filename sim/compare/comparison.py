"""A comparison of scenarios: the table of differences from the baseline (paired by
replication when possible), as text, figures and files."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from sim import plots
from sim.compare.figures import (
    plot_compared_decisions,
    plot_compared_distributions,
    plot_compared_fan_charts,
    plot_mean_differences,
    plot_share_differences,
)
from sim.compare.pairing import welch_difference
from sim.formatting import format_difference, format_statistic
from sim.outcomes import OUTCOMES, Outcome
from sim.stats import mean_interval, paired_difference, wilson_interval


@dataclass
class Comparison:
    """Results of several scenarios and how each differs from the first (the baseline)."""

    names: list[str]
    results: list[Any]
    paired: bool
    pairing_note: str
    _rows: list[dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def baseline(self) -> str:
        return self.names[0]

    # ------------------------------------------------------------------ table
    def table(self) -> list[dict[str, Any]]:
        """One row per outcome statistic: each scenario's value and its difference from the first.

        Shares are fractions; numeric outcomes are means over the replications where the
        event happened (dates as ISO mean dates, differences in days).  Each difference has
        a 95 % interval, paired by replication index when :attr:`paired`.
        """
        if self._rows is None:
            self._rows = [row for outcome in OUTCOMES for row in self._outcome_rows(outcome)]
        return self._rows

    def _outcome_rows(self, outcome: Outcome) -> list[dict[str, Any]]:
        if any(outcome.name not in r.outcomes for r in self.results):
            return []
        arrays = [np.asarray(r.outcomes[outcome.name]) for r in self.results]
        if outcome.kind == "category":
            cats: list[str] = list(outcome.categories)
            for arr in arrays:
                cats += [c for c in np.unique(arr.astype(str)) if c not in cats and c]
            return [self._share_row(outcome, cat, [(a.astype(str) == cat).astype(float)
                                                   for a in arrays]) for cat in cats]
        values = [plots.as_float(outcome, a) for a in arrays]
        rows = [self._mean_row(outcome, values)]
        if any(np.isnan(x).any() for x in values):
            # The mean is over replications where the event happened; say how often it did.
            happened = self._share_row(outcome, "happened",
                                       [np.isfinite(x).astype(float) for x in values])
            happened["statistic"] = "share happened"
            rows.insert(0, happened)
        return rows

    def _share_row(self, outcome: Outcome, category: str, indicators: list[np.ndarray]
                   ) -> dict[str, Any]:
        row: dict[str, Any] = {"outcome": outcome.name, "statistic": f"share {category}",
                               "kind": "share", "unit": "%"}
        for name, ind in zip(self.names, indicators):
            p, lo, hi = wilson_interval(int(ind.sum()), int(ind.size))
            row[name] = p
            row[f"{name} low"], row[f"{name} high"] = lo, hi
        base = indicators[0]
        for name, ind in zip(self.names[1:], indicators[1:]):
            d, lo, hi = self._difference(ind, base)
            row[f"{name} - {self.baseline}"] = d
            row[f"{name} - {self.baseline} low"] = lo
            row[f"{name} - {self.baseline} high"] = hi
        return row

    def _mean_row(self, outcome: Outcome, values: list[np.ndarray]) -> dict[str, Any]:
        unit = "days" if outcome.kind == "date" else outcome.unit
        row: dict[str, Any] = {"outcome": outcome.name,
                               "statistic": "mean date" if outcome.kind == "date" else "mean",
                               "kind": outcome.kind, "unit": unit}
        for name, x in zip(self.names, values):
            m, lo, hi = mean_interval(x)
            if outcome.kind == "date":  # mean dates as ISO dates; differences stay in days
                m, lo, hi = (plots.format_value(outcome, v) for v in (m, lo, hi))
            row[name] = m
            row[f"{name} low"], row[f"{name} high"] = lo, hi
        base = values[0]
        for name, x in zip(self.names[1:], values[1:]):
            key = f"{name} - {self.baseline}"
            same_runs = np.array_equal(np.isfinite(x), np.isfinite(base))
            if self.paired and not same_runs:
                # The event happened in different replications of the two scenarios: the
                # means are over different runs, so their difference is not a paired one.
                d, lo, hi = welch_difference(x, base)
                row[f"{key} paired"] = False
            else:
                d, lo, hi = self._difference(x, base)
                row[f"{key} paired"] = self.paired
            row[key], row[f"{key} low"], row[f"{key} high"] = d, lo, hi
        return row

    def _difference(self, x: np.ndarray, base: np.ndarray) -> tuple[float, float, float]:
        """Mean of x minus mean of base with a 95 % interval (paired when possible)."""
        if self.paired:
            return paired_difference(x, base)
        return welch_difference(x, base)

    # ------------------------------------------------------------------ text
    def format_table(self, outcomes: Iterable[str] | None = None) -> str:
        """The table as aligned text for a terminal."""
        wanted = set(outcomes) if outcomes is not None else None
        rows = [r for r in self.table() if wanted is None or r["outcome"] in wanted]
        kind_label = "paired" if self.paired else "UNPAIRED"
        header = ["outcome", "statistic", *self.names]
        header += [f"{n} - {self.baseline} [95% CI, {kind_label}]" for n in self.names[1:]]
        lines = [header]
        unpaired_rows = False
        for r in rows:
            cells = [r["outcome"], r["statistic"]]
            cells += [format_statistic(r["kind"], r[n]) for n in self.names]
            for n in self.names[1:]:
                key = f"{n} - {self.baseline}"
                mark = ""
                if self.paired and r.get(f"{key} paired") is False:
                    mark, unpaired_rows = " *", True
                diff = [format_difference(r["kind"], r[key + end]) for end in ("", " low", " high")]
                cells.append(f"{diff[0]} [{diff[1]}, {diff[2]}]{mark}")
            lines.append(cells)
        widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
        text = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip()
                for line in lines]
        text.insert(1, "  ".join("-" * w for w in widths))
        if unpaired_rows:
            text += ["", "* the event happened in different replications of the two scenarios, "
                         "so the means cover different runs: difference of the means with an "
                         "unpaired (Welch) interval"]
        return "\n".join([self.pairing_note, "", *text])

    # ------------------------------------------------------------------ figures
    def figures(self) -> dict[str, Figure]:
        """Decision shares side by side, overlaid distributions, overlaid fan charts, and
        forest plots of the differences in decision shares and in the numeric means; by
        file stem."""
        figs = {"compare_decisions": plot_compared_decisions(self),
                "compare_distributions": plot_compared_distributions(self),
                "compare_differences": plot_share_differences(self),
                "compare_mean_differences": plot_mean_differences(self)}
        if all(getattr(getattr(r, "series", None), "quantiles", None) for r in self.results):
            figs["compare_fan_charts"] = plot_compared_fan_charts(self)
        return figs

    def label(self) -> str:
        runs = sorted({int(r.n) for r in self.results})
        seeds = sorted({str((r.manifest or {}).get("seed")) for r in self.results})
        pairing = "paired by replication (common random numbers)" if self.paired else \
            "UNPAIRED: different seeds or run counts"
        return (f"{' vs '.join(self.names)} · {'/'.join(f'{n:,}' for n in runs)} replications"
                f" · seed {'/'.join(seeds)} · {pairing}")

    # ------------------------------------------------------------------ files
    def write(self, out_dir: Path, formats: Sequence[str] = ("png",)) -> list[Path]:
        """comparison.csv, comparison.json and the figures into ``out_dir``."""
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        rows = self.table()
        written = []
        csv_path = out_dir / "comparison.csv"
        fieldnames = list(dict.fromkeys(k for r in rows for k in r))
        with csv_path.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fieldnames)
            writer.writeheader()
            for r in rows:
                writer.writerow({k: _csv_cell(v) for k, v in r.items()})
        written.append(csv_path)
        json_path = out_dir / "comparison.json"
        json_path.write_text(json.dumps({
            "baseline": self.baseline,
            "scenarios": [
                {"name": n, "runs": int(r.n), "seed": (r.manifest or {}).get("seed"),
                 "entropy": str((r.manifest or {}).get("entropy"))}
                for n, r in zip(self.names, self.results)],
            "paired": self.paired,
            "pairing": self.pairing_note,
            "confidence": 0.95,
            "rows": [{k: _json_value(v) for k, v in r.items()} for r in rows],
        }, indent=2) + "\n")
        written.append(json_path)
        for stem, fig in self.figures().items():
            written += plots.save_figure(fig, out_dir / stem, formats)
        return written


def _csv_cell(v: Any) -> Any:
    if isinstance(v, float):
        return "" if not math.isfinite(v) else repr(round(v, 6))
    return v


def _json_value(v: Any) -> Any:
    if isinstance(v, (float, np.floating)):
        return None if not math.isfinite(float(v)) else float(v)
    return v
