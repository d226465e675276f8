"""Re-running one replication of a results folder and comparing it with its stored row
(``sim reproduce``): the check that any single replication can be re-run alone."""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.engine.provenance import manifest_file
from sim.engine.worker import DEFAULT_MODEL, run_replication, series_months, series_row
from sim.errors import UserError
from sim.outcomes import OUTCOME_NAMES
from sim.results import (
    CHUNKS, RUNS_CSV, codes_from_rows, csv_rows, encode_outcomes, scenario_from_manifest,
)


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
    """The runs.csv row of replication ``index``, from runs.csv or a run's chunks."""
    prefix = f"{index},"
    candidates = [folder / RUNS_CSV]
    chunks = folder / CHUNKS
    if chunks.is_dir():
        candidates += sorted(chunks.glob("chunk-*.csv"))
    for path in candidates:
        if not path.is_file():
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith(prefix):
                    return line
    return None


def reproduce(path: str | Path, index: int) -> Reproduction:
    """Re-run replication ``index`` of a results folder and compare it with the stored row."""
    folder = Path(path)
    manifest_path = manifest_file(folder)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    requested = int(manifest.get("runs_requested", 0))
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < requested:
        raise UserError(f"--replication: expected an index from 0 to {requested - 1}, got "
                        f"{index!r}")
    scenario = scenario_from_manifest(manifest, str(manifest_path))
    stored = _stored_row(folder, index)
    known_error = next((e for e in manifest.get("errors", []) if e.get("replication") == index),
                       None)
    if stored is None and known_error is None and manifest.get("status") != "complete":
        raise UserError(f"replication {index} of {folder} has not been run yet "
                        f"(status {manifest.get('status')}); finish it with "
                        f"`sim run --resume {folder}`")
    try:
        rep = run_replication(scenario, int(manifest["entropy"]), index,
                              model=manifest.get("model", DEFAULT_MODEL))
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
