"""The monthly series of a run, summarised in a size that does not grow with the runs.

Mean over every replication, quantiles over the first :data:`SERIES_QUANTILE_RUNS`
replications and a sample of the first :data:`SERIES_SAMPLE_RUNS`, chosen by replication
index so that the summary is the same whatever the number of workers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sim import stats
from sim.outcomes import SERIES, SIM_START, month_ends

#: Series quantiles are computed over the first this-many replications (by index).
SERIES_QUANTILE_RUNS = 10_000
#: Per-replication series kept for plots (spaghetti lines, fan charts): the first this-many.
SERIES_SAMPLE_RUNS = 1_000
#: Series sums are formed over fixed blocks of replication indices and then added block by
#: block, so the mean is bit-identical whatever the chunking.  Chunk boundaries are multiples.
SERIES_BLOCK = 100

SERIES_NAMES: tuple[str, ...] = tuple(SERIES)
QUANTILE_KEYS: tuple[str, ...] = (*stats.QUANTILES, "mean")


@dataclass
class SeriesSummary:
    """Monthly series over many replications, bounded in size whatever the number of runs."""

    months: list[dt.date]
    quantiles: dict[str, dict[str, np.ndarray]]
    sample: dict[str, np.ndarray]
    quantile_runs: int = 0

    @property
    def names(self) -> list[str]:
        return list(self.quantiles)

    def to_npz(self) -> dict[str, np.ndarray]:
        """The arrays of series.npz (``NAME.QUANTILE``, ``NAME.sample``, months)."""
        out: dict[str, np.ndarray] = {
            "months": np.array([m.isoformat() for m in self.months], dtype="datetime64[D]"),
            "quantile_runs": np.array(self.quantile_runs, dtype=np.int64),
        }
        for name, qs in self.quantiles.items():
            for q, arr in qs.items():
                out[f"{name}.{q}"] = arr
            out[f"{name}.sample"] = self.sample[name]
        return out

    @classmethod
    def from_npz(cls, data: Mapping[str, np.ndarray]) -> "SeriesSummary":
        months = [dt.date.fromisoformat(str(m)) for m in data["months"]]
        names = sorted({k.split(".", 1)[0] for k in data if "." in k},
                       key=lambda s: SERIES_NAMES.index(s) if s in SERIES_NAMES else 99)
        quantiles = {n: {q: np.asarray(data[f"{n}.{q}"]) for q in QUANTILE_KEYS} for n in names}
        sample = {n: np.asarray(data[f"{n}.sample"]) for n in names}
        return cls(months, quantiles, sample, int(data["quantile_runs"]))


@dataclass
class KeptSummary:
    """The quantiles and the sample of the kept replications (the series summary but its
    means): all a run needs of them once the first :data:`SERIES_QUANTILE_RUNS` are in, so
    that their buffer (about 70 MB for the historical scenario) need not be held to the end."""

    quantiles: dict[str, dict[str, np.ndarray]]
    sample: dict[str, np.ndarray]
    runs: int


def summarise_kept(kept: np.ndarray, months: int) -> KeptSummary:
    """Quantiles and sample of the kept replications (S series x ``months`` months each)."""
    quantiles: dict[str, dict[str, np.ndarray]] = {}
    sample: dict[str, np.ndarray] = {}
    for s, name in enumerate(SERIES_NAMES):
        rows = kept[:, s, :] if kept.size else np.empty((0, months))
        if rows.shape[0]:
            qv = np.quantile(rows, list(stats.QUANTILES.values()), axis=0)
            quantiles[name] = {k: qv[j] for j, k in enumerate(stats.QUANTILES)}
        else:
            quantiles[name] = {k: np.full(months, np.nan) for k in stats.QUANTILES}
        sample[name] = np.ascontiguousarray(rows[:SERIES_SAMPLE_RUNS])
    return KeptSummary(quantiles, sample, int(min(kept.shape[0], SERIES_QUANTILE_RUNS)))


def with_means(months: list[dt.date], kept: KeptSummary, total: np.ndarray,
               count: int) -> SeriesSummary:
    """The series summary: the kept replications' quantiles and sample, and the means over
    every replication from the sums."""
    quantiles: dict[str, dict[str, np.ndarray]] = {}
    for s, name in enumerate(SERIES_NAMES):
        quantiles[name] = {**kept.quantiles[name],
                           "mean": total[s] / count if count else np.full(len(months), np.nan)}
    return SeriesSummary(months, quantiles, kept.sample, kept.runs)


def summarise_series(months: list[dt.date], kept: np.ndarray, total: np.ndarray,
                     count: int) -> SeriesSummary:
    """Series summary from the kept replications (S series x M months each) and the sums."""
    return with_means(months, summarise_kept(kept, len(months)), total, count)


def first_month_ends(count: int) -> list[dt.date]:
    """The first ``count`` month ends from January 1939 (when the horizon is not known)."""
    if count <= 0:
        return []
    last = SIM_START.year * 12 + SIM_START.month - 1 + count - 1
    return month_ends(dt.date(last // 12, last % 12 + 1, 1))
