"""Regenerate the figures of docs/analysis.md from the historical scenario.

    python docs/make_analysis_figures.py [--runs 500] [--seed 1]

Writes ``docs/img/waterfall_historical.png`` (the Shapley attribution of the share of runs
that strike north to the six documented factors, each bar labelled with what switching it
means: "without US oil embargo", "if Moscow falls ...") and prints the attribution table, so
the numbers quoted in the docs can be checked against a fresh run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sim.analysis.plots import waterfall
from sim.analysis.shapley import attribute
from sim.scenario import load_scenario

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="replications per combination")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--outcome", default="decision == 'north'")
    args = parser.parse_args()

    scenario = load_scenario(REPO / "scenarios" / "historical.yaml")
    start = time.perf_counter()
    att = attribute(scenario, args.outcome, runs=args.runs, seed=args.seed, bootstrap=args.bootstrap)
    seconds = time.perf_counter() - start
    print(att.table())
    print(f"\n{1 << len(att.factor_names)} x {args.runs} replications in {seconds:.1f} s")
    out = REPO / "docs" / "img" / "waterfall_historical.png"
    waterfall(att, out)
    print(f"wrote {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
