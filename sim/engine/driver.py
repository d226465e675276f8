"""Driving the executor of a run, and the one way a run stops early.

Whatever stops a run (Ctrl-C, a lost worker, a failed replication, any other error), the
executor is cancelled, the progress line ended, and the caller's :data:`StopHandler` records
the stop and says which one-line :class:`~sim.errors.UserError` replaces the exception.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sim.engine.executors import Executor, Task, make_executor
from sim.engine.scenario_run import ScenarioRun
from sim.engine.worker import DEFAULT_MODEL, Payload, model_option
from sim.errors import UserError
from sim.interrupts import CtrlC
from sim.progress import Progress
from sim.results import ChunkData

#: Given what stopped a run, records it and returns the error to raise instead (None: the
#: exception itself goes on).
StopHandler = Callable[[BaseException], BaseException | None]


class ReplicationFailed(UserError):
    """A replication raised and the run was not asked to keep going."""

    exit_code = 1


class RunInterrupted(UserError):
    """The run stopped early (Ctrl-C, a lost worker); finished chunks are kept."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def check_model_for(model: str, executor: Executor) -> None:
    """Refuse a model other processes cannot import, before any of them tries."""
    if model.startswith("__main__:") and executor.name != "in-process":
        raise UserError(f"model `{model}` is defined in __main__ (a script or notebook); worker "
                        "processes cannot import it: move it into a module, or use workers=1")


def drive(payload: Payload, states: Sequence[ScenarioRun], work: Callable[[Executor], None], *,
          workers: int, scheduler: str | None, total_tasks: int, bar: Progress,
          stopped: StopHandler, pool: Any = None) -> None:
    """Start the executor the runs of ``states`` ask for (on ``pool``, a
    :class:`~sim.engine.pool.WorkerPool`, when given); ``work`` computes their chunks on it.

    On success the executor is closed after its last chunk; on any exception it is cancelled
    at once, ``bar`` is closed and ``stopped`` decides what the caller sees.
    """
    executor: Executor | None = None
    with CtrlC() as ctrl_c:
        try:
            with ctrl_c.held():  # a pool half made could not be closed
                executor = make_executor(payload, workers=workers, scheduler=scheduler,
                                         total_tasks=total_tasks, pool=pool)
            for state in states:
                state.manifest["executor"] = executor.name
            check_model_for(payload.model, executor)
            work(_Interruptible(executor, ctrl_c))
            ctrl_c.check()
        except BaseException as exc:
            if executor is not None:
                executor.close(cancel=True)
            bar.close()
            replacement = stopped(exc)
            if replacement is None:
                raise
            raise replacement from None
    executor.close()
    bar.close()


class _Interruptible:
    """The executor, stopping at the next chunk after a Ctrl-C that CPython dropped (see
    :mod:`sim.interrupts`)."""

    def __init__(self, executor: Executor, ctrl_c: CtrlC) -> None:
        self.executor = executor
        self.workers = executor.workers
        self.name = executor.name
        self._ctrl_c = ctrl_c

    def run(self, tasks: Iterable[Task]) -> Iterator[ChunkData]:
        for chunk in self.executor.run(tasks):
            self._ctrl_c.check()
            yield chunk

    def close(self, *, cancel: bool = False) -> None:
        self.executor.close(cancel=cancel)


def replication_failed(error: dict[str, Any], *, entropy: int, folder: Path | None = None,
                       model: str = DEFAULT_MODEL, advice: str = "") -> ReplicationFailed:
    """The one line saying which replication failed, why, and how to re-run it alone."""
    k = error["replication"]
    if folder is None:
        named = "" if model == DEFAULT_MODEL else f", model={model!r}"
        where, how = "", f"sim.run_replication(scenario, entropy={entropy}, index={k}{named})"
    else:
        how = f"`sim reproduce {folder} --replication {k}{model_option(model)}`"
        where = f" in {folder}"
    return ReplicationFailed(f"replication {k} failed{where}: {error['error']}; re-run it alone "
                             f"with {how}{advice}")
