"""One- and two-way sweeps: how outcomes move as one or two assumptions move.

``--vary KEY=LOW:HIGH:STEPS`` puts STEPS evenly spaced values between LOW and HIGH (dates
allowed for date parameters; whole numbers for integer ones); true/false and choice
parameters take a comma-separated list (``--vary embargo.enabled=true,false``).  Every grid
point runs with the same seed in one :func:`sim.engine.run_batch`, so neighbouring points
share their random draws and the curves are smooth rather than noisy.
"""

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

import matplotlib.dates as mdates
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim import plots
from sim.compare import workers_kwargs
from sim.errors import UserError, did_you_mean
from sim.formatting import compact_number, format_number, format_setting, format_share
from sim.outcomes import BY_NAME, Outcome
from sim.stats import mean_interval, wilson_interval

MAX_POINTS = 400


@dataclass(frozen=True)
class Vary:
    """One swept parameter and the values it takes."""

    key: str
    values: tuple[Any, ...]
    kind: str
    unit: str = ""

    @property
    def label(self) -> str:
        return f"{self.key} ({self.unit})" if self.unit and self.kind != "date" else self.key


@dataclass(frozen=True)
class Measure:
    """What a sweep reports: a share of a category or the mean of a numeric outcome."""

    outcome: Outcome
    category: str | None = None

    @property
    def label(self) -> str:
        if self.category is not None:
            return f"P({self.outcome.name} = {self.category})"
        return f"mean {self.outcome.name}" + (f" ({self.outcome.unit})" if self.outcome.unit else "")

    def compute(self, values: np.ndarray) -> tuple[float, float, float]:
        """(estimate, low, high) with a 95 % interval for one grid point."""
        if self.category is not None:
            arr = np.asarray(values).astype(str)
            return wilson_interval(int(np.count_nonzero(arr == self.category)), int(arr.size))
        return mean_interval(plots.as_float(self.outcome, values))


def parse_vary(text: str) -> Vary:
    """``KEY=LOW:HIGH:STEPS`` (or ``KEY=a,b,c`` for true/false and choices) -> :class:`Vary`."""
    from sim.registry import REGISTRY

    key, sep, spec = text.partition("=")
    key = key.strip().removeprefix("params.")
    if not sep or not key or not spec.strip():
        raise UserError(f"--vary `{text}`: expected KEY=LOW:HIGH:STEPS such as "
                        "khalkhin_gol.soviet_men=40000:80000:5")
    if key not in REGISTRY:
        raise UserError(f"--vary: unknown parameter `{key}`{did_you_mean(key, REGISTRY.names())};"
                        " see `sim show` for the parameter names")
    param = REGISTRY[key]
    spec = spec.strip()
    if param.kind in ("bool", "choice"):
        return Vary(key, _parse_list(param, spec, text), param.kind, param.unit)
    parts = spec.split(":")
    if len(parts) != 3:
        raise UserError(f"--vary `{text}`: expected KEY=LOW:HIGH:STEPS (three parts separated "
                        f"by `:`), got {len(parts)} part(s)")
    low_text, high_text, steps_text = (p.strip() for p in parts)
    try:
        steps = int(steps_text)
    except ValueError:
        raise UserError(f"--vary `{text}`: STEPS must be a whole number, got `{steps_text}`"
                        ) from None
    if not 2 <= steps <= MAX_POINTS:
        raise UserError(f"--vary `{text}`: STEPS must be between 2 and {MAX_POINTS}, got {steps}")
    if param.kind == "date":
        low, high = (_parse_date(text, t) for t in (low_text, high_text))
        if high <= low:
            raise UserError(f"--vary `{text}`: HIGH ({high}) must be after LOW ({low})")
        days = np.linspace(low.toordinal(), high.toordinal(), steps)
        values: tuple[Any, ...] = tuple(dict.fromkeys(dt.date.fromordinal(int(round(d)))
                                                      for d in days))
    else:
        low_f, high_f = (_parse_number(text, t) for t in (low_text, high_text))
        if high_f <= low_f:
            raise UserError(f"--vary `{text}`: HIGH ({high_text}) must be greater than LOW "
                            f"({low_text})")
        grid = np.linspace(low_f, high_f, steps)
        if param.kind == "int":
            values = tuple(dict.fromkeys(int(round(x)) for x in grid))
        else:
            values = tuple(float(round(x, 12)) for x in grid)
    for v in values:
        try:
            param.check(v)
        except ValueError as exc:
            raise UserError(f"--vary `{text}`: {exc}") from None
    return Vary(key, values, param.kind, param.unit)


def _parse_list(param: Any, spec: str, text: str) -> tuple[Any, ...]:
    words = [w.strip() for w in spec.split(",") if w.strip()]
    values: list[Any] = []
    for w in words:
        v: Any = w
        if param.kind == "bool":
            if w.lower() not in ("true", "false"):
                raise UserError(f"--vary `{text}`: {param.name} is true/false; expected "
                                "KEY=true,false")
            v = w.lower() == "true"
        try:
            values.append(param.check(v))
        except ValueError as exc:
            raise UserError(f"--vary `{text}`: {exc}") from None
    if len(values) < 2:
        opts = "true,false" if param.kind == "bool" else ",".join(map(str, param.choices or ()))
        raise UserError(f"--vary `{text}`: expected at least two values such as "
                        f"{param.name}={opts}")
    return tuple(dict.fromkeys(values))


def _parse_date(text: str, word: str) -> dt.date:
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        raise UserError(f"--vary `{text}`: `{word}` is not an ISO date; expected e.g. "
                        "1941-06-22") from None


def _parse_number(text: str, word: str) -> float:
    try:
        x = float(word)
    except ValueError:
        raise UserError(f"--vary `{text}`: `{word}` is not a number") from None
    if not math.isfinite(x):
        raise UserError(f"--vary `{text}`: `{word}` is not a finite number")
    return x


def parse_measures(specs: Iterable[str] | None) -> list[Measure]:
    """``decision`` (every category), ``decision=north`` (one share), ``oil_stock_end_1942``
    (its mean) -> measures.  Default: the decision shares."""
    out: list[Measure] = []
    for spec in list(specs or ()) or ["decision"]:
        name, sep, category = spec.partition("=")
        name = name.strip()
        outcome = BY_NAME.get(name)
        if outcome is None:
            raise UserError(f"--outcome: unknown outcome `{name}`{did_you_mean(name, BY_NAME)}; "
                            f"expected one of {', '.join(BY_NAME)}")
        if outcome.kind == "category":
            if sep:
                if category not in outcome.categories:
                    raise UserError(f"--outcome `{spec}`: {name} has no category `{category}`; "
                                    f"expected one of {', '.join(outcome.categories)}")
                out.append(Measure(outcome, category))
            else:
                out += [Measure(outcome, c) for c in outcome.categories]
        else:
            if sep:
                raise UserError(f"--outcome `{spec}`: {name} is a {outcome.kind}, not a category;"
                                f" write just `{name}` for its mean")
            out.append(Measure(outcome))
    return list(dict.fromkeys(out))


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
    if runs < 2:
        raise UserError(f"--runs: expected at least 2 replications per point, got {runs}")
    measures = parse_measures(outcomes)
    points = [dict(zip((v.key for v in varies), combo))
              for combo in itertools.product(*(v.values for v in varies))]
    if len(points) > MAX_POINTS:
        raise UserError(f"--vary: {len(points)} grid points is more than {MAX_POINTS}; use fewer"
                        " STEPS")
    scenarios = [scenario.with_overrides(p, origin="--vary") for p in points]
    from sim.engine import run_batch

    results = list(run_batch(scenarios, runs, seed, **workers_kwargs(workers)))
    return Sweep(str(scenario.name), varies, points, results, measures, runs, seed)


# ---------------------------------------------------------------------- figure
def _axis_values(v: Vary) -> np.ndarray:
    if v.kind == "date":
        return np.asarray(mdates.date2num(list(v.values)))
    if v.kind in ("bool", "choice"):
        return np.arange(len(v.values), dtype=float)
    return np.asarray(v.values, dtype=float)


def _tick_labels(v: Vary) -> list[str]:
    return [format_setting(x, compact_number) for x in v.values]


def _measure_colour(m: Measure, i: int) -> str:
    if m.outcome.name == "decision" and m.category in plots.DECISION_COLOURS:
        return plots.DECISION_COLOURS[m.category]
    return plots.SCENARIO_COLOURS[i % len(plots.SCENARIO_COLOURS)]


def plot_sweep(s: Sweep) -> Figure:
    if len(s.varies) == 1:
        return _plot_lines(s)
    return _plot_heatmaps(s)


def _panels(s: Sweep) -> list[list[Measure]]:
    """Shares of one category outcome share a panel; each mean gets its own."""
    groups: dict[str, list[Measure]] = {}
    for m in s.measures:
        key = m.outcome.name if m.category is not None else f"mean:{m.outcome.name}"
        groups.setdefault(key, []).append(m)
    return list(groups.values())


def _plot_lines(s: Sweep) -> Figure:
    v = s.varies[0]
    x = _axis_values(v)
    panels = _panels(s)
    fig, axes = plots.new_figure(len(panels), 2, panel_size=(5.6, 3.6))
    for ax, group in zip(axes, panels):
        for i, m in enumerate(group):
            est = s.estimates(m)
            colour = _measure_colour(m, i)
            label = m.category if m.category is not None else "mean"
            marker = "o" if len(x) <= 15 else None
            ax.plot(x, est[:, 0], color=colour, linewidth=1.8, marker=marker, markersize=3,
                    label=label)
            ax.fill_between(x, est[:, 1], est[:, 2], color=colour, alpha=0.2, linewidth=0,
                            label="_nolegend_")
        outcome = group[0].outcome
        if group[0].category is not None:
            ax.set_ylabel(f"share of replications ({outcome.name})", fontsize=8)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.set_ylim(-0.02, 1.02)
        else:
            ax.set_ylabel(group[0].label, fontsize=8)
            if outcome.kind == "date":
                plots.date_axis(ax, "y")
        ax.set_title(plots.outcome_title(outcome, 56), fontsize=9)
        ax.set_xlabel(v.label, fontsize=8)
        if v.kind == "date":
            plots.date_axis(ax)
        elif v.kind in ("bool", "choice"):
            ax.set_xticks(x, _tick_labels(v))
        plots.style_axes(ax)
        ax.legend(fontsize=7, loc="best", framealpha=0.8, ncols=2 if len(group) > 2 else 1,
                  title="shaded: 95% interval", title_fontsize=7)
    plots.set_title(fig, f"Sweep of {v.key}", s.label())
    return fig


def _plot_heatmaps(s: Sweep) -> Figure:
    vx, vy = s.varies
    measures = s.measures
    fig, axes = plots.new_figure(len(measures), 2, panel_size=(5.2, 4.2))
    annotate = len(vx.values) * len(vy.values) <= 64
    for ax, m in zip(axes, measures):
        est = s.estimates(m)[..., 0].T  # rows: second key, columns: first key
        if m.category is not None:
            image = ax.imshow(est, origin="lower", aspect="auto", cmap="viridis", vmin=0, vmax=1)
        else:
            image = ax.imshow(est, origin="lower", aspect="auto", cmap="viridis")
        bar = fig.colorbar(image, ax=ax, shrink=0.9)
        if m.category is not None:
            bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        elif m.outcome.kind == "date":
            bar.ax.yaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        bar.set_label(m.label, fontsize=8)
        bar.ax.tick_params(labelsize=7)
        if annotate:
            for (iy, ix), value in np.ndenumerate(est):
                if np.isfinite(value):
                    text = f"{value:.0%}" if m.category is not None else \
                        plots.format_value(m.outcome, value)
                    lo, hi = image.get_clim()
                    light = (value - lo) / (hi - lo or 1) < 0.55
                    ax.text(ix, iy, text, ha="center", va="center", fontsize=7,
                            color="white" if light else "black")
        ax.set_xticks(range(len(vx.values)), _tick_labels(vx), rotation=45, ha="right",
                      fontsize=7)
        ax.set_yticks(range(len(vy.values)), _tick_labels(vy), fontsize=7)
        ax.set_xlabel(vx.label, fontsize=8)
        ax.set_ylabel(vy.label, fontsize=8)
        ax.set_title(m.label, fontsize=9)
    plots.set_title(fig, f"Sweep of {vx.key} and {vy.key}", s.label())
    return fig
