"""What a run may be asked for, checked, and the defaults when it is not asked.

Every mistake is a :class:`~sim.errors.UserError` naming the command-line option, so the CLI
and the Python API report it the same way.
"""

from __future__ import annotations

import math
import os
import secrets
from typing import Any

import numpy as np

from sim.errors import UserError
from sim.outcomes import OUTCOMES
from sim.results import SERIES_BLOCK
from sim.results.validation import outcome_dtype

DEFAULT_RUNS = 1000


def pick_seed(seed: int | None) -> int:
    """The run's root seed: ``seed`` checked, or a random one (recorded) when not given."""
    if seed is None:
        return secrets.randbelow(2**31)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise UserError(f"--seed: expected a whole number >= 0, got {seed!r}")
    return int(seed)


def check_runs(runs: Any, what: str = "--runs") -> int:
    """``runs`` as an int >= 1; ``what`` names the option in the error."""
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise UserError(f"{what}: expected a whole number >= 1, got {runs!r}")
    return int(runs)


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS
        return max(1, os.cpu_count() or 1)


def check_workers(workers: int | None) -> int:
    """Worker processes to use: ``workers`` checked, or all cores."""
    if workers is None:
        return default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise UserError(f"--workers: expected a whole number >= 1, got {workers!r}")
    return workers


def default_chunk_size(runs: int, workers: int) -> int:
    """About 16 chunks per worker (load balance) within [100, 2000] replications, a multiple
    of the series block so that chunking never changes a result."""
    per = math.ceil(runs / max(1, workers * 16))
    size = math.ceil(per / SERIES_BLOCK) * SERIES_BLOCK
    return int(min(max(size, SERIES_BLOCK), 20 * SERIES_BLOCK))


def check_chunk_size(chunk_size: int) -> int:
    """An asked chunk size, checked and rounded up to whole series blocks."""
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise UserError(f"chunk size: expected a whole number >= 1, got {chunk_size!r}")
    # Round up so that chunk boundaries fall on series blocks (results never depend on it).
    return math.ceil(chunk_size / SERIES_BLOCK) * SERIES_BLOCK


#: Bytes a run holds per replication whatever it keeps: its index, and while the files are
#: finished one outcome column twice (its parts and their concatenation) plus a filtered copy.
_BYTES_PER_RUN = 8 + 3 * 8
#: Bytes per replication of the outcome table, held by a run that keeps it in memory.
_TABLE_BYTES_PER_RUN = sum(outcome_dtype(o).itemsize for o in OUTCOMES)


def check_memory(runs: int, *, in_memory: bool, what: str, scenarios: int = 1) -> None:
    """Refuse up front a run whose arrays could not fit in this machine's memory, rather
    than fail to allocate them (or swap for hours) once it has started."""
    per_run = _BYTES_PER_RUN + (_TABLE_BYTES_PER_RUN if in_memory else 0)
    need = runs * scenarios * per_run
    have = physical_memory()
    if have is not None and need > have:
        most = have // (per_run * scenarios)
        raise UserError(f"{what} {runs:,}: a run this size needs about {_size(need)} of memory "
                        f"for its results, more than this machine's {_size(have)}; expected at "
                        f"most about {most:,} replications{' per scenario' * (scenarios > 1)} "
                        "(or several runs with different seeds)")


def physical_memory() -> int | None:
    """Bytes of memory this machine has (None where the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - Windows
        return None


def _size(n: float) -> str:
    units = ("bytes", "KB", "MB", "GB", "TB", "PB", "EB")
    k = 0
    while n >= 1000 and k < len(units) - 1:
        n /= 1000
        k += 1
    return f"{n:,.0f} bytes" if k == 0 else f"{n:,.1f} {units[k]}"
