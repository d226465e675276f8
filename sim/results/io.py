"""A results folder on disk: its file names, files that appear only when complete, and the
rules that keep existing results safe (never overwritten by accident, never by two runs).

Every file is written under a temporary name in the same folder, flushed to disk and moved
into place, so a file that exists is complete.  NPZ files are written member by member with a
fixed timestamp, so the same arrays always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import numpy as np

from sim.errors import ResultsError

RUNS_CSV = "runs.csv"
MANIFEST = "manifest.json"
SUMMARY = "summary.json"
OUTCOMES_NPZ = "outcomes.npz"
SERIES_NPZ = "series.npz"
PLOTS = "plots"
LEDGER = "ledger.jsonl"
CHUNKS = "chunks"
LOCK = ".lock"

#: Timestamp of every NPZ member: fixed, so that the same arrays always give the same bytes.
NPZ_MEMBER_TIME = (1980, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------------------
# files that appear only when complete
# --------------------------------------------------------------------------------------

@contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at ``path`` only once written in full and flushed to disk."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        yield f
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, complete or not at all."""
    with atomic_output(path) as f:
        f.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path``, complete or not at all."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, data: Any) -> None:
    """Write ``data`` as indented JSON (dates, numpy values and paths as plain JSON)."""
    atomic_write_text(path, json.dumps(data, indent=2, default=_json_default) + "\n")


def _json_default(x: Any) -> Any:
    if isinstance(x, (dt.date, dt.datetime)):
        return x.isoformat()
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, Path):
        return str(x)
    raise TypeError(f"cannot write {type(x).__name__} to JSON")


def write_npz_member(zf: zipfile.ZipFile, name: str, array: np.ndarray) -> None:
    """One ``name.npy`` member of an NPZ (the layout of ``np.savez``, with a fixed timestamp)."""
    info = zipfile.ZipInfo(f"{name}.npy", date_time=NPZ_MEMBER_TIME)
    with zf.open(info, "w", force_zip64=True) as f:
        np.lib.format.write_array(f, np.asanyarray(array), allow_pickle=False)


def npz_writer(f: IO[bytes]) -> zipfile.ZipFile:
    """An uncompressed NPZ archive on an open binary file, to add members to one by one."""
    return zipfile.ZipFile(f, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True)


def write_npz(f: IO[bytes], arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` as an uncompressed NPZ to an open binary file, byte-reproducibly."""
    with npz_writer(f) as zf:
        for name, array in arrays.items():
            write_npz_member(zf, name, array)


def atomic_write_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` as a byte-reproducible NPZ at ``path``, complete or not at all."""
    with atomic_output(path) as f:
        write_npz(f, arrays)


# --------------------------------------------------------------------------------------
# keeping existing results safe
# --------------------------------------------------------------------------------------

def looks_like_results(folder: Path) -> bool:
    """Whether ``folder`` holds results (finished or not): the only folders --force replaces."""
    return (folder / MANIFEST).is_file() or (folder / LEDGER).is_file()


def check_target(out: Path, force: bool) -> None:
    """Refuse to write over existing results without ``force``, and over anything else ever."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ResultsError(f"{out} exists and is not a folder; choose another --out")
    if not any(out.iterdir()):
        return
    if not force:
        raise ResultsError(f"{out} already exists; use --force to replace it or choose another --out")
    if not looks_like_results(out):
        raise ResultsError(f"{out} exists and is not a results folder (no {MANIFEST}); "
                           "refusing to replace it even with --force")


def swap_into_place(staging: Path, out: Path) -> None:
    """Move a finished ``staging`` folder to ``out``, replacing an old ``out`` only now."""
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        os.replace(out, old)
        try:
            os.replace(staging, out)
        except BaseException:
            os.replace(old, out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)


class FolderLock:
    """An exclusive ``flock`` on a file in the folder, released when the process ends
    (even by ``kill -9``), so a stale lock never blocks a resume.

    As a context manager it holds the folder for the ``with`` block.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise ResultsError(f"{self.path.parent} is being written by another `sim run` "
                               f"(process {holder}); wait for it or stop it first") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd

    def release(self, *, remove: bool = False) -> None:
        """Let go of the folder; ``remove`` deletes the lock file too (the run is complete)."""
        if self._fd is not None:
            if remove:
                try:
                    self.path.unlink()
                except FileNotFoundError:
                    pass
            try:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> "FolderLock":
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
