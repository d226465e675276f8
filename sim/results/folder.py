"""The rules that keep a results folder safe: what may be replaced, how a replacement is moved
into place, what a damaged folder or a failing disk is reported as, and how a folder is read
without trusting it (regular files only, read with a bound).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
from pathlib import Path

from sim.errors import ResultsError
from sim.results.io import CHUNKS, LEDGER, LOCK, MANIFEST, TEMPORARY_MARK


class InvalidFolder(ResultsError):
    """A results folder whose files are damaged, edited or not what the program writes."""

    def __init__(self, folder: Path, what: str) -> None:
        super().__init__(f"{folder} is not a valid results folder: {what}")


class StorageError(ResultsError):
    """The disk refused a write (full, read-only, over quota): what was kept, and what next."""


#: What to wait for before trying again, by the errno of a failed write.
_REMEDIES = {
    errno.ENOSPC: "once there is room on the disk",
    errno.EDQUOT: "once you are under your disk quota",
    errno.EROFS: "once the file system is writable",
    errno.EACCES: "once you may write there",
    errno.EPERM: "once you may write there",
}


def storage_error(exc: OSError, consequence: str, *, retry: str = "",
                  writing: Path | None = None) -> StorageError:
    """One line for a failed write: the file (``writing`` when the system does not say), the
    system's reason, what it means for the results (``consequence``) and, with ``retry``,
    what to do once the cause is gone."""
    name = exc.filename or writing
    where = f"cannot write {name}: " if name else ""
    reason = exc.strerror or type(exc).__name__
    then = f"; {_REMEDIES.get(exc.errno or 0, 'once the cause is fixed')}, {retry}" if retry \
        else ""
    return StorageError(f"{where}{reason}; {consequence}{then}")


# --------------------------------------------------------------------------------------
# reading without trusting
# --------------------------------------------------------------------------------------

def read_limited(folder: Path, name: str, limit: int) -> bytes:
    """The bytes of ``folder/name``, refused unless it is a regular file of at most ``limit``
    bytes: a device, a FIFO or a huge file in a folder someone sent must not hang the reader
    or exhaust its memory."""
    path = folder / name
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InvalidFolder(folder, f"{name} is missing") from None
    except OSError as exc:
        raise InvalidFolder(folder, f"{name} cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InvalidFolder(folder, f"{name} is not a regular file")
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise InvalidFolder(folder, f"{name} is larger than the {limit:,} bytes it can be")
    return data


def regular_file(folder: Path, name: str) -> Path | None:
    """``folder/name`` if it is a regular file, None if it does not exist; InvalidFolder if it
    is anything else (a folder, a FIFO, a device)."""
    path = folder / name
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InvalidFolder(folder, f"{name} cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise InvalidFolder(folder, f"{name} is not a regular file")
    return path


# --------------------------------------------------------------------------------------
# what may be replaced, and replacing it
# --------------------------------------------------------------------------------------

def looks_like_results(folder: Path) -> bool:
    """Whether ``folder`` holds results (finished or not): the only folders --force replaces."""
    return (folder / MANIFEST).is_file() or (folder / LEDGER).is_file()


def holds_nothing(folder: Path) -> bool:
    """Whether ``folder`` is empty but for a lock file (a folder a writer is about to fill)."""
    return all(p.name == LOCK for p in folder.iterdir())


def check_target(out: Path, force: bool) -> None:
    """Refuse to write over existing results without ``force``, and over anything else ever."""
    try:
        if not out.exists():
            blocker = next((p for p in out.parents if p.exists()), None)
            if blocker is not None and not blocker.is_dir():
                raise ResultsError(f"{out}: {blocker} is a file, not a folder; choose another "
                                   "--out")
            return
        if not out.is_dir():
            raise ResultsError(f"{out} exists and is not a folder; choose another --out")
        if holds_nothing(out):
            return
    except OSError as exc:  # a name too long, a loop of links, a folder that cannot be listed
        raise ResultsError(f"{out}: {exc.strerror}; choose another --out") from None
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


_LEFTOVER = re.compile(rf"^\..+{re.escape(TEMPORARY_MARK)}\d+$")


def remove_leftovers(folder: Path) -> None:
    """Delete the temporary files of writers that died (``kill -9``, a full disk) in the folder
    and its chunks.  Only a writer holding the folder's lock may call this: nobody else can be
    writing them."""
    for place in (folder, folder / CHUNKS):
        if place.is_dir():
            for p in place.iterdir():
                if _LEFTOVER.match(p.name) and p.is_file():
                    p.unlink()
