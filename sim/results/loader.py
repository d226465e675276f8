"""Opening a results folder written by ``sim run`` or :meth:`Results.write`.

A folder is data from wherever it came: its manifest is checked (:mod:`~sim.results.manifest`)
and each file it reads is checked against the manifest's checksums and for structure
(:mod:`~sim.results.validation`) before it is used, so every problem is one line saying
``DIR is not a valid results folder: what and where``.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import ResultsError, ScenarioError
from sim.outcomes import BY_NAME, OUTCOME_NAMES
from sim.results.codec import code_from_cell, empty_codes
from sim.results.columns import NpzColumns
from sim.results.core import FigureWriter, Results
from sim.results.folder import InvalidFolder
from sim.results.inputs import scenario_inputs
from sim.results.io import MANIFEST, OUTCOMES_NPZ, RUNS_CSV, SERIES_NPZ, SUMMARY, TABLE
from sim.results.manifest import read_manifest
from sim.results.table import EXTRA, have_pyarrow
from sim.results.table_read import TableColumns, open_table
from sim.results.series import QUANTILE_KEYS, SERIES_NAMES, SERIES_SAMPLE_RUNS, SeriesSummary
from sim.results.validation import (
    check_codes, check_outcomes_npz, expect_member, npz_file, read_summary, verified,
)
from sim.scenario import scenario_from_dict


def load_results(path: str | Path, *, figures: FigureWriter | None = None) -> Results:
    """Open a results folder written by ``sim run`` or :meth:`Results.write`.

    ``figures`` is the figure writer the loaded results draw with when written again.
    """
    folder = Path(path)
    manifest = read_manifest(folder)
    status = manifest["status"]
    if status != "complete":
        done, want = manifest["runs_completed"], manifest["runs_requested"]
        raise ResultsError(f"{folder}: run is {status} ({done} of {want} replications); finish it "
                           f"with `sim run --resume {folder}`")
    scenario = scenario_from_manifest(manifest, folder)
    runs = int(manifest["runs_completed"])
    codes: Mapping[str, np.ndarray]
    specs = scenario_inputs(scenario)
    npz = verified(folder, manifest, OUTCOMES_NPZ)
    table = verified(folder, manifest, TABLE)
    with_inputs = False
    if npz is not None:
        with npz_file(folder, OUTCOMES_NPZ) as data:
            check_outcomes_npz(folder, OUTCOMES_NPZ, data, runs)
            replications = np.asarray(data["replication"])
        codes = NpzColumns(npz)
        with_inputs = table is not None and have_pyarrow() and open_table(folder, runs, specs)
    elif table is not None:
        with_inputs = open_table(folder, runs, specs)
        columns = TableColumns(table)
        replications = columns.read_replications()
        codes = columns
    elif verified(folder, manifest, RUNS_CSV) is not None:
        replications, codes = read_runs_csv(folder / RUNS_CSV)
        if replications.size != runs:
            raise InvalidFolder(folder, f"{RUNS_CSV} holds {replications.size} rows; the run "
                                f"holds {runs}")
    else:
        raise InvalidFolder(folder, f"it has none of {OUTCOMES_NPZ}, {TABLE}, {RUNS_CSV}")
    index = replications
    if index.size and (index[0] < 0 or index[-1] >= manifest["runs_requested"]
                       or np.any(np.diff(index) <= 0)):
        raise InvalidFolder(folder, "its replication indices are not increasing from 0 to "
                            f"{manifest['runs_requested'] - 1}")
    series = read_series(folder) if verified(folder, manifest, SERIES_NPZ) \
        else SeriesSummary([], {}, {})
    # exactly what was computed when the run finished
    summary = read_summary(folder, runs) if verified(folder, manifest, SUMMARY) else None
    results = Results(scenario, manifest, replications, codes, series, manifest["errors"],
                      summary=summary, figures=figures,
                      inputs=TableColumns(table, specs) if with_inputs and table else None)
    results.missing_inputs = _missing_inputs(folder, table is not None, bool(specs))
    results.path = folder
    return results


def _missing_inputs(folder: Path, has_table: bool, draws: bool) -> str:
    """Why a loaded folder holds no drawn inputs, and what would record them."""
    if not draws:
        return f"{folder}: its scenario draws no parameter (every one is fixed: see the manifest)"
    if has_table and not have_pyarrow():
        return f"{folder}: its drawn inputs are in {TABLE}, which needs pyarrow to read: {EXTRA}"
    if has_table:
        return f"{folder}: its {TABLE} holds no drawn inputs (it was written from results that had none)"
    return (f"{folder} holds no drawn inputs: it has no {TABLE} (written by an older version, "
            f"or without pyarrow); re-run it with pyarrow installed ({EXTRA}) to record them")


def scenario_from_manifest(manifest: Mapping[str, Any], folder: Path) -> Any:
    """The resolved scenario a run used, rebuilt from its (checked) manifest.

    Fails when this version of the model no longer has a parameter the run used: its
    numbers could not be reproduced anyway.
    """
    try:
        return scenario_from_dict(manifest["scenario"], source=str(folder / MANIFEST))
    except ScenarioError as exc:
        key = f"scenario.{exc.key}" if exc.key else "scenario"
        raise InvalidFolder(folder, f"{MANIFEST} `{key}`: {exc.message}") from None


def read_series(folder: Path) -> SeriesSummary:
    """series.npz, its members checked before any is read."""
    with npz_file(folder, SERIES_NPZ) as data:
        (months,) = expect_member(folder, SERIES_NPZ, data, "months", "datetime64[D]", (None,))
        expect_member(folder, SERIES_NPZ, data, "quantile_runs", np.int64, ())
        expected = {"months", "quantile_runs"}
        sampled = None
        for name in SERIES_NAMES:
            for q in QUANTILE_KEYS:
                expect_member(folder, SERIES_NPZ, data, f"{name}.{q}", np.float64, (months,))
            shape = expect_member(folder, SERIES_NPZ, data, f"{name}.sample", np.float64,
                                  (sampled, months))
            sampled = shape[0]
            expected |= {f"{name}.{q}" for q in (*QUANTILE_KEYS, "sample")}
        extra = sorted(set(data.files) - expected)
        if extra or (sampled or 0) > SERIES_SAMPLE_RUNS:
            what = f"an unknown member `{extra[0]}`" if extra else f"{sampled} sampled runs"
            raise InvalidFolder(folder, f"{SERIES_NPZ} has {what}")
        arrays = {name: data[name] for name in data.files}
    if np.isnat(arrays["months"]).any():
        raise InvalidFolder(folder, f"{SERIES_NPZ} `months` has a missing date")
    try:
        return SeriesSummary.from_npz(arrays)
    except ValueError as exc:  # a month outside the dates Python can represent
        raise InvalidFolder(folder, f"{SERIES_NPZ} `months`: {exc}") from None


def read_runs_csv(path: Path) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Parse runs.csv back into encoded arrays (used when outcomes.npz is missing)."""
    folder = path.parent
    if not path.is_file():
        raise InvalidFolder(folder, f"{path.name} is missing")
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None or header[0] != "replication" or \
                    len(set(header)) != len(header):
                raise InvalidFolder(folder, f"{path.name} line 1 is not a header starting with "
                                    "`replication`")
            rows = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InvalidFolder(folder, f"{path.name} is not CSV text ({exc})") from None
    codes = empty_codes(len(rows))
    replications = np.empty(len(rows), dtype=np.int64)
    columns = [(col, BY_NAME[name]) for col, name in enumerate(header) if name in BY_NAME]
    for i, r in enumerate(rows):
        line = i + 2
        try:
            if len(r) != len(header):
                raise ValueError(f"{len(r)} cells, expected {len(header)}")
            replications[i] = int(r[0])
            for col, o in columns:
                if r[col] != "":
                    codes[o.name][i] = code_from_cell(o, r[col])
        except (ValueError, OverflowError) as exc:
            raise InvalidFolder(folder, f"{path.name} line {line}: {exc}") from None
    for name in OUTCOME_NAMES:
        check_codes(folder, path.name, BY_NAME[name], codes[name])
    return replications, codes

