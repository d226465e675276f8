"""One scenario's run, in memory or into a results folder, and the resumption of a run that
was interrupted.

A folder run holds the folder's lock from start to end, lists every chunk in the ledger as
it lands, and writes the final files only when all chunks are in; with ``--force`` it is
built beside the old results (``DIR.partial``) and swapped in only when complete.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.engine.driver import (
    RunInterrupted, StopHandler, drive, replication_failed,
)
from sim.engine.executors import WorkerLost
from sim.engine.options import (
    DEFAULT_RUNS, check_chunk_size, check_runs, check_workers, default_chunk_size, pick_seed,
)
from sim.engine.precision import check_precision
from sim.engine.provenance import (
    MANIFEST_FORMAT, git_commit, manifest_file, new_manifest, now,
)
from sim.engine.scenario_run import ScenarioRun, StopOnError
from sim.engine.worker import Payload, model_path
from sim.errors import ResultsError
from sim.progress import Progress
from sim.results import (
    LOCK, MANIFEST, ChunkLedger, FigureWriter, FolderLock, LedgerEntry, Results,
    atomic_write_json, check_target, scenario_from_manifest, swap_into_place,
)
from sim.streams import root_entropy

#: Told to the user when a replication stops a run that could have gone on.
_KEEP_GOING_ADVICE = ", or pass --keep-going to record failures and go on"
#: Chunks an executor is told to expect when a precision target may keep adding them.
_OPEN_ENDED_TASKS = 2**30


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
    manifest.json, runs.csv, summary.json, series.npz, plots/ drawn by ``figures``) and can be
    resumed with :func:`resume` if interrupted.  ``precision`` keeps adding replications until
    every headline share is known to ± that (95%), up to ``max_runs``.  The Results keep
    ``figures`` for :meth:`Results.write`.
    """
    runs = check_runs(runs)
    seed = pick_seed(seed)
    workers = check_workers(workers)
    max_runs = check_precision(precision, max_runs, runs)
    size = check_chunk_size(chunk_size) if chunk_size is not None \
        else default_chunk_size(runs, workers)
    entropy = root_entropy(seed)
    mpath = model_path(model)
    manifest = new_manifest(scenario, seed=seed, entropy=entropy, runs=runs, chunk_size=size,
                            model=mpath, command=command, keep_going=keep_going,
                            precision=precision, max_runs=max_runs, workers=workers,
                            scheduler=scheduler, git=git_commit())
    manifest["plots"] = bool(plots)
    payload = Payload.for_scenarios([scenario], mpath, entropy, seed, keep_going)
    if out is None:
        return _compute(scenario, manifest, payload, None, workers=workers, scheduler=scheduler,
                        progress=progress, figures=figures)
    target = Path(out)
    check_target(target, force)
    folder = target
    if target.exists() and any(target.iterdir()):
        # --force: build beside the old results, swap only when complete.
        folder = target.parent / f"{target.name}.partial"
        manifest["target"] = str(target)
    folder.mkdir(parents=True, exist_ok=True)
    ledger = ChunkLedger(folder)
    with ledger.lock() as lock:
        if folder != target:
            for stale in list(folder.iterdir()):  # an abandoned earlier --force attempt
                if stale.name != LOCK:
                    shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        ledger.create()
        atomic_write_json(folder / MANIFEST, manifest)
        results = _compute(scenario, manifest, payload, folder, workers=workers,
                           scheduler=scheduler, progress=progress, figures=figures)
        return _settle(results, folder, lock)


def resume(path: str | Path, *, workers: int | None = None, progress: bool | None = None,
           scheduler: str | None = None, keep_going: bool | None = None,
           figures: FigureWriter | None = None) -> Results:
    """Finish an interrupted run in ``path`` exactly as the uninterrupted run would have."""
    folder = Path(path)
    manifest_path = manifest_file(folder)
    ledger = ChunkLedger(folder)
    with ledger.lock() as lock:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("status") == "complete":
            raise ResultsError(f"{folder}: this run is already complete; nothing to resume")
        if manifest.get("format") != MANIFEST_FORMAT:
            raise ResultsError(f"{folder}: manifest format {manifest.get('format')} is not "
                               f"{MANIFEST_FORMAT}; expected a run made by this version")
        scenario = scenario_from_manifest(manifest, str(manifest_path))
        if scenario.content_hash() != manifest.get("scenario_hash"):
            raise ResultsError(f"{manifest_path}: the scenario no longer matches its recorded "
                               "hash; expected an unmodified manifest")
        workers = check_workers(workers)
        if keep_going is not None:
            manifest["keep_going"] = bool(keep_going)
        manifest["status"] = "running"
        manifest["errors"] = []
        manifest.setdefault("resumed", []).append(now())
        manifest["workers"] = workers
        manifest["executor"] = "dask" if scheduler else "processes"
        payload = Payload.for_scenarios([scenario], manifest["model"], int(manifest["entropy"]),
                                        manifest["seed"], bool(manifest["keep_going"]))
        recorded = ledger.entries()
        atomic_write_json(manifest_path, manifest)
        results = _compute(scenario, manifest, payload, folder, recorded=recorded,
                           workers=workers, scheduler=scheduler, progress=progress,
                           figures=figures)
        return _settle(results, folder, lock)


def _compute(scenario: Any, manifest: dict[str, Any], payload: Payload, folder: Path | None, *,
             workers: int, scheduler: str | None, progress: bool | None,
             figures: FigureWriter | None,
             recorded: dict[int, LedgerEntry] | None = None) -> Results:
    """Compute the chunks the run still lacks (all but ``recorded``) and finish it."""
    requested = int(manifest["runs_requested"])
    bar = Progress(requested, enabled=progress)
    state = ScenarioRun(scenario, manifest, folder, bar, recorded, figures=figures)
    bar.start_from(state.done_before())
    planned = len(state.tasks(requested))
    drive(payload, [state], state.execute, workers=workers, scheduler=scheduler,
          total_tasks=planned if "precision" not in manifest else _OPEN_ENDED_TASKS, bar=bar,
          stopped=_stop_handler(state, payload.entropy))
    return state.finish()


def _settle(results: Results, folder: Path, lock: FolderLock) -> Results:
    """Let go of a finished folder and move it to its target when it was built beside it."""
    lock.release(remove=True)
    target = Path(results.manifest.get("target") or folder)
    if target != folder:
        check_target(target, force=True)
        swap_into_place(folder, target)
    results.relocate(target)
    return results


def _stop_handler(state: ScenarioRun, entropy: int) -> StopHandler:
    """How a single run stops: its manifest marked, one line saying what is kept."""
    def stopped(exc: BaseException) -> BaseException | None:
        if isinstance(exc, StopOnError):
            state.mark("failed", [exc.error])
            return replication_failed(exc.error, entropy=entropy, folder=state.folder,
                                      advice=_KEEP_GOING_ADVICE)
        state.mark("interrupted")
        if isinstance(exc, KeyboardInterrupt):
            return RunInterrupted(_stopped_message("interrupted", state), 130)
        if isinstance(exc, WorkerLost):
            return RunInterrupted(_stopped_message(f"stopped: {exc}", state))
        return None

    return stopped


def _stopped_message(what: str, state: ScenarioRun) -> str:
    done, _ = state.counts()
    want = state.manifest["runs_requested"]
    if state.folder is None:
        return f"run {what} after {done} of {want} replications (results were in memory only)"
    return (f"run {what}: {done} of {want} replications kept in {state.folder}; finish it with "
            f"`sim run --resume {state.folder}`")
