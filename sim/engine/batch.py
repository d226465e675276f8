"""Many scenarios in one pool, in memory, with common random numbers: what comparisons,
sweeps and sensitivity analyses run."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from sim.engine.driver import RunInterrupted, drive, replication_failed
from sim.engine.executors import Executor, Task, WorkerLost, check_scheduler
from sim.engine.options import check_memory, check_runs, default_chunk_size, pick_seed
from sim.engine.pool import WorkerPool, check_pool
from sim.engine.provenance import git_commit, new_manifest
from sim.engine.scenario_run import ScenarioRun, StopOnError
from sim.engine.worker import Payload, model_path
from sim.progress import Progress
from sim.results import SERIES_BLOCK, FigureWriter, Results
from sim.streams import root_entropy


def run_batch(scenarios: Sequence[Any], runs: int, seed: int | None, *,
              workers: int | None = None, progress: bool | None = None,
              scheduler: str | None = None, keep_going: bool = False,
              model: Callable[..., Any] | str | None = None,
              figures: FigureWriter | None = None,
              pool: WorkerPool | None = None, keep_series: bool = True) -> list[Results]:
    """Run many scenarios in one pool, in memory, with common random numbers.

    Every scenario uses the same root entropy, so replication *i* of each scenario shares its
    random numbers: differences between scenarios are due to the assumptions, not to luck.
    One pool serves all scenarios (no start-up cost per scenario), chunks of different
    scenarios interleave, and each scenario's results are assembled in index order.
    ``figures`` is what the Results draw plots/ with when written; ``pool`` (a
    :class:`WorkerPool`) lends its warm workers instead of starting new ones.
    ``keep_series=False`` keeps only the monthly series' means (``Results.series`` has no
    quantiles nor sample, ``quantile_runs`` 0): an analysis that reads the outcomes alone
    saves about 7 MB a scenario per thousand replications.
    """
    scenarios = list(scenarios)
    if not scenarios:
        return []
    runs = check_runs(runs)
    seed = pick_seed(seed)
    workers = check_pool(pool, workers, scheduler)
    check_memory(runs, in_memory=True, what="--runs", scenarios=len(scenarios))
    check_scheduler(scheduler)
    entropy = root_entropy(seed)
    mpath = model_path(model)
    size = default_chunk_size(runs * len(scenarios), workers)
    size = min(size, max(SERIES_BLOCK, math.ceil(runs / SERIES_BLOCK) * SERIES_BLOCK))
    payload = Payload.for_scenarios(scenarios, mpath, entropy, seed, keep_going)
    bar = Progress(runs * len(scenarios), enabled=progress)
    commit = git_commit()  # one lookup is enough for a batch
    states = []
    for sc in scenarios:
        manifest = new_manifest(sc, seed=seed, entropy=entropy, runs=runs, chunk_size=size,
                                model=mpath, command=None, keep_going=keep_going,
                                precision=None, max_runs=None, workers=workers,
                                scheduler=scheduler, git=commit)
        states.append(ScenarioRun(sc, manifest, None, bar, figures=figures,
                                  keep_series=keep_series))
    tasks: list[Task] = []
    for si, st in enumerate(states):
        tasks.extend(st.tasks(runs, si))

    def work(executor: Executor) -> None:
        for chunk in executor.run(tasks):
            states[chunk.scenario].accept(chunk)

    def stopped(exc: BaseException) -> BaseException | None:
        if isinstance(exc, StopOnError):
            return replication_failed(exc.error, entropy=entropy, model=mpath)
        if isinstance(exc, WorkerLost):
            return RunInterrupted(f"batch run stopped: {exc}")
        return None

    drive(payload, states, work, workers=workers, scheduler=scheduler, total_tasks=len(tasks),
          bar=bar, stopped=stopped, pool=pool)
    return [st.finish() for st in states]
