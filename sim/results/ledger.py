"""The chunk ledger of a run in progress: which chunks of replications are safely on disk.

A run writes each finished chunk (a range of consecutive replication indices) to
``chunks/chunk-<start>.npz`` (encoded outcomes and series sums) and ``chunks/chunk-<start>.csv``
(its runs.csv rows), each under a temporary name then moved into place, and only then appends
one JSON line to ``ledger.jsonl``.  Whatever kills the run (Ctrl-C, ``kill -9``, a power cut),
a chunk listed in the ledger is complete and checked by its SHA-256; anything else is redone by
``sim run --resume``.  Chunk boundaries are recorded, so the resumed run assembles exactly the
same runs.csv as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import ResultsError
from sim.outcomes import OUTCOME_NAMES
from sim.results.builder import ChunkData
from sim.results.codec import CSV_HEADER
from sim.results.io import (
    CHUNKS, LEDGER, LOCK, FolderLock, atomic_output, atomic_write_bytes, atomic_write_npz,
    npz_writer, write_npz_member,
)


@dataclass(frozen=True)
class LedgerEntry:
    """One line of ledger.jsonl: a chunk on disk, its checksums and its failed replications."""

    start: int
    stop: int
    completed: int
    csv_sha256: str
    npz_sha256: str
    errors: list[dict[str, Any]]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class ChunkLedger:
    """Chunk files and their ledger inside one results folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.chunks = self.folder / CHUNKS
        self.path = self.folder / LEDGER

    def create(self) -> None:
        """Make the chunks folder of a run that is starting."""
        self.chunks.mkdir(parents=True, exist_ok=True)

    def lock(self) -> FolderLock:
        """Hold the folder for this process: two runs writing one folder would corrupt it."""
        return FolderLock(self.folder / LOCK)

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
        })
        entry = LedgerEntry(chunk.start, chunk.stop, int(chunk.replications.size),
                            _sha256(csv_path), _sha256(npz_path), list(chunk.errors))
        line = json.dumps({
            "start": entry.start, "stop": entry.stop, "completed": entry.completed,
            "csv_sha256": entry.csv_sha256, "npz_sha256": entry.npz_sha256,
            "errors": entry.errors,
        }, separators=(",", ":"))
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())
        return entry

    def entries(self) -> dict[int, LedgerEntry]:
        """Chunks recorded as complete, by start index (a torn last line is ignored)."""
        out: dict[int, LedgerEntry] = {}
        if not self.path.is_file():
            return out
        with open(self.path, encoding="utf-8") as f:
            for line in f:
                try:
                    d = json.loads(line)
                    entry = LedgerEntry(int(d["start"]), int(d["stop"]), int(d["completed"]),
                                        str(d["csv_sha256"]), str(d["npz_sha256"]),
                                        list(d.get("errors", [])))
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a kill: that chunk is simply redone
                csv_path, npz_path = self._names(entry.start)
                if csv_path.is_file() and npz_path.is_file():
                    out[entry.start] = entry
        return out

    def load(self, entry: LedgerEntry) -> ChunkData:
        """Read a recorded chunk back, checking that its files are the ones recorded."""
        csv_path, npz_path = self._names(entry.start)
        for path, want in ((csv_path, entry.csv_sha256), (npz_path, entry.npz_sha256)):
            if _sha256(path) != want:
                raise ResultsError(f"{path} does not match its checksum in {self.path}; "
                                   "delete that ledger line to have the chunk redone")
        with np.load(npz_path) as data:
            codes = {name: np.asarray(data[f"o.{name}"]) for name in OUTCOME_NAMES}
            chunk = ChunkData(
                start=entry.start, stop=entry.stop,
                replications=np.asarray(data["replication"]), codes=codes,
                block_sums=np.asarray(data["block_sums"]),
                block_counts=np.asarray(data["block_counts"]),
                kept_series=np.asarray(data["kept_series"]),
                csv=csv_path.read_text(encoding="utf-8"), errors=list(entry.errors),
            )
        return chunk

    def assemble_csv(self, starts: Iterable[int], out: Path) -> None:
        """Concatenate the chunks' rows, in replication order, into ``out`` (atomically)."""
        with atomic_output(out) as f:
            f.write(CSV_HEADER.encode("utf-8"))
            for start in starts:
                csv_path, _ = self._names(start)
                with open(csv_path, "rb") as part:
                    while block := part.read(1 << 20):
                        f.write(block)

    def assemble_outcomes(self, starts: list[int], replications: np.ndarray,
                          out: Path) -> None:
        """Write outcomes.npz (same layout as ``np.savez``) one column at a time from the
        chunks, so that the whole table is never in memory at once."""
        with atomic_output(out) as raw, npz_writer(raw) as zf:
            write_npz_member(zf, "replication", replications)
            for name in OUTCOME_NAMES:
                parts = []
                for start in starts:
                    with np.load(self._names(start)[1]) as data:
                        parts.append(np.asarray(data[f"o.{name}"]))
                write_npz_member(zf, name, np.concatenate(parts) if parts else np.empty(0))

    def remove_chunks(self) -> None:
        """Delete chunk files once runs.csv and outcomes.npz hold the same data."""
        if self.chunks.is_dir():
            for p in self.chunks.iterdir():
                p.unlink()
            self.chunks.rmdir()
