"""``sim run`` and ``sim reproduce`` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from test_resume import sim_env, write_scenario

TOY = "test_engine:toy_model"


def call(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in this process; returns (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), out, err


@pytest.mark.parametrize("command", ["run", "reproduce"])
def test_help_has_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call([command, "--help"], capsys)
    assert code == 0 and "Example" in out and f"sim {command}" in out


def test_run_help_says_which_figure_it_draws_and_how_to_get_the_rest(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(["run", "--help"], capsys)
    text = " ".join(out.split())
    assert code == 0 and "plots/overview.png" in text and "`sim plot DIR` draws every other" in text
    code, out, _ = call(["plot", "--help"], capsys)
    assert code == 0 and "the one `sim run` draws" in " ".join(out.split())


def test_run_prints_a_summary_and_writes_the_folder(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_scenario(tmp_path)
    out = tmp_path / "r"
    code, stdout, stderr = call(["run", str(scenario), "--runs", "300", "--seed", "5",
                                 "--workers", "1", "--out", str(out), "--model", TOY,
                                 "--no-plots"], capsys)
    assert code == 0, stderr
    assert "resume-test: 300 replications, seed 5" in stdout
    assert "decision" in stdout and "95% CI" in stdout and "median" in stdout
    assert f"Results in {out}" in stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["command"].startswith(f"sim run {scenario} --runs 300 --seed 5")
    assert (out / "runs.csv").read_text().count("\n") == 301


def test_default_out_and_default_seed_are_recorded(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    scenario = write_scenario(tmp_path, "named")
    code, stdout, stderr = call(["run", str(scenario), "--runs", "100", "--workers", "1",
                                 "--model", TOY, "--quiet", "--no-plots"], capsys)
    assert code == 0, stderr
    assert stdout == ""  # --quiet
    (folder,) = (tmp_path / "results").iterdir()
    assert folder.name.startswith("named-")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["seed"] == 1  # the same default as every other command
    assert f"--seed {manifest['seed']}" in manifest["command"]


@pytest.mark.parametrize("argv, message", [
    (["run", "missing.yaml"], "missing.yaml"),
    (["run", "{scenario}", "--runs", "0"], "--runs"),
    (["run", "{scenario}", "--set", "no_such.param=1"], "no_such"),
    (["run", "{scenario}", "--workers", "0"], "--workers"),
    (["run", "{scenario}", "--precision", "2"], "--precision"),
    (["run", "--resume", "{tmp}/nothing"], "not a results folder"),
    (["run", "{scenario}", "--resume", "{tmp}"], "leave out SCENARIO"),
    (["run"], "missing SCENARIO"),
    (["run", "{scenario}", "--model", "nonexistent_module:f", "--workers", "1"], "cannot be imported"),
    (["reproduce", "{tmp}", "--replication", "0"], "not a results folder"),
])
def test_bad_input_is_one_line_and_exit_2(argv: list[str], message: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_scenario(tmp_path)
    argv = [a.format(scenario=scenario, tmp=tmp_path) for a in argv]
    code, _, err = call(argv + ["--out", str(tmp_path / "o")] if argv[0] == "run"
                        and "--resume" not in argv and len(argv) > 1 else argv, capsys)
    assert code == 2, err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_existing_out_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_scenario(tmp_path)
    out = tmp_path / "r"
    args = ["run", str(scenario), "--runs", "100", "--seed", "1", "--workers", "1",
            "--out", str(out), "--model", TOY, "--quiet", "--no-plots"]
    assert call(args, capsys)[0] == 0
    code, _, err = call(args, capsys)
    assert code == 2 and "already exists" in err and "--force" in err
    assert call(args + ["--force"], capsys)[0] == 0


def test_reproduce_identical_and_different(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_scenario(tmp_path)
    out = tmp_path / "r"
    assert call(["run", str(scenario), "--runs", "200", "--seed", "3", "--workers", "1",
                 "--out", str(out), "--model", TOY, "--quiet", "--no-plots"], capsys)[0] == 0
    code, stdout, _ = call(["reproduce", str(out), "--replication", "137", "--model", TOY],
                           capsys)
    assert code == 0 and "identical" in stdout
    # tamper with the stored row: reproduce must notice and say which column
    lines = (out / "runs.csv").read_text().splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    row = lines[138].rstrip("\n").split(",")
    assert row[0] == "137"
    col = header.index("kg_japanese_casualties")
    row[col] = str(int(row[col]) + 1)
    lines[138] = ",".join(row) + "\n"
    (out / "runs.csv").write_text("".join(lines))
    code, stdout, _ = call(["reproduce", str(out), "--replication", "137", "--model", TOY],
                           capsys)
    assert code == 1 and "DIFFERENT" in stdout and "kg_japanese_casualties" in stdout
    code, _, err = call(["reproduce", str(out), "--replication", "200", "--model", TOY], capsys)
    assert code == 2 and "0 to 199" in err


def test_failing_replication_stops_or_is_skipped(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_scenario(tmp_path)
    stop = tmp_path / "stop"
    base = ["run", str(scenario), "--runs", "200", "--seed", "3", "--workers", "1",
            "--model", "test_engine:failing_toy_model", "--quiet", "--no-plots"]
    code, _, err = call(base + ["--out", str(stop)], capsys)
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "replication 42 failed" in err and f"sim reproduce {stop} --replication 42" in err
    manifest = json.loads((stop / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert manifest["errors"][0]["replication"] == 42
    # the suggested command shows the error with its traceback
    code, _, err = call(["reproduce", str(stop), "--replication", "42",
                         "--model", "test_engine:failing_toy_model"], capsys)
    assert code == 1 and "RuntimeError: toy failure at 42" in err and "Traceback" in err

    going = tmp_path / "going"
    code, _, err = call(base + ["--out", str(going), "--keep-going"], capsys)
    assert code == 0, err
    manifest = json.loads((going / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_failed"] == 1
    assert manifest["runs_completed"] == 199
    assert manifest["errors"] == [{"replication": 42, "seed": 3, "entropy": manifest["entropy"],
                                   "error": "RuntimeError: toy failure at 42"}]
    ids = [line.split(",", 1)[0] for line in (going / "runs.csv").read_text().splitlines()[1:]]
    assert "42" not in ids and len(ids) == 199


def test_dead_worker_is_detected_not_waited_for(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    scenario = write_scenario(tmp_path)
    out = tmp_path / "dead"
    code, _, err = call(["run", str(scenario), "--runs", "2000", "--seed", "3", "--workers", "2",
                         "--chunk-size", "100", "--out", str(out), "--quiet", "--no-plots",
                         "--model", "test_engine:dying_toy_model"], capsys)
    assert code == 1 and "worker process died" in err and "--resume" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_memory_stays_bounded_on_a_large_run(tmp_path: Path) -> None:
    """200,000 replications: the parent holds compact arrays, not per-run objects or series."""
    script = tmp_path / "big.py"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "from sim import engine\n"
        "from test_engine import cheap_model, toy_scenario\n"
        "if __name__ == '__main__':\n"
        "    res = engine.run(toy_scenario(), runs=200_000, seed=1, workers=2,\n"
        "                     out=Path(sys.argv[1]), model=cheap_model, plots=False,\n"
        "                     progress=False)\n"
        # VmHWM is this process's own high-water mark; ru_maxrss would not do: Linux carries
        # it over from the parent at fork/exec, so it would report the test runner's size.
        "    hwm = next(line for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
        "    print(res.n, int(hwm.split()[1]))\n")
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "big")], env=sim_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    n, peak_kib = map(int, done.stdout.split())
    assert n == 200_000
    # All series of all runs would be 200k x 6 x 48 x 8 bytes = 460 MB; per-run Python objects
    # even more.  The parent stays well below.
    assert peak_kib / 1024 < 250, f"peak RSS {peak_kib / 1024:.0f} MB"
    assert sum(1 for _ in open(tmp_path / "big" / "runs.csv")) == 200_001
