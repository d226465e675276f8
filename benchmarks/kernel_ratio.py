"""The model's cost per SimPy event against a bare SimPy loop with the same schedule.

    python benchmarks/kernel_ratio.py [--replications 200] [--repeats 15] [--instructions]

Records, for each of the first ``--replications`` replications of the historical scenario,
every process the model starts (when it starts) and every instant it resumes; a bare SimPy
loop then replays exactly that schedule: the same number of processes, started at the same
times, each sleeping on plain timeouts until its next recorded resumption, so the kernel
processes about the same events in the same order of time.  The two are timed side by side in
one process, interleaved (model block, bare block, model block...), in CPU time, and the
ratio of CPU per event is reported with its spread over the repeats:

* ``replication``: a replication as a worker runs it (streams, parameter draws, the model,
  the monthly series and the encoded outcome row: ``sim.engine.compute_chunk``);
* ``simulate``: the model alone (``sim.model.simulate`` on parameters drawn beforehand).

``--instructions`` also counts the instructions each costs per replication under
``valgrind --tool=callgrind`` (deterministic whatever else the machine runs; needs valgrind):
the difference between a child process that runs N replications and one that runs none.
"""

from __future__ import annotations

import argparse
import os
import re
import site
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import simpy
from simpy.events import Process, Timeout

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "historical.yaml"

#: One replication's schedule: per process (in start order), its start time and the delays
#: between its resumptions.
Schedule = list[tuple[float, list[float]]]


def _setup(seed: int) -> tuple[Any, Any]:
    from sim.engine.worker import Payload
    from sim.scenario import load_scenario
    from sim.streams import root_entropy

    scenario = load_scenario(SCENARIO)
    payload = Payload.for_scenarios([scenario], "sim.model:simulate", root_entropy(seed), seed,
                                    False)
    return scenario, payload


def record(payload: Any, n: int) -> tuple[list[Schedule], float]:
    """The schedules of replications 0..n-1 and the mean events a replication processes."""
    from sim.engine.worker import compute_chunk

    log: list[tuple[float, list[float]]] = []
    by_proc: dict[int, list[float]] = {}
    events = {"n": 0}
    real_init, real_resume, real_step = Process.__init__, Process._resume, simpy.Environment.step

    def init(self: Process, env: simpy.Environment, generator: Any) -> None:
        real_init(self, env, generator)
        times: list[float] = []
        by_proc[id(self)] = times
        log.append((float(env.now), times))

    def resume(self: Process, event: Any) -> None:
        by_proc[id(self)].append(float(self.env.now))
        real_resume(self, event)

    def step(self: simpy.Environment) -> None:
        events["n"] += 1
        real_step(self)

    schedules: list[Schedule] = []
    Process.__init__, Process._resume = init, resume  # type: ignore[method-assign]
    simpy.Environment.step = step  # type: ignore[method-assign]
    try:
        for i in range(n):
            log.clear()
            by_proc.clear()
            compute_chunk(payload, 0, i, i + 1)
            sched: Schedule = []
            for start, times in log:
                # the first resumption is the start itself (SimPy's Initialize event)
                stamps = [start, *times[1:]]
                sched.append((start, [b - a for a, b in zip(stamps, stamps[1:])]))
            schedules.append(sched)
    finally:
        Process.__init__, Process._resume = real_init, real_resume  # type: ignore[method-assign]
        simpy.Environment.step = real_step  # type: ignore[method-assign]
    return schedules, events["n"] / n


def replay(schedule: Schedule, until: float) -> int:
    """Run one recorded schedule on a bare SimPy environment; returns the events processed.

    The environment starts where the model's clock starts (the first process's start time,
    ``simulation.start``: before 1 Jan 1939, so negative)."""
    t0 = min((start for start, _ in schedule), default=0.0)
    env = simpy.Environment(initial_time=min(t0, 0.0))

    def body(delays: list[float]) -> Any:
        timeout = env.timeout
        for d in delays:
            yield timeout(d)

    def starter(delays: list[float]) -> Callable[[Any], None]:
        return lambda _event: env.process(body(delays))  # type: ignore[arg-type]

    for start, delays in schedule:
        if start == env.now:
            env.process(body(delays))
        else:  # started later by a signal or another process: one event to start it, as there
            Timeout(env, start - env.now).callbacks.append(starter(delays))  # type: ignore[union-attr]
    env.run(until=until)
    return 0


def count_replay_events(schedules: list[Schedule], until: float) -> float:
    events = {"n": 0}
    real_step = simpy.Environment.step

    def step(self: simpy.Environment) -> None:
        events["n"] += 1
        real_step(self)

    simpy.Environment.step = step  # type: ignore[method-assign]
    try:
        for s in schedules:
            replay(s, until)
    finally:
        simpy.Environment.step = real_step  # type: ignore[method-assign]
    return events["n"] / len(schedules)


def horizon_end(scenario: Any) -> float:
    from sim.model.accounts import day_of

    return day_of(scenario.values["simulation.horizon"]) + 1.0


def blocks(scenario: Any, payload: Any, n: int) -> dict[str, Callable[[], None]]:
    """The three timed blocks, each over replications 0..n-1."""
    from sim.engine.worker import compute_chunk, resolve_model
    from sim.streams import Streams

    schedules, _ = record(payload, n)
    until = horizon_end(scenario)
    model = resolve_model(payload.model)
    sampler = payload.samplers[0]
    drawn = [sampler.draw_for(Streams(payload.entropy, i)) for i in range(n)]

    def run_replications() -> None:
        compute_chunk(payload, 0, 0, n)

    def run_simulate() -> None:
        for i, params in enumerate(drawn):
            model(params, Streams(payload.entropy, i))

    def run_bare() -> None:
        for s in schedules:
            replay(s, until)

    return {"replication": run_replications, "simulate": run_simulate, "bare": run_bare}


def cpu(fn: Callable[[], None]) -> float:
    t = time.process_time()
    fn()
    return time.process_time() - t


def instructions(what: str, n: int, seed: int) -> float:
    """Instructions per replication of ``what`` under callgrind (N runs minus none)."""
    counts = []
    paths = [str(ROOT), *site.getsitepackages(), os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=os.pathsep.join(p for p in paths if p))
    with tempfile.TemporaryDirectory() as tmp:
        for dry in (True, False):
            out = Path(tmp) / f"cg.{dry}"
            proc = subprocess.run(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
                 __file__, "--child", what, "--replications", str(n), "--seed", str(seed),
                 *(["--dry"] if dry else [])],
                env=env, capture_output=True, text=True, check=True)
            found = re.search(r"Collected : (\d+)", proc.stderr)
            if not found:
                raise RuntimeError(f"callgrind gave no count:\n{proc.stderr[-2000:]}")
            counts.append(int(found.group(1)))
    return (counts[1] - counts[0]) / n


def child(what: str, n: int, seed: int, dry: bool) -> None:
    """Set up as the timed run does (warm caches on other replications), then run the N
    replications of ``what`` unless ``dry``: the difference of two children is their cost."""
    scenario, payload = _setup(seed)
    from sim.engine.worker import compute_chunk

    compute_chunk(payload, 0, 10_000, 10_020)  # imports, caches
    fns = blocks(scenario, payload, n)
    replay(record(payload, 1)[0][0], horizon_end(scenario))
    if not dry:
        fns[what]()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--child", choices=("replication", "simulate", "bare"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--dry", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.replications, args.seed, args.dry)
        return 0

    scenario, payload = _setup(args.seed)
    n = args.replications
    from sim.engine.worker import compute_chunk

    compute_chunk(payload, 0, 10_000, 10_100)  # warm imports and caches
    schedules, model_events = record(payload, n)
    bare_events = count_replay_events(schedules, horizon_end(scenario))
    procs = statistics.mean(len(s) for s in schedules)
    fns = blocks(scenario, payload, n)
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(args.repeats):  # interleaved, so that load on the machine hits all alike
        for name, fn in fns.items():
            times[name].append(cpu(fn) / n)

    print(f"scenario {SCENARIO.name}, replications 0..{n - 1}, seed {args.seed}, "
          f"{args.repeats} interleaved repeats, CPU time (load average "
          f"{os.getloadavg()[0]:.2f})")
    print(f"  per replication: {procs:.1f} processes; SimPy events: model {model_events:.1f}, "
          f"bare replay {bare_events:.1f}")
    for name in fns:
        t = times[name]
        print(f"  {name:11s}: median {1e3 * statistics.median(t):.3f} ms CPU per replication "
              f"(min {1e3 * min(t):.3f}, max {1e3 * max(t):.3f})")
    per_event_bare = [b / bare_events for b in times["bare"]]
    for name in ("replication", "simulate"):
        ratios = sorted(m / model_events / b for m, b in zip(times[name], per_event_bare))
        q1, q3 = ratios[len(ratios) // 4], ratios[(3 * len(ratios)) // 4]
        print(f"  CPU per event, {name} / bare: median {statistics.median(ratios):.2f}x "
              f"(quartiles {q1:.2f}-{q3:.2f}, range {ratios[0]:.2f}-{ratios[-1]:.2f}, "
              "paired repeat by repeat)")
    if args.instructions:
        k = min(n, 100)
        counts = {name: instructions(name, k, args.seed) for name in fns}
        for name, c in counts.items():
            print(f"  instructions per replication ({name}, callgrind, {k} replications): "
                  f"{c / 1e6:.3f} M")
        for name in ("replication", "simulate"):
            ratio = (counts[name] / model_events) / (counts["bare"] / bare_events)
            print(f"  instructions per event, {name} / bare: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
