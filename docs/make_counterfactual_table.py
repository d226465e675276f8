"""Print the counterfactual table of docs/model.md §11: every installed scenario, side by side.

Run from anywhere:  python docs/make_counterfactual_table.py [--runs 2000] [--seed 1]

Each row is one scenario file run with the same seed (common random numbers), so differences
between rows are the scenario's, not the dice's.  Shares carry 95% Wilson intervals; dates are
medians over the runs in which the event happened, with the share of runs in which it did.
The equivalent for one scenario is ``sim run scenarios/NAME.yaml --runs 2000 --seed 1``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import sim
from sim import engine
from sim.stats import wilson_interval

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios"
#: The decision's categories in the order of the table.
DECISIONS = ("south", "north", "both", "hold")


def share(mask: np.ndarray) -> str:
    """'12.3% (10.9-13.8)': a share with its 95% Wilson interval."""
    p, low, high = wilson_interval(int(mask.sum()), len(mask))
    return f"{100 * p:.1f}% ({100 * low:.1f}-{100 * high:.1f})"


def happened(values: np.ndarray) -> np.ndarray:
    """Which runs have a date (an empty date is NaT)."""
    return ~np.isnat(values.astype("datetime64[D]"))


def median_date(values: np.ndarray) -> str:
    """The median date among the runs where the event happened, and how often it did."""
    dates = values.astype("datetime64[D]")
    mask = happened(dates)
    if not mask.any():
        return "never"
    days = np.sort(dates[mask].astype(np.int64))
    median = dt.date(1970, 1, 1) + dt.timedelta(days=int(days[len(days) // 2]))
    return f"{median:%d %b %Y} ({100 * mask.mean():.0f}%)"


def row(name: str, outcomes: dict[str, np.ndarray]) -> list[str]:
    """One scenario's cells (columns for outcomes the model does not record are '-')."""
    decision = np.asarray(outcomes["decision"])
    cells = [name] + [share(decision == d) for d in DECISIONS]
    if "moscow_falls_date" in outcomes:
        cells.append(share(happened(outcomes["moscow_falls_date"])))
    else:
        cells.append("-")
    if "us_war_date" in outcomes:
        war = outcomes["us_war_date"].astype("datetime64[D]")
        cells.append(share(happened(war) & (war <= np.datetime64("1941-12-31"))))
    else:
        cells.append("-")
    cells.append(median_date(outcomes["oil_exhausted_date"])
                 if "oil_exhausted_date" in outcomes else "-")
    return cells


HEADER = ("scenario", "P(south)", "P(north)", "P(both)", "P(hold)", "P(Moscow falls)",
          "P(US war by end-1941)", "oil exhausted (median)")
#: The second table: what each choice sets in motion.
CONSEQUENCES = ("scenario", "attack on the USSR by Aug 1945", "2 Jul 1941: north",
                "FE divisions at Moscow", "oil end-1942", "oil end-1943",
                "Pacific Lend-Lease (M long tons)")


def median(values: np.ndarray, digits: int = 1) -> str:
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    return f"{np.median(x):.{digits}f}" if x.size else "-"


def consequences_row(name: str, outcomes: dict[str, np.ndarray]) -> list[str]:
    """One scenario's consequences (columns the model does not record are '-')."""
    def have(column: str) -> bool:
        return column in outcomes

    attack = outcomes["north_attack_date"].astype("datetime64[D]")
    cells = [name, share(happened(attack) & (attack < np.datetime64("1945-08-01"))),
             share(np.asarray(outcomes["conference_2_choice"]) == "north")]
    cells.append(median(outcomes["fe_divisions_at_moscow"]) if have("fe_divisions_at_moscow")
                 else "-")
    cells += [median(outcomes["oil_stock_end_1942"]), median(outcomes["oil_stock_end_1943"])]
    cells.append(median(outcomes["lend_lease_pacific_mt"], 2) if have("lend_lease_pacific_mt")
                 else "-")
    return cells


#: The third table: the war to August 1945.
WAR_1945 = ("scenario", "Kwantung divisions Dec 1944", "China men Aug 1945",
            "merchant fleet Aug 1945 (M GRT)", "oil end-1945", "Manchuria invaded",
            "Manchuria: days", "Manchuria: Japanese casualties")


def war_1945_row(name: str, outcomes: dict[str, np.ndarray]) -> list[str]:
    """One scenario's war to 1945 (columns the model does not record are '-')."""
    def cell(column: str, digits: int = 0, scale: float = 1.0) -> str:
        if column not in outcomes:
            return "-"
        return median(np.asarray(outcomes[column], dtype=float) * scale, digits)

    invaded = (share(happened(outcomes["manchuria_invaded_date"]))
               if "manchuria_invaded_date" in outcomes else "-")
    return [name, cell("kwantung_divisions_1944_12", 1), cell("china_men_1945_08"),
            cell("merchant_fleet_grt_1945_08", 2, 1e-6), cell("oil_stock_end_1945", 1),
            invaded, cell("manchuria_1945_days", 1),
            cell("manchuria_1945_japanese_casualties")]


def table(rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def scenario_paths() -> list[Path]:
    """Every scenario file, the historical one first."""
    paths = sorted(SCENARIOS.glob("*.yaml"))
    return sorted(paths, key=lambda p: p.stem != "historical")


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("scenarios", nargs="*", help="scenario names (default: all)")
    args = parser.parse_args(argv)
    paths = scenario_paths()
    if args.scenarios:
        paths = [p for p in paths if p.stem in args.scenarios]
    rows, more, war = [], [], []
    for path in paths:
        results = engine.run(sim.load_scenario(path), args.runs, args.seed,
                             workers=args.workers, progress=False)
        rows.append(row(path.stem, results.outcomes))
        more.append(consequences_row(path.stem, results.outcomes))
        war.append(war_1945_row(path.stem, results.outcomes))
    text = (table(rows) + "\n\n" + table(more, CONSEQUENCES) + "\n\n"
            + table(war, WAR_1945))
    print(text)
    return text


if __name__ == "__main__":
    main()
