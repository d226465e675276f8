"""Opening a results folder written by ``sim run`` or :meth:`Results.write`."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import ResultsError
from sim.outcomes import BY_NAME, OUTCOME_NAMES
from sim.results.codec import code_from_cell, empty_codes
from sim.results.columns import NpzColumns
from sim.results.core import FigureWriter, Results
from sim.results.io import MANIFEST, OUTCOMES_NPZ, RUNS_CSV, SERIES_NPZ, SUMMARY
from sim.results.series import SeriesSummary
from sim.scenario import scenario_from_dict


def load_results(path: str | Path, *, figures: FigureWriter | None = None) -> Results:
    """Open a results folder written by ``sim run`` or :meth:`Results.write`.

    ``figures`` is the figure writer the loaded results draw with when written again.
    """
    folder = Path(path)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ResultsError(f"{folder}: not a results folder (no {MANIFEST}); expected the folder "
                           "printed by `sim run`")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{manifest_path}: unreadable manifest ({exc})") from None
    status = manifest.get("status")
    if status != "complete":
        done = manifest.get("runs_completed", 0)
        want = manifest.get("runs_requested", "?")
        raise ResultsError(f"{folder}: run is {status} ({done} of {want} replications); finish it "
                           f"with `sim run --resume {folder}`")
    scenario = scenario_from_manifest(manifest, str(manifest_path))
    codes: Mapping[str, np.ndarray]
    if (folder / OUTCOMES_NPZ).is_file():
        with np.load(folder / OUTCOMES_NPZ) as data:
            replications = np.asarray(data["replication"], dtype=np.int64)
            missing = [name for name in OUTCOME_NAMES if name not in data.files]
        if missing:
            raise ResultsError(f"{folder / OUTCOMES_NPZ} has no outcome {missing[0]}: the run "
                               "was made by a version with other outcomes")
        codes = NpzColumns(folder / OUTCOMES_NPZ)
    else:
        replications, codes = read_runs_csv(folder / RUNS_CSV)
    if (folder / SERIES_NPZ).is_file():
        with np.load(folder / SERIES_NPZ) as data:
            series = SeriesSummary.from_npz(dict(data))
    else:
        series = SeriesSummary([], {}, {})
    summary = None
    if (folder / SUMMARY).is_file():  # exactly what was computed when the run finished
        summary = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    results = Results(scenario, manifest, replications, codes, series, manifest.get("errors", []),
                      summary=summary, figures=figures)
    results.path = folder
    return results


def scenario_from_manifest(manifest: Mapping[str, Any], source: str = MANIFEST) -> Any:
    """The resolved scenario a run used, rebuilt from its manifest.

    Fails (a one-line ScenarioError naming the parameter) when this version of the model no
    longer has a parameter the run used: its numbers could not be reproduced anyway.
    """
    if "scenario" not in manifest:
        raise ResultsError(f"{source} has no `scenario`; expected a folder written by `sim run`")
    return scenario_from_dict(manifest["scenario"], source=source)


def read_runs_csv(path: Path) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Parse runs.csv back into encoded arrays (used when outcomes.npz is missing)."""
    if not path.is_file():
        raise ResultsError(f"{path} is missing; expected a complete results folder")
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or header[0] != "replication":
            raise ResultsError(f"{path}: first column must be `replication`")
        rows = list(reader)
    codes = empty_codes(len(rows))
    replications = np.array([int(r[0]) for r in rows], dtype=np.int64)
    for col, name in enumerate(header[1:], start=1):
        o = BY_NAME.get(name)
        if o is None:
            continue
        arr = codes[name]
        for i, r in enumerate(rows):
            cell = r[col]
            if cell != "":
                arr[i] = code_from_cell(o, cell)
    return replications, codes
