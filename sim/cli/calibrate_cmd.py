"""``sim calibrate``: fit a scenario's judgement parameters to the documented record
(ABC-SMC, :mod:`sim.calibrate`), into a folder that can be continued."""

from __future__ import annotations

from pathlib import Path

import click

from sim.cli.common import (
    force_option, options_given, quiet_option, seed_option, set_option, workers_option,
)


@click.command("calibrate")
@click.argument("scenario", metavar="SCENARIO", required=False)
@click.option("--targets", default="backtests,decisions", show_default=True,
              help="Tables (backtests, decisions, all), target IDs (T8,POL-15) or a "
                   ".yaml/.json file of targets, comma-separated.")
@click.option("--params", "params", default=None, metavar="NAMES",
              help="Parameters to fit, comma-separated names or patterns such as "
                   "'decision.*' [default: the judgement parameters].")
@click.option("--prior", "priors", multiple=True, metavar="NAME=LOW:HIGH",
              help="Uniform prior for one parameter instead of its credible range "
                   "(repeatable; the parameter is fitted).")
@set_option("Override a parameter of the scenario before the fit (repeatable).")
@click.option("--runs", "-n", "runs", type=click.IntRange(min=2), default=100,
              show_default=True, help="Replications per particle (common random numbers).")
@click.option("--population", type=click.IntRange(min=5), default=200, show_default=True,
              help="Particles per generation.")
@click.option("--generations", type=click.IntRange(min=1), default=None,
              help="Most generations; the fit stops sooner once every target is in its band "
                   "[default: 10].  With --resume: raise the budget of the calibration.")
@click.option("--method", type=click.Choice(["smc", "rejection"]), default="smc",
              show_default=True,
              help="smc: generations of tightening tolerance, importance-weighted; "
                   "rejection: one generation of prior draws kept only inside every band, "
                   "equally weighted (its effective sample size is the population).")
@click.option("--max-simulations", type=click.IntRange(min=10), default=20000,
              show_default=True, help="Most particles simulated in one generation.")
@click.option("--draws", type=click.IntRange(min=1), default=100, show_default=True,
              help="Posterior draws rerun with fresh replications for the predictive check.")
@seed_option()
@workers_option()
@click.option("--model", default=None, metavar="MODULE:FUNCTION",
              help="Model to fit [default: the built-in one].")
@click.option("--out", "-o", type=click.Path(file_okay=False), default=None,
              help="Folder of the calibration [default: calibration/<scenario>].")
@click.option("--resume", "resume_dir", type=click.Path(file_okay=False), default=None,
              metavar="DIR", help="Continue the calibration in DIR (its settings are kept).")
@force_option("Replace the calibration --out already holds.")
@quiet_option()
def calibrate(scenario: str | None, targets: str, params: str | None, priors: tuple[str, ...],
              sets: tuple[str, ...], runs: int, population: int, generations: int | None,
              method: str, max_simulations: int, draws: int, seed: int, workers: int | None,
              model: str | None, out: str | None, resume_dir: str | None, force: bool,
              quiet: bool) -> None:
    """Calibrate the judgement parameters to the documented record (ABC-SMC with pyabc).

    Priors are uniform on each parameter's credible range (the registry's, with its source);
    targets are summaries of the outcomes with their documented bands.  Every particle runs
    the same replications (one seed: common random numbers).  The fit ends when every
    target is inside its band; the folder then holds posterior.json, usable in a scenario as
    {dist: ensemble, file: .../posterior.json}, and checks.md with its figures.

    \b
    Example:
      sim calibrate historical -o calibration/historical --runs 100 --population 200
      sim calibrate historical --method rejection --population 1000
      sim calibrate --resume calibration/historical
      sim calibrate historical --targets T8,POL-15 --params 'decision.w_*' -w 1
    """
    from sim.errors import UserError

    try:  # deferred: pyabc, the engine and the model
        from sim.calibrate import (
            DEFAULT_PARAMETERS, Calibration, TargetSet, build_priors, complete, parse_prior,
            resume, scenario_priors, select_parameters, select_targets, start,
        )
    except ImportError as exc:
        raise UserError(f"sim calibrate needs pyabc ({exc}); install it with "
                        "pip install 'strike-north-or-south[calibrate]'") from None
    from sim.calibrate.fit import SETTINGS, write_json
    from sim.engine import model_path, pick_seed
    from sim.engine.options import check_workers
    from sim.scenario import load_scenario

    say = (lambda text: None) if quiet else (lambda text: click.echo(text, err=True))
    workers = check_workers(workers)
    if resume_dir is not None:
        if scenario is not None:
            raise UserError("--resume: the folder's settings name the scenario; give no "
                            "SCENARIO with it")
        fixed = options_given(("targets", "params", "priors", "sets", "runs", "population",
                        "method", "max_simulations", "seed", "model", "out", "force"))
        if fixed:
            raise UserError(f"--resume keeps the settings {resume_dir} was started with; "
                            f"{', '.join(fixed)} cannot change them (with --resume give only "
                            "--generations, --draws, --workers or --quiet)")
        folder = Path(resume_dir)
        cal = resume(folder)
        if generations is not None and generations != cal.generations:
            cal.generations = generations
            write_json(folder / SETTINGS, cal.to_json(folder))
    else:
        if scenario is None:
            raise UserError("expected a SCENARIO (or --resume DIR)")
        sc = load_scenario(scenario, list(sets))
        registry = sc.registry
        patterns = params.split(",") if params else list(DEFAULT_PARAMETERS)
        names = select_parameters([p.strip() for p in patterns if p.strip()], registry)
        overrides = {}
        for text in priors:
            name, low, high = parse_prior(text)
            overrides[name] = (low, high)
        cal = Calibration(sc, build_priors(names, overrides, registry, scenario_priors(sc)),
                          TargetSet(select_targets(targets)), seed=pick_seed(seed),
                          runs=runs, population=population,
                          generations=10 if generations is None else generations,
                          model=model_path(model), max_simulations=max_simulations,
                          source=scenario, targets_spec=targets, sets=sets, method=method)
        folder = Path(out) if out else Path("calibration") / sc.name
        start(cal, folder, force=force)
    say(f"calibrating {len(cal.priors)} parameters to {len(cal.targets)} targets "
        f"({cal.population} particles x {cal.runs} replications, seed {cal.seed}) in {folder}")
    post = complete(cal, folder, workers=workers, say=say, draws=draws,
                    quiet=True if quiet else None)
    if not quiet:
        click.echo(f"tolerance {post['tolerance']:.3g} after {post['generation'] + 1} "
                   f"generations; ESS {post['ess']:.1f}; model version {post['model_version']}")
        for how, verb in (("narrowed", "narrows"), ("moved", "moves")):
            names = [n for n, s in post["summary"].items() if s[how]]
            click.echo(f"the record {verb} {len(names)} of {len(post['summary'])} "
                       f"parameters: {', '.join(names) or 'none'}")
        click.echo(f"wrote {folder / 'posterior.json'}, {folder / 'checks.md'}, "
                   f"{folder / 'prior_posterior.png'}, {folder / 'pairs.png'}")
