"""The chunk ledger of a run in progress: which chunks of replications are safely on disk.

A run writes each finished chunk (a range of consecutive replication indices) to
``chunks/chunk-<start>.npz`` (encoded outcomes and series sums) and ``chunks/chunk-<start>.csv``
(its runs.csv rows), each under a temporary name then moved into place, and only then appends
one JSON line to ``ledger.jsonl``.  Whatever kills the run (Ctrl-C, ``kill -9``, a power cut),
a chunk listed in the ledger is complete and checked by its SHA-256; anything else is redone by
``sim run --resume``.  Chunk boundaries are recorded, so the resumed run assembles exactly the
same runs.csv as an uninterrupted one.

A line that cannot be used (cut short by a kill, not UTF-8, not an entry of this run, a chunk
whose files are missing or do not match their checksums) is skipped, and its chunk is simply
computed again: the ledger can only ever save work, never decide what the results are.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import NonNegativeInt

from sim.outcomes import BY_NAME, OUTCOME_NAMES, OUTCOMES
from sim.results.builder import ChunkData
from sim.results.codec import CSV_HEADER
from sim.results.folder import InvalidFolder
from sim.results.inputs import InputSpec, check_input_codes
from sim.results.io import (
    CHUNKS, LEDGER, atomic_output, atomic_write_bytes, atomic_write_npz, bounded_lines,
    file_sha256,
)
from sim.results.manifest import ReplicationError, Sha256, StrictModel
from sim.results.series import SERIES_BLOCK, SERIES_NAMES, SERIES_QUANTILE_RUNS
from sim.results.validation import check_codes, expect_member, npz_file, outcome_dtype

#: A ledger line is about 200 bytes plus its listed errors; longer ones are not entries.
MAX_LINE_BYTES = 1 << 20


@dataclass(frozen=True)
class LedgerEntry:
    """One line of ledger.jsonl: a chunk on disk, its checksums and its failed replications."""

    start: int
    stop: int
    completed: int
    csv_sha256: str
    npz_sha256: str
    errors: list[dict[str, Any]]


class LedgerLine(StrictModel):
    """The schema of one ledger line."""

    start: NonNegativeInt
    stop: NonNegativeInt
    completed: NonNegativeInt
    csv_sha256: Sha256
    npz_sha256: Sha256
    errors: list[ReplicationError]


class ChunkLedger:
    """Chunk files and their ledger inside one results folder."""

    def __init__(self, folder: Path, inputs: Sequence[InputSpec] = ()) -> None:
        self.folder = Path(folder)
        #: The drawn parameters whose values each chunk holds (``i.NAME`` members).
        self.inputs = tuple(inputs)
        self.chunks = self.folder / CHUNKS
        self.path = self.folder / LEDGER
        self._tail_checked = False

    def create(self) -> None:
        """Make the chunks folder of a run that is starting (or check a resumed run's)."""
        if self.chunks.exists() and not self.chunks.is_dir():
            raise InvalidFolder(self.folder, f"{CHUNKS} is not a folder")
        self.chunks.mkdir(parents=True, exist_ok=True)

    def _names(self, start: int) -> tuple[Path, Path]:
        stem = f"chunk-{start:012d}"
        return self.chunks / f"{stem}.csv", self.chunks / f"{stem}.npz"

    def record(self, chunk: ChunkData) -> LedgerEntry:
        """Write a finished chunk durably, then list it in the ledger."""
        csv_path, npz_path = self._names(chunk.start)
        atomic_write_bytes(csv_path, chunk.csv.encode("utf-8"))
        atomic_write_npz(npz_path, {
            "replication": chunk.replications,
            "block_sums": chunk.block_sums,
            "block_counts": chunk.block_counts,
            "kept_series": chunk.kept_series,
            **{f"o.{k}": v for k, v in chunk.codes.items()},
            **{f"i.{k}": v for k, v in chunk.inputs.items()},
        })
        entry = LedgerEntry(chunk.start, chunk.stop, int(chunk.replications.size),
                            file_sha256(csv_path), file_sha256(npz_path), list(chunk.errors))
        line = json.dumps({
            "start": entry.start, "stop": entry.stop, "completed": entry.completed,
            "csv_sha256": entry.csv_sha256, "npz_sha256": entry.npz_sha256,
            "errors": entry.errors,
        }, separators=(",", ":"))
        with open(self.path, "ab") as f:
            f.write((self._line_break() + line + "\n").encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        return entry

    def _line_break(self) -> str:
        """A newline to end the torn last line a killed run left, once, so that the next
        entry starts a line of its own rather than joining the torn one."""
        if self._tail_checked:
            return ""
        self._tail_checked = True
        try:
            with open(self.path, "rb") as f:
                f.seek(-1, os.SEEK_END)
                return "" if f.read(1) == b"\n" else "\n"
        except OSError:  # no ledger yet, or an empty one
            return ""

    def entries(self, *, runs: int, chunk_size: int) -> dict[int, LedgerEntry]:
        """Chunks usable by a run of ``runs`` replications in chunks of ``chunk_size``, by
        start index: recorded, in range, not overlapping an earlier one, and with both files
        present and matching their checksums.  Any other line is skipped (that chunk is
        computed again)."""
        if not self.path.is_file():
            return {}
        recorded: dict[int, LedgerEntry] = {}  # a chunk recorded again replaces its first line
        for raw in bounded_lines(self.path, MAX_LINE_BYTES):
            entry = _parse(raw)
            if entry is not None and _fits(entry, runs, chunk_size):
                recorded[entry.start] = entry
        out: dict[int, LedgerEntry] = {}
        reached = 0
        for start in sorted(recorded):
            entry = recorded[start]
            if start < reached:  # overlaps the chunk before it
                continue
            csv_path, npz_path = self._names(start)
            if csv_path.is_file() and npz_path.is_file() and \
                    file_sha256(csv_path) == entry.csv_sha256 and \
                    file_sha256(npz_path) == entry.npz_sha256:
                out[start] = entry
                reached = entry.stop
        return out

    def load(self, entry: LedgerEntry, months: int | None) -> ChunkData:
        """Read a recorded chunk back, its arrays checked against the entry (and the run's
        ``months`` of series, when known) before they are used."""
        csv_path, npz_path = self._names(entry.start)
        name = f"{CHUNKS}/{npz_path.name}"
        blocks = -(-(entry.stop - entry.start) // SERIES_BLOCK)
        with npz_file(self.folder, name) as data:
            n = entry.completed
            reps = expect_member(self.folder, name, data, "replication", np.int64, (n,))
            sums = expect_member(self.folder, name, data, "block_sums", np.float64,
                                 (blocks, len(SERIES_NAMES), None))
            length = sums[2] if n else None
            if n and months is not None and length != months:
                raise InvalidFolder(self.folder, f"{name} holds series of {length} months; "
                                    f"the run has {months}")
            expect_member(self.folder, name, data, "block_counts", np.int64, (blocks,))
            expect_member(self.folder, name, data, "kept_series", np.float64,
                          (None, len(SERIES_NAMES), length))
            for o in OUTCOMES:
                expect_member(self.folder, name, data, f"o.{o.name}", outcome_dtype(o), reps)
            for spec in self.inputs:
                expect_member(self.folder, name, data, f"i.{spec.name}", spec.dtype, reps)
            arrays = {k: np.asarray(data[k]) for k in data.files}
        replications = arrays["replication"]
        if not _holds(entry, replications, arrays["block_counts"], arrays["kept_series"]):
            raise InvalidFolder(self.folder, f"{name} does not hold the replications "
                                f"{entry.start} to {entry.stop - 1} its ledger line lists")
        codes = {o: arrays[f"o.{o}"] for o in OUTCOME_NAMES}
        for o, arr in codes.items():
            check_codes(self.folder, name, BY_NAME[o], arr)
        inputs = {s.name: arrays[f"i.{s.name}"] for s in self.inputs}
        for spec in self.inputs:
            problem = check_input_codes(spec, inputs[spec.name])
            if problem:
                raise InvalidFolder(self.folder, f"{name} `i.{spec.name}` {problem}")
        try:
            text = csv_path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InvalidFolder(self.folder, f"{CHUNKS}/{csv_path.name} is not UTF-8 text") \
                from None
        if text.count("\n") != n:
            raise InvalidFolder(self.folder, f"{CHUNKS}/{csv_path.name} does not hold the "
                                f"{n} rows its ledger line lists")
        return ChunkData(start=entry.start, stop=entry.stop, replications=replications,
                         codes=codes, block_sums=arrays["block_sums"],
                         block_counts=arrays["block_counts"],
                         kept_series=arrays["kept_series"], csv=text,
                         errors=list(entry.errors), inputs=inputs)

    def assemble_csv(self, starts: Iterable[int], out: Path) -> None:
        """Concatenate the chunks' rows, in replication order, into ``out`` (atomically)."""
        with atomic_output(out) as f:
            f.write(CSV_HEADER.encode("utf-8"))
            for start in starts:
                csv_path, _ = self._names(start)
                with open(csv_path, "rb") as part:
                    while block := part.read(1 << 20):
                        f.write(block)

    def columns(self, start: int, specs: Sequence[InputSpec]
                ) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
        """The replication indices, outcome codes and drawn inputs of one recorded chunk, read
        in one go (the final assembly reads each chunk once)."""
        with np.load(self._names(start)[1], allow_pickle=False) as data:
            arrays = {k: np.asarray(data[k]) for k in data.files
                      if k == "replication" or k[:2] in ("o.", "i.")}
        return (arrays["replication"], {o: arrays[f"o.{o}"] for o in OUTCOME_NAMES},
                {s.name: arrays[f"i.{s.name}"] for s in specs})

    def remove_chunks(self) -> None:
        """Delete the chunk files once runs.csv and outcomes.npz hold the same data (whatever
        else a dead writer left there goes with them)."""
        shutil.rmtree(self.chunks, ignore_errors=True)


def _parse(raw: bytes) -> LedgerEntry | None:
    """The entry of one ledger line, or None when the line is not one."""
    try:
        line = LedgerLine.model_validate(json.loads(raw.decode("utf-8")))
    except (ValueError, RecursionError):  # torn, not UTF-8, not JSON, not an entry
        return None
    return LedgerEntry(line.start, line.stop, line.completed, line.csv_sha256,
                       line.npz_sha256, [e.model_dump() for e in line.errors])


def _fits(entry: LedgerEntry, runs: int, chunk_size: int) -> bool:
    """Whether ``entry`` is a chunk a run of ``runs`` in chunks of ``chunk_size`` could have
    recorded: inside the run, no longer than a chunk, its counts adding up."""
    return (entry.start < entry.stop <= runs and entry.stop - entry.start <= chunk_size
            and entry.completed + len(entry.errors) == entry.stop - entry.start
            and all(entry.start <= e["replication"] < entry.stop for e in entry.errors))


def _holds(entry: LedgerEntry, replications: np.ndarray, block_counts: np.ndarray,
           kept_series: np.ndarray) -> bool:
    """Whether a chunk's arrays are those of ``entry``: increasing indices inside its range,
    as many counted in the series blocks, the series kept for the first replications."""
    inside = not replications.size or (
        replications[0] >= entry.start and replications[-1] < entry.stop
        and bool(np.all(np.diff(replications) > 0)))
    return (inside and int(block_counts.sum()) == entry.completed
            and kept_series.shape[0] == int(np.count_nonzero(
                replications < SERIES_QUANTILE_RUNS)))
