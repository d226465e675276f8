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
    figures = {
        "historical_overview": sim.plots.plot_overview(results),
        "historical_fan_charts": sim.plots.plot_fan_charts(
            results, ["oil_stock", "soviet_fe_men", "jp_men_manchuria", "jp_men_south"]),
        "historical_conference_paths": sim.plots.plot_conference_paths(results),
        "historical_headline_distributions": sim.plots.plot_distributions(
            results, headline_only=True),
        "historical_convergence": sim.plots.plot_convergence(results),
    }
    for stem, fig in figures.items():
        written += sim.plots.save_figure(fig, IMG / stem, ("png",), dpi=100)

    no_embargo = historical.with_overrides({"embargo.enabled": False})
    moscow_falls = historical.with_overrides({"barbarossa.moscow_falls": True})
    comparison = sim.compare.compare([historical, no_embargo, moscow_falls], args.runs, args.seed,
                                     names=["history", "no US oil embargo", "Moscow falls"],
                                     workers=args.workers)
    written += sim.plots.save_figure(sim.compare.plot_share_differences(comparison),
                                     IMG / "compare_differences", ("png",), dpi=100)
    written += sim.plots.save_figure(sim.compare.plot_mean_differences(comparison),
                                     IMG / "compare_mean_differences", ("png",), dpi=100)
    for path in written:
        print(f"wrote {path.relative_to(REPO)}")
    return written


if __name__ == "__main__":
    main()
