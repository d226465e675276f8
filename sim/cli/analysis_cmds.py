"""Commands that ask *why*: ``sim explain`` (Shapley attribution to documented factors),
``sim sensitivity`` (Sobol, Morris, one-at-a-time), ``sim discover`` (PRIM boxes) and
``sim schools`` (the attribution across schools of thought and their posterior draws).

Each is a thin layer over :mod:`sim.analysis`; every file it writes goes into ``--out``
(default ``analysis/<scenario name>``, shared by the three: each refuses to replace its own
files there without ``--force``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from sim.cli.common import (
    check_outputs, force_option, out_option, quiet_option, runs_option, seed_option,
    set_option, workers_option, write_outputs,
)
from sim.analysis.defaults import DEFAULT_OUTCOME
from sim.cli.group import cli

# Each command imports the analysis it runs inside its body, so that `sim --help` and every
# other command start without loading numpy, matplotlib, SALib, the model or the engine.

_SEED_HELP = ("Root seed, shared by every scenario of the analysis (common random numbers) "
              "[default: 1, as for every command]; printed and recorded.")
_SET_HELP = "Override a parameter of the scenario before the analysis (repeatable)."
_OUTCOME_HELP = "Outcome expression, e.g. \"decision == 'north'\" or oil_stock_end_1942."


def _load(scenario_path: str, sets: tuple[str, ...]) -> Any:
    from sim.scenario import load_scenario

    return load_scenario(scenario_path, list(sets))


def _out_dir(out: str | None, scenario: Any) -> Path:
    return Path(out) if out else Path("analysis") / scenario.name


def _written(paths: list[Path], seconds: float, quiet: bool) -> None:
    if not quiet:
        click.echo("")
        click.echo(f"wrote {', '.join(str(p) for p in paths)}  ({seconds:.1f} s)")


def _finish(table: str, out: Path, force: bool, quiet: bool, write: Any,
            started: float) -> None:
    """Print the table and move the files into ``out`` (nothing replaced without --force)."""
    if not quiet:
        click.echo(table)
    _written(write_outputs(out, force, write), time.perf_counter() - started, quiet)


@cli.command("explain")
@click.argument("scenario", metavar="SCENARIO")
@click.option("--outcome", default=DEFAULT_OUTCOME, show_default=True, help=_OUTCOME_HELP)
@click.option("--factors", default=None,
              help="Comma-separated documented factors (default: all). See --list-factors.")
@click.option("--factor", "extra", multiple=True, metavar="NAME:KEY=VALUE[,KEY=VALUE]",
              help="Add a factor of your own (repeatable), e.g. no_tripartite:tripartite.enabled=false.")
@set_option(_SET_HELP)
@runs_option(500, "Replications per factor combination.", 2)
@seed_option(_SEED_HELP)
@click.option("--bootstrap", default=1000, show_default=True, type=click.IntRange(min=0),
              help="Bootstrap resamples for the 95% intervals (0 = none).")
@workers_option()
@out_option("Folder for attribution.json/.csv and waterfall.png [default: analysis/<scenario>].")
@force_option()
@quiet_option()
@click.option("--list-factors", is_flag=True, help="List the documented factors and exit.")
def explain_cmd(scenario: str, outcome: str, factors: str | None, extra: tuple[str, ...],
                sets: tuple[str, ...], runs: int, seed: int, bootstrap: int, workers: int | None,
                out: str | None, force: bool, quiet: bool, list_factors: bool) -> None:
    """Attribute the change in an outcome to documented factors (exact Shapley values).

    Runs every combination of the factors switched to their counterfactuals (2^k scenarios,
    common random numbers) and splits the change from the scenario as written to the world
    with all of them switched among the factors.

    \b
    Example:
      sim explain scenarios/historical.yaml --outcome "decision == 'north'" --runs 500
    """
    from sim.analysis.factors import FACTORS, select_factors
    from sim.analysis.shapley import attribute

    if list_factors:
        for f in FACTORS.values():
            click.echo(f"{f.name:<20} {f.label}: {f.describe_overrides()}")
            click.echo(f"{'':<20} {f.question} [{', '.join(f.sources)}]")
        return
    chosen = select_factors(factors, extra)
    scen = _load(scenario, sets)
    folder = _out_dir(out, scen)
    check_outputs(folder, ("attribution.json", "attribution.csv", "waterfall.png"), force)
    start = time.perf_counter()
    att = attribute(scen, outcome, chosen, runs=runs, seed=seed, bootstrap=bootstrap,
                    workers=workers, progress=False if quiet else None)
    _finish(att.table(), folder, force, quiet, att.write, start)


@cli.command("sensitivity")
@click.argument("scenario", metavar="SCENARIO")
@click.option("--method", "-m", type=click.Choice(["sobol", "morris", "oat"]), default="sobol",
              show_default=True, help="Sobol indices, Morris screening or one-at-a-time tornado.")
@click.option("--params", default=None,
              help="Comma-separated parameters to vary (default: those with a distribution).")
@click.option("--outcome", default=DEFAULT_OUTCOME, show_default=True, help=_OUTCOME_HELP)
@click.option("--samples", default=None, type=int,
              help="Sobol: base samples, a power of 2 [32]; Morris: trajectories [10]; OAT: unused.")
@click.option("--runs", "--replications", "-n", "replications", default=None,
              type=click.IntRange(min=1),
              help="Replications per sample point, same seed at every point "
                   "[default: sobol 16, morris 16, oat 200].")
@set_option(_SET_HELP)
@seed_option(_SEED_HELP)
@workers_option()
@out_option("Folder for sensitivity_<method>.json and its chart "
            "[default: analysis/<scenario>].")
@force_option()
@quiet_option()
def sensitivity_cmd(scenario: str, method: str, params: str | None, outcome: str,
                    samples: int | None, replications: int | None, sets: tuple[str, ...], seed: int,
                    workers: int | None, out: str | None, force: bool, quiet: bool) -> None:
    """Global sensitivity of an outcome to the scenario's uncertain assumptions (SALib).

    Separates the variance due to the assumptions ("historians disagree") from the variance
    of chance ("fog of war").

    \b
    Example:
      sim sensitivity scenarios/historical.yaml --method morris --outcome "decision == 'north'"
    """
    from sim.analysis.sensitivity import analyse

    scen = _load(scenario, sets)
    folder = _out_dir(out, scen)
    check_outputs(folder, (f"sensitivity_{method}.json",), force)
    start = time.perf_counter()
    result = analyse(scen, method, outcome, params, samples, replications, seed,
                     workers=workers, progress=False if quiet else None)
    _finish(result.table(), folder, force, quiet, result.write, start)


@cli.command("discover")
@click.argument("scenario", metavar="SCENARIO")
@click.option("--target", "-t", default=DEFAULT_OUTCOME, show_default=True,
              help="A condition on the outcomes, e.g. \"decision == 'north'\".")
@click.option("--samples", default=400, show_default=True, type=click.IntRange(min=10),
              help="Sample points of the assumptions (Latin hypercube).")
@click.option("--runs", "--replications", "-n", "replications", default=8, show_default=True,
              type=click.IntRange(min=1),
              help="Replications per sample point (same seed at every point).")
@click.option("--params", default=None,
              help="Comma-separated parameters to vary (default: those with a distribution, "
                   "plus the documented factors' switches).")
@click.option("--min-density", default=0.5, show_default=True,
              type=click.FloatRange(0, 1, min_open=True),
              help="Smallest share of target runs a box must reach.")
@click.option("--max-boxes", default=3, show_default=True, type=click.IntRange(min=1),
              help="Most boxes to find (each among the points the earlier ones leave).")
@click.option("--resamples", default=30, show_default=True, type=click.IntRange(min=0),
              help="Bootstrap resamples to measure how often each restriction recurs "
                   "(0: skip).")
@click.option("--scores", is_flag=True,
              help="Also score every parameter's importance (extra-trees, needs scikit-learn "
                   "from the [analysis] extra).")
@click.option("--include-later", is_flag=True,
              help="Keep parameters dated after the target is settled (e.g. a 1942 rate for "
                   "the 1941 decision); left out by default.")
@click.option("--no-factors", is_flag=True, help="Do not vary the documented factors' switches.")
@set_option(_SET_HELP)
@seed_option(_SEED_HELP)
@workers_option()
@out_option("Folder for discovery.json, the samples CSV and the trade-off chart "
            "[default: analysis/<scenario>].")
@force_option()
@quiet_option()
def discover_cmd(scenario: str, target: str, samples: int, replications: int, params: str | None,
                 min_density: float, max_boxes: int, resamples: int, scores: bool,
                 include_later: bool, no_factors: bool, sets: tuple[str, ...], seed: int,
                 workers: int | None, out: str | None, force: bool, quiet: bool) -> None:
    """Find the boxes of assumptions in which a target outcome becomes likely (PRIM).

    Each restriction of a box is printed with its quasi-p value (the one-sided binomial test
    of EMA Workbench: could the box's hits come from the box without it?) and how often it
    recurs over bootstrap resamples; a box with a restriction above 0.05 is marked NOT
    significant.

    \b
    Example:
      sim discover scenarios/historical.yaml --target "decision == 'north'" --samples 400
      sim discover scenarios/historical.yaml --scores --resamples 50
    """
    from sim.analysis.discovery import discover

    scen = _load(scenario, sets)
    folder = _out_dir(out, scen)
    check_outputs(folder, ("discovery.json", "discovery_samples.csv", "prim_tradeoff.png"),
                  force)
    start = time.perf_counter()
    result = discover(scen, target, samples, params, min_density, replications, seed,
                      include_factors=not no_factors, include_later=include_later,
                      max_boxes=max_boxes, resamples=resamples, scores=scores, workers=workers,
                      progress=False if quiet else None)
    _finish(result.table(), folder, force, quiet, result.write, start)


@cli.command("schools")
@click.argument("schools", nargs=-1, metavar="[SCENARIO]...")
@click.option("--outcome", default=DEFAULT_OUTCOME, show_default=True, help=_OUTCOME_HELP)
@click.option("--factors", default="khalkhin_gol,embargo,neutrality_pact,china_drain",
              show_default=True, help="Comma-separated documented factors (sim explain "
              "SCENARIO --list-factors).")
@click.option("--draws", default=10, show_default=True, type=click.IntRange(min=1),
              help="Draws of each school's weights (its posterior, else its stated priors).")
@runs_option(200, "Replications per factor combination and draw.", 2)
@seed_option(_SEED_HELP)
@workers_option()
@out_option("Folder for schools.json/.csv and schools.png [default: analysis/schools].")
@force_option()
@quiet_option()
def schools_cmd(schools: tuple[str, ...], outcome: str, factors: str, draws: int, runs: int,
                seed: int, workers: int | None, out: str | None, force: bool,
                quiet: bool) -> None:
    """Compare the factors' Shapley shares across schools of thought.

    Runs `sim explain`'s attribution for draws of each school's weights (a posterior when
    the scenario has one, else the priors its file states) and says which conclusions hold
    in every school and which depend on the school.  Without SCENARIO: the calibrated
    historical scenario and the three installed schools (school-nomonhan, school-oil,
    school-revisionist-far-east).

    \b
    Example:
      sim schools --runs 200 --draws 10
      sim schools historical school-oil --outcome "decision != 'south'"
    """
    from sim.analysis.schools import DEFAULT_SCHOOLS, compare_schools
    from sim.scenario import load_scenario

    loaded = [load_scenario(s) for s in (schools or DEFAULT_SCHOOLS)]
    folder = Path(out) if out else Path("analysis") / "schools"
    check_outputs(folder, ("schools.json", "schools.csv", "schools.png"), force)
    start = time.perf_counter()
    cmp = compare_schools(loaded, outcome, factors, runs=runs, draws=draws, seed=seed,
                          workers=workers, progress=False if quiet else None)
    _finish(cmp.table(), folder, force, quiet, cmp.write, start)
