"""Draw the figures shown in the README and docs/figures.md into docs/img/.

Run from anywhere:  python docs/make_figures.py [--runs 2000] [--seed 1]

It uses only the public API, so the figures are exactly what ``sim run`` / ``sim compare``
would draw; the equivalent commands are listed in docs/figures.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import sim
import sim.compare
import sim.plots

REPO = Path(__file__).resolve().parent.parent
IMG = REPO / "docs" / "img"


def main(argv: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    historical = sim.load_scenario(REPO / "scenarios" / "historical.yaml")
    written: list[Path] = []

    results = sim.run(historical, runs=args.runs, seed=args.seed, workers=args.workers)
    fans = sim.plots.plot_fan_charts(
        results, ["oil_stock", "soviet_fe_men", "jp_men_manchuria", "jp_men_south"])
    written += sim.plots.save_figure(fans, IMG / "historical_fan_charts", ("png",), dpi=110)

    no_embargo = historical.with_overrides({"embargo.enabled": False})
    moscow_falls = historical.with_overrides({"barbarossa.moscow_falls": True})
    comparison = sim.compare.compare([historical, no_embargo, moscow_falls], args.runs, args.seed,
                                     names=["history", "no US oil embargo", "Moscow falls"],
                                     workers=args.workers)
    written += sim.plots.save_figure(sim.compare.plot_share_differences(comparison),
                                     IMG / "compare_differences", ("png",), dpi=110)
    for path in written:
        print(f"wrote {path.relative_to(REPO)}")
    return written


if __name__ == "__main__":
    main()
