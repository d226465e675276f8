"""Replications per second of the historical scenario, with 1 and 2 workers.

    python benchmarks/throughput.py [--runs N] [--seed S] [--warm-runs N] [--profile]

Prints the wall-clock rate of ``sim.engine.run`` (in memory, pool start-up included) with one
worker and with two, the parallel efficiency (rate with 2 / twice the rate with 1), the same
two-worker run writing a results folder (chunks, ledger, runs.csv, summary; figures skipped),
and how the model compares with a bare SimPy loop processing the same number of events as one
replication, so that the model's own overhead over the kernel is visible as a ratio, and the
warm loop: ``--warm-runs`` replications (default 1,000) at a time on a ``sim.WorkerPool``
that is already up, five times.  On a shared machine wall-clock figures are inflated by
other processes: every figure says whether it is wall or CPU time, and the "engine
efficiency" (CPU in replications plus time spent waiting for a CPU, over workers x wall)
is what the parallel efficiency would be on an otherwise idle machine.
``--profile`` adds the top of a cProfile of one-worker replications.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "historical.yaml"


def count_events(scenario: object, entropy: int, replications: int = 50) -> float:
    """Mean number of SimPy events processed by one replication of the model."""
    from sim import engine

    counted = {"n": 0}
    real_step = simpy.Environment.step

    def counting_step(self: simpy.Environment) -> None:
        counted["n"] += 1
        real_step(self)

    simpy.Environment.step = counting_step  # type: ignore[method-assign]
    try:
        for i in range(replications):
            engine.run_replication(scenario, entropy, i)
    finally:
        simpy.Environment.step = real_step  # type: ignore[method-assign]
    return counted["n"] / replications


def draw_seconds(scenario: object, entropy: int, replications: int = 1000) -> float:
    """CPU seconds per replication of the parameter draws alone (streams made beforehand): a
    distribution whose ``ppf`` is slow shows here by name, not only in the total."""
    from sim.streams import Streams

    sampler = scenario.sampler()  # type: ignore[attr-defined]
    streams = [Streams(entropy, i) for i in range(replications)]
    for s in streams:
        s["parameters"]  # the generator made here, not timed
    start = time.process_time()
    for s in streams:
        sampler.draw_for(s)
    return (time.process_time() - start) / replications


def bare_simpy_seconds(events: int, repeats: int = 200) -> float:
    """Seconds per 'replication' of a SimPy loop doing nothing but ``events`` timeouts."""

    def ticker(env: simpy.Environment, n: int):  # type: ignore[no-untyped-def]
        for _ in range(n):
            yield env.timeout(1)

    n = max(1, int(round(events)) - 1)  # the process start is an event too
    start = time.process_time()  # CPU time, like the model's figure: immune to a busy machine
    for _ in range(repeats):
        env = simpy.Environment()
        env.process(ticker(env, n))
        env.run()
    return (time.process_time() - start) / repeats


def timed_run(scenario: object, runs: int, seed: int, workers: int,
              **kw: object) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds the workers spent inside replications, seconds they were
    ready to run but waited for a CPU taken by other processes)."""
    from sim import engine

    start = time.perf_counter()
    res = engine.run(scenario, runs=runs, seed=seed, workers=workers, progress=False, **kw)
    elapsed = time.perf_counter() - start
    assert res.n == runs, f"{runs - res.n} replications failed"
    return (elapsed, float(res.manifest["cpu_seconds"]),
            float(res.manifest.get("cpu_wait_seconds", 0.0)))


def warm_loop(scenario: object, runs: int, seed: int, repeats: int = 5) -> None:
    """``runs`` replications at a time on a pool that is already up (the notebook loop)."""
    from sim import engine

    with engine.WorkerPool(workers=2) as pool:
        pool.wait()
        engine.run(scenario, runs=100, seed=seed, pool=pool, progress=False)  # imports in workers
        walls, cpus, waits = [], [], []
        for k in range(repeats):
            start, cpu = time.perf_counter(), time.process_time()
            res = engine.run(scenario, runs=runs, seed=seed + k, pool=pool, progress=False)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            waits.append(float(res.manifest.get("cpu_wait_seconds", 0.0)))
            work = float(res.manifest["cpu_seconds"])
    walls.sort()
    print(f"  warm pool, {runs:,} replications, 2 workers: wall {walls[0]:.3f}-{walls[-1]:.3f} s "
          f"(median {walls[len(walls) // 2]:.3f}); parent CPU {min(cpus):.3f}-{max(cpus):.3f} s; "
          f"workers' CPU in replications {work:.3f} s, waiting for a CPU up to "
          f"{max(waits):.2f} s; on an idle machine about {work / 2 + min(cpus):.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm-runs", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    from sim import engine
    from sim.scenario import load_scenario
    from sim.streams import root_entropy

    scenario = load_scenario(SCENARIO)
    engine.run(scenario, runs=20, seed=args.seed, workers=1, progress=False)  # warm imports

    print(f"scenario {SCENARIO.name}, {args.runs:,} replications, seed {args.seed}, "
          f"{os.cpu_count()} CPUs, load average before {os.getloadavg()[0]:.2f}")
    n = args.runs
    t1, c1, w1 = timed_run(scenario, n, args.seed, 1)
    r1 = n / t1
    print(f"  1 worker : {t1:7.2f} s  {r1:8.0f} replications/s  ({1e3 * t1 / n:.3f} ms each; "
          f"CPU in replications {1e3 * c1 / n:.3f} ms each)")
    t2, c2, w2 = timed_run(scenario, n, args.seed, 2)
    r2 = n / t2
    print(f"  2 workers: {t2:7.2f} s  {r2:8.0f} replications/s  (pool start-up included; "
          f"CPU in replications {1e3 * c2 / n:.3f} ms each)")
    print(f"  time workers waited for a CPU held by other processes: {w1:.1f} s (1 worker), "
          f"{w2:.1f} s (2 workers)")
    est1 = c1 / n
    est2 = (c2 / 2) / n
    print(f"  on an otherwise idle machine this would be about {n * est1:.1f} s with 1 worker "
          f"and {n * est2:.1f} s + start-up with 2 (efficiency {est1 / (2 * est2):.2f} "
          "before start-up)")
    print(f"  engine efficiency, 2 workers: {(c2 + w2) / (2 * t2):.2f} (CPU in replications "
          "+ time waiting for a CPU, over 2 x wall: the parallel efficiency on an idle machine; "
          f"1 worker: {(c1 + w1) / t1:.2f})")
    print(f"  parallel efficiency: {r2 / (2 * r1):.2f}; worker utilisation with 2 workers "
          f"{c2 / (2 * t2):.2f} (CPU seconds in replications / (2 x wall seconds): well below "
          "1 means the workers waited, for the pool to start or for a busy machine)")
    with tempfile.TemporaryDirectory() as tmp:
        tf, _, _ = timed_run(scenario, n, args.seed, 2, out=Path(tmp) / "run", plots=False)
    print(f"  2 workers writing a results folder (no figures): {tf:7.2f} s  "
          f"{n / tf:8.0f} replications/s")

    warm_loop(scenario, args.warm_runs, args.seed)
    print(f"  load average after: {os.getloadavg()[0]:.2f} (other processes compete for the "
          "same cores)")
    events = count_events(scenario, root_entropy(args.seed))
    bare = bare_simpy_seconds(events)
    per_rep = c1 / n
    print(f"  SimPy events per replication: {events:.0f}")
    print(f"  bare SimPy loop with as many events: {1e3 * bare:.3f} ms CPU; a replication "
          f"(parameters, model, encoding) takes {1e3 * per_rep:.3f} ms CPU, "
          f"{per_rep / bare:.1f}x the kernel alone")
    draw = draw_seconds(scenario, root_entropy(args.seed))
    print(f"  of which drawing the parameters: {1e3 * draw:.3f} ms CPU "
          f"({draw / per_rep:.0%}; {len(scenario.sampler().uncertain)} uncertain parameters)")

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        engine.run(scenario, runs=min(args.runs, 1000), seed=args.seed, workers=1,
                   progress=False)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(20)
        print(buf.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
