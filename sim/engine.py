"""The Monte Carlo engine: many replications, exactly reproducible, in parallel, safely on disk.

Seeds.  A run has one root seed (chosen at random and recorded when not given) and its root
entropy ``E = SeedSequence(seed).entropy``.  Replication *i* draws every random number from
``sim.streams.Streams(E, i)``: its parameters first (one uniform per registry parameter,
mapped by the scenario's sampler), then the model's own purposes.  Nothing depends on which
worker ran it or when, so the results are bit-identical for 1 worker, N workers or Dask, and
two scenarios run with the same seed share their random numbers replication by replication
(common random numbers).

Chunks.  Replications are computed in chunks of consecutive indices (multiples of
:data:`sim.results.SERIES_BLOCK`).  Workers send back compact arrays per chunk; the parent
writes each chunk to disk with a ledger entry (see :mod:`sim.results.ledger`) and assembles the
results in index order.  An interrupted run keeps every finished chunk and
``sim run --resume DIR`` completes it with byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import json
import math
import os
import secrets
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim import __version__
from sim import stats
from sim.errors import ResultsError, UserError
from sim.executors import Executor, Task, WorkerLost, make_executor
from sim.outcomes import OUTCOMES, SERIES, month_ends
from sim.progress import Progress
from sim.results import (
    LOCK, MANIFEST, OUTCOMES_NPZ, RUNS_CSV, SERIES_BLOCK, SERIES_QUANTILE_RUNS, SERIES_SAMPLE_RUNS,
    ChunkData, ChunkLedger, FigureWriter, FolderLock, LedgerEntry, NpzColumns, Results,
    ResultsBuilder, atomic_write_json, check_target, codes_from_rows, csv_rows, encode_outcomes,
    scenario_from_manifest, swap_into_place, write_outputs,
)
from sim.streams import Streams, root_entropy

DEFAULT_MODEL = "sim.model:simulate"
DEFAULT_RUNS = 1000
#: --precision without --max-runs stops here.
DEFAULT_MAX_RUNS = 200_000
MANIFEST_FORMAT = 1
_SERIES_NAMES = tuple(SERIES)
#: Errors listed in full in the manifest (the count is always exact).
_MAX_LISTED_ERRORS = 1000


class ReplicationFailed(UserError):
    """A replication raised and the run was not asked to keep going."""

    exit_code = 1


class RunInterrupted(UserError):
    """The run stopped early (Ctrl-C, a lost worker); finished chunks are kept."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# --------------------------------------------------------------------------------------
# the payload every worker receives once, and the chunk computation
# --------------------------------------------------------------------------------------

@dataclass
class Payload:
    """Everything a worker needs: plain, picklable data (samplers, not scenarios)."""

    samplers: list[Any]
    months: list[int | None]
    model: str
    entropy: int
    seed: int | None
    keep_going: bool


_MODEL_CACHE: dict[str, Callable[..., Any]] = {}


def resolve_model(path: str) -> Callable[..., Any]:
    """The model function named ``module:function`` (imported once per process)."""
    fn = _MODEL_CACHE.get(path)
    if fn is None:
        module, _, qualname = path.partition(":")
        try:
            obj: Any = importlib.import_module(module)
            for part in qualname.split("."):
                obj = getattr(obj, part)
        except (ImportError, AttributeError) as exc:
            raise UserError(f"model `{path}` cannot be imported ({exc}); expected "
                            "MODULE:FUNCTION such as sim.model:simulate") from None
        fn = _MODEL_CACHE[path] = obj
    return fn


def model_path(model: Callable[..., Any] | str | None) -> str:
    """``module:qualname`` of a model function, checked to be importable by that name."""
    if model is None:
        return DEFAULT_MODEL
    if isinstance(model, str):
        if ":" not in model:
            raise UserError(f"model `{model}`: expected MODULE:FUNCTION such as "
                            "sim.model:simulate")
        return model
    module = getattr(model, "__module__", None)
    qualname = getattr(model, "__qualname__", None)
    if not module or not qualname or "<locals>" in qualname or "<lambda>" in qualname:
        raise UserError(f"model {model!r} must be a function defined at module level, so "
                        "that worker processes can import it by name")
    return f"{module}:{qualname}"


def _series_row(rep: Any, months: int | None) -> np.ndarray:
    """The replication's monthly series as one (series, months) array, checked."""
    series = rep.series
    rows = []
    for name in _SERIES_NAMES:
        try:
            arr = series[name]
        except KeyError:
            raise ValueError(f"model returned no series {name}") from None
        if type(arr) is not np.ndarray or arr.dtype != np.float64:
            arr = np.asarray(arr, dtype=np.float64)
        if arr.ndim != 1 or (months is not None and arr.shape[0] != months):
            raise ValueError(f"series {name} has shape {arr.shape}; expected ({months},), "
                             "one value per month end up to the horizon")
        rows.append(arr)
    if months is None and len({r.shape[0] for r in rows}) > 1:
        raise ValueError("series have different lengths")
    return np.array(rows)


def _runqueue_wait() -> float:
    """Seconds this process has spent ready to run but waiting for a CPU (Linux; else 0).

    Recorded per chunk so that a slow run on a busy machine can be told apart from an
    engine that leaves its workers idle.
    """
    try:
        with open("/proc/self/schedstat", "rb") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


def compute_chunk(payload: Payload, si: int, start: int, stop: int) -> ChunkData:
    """Run replications ``start <= i < stop`` of scenario ``si``; the same in every executor."""
    sampler = payload.samplers[si]
    months = payload.months[si]
    model = resolve_model(payload.model)
    cpu_start = time.process_time()
    wait_start = _runqueue_wait()
    n = stop - start
    rows: list[list[int | float]] = []
    reps: list[int] = []
    n_blocks = -(-n // SERIES_BLOCK)
    block_sums: np.ndarray | None = None
    block_counts = np.zeros(n_blocks, dtype=np.int64)
    kept: list[np.ndarray] = []
    errors: list[dict[str, Any]] = []
    entropy = payload.entropy
    for i in range(start, stop):
        try:
            streams = Streams(entropy, i)
            params = sampler.draw_for(streams)
            rep = model(params, streams)
            row = _series_row(rep, months)
            codes = encode_outcomes(rep.outcomes)
        except Exception as exc:  # noqa: BLE001 - recorded, then stop or go on
            errors.append({"replication": i, "seed": payload.seed, "entropy": entropy,
                           "error": f"{type(exc).__name__}: {exc}"})
            if not payload.keep_going:
                return _chunk(si, start, stop, [], [], block_sums, block_counts, kept, errors,
                              failed=True)
            continue
        if block_sums is None:
            block_sums = np.zeros((n_blocks, *row.shape), dtype=np.float64)
            if months is None:
                months = row.shape[1]
        b = (i - start) // SERIES_BLOCK
        block_sums[b] += row  # replication by replication, in index order: deterministic
        block_counts[b] += 1
        if i < SERIES_QUANTILE_RUNS:
            kept.append(row)
        rows.append(codes)
        reps.append(i)
    chunk = _chunk(si, start, stop, reps, rows, block_sums, block_counts, kept, errors)
    chunk.cpu_seconds = time.process_time() - cpu_start
    chunk.wait_seconds = _runqueue_wait() - wait_start
    return chunk


def _chunk(si: int, start: int, stop: int, reps: list[int], rows: list[list[int | float]],
           block_sums: np.ndarray | None, block_counts: np.ndarray, kept: list[np.ndarray],
           errors: list[dict[str, Any]], failed: bool = False) -> ChunkData:
    codes = codes_from_rows(rows)
    replications = np.array(reps, dtype=np.int64)
    if block_sums is None:
        block_sums = np.zeros((block_counts.shape[0], len(_SERIES_NAMES), 0))
    kept_arr = (np.stack(kept) if kept
                else np.empty((0, block_sums.shape[1], block_sums.shape[2])))
    text = "".join(csv_rows(replications, codes)) if not failed else ""
    return ChunkData(start, stop, replications, codes, block_sums, block_counts, kept_arr, text,
                     errors, failed, si)


def run_replication(scenario: Any, entropy: int, index: int, *, trace: bool = False,
                    model: Callable[..., Any] | str | None = None) -> Any:
    """Replication ``index`` of a run with root entropy ``entropy``, exactly as the engine ran
    it (same parameter draws, same streams); ``trace=True`` asks the model for its events."""
    fn = resolve_model(model_path(model))
    sampler = scenario.sampler()
    streams = Streams(int(entropy), int(index))
    params = sampler.draw_for(streams)
    return fn(params, streams, trace=trace) if trace else fn(params, streams)


def _series_months(scenario: Any) -> list[dt.date] | None:
    horizon = scenario.values.get("simulation.horizon") if hasattr(scenario, "values") else None
    if horizon is None:
        return None
    if not isinstance(horizon, dt.date):
        raise UserError(f"scenario {scenario.name}: `simulation.horizon` must be a fixed date for "
                        f"a Monte Carlo run (monthly series need one length), got {horizon!r}")
    return month_ends(horizon)


# --------------------------------------------------------------------------------------
# run bookkeeping
# --------------------------------------------------------------------------------------

def _pick_seed(seed: int | None) -> int:
    if seed is None:
        return secrets.randbelow(2**31)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise UserError(f"--seed: expected a whole number >= 0, got {seed!r}")
    return int(seed)


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS
        return max(1, os.cpu_count() or 1)


def default_chunk_size(runs: int, workers: int) -> int:
    """About 16 chunks per worker (load balance) within [100, 2000] replications, a multiple
    of the series block so that chunking never changes a result."""
    per = math.ceil(runs / max(1, workers * 16))
    size = math.ceil(per / SERIES_BLOCK) * SERIES_BLOCK
    return int(min(max(size, SERIES_BLOCK), 20 * SERIES_BLOCK))


def _check_chunk_size(chunk_size: int) -> int:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise UserError(f"chunk size: expected a whole number >= 1, got {chunk_size!r}")
    # Round up so that chunk boundaries fall on series blocks (results never depend on it).
    return math.ceil(chunk_size / SERIES_BLOCK) * SERIES_BLOCK


@functools.lru_cache(maxsize=1)
def _package_versions() -> tuple[tuple[str, str], ...]:
    """Installed versions do not change while the process runs: look them up once."""
    from importlib import metadata

    out = {"python": sys.version.split()[0]}
    for dist in ("numpy", "scipy", "simpy", "pydantic", "PyYAML", "matplotlib", "click",
                 "dask", "distributed"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return tuple(out.items())


def package_versions() -> dict[str, str]:
    """Versions of Python and the libraries whose behaviour the numbers depend on."""
    return dict(_package_versions())


def git_commit() -> dict[str, Any] | None:
    """The project's git commit (and whether files differ from it), when run from a checkout."""
    root = Path(__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True,
                               timeout=5, check=True).stdout.strip() != ""
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head, "modified": dirty}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _new_manifest(scenario: Any, *, seed: int, entropy: int, runs: int, chunk_size: int,
                  model: str, command: str | None, keep_going: bool, precision: float | None,
                  max_runs: int | None, workers: int, scheduler: str | None,
                  git: dict[str, Any] | None) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "status": "running",
        "scenario_name": scenario.name,
        "scenario_hash": scenario.content_hash(),
        "seed": seed,
        "entropy": entropy,
        "model": model,
        "command": command,
        "project_version": __version__,
        "git": git,
        "versions": package_versions(),
        "started": _now(),
        "finished": None,
        "runs_requested": runs,
        "runs_completed": 0,
        "runs_failed": 0,
        "chunk_size": chunk_size,
        "series_block": SERIES_BLOCK,
        "series_quantile_runs": SERIES_QUANTILE_RUNS,
        "series_sample_runs": SERIES_SAMPLE_RUNS,
        "keep_going": keep_going,
        "workers": workers,
        "executor": "dask" if scheduler else "processes",
        "scheduler": scheduler,
        "errors": [],
    }
    if precision is not None:
        manifest["precision"] = {"target_half_width": precision, "max_runs": max_runs,
                                 "achieved_half_width": None, "runs_needed": None,
                                 "reached": None}
    manifest["scenario"] = scenario.to_dict()
    return manifest


def _headline_half_width(builder: ResultsBuilder) -> float:
    """Widest 95% Wilson half-width among the shares of the headline categorical outcomes."""
    worst = 0.0
    n = builder.n
    for o in OUTCOMES:
        if o.kind == "category" and o.headline:
            for k in builder.category_counts(o.name).tolist():
                worst = max(worst, stats.wilson_half_width(int(k), n) if n else 1.0)
    return worst


def _next_target(builder: ResultsBuilder, current: int, precision: float, cap: int,
                 chunk: int) -> int:
    """Replications to aim for next: the Wald estimate of what the widest share needs, plus
    10%, rounded up to whole chunks (deterministic: depends only on the results so far)."""
    n = builder.n
    worst_p = 0.5
    best_gap = 1.0
    for o in OUTCOMES:
        if o.kind == "category" and o.headline:
            for k in builder.category_counts(o.name).tolist():
                p = k / n if n else 0.5
                if abs(p - 0.5) < best_gap:
                    best_gap, worst_p = abs(p - 0.5), p
    need = math.ceil(stats.required_runs(worst_p, precision) * 1.1)
    target = max(need, current + chunk)
    target = math.ceil(target / chunk) * chunk
    return min(target, cap)


# --------------------------------------------------------------------------------------
# one run
# --------------------------------------------------------------------------------------

class _StopOnError(Exception):
    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error["error"])
        self.error = error


class _Run:
    """State of one scenario's run: its builder, ledger, manifest and progress."""

    def __init__(self, scenario: Any, manifest: dict[str, Any], folder: Path | None,
                 progress: Progress, recorded: dict[int, LedgerEntry] | None = None, *,
                 figures: FigureWriter | None = None) -> None:
        self.scenario = scenario
        self.figures = figures
        self.manifest = manifest
        self.folder = folder
        self.ledger = ChunkLedger(folder) if folder is not None else None
        self.recorded = recorded or {}
        self.progress = progress
        # A run written to disk keeps its outcome arrays there, not in memory.
        self.builder = ResultsBuilder(int(manifest["runs_requested"]),
                                      keep_codes=folder is None)
        self.months = _series_months(scenario)
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
        return sum(e.stop - e.start for e in self.recorded.values())

    # -- receiving -----------------------------------------------------------------------

    def accept(self, chunk: ChunkData) -> None:
        if chunk.failed:
            self.builder.errors.extend(chunk.errors)
            raise _StopOnError(chunk.errors[0])
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
            self.builder.add(self.ledger.load(entry))

    def counts(self) -> tuple[int, int]:
        """(successful, failed) replications safely recorded so far."""
        if self.ledger is not None:
            return (sum(e.completed for e in self.recorded.values()),
                    sum(len(e.errors) for e in self.recorded.values()))
        return self.builder.n, len(self.builder.errors)

    def save_progress(self, force: bool = False) -> None:
        if self.folder is None:
            return
        now = time.monotonic()
        if not force and now - self._last_save < 2.0:
            return
        self._last_save = now
        done, failed = self.counts()
        self.manifest["runs_completed"] = done
        self.manifest["runs_failed"] = failed
        atomic_write_json(self.folder / MANIFEST, self.manifest)

    def mark(self, status: str, errors: Sequence[dict[str, Any]] = ()) -> None:
        self.manifest["status"] = status
        self.manifest["finished"] = _now()
        if errors:
            listed = self.manifest.setdefault("errors", [])
            listed.extend(e for e in errors if e not in listed)
        self.save_progress(force=True)

    # -- the loop ------------------------------------------------------------------------

    def execute(self, executor: Executor) -> None:
        self.drain()
        target = int(self.manifest["runs_requested"])
        prec = self.manifest.get("precision")
        while True:
            for chunk in executor.run(self.tasks(target)):
                self.accept(chunk)
            self.drain()
            if prec is None:
                return
            width = _headline_half_width(self.builder)
            prec["achieved_half_width"] = width
            cap = int(prec["max_runs"])
            if width <= prec["target_half_width"] or target >= cap:
                prec["runs_needed"] = target
                prec["reached"] = bool(width <= prec["target_half_width"])
                return
            target = _next_target(self.builder, target, prec["target_half_width"], cap,
                                  int(self.manifest["chunk_size"]))
            self.manifest["runs_requested"] = target
            self.progress.set_total(target)
            self.save_progress(force=True)

    def finish(self) -> Results:
        self.manifest["status"] = "complete"
        self.manifest["finished"] = _now()
        errors = self.builder.errors
        self.manifest["runs_completed"] = self.builder.n
        self.manifest["runs_failed"] = len(errors)
        self.manifest["errors"] = errors[:_MAX_LISTED_ERRORS]
        # CPU seconds spent in replications by this invocation (a gauge, not reproducible)
        self.manifest["cpu_seconds"] = round(self.builder.cpu_seconds, 3)
        self.manifest["elapsed_seconds"] = round(time.monotonic() - self._t0, 3)
        self.manifest["cpu_wait_seconds"] = round(self.builder.wait_seconds, 3)
        if self.folder is None or self.ledger is None:
            return self.builder.finish(self.scenario, self.manifest, self.months,
                                       figures=self.figures)
        starts = sorted(self.recorded)
        self.ledger.assemble_csv(starts, self.folder / RUNS_CSV)
        reps = self.builder.replications[: self.builder.n]
        self.ledger.assemble_outcomes(starts, reps, self.folder / OUTCOMES_NPZ)
        results = self.builder.finish(self.scenario, self.manifest, self.months,
                                      codes=NpzColumns(self.folder / OUTCOMES_NPZ),
                                      figures=self.figures)
        write_outputs(results, self.folder, plots=bool(self.manifest.get("plots", True)),
                      figures=self.figures)
        self.ledger.remove_chunks()
        return results


# --------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------

def _check_runs(runs: Any, what: str = "--runs") -> int:
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise UserError(f"{what}: expected a whole number >= 1, got {runs!r}")
    return int(runs)


def _check_workers(workers: int | None) -> int:
    if workers is None:
        return default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise UserError(f"--workers: expected a whole number >= 1, got {workers!r}")
    return workers


def _payload(scenarios: Sequence[Any], model: str, entropy: int, seed: int | None,
             keep_going: bool) -> Payload:
    samplers = [s.sampler() for s in scenarios]
    months = []
    for s in scenarios:
        m = _series_months(s)
        months.append(None if m is None else len(m))
    return Payload(samplers, months, model, entropy, seed,
                   keep_going)


def _check_model_for(model: str, executor: Executor) -> None:
    if model.startswith("__main__:") and executor.name != "in-process":
        raise UserError(f"model `{model}` is defined in __main__ (a script or notebook); worker "
                        "processes cannot import it: move it into a module, or use workers=1")


def run(scenario: Any, runs: int = DEFAULT_RUNS, seed: int | None = None, *,
        workers: int | None = None, out: str | Path | None = None, force: bool = False,
        progress: bool | None = None, keep_going: bool = False,
        precision: float | None = None, max_runs: int | None = None,
        scheduler: str | None = None, chunk_size: int | None = None,
        command: str | None = None,
        model: Callable[..., Any] | str | None = None, plots: bool = True,
        figures: FigureWriter | None = None) -> Results:
    """Run ``runs`` replications of ``scenario`` and return their :class:`Results`.

    With ``out`` the run is written to that folder as it goes (chunks + ledger, then
    manifest.json, runs.csv, summary.json, series.npz, plots/) and can be resumed with
    :func:`resume` if interrupted.  ``precision`` keeps adding replications until every
    headline share is known to ± that (95%), up to ``max_runs``.
    """
    runs = _check_runs(runs)
    seed = _pick_seed(seed)
    workers = _check_workers(workers)
    if precision is not None:
        if not isinstance(precision, (int, float)) or not 0 < precision < 0.5:
            raise UserError(f"--precision: expected a half-width between 0 and 0.5 (e.g. 0.01 "
                            f"for ±1 point), got {precision!r}")
        max_runs = _check_runs(max_runs, "--max-runs") if max_runs is not None \
            else max(DEFAULT_MAX_RUNS, runs)
        if max_runs < runs:
            raise UserError(f"--max-runs {max_runs} is below --runs {runs}; expected at least "
                            "as many")
    elif max_runs is not None:
        raise UserError("--max-runs only applies with --precision")
    size = _check_chunk_size(chunk_size) if chunk_size is not None \
        else default_chunk_size(runs, workers)
    entropy = root_entropy(seed)
    mpath = model_path(model)
    manifest = _new_manifest(scenario, seed=seed, entropy=entropy, runs=runs, chunk_size=size,
                             model=mpath, command=command, keep_going=keep_going,
                             precision=precision, max_runs=max_runs, workers=workers,
                             scheduler=scheduler, git=git_commit())
    manifest["plots"] = bool(plots)
    payload = _payload([scenario], mpath, entropy, seed, keep_going)
    folder: Path | None = None
    lock: FolderLock | None = None
    if out is not None:
        target = Path(out)
        check_target(target, force)
        folder = target
        if target.exists() and any(target.iterdir()):
            # --force: build beside the old results, swap only when complete.
            folder = target.parent / f"{target.name}.partial"
            manifest["target"] = str(target)
        folder.mkdir(parents=True, exist_ok=True)
        lock = ChunkLedger(folder).lock()
        lock.acquire()
        if folder != target:
            for stale in list(folder.iterdir()):  # an abandoned earlier --force attempt
                if stale.name != LOCK:
                    shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        ChunkLedger(folder).create()
        atomic_write_json(folder / MANIFEST, manifest)
    return _drive(scenario, manifest, payload, folder, workers=workers, scheduler=scheduler,
                  progress=progress, recorded=None, lock=lock, figures=figures)


def resume(path: str | Path, *, workers: int | None = None, progress: bool | None = None,
           scheduler: str | None = None, keep_going: bool | None = None,
           figures: FigureWriter | None = None) -> Results:
    """Finish an interrupted run in ``path`` exactly as the uninterrupted run would have."""
    folder = Path(path)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ResultsError(f"{folder}: not a results folder (no {MANIFEST}); expected a folder "
                           "written by `sim run`")
    lock = ChunkLedger(folder).lock()
    lock.acquire()
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        return _resume_locked(folder, manifest, lock, workers=workers, progress=progress,
                              scheduler=scheduler, keep_going=keep_going, figures=figures)
    finally:
        lock.release()


def _resume_locked(folder: Path, manifest: dict[str, Any], lock: FolderLock, *,
                   workers: int | None, progress: bool | None, scheduler: str | None,
                   keep_going: bool | None, figures: FigureWriter | None) -> Results:
    manifest_path = folder / MANIFEST
    if manifest.get("status") == "complete":
        raise ResultsError(f"{folder}: this run is already complete; nothing to resume")
    if manifest.get("format") != MANIFEST_FORMAT:
        raise ResultsError(f"{folder}: manifest format {manifest.get('format')} is not "
                           f"{MANIFEST_FORMAT}; expected a run made by this version")
    scenario = scenario_from_manifest(manifest, str(manifest_path))
    if scenario.content_hash() != manifest.get("scenario_hash"):
        raise ResultsError(f"{manifest_path}: the scenario no longer matches its recorded hash; "
                           "expected an unmodified manifest")
    workers = _check_workers(workers)
    if keep_going is not None:
        manifest["keep_going"] = bool(keep_going)
    manifest["status"] = "running"
    manifest["errors"] = []
    manifest.setdefault("resumed", []).append(_now())
    manifest["workers"] = workers
    manifest["executor"] = "dask" if scheduler else "processes"
    payload = _payload([scenario], manifest["model"], int(manifest["entropy"]), manifest["seed"],
                       bool(manifest["keep_going"]))
    recorded = ChunkLedger(folder).entries()
    atomic_write_json(manifest_path, manifest)
    return _drive(scenario, manifest, payload, folder, workers=workers, scheduler=scheduler,
                  progress=progress, recorded=recorded, lock=lock, figures=figures)


def _drive(scenario: Any, manifest: dict[str, Any], payload: Payload, folder: Path | None, *,
           workers: int, scheduler: str | None, progress: bool | None,
           recorded: dict[int, LedgerEntry] | None, lock: FolderLock | None = None,
           figures: FigureWriter | None = None) -> Results:
    try:
        return _drive_locked(scenario, manifest, payload, folder, workers=workers,
                             scheduler=scheduler, progress=progress, recorded=recorded, lock=lock,
                             figures=figures)
    finally:
        if lock is not None:
            lock.release()


def _drive_locked(scenario: Any, manifest: dict[str, Any], payload: Payload,
                  folder: Path | None, *, workers: int, scheduler: str | None,
                  progress: bool | None, recorded: dict[int, LedgerEntry] | None,
                  lock: FolderLock | None, figures: FigureWriter | None) -> Results:
    bar = Progress(int(manifest["runs_requested"]), enabled=progress)
    state = _Run(scenario, manifest, folder, bar, recorded, figures=figures)
    bar.start_from(state.done_before())
    planned = len(state.tasks(int(manifest["runs_requested"])))
    executor: Executor | None = None
    where = f" in {folder}" if folder is not None else ""
    try:
        executor = make_executor(payload, workers=workers, scheduler=scheduler,
                                 total_tasks=planned if "precision" not in manifest else 2**30)
        manifest["executor"] = executor.name
        _check_model_for(payload.model, executor)
        state.execute(executor)
    except KeyboardInterrupt:
        if executor is not None:
            executor.close(cancel=True)
            executor = None
        bar.close()
        state.mark("interrupted")
        raise RunInterrupted(_stopped_message("interrupted", state, folder), 130) from None
    except WorkerLost as exc:
        if executor is not None:
            executor.close(cancel=True)
            executor = None
        bar.close()
        state.mark("interrupted")
        raise RunInterrupted(_stopped_message(f"stopped: {exc}", state, folder)) from None
    except _StopOnError as stop:
        if executor is not None:
            executor.close(cancel=True)
            executor = None
        bar.close()
        state.mark("failed", [stop.error])
        k = stop.error["replication"]
        how = (f"`sim reproduce {folder} --replication {k}`" if folder is not None else
               f"sim.run_replication(scenario, entropy={payload.entropy}, index={k})")
        raise ReplicationFailed(
            f"replication {k} failed{where}: {stop.error['error']}; re-run it alone with {how}, "
            "or pass --keep-going to record failures and go on") from None
    except BaseException:
        if executor is not None:
            executor.close(cancel=True)
            executor = None
        bar.close()
        state.mark("interrupted")
        raise
    finally:
        if executor is not None:
            executor.close()
    bar.close()
    results = state.finish()
    if lock is not None:
        lock.release(remove=True)
    target = manifest.get("target")
    if folder is not None and target and Path(target) != folder:
        check_target(Path(target), force=True)
        swap_into_place(folder, Path(target))
        folder = Path(target)
    if folder is not None:
        results.relocate(folder)
    return results


def _stopped_message(what: str, state: _Run, folder: Path | None) -> str:
    done, _ = state.counts()
    want = state.manifest["runs_requested"]
    if folder is None:
        return f"run {what} after {done} of {want} replications (results were in memory only)"
    return (f"run {what}: {done} of {want} replications kept in {folder}; finish it with "
            f"`sim run --resume {folder}`")


def run_batch(scenarios: Sequence[Any], runs: int, seed: int | None, *,
              workers: int | None = None, progress: bool | None = None,
              scheduler: str | None = None, keep_going: bool = False,
              model: Callable[..., Any] | str | None = None,
              figures: FigureWriter | None = None) -> list[Results]:
    """Run many scenarios in one pool, in memory, with common random numbers.

    Every scenario uses the same root entropy, so replication *i* of each scenario shares its
    random numbers: differences between scenarios are due to the assumptions, not to luck.
    One pool serves all scenarios (no start-up cost per scenario), chunks of different
    scenarios interleave, and each scenario's results are assembled in index order.
    """
    scenarios = list(scenarios)
    if not scenarios:
        return []
    runs = _check_runs(runs)
    seed = _pick_seed(seed)
    workers = _check_workers(workers)
    entropy = root_entropy(seed)
    mpath = model_path(model)
    size = default_chunk_size(runs * len(scenarios), workers)
    size = min(size, max(SERIES_BLOCK, math.ceil(runs / SERIES_BLOCK) * SERIES_BLOCK))
    payload = _payload(scenarios, mpath, entropy, seed, keep_going)
    total = runs * len(scenarios)
    bar = Progress(total, enabled=progress)
    commit = git_commit()  # one lookup is enough for a batch
    states = []
    for sc in scenarios:
        manifest = _new_manifest(sc, seed=seed, entropy=entropy, runs=runs, chunk_size=size,
                                 model=mpath, command=None, keep_going=keep_going,
                                 precision=None, max_runs=None, workers=workers,
                                 scheduler=scheduler, git=commit)
        states.append(_Run(sc, manifest, None, bar, figures=figures))
    tasks: list[Task] = []
    for si, st in enumerate(states):
        tasks.extend(st.tasks(runs, si))
    executor: Executor | None = None
    try:
        executor = make_executor(payload, workers=workers, scheduler=scheduler,
                                 total_tasks=len(tasks))
        _check_model_for(mpath, executor)
        for st in states:
            st.manifest["executor"] = executor.name
        for chunk in executor.run(tasks):
            states[chunk.scenario].accept(chunk)
    except _StopOnError as stop:
        k = stop.error["replication"]
        raise ReplicationFailed(
            f"replication {k} failed: {stop.error['error']}; re-run it alone with "
            f"sim.run_replication(scenario, entropy={entropy}, index={k})") from None
    except WorkerLost as exc:
        raise RunInterrupted(f"batch run stopped: {exc}") from None
    finally:
        if executor is not None:
            executor.close(cancel=sys.exc_info()[0] is not None)
        bar.close()
    return [st.finish() for st in states]


# --------------------------------------------------------------------------------------
# reproduce one replication
# --------------------------------------------------------------------------------------

@dataclass
class Reproduction:
    replication: int
    stored: str | None
    rerun: str | None
    error: str | None
    traceback: str | None

    @property
    def identical(self) -> bool:
        return self.error is None and self.stored is not None and self.stored == self.rerun

    def differences(self) -> list[tuple[str, str, str]]:
        """(column, stored, re-run) for each cell that differs."""
        from sim.outcomes import OUTCOME_NAMES

        if self.stored is None or self.rerun is None:
            return []
        header = ["replication", *OUTCOME_NAMES]
        a = self.stored.rstrip("\n").split(",")
        b = self.rerun.rstrip("\n").split(",")
        return [(h, x, y) for h, x, y in zip(header, a, b) if x != y]


def _stored_row(folder: Path, index: int) -> str | None:
    prefix = f"{index},"
    candidates = [folder / RUNS_CSV]
    chunks = folder / "chunks"
    if chunks.is_dir():
        candidates += sorted(chunks.glob("chunk-*.csv"))
    for path in candidates:
        if not path.is_file():
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith(prefix):
                    return line
    return None


def reproduce(path: str | Path, index: int) -> Reproduction:
    """Re-run replication ``index`` of a results folder and compare it with the stored row."""
    folder = Path(path)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ResultsError(f"{folder}: not a results folder (no {MANIFEST}); expected a folder "
                           "written by `sim run`")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    requested = int(manifest.get("runs_requested", 0))
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < requested:
        raise UserError(f"--replication: expected an index from 0 to {requested - 1}, got "
                        f"{index!r}")
    scenario = scenario_from_manifest(manifest, str(manifest_path))
    stored = _stored_row(folder, index)
    known_error = next((e for e in manifest.get("errors", []) if e.get("replication") == index),
                       None)
    if stored is None and known_error is None and manifest.get("status") != "complete":
        raise UserError(f"replication {index} of {folder} has not been run yet "
                        f"(status {manifest.get('status')}); finish it with "
                        f"`sim run --resume {folder}`")
    try:
        rep = run_replication(scenario, int(manifest["entropy"]), index,
                              model=manifest.get("model", DEFAULT_MODEL))
        months = _series_months(scenario)
        _series_row(rep, None if months is None else len(months))
        codes = codes_from_rows([encode_outcomes(rep.outcomes)])
        rerun = next(csv_rows(np.array([index]), codes))
        return Reproduction(index, stored, rerun, None, None)
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - shown to the user in full
        return Reproduction(index, stored, None, f"{type(exc).__name__}: {exc}",
                            traceback.format_exc())


__all__ = [
    "run", "run_batch", "run_replication", "resume", "reproduce", "Results", "Reproduction",
    "ReplicationFailed", "RunInterrupted", "compute_chunk", "default_chunk_size",
]
