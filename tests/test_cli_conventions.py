"""The command line's conventions (docs/cli.md): one meaning per short option, the same seed
default, help for every option, outputs never replaced without --force and never left
half-made, a clean and fast refusal of a Dask scheduler without workers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
import pytest

from sim.cli import cli, main
from sim.cli import common
from test_cli_basics import all_commands
from test_resume import write_scenario

REPO = Path(__file__).resolve().parent.parent
HISTORICAL = str(REPO / "scenarios" / "historical.yaml")
TOY = "test_engine:toy_model"

#: Each short option and the one long option it stands for, on every command.
SHORT = {"-n": "--runs", "-s": "--seed", "-o": "--out", "-w": "--workers", "-q": "--quiet",
         "-f": "--force", "-r": "--replication", "-h": "--help",
         # each on one command only
         "-g": "--group", "-m": "--method", "-t": "--target"}
#: Commands whose only output is what they were asked for (a narrative, a listing, a
#: scenario): --quiet would leave nothing.
NOTHING_TO_QUIET = {"params", "show", "trace", "reproduce", "report", "scenarios"}


def call(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option)]


COMMANDS = [(path, cmd) for path, cmd in all_commands() if not isinstance(cmd, click.Group)]
IDS = [" ".join(path) for path, _ in COMMANDS]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_a_short_option_means_the_same_everywhere(path, command) -> None:
    for opt in options(command):
        for short in (o for o in opt.opts if len(o) == 2):
            assert short in SHORT, f"sim {' '.join(path)}: {short} is not in the table"
            assert SHORT[short] in opt.opts, \
                f"sim {' '.join(path)}: {short} is {opt.opts}, expected {SHORT[short]}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_option_has_help_and_seeds_default_to_one(path, command) -> None:
    for opt in options(command):
        if not opt.hidden:
            assert opt.help, f"sim {' '.join(path)} {opt.opts[0]} has no help"
        if "--seed" in opt.opts:
            assert opt.default == common.DEFAULT_SEED and "-s" in opt.opts
            assert "default: 1" in opt.help


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_commands_that_write_take_out_and_force_and_all_take_quiet(path, command) -> None:
    names = {o for opt in options(command) for o in opt.opts}
    if "--out" in names and path[0] != "report":
        assert "--force" in names, f"sim {' '.join(path)} writes but has no --force"
    if path[0] not in NOTHING_TO_QUIET:
        assert "--quiet" in names, f"sim {' '.join(path)} has no --quiet"


def test_plural_formatter() -> None:
    from sim.formatting import plural

    assert plural(1, "replication") == "1 replication"
    assert plural(1000, "replication") == "1,000 replications"
    assert plural(0, "box", "boxes") == "0 boxes"


def test_run_header_names_overrides_and_counts_in_the_singular(tmp_path, capsys) -> None:
    scenario = write_scenario(tmp_path, "header")
    code, out, err = call(capsys, "run", str(scenario), "-n", "1", "-w", "1", "-o",
                          str(tmp_path / "r"), "--model", TOY, "--no-plots",
                          "--set", "embargo.date=1941-10-01")
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith("header with --set embargo.date=1941-10-01: 1 replication, seed 1")
    assert "1 worker" in first and "worker(s)" not in first and "1 replications" not in out
    assert "plots" not in out  # --no-plots: no figures, and none announced
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["seed"] == 1 and "--seed 1" in manifest["command"]


def test_analysis_refuses_to_replace_its_files_without_force(tmp_path, capsys) -> None:
    argv = ["sensitivity", HISTORICAL, "--method", "oat", "--params",
            "embargo.enabled,decision.w_oil", "-n", "4", "-w", "1", "-o", str(tmp_path)]
    code, out, err = call(capsys, *argv)
    assert code == 0, err
    data = tmp_path / "sensitivity_oat.json"
    before = data.read_bytes()
    data.write_text("{}")  # stands for results the user wants to keep
    code, out, err = call(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith(f"error: --out {tmp_path}: already holds sensitivity_oat.json")
    assert "--force" in err and err.count("\n") == 1
    assert data.read_text() == "{}"
    code, out, err = call(capsys, *argv, "--force", "--quiet")
    assert code == 0 and out == "", err
    assert data.read_bytes() == before  # same seed by default: the same file
    assert not [p for p in tmp_path.parent.iterdir() if ".tmp-" in p.name]


def test_compare_writes_a_folder_by_default(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    scenario = write_scenario(tmp_path, "cmp")
    code, out, err = call(capsys, "compare", str(scenario), str(scenario), "-n", "20",
                          "-w", "1", "-q")
    assert code == 0 and out == "", err
    (folder,) = (tmp_path / "results").iterdir()
    assert folder.name.startswith("cmp-compare-")
    assert {"comparison.csv", "comparison.json"} <= {p.name for p in folder.iterdir()}


def test_a_failed_start_leaves_no_folder(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sim.cli.dask_check.CONNECT_TIMEOUT", 1.0)
    scenario = write_scenario(tmp_path, "stub")
    code, _, err = call(capsys, "run", str(scenario), "-n", "10", "--model", TOY,
                        "--scheduler", "tcp://127.0.0.1:9")
    assert code == 2 and "cannot connect" in err and err.count("\n") == 1
    assert not (tmp_path / "results").exists()
    code, _, err = call(capsys, "sweep", HISTORICAL, "--vary", "embargo.enabled=true,false",
                        "--outcome", "no_such_outcome")
    assert code == 2 and not (tmp_path / "results").exists()


def test_a_scheduler_without_workers_is_one_line_fast(tmp_path, capsys, monkeypatch) -> None:
    distributed = pytest.importorskip("distributed")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sim.cli.dask_check.WORKER_WAIT", 1.0)
    scenario = write_scenario(tmp_path, "idle")
    cluster = distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None,
                                       silence_logs=40)
    try:
        started = time.monotonic()
        code, _, err = call(capsys, "run", str(scenario), "-n", "10", "--model", TOY,
                            "--scheduler", cluster.scheduler_address)
        elapsed = time.monotonic() - started
    finally:
        cluster.close()
    assert code == 2, err
    assert "has no workers" in err and "dask worker" in err
    assert err.startswith("error: --scheduler ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert elapsed < 15
    assert not (tmp_path / "results").exists()


def test_usage_mistakes_are_one_line(capsys) -> None:
    code, _, err = call(capsys, "run", HISTORICAL, "--workers", "0")
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: ")
    assert "--workers" in err and "sim run --help" in err


def test_validate_quiet_prints_only_errors(tmp_path, capsys) -> None:
    good = write_scenario(tmp_path, "good")
    code, out, err = call(capsys, "validate", str(good), "-q")
    assert (code, out, err) == (0, "", "")
