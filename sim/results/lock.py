"""The lock every writer of a results folder holds: one writer at a time, whoever it is.

A writer (``sim run``, ``--resume``, ``--force``, :meth:`Results.write`, ``sim plot`` and
``sim report`` writing inside a folder) takes an exclusive ``flock`` on ``FOLDER/.lock`` for
every folder it writes into *or replaces*, before it looks at what is there.  The lock file
says who holds it (process, what it runs, since when), so a second writer is refused with
that, at once, instead of waiting or interleaving its files.

The kernel releases a ``flock`` when its process ends, however it ends (``kill -9``, a power
cut), so the lock of a dead writer is stale by construction and the next writer takes it
over: no stale lock ever needs deleting by hand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from sim.errors import ResultsError
from sim.results.folder import InvalidFolder
from sim.results.io import LOCK

#: Bytes of the lock file read to say who holds it (it holds a short JSON line).
_HOLDER_BYTES = 4096


class FolderBusy(ResultsError):
    """Another writer holds the folder."""


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock, as its lock file says."""

    pid: int | None
    purpose: str
    started: str

    def describe(self) -> str:
        pid = "an unknown process" if self.pid is None else f"process {self.pid}"
        return f"{pid}, `{self.purpose}`, started {self.started}"

    @classmethod
    def parse(cls, raw: bytes) -> "LockHolder":
        """What a lock file says, whatever it holds (it may be damaged or edited)."""
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            return cls(None, "unknown", "at an unknown time")
        pid = data.get("pid")
        return cls(pid if type(pid) is int else None, str(data.get("purpose"))[:80],
                   str(data.get("started"))[:40])


class FolderLock:
    """The exclusive lock of one folder, held by this process from :meth:`acquire` to
    :meth:`release` (or for a ``with`` block).

    ``create`` makes the folder when it does not exist yet; releasing the lock then removes
    the folder again if nothing was written into it.
    """

    def __init__(self, folder: Path, purpose: str, *, create: bool = False) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK
        self.purpose = purpose
        self.create = create
        self._created = False
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise FolderBusy naming its holder (never waits)."""
        if self.create and not self.folder.exists():
            self.folder.mkdir(parents=True)
            self._created = True
        elif not self.folder.is_dir():
            what = "is not a folder" if self.folder.exists() else "does not exist"
            raise ResultsError(f"{self.folder}: not a results folder (it {what})")
        try:
            self._lock()
        except BaseException:
            if self._created:
                with contextlib.suppress(OSError):
                    self.folder.rmdir()
            raise

    def _lock(self) -> None:
        for _ in range(3):  # the holder may remove the file just as we open it: try again
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = LockHolder.parse(os.pread(fd, _HOLDER_BYTES, 0))
                os.close(fd)
                raise FolderBusy(f"{self.folder} is being written by another process "
                                 f"({holder.describe()}); wait for it to finish or stop it, "
                                 "then try again") from None
            if self._is_current(fd):
                break
            os.close(fd)
        else:  # pragma: no cover - three removals in a row would take a writer per attempt
            raise FolderBusy(f"{self.folder} keeps changing hands; try again")
        started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        note = json.dumps({"pid": os.getpid(), "purpose": self.purpose, "started": started})
        os.ftruncate(fd, 0)
        os.pwrite(fd, note.encode("utf-8") + b"\n", 0)
        self._fd = fd

    def _open(self) -> int:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK,
                         0o644)
        except (IsADirectoryError, NotADirectoryError):
            raise InvalidFolder(self.folder, f"{LOCK} is not a file") from None
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENXIO):  # a symbolic link, a socket
                raise InvalidFolder(self.folder, f"{LOCK} is not a file") from None
            raise
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise InvalidFolder(self.folder, f"{LOCK} is not a file")
        return fd

    def _is_current(self, fd: int) -> bool:
        """Whether the file we locked is still the folder's lock file (not one its previous
        holder removed after we opened it)."""
        try:
            here = os.stat(self.path, follow_symlinks=False)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)

    def release(self) -> None:
        """Let go of the folder and remove the lock file (and the folder, if this lock made it
        and it stayed empty)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if self._is_current(fd):
                with contextlib.suppress(OSError):
                    self.path.unlink()
            if self._created:
                with contextlib.suppress(OSError):  # not empty: something was written
                    self.folder.rmdir()
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> "FolderLock":
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


@contextlib.contextmanager
def hold(locks: list[FolderLock]) -> Iterator[list[FolderLock]]:
    """Hold every lock of ``locks`` (in order) for the ``with`` block; all or none."""
    with contextlib.ExitStack() as stack:
        for lock in locks:
            stack.enter_context(lock)
        yield locks
