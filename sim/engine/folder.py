"""Where a run writes on disk, held for the whole run: the folder it writes and the folder it
replaces, each under its lock.

A run into a new or empty ``DIR`` writes ``DIR`` itself.  A run that replaces results
(``--force``) builds ``DIR.partial`` beside them and swaps it in only when complete; it holds
the locks of both from its first check to the swap, so no other writer (a run, a resume, a
second ``--force``) can write either in the meantime, and the folder it replaces is never
swapped away under a run still writing it.  A resumed ``DIR.partial`` replaces the folder its
name says, never a path its manifest could name.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sim.results import (
    LOCK, MANIFEST, FolderLock, InvalidFolder, Results, check_target, holds_nothing,
    storage_error, swap_into_place,
)

#: What a folder built beside the results it will replace is called: ``DIR.partial``.
PARTIAL_SUFFIX = ".partial"


class RunFolder:
    """The folder a run writes (``folder``) and the one it ends up as (``target``)."""

    def __init__(self, folder: Path, target: Path, locks: list[FolderLock]) -> None:
        self.folder = folder
        self.target = target
        self._locks = locks

    @classmethod
    @contextlib.contextmanager
    def new(cls, target: Path, *, force: bool, purpose: str) -> Iterator["RunFolder"]:
        """Hold the folder of a run that starts: ``target`` if it holds nothing yet, else
        (with ``force``, over results only) ``target.partial``, emptied of an abandoned
        earlier attempt."""
        check_target(target, force)  # before creating anything
        with contextlib.ExitStack() as held:
            first = _take(held, FolderLock(target, purpose, create=True), "nothing was written")
            check_target(target, force)  # again: another writer may have filled it meanwhile
            if holds_nothing(target):
                yield cls(target, target, [first])
                return
            folder = partial_of(target)
            second = _take(held, FolderLock(folder, purpose, create=True), "nothing was written")
            for stale in folder.iterdir():
                if stale.name != LOCK:
                    shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
            yield cls(folder, target, [first, second])

    @classmethod
    @contextlib.contextmanager
    def existing(cls, folder: Path, manifest: dict[str, Any], *,
                 purpose: str) -> Iterator["RunFolder"]:
        """Hold the folder of a run that goes on (``--resume``), and the folder it will
        replace when it was building beside one."""
        target = replaced_by(folder, manifest)
        with contextlib.ExitStack() as held:
            locks = []
            if target != folder:
                locks.append(_take(held, FolderLock(target, purpose, create=True),
                                   f"nothing was changed in {folder}"))
            locks.append(_take(held, FolderLock(folder, purpose),
                               f"nothing was changed in {folder}"))
            yield cls(folder, target, locks)

    def settle(self, results: Results, resume: str) -> Results:
        """Let go of a finished folder and move it to its target when it was built beside it;
        ``resume`` is the command that finishes the move if the disk refuses it."""
        self._locks[-1].release()
        if self.target != self.folder:
            try:
                check_target(self.target, force=True)
                swap_into_place(self.folder, self.target)
            except OSError as exc:
                raise storage_error(
                    exc, f"the new results are complete in {self.folder} and the old ones are "
                    f"untouched in {self.target}", retry=f"`{resume}` moves them into place"
                ) from None
        results.relocate(self.target)
        return results


def partial_of(target: Path) -> Path:
    """The folder a run replacing ``target`` is built in."""
    return target.parent / f"{target.name}{PARTIAL_SUFFIX}"


def replaced_by(folder: Path, manifest: dict[str, Any]) -> Path:
    """The folder ``folder`` will replace when complete: itself, or (when its manifest says it
    was built beside one) the sibling its name says, ``DIR`` for ``DIR.partial``."""
    recorded = manifest.get("target")
    if recorded is None:
        return folder
    if not folder.name.endswith(PARTIAL_SUFFIX) or \
            Path(recorded).name != folder.name[: -len(PARTIAL_SUFFIX)]:
        raise InvalidFolder(folder, f"{MANIFEST} `target` {recorded!r}: a run that replaces "
                            f"a folder is built beside it as FOLDER{PARTIAL_SUFFIX}")
    return folder.parent / Path(recorded).name


def _take(held: contextlib.ExitStack, lock: FolderLock, kept: str) -> FolderLock:
    """Acquire ``lock`` for the life of ``held``; a disk that refuses even the lock file is
    reported as one line saying ``kept``."""
    try:
        return held.enter_context(lock)
    except OSError as exc:
        raise storage_error(exc, kept) from None
