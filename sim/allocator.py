"""The C allocator of the ``sim`` command: large blocks go back to the system once freed.

Why: glibc serves a block larger than its mmap threshold (128 KiB at first) with ``mmap`` and
unmaps it on ``free``; but after the first such free it raises the threshold to that block's
size (up to 32 MiB), so later blocks of that size come from the heap, whose freed memory
mostly stays in the process.  The parent of a run receives, unpickles, writes and copies
every chunk's kept series (14 MB a chunk at 2,000 replications) and frees each soon after,
from two threads (two heaps): with the moving threshold it kept about 25 MB it no longer
used (``benchmarks/memory.py``: a peak of 197-214 MB against 177-180 MB with the threshold
fixed).  Fixing the threshold at 1 MiB keeps the parent's memory to what it holds; a block
that large costs a few page faults more to get, nothing next to what it carries.

Only the ``sim`` command sets it (it owns its process); ``import sim`` in a notebook leaves
the allocator of the user's process as it is.  Linux with glibc only; elsewhere nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform

#: ``mallopt`` parameter number of the mmap threshold (glibc's ``<malloc.h>``).
M_MMAP_THRESHOLD = -3
#: Blocks at least this large are mapped and unmapped on their own.
MMAP_THRESHOLD = 1 << 20


def fix_mmap_threshold(threshold: int = MMAP_THRESHOLD) -> bool:
    """Fix glibc's mmap threshold at ``threshold`` bytes; whether it was set (False where the
    C library is not glibc or refuses)."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return bool(libc.mallopt(ctypes.c_int(M_MMAP_THRESHOLD), ctypes.c_int(threshold)))
    except (OSError, AttributeError):
        return False
