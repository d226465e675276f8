"""Commands to look at results: ``sim plot``, ``sim compare``, ``sim sweep``, ``sim trace``,
``sim report``.

Each is a thin layer over the Python API (:mod:`sim.plots`, :mod:`sim.compare`,
:mod:`sim.sweep`, :mod:`sim.trace`, :mod:`sim.report`), so a notebook gets exactly what the
command line prints and draws.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from sim.cli.group import cli
from sim.errors import UserError, did_you_mean
from sim.outcomes import BY_NAME

# Each command imports what it runs inside its body, so that `sim --help` and every other
# command start without loading numpy, matplotlib, the model or the engine.

SET_HELP = "Override a parameter of the scenario, e.g. embargo.enabled=false (repeatable)."
FORMAT_HELP = "Comma-separated figure formats: png, svg, pdf."


def _results(folder: str) -> Any:
    from sim.results import load_results

    return load_results(folder)


@contextlib.contextmanager
def _writing(results_dir: str, out: Path, purpose: str) -> Iterator[None]:
    """Hold the results folder while writing ``out`` inside it (another writer could be
    replacing it), and report a disk that refuses as one line."""
    from sim.results import FolderLock, storage_error

    folder = Path(results_dir)
    inside = out.resolve().is_relative_to(folder.resolve())
    try:
        with FolderLock(folder, purpose) if inside else contextlib.nullcontext():
            yield
    except OSError as exc:
        raise storage_error(exc, f"the results in {folder} are unchanged; write elsewhere with "
                            "--out", writing=out) from None


def _scenario_or_results(source: str, sets: Sequence[str]) -> Any:
    """A results folder (``--set`` refused: its assumptions are fixed), a scenario file or an
    installed scenario's name (which wins over a folder of that name: write ./NAME for it)."""
    from sim.scenario import load_scenario
    from sim.scenario.installed import is_bare_name, is_installed, names_hint

    if is_installed(source):
        return load_scenario(source, list(sets))
    path = Path(source)
    if path.is_dir():
        if sets:
            raise UserError(f"--set: {source} is a results folder whose assumptions are fixed; "
                            "give a scenario file to change them")
        return _results(source)
    if not path.exists():
        hint = names_hint(source) if is_bare_name(source) else ""
        raise UserError(f"{source}: no such scenario file, installed scenario or results "
                        f"folder{hint}")
    return load_scenario(path, list(sets))


def _echo_paths(paths: Sequence[Path]) -> None:
    for p in paths:
        click.echo(f"wrote {p}")


# --------------------------------------------------------------------------------------------
# sim plot
# --------------------------------------------------------------------------------------------


@cli.command()
@click.argument("results_dir", metavar="RESULTS_DIR")
@click.option("--format", "formats", default="png,svg", show_default=True, help=FORMAT_HELP)
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for the figures [default: RESULTS_DIR/plots].")
@click.option("--by", type=click.Choice(["decision", "none"]), default="decision",
              show_default=True,
              help="Split the fan charts by Japan's decision, or pool every run (none).")
@click.option("--convergence", is_flag=True,
              help="Add convergence.png: each headline estimate with its 95% interval "
                   "against the number of replications.")
def plot(results_dir: str, formats: str, out: str | None, by: str, convergence: bool) -> None:
    """Draw every figure of a run: the overview, decision shares, outcome distributions with
    the documented values, fan charts by decision, the path through the conferences.

    \b
    Example:
      sim plot results/historical --format png,svg --convergence
    """
    from sim.plots import parse_formats, write_run_plots

    fmts = parse_formats(formats)
    folder = Path(out) if out else Path(results_dir) / "plots"
    with _writing(results_dir, folder, "sim plot"):
        results = _results(results_dir)
        _echo_paths(write_run_plots(results, folder, fmts, every_outcome=True,
                                    by=None if by == "none" else by, convergence=convergence))


# --------------------------------------------------------------------------------------------
# sim compare
# --------------------------------------------------------------------------------------------


@cli.command()
@click.argument("sources", nargs=-1, required=True, metavar="SCENARIO_OR_RESULTS...")
@click.option("--runs", type=click.IntRange(min=2), default=1000, show_default=True,
              help="Replications per scenario (scenario files only).")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Seed shared by every scenario: common random numbers.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: the engine's].")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for comparison.csv, comparison.json and the figures.")
@click.option("--format", "formats", default="png", show_default=True, help=FORMAT_HELP)
@click.option("--outcome", "outcomes", multiple=True, metavar="NAME",
              help="Only print these outcomes (repeatable; the files hold all).")
def compare(sources: tuple[str, ...], runs: int, seed: int, workers: int | None,
            out: str | None, formats: str, outcomes: tuple[str, ...]) -> None:
    """Compare scenarios side by side, paired by replication (the first is the baseline).

    Scenario files run together with the same seed (common random numbers), so each
    difference is paired by replication.  Results folders pair only when they share seed and
    run count; otherwise the table says so and uses unpaired intervals.

    \b
    Example:
      sim compare scenarios/historical.yaml scenarios/no-embargo.yaml --runs 2000 --out cmp/
    """
    from sim.compare import compare as run_compare
    from sim.plots import parse_formats

    fmts = parse_formats(formats) if out else ()
    for name in outcomes:
        if name not in BY_NAME:
            raise UserError(f"--outcome: unknown outcome `{name}`{did_you_mean(name, BY_NAME)}")
    loaded = [_scenario_or_results(s, ()) for s in sources]
    comparison = run_compare(loaded, runs, seed, workers=workers)
    click.echo(comparison.format_table(outcomes or None))
    if out:
        _echo_paths(comparison.write(Path(out), fmts))


# --------------------------------------------------------------------------------------------
# sim sweep
# --------------------------------------------------------------------------------------------


@cli.command()
@click.argument("scenario", metavar="SCENARIO")
@click.option("--vary", "varies", multiple=True, required=True, metavar="KEY=LOW:HIGH:STEPS",
              help="A parameter to sweep (once or twice); true/false and choices take "
                   "KEY=a,b.")
@click.option("--outcome", "outcomes", multiple=True, metavar="NAME[=CATEGORY]",
              help="What to report: decision (every share), decision=north, or a numeric "
                   "outcome's mean (repeatable) [default: decision].")
@click.option("--runs", type=click.IntRange(min=2), default=200, show_default=True,
              help="Replications per grid point.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Seed shared by every grid point: common random numbers.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: the engine's].")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help=SET_HELP)
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for sweep.csv, sweep.json and the figure.")
@click.option("--format", "formats", default="png", show_default=True, help=FORMAT_HELP)
def sweep(scenario: str, varies: tuple[str, ...], outcomes: tuple[str, ...], runs: int,
          seed: int, workers: int | None, sets: tuple[str, ...], out: str | None,
          formats: str) -> None:
    """How outcomes change as one or two assumptions move (a line or a heatmap).

    \b
    Examples:
      sim sweep scenarios/historical.yaml --vary barbarossa.pressure=0.5:2:7
      sim sweep scenarios/historical.yaml --vary embargo.date=1941-06-01:1941-12-01:7 \\
          --vary china.drain_multiplier=0:1.5:4 --outcome decision=north
    """
    from sim.plots import parse_formats
    from sim.scenario import load_scenario
    from sim.sweep import parse_measures, parse_vary
    from sim.sweep import sweep as run_sweep

    fmts = parse_formats(formats) if out else ()
    specs = [parse_vary(v) for v in varies]  # check every input before running anything
    parse_measures(outcomes)
    base = load_scenario(scenario, list(sets))
    result = run_sweep(base, specs, runs=runs, seed=seed, workers=workers,
                       outcomes=outcomes or None)
    click.echo(result.format_table())
    if out:
        _echo_paths(result.write(Path(out), fmts))


# --------------------------------------------------------------------------------------------
# sim trace
# --------------------------------------------------------------------------------------------


@cli.command()
@click.argument("source", metavar="SCENARIO_OR_RESULTS")
@click.option("--replication", type=click.IntRange(min=0), default=None, metavar="K",
              help="Index of the replication to narrate.")
@click.option("--pick", default=None,
              metavar="median|closest-to-history|best:OUTCOME|worst:OUTCOME",
              help="Choose a representative replication instead of giving its index.")
@click.option("--runs", type=click.IntRange(min=10), default=200, show_default=True,
              help="Replications to choose among (scenario files with --pick).")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Seed of the run the replication belongs to (scenario files).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes [default: the engine's].")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help=SET_HELP)
@click.option("--model", "model", default=None, metavar="MODULE:FUNCTION",
              help="Model to run (default sim.model:simulate); for a results folder, the "
                   "model it was made with.")
def trace(source: str, replication: int | None, pick: str | None, runs: int, seed: int,
          workers: int | None, sets: tuple[str, ...], model: str | None) -> None:
    """Tell, date by date, what happened in one replication.

    \b
    Examples:
      sim trace scenarios/historical.yaml --replication 17
      sim trace scenarios/no-embargo.yaml --pick median --runs 500
      sim trace results/historical --pick worst:oil_stock_end_1942
    """
    from sim.trace import narrative

    loaded = _scenario_or_results(source, sets)
    for line in narrative(loaded, replication, pick=pick, runs=runs, seed=seed,
                          workers=workers, model=model):
        click.echo(line)


# --------------------------------------------------------------------------------------------
# sim report
# --------------------------------------------------------------------------------------------


@cli.command()
@click.argument("folder", metavar="DIR")
@click.option("--out", "-o", type=click.Path(dir_okay=False), default=None,
              help="HTML file to write [default: DIR/report.html].")
@click.option("--title", default=None, help="Title of the report.")
@click.option("--force", "-f", is_flag=True, help="Replace the HTML file if it exists.")
@click.option("--quiet", "-q", is_flag=True, help="Do not print the file written.")
def report(folder: str, out: str | None, title: str | None, force: bool, quiet: bool) -> None:
    """Write one self-contained HTML report (figures embedded, no external files) of a run,
    a comparison, a sweep or an analysis folder.

    DIR is a folder written by `sim run`, or the --out folder of `sim compare`, `sim sweep`,
    `sim explain`, `sim sensitivity` or `sim discover`.  Needs the [report] extra (jinja2).

    \b
    Examples:
      sim report results/historical --out historical.html
      sim report cmp/
    """
    from sim.report import find_source, write_report

    source = find_source(Path(folder))
    target = Path(out) if out else Path(folder) / "report.html"
    with _writing(folder, target, "sim report"):
        path = write_report(source, target, title, force=force)
    if not quiet:
        click.echo(f"wrote {path}")
