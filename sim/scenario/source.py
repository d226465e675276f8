"""Reading a scenario file's bytes: a regular file, below a size limit, read with a bound.

A scenario path is user input and may name anything: ``/dev/zero`` or ``/dev/urandom`` (endless
data), a FIFO (an ``open`` or a ``read`` that waits forever), a directory, a 50 MB log, a name
longer than the file system allows.  The file is opened without blocking, checked to be a
regular file, and never read past :data:`MAX_FILE_BYTES`, so none of these can hang the
program or fill its memory; each becomes an :class:`UnreadableFile` that the caller words as
a problem of the file itself or of the ``extends`` that named it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: The largest scenario file read (1 MiB): real scenarios are a few kilobytes.
MAX_FILE_BYTES = 1 << 20

#: Open flags: never wait for a FIFO's writer or a device, never acquire a terminal (a regular
#: file reads the same without blocking).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)

_SPECIAL_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)


class UnreadableFile(Exception):
    """A path that cannot be read as a scenario file.

    ``problem`` completes "FILE: ..." (the file given on the command line); ``clause``
    completes "extends `FILE`, which ..." (a file named by another one's ``extends``);
    ``missing`` says that nothing is there at all (so the name may have been meant as the name
    of an installed scenario).
    """

    def __init__(self, problem: str, clause: str, missing: bool = False) -> None:
        super().__init__(problem)
        self.problem = problem
        self.clause = clause
        self.missing = missing


def shown_path(label: str, limit: int = 120) -> str:
    """A path quoted in a message: a name too long to be a file keeps its two ends."""
    if len(label) <= limit:
        return label
    keep = (limit - 3) // 2
    return f"{label[:keep]}...{label[-keep:]}"


def _name_too_long(path: Path) -> str:
    """Which limit a name the system refused as too long exceeds: one part, or the whole."""
    longest = max((len(os.fsencode(part)) for part in path.parts), default=0)
    if longest > 255:
        return f"{longest:,} bytes in one part of the path; at most 255 on most systems"
    return (f"a path of {len(os.fsencode(path)):,} bytes; at most 4,096 on most systems")


def _not_regular(mode: int) -> str | None:
    """What a file that is no regular file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _SPECIAL_KINDS if test(mode)),
                "is not a regular file")


def read_bounded(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most :data:`MAX_FILE_BYTES`.

    Raises :class:`UnreadableFile` for anything else that can be known without reading
    (a directory, a FIFO, a device, a file too large) and ``OSError`` when the system refuses.
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        what = _not_regular(info.st_mode)
        if what is not None:
            raise UnreadableFile(f"{what}; expected a scenario YAML file", what)
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(info.st_size)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:  # st_size can lie (a file still growing, /proc)
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise _too_large(None)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _too_large(size: int | None) -> UnreadableFile:
    """The file is larger than the limit: ``size`` bytes, or (None) more than were read."""
    shown = f"{size:,}" if size is not None else f"more than {MAX_FILE_BYTES:,}"
    what = f"is too large ({shown} bytes; a scenario file is at most {MAX_FILE_BYTES:,} bytes)"
    return UnreadableFile(f"{what}; expected a scenario YAML file", what)


def read_scenario_bytes(path: Path) -> bytes:
    """The bytes of a scenario file, or :class:`UnreadableFile` saying why there are none."""
    try:
        raw = read_bounded(path)
    except ValueError:  # os.open refuses a NUL character before the system sees the name
        raise UnreadableFile("file name contains a NUL character; expected a scenario YAML file",
                             "has a NUL character in its name") from None
    except FileNotFoundError:
        raise UnreadableFile("file not found; expected a scenario YAML file",
                             "does not exist", missing=True) from None
    except NotADirectoryError:
        raise UnreadableFile("file not found (a part of the path is a file, not a folder); "
                             "expected a scenario YAML file",
                             "does not exist (a part of its path is a file, not a folder)",
                             missing=True) from None
    except IsADirectoryError:
        raise UnreadableFile("is a directory; expected a scenario YAML file",
                             "is a directory") from None
    except PermissionError:
        raise UnreadableFile("cannot read the file: permission denied",
                             "cannot be read: permission denied") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            detail = f"too long for the file system ({_name_too_long(path)})"
            raise UnreadableFile(f"file name {detail}; expected a scenario YAML file",
                                 f"has a name {detail}") from None
        reason = exc.strerror or str(exc)
        raise UnreadableFile(f"cannot read the file: {reason}",
                             f"cannot be read: {reason}") from None
    return raw
