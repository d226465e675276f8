"""Re-running one replication of a results folder and comparing it with its stored row
(``sim reproduce``): the check that any single replication can be re-run alone.

The folder is data: its manifest is checked, its stored rows are read as bytes with a bound,
and the model that re-runs the replication is the one the caller names, never one the folder
names (see :func:`~sim.engine.worker.model_for_folder`).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.engine.worker import (
    model_for_folder, model_option, run_replication, series_months, series_row,
)
from sim.errors import UserError
from sim.outcomes import OUTCOME_NAMES
from sim.results import (
    CHUNKS, RUNS_CSV, bounded_lines, codes_from_rows, csv_rows, encode_outcomes, npz_row,
    read_manifest, scenario_from_manifest, table_row,
)

#: Longest runs.csv row read (a row is a few hundred bytes; longer lines are not rows).
MAX_ROW_BYTES = 1 << 16


@dataclass
class Reproduction:
    """A replication re-run: its stored and re-run runs.csv rows, or the error it raised."""

    replication: int
    stored: str | None
    rerun: str | None
    error: str | None
    traceback: str | None

    @property
    def identical(self) -> bool:
        return self.error is None and self.stored is not None and self.stored == self.rerun

    def differences(self) -> list[tuple[str, str, str]]:
        """(column, stored, re-run) for each cell that differs."""
        if self.stored is None or self.rerun is None:
            return []
        header = ["replication", *OUTCOME_NAMES]
        a = self.stored.rstrip("\n").split(",")
        b = self.rerun.rstrip("\n").split(",")
        return [(h, x, y) for h, x, y in zip(header, a, b) if x != y]


def _stored_row(folder: Path, index: int) -> str | None:
    """The runs.csv row of replication ``index``, from runs.csv or a run's chunks (as the
    file holds it: a damaged row is shown, and found to differ, rather than refused)."""
    prefix = f"{index},".encode("ascii")
    candidates = [folder / RUNS_CSV]
    chunks = folder / CHUNKS
    if chunks.is_dir():
        candidates += sorted(chunks.glob("chunk-*.csv"))
    for path in candidates:
        if not path.is_file():
            continue
        for line in bounded_lines(path, MAX_ROW_BYTES):
            if line.startswith(prefix):
                return line.decode("utf-8", "replace")
    # a large run's folder holds runs.parquet alone, or without pyarrow outcomes.npz alone
    row = table_row(folder, index)
    return row if row is not None else npz_row(folder, index)


def reproduce(path: str | Path, index: int, *,
              model: Callable[..., Any] | str | None = None) -> Reproduction:
    """Re-run replication ``index`` of a results folder and compare it with the stored row;
    ``model`` (default the built-in one) must be the model the folder was run with."""
    folder = Path(path)
    manifest = read_manifest(folder)
    requested = manifest["runs_requested"]
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < requested:
        raise UserError(f"--replication: expected an index from 0 to {requested - 1}, got "
                        f"{index!r}")
    chosen = model_for_folder(manifest["model"], model, folder)
    scenario = scenario_from_manifest(manifest, folder)
    stored = _stored_row(folder, index)
    known_error = next((e for e in manifest["errors"] if e["replication"] == index), None)
    if stored is None and known_error is None and manifest["status"] != "complete":
        raise UserError(f"replication {index} of {folder} has not been run yet "
                        f"(status {manifest['status']}); finish it with "
                        f"`sim run --resume {folder}{model_option(chosen)}`")
    try:
        rep = run_replication(scenario, manifest["entropy"], index, model=chosen)
        months = series_months(scenario)
        series_row(rep, None if months is None else len(months))
        codes = codes_from_rows([encode_outcomes(rep.outcomes)])
        rerun = next(csv_rows(np.array([index]), codes))
        return Reproduction(index, stored, rerun, None, None)
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - shown to the user in full
        return Reproduction(index, stored, None, f"{type(exc).__name__}: {exc}",
                            traceback.format_exc())
