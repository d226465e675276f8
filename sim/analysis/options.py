"""What an analysis may be asked for: a seed, and a size that fits in memory.

The memory an analysis or a sweep will need is estimated from its size before anything is
sampled or run, so that an absurd option (``sim explain --runs 10000000000000``) is refused at
once with what it would need instead of failing in an allocation, or after the simulations.

An analysis holds every scenario it runs in memory until it ends: ``sim explain`` runs the
``2**k`` factor combinations, ``sim sensitivity`` and ``sim discover`` one scenario per sample
point and ``sim sweep`` one per grid point, each for R replications with one seed.  The costs
below were measured on the campaign model (what the parent process allocates, traced, and the
monthly series it fills in) and rounded up; a model with many more outcomes or series needs
more.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from sim.engine import pick_seed
from sim.errors import UserError
from sim.results import SERIES_QUANTILE_RUNS
from sim.scenario.quoting import clip

#: A scenario's results besides their replications: the scenario, its manifest and summary.
SCENARIO_BYTES = 70_000
#: One replication among the first SERIES_QUANTILE_RUNS of its scenario, whose monthly series
#: are kept until the run ends (for the fan charts' quantiles).
KEPT_REPLICATION_BYTES = 4_000
#: Every replication: its outcomes, and its values in the analysis.
REPLICATION_BYTES = 600
#: One coordinate of a sample point: in the unit design and as a parameter value in the point.
DESIGN_VALUE_BYTES = 120
#: The limit where the machine's memory cannot be read: half of a modest machine's.
FALLBACK_LIMIT = 8 * 2**30


def memory_limit() -> int:
    """What an analysis may use: half of this machine's memory."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not a POSIX system
        return FALLBACK_LIMIT


def results_memory(scenarios: int, replications: int, *, series: bool = True) -> int:
    """Bytes held by ``scenarios`` scenarios of ``replications`` replications each (without
    the replications' monthly series when not ``series``: ``run_batch(keep_series=False)``)."""
    kept = min(replications, SERIES_QUANTILE_RUNS) if series else 0
    per_scenario = SCENARIO_BYTES + kept * KEPT_REPLICATION_BYTES + replications * REPLICATION_BYTES
    return scenarios * per_scenario


def design_memory(points: int, dimensions: int) -> int:
    """Bytes of a design of ``points`` sample points over ``dimensions`` parameters."""
    return points * dimensions * DESIGN_VALUE_BYTES


def bootstrap_memory(rows: int, replications: int, resamples: int) -> int:
    """Bytes of a bootstrap over ``replications`` columns of ``rows`` rows: the resampling
    counts (integers, then floats) and the resampled means of every row."""
    return resamples * (16 * replications + 32 * rows)


def check_memory(needed: int, what: str, advice: str) -> None:
    """Refuse, in one line, work that would need more memory than :func:`memory_limit`.

    ``what`` says what was asked (``"explain: 64 factor combinations x 500 runs"``) and
    ``advice`` which options to lower."""
    limit = memory_limit()
    if needed > limit:
        raise UserError(
            f"{what} would need about {format_bytes(needed)} of memory, more than the "
            f"{format_bytes(limit)} an analysis may use here (half of this machine's memory); "
            f"{advice}"
        )


def format_bytes(n: int) -> str:
    """``12 GB``, ``3.2 PB``: a size for a message, in powers of 1000."""
    for power, unit in enumerate(("bytes", "kB", "MB", "GB", "TB", "PB", "EB")):
        if n < 999.5 * 1000**power:  # under 1000 once rounded to three digits
            return f"{n / 1000**power:.3g} {unit}"
    return f"{format_count(n)} bytes"


def format_count(n: int) -> str:
    """``1,099,511,627,776``; a count too long to read (an option of 300 digits times a design
    size) as ``about 3.71e+310``, without converting it to a float."""
    if abs(n) < 10**15:
        return f"{n:,}"
    sign, n = ("-" if n < 0 else ""), abs(int(n))
    exponent = int(math.log10(n))  # exact for ints of any size, up to rounding near a power
    while n >= 10 ** (exponent + 1):
        exponent += 1
    while n < 10**exponent:
        exponent -= 1
    return f"about {sign}{n // 10 ** (exponent - 2) / 100:.2f}e+{exponent}"


def check_count(value: Any, option: str, minimum: int, purpose: str = "") -> int:
    """A count an analysis is asked for (runs, samples, resamples) as an int >= ``minimum``,
    or a one-line error naming ``option`` (and ``purpose``, what the minimum is for)."""
    whole = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not whole or value < minimum:
        shown = format_count(value) if whole else clip(repr(value), 40)
        raise UserError(f"{option}: expected a whole number >= {minimum}"
                        f"{' ' + purpose if purpose else ''}, got {shown}")
    return int(value)


def check_seed(seed: int | None) -> int | None:
    """A seed given to an analysis, checked as the engine checks it (None: a fresh one), before
    the designs that use it are sampled."""
    return None if seed is None else pick_seed(seed)
