"""Whether results pair by replication, and the interval of a difference when they do not."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.stats import Z95


def welch_difference(x: np.ndarray, base: np.ndarray, z: float = Z95
                     ) -> tuple[float, float, float]:
    """Difference of two independent means with a normal (Welch) 95 % interval."""
    a = np.asarray(x, dtype=float)
    b = np.asarray(base, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size < 2 or b.size < 2:
        d = float(a.mean() - b.mean()) if a.size and b.size else math.nan
        return d, math.nan, math.nan
    d = float(a.mean() - b.mean())
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    return d, d - z * se, d + z * se


def pairing(results: Sequence[Any]) -> tuple[bool, str]:
    """Whether results can be paired by replication index, and a sentence saying why."""
    entropies = {str((r.manifest or {}).get("entropy", (r.manifest or {}).get("seed")))
                 for r in results}
    sizes = {int(r.n) for r in results}
    if len(entropies) == 1 and "None" not in entropies and len(sizes) == 1:
        return True, ("Differences are paired by replication (same seed and run count: common "
                      "random numbers); 95% intervals.")
    why = []
    if len(entropies) != 1 or "None" in entropies:
        seeds = ", ".join(str((r.manifest or {}).get("seed")) for r in results)
        why.append(f"seeds differ ({seeds})")
    if len(sizes) != 1:
        why.append(f"run counts differ ({', '.join(str(int(r.n)) for r in results)})")
    return False, ("UNPAIRED comparison: " + " and ".join(why) + "; the differences use "
                   "independent-sample (Welch) 95% intervals, which are wider. Re-run with the "
                   "same --seed and --runs to pair them.")
