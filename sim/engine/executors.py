"""Where chunks of replications are computed: this process, local worker processes, or Dask.

Every executor runs the same function (:func:`sim.engine.worker.compute_chunk`) on the same
``(scenario, start, stop)`` tasks and hands back the same :class:`~sim.results.ChunkData`;
only the order in which chunks come back differs, and the engine puts them back in order.
That is why results are bit-identical whatever the executor or the number of workers.

Local workers are started with the ``forkserver`` method (``spawn`` where it does not exist):
never ``fork``, which is unsafe in notebooks and with threads, so the model function must be
importable by its module path (a function defined at module level, not in a notebook cell).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import forkserver, resource_tracker
from typing import Any, Protocol

from sim.engine.worker import Payload, compute_chunk
from sim.errors import UserError
from sim.interrupts import deferred
from sim.results import ChunkData

#: (scenario index, first replication, one past the last replication)
Task = tuple[int, int, int]

#: Libraries worth importing once in the fork server (users do not edit them, so a long-lived
#: server cannot hand out stale code; the project's own modules are imported fresh per worker).
#: PyYAML: workers import the engine, whose results package reads scenarios from manifests.
_PRELOAD = ["numpy", "scipy.special", "simpy", "pydantic", "yaml"]


#: Seconds to wait for a Dask scheduler before giving up.
CONNECT_TIMEOUT = 20.0


#: Replications this process computes at a time while the pool starts (a series block, so
#: that chunk boundaries stay on the block grid).
LOCAL_STEP = 100


class WorkerLost(RuntimeError):
    """A worker process died (killed, out of memory) or a Dask worker was lost."""


class Executor(Protocol):
    """What the engine needs of where chunks are computed: chunks back for tasks, then close."""

    workers: int
    name: str

    def run(self, tasks: Iterable[Task]) -> Iterator[ChunkData]: ...

    def close(self, *, cancel: bool = False) -> None: ...


# --------------------------------------------------------------------------------------
# in this process
# --------------------------------------------------------------------------------------

class InProcessExecutor:
    """Runs chunks one after another here: no start-up cost, the natural choice for one worker."""

    name = "in-process"
    workers = 1

    def __init__(self, payload: Payload) -> None:
        self.payload = payload

    def run(self, tasks: Iterable[Task]) -> Iterator[ChunkData]:
        for si, start, stop in tasks:
            yield compute_chunk(self.payload, si, start, stop)

    def close(self, *, cancel: bool = False) -> None:
        pass


# --------------------------------------------------------------------------------------
# local processes
# --------------------------------------------------------------------------------------

_WORKER_PAYLOAD: Payload | None = None


def _watch_parent(parent_pid: int) -> None:
    """Exit when the process that started us is gone (e.g. ``kill -9``): no orphans left
    computing for nobody."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(3)
        except PermissionError:  # pragma: no cover - pid reused by another user's process
            os._exit(3)


def _init_worker(payload_bytes: bytes, parent_pid: int) -> None:
    global _WORKER_PAYLOAD
    # Ctrl-C goes to the whole process group: the parent alone decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_PAYLOAD = pickle.loads(payload_bytes)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _worker_chunk(si: int, start: int, stop: int) -> ChunkData:
    assert _WORKER_PAYLOAD is not None, "worker started without _init_worker"
    return compute_chunk(_WORKER_PAYLOAD, si, start, stop)


def process_context() -> mp.context.BaseContext:
    """``forkserver`` where available (Linux, macOS), else ``spawn``."""
    if "forkserver" in mp.get_all_start_methods():
        # Imported here rather than by the thread starting the first worker: a Ctrl-C can
        # leave the interpreter's import lock held by this thread, and that one would wait
        # for it for ever (sim.interrupts).
        import multiprocessing.popen_forkserver  # noqa: F401

        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        _start_forkserver_deaf_to_ctrl_c()
        return ctx
    return mp.get_context("spawn")


def _start_forkserver_deaf_to_ctrl_c() -> None:
    """Start the fork server with Ctrl-C blocked, a mask it and every worker it forks inherit.

    Ctrl-C reaches the whole process group, and the parent alone decides what it means; a
    fork server still starting (Python's start-up, its preloads) would otherwise die of it
    with a traceback, and the pool with an ``EOFError`` in its starting thread.  Only this
    thread blocks it, so a Ctrl-C meanwhile still reaches this process.  The resource
    tracker starts first: it unblocks Ctrl-C once it has started itself.
    """
    resource_tracker.ensure_running()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


class ProcessExecutor:
    """A pool of local worker processes, each given the run's payload once at start-up."""

    name = "processes"

    def __init__(self, payload: Payload, workers: int) -> None:
        self.workers = workers
        self.payload = payload
        self.pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=process_context(), initializer=_init_worker,
            initargs=(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL), os.getpid()),
        )
        # Starting the first worker waits for the fork server to come up; do that in the
        # background while this process gets on with the first replications.
        self._starter = threading.Thread(target=_start_first_worker, args=(self.pool,),
                                         daemon=True)
        self._starter.start()
        self._warm = False  # once chunks came back, later rounds leave all work to the pool

    def run(self, tasks: Iterable[Task]) -> Iterator[ChunkData]:
        # A bounded number of chunks in flight keeps memory flat however many there are.
        # Until the first worker has delivered (the pool takes a moment to start), this
        # process computes chunks itself rather than wait idle.
        local = None if self._warm else (lambda t: compute_chunk(self.payload, *t))
        for chunk in _bounded(lambda t: self.pool.submit(_worker_chunk, *t),
                              tapered(tasks, self.workers),
                              self.workers * 3, local, ready=lambda: not self._starter.is_alive()):
            self._warm = True
            yield chunk

    def close(self, *, cancel: bool = False) -> None:
        self._starter.join()
        if cancel:
            # Interrupted: do not wait for chunks in progress, stop the workers now.
            procs = list(getattr(self.pool, "_processes", {}).values())
            self.pool.shutdown(wait=False, cancel_futures=True)
            for p in procs:
                if p.is_alive():
                    p.terminate()
            for p in procs:
                p.join(timeout=5)
        else:
            self.pool.shutdown(wait=True)


def tapered(tasks: Iterable[Task], workers: int) -> list[Task]:
    """The tasks with the last ``workers`` of them cut into series blocks, so that the
    workers finish together instead of one waiting for another's last long chunk (a chunk
    may be shorter than the chunk size: the ledger and ``--resume`` take it as it comes)."""
    tasks = list(tasks)
    head, tail = tasks[:-workers], tasks[-workers:]
    for si, start, stop in tail:
        head.extend((si, a, min(a + LOCAL_STEP, stop)) for a in range(start, stop, LOCAL_STEP))
    return head


def _ready() -> None:
    """A task that does nothing: submitting it starts a worker process."""


def _start_first_worker(pool: ProcessPoolExecutor) -> None:
    """Submit :func:`_ready`, which starts a worker.  If the pool cannot start (the run was
    stopped meanwhile, or a worker died at once), the run's own submissions say so: this
    thread must not print a traceback of its own."""
    try:
        pool.submit(_ready)
    except (RuntimeError, BrokenProcessPool, OSError, EOFError):
        pass


def _bounded(submit: Any, tasks: Iterable[Task], limit: int,
             local: Callable[[Task], ChunkData] | None = None,
             ready: Callable[[], bool] = lambda: True) -> Iterator[ChunkData]:
    """Submit tasks keeping at most ``limit`` in flight; yield chunks as they finish.

    While the pool is not ``ready`` to take tasks and no submitted task has finished yet,
    ``local`` (if given) computes further tasks in this process: pool start-up time is not
    wasted, and results do not depend on who computed which chunk.
    """
    source = iter(tasks)
    returned: list[Task] = []  # the unfinished rest of a task this process started

    def next_task() -> Task | None:
        return returned.pop() if returned else next(source, None)

    inflight: set[Future[ChunkData]] = set()
    exhausted = False
    try:
        while True:
            if local is None or ready():
                while not exhausted and len(inflight) < limit:
                    task = next_task()
                    if task is None:
                        exhausted = True
                        break
                    with deferred():  # the pool records the worker a submission starts
                        inflight.add(submit(task))
                if not inflight and (exhausted or local is None):
                    return
            if local is not None:
                if any(f.done() for f in inflight):
                    local = None  # the workers are up: leave the cores to them
                else:
                    task = next_task()
                    if task is not None:
                        # One series block at a time, so that this process stops soon
                        # after the workers are ready; the rest goes back in the queue.
                        si, start, stop = task
                        cut = min(stop, start + LOCAL_STEP)
                        if cut < stop:
                            returned.append((si, cut, stop))
                        yield local((si, start, cut))
                        continue
                    exhausted = True
                    local = None
                    continue
            done, _ = wait(inflight, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=lambda f: _order(f)):
                inflight.discard(fut)
                yield fut.result()
    except BrokenProcessPool as exc:
        raise WorkerLost(
            "a worker process died (killed or out of memory; when running a "
            "script, start runs under `if __name__ == '__main__':`)") from exc
    # Futures still in flight are not cancelled here: the executor's close(cancel=True) stops
    # their workers, and a future cancelled behind the pool's back makes its manager thread
    # fail with InvalidStateError when the pool then marks it broken (Python < 3.12).


def _order(fut: Future[ChunkData]) -> tuple[int, int]:
    if fut.cancelled() or fut.exception() is not None:
        return (-1, -1)
    chunk = fut.result()
    return (chunk.scenario, chunk.start)


# --------------------------------------------------------------------------------------
# Dask
# --------------------------------------------------------------------------------------

class DaskExecutor:
    """Chunks as tasks on a Dask ``distributed`` cluster; the payload is broadcast once."""

    name = "dask"

    def __init__(self, payload: Payload, address: str, *, timeout: float | None = None) -> None:
        timeout = CONNECT_TIMEOUT if timeout is None else timeout
        check_scheduler(address)
        # Dask is an optional extra ([dask]): imported only when a run asks for it.
        from distributed import Client, as_completed

        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UserError(
                f"--scheduler {address}: cannot connect ({exc}); expected the address of a "
                "running Dask scheduler such as tcp://10.0.0.5:8786") from None
        info = self.client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))
        self.payload = self.client.scatter(payload, broadcast=True, hash=False)
        self._as_completed = as_completed
        self._inflight: list[Any] = []

    def run(self, tasks: Iterable[Task]) -> Iterator[ChunkData]:
        pending = iter(tasks)
        limit = self.workers * 3
        first = [self._submit(t) for t in _take(pending, limit)]
        if not first:
            return
        ac = self._as_completed(first, loop=self.client.loop)
        try:
            for fut in ac:
                self._inflight.remove(fut)
                try:
                    chunk = fut.result()
                except Exception as exc:
                    if type(exc).__name__ in ("KilledWorker", "CommClosedError", "CancelledError"):
                        raise WorkerLost(f"a Dask worker was lost ({exc})") from exc
                    raise
                nxt = next(pending, None)
                if nxt is not None:
                    ac.add(self._submit(nxt))
                yield chunk
        finally:
            for fut in self._inflight:
                fut.cancel()
            self._inflight.clear()

    def _submit(self, task: Task) -> Any:
        fut = self.client.submit(compute_chunk, self.payload, *task, pure=False)
        self._inflight.append(fut)
        return fut

    def close(self, *, cancel: bool = False) -> None:
        for fut in self._inflight:
            fut.cancel()
        self.client.close()


def check_scheduler(address: str | None) -> None:
    """Refuse a ``--scheduler`` that is not the address of a Dask scheduler, before anything
    starts: a Dask client made from a malformed address is left half-built and prints a
    traceback of its own when garbage-collected, long after the error was reported."""
    if not address:
        return
    try:
        # Dask is an optional extra ([dask]): imported only when a run asks for it.
        from distributed.comm import get_address_host_port, parse_address
    except ImportError:
        raise UserError(
            "--scheduler needs Dask distributed, which is not installed; expected "
            "`pip install 'strike-north-or-south[dask]'`") from None
    try:
        scheme, _ = parse_address(address)
        if scheme != "inproc":  # an in-process cluster has no host and port
            get_address_host_port(address)
    except ValueError as exc:
        raise UserError(f"--scheduler {address}: {exc}; expected the address of a running "
                        "Dask scheduler such as tcp://10.0.0.5:8786") from None


def _take(it: Iterator[Task], n: int) -> list[Task]:
    out = []
    for _ in range(n):
        t = next(it, None)
        if t is None:
            break
        out.append(t)
    return out


def make_executor(payload: Payload, *, workers: int, scheduler: str | None,
                  total_tasks: int, pool: Any = None) -> Executor:
    """The executor a run asks for: Dask when given a scheduler, a warm
    :class:`~sim.engine.pool.WorkerPool` when given one, else local processes (or this
    process, when one worker or one chunk makes a pool pointless)."""
    if pool is not None:
        return pool.executor(payload)  # type: ignore[no-any-return]
    if scheduler:
        return DaskExecutor(payload, scheduler)
    if workers <= 1 or total_tasks <= 1:
        return InProcessExecutor(payload)
    return ProcessExecutor(payload, min(workers, total_tasks))
