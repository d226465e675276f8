"""Print the historical fan charts' key values against the documented ones (docs/model.md).

Run from anywhere:  python docs/make_fan_table.py [--runs 2000] [--seed 1] [SCENARIO]

For each checkpoint of ``sim.reference_series`` (a documented level of a monthly series at a
month end), the scenario's median and 5-95% band at that month, the documented value and
range, and whether the median falls inside the documented range (or within 20% of a value
documented without one).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import sim
from sim import engine
from sim.reference_series import CHECKPOINTS

REPO = Path(__file__).resolve().parent.parent


def fmt(x: float | None) -> str:
    if x is None or not np.isfinite(x):
        return "-"
    return f"{x:,.1f}" if abs(x) < 100 else f"{x:,.0f}"


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(REPO / "scenarios" / "historical.yaml"))
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    results = engine.run(sim.load_scenario(args.scenario), args.runs, args.seed,
                         workers=args.workers, progress=False)
    series = results.series
    months = series.months
    lines = ["| series | month | model median | model 5-95% | documented | range | IDs | in range |",
             "|---|---|---|---|---|---|---|---|"]
    for c in CHECKPOINTS:
        if c.series not in series.quantiles:
            continue
        k = next((i for i, m in enumerate(months) if m >= c.date), None)
        if k is None:
            continue
        q = series.quantiles[c.series]
        med, lo, hi = (float(q[key][k]) * c.model_factor for key in ("p50", "p05", "p95"))
        low = c.low if c.low is not None else 0.8 * c.value
        high = c.high if c.high is not None else 1.2 * c.value
        ok = "yes" if low <= med <= high else "no"
        rng = f"{fmt(c.low)}-{fmt(c.high)}" if c.low is not None or c.high is not None else "±20%"
        note = c.note + (f"; model x {c.model_factor:.3f}" if c.model_factor != 1.0 else "")
        doc = fmt(c.value) + (f" ({note})" if note else "")
        lines.append(f"| {c.series} | {months[k]:%b %Y} | {fmt(med)} | {fmt(lo)}-{fmt(hi)} | "
                     f"{doc} | {rng} | {', '.join(c.ids)} | {ok} |")
    text = "\n".join(lines)
    print(text)
    return text


if __name__ == "__main__":
    main()
