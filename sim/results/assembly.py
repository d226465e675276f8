"""The final assembly of a folder run from its chunks.

Which tables are written is :func:`~sim.results.table.folder_tables`'s choice.
The assembly reads each chunk once: its CSV text goes to runs.csv, its rows to runs.parquet,
and its exact codes to one scratch file per column beside the chunks, from which outcomes.npz
is then written column by column (deflated when it is the only table) and summary.json
computed, so the parent holds one column (or one row group) at a time
whatever the number of replications.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO

import numpy as np

from sim.outcomes import BY_NAME, OUTCOME_NAMES
from sim.results.inputs import InputSpec
from sim.results.io import (
    OUTCOMES_NPZ, RUNS_CSV, TABLE, atomic_output, npz_writer, write_npz_member,
)
from sim.results.ledger import ChunkLedger
from sim.results.columns import NpzColumns
from sim.results.table import FolderTables, TableWriter
from sim.results.table_read import TableColumns
from sim.results.validation import outcome_dtype

class ScratchColumns(Mapping[str, np.ndarray]):
    """The exact outcome codes of a run, one scratch file per column, appended chunk by chunk
    and read back one column at a time."""

    def __init__(self, place: Path) -> None:
        self.place = place
        self._files: dict[str, IO[bytes]] = {}

    def path(self, name: str) -> Path:
        return self.place / f".column-{name}"

    def append(self, codes: Mapping[str, np.ndarray]) -> None:
        for name in OUTCOME_NAMES:
            f = self._files.get(name)
            if f is None:
                f = self._files[name] = open(self.path(name), "wb")
            f.write(np.ascontiguousarray(codes[name], dtype=outcome_dtype(BY_NAME[name]))
                    .tobytes())

    def close(self) -> None:
        for f in self._files.values():
            f.close()

    def remove(self) -> None:
        self.close()
        for name in OUTCOME_NAMES:
            self.path(name).unlink(missing_ok=True)

    def read(self, name: str) -> np.ndarray:
        path = self.path(name)
        dtype = outcome_dtype(BY_NAME[name])
        return np.fromfile(path, dtype=dtype) if path.exists() else np.empty(0, dtype=dtype)

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in BY_NAME:
            raise KeyError(name)
        return self.read(name)

    def __iter__(self) -> Iterator[str]:
        return iter(OUTCOME_NAMES)

    def __len__(self) -> int:
        return len(OUTCOME_NAMES)


def assemble(ledger: ChunkLedger, starts: Sequence[int], replications: np.ndarray,
             tables: FolderTables, specs: Sequence[InputSpec]) -> ScratchColumns:
    """Write the folder's tables from its chunks, reading each chunk once; returns the exact
    codes (for summary.json), which the caller removes with :meth:`ScratchColumns.remove`."""
    folder = ledger.folder
    if tables.csv:
        ledger.assemble_csv(starts, folder / RUNS_CSV)
    scratch = ScratchColumns(ledger.chunks)
    try:
        with ExitStack() as stack:
            table = stack.enter_context(TableWriter(folder / TABLE, specs)) \
                if tables.table else None
            for start in starts:
                reps, codes, inputs = ledger.columns(start, specs)
                scratch.append(codes)
                if table is not None:
                    table.add(reps, codes, inputs)
        scratch.close()
        if tables.outcomes_npz:
            with atomic_output(folder / OUTCOMES_NPZ) as raw, \
                    npz_writer(raw, tables.compressed) as zf:
                write_npz_member(zf, "replication", replications)
                for name in OUTCOME_NAMES:
                    write_npz_member(zf, name, scratch.read(name))
    except BaseException:
        scratch.remove()
        raise
    return scratch


def finished_columns(folder: Path, tables: FolderTables) -> Mapping[str, np.ndarray]:
    """The outcome columns of an assembled folder, read from disk when looked at."""
    return (NpzColumns(folder / OUTCOMES_NPZ) if tables.outcomes_npz
            else TableColumns(folder / TABLE))


def finished_inputs(folder: Path, tables: FolderTables, specs: Sequence[InputSpec]
                    ) -> Mapping[str, np.ndarray] | None:
    """The drawn inputs of an assembled folder (in runs.parquet), None without the table."""
    return TableColumns(folder / TABLE, specs) if tables.table else None
