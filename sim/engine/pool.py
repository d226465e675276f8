"""A pool of worker processes kept up across runs: the warm loop of notebooks and calibration.

A run normally starts its own worker processes (about half a second to a second of fresh
interpreters importing numpy, SciPy, SimPy and the model) and stops them at its end.  A
:class:`WorkerPool` starts them once and lends them to every run given ``pool=``::

    with sim.WorkerPool(workers=2) as pool:
        for date in ["1941-08-01", "1941-09-01"]:
            results = sim.run(scenario.with_overrides({"embargo.date": date}), runs=1000,
                              seed=1, pool=pool)

The workers hold no run's data: each task carries its run's payload (the scenarios'
samplers, the model's name, the root entropy), which a worker unpickles once per run and
keeps for the run's later chunks, so a pool serves any scenario, batch or model in turn and
the results are byte for byte those of a run with its own workers.  Ctrl-C, a lost worker or
a failed run stop the pool's workers as they stop a run's own; the next run starts them
again.  :meth:`WorkerPool.close` (or leaving the ``with`` block, or the interpreter exiting)
stops them for good.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import pickle
import signal
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from sim.engine.executors import (
    Task, _bounded, _ready, _watch_parent, process_context, tapered,
)
from sim.engine.options import check_workers
from sim.engine.worker import Payload, compute_chunk
from sim.errors import UserError
from sim.results import ChunkData

#: Payloads a worker keeps unpickled (a batch and a run or two alternating stay warm).
_KEPT_PAYLOADS = 4
_PAYLOADS: OrderedDict[bytes, Payload] = OrderedDict()


def _start_workers(executor: ProcessPoolExecutor, workers: int) -> None:
    """Start every worker (one per task submitted while none is idle) and wait until each has
    run a task; a pool stopped meanwhile says so in the run's own submissions."""
    try:
        for future in [executor.submit(_ready) for _ in range(workers)]:
            future.result()
    except (RuntimeError, BrokenProcessPool, OSError, EOFError, CancelledError):
        pass


def _init_pool_worker(parent_pid: int) -> None:
    # Ctrl-C goes to the whole process group: the parent alone decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _pooled_chunk(key: bytes, blob: bytes, si: int, start: int, stop: int) -> ChunkData:
    """One chunk of the run whose payload is ``blob`` (unpickled once per worker and run:
    unpickling the samplers costs far more than sending them)."""
    payload = _PAYLOADS.get(key)
    if payload is None:
        payload = _PAYLOADS[key] = pickle.loads(blob)
        while len(_PAYLOADS) > _KEPT_PAYLOADS:
            _PAYLOADS.popitem(last=False)
    else:
        _PAYLOADS.move_to_end(key)
    return compute_chunk(payload, si, start, stop)


def check_pool(pool: "WorkerPool | None", workers: int | None, scheduler: str | None) -> int:
    """The workers a run uses: ``pool``'s when given (checked to be an open pool, without a
    scheduler nor a different ``workers``), else ``workers`` checked."""
    if pool is None:
        return check_workers(workers)
    if not isinstance(pool, WorkerPool):
        raise UserError(f"pool=: expected a sim.WorkerPool, got {type(pool).__name__}")
    if pool.closed:
        raise UserError("pool=: this WorkerPool is closed; expected an open one "
                        "(make a new sim.WorkerPool())")
    if scheduler:
        raise UserError("--scheduler and pool=: a run goes to a Dask cluster or to a local "
                        "WorkerPool, not both; expected one of them")
    if workers is not None and check_workers(workers) != pool.workers:
        raise UserError(f"workers={workers}: the pool has {pool.workers} workers; expected "
                        "no workers= with pool= (or the same number)")
    return pool.workers


_OPEN_POOLS: "weakref.WeakSet[WorkerPool]" = weakref.WeakSet()


@atexit.register
def _close_open_pools() -> None:
    """Stop the workers of pools nobody closed, before the interpreter tears down."""
    for pool in list(_OPEN_POOLS):
        pool.close()


class WorkerPool:
    """Local worker processes kept up across runs (``sim.run(..., pool=pool)``,
    ``run_batch(..., pool=pool)``); a context manager.

    ``workers`` defaults to all cores.  The processes start in the background as soon as
    the pool is made, so a first run right after shares the start-up with this process's
    own work, as a run with its own workers does.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = check_workers(workers)
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._starter: threading.Thread | None = None
        self._closed = False
        self._busy = False
        _OPEN_POOLS.add(self)
        self._start()

    # -- life cycle ------------------------------------------------------------------------

    def _start(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise UserError("pool=: this WorkerPool is closed; expected an open one "
                                "(make a new sim.WorkerPool())")
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=process_context(),
                    initializer=_init_pool_worker, initargs=(os.getpid(),))
                self._starter = threading.Thread(target=_start_workers,
                                                 args=(self._executor, self.workers),
                                                 daemon=True)
                self._starter.start()
            return self._executor

    def ready(self) -> bool:
        """Whether the worker processes are up (a run then leaves all its work to them)."""
        return self._executor is not None and self._starter is not None \
            and not self._starter.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the worker processes are up (a benchmark, or a notebook about to time
        a run); returns whether they are."""
        starter = self._starter
        if starter is not None:
            starter.join(timeout)
        return self.ready()

    def pids(self) -> list[int]:
        """The worker processes' ids (empty before they have started)."""
        ex = self._executor
        return sorted(getattr(ex, "_processes", None) or {}) if ex is not None else []

    def stop_workers(self) -> None:
        """Stop the workers at once, chunks in progress included (Ctrl-C, a lost worker, a
        failed run); the next run starts new ones."""
        with self._lock:
            ex, self._executor = self._executor, None
            starter, self._starter = self._starter, None
        if ex is None:
            return
        procs = list((getattr(ex, "_processes", None) or {}).values())
        ex.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(timeout=5)
        if starter is not None:
            starter.join(timeout=5)

    def close(self) -> None:
        """Stop the workers for good (they finish nothing more); a closed pool runs nothing."""
        with self._lock:
            self._closed = True
            ex, self._executor = self._executor, None
            starter, self._starter = self._starter, None
        _OPEN_POOLS.discard(self)
        if ex is None:
            return
        if starter is not None:
            starter.join()
        ex.shutdown(wait=True, cancel_futures=True)

    @property
    def closed(self) -> bool:
        return self._closed

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else ("ready" if self.ready() else "starting")
        return f"WorkerPool(workers={self.workers}, {state})"

    # -- one run ---------------------------------------------------------------------------

    def executor(self, payload: Payload) -> "PoolExecutor":
        """The executor of one run on this pool (one run at a time)."""
        with self._lock:
            if self._busy:
                raise UserError("pool=: this WorkerPool is running another run; expected one "
                                "run at a time per pool")
            self._busy = True
        try:
            self._start()
        except BaseException:
            self._busy = False
            raise
        return PoolExecutor(self, payload)


class PoolExecutor:
    """One run's chunks on a :class:`WorkerPool` (the engine's ``Executor``)."""

    name = "processes"

    def __init__(self, pool: WorkerPool, payload: Payload) -> None:
        self.pool = pool
        self.workers = pool.workers
        self.payload = payload
        self._blob = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        self._key = hashlib.blake2b(self._blob, digest_size=16).digest()

    def run(self, tasks: Iterable[Task]) -> Iterator[ChunkData]:
        pool = self.pool
        executor = pool._start()
        # While the pool is still starting (a pool made just before its first run), this
        # process computes chunks itself, as a run with its own workers does.
        local = None if pool.ready() else (lambda t: compute_chunk(self.payload, *t))

        def submit(t: Task) -> Any:
            return executor.submit(_pooled_chunk, self._key, self._blob, *t)

        yield from _bounded(submit, tapered(tasks, self.workers), self.workers * 3, local,
                            ready=pool.ready)

    def close(self, *, cancel: bool = False) -> None:
        try:
            if cancel:
                self.pool.stop_workers()
        finally:
            self.pool._busy = False
