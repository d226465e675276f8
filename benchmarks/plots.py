"""What the figures cost a run: ``sim run``'s default figure and ``sim plot``'s full set.

    python benchmarks/plots.py [--runs 10000] [--seed 1] [--workers 2] [--folder DIR]

Runs the historical scenario into a results folder without figures (or reuses ``--folder``),
then, each in a fresh process (so that importing matplotlib is counted, as a run pays it),
draws the figures a ``sim run`` draws (``sim.api.write_standard_figures``) and those ``sim
plot`` draws (``sim.plots.write_run_plots(..., every_outcome=True)``), and prints for each the
CPU time, the wall time and the rise of the process's peak memory over loading the results.
CPU time, not wall, is the figure to compare on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "historical.yaml"

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import sim
from sim.results import load_results

folder, which, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
results = load_results(folder)
results.outcomes["decision"]  # read what every figure reads before the clock starts
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
c0, w0 = time.process_time(), time.perf_counter()
if which == "run":
    from sim.api import write_standard_figures
    write_standard_figures(results, out)
else:
    from sim.plots import write_run_plots
    write_run_plots(results, out, every_outcome=True)
c1, w1 = time.process_time(), time.perf_counter()
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"cpu": c1 - c0, "wall": w1 - w0, "peak_rise_mb": (rss1 - rss0) / 1024,
                  "files": sorted(p.name for p in out.iterdir())}))
"""


def draw(folder: Path, which: str) -> dict[str, object]:
    """Draw ``which`` ('run' or 'plot') figures of ``folder`` in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
        out = subprocess.run([sys.executable, "-c", _CHILD, str(folder), which, tmp],
                             check=True, capture_output=True, text=True, env=env)
        return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--folder", type=Path, default=None,
                        help="an existing results folder to draw (no run)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder
        if folder is None:
            import sim

            folder = Path(tmp) / "run"
            sim.run(sim.load_scenario(SCENARIO), runs=args.runs, seed=args.seed,
                    workers=args.workers, out=folder, progress=False, plots=False)
        print(f"{folder}: load average {os.getloadavg()[0]:.2f}")
        for which, what in (("run", "sim run (default figures)"), ("plot", "sim plot (all)")):
            got = [draw(folder, which) for _ in range(args.repeats)]
            cpu = sorted(float(g["cpu"]) for g in got)  # type: ignore[arg-type]
            wall = sorted(float(g["wall"]) for g in got)  # type: ignore[arg-type]
            rise = max(float(g["peak_rise_mb"]) for g in got)  # type: ignore[arg-type]
            print(f"  {what}: CPU {cpu[0]:.2f}-{cpu[-1]:.2f} s, wall {wall[0]:.2f}-"
                  f"{wall[-1]:.2f} s, peak memory +{rise:.0f} MB; "
                  f"{', '.join(got[0]['files'])}")  # type: ignore[arg-type]
        print(f"  load average after {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
