"""Commands that ask *why*: ``sim explain`` (Shapley attribution to documented factors),
``sim sensitivity`` (Sobol, Morris, one-at-a-time) and ``sim discover`` (PRIM boxes).

Each is a thin layer over :mod:`sim.analysis`; every file it writes goes into ``--out``
(default ``analysis/<scenario name>``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from sim.cli.group import cli

# Each command imports the analysis it runs inside its body, so that `sim --help` and every
# other command start without loading numpy, matplotlib, SALib, the model or the engine.

_SEED_HELP = "Root seed; every scenario of the analysis shares it (common random numbers)."


def _load(scenario_path: str, sets: tuple[str, ...]) -> Any:
    from sim.scenario import load_scenario

    return load_scenario(scenario_path, list(sets))


def _out_dir(out: str | None, scenario: Any) -> Path:
    return Path(out) if out else Path("analysis") / scenario.name


def _written(paths: list[Path], seconds: float) -> None:
    click.echo("")
    click.echo(f"wrote {', '.join(str(p) for p in paths)}  ({seconds:.1f} s)")


@cli.command("explain")
@click.argument("scenario", metavar="SCENARIO")
@click.option("--outcome", "-o", default="decision == 'north'", show_default=True,
              help="Outcome expression, e.g. \"decision == 'north'\" or oil_stock_end_1942.")
@click.option("--factors", default=None,
              help="Comma-separated documented factors (default: all). See --list-factors.")
@click.option("--factor", "extra", multiple=True, metavar="NAME:KEY=VALUE[,KEY=VALUE]",
              help="Add a factor of your own (repeatable), e.g. no_tripartite:tripartite.enabled=false.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Override a parameter of the scenario before the analysis (repeatable).")
@click.option("--runs", "-n", default=500, show_default=True, type=click.IntRange(min=2),
              help="Replications per factor combination.")
@click.option("--seed", "-s", default=1, show_default=True, type=int, help=_SEED_HELP)
@click.option("--bootstrap", default=1000, show_default=True, type=click.IntRange(min=0),
              help="Bootstrap resamples for the 95% intervals (0 = none).")
@click.option("--workers", "-w", default=None, type=click.IntRange(min=1),
              help="Worker processes (default: all cores).")
@click.option("--out", default=None, type=click.Path(file_okay=False),
              help="Folder for attribution.json/.csv and waterfall.png [analysis/<scenario>].")
@click.option("--list-factors", is_flag=True, help="List the documented factors and exit.")
def explain_cmd(scenario: str, outcome: str, factors: str | None, extra: tuple[str, ...],
                sets: tuple[str, ...], runs: int, seed: int, bootstrap: int, workers: int | None,
                out: str | None, list_factors: bool) -> None:
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
    start = time.perf_counter()
    att = attribute(scen, outcome, chosen, runs=runs, seed=seed, bootstrap=bootstrap,
                    workers=workers, progress=None)
    click.echo(att.table())
    _written(att.write(_out_dir(out, scen)), time.perf_counter() - start)


@cli.command("sensitivity")
@click.argument("scenario", metavar="SCENARIO")
@click.option("--method", "-m", type=click.Choice(["sobol", "morris", "oat"]), default="sobol",
              show_default=True, help="Sobol indices, Morris screening or one-at-a-time tornado.")
@click.option("--params", default=None,
              help="Comma-separated parameters to vary (default: those with a distribution).")
@click.option("--outcome", "-o", default="decision == 'north'", show_default=True,
              help="Outcome expression.")
@click.option("--samples", default=None, type=int,
              help="Sobol: base samples, a power of 2 [32]; Morris: trajectories [10]; OAT: unused.")
@click.option("--replications", "-r", default=None, type=click.IntRange(min=1),
              help="Replications per sample point, same seed at every point "
                   "[sobol 16, morris 16, oat 200].")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Override a parameter of the scenario before the analysis (repeatable).")
@click.option("--seed", "-s", default=1, show_default=True, type=int, help=_SEED_HELP)
@click.option("--workers", "-w", default=None, type=click.IntRange(min=1),
              help="Worker processes (default: all cores).")
@click.option("--out", default=None, type=click.Path(file_okay=False),
              help="Folder for sensitivity_<method>.json and its chart [analysis/<scenario>].")
def sensitivity_cmd(scenario: str, method: str, params: str | None, outcome: str,
                    samples: int | None, replications: int | None, sets: tuple[str, ...], seed: int,
                    workers: int | None, out: str | None) -> None:
    """Global sensitivity of an outcome to the scenario's uncertain assumptions (SALib).

    Separates the variance due to the assumptions ("historians disagree") from the variance
    of chance ("fog of war").

    \b
    Example:
      sim sensitivity scenarios/historical.yaml --method morris --outcome "decision == 'north'"
    """
    from sim.analysis.sensitivity import analyse

    scen = _load(scenario, sets)
    start = time.perf_counter()
    result = analyse(scen, method, outcome, params, samples, replications, seed,
                     workers=workers, progress=None)
    click.echo(result.table())
    _written(result.write(_out_dir(out, scen)), time.perf_counter() - start)


@cli.command("discover")
@click.argument("scenario", metavar="SCENARIO")
@click.option("--target", "-t", default="decision == 'north'", show_default=True,
              help="A condition on the outcomes, e.g. \"decision == 'north'\".")
@click.option("--samples", default=400, show_default=True, type=click.IntRange(min=10),
              help="Sample points of the assumptions (Latin hypercube).")
@click.option("--replications", "-r", default=8, show_default=True, type=click.IntRange(min=1),
              help="Replications per sample point (same seed at every point).")
@click.option("--params", default=None,
              help="Comma-separated parameters to vary (default: those with a distribution, "
                   "plus the documented factors' switches).")
@click.option("--min-density", default=0.5, show_default=True, type=click.FloatRange(0, 1, min_open=True),
              help="Smallest share of target runs a box must reach.")
@click.option("--max-boxes", default=3, show_default=True, type=click.IntRange(min=1))
@click.option("--no-factors", is_flag=True, help="Do not vary the documented factors' switches.")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
              help="Override a parameter of the scenario before the analysis (repeatable).")
@click.option("--seed", "-s", default=1, show_default=True, type=int, help=_SEED_HELP)
@click.option("--workers", "-w", default=None, type=click.IntRange(min=1),
              help="Worker processes (default: all cores).")
@click.option("--out", default=None, type=click.Path(file_okay=False),
              help="Folder for discovery.json, the samples CSV and the trade-off chart "
                   "[analysis/<scenario>].")
def discover_cmd(scenario: str, target: str, samples: int, replications: int, params: str | None,
                 min_density: float, max_boxes: int, no_factors: bool, sets: tuple[str, ...],
                 seed: int, workers: int | None, out: str | None) -> None:
    """Find the boxes of assumptions in which a target outcome becomes likely (PRIM).

    \b
    Example:
      sim discover scenarios/historical.yaml --target "decision == 'north'" --samples 400
    """
    from sim.analysis.discovery import discover

    scen = _load(scenario, sets)
    start = time.perf_counter()
    result = discover(scen, target, samples, params, min_density, replications, seed,
                      include_factors=not no_factors, max_boxes=max_boxes, workers=workers,
                      progress=None)
    click.echo(result.table())
    _written(result.write(_out_dir(out, scen)), time.perf_counter() - start)
