"""Fit the posteriors the installed scenarios ship with, and file them with their reports.

Run from the repository's root:  python docs/make_posteriors.py [--workers 2] [--only NAME]
                                 python docs/make_posteriors.py --file-only   # after a fit

For the historical scenario and each school of thought it runs the `sim calibrate` command
below (rejection ABC from the priors, docs/calibration.md) into ``calibration/NAME``, then
copies ``posterior.json`` to ``scenarios/posteriors/NAME.json`` (what the scenario's
``posterior:`` line reads) and the report (``checks.md``, ``prior_posterior.png``,
``pairs.png``) to ``docs/calibration/NAME/``.  Refit after a change of the model's outcome
table or parameters (its *model version*: a scenario refuses a stale posterior and quotes the
command) and after a change of the arithmetic that moves the targets; then re-pin the golden
results (``SIM_UPDATE_GOLDEN=1 pytest tests/test_golden.py``) and say so in the change's note.

A calibration folder that already holds a finished fit is not rerun (``--force`` reruns it).
About 12 minutes for the historical scenario and 8 for each school on two cores.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: Scenario -> particles kept.  Every fit: 100 replications a particle, seed 1.
FITS = {"historical": 1000, "school-nomonhan": 500, "school-oil": 500,
        "school-revisionist-far-east": 500}
RUNS = 100
REPORT = ("checks.md", "prior_posterior.png", "pairs.png")


def command(name: str, population: int, workers: int) -> list[str]:
    return [sys.executable, "-m", "sim", "calibrate", name, "-o", f"calibration/{name}",
            "--force", "--method", "rejection", "--population", str(population),
            "--runs", str(RUNS), "--seed", "1", "-w", str(workers)]


def file_fit(name: str) -> None:
    """Copy a finished fit's posterior and report to where the repository keeps them."""
    folder = REPO / "calibration" / name
    if not (folder / "posterior.json").exists():
        raise SystemExit(f"{folder} holds no finished calibration; run without --file-only")
    (REPO / "scenarios" / "posteriors").mkdir(exist_ok=True)
    shutil.copyfile(folder / "posterior.json", REPO / "scenarios" / "posteriors" / f"{name}.json")
    report = REPO / "docs" / "calibration" / name
    report.mkdir(parents=True, exist_ok=True)
    for item in REPORT:
        shutil.copyfile(folder / item, report / item)
    print(f"filed {name}: scenarios/posteriors/{name}.json, docs/calibration/{name}/")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", "-w", type=int, default=2)
    ap.add_argument("--only", choices=sorted(FITS), action="append")
    ap.add_argument("--force", action="store_true", help="refit a folder that holds a fit")
    ap.add_argument("--file-only", action="store_true", help="only file finished fits")
    args = ap.parse_args()
    for name in args.only or FITS:
        done = (REPO / "calibration" / name / "posterior.json").exists()
        if not args.file_only and (args.force or not done):
            subprocess.run(command(name, FITS[name], args.workers), cwd=REPO, check=True)
        file_fit(name)


if __name__ == "__main__":
    main()
