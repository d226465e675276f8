"""The state of one scenario's run while its chunks come in: which chunks are left, the
builder they go into, the ledger that keeps them on disk, the manifest and the progress line."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.engine.executors import Executor, Task
from sim.engine.precision import next_target
from sim.engine.provenance import now
from sim.engine.worker import series_months
from sim.progress import Progress
from sim.results import (
    ChunkData, ChunkLedger, FigureWriter, LedgerEntry, Results, ResultsBuilder, assemble,
    finished_columns, finished_inputs, folder_tables, scenario_inputs, write_manifest,
    write_outputs,
)

#: Errors listed in full in the manifest (the count is always exact).
MAX_LISTED_ERRORS = 1000
#: Seconds between two saves of a running manifest's counts.
_SAVE_INTERVAL = 2.0


class StopOnError(Exception):
    """A replication failed in a run that does not keep going."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error["error"])
        self.error = error


class ScenarioRun:
    """State of one scenario's run: its builder, ledger, manifest and progress."""

    def __init__(self, scenario: Any, manifest: dict[str, Any], folder: Path | None,
                 progress: Progress, recorded: dict[int, LedgerEntry] | None = None, *,
                 figures: FigureWriter | None = None, keep_series: bool = True) -> None:
        self.scenario = scenario
        self.manifest = manifest
        self.folder = folder
        self.inputs = scenario_inputs(scenario)
        self.ledger = ChunkLedger(folder, self.inputs) if folder is not None else None
        self.recorded = recorded or {}
        self.progress = progress
        self.figures = figures
        # A run written to disk keeps its outcome arrays there, not in memory.
        self.builder = ResultsBuilder(int(manifest["runs_requested"]),
                                      keep_codes=folder is None, keep_series=keep_series)
        self.months = series_months(scenario)
        self._last_save = 0.0
        self._t0 = time.monotonic()

    # -- planning ------------------------------------------------------------------------

    def tasks(self, upto: int, si: int = 0) -> list[Task]:
        """Chunks still to compute for replications < upto (skipping recorded ones)."""
        size = int(self.manifest["chunk_size"])
        out: list[Task] = []
        pos = self.builder.next_start
        starts = sorted(s for s in self.recorded if s >= pos)
        while pos < upto:
            if pos in self.recorded:
                pos = self.recorded[pos].stop
                continue
            stop = min((pos // size + 1) * size, upto)
            later = [s for s in starts if s > pos]
            if later:
                stop = min(stop, later[0])
            out.append((si, pos, stop))
            pos = stop
        return out

    def done_before(self) -> int:
        """Replications recorded before this invocation (a resume starts its count there)."""
        return sum(e.stop - e.start for e in self.recorded.values())

    # -- receiving -----------------------------------------------------------------------

    def accept(self, chunk: ChunkData) -> None:
        """Take a finished chunk: onto disk first (if the run has a folder), then the builder."""
        if chunk.failed:
            self.builder.errors.extend(chunk.errors)
            raise StopOnError(chunk.errors[0])
        if self.ledger is not None:
            self.recorded[chunk.start] = self.ledger.record(chunk)
        self.builder.add(chunk)
        self.drain()
        self.progress.advance(chunk.stop - chunk.start)
        self.save_progress()

    def drain(self) -> None:
        """Feed chunks finished before a resume, when their turn comes."""
        while self.ledger is not None and self.builder.next_start in self.recorded \
                and self.builder.next_start not in self.builder.pending:
            entry = self.recorded[self.builder.next_start]
            if entry.start < self.builder.next_start:
                break
            months = None if self.months is None else len(self.months)
            self.builder.add(self.ledger.load(entry, months))

    def counts(self) -> tuple[int, int]:
        """(successful, failed) replications safely recorded so far."""
        if self.ledger is not None:
            return (sum(e.completed for e in self.recorded.values()),
                    sum(len(e.errors) for e in self.recorded.values()))
        return self.builder.n, len(self.builder.errors)

    def save_progress(self, force: bool = False) -> None:
        """Write the counts so far into the folder's manifest (at most every few seconds)."""
        if self.folder is None:
            return
        t = time.monotonic()
        if not force and t - self._last_save < _SAVE_INTERVAL:
            return
        self._last_save = t
        done, failed = self.counts()
        self.manifest["runs_completed"] = done
        self.manifest["runs_failed"] = failed
        write_manifest(self.folder, self.manifest)

    def mark(self, status: str, errors: Sequence[dict[str, Any]] = ()) -> None:
        """Record that the run stopped (``interrupted``, ``failed``) and why, on disk now."""
        self.manifest["status"] = status
        self.manifest["finished"] = now()
        if errors:
            listed = self.manifest.setdefault("errors", [])
            listed.extend(e for e in errors if e not in listed)
        self.save_progress(force=True)

    # -- the loop ------------------------------------------------------------------------

    def execute(self, executor: Executor) -> None:
        """Compute every chunk still missing (and, with a precision, more until it is met)."""
        self.drain()
        target = int(self.manifest["runs_requested"])
        wanted = self.manifest.get("precision")
        while True:
            for chunk in executor.run(self.tasks(target)):
                self.accept(chunk)
            self.drain()
            if wanted is None:
                return
            following = next_target(self.builder, wanted, target,
                                    int(self.manifest["chunk_size"]))
            if following is None:
                return
            target = following
            self.manifest["runs_requested"] = target
            self.progress.set_total(target)
            self.save_progress(force=True)

    def finish(self) -> Results:
        """The Results, and in a folder its files (runs.csv, outcomes.npz, summary, plots)."""
        self.manifest["status"] = "complete"
        self.manifest["finished"] = now()
        errors = self.builder.errors
        self.manifest["runs_completed"] = self.builder.n
        self.manifest["runs_failed"] = len(errors)
        self.manifest["errors"] = errors[:MAX_LISTED_ERRORS]
        # CPU seconds spent in replications by this invocation (a gauge, not reproducible)
        self.manifest["cpu_seconds"] = round(self.builder.cpu_seconds, 3)
        self.manifest["elapsed_seconds"] = round(time.monotonic() - self._t0, 3)
        self.manifest["cpu_wait_seconds"] = round(self.builder.wait_seconds, 3)
        if self.folder is None or self.ledger is None:
            return self.builder.finish(self.scenario, self.manifest, self.months,
                                       figures=self.figures)
        reps = self.builder.replications[: self.builder.n]
        tables = folder_tables(self.builder.n, self.manifest.get("csv"))
        # the series summary first: its kept runs (40 MB) are freed before the assembly
        results = self.builder.finish(
            self.scenario, self.manifest, self.months,
            codes=finished_columns(self.folder, tables),
            inputs=finished_inputs(self.folder, tables, self.inputs), figures=self.figures)
        exact = assemble(self.ledger, sorted(self.recorded), reps, tables, self.inputs)
        try:
            results.summary_from(exact)
            write_outputs(results, self.folder, plots=bool(self.manifest.get("plots", True)),
                          figures=self.figures)
        finally:
            exact.remove()
        self.ledger.remove_chunks()
        return results
