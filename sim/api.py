"""The entry points of the public API that draw figures: ``sim.run`` and ``sim.load_results``.

The engine and the results sit below the figures (:mod:`sim.plots`) in the layers, so they
draw ``plots/`` only with a figure writer they are given.  This module, at the top with the
command line, gives them the standard one: a run written by ``sim.run(..., out=DIR)`` gets its
plots/, and the Results that ``sim.run`` and ``sim.load_results`` return draw them on
:meth:`~sim.results.Results.write`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim import engine
from sim.engine import DEFAULT_RUNS
from sim.results import Results, loader


def write_standard_figures(results: Results, plots_dir: Path) -> None:
    """The figure ``sim run`` draws into plots/: the overview (``sim plot`` draws the rest)."""
    # sim.plots imports matplotlib, about half a second: only runs that draw figures pay it.
    from sim.plots import write_run_plots

    plots_dir.mkdir(parents=True, exist_ok=True)
    write_run_plots(results, plots_dir)


def run(scenario: Any, runs: int = DEFAULT_RUNS, seed: int | None = None,
        **options: Any) -> Results:
    """:func:`sim.engine.run` with the standard figures (``plots=False`` skips them)."""
    options.setdefault("figures", write_standard_figures)
    return engine.run(scenario, runs, seed, **options)


def resume(path: str | Path, **options: Any) -> Results:
    """:func:`sim.engine.resume` with the standard figures, if the run asked for them."""
    options.setdefault("figures", write_standard_figures)
    return engine.resume(path, **options)


def load_results(path: str | Path) -> Results:
    """Open a results folder written by ``sim run`` or :meth:`Results.write`; writing the
    Results again draws the standard figures."""
    return loader.load_results(path, figures=write_standard_figures)
