"""Commands that run the model: ``sim run`` (a Monte Carlo run into a results folder) and
``sim reproduce`` (re-run one replication of a finished run and check it is identical).
"""

from __future__ import annotations

import shlex
import time
from pathlib import Path
from typing import Any

import click

from sim.cli.common import (
    default_out, force_option, options_given, out_option, quiet_option, runs_option,
    scenario_title, seed_option, set_option, workers_option,
)
from sim.cli.dask_check import check_dask_workers
from sim.cli.group import cli
from sim.errors import UserError
from sim.headline import headline_rows
from sim.formatting import plural



def _command_line(scenario: str, runs: int, seed: int | None, sets: tuple[str, ...],
                  extra: list[str]) -> str:
    parts = ["sim", "run", scenario, "--runs", str(runs)]
    if seed is not None:
        parts += ["--seed", str(seed)]
    for s in sets:
        parts += ["--set", s]
    return shlex.join(parts + extra)


@cli.command("run")
@click.argument("scenario", required=False, metavar="SCENARIO")
@runs_option(None, "Replications to run [default: 1000].")
@seed_option()
@out_option("Results folder [default: results/<scenario>-<timestamp>].")
@workers_option()
@set_option()
@force_option("Replace an existing --out folder (only once the new run is complete).")
@click.option("--resume", "resume_dir", type=click.Path(file_okay=False), default=None,
              metavar="DIR", help="Finish an interrupted run in DIR (same seed, same chunks).")
@click.option("--keep-going", is_flag=True,
              help="Record replications that raise and go on, instead of stopping.")
@click.option("--precision", type=float, default=None, metavar="E",
              help="Add replications until every headline share is known to ±E (95%), "
                   "e.g. 0.01.")
@click.option("--max-runs", type=int, default=None, metavar="N",
              help="Cap on replications with --precision (default 200000).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs the [dask] extra).")
@quiet_option()
@click.option("--no-plots", is_flag=True,
              help="Skip plots/overview.png (the one figure a run draws; `sim plot DIR` "
                   "draws the rest).")
@click.option("--csv/--no-csv", "csv", default=None,
              help="Write runs.csv and outcomes.npz beside runs.parquet or not (default: "
                   "only up to 200,000 replications).")
@click.option("--chunk-size", type=int, default=None, hidden=True,
              help="Replications per chunk (rounded up to a multiple of 100).")
@click.option("--model", "model", default=None, metavar="MODULE:FUNCTION",
              help="Model function to run (default sim.model:simulate); with --resume, the "
                   "model the run was made with.")
def run_command(scenario: str | None, runs: int | None, seed: int, out: str | None,
                workers: int | None, sets: tuple[str, ...], force: bool, resume_dir: str | None,
                keep_going: bool, precision: float | None, max_runs: int | None,
                scheduler: str | None, quiet: bool, no_plots: bool, chunk_size: int | None,
                model: str | None, csv: bool | None) -> None:
    """Run a scenario many times (Monte Carlo) and write a results folder.

    The folder holds manifest.json (what was run, seed, versions), runs.csv (one row per
    replication), summary.json (means, quantiles, 95% intervals) and plots/overview.png
    (decision shares, the path through the conferences, oil stock by decision): the one
    figure a run draws, so that figures do not hold it up.  `sim plot DIR` draws every other
    figure (distributions, fan charts of every monthly series, ...).  The same scenario and
    seed give the same numbers whatever the number of workers.

    \b
    Examples:
      sim run scenarios/historical.yaml --runs 1000 --seed 1
      sim run scenarios/historical.yaml --set embargo.enabled=false --out results/no-embargo
      sim run scenarios/historical.yaml --precision 0.01 --max-runs 50000
      sim run --resume results/historical-20260101-120000
    """
    # Imported when the command runs: the engine's libraries would slow every `sim` start-up.
    from sim import api, engine

    started = time.perf_counter()
    progress = False if quiet else None
    if resume_dir is not None:
        given = (["SCENARIO"] if scenario is not None else []) + options_given(
            ("sets", "runs", "seed", "out", "precision", "max_runs", "chunk_size", "force",
             "no_plots", "csv"))
        if given:
            raise UserError(f"--resume takes the scenario, seed and settings from "
                            f"DIR/manifest.json; leave out {', '.join(given)}")
        check_dask_workers(scheduler)
        results = api.resume(resume_dir, workers=workers, progress=progress,
                             scheduler=scheduler, keep_going=keep_going or None, model=model)
    else:
        if scenario is None:
            raise UserError("missing SCENARIO; expected a scenario file such as "
                            "scenarios/historical.yaml (or --resume DIR)")
        from sim.scenario import load_scenario

        runs = engine.DEFAULT_RUNS if runs is None else runs

        sc = load_scenario(scenario, list(sets))
        chosen_seed = engine.pick_seed(seed)
        target = Path(out) if out is not None else default_out(sc.name)
        extra: list[str] = []
        if out is not None:
            extra += ["--out", out]
        if precision is not None:
            extra += ["--precision", repr(precision)]
        if max_runs is not None:
            extra += ["--max-runs", str(max_runs)]
        if keep_going:
            extra.append("--keep-going")
        if model is not None:
            extra += ["--model", model]
        if no_plots:
            extra.append("--no-plots")
        if csv is not None:
            extra.append("--csv" if csv else "--no-csv")
        command = _command_line(scenario, runs, chosen_seed, sets, extra)
        check_dask_workers(scheduler)  # before any folder exists: a failed start leaves none
        results = api.run(sc, runs=runs, seed=chosen_seed, workers=workers, out=target,
                          force=force, progress=progress, keep_going=keep_going,
                          precision=precision, max_runs=max_runs, scheduler=scheduler,
                          chunk_size=chunk_size, command=command, model=model,
                          plots=not no_plots, csv=csv)
    elapsed = time.perf_counter() - started
    if not quiet:
        click.echo(summary_table(results, elapsed))
    error = results.manifest.get("plots_error")
    if error:
        click.echo(f"warning: {error}", err=True)


def summary_table(results: Any, elapsed: float | None = None) -> str:
    """The short text summary ``sim run`` prints: headline shares and medians."""
    summary = results.summary()
    m = results.manifest
    timing = f", {elapsed:.1f} s" if elapsed is not None else ""
    title = scenario_title(getattr(results, "scenario", None)) if getattr(
        results, "scenario", None) is not None else summary["scenario"]
    lines = [f"{title}: {plural(results.n, 'replication')}, seed {m.get('seed')}"
             f"{timing}, {plural(int(m.get('workers') or 1), 'worker')}"]
    if results.errors:
        failed = len(results.errors)
        lines.append(f"  {plural(failed, 'replication')} failed and {'was' if failed == 1 else 'were'}"
                     " left out (see manifest.json `errors`)")
    prec = m.get("precision")
    if prec:
        state = "reached" if prec.get("reached") else "NOT reached (hit --max-runs)"
        lines.append(f"  precision ±{prec['target_half_width']:g} {state}: widest headline "
                     f"half-width {prec['achieved_half_width']:.4f} after "
                     f"{plural(int(prec['runs_needed']), 'replication')}")
    lines.append("")
    shown = None
    for row in headline_rows(summary):
        label = "" if row.outcome == shown else row.outcome
        shown = row.outcome
        if row.category is not None:
            lines.append(f"  {label:<36} {row.category:<12} {row.value:>6}  ({row.detail})")
        else:
            lines.append(f"  {label:<36} {row.statistic.split()[0]} {row.value}  ({row.detail})")
    where = getattr(results, "path", None)
    if where is not None:
        names = ("manifest.json", "runs.parquet", "runs.csv", "summary.json", "plots/")
        files = ", ".join(n for n in names if (Path(where) / n.rstrip("/")).exists())
        lines += ["", f"Results in {where}/ ({files})"]
    return "\n".join(lines)


@cli.command("reproduce")
@click.argument("results_dir", metavar="RESULTS_DIR", type=click.Path(file_okay=False))
@click.option("--replication", "-r", "index", type=int, required=True, metavar="K",
              help="Index of the replication (the `replication` column of runs.csv).")
@click.option("--model", "model", default=None, metavar="MODULE:FUNCTION",
              help="The model the run was made with, when not the built-in one (a results "
                   "folder never chooses the code that runs).")
def reproduce_command(results_dir: str, index: int, model: str | None) -> int:
    """Re-run one replication of a results folder and check it matches runs.csv.

    Uses the manifest's resolved scenario and root entropy, and the model named by --model
    (default the built-in one), which must be the one the run was made with.  Exit code 0
    when the re-run is identical, 1 (with the differing columns, or the error and its
    traceback) otherwise.

    \b
    Example:
      sim reproduce results/historical-20260101-120000 --replication 42
    """
    from sim import engine  # when the command runs, as in `sim run`: a fast start-up

    rep = engine.reproduce(results_dir, index, model=model)
    if rep.error is not None:
        click.echo(f"replication {index} raised {rep.error}", err=True)
        if rep.traceback:
            click.echo(rep.traceback.rstrip(), err=True)
        return 1
    if rep.stored is None:
        click.echo(f"replication {index}: no stored row to compare with; re-run gives:")
        click.echo(rep.rerun.rstrip("\n") if rep.rerun else "")
        return 1
    if rep.identical:
        click.echo(f"replication {index}: identical to the stored row")
        return 0
    click.echo(f"replication {index}: DIFFERENT from the stored row")
    for column, stored, now in rep.differences():
        click.echo(f"  {column}: stored {stored or '(empty)'}, re-run {now or '(empty)'}")
    return 1
