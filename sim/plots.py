"""Figures of one Monte Carlo run: decision shares, outcome distributions and fan charts.

Every function returns a :class:`matplotlib.figure.Figure` built directly (no ``pyplot``
state, no global backend switch), so the same code serves the CLI, worker threads and
notebooks: a notebook displays the returned figure inline, the CLI saves it with
:func:`save_figure`.  Each figure carries the scenario name, the number of replications and
the seed, so a PNG that travels alone still says where it came from.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sim.formatting import format_number, format_statistic, format_thousands
from sim.outcomes import BY_NAME, OUTCOMES, SERIES, Outcome
from sim.stats import wilson_interval

#: Colours that stay the same in every figure, so "south" is always the same blue.
DECISION_COLOURS: dict[str, str] = {
    "south": "#1f5f9f",
    "north": "#b8322a",
    "both": "#7b4fa0",
    "none": "#8a8a8a",
    "hold": "#8a8a8a",
}
#: Colours for scenarios in comparison figures (first = baseline).
SCENARIO_COLOURS: tuple[str, ...] = (
    "#1f5f9f", "#d0781c", "#2e8b57", "#b8322a", "#7b4fa0", "#8c564b", "#c2549d", "#555555",
)
#: Readable names of the monthly series (the schema keeps only the unit).
SERIES_LABELS: dict[str, str] = {
    "oil_stock": "Japan's oil stock",
    "jp_men_china": "Japanese army in China",
    "jp_men_manchuria": "Japanese army in Manchuria and Korea",
    "jp_men_south": "Japanese army in the southern area",
    "jp_men_home": "Japanese army in the home islands",
    "soviet_fe_men": "Soviet Far East forces",
}
#: Line styles for scenarios in comparison figures, so coinciding curves stay visible.
SCENARIO_LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":")
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")


# --------------------------------------------------------------------------------------
# helpers shared with compare / sweep / report
# --------------------------------------------------------------------------------------

def run_label(results: Any) -> str:
    """'historical · 1,000 replications · seed 1': the line every figure carries."""
    name = getattr(getattr(results, "scenario", None), "name", None) or "scenario"
    n = int(getattr(results, "n", 0) or len(next(iter(results.outcomes.values()), [])))
    manifest = getattr(results, "manifest", None) or {}
    seed = manifest.get("seed")
    parts = [str(name), f"{n:,} replications"]
    if seed is not None:
        parts.append(f"seed {seed}")
    return " · ".join(parts)


def outcome_title(outcome: Outcome, width: int = 44) -> str:
    """The outcome's description wrapped for a panel title."""
    return "\n".join(textwrap.wrap(outcome.description, width)) or outcome.name


def axis_label(outcome: Outcome) -> str:
    """x-axis label: the outcome name and its unit."""
    if outcome.kind == "date":
        return f"{outcome.name} (date)"
    return f"{outcome.name} ({outcome.unit})" if outcome.unit else outcome.name


def numeric_outcomes(results: Any, names: Iterable[str] | None = None) -> list[Outcome]:
    """The outcomes with a number or date value that are present in ``results``."""
    wanted = list(names) if names is not None else None
    if wanted is not None:
        unknown = [w for w in wanted if w not in BY_NAME]
        if unknown:
            from sim.errors import UserError, did_you_mean

            raise UserError(
                f"unknown outcome `{unknown[0]}`{did_you_mean(unknown[0], BY_NAME)}; "
                f"expected one of {', '.join(BY_NAME)}"
            )
    pool = [BY_NAME[w] for w in wanted] if wanted is not None else list(OUTCOMES)
    return [o for o in pool if o.kind != "category" and o.name in results.outcomes]


def category_outcomes(results: Any) -> list[Outcome]:
    return [o for o in OUTCOMES if o.kind == "category" and o.name in results.outcomes]


def as_float(outcome: Outcome, values: np.ndarray) -> np.ndarray:
    """Values as floats (dates as matplotlib day numbers), NaN where the event did not happen."""
    arr = np.asarray(values)
    if outcome.kind == "date":
        if arr.dtype.kind != "M":
            arr = np.array([_to_datetime64(v) for v in arr], dtype="datetime64[D]")
        out = np.full(arr.shape, np.nan)
        ok = ~np.isnat(arr)
        out[ok] = mdates.date2num(arr[ok])
        return out
    return np.asarray(arr, dtype=float)


def _to_datetime64(v: Any) -> np.datetime64:
    if v is None or v == "" or (isinstance(v, float) and math.isnan(v)):
        return np.datetime64("NaT")
    return np.datetime64(str(v)[:10], "D")


def format_value(outcome: Outcome, x: float) -> str:
    """A value for a table or label: dates (axis day numbers) as ISO, men with separators."""
    if outcome.kind == "date" and x is not None and np.isfinite(x):
        return mdates.num2date(x).date().isoformat()
    return format_statistic(outcome.kind, x)


thousands = format_thousands  # the tick formatter's name in this module's public API


def date_axis(ax: Axes, axis: str = "x") -> None:
    """Readable dates on a time axis (concise: 1941, Jul, Aug...)."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(locator)
    target.set_major_formatter(mdates.ConciseDateFormatter(locator))


def new_figure(n_panels: int, ncols: int, panel_size: tuple[float, float] = (4.6, 3.0),
               *, fixed_margins: tuple[float, float, float, float] | None = None
               ) -> tuple[Figure, list[Axes]]:
    """A figure with ``n_panels`` axes in a grid; extra cells are removed.

    Small figures use matplotlib's constrained layout.  Big grids pass ``fixed_margins``
    (top, bottom, horizontal gap, vertical gap, in inches): constrained layout measures every
    tick label of every panel and would take most of the drawing time.
    """
    ncols = max(1, min(ncols, n_panels))
    nrows = max(1, math.ceil(n_panels / ncols))
    if fixed_margins is None:
        # at least 8 inches wide, so that the two-line title fits above a single panel
        fig = Figure(figsize=(max(8.0, panel_size[0] * ncols), panel_size[1] * nrows + 0.8),
                     layout="constrained", dpi=100)
        grid = fig.subplots(nrows, ncols, squeeze=False)
    else:
        top, bottom, gap_w, gap_h = fixed_margins
        left = right = 0.75
        width = panel_size[0] * ncols
        height = top + bottom + panel_size[1] * nrows
        fig = Figure(figsize=(width, height), dpi=100)
        axes_w = (width - left - right - (ncols - 1) * gap_w) / ncols
        axes_h = (height - top - bottom - (nrows - 1) * gap_h) / nrows
        grid = fig.subplots(nrows, ncols, squeeze=False, gridspec_kw={
            "left": left / width, "right": 1 - right / width,
            "top": 1 - top / height, "bottom": bottom / height,
            "wspace": gap_w / axes_w, "hspace": gap_h / axes_h})
    axes = [ax for row in grid for ax in row]
    for ax in axes[n_panels:]:
        fig.delaxes(ax)
    return fig, axes[:n_panels]


def set_title(fig: Figure, title: str, results_or_label: Any) -> None:
    label = results_or_label if isinstance(results_or_label, str) else run_label(results_or_label)
    # about 8.5 bold characters per inch, leaving room for a legend beside the title
    width = max(40, int((fig.get_figwidth() - 1.5) * 8.5))
    lines = textwrap.wrap(label, width, break_on_hyphens=False)
    text = "\n".join([title, *lines])
    if fig.get_layout_engine() is None:  # fixed margins: pin the title to the top edge
        fig.suptitle(text, fontsize=12, fontweight="bold", va="top",
                     y=1 - 0.12 / fig.get_figheight())
    else:
        fig.suptitle(text, fontsize=12, fontweight="bold")


def style_axes(ax: Axes) -> None:
    ax.grid(True, alpha=0.3, linewidth=0.6)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=8)


# --------------------------------------------------------------------------------------
# decisions
# --------------------------------------------------------------------------------------

def category_shares(values: np.ndarray, categories: Sequence[str]
                    ) -> list[tuple[str, float, float, float, int]]:
    """(category, share, low, high, count) for each category, with Wilson 95 % intervals."""
    arr = np.asarray(values).astype(str)
    n = int(arr.size)
    out = []
    for cat in categories:
        k = int(np.count_nonzero(arr == cat))
        share, lo, hi = wilson_interval(k, n)
        out.append((cat, share, lo, hi, k))
    return out


def _categories(outcome: Outcome, values: np.ndarray) -> list[str]:
    seen = [str(v) for v in np.unique(np.asarray(values).astype(str)) if str(v) not in ("", "nan")]
    cats = list(outcome.categories) + [c for c in seen if c not in outcome.categories]
    return cats


def plot_decisions(results: Any) -> Figure:
    """Share of each decision (and of each furthest northern objective) with 95 % intervals."""
    cats = category_outcomes(results)
    if not cats:
        raise ValueError("these results hold no category outcome to plot")
    fig, axes = new_figure(len(cats), 2, panel_size=(5.4, 3.2))
    for ax, outcome in zip(axes, cats):
        values = results.outcomes[outcome.name]
        shares = category_shares(values, _categories(outcome, values))
        labels = [s[0] for s in shares]
        p = np.array([s[1] for s in shares])
        err = np.array([[s[1] - s[2] for s in shares], [s[3] - s[1] for s in shares]])
        colours = [DECISION_COLOURS.get(c, "#5b7f95") for c in labels]
        y = np.arange(len(labels))
        ax.barh(y, p, color=colours, alpha=0.85, label="share of replications")
        ax.errorbar(p, y, xerr=err, fmt="none", ecolor="black", capsize=3, linewidth=1,
                    label="95% interval (Wilson)")
        for yi, (_, share, _, hi, k) in zip(y, shares):
            ax.text(min(hi, 1.0) + 0.02, yi, f"{share:.1%} ({k:,})", va="center", fontsize=8)
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.18)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("share of replications")
        ax.set_title(outcome_title(outcome, 52), fontsize=9)
        style_axes(ax)
    # One legend for the figure, below it: inside a panel it would cover the longest bar.
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend([handles[0]], ["share of replications, with its 95% interval (Wilson)"],
               loc="outside lower center", fontsize=8, frameon=False)
    set_title(fig, "Japan's strategic choice", results)
    return fig


# --------------------------------------------------------------------------------------
# distributions
# --------------------------------------------------------------------------------------

def _bins(x: np.ndarray, outcome: Outcome) -> tuple[int | np.ndarray, tuple[float, float]]:
    lo, hi = float(np.min(x)), float(np.max(x))
    if hi - lo < 1e-9:  # one value: a single bar with some room around it
        if outcome.kind == "date":
            return 1, (lo - 0.5, hi + 0.5)
        half = max(0.5, abs(lo) * 0.05)
        return 1, (lo - half, hi + half)
    n_bins = int(min(40, max(8, math.sqrt(x.size))))
    if outcome.kind == "date" and hi - lo < 2 * n_bins:
        n_bins = max(1, int(hi - lo) + 1)
    return n_bins, (lo, hi)


def draw_distribution(ax: Axes, outcome: Outcome, values: np.ndarray, *, colour: str,
                      label: str | None = None, ecdf: bool = True, alpha: float = 0.45,
                      ecdf_axis: Axes | None = None, bins: Any = None,
                      value_range: tuple[float, float] | None = None,
                      outline: bool = False, linestyle: str = "-") -> Axes | None:
    """Histogram (share of replications per bin) and, on a right-hand axis, the ECDF.

    ``outline`` draws the histogram as an unfilled step line (with ``linestyle``), so that
    overlaid scenarios stay visible even where they coincide.
    """
    x = as_float(outcome, values)
    finite = x[np.isfinite(x)]
    if finite.size == 0:
        return ecdf_axis
    auto_bins, auto_range = _bins(finite, outcome)
    weights = np.full(finite.size, 1.0 / x.size)  # share of *all* replications
    ax.hist(finite, bins=bins if bins is not None else auto_bins,
            range=value_range or auto_range, weights=weights, color=colour,
            alpha=1.0 if outline else alpha, label=label or "histogram",
            histtype="step" if outline else "stepfilled", edgecolor=colour,
            linewidth=1.3 if outline else 0.8, linestyle=linestyle)
    if ecdf:
        twin = ecdf_axis or ax.twinx()
        xs = np.sort(finite)
        ys = np.arange(1, xs.size + 1) / x.size
        twin.step(xs, ys, where="post", color=colour, linewidth=1.4, linestyle=linestyle,
                  alpha=0.55 if outline else 1.0, label=f"ECDF{' ' + label if label else ''}")
        twin.set_ylim(0, 1.02)
        twin.yaxis.set_major_formatter(PercentFormatter(1.0))
        twin.tick_params(labelsize=7)
        if ecdf_axis is None:
            twin.set_ylabel("cumulative share", fontsize=7)
        return twin
    return ecdf_axis


def plot_distributions(results: Any, outcomes: Iterable[str] | None = None,
                       headline_only: bool = False, ncols: int = 3) -> Figure:
    """Histogram and ECDF of every numeric and date outcome (dates on a date axis).

    Replications where the event did not happen (empty values) are counted in the
    denominator, so the ECDF ends at the share of replications where it happened, and the
    panel says how many did not.
    """
    selected = numeric_outcomes(results, outcomes)
    if headline_only:
        selected = [o for o in selected if o.headline]
    if not selected:
        raise ValueError("no numeric outcome to plot")
    fig, axes = new_figure(len(selected), ncols, panel_size=(4.6, 3.3),
                           fixed_margins=(1.0, 0.9, 1.45, 1.0))
    n_total = int(getattr(results, "n", 0) or len(results.outcomes[selected[0].name]))
    legend_handles: tuple[list[Any], list[str]] | None = None
    for ax, outcome in zip(axes, selected):
        values = results.outcomes[outcome.name]
        x = as_float(outcome, values)
        finite = x[np.isfinite(x)]
        style_axes(ax)
        ax.set_title(outcome_title(outcome), fontsize=9)
        ax.set_xlabel(axis_label(outcome), fontsize=8)
        ax.set_ylabel("share of replications", fontsize=7)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        if finite.size == 0:
            ax.text(0.5, 0.5, "did not happen in any replication", transform=ax.transAxes,
                    ha="center", va="center", fontsize=9, color="#666666")
            ax.set_xticks([])
            continue
        twin = draw_distribution(ax, outcome, values, colour="#1f5f9f")
        median = float(np.median(finite))
        ax.axvline(median, color="black", linestyle="--", linewidth=1, label="median")
        if outcome.kind == "date":
            if np.ptp(finite) < 20:  # a date or two: show a month around them, not hours
                ax.set_xlim(finite.min() - 15, finite.max() + 15)
            date_axis(ax)
        elif outcome.unit == "men":
            ax.xaxis.set_major_formatter(FuncFormatter(thousands))
        missing = n_total - finite.size
        note = f"median {format_value(outcome, median)}"
        if missing:
            note += f"\ndid not happen in {missing / n_total:.0%}"
        ax.text(0.02, 0.97, note, transform=ax.transAxes, ha="left", va="top", fontsize=7,
                color="#222222", zorder=6,
                bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "alpha": 0.8,
                      "edgecolor": "none"})
        if legend_handles is None:
            handles, labels = ax.get_legend_handles_labels()
            if twin is not None:
                h2, l2 = twin.get_legend_handles_labels()
                handles, labels = handles + h2, labels + l2
            legend_handles = (handles, labels)
    if legend_handles is not None:
        fig.legend(*legend_handles, loc="lower center", ncols=3, fontsize=8, frameon=False)
    set_title(fig, "Distribution of outcomes", results)
    return fig


# --------------------------------------------------------------------------------------
# fan charts
# --------------------------------------------------------------------------------------

def month_dates(series: Any) -> np.ndarray:
    """The series' month-end dates as matplotlib day numbers."""
    months = [m if isinstance(m, dt.date) else dt.date.fromisoformat(str(m)[:10])
              for m in series.months]
    return np.asarray(mdates.date2num(months))


def key_events(results_or_scenario: Any) -> list[tuple[dt.date, str]]:
    """Dated events to mark on time axes, from the model (empty if it cannot say)."""
    scenario = getattr(results_or_scenario, "scenario", results_or_scenario)
    try:
        from sim.model import key_events as model_key_events

        params = scenario.sampler().central()
        events = model_key_events(params)
    except (ImportError, AttributeError):
        return []
    out = []
    for date, label in events:
        if isinstance(date, dt.datetime):
            date = date.date()
        if isinstance(date, dt.date):
            out.append((date, str(label)))
    return sorted(out)


def mark_events(ax: Axes, events: Sequence[tuple[dt.date, str]], *, labels: bool = True
                ) -> list[tuple[int, dt.date, str]]:
    """Dotted vertical lines at the key dates, numbered at the top of the axes.

    Events crowd together (three in four weeks of August-September 1939, five in the summer
    of 1941), so the axes carry numbers, staggered when close, and :func:`event_key` writes
    the names once under the figure.  Returns the (number, date, label) of the events shown.
    """
    lo, hi = ax.get_xlim()
    shown: list[tuple[int, dt.date, str]] = []
    last_x, level = -math.inf, 0
    for number, (date, label) in enumerate(events, start=1):
        x = float(mdates.date2num(date))
        if not lo <= x <= hi:
            continue
        ax.axvline(x, color="#444444", linewidth=0.7, linestyle=":", zorder=1)
        shown.append((number, date, label))
        if labels:
            level = (level + 1) % 3 if (x - last_x) < (hi - lo) * 0.03 else 0
            last_x = x
            ax.text(x, 0.985 - 0.065 * level, str(number), transform=ax.get_xaxis_transform(),
                    ha="center", va="top", fontsize=6.5, color="#222222", zorder=6,
                    bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white",
                          "edgecolor": "#777777", "linewidth": 0.5})
    ax.set_xlim(lo, hi)
    return shown


def event_key(fig: Figure, shown: Sequence[tuple[int, dt.date, str]], width: int = 170) -> None:
    """'1 Khalkhin Gol offensive (1939-08-20) · 2 ...' under the figure."""
    if not shown:
        return
    items = [f"{n} {label} ({date:%d %b %Y})" for n, date, label in shown]
    lines: list[str] = ["Key dates:"]
    for item in items:  # never split an item across lines
        if len(lines[-1]) + len(item) + 5 > width:
            lines.append(item)
        else:
            lines[-1] += ("   ·   " if lines[-1] != "Key dates:" else " ") + item
    fig.supxlabel("\n".join(lines), fontsize=7.5, color="#222222")


def draw_fan(ax: Axes, x: np.ndarray, quantiles: Mapping[str, Any], *, colour: str,
             label: str = "", bands: bool = True) -> None:
    """Median line with the 50 % (p25-p75) and 90 % (p05-p95) bands."""
    q = {k: np.asarray(v, dtype=float) for k, v in quantiles.items()}
    prefix = f"{label} " if label else ""
    if bands and "p05" in q and "p95" in q:
        ax.fill_between(x, q["p05"], q["p95"], color=colour, alpha=0.15, linewidth=0,
                        label=f"{prefix}90% band")
    if bands and "p25" in q and "p75" in q:
        ax.fill_between(x, q["p25"], q["p75"], color=colour, alpha=0.32, linewidth=0,
                        label=f"{prefix}50% band")
    ax.plot(x, q["p50"], color=colour, linewidth=1.8, label=f"{prefix}median")


def plot_fan_charts(results: Any, series: Iterable[str] | None = None, *,
                    events: bool = True, ncols: int = 2, samples: int = 0) -> Figure:
    """Monthly series as fan charts (median, 50 % and 90 % bands), key dates marked.

    ``samples`` adds that many individual replications as thin lines: the bands hide how
    single runs move (a step when the war starts, not a gentle slope).
    """
    data = results.series
    names = list(series) if series is not None else [s for s in SERIES if s in data.quantiles]
    unknown = [s for s in names if s not in data.quantiles]
    if unknown:
        from sim.errors import UserError, did_you_mean

        raise UserError(f"unknown series `{unknown[0]}`{did_you_mean(unknown[0], data.quantiles)};"
                        f" expected one of {', '.join(data.quantiles)}")
    if not names:
        raise ValueError("these results hold no monthly series")
    x = month_dates(data)
    dated = key_events(results) if events else []
    fig, axes = new_figure(len(names), ncols, panel_size=(6.2, 3.2))
    kept = getattr(data, "sample", None) or {}
    for i, (ax, name) in enumerate(zip(axes, names)):
        draw_fan(ax, x, data.quantiles[name], colour="#1f5f9f")
        runs = np.asarray(kept.get(name, np.empty((0, x.size))))[:max(0, samples)]
        for k, trajectory in enumerate(runs):
            ax.plot(x, trajectory[: x.size], color="#d0781c", linewidth=0.6, alpha=0.6,
                    label=f"{len(runs)} single replications" if k == 0 else "_nolegend_",
                    zorder=2)
        unit = SERIES.get(name, "")
        ax.set_title(SERIES_LABELS.get(name, name.replace("_", " ")), fontsize=10)
        ax.set_ylabel(f"{name} ({unit})" if unit else name, fontsize=8)
        ax.set_xlim(x[0], x[-1])
        if unit == "men":
            ax.yaxis.set_major_formatter(FuncFormatter(thousands))
        ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
        date_axis(ax)
        style_axes(ax)
        shown = mark_events(ax, dated)
        if i == 0:
            ax.legend(fontsize=7, loc="lower left", framealpha=0.8)
    event_key(fig, shown if names else [], width=int(fig.get_figwidth() * 14))
    set_title(fig, "Monthly series: median with 50% and 90% bands", results)
    return fig


# --------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------

def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """'png,svg' -> ('png', 'svg'); an unknown format is a one-line UserError."""
    items = [t.strip().lower() for t in (text.split(",") if isinstance(text, str) else text)]
    items = [t for t in items if t]
    bad = [t for t in items if t not in FORMATS]
    if bad or not items:
        from sim.errors import UserError

        raise UserError(f"--format: unknown figure format `{bad[0] if bad else text}`; "
                        f"expected a comma-separated list of {', '.join(FORMATS)}")
    return tuple(dict.fromkeys(items))


def save_figure(fig: Figure, path_stem: Path, formats: Sequence[str] = ("png",),
                dpi: int = 150) -> list[Path]:
    """Write ``fig`` as ``path_stem.<format>`` for each format; returns the paths."""
    path_stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = path_stem.with_suffix(f".{fmt}")
        # SVG keeps its text as text (searchable, editable in a drawing program); no dates in
        # the metadata, so the same figure gives the same file.
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "sim"}):
            fig.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA.get(fmt))
        written.append(path)
    return written


_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}


def run_figures(results: Any, *, every_outcome: bool = True) -> dict[str, Figure]:
    """The standard figures of a run, by file stem.

    ``every_outcome`` adds ``distributions`` (one panel per numeric outcome, a large figure
    that takes seconds to draw) to the decisions, headline distributions and fan charts.
    """
    figures: dict[str, Figure] = {}
    if category_outcomes(results):
        figures["decisions"] = plot_decisions(results)
    numeric = numeric_outcomes(results)
    headline = [o.name for o in numeric if o.headline]
    if headline:
        figures["headline_distributions"] = plot_distributions(results, headline)
    if numeric and (every_outcome or not headline):
        figures["distributions"] = plot_distributions(results)
    series = getattr(results, "series", None)
    if series is not None and getattr(series, "quantiles", None):
        figures["fan_charts"] = plot_fan_charts(results)
    return figures


def _png_for_notebook(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return buf.getvalue()


def _show_figures_in_notebooks() -> None:
    """Let Jupyter show the figures these functions return, whatever matplotlib backend is set.

    Jupyter's inline backend registers a PNG formatter for figures only once ``pyplot`` is
    imported with it; our figures never touch ``pyplot``, so register one for them.
    """
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return
    shell = ipython_module.get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    png = shell.display_formatter.formatters["image/png"]
    if Figure in png.type_printers:  # the inline backend got there first: keep its settings
        return
    png.for_type(Figure, _png_for_notebook)


def write_run_plots(results: Any, plots_dir: Path, formats: Sequence[str] = ("png",), *,
                    every_outcome: bool = False) -> list[Path]:
    """Write the standard figures of a run into ``plots_dir``; returns the files written.

    ``sim run`` calls this with the defaults (decisions, headline distributions, fan charts,
    PNG) so that a run is not kept waiting; ``sim plot`` adds every outcome's distribution.
    """
    plots_dir = Path(plots_dir)
    written: list[Path] = []
    for stem, fig in run_figures(results, every_outcome=every_outcome).items():
        written += save_figure(fig, plots_dir / stem, formats)
    return written


_show_figures_in_notebooks()
