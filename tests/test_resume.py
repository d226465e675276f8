"""Interrupted runs: a real ``sim run`` killed with SIGKILL half-way, then ``--resume``,
gives byte-for-byte the files of an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim import engine
from sim.errors import ResultsError
from sim.results import ChunkLedger, FolderLock, load_results

TESTS = Path(__file__).resolve().parent
FILES = ("runs.csv", "summary.json", "outcomes.npz", "series.npz")


def sim_env() -> dict[str, str]:
    """Environment for a `sim` subprocess that can import the toy models of test_engine."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    env["MPLBACKEND"] = "Agg"
    return env


def sim_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "sim", *args]


def write_scenario(folder: Path, name: str = "resume-test") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"name: {name}\ndescription: A scenario for engine tests.\nparams: {{}}\n")
    return path


def ledger_lines(folder: Path) -> int:
    path = folder / "ledger.jsonl"
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_resume_after_sigkill_is_byte_identical(tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path)
    killed = tmp_path / "killed"
    args = ["run", str(scenario), "--runs", "3000", "--seed", "7", "--workers", "2",
            "--chunk-size", "100", "--quiet", "--no-plots"]
    proc = subprocess.Popen(
        sim_cmd(*args, "--out", str(killed), "--model", "test_engine:slow_toy_model"),
        env=sim_env(), cwd=tmp_path, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while ledger_lines(killed) < 3:  # a few chunks safely on disk, most still to do
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "run made no progress"
            time.sleep(0.05)
        # Kill the whole process group, as a crash or `kill -9` of the job would.
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    manifest = json.loads((killed / "manifest.json").read_text())
    assert manifest["status"] == "running"  # it never got the chance to say otherwise
    assert not (killed / "runs.csv").exists()
    done = sum(e.completed
               for e in ChunkLedger(killed).entries(runs=3000, chunk_size=100).values())
    assert 300 <= done < 3000
    with pytest.raises(ResultsError, match="--resume"):
        load_results(killed)

    resumed = subprocess.run(sim_cmd("run", "--resume", str(killed), "--quiet",
                                     "--model", "test_engine:slow_toy_model"),
                             env=sim_env(), cwd=tmp_path, capture_output=True, text=True,
                             timeout=120)
    assert resumed.returncode == 0, resumed.stderr

    clean = tmp_path / "clean"
    whole = subprocess.run(
        sim_cmd(*args, "--out", str(clean), "--model", "test_engine:toy_model"),
        env=sim_env(), cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert whole.returncode == 0, whole.stderr
    for name in FILES:
        assert (killed / name).read_bytes() == (clean / name).read_bytes(), name
    final = json.loads((killed / "manifest.json").read_text())
    assert final["status"] == "complete" and final["runs_completed"] == 3000
    assert len(final["resumed"]) == 1
    assert not (killed / "chunks").exists()


def test_ctrl_c_marks_the_run_interrupted_and_resume_finishes_it(tmp_path: Path) -> None:
    scenario = write_scenario(tmp_path)
    out = tmp_path / "interrupted"
    proc = subprocess.Popen(
        sim_cmd("run", str(scenario), "--runs", "1500", "--seed", "3", "--workers", "2",
                "--chunk-size", "100", "--quiet", "--no-plots", "--out", str(out),
                "--model", "test_engine:slow_toy_model"),
        env=sim_env(), cwd=tmp_path, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while ledger_lines(out) < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
        _, err = proc.communicate(timeout=120)  # a hang guard, as for the other commands here
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130
    assert "interrupted" in err and "--resume" in err and "Traceback" not in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert 0 < manifest["runs_completed"] < 1500
    results = engine.resume(out, workers=2, progress=False, model="test_engine:slow_toy_model")
    assert results.n == 1500
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"


def test_resume_refuses_a_complete_run_and_a_folder_in_use(tmp_path: Path) -> None:
    from test_engine import toy_model, toy_scenario_on_registry

    out = tmp_path / "done"
    engine.run(toy_scenario_on_registry(), runs=100, seed=1, workers=1, out=out,
               model=toy_model, progress=False, plots=False)
    with pytest.raises(ResultsError, match="already complete"):
        engine.resume(out)
    lock = FolderLock(out, "test")
    lock.acquire()
    try:
        with pytest.raises(ResultsError, match="being written by another"):
            engine.resume(out)
    finally:
        lock.release()


def test_in_process_interrupt_keeps_chunks_for_resume(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A KeyboardInterrupt half-way (here raised by the ledger) leaves a resumable folder."""
    from test_engine import toy_model, toy_scenario_on_registry

    sc = toy_scenario_on_registry()
    out = tmp_path / "half"
    calls = {"n": 0}
    real_record = ChunkLedger.record

    def record_then_interrupt(self: ChunkLedger, chunk: object) -> object:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real_record(self, chunk)  # type: ignore[arg-type]

    monkeypatch.setattr(ChunkLedger, "record", record_then_interrupt)
    with pytest.raises(engine.RunInterrupted, match="300 of 1000"):
        engine.run(sc, runs=1000, seed=2, workers=1, out=out, chunk_size=100, model=toy_model,
                   progress=False, plots=False)
    monkeypatch.setattr(ChunkLedger, "record", real_record)
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    resumed = engine.resume(out, workers=1, progress=False, model=toy_model)
    whole = engine.run(sc, runs=1000, seed=2, workers=1, out=tmp_path / "whole",
                       model=toy_model, progress=False, plots=False)
    for name in FILES:
        assert (out / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    assert resumed.summary() == whole.summary()
