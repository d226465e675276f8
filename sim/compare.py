"""Side-by-side comparison of scenarios, paired by replication (common random numbers).

Two scenarios run with the same seed share every random draw replication by replication
(see :mod:`sim.streams`), so the difference of an outcome *within* a replication isolates the
effect of the assumptions that differ.  Its mean has a far narrower interval than the
difference of two independent means; that is why :func:`compare` runs scenarios together
with :func:`sim.engine.run_batch` and, for saved results, checks that seed and run count match
before pairing.  When they do not, it says so and falls back to unpaired (Welch) intervals.
"""

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
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sim import plots
from sim.errors import UserError
from sim.formatting import format_difference, format_statistic, format_thousands
from sim.outcomes import BY_NAME, OUTCOMES, SERIES, Outcome
from sim.stats import Z95, mean_interval, paired_difference, wilson_interval

Source = Any  # a Scenario, a Results, or a path to a scenario file or a results folder


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
        """Decision shares side by side, overlaid distributions, overlaid fan charts, and a
        forest plot of the differences in decision shares; by file stem."""
        figs = {"compare_decisions": plot_compared_decisions(self),
                "compare_distributions": plot_compared_distributions(self),
                "compare_differences": plot_share_differences(self)}
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


def welch_difference(x: np.ndarray, base: np.ndarray, z: float = Z95
                     ) -> tuple[float, float, float]:
    """Difference of two independent means with a normal (Welch) 95 % interval."""
    a = np.asarray(x, dtype=float)
    b = np.asarray(base, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size < 2 or b.size < 2:
        d = float(a.mean() - b.mean()) if a.size and b.size else math.nan
        return d, math.nan, math.nan
    d = float(a.mean() - b.mean())
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    return d, d - z * se, d + z * se


# ---------------------------------------------------------------------- building
def workers_kwargs(workers: int | None) -> dict[str, int]:
    """``workers=`` for the engine, left to the engine's default when not given."""
    return {} if workers is None else {"workers": int(workers)}


def _unique_names(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        candidate, k = name, 2
        while candidate in out:
            candidate, k = f"{name} ({k})", k + 1
        out.append(candidate)
    return out


def load_source(source: Source) -> tuple[str, Any]:
    """('scenario', Scenario) or ('results', Results) for any accepted source."""
    if hasattr(source, "outcomes") and hasattr(source, "manifest"):
        return "results", source
    if hasattr(source, "values") and hasattr(source, "provenance"):
        return "scenario", source
    path = Path(source)
    if path.is_dir():
        from sim.results import load_results

        return "results", load_results(path)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        from sim.scenario import load_scenario

        return "scenario", load_scenario(path)
    raise UserError(f"{path}: no such scenario file or results folder; expected a .yaml "
                    f"scenario or a folder written by `sim run`")


def pairing(results: Sequence[Any]) -> tuple[bool, str]:
    """Whether results can be paired by replication index, and a sentence saying why."""
    entropies = {str((r.manifest or {}).get("entropy", (r.manifest or {}).get("seed")))
                 for r in results}
    sizes = {int(r.n) for r in results}
    if len(entropies) == 1 and "None" not in entropies and len(sizes) == 1:
        return True, ("Differences are paired by replication (same seed and run count: common "
                      "random numbers); 95% intervals.")
    why = []
    if len(entropies) != 1 or "None" in entropies:
        seeds = ", ".join(str((r.manifest or {}).get("seed")) for r in results)
        why.append(f"seeds differ ({seeds})")
    if len(sizes) != 1:
        why.append(f"run counts differ ({', '.join(str(int(r.n)) for r in results)})")
    return False, ("UNPAIRED comparison: " + " and ".join(why) + "; the differences use "
                   "independent-sample (Welch) 95% intervals, which are wider. Re-run with the "
                   "same --seed and --runs to pair them.")


def compare(sources: Sequence[Source], runs: int = 1000, seed: int | None = 1, *,
            workers: int | None = 1, names: Sequence[str] | None = None) -> Comparison:
    """Compare scenarios (run together with common random numbers) or saved results.

    ``sources`` are :class:`~sim.scenario.Scenario` objects, :class:`~sim.results.Results`,
    scenario file paths or results folders; the first is the baseline.  Scenarios are run
    with ``runs`` and ``seed`` in one :func:`sim.engine.run_batch`, so they pair.
    """
    if len(sources) < 2:
        raise UserError("compare needs at least two scenarios or results folders, "
                        f"got {len(sources)}")
    loaded = [load_source(s) for s in sources]
    to_run = [obj for kind, obj in loaded if kind == "scenario"]
    ran: list[Any] = []
    if to_run:
        if runs < 2:
            raise UserError(f"--runs: expected at least 2 replications to compare, got {runs}")
        from sim.engine import run_batch

        ran = list(run_batch(to_run, runs, seed, **workers_kwargs(workers)))
    it = iter(ran)
    results = [obj if kind == "results" else next(it) for kind, obj in loaded]
    given = list(names) if names is not None else [
        str(getattr(r.scenario, "name", f"scenario {i + 1}")) for i, r in enumerate(results)]
    if len(given) != len(results):
        raise UserError(f"--name: expected {len(results)} names, got {len(given)}")
    paired, note = pairing(results)
    return Comparison(_unique_names(given), results, paired, note)


# ---------------------------------------------------------------------- figures
def _colour(i: int) -> str:
    return plots.SCENARIO_COLOURS[i % len(plots.SCENARIO_COLOURS)]


def _style(i: int) -> str:
    return plots.SCENARIO_LINESTYLES[i % len(plots.SCENARIO_LINESTYLES)]


def plot_compared_decisions(comp: Comparison) -> Figure:
    """Shares of each decision (and northern objective), scenarios side by side, 95 % CIs."""
    cats = plots.category_outcomes(comp.results[0])
    fig, axes = plots.new_figure(len(cats), 2, panel_size=(5.6, 0.9 + 0.5 * len(comp.names) * 2.2))
    k = len(comp.names)
    height = 0.8 / k
    for ax, outcome in zip(axes, cats):
        categories: list[str] = list(outcome.categories)
        for r in comp.results:
            categories += [c for c in np.unique(np.asarray(r.outcomes[outcome.name]).astype(str))
                           if c not in categories and c]
        y = np.arange(len(categories))
        for i, (name, r) in enumerate(zip(comp.names, comp.results)):
            shares = plots.category_shares(r.outcomes[outcome.name], categories)
            p = np.array([s[1] for s in shares])
            err = np.array([[s[1] - s[2] for s in shares], [s[3] - s[1] for s in shares]])
            ypos = y - 0.4 + height * (i + 0.5)
            ax.barh(ypos, p, height=height * 0.92, color=_colour(i), alpha=0.85, label=name)
            ax.errorbar(p, ypos, xerr=err, fmt="none", ecolor="black", capsize=2, linewidth=0.8)
            for yy, s in zip(ypos, shares):
                ax.text(min(s[3], 1.0) + 0.015, yy, f"{s[1]:.0%}", va="center", fontsize=6.5)
        ax.set_yticks(y, categories)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.12)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel("share of replications (bars: 95% Wilson interval)", fontsize=8)
        ax.set_title(plots.outcome_title(outcome, 56), fontsize=9)
        plots.style_axes(ax)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 6),
               fontsize=8, frameon=False)
    plots.set_title(fig, "Japan's strategic choice, compared", comp.label())
    return fig


def plot_compared_distributions(comp: Comparison, outcomes: Iterable[str] | None = None,
                                ncols: int = 3) -> Figure:
    """Overlaid histograms (same bins) and ECDFs of the headline numeric outcomes."""
    pool = plots.numeric_outcomes(comp.results[0], outcomes)
    selected = pool if outcomes is not None else [o for o in pool if o.headline]
    selected = [o for o in selected if all(o.name in r.outcomes for r in comp.results)]
    if not selected:
        raise ValueError("no numeric outcome common to the compared results")
    fig, axes = plots.new_figure(len(selected), ncols, panel_size=(4.6, 3.0))
    legend: tuple[list[Any], list[str]] | None = None
    for ax, outcome in zip(axes, selected):
        xs = [plots.as_float(outcome, r.outcomes[outcome.name]) for r in comp.results]
        finite = np.concatenate([x[np.isfinite(x)] for x in xs])
        plots.style_axes(ax)
        ax.set_title(plots.outcome_title(outcome), fontsize=9)
        ax.set_xlabel(plots.axis_label(outcome), fontsize=8)
        ax.set_ylabel("share of replications", fontsize=7)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        if finite.size == 0:
            ax.text(0.5, 0.5, "did not happen in any replication", transform=ax.transAxes,
                    ha="center", va="center", fontsize=9, color="#666666")
            continue
        bins, value_range = plots.histogram_bins(finite, outcome)
        twin = None
        for i, (name, r) in enumerate(zip(comp.names, comp.results)):
            twin = plots.draw_distribution(ax, outcome, r.outcomes[outcome.name],
                                           colour=_colour(i), label=name, outline=True,
                                           linestyle=_style(i), ecdf_axis=twin, bins=bins,
                                           value_range=value_range)
        if twin is not None:
            twin.set_ylabel("cumulative share (lines)", fontsize=7)
        if outcome.kind == "date":
            plots.date_axis(ax)
        elif outcome.unit == "men":
            ax.xaxis.set_major_formatter(FuncFormatter(format_thousands))
        if legend is None:
            legend = ax.get_legend_handles_labels()
    if legend is not None:
        handles, labels = legend
        fig.legend(handles, labels, loc="outside lower center", ncols=min(4, len(labels)),
                   fontsize=8, frameon=False,
                   title="steps: histogram (left axis) · faint lines: ECDF (right axis)",
                   title_fontsize=8)
    plots.set_title(fig, "Distribution of outcomes, compared", comp.label())
    return fig


def plot_compared_fan_charts(comp: Comparison, series: Iterable[str] | None = None,
                             ncols: int = 2) -> Figure:
    """Median and 50 % band of each monthly series for every scenario, on one set of axes."""
    first = comp.results[0].series
    names = list(series) if series is not None else [s for s in SERIES if s in first.quantiles]
    fig, axes = plots.new_figure(len(names), ncols, panel_size=(6.2, 3.2))
    events = plots.key_events(comp.results[0])
    for ax, name in zip(axes, names):
        x_all = []
        for i, (label, r) in enumerate(zip(comp.names, comp.results)):
            x = plots.month_dates(r.series)
            x_all.append(x)
            q = r.series.quantiles[name]
            ax.fill_between(x, q["p25"], q["p75"], color=_colour(i), alpha=0.22, linewidth=0,
                            label=f"{label} 50% band")
            ax.plot(x, q["p50"], color=_colour(i), linewidth=1.8, linestyle=_style(i),
                    label=f"{label} median")
        unit = SERIES.get(name, "")
        ax.set_title(plots.SERIES_LABELS.get(name, name.replace("_", " ")), fontsize=10)
        ax.set_ylabel(f"{name} ({unit})" if unit else name, fontsize=8)
        ax.set_xlim(min(x[0] for x in x_all), max(x[-1] for x in x_all))
        if unit == "men":
            ax.yaxis.set_major_formatter(FuncFormatter(format_thousands))
        ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
        plots.date_axis(ax)
        plots.style_axes(ax)
        shown = plots.mark_events(ax, events)
    medians = [ln for ln in axes[0].lines if ln.get_label().endswith(" median")]
    fig.legend(medians, comp.names, loc="outside right upper", fontsize=8, frameon=False,
               title="line: median\nshaded: 50% band", title_fontsize=8)
    plots.event_key(fig, shown, width=int(fig.get_figwidth() * 14))
    plots.set_title(fig, "Monthly series compared: median and 50% band", comp.label())
    return fig


def plot_share_differences(comp: Comparison, outcomes: Iterable[str] | None = None) -> Figure:
    """Forest plot: change in each category's share from the baseline, with 95 % intervals.

    ``outcomes`` defaults to the headline category outcomes (the decision and the furthest
    northern objective).
    """
    if outcomes is None:
        wanted = {o.name for o in OUTCOMES if o.kind == "category" and o.headline}
    else:
        wanted = set(outcomes)
    rows = [r for r in comp.table() if r["kind"] == "share" and r["outcome"] in wanted
            and BY_NAME[r["outcome"]].kind == "category"]
    if not rows:
        raise UserError(f"no category outcome among {', '.join(sorted(wanted))}")
    others = comp.names[1:]
    fig = Figure(figsize=(9.0, 1.6 + 0.3 * len(rows) * max(1, len(others))),
                 layout="constrained")
    ax = fig.add_subplot()
    labels = [f"{r['outcome']}: {r['statistic'].removeprefix('share ')}" for r in rows]
    y = np.arange(len(rows))
    k = max(1, len(others))
    for i, name in enumerate(others):
        key = f"{name} - {comp.baseline}"
        d = np.array([r[key] for r in rows]) * 100
        lo = np.array([r[key + " low"] for r in rows]) * 100
        hi = np.array([r[key + " high"] for r in rows]) * 100
        ypos = y + (i - (k - 1) / 2) * (0.7 / k)
        ax.errorbar(d, ypos, xerr=[np.nan_to_num(d - lo), np.nan_to_num(hi - d)], fmt="o",
                    color=_colour(i + 1), capsize=3, markersize=4,
                    label=f"{name} - {comp.baseline}")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("difference in share (percentage points), 95% interval "
                  + ("paired by replication" if comp.paired else "UNPAIRED"), fontsize=8)
    plots.style_axes(ax)
    ax.legend(fontsize=8, loc="best")
    plots.set_title(fig, f"Change from {comp.baseline}", comp.label())
    return fig
