"""The warm worker pool: the same bytes as a run with its own workers, whatever ran on the
pool before; workers that survive a scenario change; recovery from a lost worker; a clean
exit (no warnings, no processes left) whether or not the pool was closed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.engine import RunInterrupted, WorkerPool, run, run_batch
from sim.errors import UserError
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
HISTORICAL = ROOT / "scenarios" / "historical.yaml"
RUNS = 300


@pytest.fixture(scope="module")
def scenarios():
    base = load_scenario(HISTORICAL)
    return base, base.with_overrides({"embargo.enabled": False})


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(workers=2) as p:
        yield p


def same(a, b) -> None:
    assert list(a.rows()) == list(b.rows())
    sa, sb = a.series.to_npz(), b.series.to_npz()
    assert sorted(sa) == sorted(sb)
    for name in sa:
        np.testing.assert_array_equal(sa[name], sb[name])
    assert a.summary() == b.summary()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purposes only once reaped: look at its state
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_pool_gives_the_bytes_of_a_cold_run_across_scenario_changes(pool, scenarios) -> None:
    base, other = scenarios
    assert pool.wait(timeout=300)
    cold = [run(s, runs=RUNS, seed=3, workers=2, progress=False) for s in scenarios]
    warm = [run(s, runs=RUNS, seed=3, pool=pool, progress=False) for s in (base, other, base)]
    pids = pool.pids()
    assert len(pids) == 2
    same(cold[0], warm[0])
    same(cold[1], warm[1])
    same(cold[0], warm[2])
    assert warm[0].manifest["executor"] == "processes" and warm[0].manifest["workers"] == 2
    # one batch on the same workers, then a folder run: the workers survived every change
    batch = run_batch(list(scenarios), RUNS, 3, pool=pool, progress=False)
    same(cold[0], batch[0])
    same(cold[1], batch[1])
    assert pool.pids() == pids


def test_pool_run_to_a_folder_writes_the_same_files(pool, scenarios, tmp_path) -> None:
    base, _ = scenarios
    run(base, runs=RUNS, seed=5, workers=2, progress=False, out=tmp_path / "cold", plots=False)
    run(base, runs=RUNS, seed=5, pool=pool, progress=False, out=tmp_path / "warm", plots=False)
    for name in ("runs.csv", "summary.json", "outcomes.npz", "series.npz"):
        assert (tmp_path / "cold" / name).read_bytes() == (tmp_path / "warm" / name).read_bytes()


def test_a_lost_worker_stops_the_run_and_the_next_run_starts_new_ones(scenarios) -> None:
    base, _ = scenarios
    reference = run(base, runs=RUNS, seed=7, workers=1, progress=False)
    with WorkerPool(workers=2) as pool:
        run(base, runs=200, seed=7, pool=pool, progress=False)
        old = pool.pids()
        os.kill(old[0], signal.SIGKILL)
        time.sleep(0.5)
        with pytest.raises(RunInterrupted, match="worker process died"):
            run(base, runs=RUNS, seed=7, pool=pool, progress=False)
        assert not any(alive(p) for p in old)
        again = run(base, runs=RUNS, seed=7, pool=pool, progress=False)
        assert set(pool.pids()).isdisjoint(old)
        same(reference, again)


def test_pool_options_are_checked(scenarios) -> None:
    base, _ = scenarios
    pool = WorkerPool(workers=2)
    with pytest.raises(UserError, match="workers=3: the pool has 2 workers"):
        run(base, runs=100, seed=1, workers=3, pool=pool, progress=False)
    with pytest.raises(UserError, match="not both"):
        run(base, runs=100, seed=1, pool=pool, scheduler="tcp://127.0.0.1:1", progress=False)
    with pytest.raises(UserError, match="expected a sim.WorkerPool"):
        run(base, runs=100, seed=1, pool=object(), progress=False)  # type: ignore[arg-type]
    pids = pool.pids()
    pool.close()
    assert pool.closed and "closed" in repr(pool)
    assert not any(alive(p) for p in pids)
    with pytest.raises(UserError, match="WorkerPool is closed"):
        run(base, runs=100, seed=1, pool=pool, progress=False)
    assert sim.WorkerPool is WorkerPool


SCRIPT = """
import sys, sim
if __name__ == "__main__":
    scenario = sim.load_scenario(sys.argv[1])
    pool = sim.WorkerPool(workers=2)
    sim.run(scenario, runs=200, seed=1, pool=pool, progress=False)
    assert pool.wait(timeout=300)
    print(*pool.pids(), flush=True)
    {ending}
"""


@pytest.mark.parametrize("ending", ["pass", "pool.close()"])
def test_exit_is_clean_with_or_without_close(ending: str, tmp_path) -> None:
    script = tmp_path / "warm.py"
    script.write_text(textwrap.dedent(SCRIPT.format(ending=ending)))
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="default")
    proc = subprocess.run([sys.executable, str(script), str(HISTORICAL)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    pids = [int(p) for p in proc.stdout.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 10
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in pids)


INTERRUPTED = """
import sys, sim
from sim.engine import RunInterrupted
if __name__ == "__main__":
    scenario = sim.load_scenario(sys.argv[1])
    with sim.WorkerPool(workers=2) as pool:
        sim.run(scenario, runs=100, seed=1, pool=pool, progress=False)
        assert pool.wait(timeout=300)
        print(*pool.pids(), flush=True)
        try:
            sim.run(scenario, runs=200_000, seed=1, pool=pool, progress=False)
        except RunInterrupted as exc:
            print(exc.exit_code, exc, flush=True)
        print(*pool.pids(), flush=True)
"""


def test_ctrl_c_stops_a_pooled_run_in_one_line_and_stops_its_workers(tmp_path) -> None:
    script = tmp_path / "interrupted.py"
    script.write_text(textwrap.dedent(INTERRUPTED))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(script), str(HISTORICAL)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    assert proc.stdout is not None
    pids = [int(p) for p in proc.stdout.readline().split()]
    time.sleep(3.0)  # well into the second run (its set-up takes a moment)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith("130 run interrupted after "), out
    assert "Traceback" not in err
    assert lines[1:] == [""] or lines[1:] == []  # no workers while none are needed
    assert not any(alive(p) for p in pids)
