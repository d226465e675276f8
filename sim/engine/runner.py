"""One scenario's run, in memory or into a results folder, and the resumption of a run that
was interrupted.

A folder run holds the locks of its folder, and of the folder it replaces, from its first
check to its last file (:mod:`sim.engine.folder`); it lists every chunk in the ledger as it
lands, and writes the final files only when all chunks are in.  Whatever stops it (Ctrl-C, a
lost worker, a failed replication, a full or read-only disk) ends in one line saying what was
kept and the command that finishes the run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sim.engine.driver import RunInterrupted, StopHandler, drive, replication_failed
from sim.engine.executors import WorkerLost, check_scheduler
from sim.engine.folder import RunFolder
from sim.engine.options import (
    DEFAULT_RUNS, check_chunk_size, check_memory, check_runs, check_workers,
    default_chunk_size, pick_seed,
)
from sim.engine.pool import WorkerPool, check_pool
from sim.engine.precision import check_precision
from sim.engine.provenance import git_commit, new_manifest, now
from sim.engine.scenario_run import ScenarioRun, StopOnError
from sim.engine.worker import Payload, model_for_folder, model_option, model_path
from sim.errors import ResultsError
from sim.progress import Progress
from sim.results import (
    MANIFEST, ChunkLedger, FigureWriter, InvalidFolder, LedgerEntry, Results, load_results,
    read_manifest, remove_leftovers, scenario_from_manifest, storage_error, write_manifest,
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
        figures: FigureWriter | None = None, csv: bool | None = None,
        pool: WorkerPool | None = None) -> Results:
    """Run ``runs`` replications of ``scenario`` and return their :class:`Results`.

    With ``out`` the run is written to that folder as it goes (chunks + ledger, then
    manifest.json, runs.csv, summary.json, series.npz, plots/ drawn by ``figures``) and can be
    resumed with :func:`resume` if interrupted.  ``precision`` keeps adding replications until
    every headline share is known to ± that (95%), up to ``max_runs``.  The Results keep
    ``figures`` for :meth:`Results.write`.  ``csv`` writes runs.csv and outcomes.npz beside
    runs.parquet or not (default: up to ``sim.results.CSV_MAX_RUNS`` replications).
    ``pool`` (a :class:`WorkerPool`) lends its warm worker processes instead of starting new
    ones; ``workers`` is then the pool's.
    """
    runs = check_runs(runs)
    seed = pick_seed(seed)
    workers = check_pool(pool, workers, scheduler)
    max_runs = check_precision(precision, max_runs, runs)
    check_memory(max_runs or runs, in_memory=out is None,
                 what="--max-runs" if max_runs else "--runs")
    check_scheduler(scheduler)
    size = check_chunk_size(chunk_size) if chunk_size is not None \
        else default_chunk_size(runs, workers)
    entropy = root_entropy(seed)
    mpath = model_path(model)
    manifest = new_manifest(scenario, seed=seed, entropy=entropy, runs=runs, chunk_size=size,
                            model=mpath, command=command, keep_going=keep_going,
                            precision=precision, max_runs=max_runs, workers=workers,
                            scheduler=scheduler, git=git_commit())
    manifest["plots"] = bool(plots)
    if csv is not None:
        manifest["csv"] = bool(csv)
    payload = Payload.for_scenarios([scenario], mpath, entropy, seed, keep_going)
    if out is None:
        return _compute(scenario, manifest, payload, None, workers=workers, scheduler=scheduler,
                        progress=progress, figures=figures, pool=pool)
    target = Path(out)
    with RunFolder.new(target, force=force,
                       purpose="sim run --force" if force else "sim run") as place:
        folder = place.folder
        if folder != target:
            manifest["target"] = str(target)
        resume = _resume_command(folder, mpath)
        try:
            write_manifest(folder, manifest)
        except OSError as exc:
            raise storage_error(exc, "nothing was written") from None
        with _ctrl_c_kept(folder, manifest, resume):
            try:
                ChunkLedger(folder).create()
            except OSError as exc:
                raise storage_error(exc, f"the run was not started; {folder} holds its "
                                    "manifest", retry=f"`{resume}` starts it") from None
            results = _compute(scenario, manifest, payload, folder, workers=workers,
                               scheduler=scheduler, progress=progress, figures=figures,
                               pool=pool)
        return place.settle(results, resume)


def resume(path: str | Path, *, workers: int | None = None, progress: bool | None = None,
           scheduler: str | None = None, keep_going: bool | None = None,
           model: Callable[..., Any] | str | None = None,
           figures: FigureWriter | None = None) -> Results:
    """Finish an interrupted run in ``path`` exactly as the uninterrupted run would have.

    The model is the one named here (``model``, default the built-in one), never one the
    folder names: it must be the model the folder was run with, or the resume is refused.
    """
    folder = Path(path)
    workers = check_workers(workers)
    check_scheduler(scheduler)
    with RunFolder.existing(folder, read_manifest(folder), purpose="sim run --resume") as place:
        manifest = read_manifest(folder)  # again: it may have changed before it was held
        if manifest["status"] == "complete":
            if place.target != folder:  # complete beside the old results, not yet moved
                return place.settle(load_results(folder, figures=figures),
                                    _resume_command(folder, manifest["model"]))
            raise ResultsError(f"{folder}: this run is already complete; nothing to resume")
        mpath = model_for_folder(manifest["model"], model, folder)
        resume_again = _resume_command(folder, mpath)
        scenario = scenario_from_manifest(manifest, folder)
        if scenario.content_hash() != manifest["scenario_hash"]:
            raise InvalidFolder(folder, f"{MANIFEST} `scenario` no longer matches its recorded "
                                "hash; expected a run made by this version")
        ledger = ChunkLedger(folder)
        try:
            remove_leftovers(folder)
            ledger.create()
        except OSError as exc:
            raise storage_error(exc, f"the results in {folder} are unchanged") from None
        recorded = ledger.entries(runs=manifest["runs_requested"],
                                  chunk_size=manifest["chunk_size"])
        if keep_going is not None:
            manifest["keep_going"] = bool(keep_going)
        manifest["status"] = "running"
        manifest["errors"] = []
        manifest["resumed"] = [*manifest.get("resumed", []), now()]
        manifest["workers"] = workers
        manifest["executor"] = "dask" if scheduler else "processes"
        payload = Payload.for_scenarios([scenario], mpath, manifest["entropy"],
                                        manifest["seed"], manifest["keep_going"])
        try:
            write_manifest(folder, manifest)
        except OSError as exc:
            raise storage_error(exc, f"the results in {folder} are unchanged",
                                retry=f"`{resume_again}` goes on") from None
        with _ctrl_c_kept(folder, manifest, resume_again):
            results = _compute(scenario, manifest, payload, folder, recorded=recorded,
                               workers=workers, scheduler=scheduler, progress=progress,
                               figures=figures)
        return place.settle(results, resume_again)


@contextlib.contextmanager
def _ctrl_c_kept(folder: Path, manifest: dict[str, Any], resume: str) -> Iterator[None]:
    """Ctrl-C once the manifest is on disk but outside the chunks' own handling (the ledger
    being created, the run being set up, its last files being written) says what a Ctrl-C
    during the chunks says: one line, exit 130, the run marked interrupted and how to finish
    it.  A Ctrl-C the chunks' handler already turned into its message passes through."""
    try:
        yield
    except KeyboardInterrupt:
        manifest["status"] = "interrupted"
        with contextlib.suppress(OSError):
            write_manifest(folder, manifest)
        raise RunInterrupted(f"run interrupted: the replications done so far are kept in "
                             f"{folder}; finish it with `{resume}`", 130) from None


def _resume_command(folder: Path, model: str) -> str:
    """The command that finishes the run in ``folder`` (naming its model when not built in)."""
    return f"sim run --resume {folder}{model_option(model)}"


def _compute(scenario: Any, manifest: dict[str, Any], payload: Payload, folder: Path | None, *,
             workers: int, scheduler: str | None, progress: bool | None,
             figures: FigureWriter | None,
             recorded: dict[int, LedgerEntry] | None = None,
             pool: WorkerPool | None = None) -> Results:
    """Compute the chunks the run still lacks (all but ``recorded``) and finish it."""
    requested = int(manifest["runs_requested"])
    bar = Progress(requested, enabled=progress)
    state = ScenarioRun(scenario, manifest, folder, bar, recorded, figures=figures)
    bar.start_from(state.done_before())
    planned = len(state.tasks(requested))
    drive(payload, [state], state.execute, workers=workers, scheduler=scheduler,
          total_tasks=planned if "precision" not in manifest else _OPEN_ENDED_TASKS, bar=bar,
          stopped=_stop_handler(state, payload), pool=pool)
    try:
        return state.finish()
    except OSError as exc:  # only a folder run writes files
        done, _ = state.counts()
        raise storage_error(exc, f"all {done} replications kept in {state.folder}",
                            retry=f"`{_resume_command(state.folder, payload.model)}` writes "
                            "the results files") from None


def _stop_handler(state: ScenarioRun, payload: Payload) -> StopHandler:
    """How a single run stops: its manifest marked, one line saying what is kept."""
    def stopped(exc: BaseException) -> BaseException | None:
        resume = "" if state.folder is None else _resume_command(state.folder, payload.model)
        if isinstance(exc, StopOnError):
            _mark(state, "failed", [exc.error])
            return replication_failed(exc.error, entropy=payload.entropy, folder=state.folder,
                                      model=payload.model, advice=_KEEP_GOING_ADVICE)
        _mark(state, "interrupted")
        if isinstance(exc, OSError) and state.folder is not None:
            return storage_error(exc, _kept(state), retry=f"finish the run with `{resume}`")
        if isinstance(exc, KeyboardInterrupt):
            return RunInterrupted(_stopped_message("interrupted", state, resume), 130)
        if isinstance(exc, WorkerLost):
            return RunInterrupted(_stopped_message(f"stopped: {exc}", state, resume))
        return None

    return stopped


def _mark(state: ScenarioRun, status: str, errors: list[dict[str, Any]] | None = None) -> None:
    """Record why the run stopped, if the disk lets us: a manifest left saying `running` is
    resumed just the same."""
    with contextlib.suppress(OSError):
        state.mark(status, errors or ())


def _kept(state: ScenarioRun) -> str:
    done, _ = state.counts()
    return f"{done} of {state.manifest['runs_requested']} replications kept in {state.folder}"


def _stopped_message(what: str, state: ScenarioRun, resume: str) -> str:
    if state.folder is None:
        done, _ = state.counts()
        return (f"run {what} after {done} of {state.manifest['runs_requested']} replications "
                "(results were in memory only)")
    return f"run {what}: {_kept(state)}; finish it with `{resume}`"
