"""The figures of a run as files: which figures a run has, and writing them as PNG, SVG or
PDF with metadata that does not change between runs (the same figure gives the same bytes)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from sim.errors import UserError
from sim.plots.axes import CONFERENCE_OUTCOMES
from sim.plots.convergence import plot_convergence
from sim.plots.decisions import plot_decisions
from sim.plots.fan_charts import plot_fan_charts
from sim.plots.histograms import plot_distributions
from sim.plots.overview import OVERVIEW_DPI, plot_overview
from sim.plots.paths import plot_conference_paths
from sim.plots.values import category_outcomes, numeric_outcomes

FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
#: No dates or program versions in the files' metadata, so the same figure gives the same file.
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}


def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """'png,svg' -> ('png', 'svg'); an unknown format is a one-line UserError."""
    items = [t.strip().lower() for t in (text.split(",") if isinstance(text, str) else text)]
    items = [t for t in items if t]
    bad = [t for t in items if t not in FORMATS]
    if bad or not items:
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
        # the metadata, so the same figure gives the same file.  PNGs are compressed lightly:
        # a tenth of the encoding time for a few per cent more bytes.
        extra = {"pil_kwargs": {"compress_level": 1}} if fmt == "png" else {}
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "sim"}):
            fig.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA.get(fmt), **extra)
        written.append(path)
    return written


def run_figures(results: Any, *, every_outcome: bool = True, by: str | None = "decision",
                convergence: bool = False) -> dict[str, Figure]:
    """The figures of a run that ``sim plot`` draws, by file stem.

    Decisions, headline distributions, fan charts (split ``by`` decision unless ``by`` is
    None) and the path through the conferences; ``every_outcome`` adds ``distributions`` (one
    panel per numeric outcome, a large figure that takes seconds to draw) and
    ``convergence`` the running estimates against replications.
    """
    figures: dict[str, Figure] = {}
    cats = category_outcomes(results)
    if cats:
        figures["decisions"] = plot_decisions(results)
    numeric = numeric_outcomes(results)
    headline = [o.name for o in numeric if o.headline]
    if headline:
        figures["headline_distributions"] = plot_distributions(results, headline)
    if numeric and (every_outcome or not headline):
        figures["distributions"] = plot_distributions(results)
    series = getattr(results, "series", None)
    if series is not None and getattr(series, "quantiles", None):
        figures["fan_charts"] = plot_fan_charts(results, by=by)
    if any(o.name in CONFERENCE_OUTCOMES for o in cats):
        figures["conference_paths"] = plot_conference_paths(results)
    if convergence:
        figures["convergence"] = plot_convergence(results)
    return figures


def write_run_plots(results: Any, plots_dir: Path, formats: Sequence[str] = ("png",), *,
                    every_outcome: bool = False, by: str | None = "decision",
                    convergence: bool = False) -> list[Path]:
    """Write the figures of a run into ``plots_dir``; returns the files written.

    ``sim run`` calls this with the defaults: the overview alone, at screen resolution, so
    that the figures cost a run a fraction of a second and a few megabytes.  ``sim plot``
    passes ``every_outcome`` for the overview and every figure of :func:`run_figures`.
    """
    plots_dir = Path(plots_dir)
    written = save_figure(plot_overview(results), plots_dir / "overview", formats,
                          dpi=OVERVIEW_DPI)
    if every_outcome:
        for stem, fig in run_figures(results, by=by, convergence=convergence).items():
            written += save_figure(fig, plots_dir / stem, formats)
    return written
