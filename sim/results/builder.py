"""From the chunks workers send back to one :class:`~sim.results.core.Results`.

Chunks may arrive in any order; they are consumed strictly in replication order and the
series sums are added block by block in that order, so the results are the same whatever
the order the workers finished in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.outcomes import OUTCOMES
from sim.results.codec import empty_codes
from sim.results.core import FigureWriter, Results
from sim.results.inputs import scenario_inputs
from sim.results.series import (
    SERIES_NAMES, SERIES_QUANTILE_RUNS, KeptSummary, first_month_ends, summarise_kept,
    with_means,
)


@dataclass
class ChunkData:
    """Compact results of the replications ``start <= i < stop`` (failed ones left out).

    ``block_sums[b]`` is the sum of the series over the successful replications of the
    ``b``-th :data:`~sim.results.series.SERIES_BLOCK` block inside the chunk and
    ``block_counts[b]`` their number; ``kept_series`` holds the full series of successful
    replications with index below :data:`~sim.results.series.SERIES_QUANTILE_RUNS` (in order).
    """

    start: int
    stop: int
    replications: np.ndarray
    codes: dict[str, np.ndarray]
    block_sums: np.ndarray
    block_counts: np.ndarray
    kept_series: np.ndarray
    csv: str
    errors: list[dict[str, Any]] = field(default_factory=list)
    failed: bool = False  # stopped at an error (without keep-going): incomplete, never committed
    scenario: int = 0  # index of the scenario in a batch run
    cpu_seconds: float = 0.0  # CPU time the worker spent on this chunk (diagnostics only)
    wait_seconds: float = 0.0  # time it was ready to run but waited for a CPU (Linux only)
    #: The drawn parameters of the successful replications (:mod:`~sim.results.inputs`).
    inputs: dict[str, np.ndarray] = field(default_factory=dict)


class ResultsBuilder:
    """Assembles chunks, which may arrive in any order, into arrays in replication order.

    Chunks are consumed strictly in index order (early arrivals wait in ``pending``), and the
    series sums are added block by block in that order, so the outcome is the same whatever
    the order the workers finished in.
    """

    def __init__(self, capacity: int = 0, *, keep_codes: bool = True,
                 keep_series: bool = True) -> None:
        self.keep_codes = keep_codes
        #: whether the replications' series are kept for the quantiles and the sample (the
        #: means are always formed): an analysis that reads the outcomes alone needs neither
        self.keep_series = keep_series
        self.capacity = max(int(capacity), 16)
        self.codes = empty_codes(self.capacity if keep_codes else 0)
        self.inputs: dict[str, np.ndarray] | None = None  # created by the first chunk
        self.category_totals = {o.name: np.zeros(len(o.categories), dtype=np.int64)
                                for o in OUTCOMES if o.kind == "category"}
        self.replications = np.empty(self.capacity, dtype=np.int64)
        self.n = 0
        self.next_start = 0
        self.pending: dict[int, ChunkData] = {}
        self.total: np.ndarray | None = None
        self.count = 0
        self.kept: np.ndarray | None = None
        self.kept_n = 0
        #: the kept replications summarised, once all of them are in (their buffer freed)
        self.kept_summary: KeptSummary | None = None
        self.errors: list[dict[str, Any]] = []
        self.series_length: int | None = None
        self.cpu_seconds = 0.0
        self.wait_seconds = 0.0

    def add(self, chunk: ChunkData) -> None:
        if chunk.start < self.next_start or chunk.start in self.pending:
            raise ValueError(f"chunk starting at replication {chunk.start} received twice")
        self.pending[chunk.start] = chunk
        while self.next_start in self.pending:
            self._consume(self.pending.pop(self.next_start))

    def _grow(self, need: int) -> None:
        if need <= self.capacity:
            return
        cap = max(need, self.capacity * 2)
        for table in (self.codes, self.inputs or {}):
            for name, arr in table.items():
                if not self.keep_codes:
                    break
                grown = np.empty(cap, dtype=arr.dtype)
                grown[: self.n] = arr[: self.n]
                table[name] = grown
        reps = np.empty(cap, dtype=np.int64)
        reps[: self.n] = self.replications[: self.n]
        self.replications = reps
        self.capacity = cap

    def _consume(self, chunk: ChunkData) -> None:
        k = int(chunk.replications.size)
        self._grow(self.n + k)
        for name, arr in chunk.codes.items():
            if self.keep_codes:
                self.codes[name][self.n: self.n + k] = arr
            totals = self.category_totals.get(name)
            if totals is not None:
                totals += np.bincount(arr[arr >= 0].astype(np.int64), minlength=totals.size)
        if self.keep_codes:
            if self.inputs is None:
                self.inputs = {name: np.empty(self.capacity, dtype=arr.dtype)
                               for name, arr in chunk.inputs.items()}
            for name, arr in chunk.inputs.items():
                self.inputs[name][self.n: self.n + k] = arr
        self.replications[self.n: self.n + k] = chunk.replications
        self.n += k
        sums, counts = chunk.block_sums, chunk.block_counts
        for b in range(counts.shape[0]):
            if counts[b]:
                if self.total is None:
                    self.total = np.zeros(sums.shape[1:], dtype=np.float64)
                    self.series_length = int(sums.shape[-1])
                self.total = self.total + sums[b]
                self.count += int(counts[b])
        room = SERIES_QUANTILE_RUNS - self.kept_n if self.keep_series else 0
        if room > 0 and chunk.kept_series.shape[0]:
            part = chunk.kept_series[:room]
            if self.kept is None:  # one buffer, filled in place: no copies when finishing
                self.kept = np.empty((SERIES_QUANTILE_RUNS, *part.shape[1:]), dtype=np.float64)
            self.kept[self.kept_n: self.kept_n + part.shape[0]] = part
            self.kept_n += int(part.shape[0])
            if self.kept_n == SERIES_QUANTILE_RUNS:  # nothing more joins it: summarise, free
                self.kept_summary = summarise_kept(self.kept, self.kept.shape[-1])
                self.kept = None
        self.errors.extend(chunk.errors)
        self.cpu_seconds += chunk.cpu_seconds
        self.wait_seconds += chunk.wait_seconds
        self.next_start = chunk.stop

    def category_counts(self, name: str) -> np.ndarray:
        """Count of each category (missing left out) over the replications consumed so far."""
        return self.category_totals[name].copy()

    def finish(self, scenario: Any, manifest: dict[str, Any], months: list[dt.date] | None,
               codes: Mapping[str, np.ndarray] | None = None, *,
               inputs: Mapping[str, np.ndarray] | None = None,
               figures: FigureWriter | None = None) -> Results:
        """The Results; ``codes`` (and ``inputs``) replace the arrays when they were not kept
        in memory."""
        n = self.n
        if codes is None:
            if not self.keep_codes:
                raise ValueError("outcome arrays were not kept: pass them as `codes`")
            codes = {k: (v[:n].copy() if self.capacity > n else v)
                     for k, v in self.codes.items()}
            if self.inputs is not None:
                inputs = {k: (v[:n].copy() if self.capacity > n else v)
                          for k, v in self.inputs.items()}
        self.inputs = None
        reps = self.replications[:n].copy() if self.capacity > n else self.replications
        self.codes = {}
        length = self.series_length or (len(months) if months else 0)
        if months is None or len(months) != length:
            months = first_month_ends(length)
        kept = self.kept_summary
        if kept is None:
            kept = summarise_kept(self.kept[: self.kept_n] if self.kept is not None
                                  else np.empty((0, len(SERIES_NAMES), length)), length)
        self.kept = self.kept_summary = None
        total = self.total if self.total is not None else np.zeros((len(SERIES_NAMES), length))
        series = with_means(months, kept, total, self.count)
        if inputs is None and n == 0:  # no chunk said what was drawn: nothing was
            inputs = {s.name: np.empty(0, dtype=s.dtype) for s in scenario_inputs(scenario)}
        return Results(scenario, manifest, reps, codes, series, self.errors, inputs=inputs,
                       figures=figures)
