"""A results folder on disk: its file names, and files that appear only when complete.

Every file is written under a temporary name in the same folder, flushed to disk and moved
into place, so a file that exists is complete; a write that fails removes its temporary file.
NPZ files are written member by member with a fixed timestamp, so the same arrays always give
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import numpy as np

RUNS_CSV = "runs.csv"
MANIFEST = "manifest.json"
SUMMARY = "summary.json"
OUTCOMES_NPZ = "outcomes.npz"
SERIES_NPZ = "series.npz"
TABLE = "runs.parquet"
PLOTS = "plots"
LEDGER = "ledger.jsonl"
CHUNKS = "chunks"
LOCK = ".lock"
#: Part of the name of a file being written: ``.NAME.tmp-PID`` until it is complete.
TEMPORARY_MARK = ".tmp-"

#: Timestamp of every NPZ member: fixed, so that the same arrays always give the same bytes.
NPZ_MEMBER_TIME = (1980, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------------------
# files that appear only when complete
# --------------------------------------------------------------------------------------

@contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at ``path`` only once written in full and flushed to disk.

    If anything fails (a full disk, an interrupt), the temporary file is removed and an
    ``OSError`` names ``path``, the file the user knows, not the temporary one.
    """
    tmp = path.with_name(f".{path.name}{TEMPORARY_MARK}{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            tmp.unlink()
        except OSError:
            pass  # never created, or the disk refuses even that: nothing more to do
        if isinstance(exc, OSError) and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, complete or not at all."""
    with atomic_output(path) as f:
        f.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path``, complete or not at all."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, data: Any) -> None:
    """Write ``data`` as indented JSON (dates, numpy values and paths as plain JSON)."""
    atomic_write_text(path, json.dumps(data, indent=2, default=json_default) + "\n")


def json_default(x: Any) -> Any:
    """Dates, numpy values and paths as plain JSON."""
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
    info.compress_type = zf.compression  # a ZipInfo of its own would be stored uncompressed
    if zf.compression != zipfile.ZIP_STORED:
        level = zf.compresslevel
        if hasattr(info, "compress_level"):  # Python 3.13 names it publicly
            info.compress_level = level
        else:
            info._compresslevel = level  # type: ignore[attr-defined]
    array = np.asanyarray(array)
    with zf.open(info, "w", force_zip64=True) as f:
        if array.flags.c_contiguous and not array.dtype.hasobject and array.size:
            # the header ``write_array`` writes, then the array's own bytes: no copy of a
            # chunk's kept series (14 MB at 2,000 replications) while the parent holds it
            np.lib.format.write_array_header_1_0(
                f, np.lib.format.header_data_from_array_1_0(array))
            f.write(array.reshape(-1).view(np.uint8).data)
        else:
            np.lib.format.write_array(f, array, allow_pickle=False)


#: zlib level of a compressed NPZ: level 1 keeps 98% of level 6's saving on outcome columns
#: (197 against 193 bytes per replication) at a fraction of its time.
NPZ_COMPRESSLEVEL = 1


def npz_writer(f: IO[bytes], compress: bool = False) -> zipfile.ZipFile:
    """An NPZ archive on an open binary file, to add members to one by one: uncompressed, or
    with deflated members (what ``np.savez_compressed`` writes; ``np.load`` reads both)."""
    if compress:
        return zipfile.ZipFile(f, mode="w", compression=zipfile.ZIP_DEFLATED,
                               compresslevel=NPZ_COMPRESSLEVEL, allowZip64=True)
    return zipfile.ZipFile(f, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True)


def write_npz(f: IO[bytes], arrays: Mapping[str, np.ndarray], compress: bool = False) -> None:
    """Write ``arrays`` as an NPZ to an open binary file, byte-reproducibly."""
    with npz_writer(f, compress) as zf:
        for name, array in arrays.items():
            write_npz_member(zf, name, array)


def atomic_write_npz(path: Path, arrays: Mapping[str, np.ndarray],
                     compress: bool = False) -> None:
    """Write ``arrays`` as a byte-reproducible NPZ at ``path``, complete or not at all."""
    with atomic_output(path) as f:
        write_npz(f, arrays, compress)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks (chunk files and results files can be large)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def bounded_lines(path: Path, limit: int) -> Iterator[bytes]:
    """The lines of a file as bytes, none longer than ``limit``: a line without an end in
    sight (a damaged or hostile file) is skipped rather than read into memory whole."""
    with open(path, "rb") as f:
        while line := f.readline(limit):
            if len(line) < limit or line.endswith(b"\n"):
                yield line
                continue
            while (rest := f.readline(limit)) and not rest.endswith(b"\n"):
                pass
