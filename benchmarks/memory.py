"""Peak memory of a large run written to disk.

    python benchmarks/memory.py [--runs N] [--workers W] [--model real|engine-only]
                                [--no-fsync-chunks] [--default-allocator] [--no-pyarrow]

Runs ``N`` replications (default 1,000,000) of ``scenarios/historical.yaml`` into a temporary
results folder (figures skipped) and prints the peak resident memory of the parent process,
which holds the compact outcome arrays and the bounded series summary (workers hold one
chunk at a time).
``--model engine-only`` replaces the campaign model with a function that returns fixed
outcomes at once, to measure the engine's own memory and speed in minutes rather than the
model's run time.  The parent's C allocator is set as the ``sim`` command sets it
(:mod:`sim.allocator`; ``--default-allocator`` leaves it as Python starts it).  It also
prints the size of each file of the folder, the time the parent spent writing chunks
(fsync'd; ``--no-fsync-chunks`` measures the same run without forcing chunk files to disk)
and the time of the final assembly (runs.csv, the tables, summary.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "historical.yaml"

_SERIES_CACHE: dict[dt.date, dict[str, np.ndarray]] = {}


class _Replication:
    def __init__(self, outcomes: dict[str, Any], series: dict[str, np.ndarray]) -> None:
        self.outcomes = outcomes
        self.series = series
        self.events = None


def engine_only_model(params: dict[str, Any], streams: Any, trace: bool = False) -> _Replication:
    """Outcomes of every kind that vary with the replication index, at almost no cost."""
    from sim.outcomes import OUTCOMES, SERIES, month_ends

    horizon = params["simulation.horizon"]
    series = _SERIES_CACHE.get(horizon)
    if series is None:
        m = len(month_ends(horizon))
        series = _SERIES_CACHE[horizon] = {name: np.linspace(1.0, 2.0, m) for name in SERIES}
    i = streams.replication
    out: dict[str, Any] = {}
    for o in OUTCOMES:
        if o.kind == "category":
            out[o.name] = o.categories[i % len(o.categories)]
        elif o.kind == "date":
            out[o.name] = dt.date(1941, 1, 1) + dt.timedelta(days=i % 700) if i % 3 else None
        else:
            out[o.name] = float(i % 100_000) + 0.25
    return _Replication(out, series)


def peak_rss_kib() -> int:
    """This process's peak resident memory in KiB.

    On Linux this is ``VmHWM``: ``ru_maxrss`` is carried over from the parent across
    fork/exec, so a benchmark started from a big process would report that process's size.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss  # macOS reports bytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--model", choices=("real", "engine-only"), default="real")
    parser.add_argument("--no-fsync-chunks", action="store_true",
                        help="do not force chunk files to disk (to measure what it costs)")
    parser.add_argument("--default-allocator", action="store_true",
                        help="leave glibc's mmap threshold moving (the sim command fixes it: "
                             "sim.allocator), to measure what fixing it saves")
    parser.add_argument("--no-pyarrow", action="store_true",
                        help="write the folder as without pyarrow (the core format: "
                             "outcomes.npz, compressed above 200,000 replications)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent))  # workers import this file
    from sim import engine
    from sim.allocator import fix_mmap_threshold

    if not args.default_allocator:
        fix_mmap_threshold()  # as the sim command does
    from sim.scenario import load_scenario

    model = "memory:engine_only_model" if args.model == "engine-only" else None
    if args.no_pyarrow:
        from sim.results import table

        table.have_pyarrow = lambda: False  # the parent alone writes the tables
    scenario = load_scenario(SCENARIO)
    timings = _time_parent_steps(args.no_fsync_chunks)
    base = peak_rss_kib()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        res = engine.run(scenario, runs=args.runs, seed=args.seed, workers=args.workers,
                         out=Path(tmp) / "run", plots=False, progress=None, model=model)
        elapsed = time.perf_counter() - start
        files = {str(p.relative_to(Path(tmp) / "run")): p.stat().st_size
                 for p in (Path(tmp) / "run").rglob("*") if p.is_file()}
        size = sum(files.values())
    peak = peak_rss_kib()
    print(f"{args.model} model, {res.n:,} replications ({len(res.errors)} failed), "
          f"{args.workers} workers: {elapsed:.1f} s, {res.n / elapsed:,.0f} replications/s")
    print(f"  parent peak RSS: {peak / 1024:.0f} MB (after imports: {base / 1024:.0f} MB)")
    print(f"  results folder: {size / 1e6:.0f} MB on disk; worker CPU in replications "
          f"{res.manifest['cpu_seconds']:.1f} s")
    print("  files: " + ", ".join(f"{name} {n / 1e6:.1f} MB" for name, n in sorted(files.items())))
    for step, (wall, cpu) in timings.items():
        print(f"  {step}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    return 0


def _time_parent_steps(no_fsync: bool) -> dict[str, tuple[float, float]]:
    """Wall and CPU time of the parent's chunk writing and final assembly (wrapped here)."""
    import os

    from sim.engine.scenario_run import ScenarioRun
    from sim.results import ChunkLedger

    timings = {"writing chunks": (0.0, 0.0), "final assembly": (0.0, 0.0)}

    def timed(step: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), time.process_time()
            fsync = os.fsync
            if no_fsync and step == "writing chunks":
                os.fsync = lambda fd: None
            try:
                return fn(*args, **kwargs)
            finally:
                os.fsync = fsync
                w, c = timings[step]
                timings[step] = (w + time.perf_counter() - wall, c + time.process_time() - cpu)
        return wrapper

    ChunkLedger.record = timed("writing chunks", ChunkLedger.record)  # type: ignore[method-assign]
    ScenarioRun.finish = timed("final assembly", ScenarioRun.finish)  # type: ignore[method-assign]
    return timings


if __name__ == "__main__":
    sys.exit(main())
