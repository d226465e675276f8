"""Time per generation and simulations per second of `sim calibrate` on the real model.

    python benchmarks/calibration.py [--population 40] [--runs 50] [--generations 3]
                                     [--workers 1] [--params all|default|NAMES] [--seed 1]
                                     [--method smc|rejection]

The shipped historical posterior is fitted as
``--method rejection --population 300 --runs 50 --workers 2`` (docs/calibration.md, Cost).

Calibrates the historical scenario against every shipped target (T1-T15 and the decision
record) in a temporary folder and prints, per generation, the wall time, the particles
simulated, the replications per second (wall) and the parent's CPU time, then the share of the
time spent outside the engine (pyabc's proposals, its history database, our statistics).
From these: the wall time of a full fit of a given size, ``generations x population /
acceptance x runs / rate``, the figure the issue's "< 30 minutes on 2 cores" is checked by.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.calibrate import (  # noqa: E402
    DEFAULT_PARAMETERS, Calibration, TargetSet, build_priors, complete, select_parameters,
    select_targets, start,
)
from sim.calibrate.fit import generations_done  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--population", type=int, default=40)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--generations", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--params", default="default")
    ap.add_argument("--targets", default="all")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--method", choices=("smc", "rejection"), default="smc")
    args = ap.parse_args()
    scenario = load_scenario(ROOT / "scenarios" / "historical.yaml")
    patterns = list(DEFAULT_PARAMETERS) if args.params == "default" else args.params.split(",")
    names = select_parameters(patterns, scenario.registry)
    cal = Calibration(scenario, build_priors(names, {}, scenario.registry),
                      TargetSet(select_targets(args.targets)), seed=args.seed, runs=args.runs,
                      population=args.population, generations=args.generations,
                      max_simulations=50 * args.population, method=args.method)
    lines: list[tuple[float, float, str]] = []
    last = [time.perf_counter(), time.process_time()]

    def say(text: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        lines.append((now - last[0], cpu - last[1], text))
        last[:] = [now, cpu]
        print(f"  {text}  [parent CPU {lines[-1][1]:.1f} s]", flush=True)

    print(f"{len(names)} parameters, {len(cal.targets)} targets, population {cal.population}, "
          f"{cal.runs} replications per particle, {args.workers} worker(s), {args.method}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cal"
        start(cal, folder)
        t0 = time.perf_counter()
        post = complete(cal, folder, workers=args.workers, say=say, draws=cal.population)
        total = time.perf_counter() - t0
        done = generations_done(folder)
    sims = sum(g["simulations"] for g in done)
    reps = (sims + cal.population) * cal.runs
    print(f"total {total:.1f} s for {len(done)} generations, {sims:,} particles "
          f"({reps:,} replications with the predictive check): {reps / total:,.0f} "
          f"replications/s, {total / max(len(done), 1):.1f} s per generation")
    per_particle = total / max(sims + cal.population, 1)
    print(f"per particle {per_particle:.3f} s; a fit of 10 generations x 200 particles at "
          f"acceptance 0.4 would take about {10 * 200 / 0.4 * per_particle / 60:.0f} min "
          f"at this rate (runs {cal.runs})")
    print(f"tolerance reached {post['tolerance']:.3g}; ESS {post['ess']:.1f}")


if __name__ == "__main__":
    main()
