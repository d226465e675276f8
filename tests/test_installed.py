"""Installed scenarios: a bare name such as ``historical`` runs the scenario shipped with the
package, from any folder, in every command and in ``extends:``; a path always means a file;
``sim scenarios`` lists them.  The slow test builds the wheel and runs it from an empty folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from cli_run import run
import yaml

import sim.scenario.installed as installed_module
from sim.errors import ScenarioError
from sim.scenario import load_scenario
from sim.scenario.installed import (
    installed_folder, installed_names, is_bare_name, is_installed,
)
from conftest import REPO, SCENARIOS

NAMES = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder: no scenarios/ beside the user."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# One set of files
# --------------------------------------------------------------------------------------------


def test_a_checkout_installs_its_own_scenarios_folder() -> None:
    """One set of files: the checkout reads scenarios/ itself, the wheel ships that folder."""
    assert installed_folder() == SCENARIOS
    assert list(installed_names()) == NAMES and "historical" in NAMES


def test_every_installed_scenario_asks_a_question() -> None:
    for name in NAMES:
        data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))
        question = data["question"]
        assert question.endswith("?") and "\n" not in question and len(question) > 30, name
        assert data["name"] == name


# --------------------------------------------------------------------------------------------
# The rule: a bare installed name, else a path
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "bare"), [
    ("historical", True), ("no-embargo", True), ("my_scenario", True),
    ("historical.yaml", False), ("historical.YML", False), ("./historical", False),
    ("scenarios/historical", False), ("/abs/historical", False), (".", False), ("..", False),
    ("", False),
])
def test_what_counts_as_a_name(text: str, bare: bool) -> None:
    assert is_bare_name(text) is bare


@pytest.mark.parametrize("name", NAMES)
def test_a_name_loads_the_installed_file_from_an_empty_folder(in_tmp: Path, name: str) -> None:
    by_name = load_scenario(name)
    by_path = load_scenario(SCENARIOS / f"{name}.yaml")
    assert by_name.content_hash() == by_path.content_hash()
    assert dict(by_name.values) == dict(by_path.values)
    assert by_name.name == name
    assert by_name.path == Path(f"installed:{name}.yaml")
    assert by_name.chain[0] == by_name.path
    assert all(str(p).startswith("installed:") for p in by_name.chain)


def test_provenance_names_the_installed_file_and_line(in_tmp: Path) -> None:
    s = load_scenario("no-embargo")
    assert s.chain == (Path("installed:no-embargo.yaml"), Path("installed:historical.yaml"))
    line = next(i for i, text in enumerate(
        (SCENARIOS / "no-embargo.yaml").read_text().splitlines(), 1) if "enabled:" in text)
    assert s.provenance["embargo.enabled"] == f"installed:no-embargo.yaml:{line}"
    assert s.values["embargo.enabled"] is False


def test_a_file_in_the_working_folder_wins_only_when_given_as_a_path(in_tmp: Path) -> None:
    mine = "name: mine\nparams:\n  embargo:\n    enabled: false\n"
    write(in_tmp / "historical", mine)
    write(in_tmp / "historical.yaml", mine)
    assert load_scenario("historical").values["embargo.enabled"] is True  # the installed one
    for path in ("./historical", "historical.yaml", str(in_tmp / "historical")):
        assert load_scenario(path).values["embargo.enabled"] is False, path
    assert load_scenario(Path("historical")).values["embargo.enabled"] is False  # a Path


def test_a_bare_name_that_is_not_installed_is_still_a_path(in_tmp: Path) -> None:
    write(in_tmp / "myscenario", "name: mine\nparams:\n  embargo.enabled: false\n")
    assert not is_installed("myscenario")
    assert load_scenario("myscenario").values["embargo.enabled"] is False


def test_an_unknown_name_is_one_line_listing_the_installed_names(in_tmp: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("historcal")
    message = str(info.value)
    assert message.startswith("historcal: no such file and no installed scenario of that name "
                              "(did you mean `historical`?); installed scenarios: ")
    assert "installed scenarios: " + ", ".join(NAMES) + ";" in message
    assert "\n" not in message


def test_a_missing_yaml_file_points_at_the_installed_name(in_tmp: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("historical.yaml")
    assert str(info.value) == ("historical.yaml: file not found; expected a scenario YAML file "
                               "(`historical`, without .yaml, names the installed scenario)")


def test_a_user_file_extends_an_installed_name(in_tmp: Path) -> None:
    write(in_tmp / "mine" / "late.yaml", """
        name: late
        extends: no-embargo
        params:
          embargo.date: 1941-10-01
    """)
    s = load_scenario("mine/late.yaml")
    assert s.chain == (Path("mine/late.yaml"), Path("installed:no-embargo.yaml"),
                       Path("installed:historical.yaml"))
    assert s.values["embargo.enabled"] is False
    assert s.provenance["embargo.date"] == "mine/late.yaml:4"
    assert s.provenance["embargo.enabled"].startswith("installed:no-embargo.yaml:")


def test_a_chain_among_installed_files_stays_among_them(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Relative extends in installed files resolve in the installed folder at any depth, never
    in the working folder (which here holds decoys of the same names)."""
    folder = in_tmp / "site" / "scenarios"
    write(folder / "base.yaml", "name: base\nparams:\n  china.drain_multiplier: 0.5\n")
    write(folder / "middle.yaml", "name: middle\nextends: base.yaml\nparams:\n"
                                  "  embargo.enabled: false\n")
    write(folder / "top.yaml", "name: top\nextends: middle.yaml\nparams: {}\n")
    for decoy in ("base.yaml", "middle.yaml"):
        write(in_tmp / decoy, "name: decoy\nparams:\n  china.drain_multiplier: 2\n")
    monkeypatch.setattr(installed_module, "installed_folder", lambda: folder)
    s = load_scenario("top")
    assert s.chain == (Path("installed:top.yaml"), Path("installed:middle.yaml"),
                       Path("installed:base.yaml"))
    assert s.values["china.drain_multiplier"] == 0.5 and s.values["embargo.enabled"] is False
    assert s.provenance["china.drain_multiplier"] == "installed:base.yaml:3"


def test_extends_by_relative_path_still_means_a_file(in_tmp: Path) -> None:
    write(in_tmp / "base.yaml", "name: base\nparams:\n  china.drain_multiplier: 0.5\n")
    write(in_tmp / "child.yaml", "name: child\nextends: base.yaml\nparams: {}\n")
    s = load_scenario("child.yaml")
    assert s.chain == (Path("child.yaml"), Path("base.yaml"))
    assert s.values["china.drain_multiplier"] == 0.5


def test_extends_an_unknown_name_lists_the_installed_ones(in_tmp: Path) -> None:
    write(in_tmp / "mine.yaml", "name: mine\nextends: no-embargoo\nparams: {}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario("mine.yaml")
    message = str(info.value)
    assert message.startswith("mine.yaml:2: `extends`: extends `no-embargoo`, which is neither a "
                              "file nor an installed scenario (did you mean `no-embargo`?); "
                              "installed scenarios: china-settlement, early-barbarossa, ")
    assert message.endswith("expected the path of another scenario file, relative to this one, "
                            "or the name of an installed scenario")


# --------------------------------------------------------------------------------------------
# Every command that takes a scenario
# --------------------------------------------------------------------------------------------


def test_validate_and_show_take_names(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "historical", "no-embargo")
    assert (code, out, err) == (0, "ok  historical\nok  no-embargo\n", "")
    code, out, err = run(capsys, "show", "late-embargo", "--format", "json")
    assert code == 0 and err == ""
    shown = json.loads(out)
    assert shown["path"] == "installed:late-embargo.yaml"
    assert shown["chain"] == ["installed:late-embargo.yaml", "installed:historical.yaml"]


def test_run_by_name_records_the_installed_scenario_and_reproduces(
    in_tmp: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "run", "no-embargo", "--runs", "40", "--seed", "3", "--workers",
                       "1", "--no-plots", "--quiet", "--out", "out")
    assert code == 0, err
    manifest = json.loads((in_tmp / "out" / "manifest.json").read_text())
    assert manifest["scenario_name"] == "no-embargo"
    assert manifest["scenario"]["path"] == "installed:no-embargo.yaml"
    assert manifest["scenario"]["chain"] == ["installed:no-embargo.yaml",
                                             "installed:historical.yaml"]
    assert manifest["scenario_hash"] == load_scenario(
        SCENARIOS / "no-embargo.yaml").content_hash()
    code, out, err = run(capsys, "reproduce", "out", "--replication", "7")
    assert code == 0, out + err


def test_compare_and_trace_take_names(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "compare", "historical", "no-embargo", "--runs", "20",
                         "--seed", "1", "--workers", "1", "--outcome", "decision")
    assert code == 0, err
    assert "no-embargo" in out
    code, out, err = run(capsys, "trace", "historical", "--replication", "0", "--seed", "1")
    assert code == 0, err
    assert "1941" in out


@pytest.mark.parametrize("command", [
    ["run"], ["show"], ["validate"], ["trace", "--replication", "0"],
    ["sweep", "--vary", "embargo.date=1941-06-01:1941-12-01:3"],
    ["explain", "--outcome", "decision == 'north'"],
    ["sensitivity", "--method", "oat"],
    ["discover", "--target", "decision == 'north'"],
])
def test_every_scenario_command_resolves_names_the_same_way(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], command: list[str],
) -> None:
    """A name is loaded (and its --set checked) before anything runs; an unknown one is
    refused with the installed names, exit code 2."""
    code, _, err = run(capsys, command[0], "historical", *command[1:],
                       "--set", "embargo.enabld=false")
    assert code == 2
    assert err.startswith("error: --set: `embargo.enabld`: unknown parameter"), err
    code, _, err = run(capsys, command[0], "historcal", *command[1:])
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("error: historcal: no such "), err
    assert "installed scenario" in err and "(did you mean `historical`?)" in err
    assert err.rstrip().endswith(", ".join(NAMES)) or f"{', '.join(NAMES)};" in err


@pytest.mark.parametrize("command", [
    ["validate"], ["show"], ["run"], ["trace", "--replication", "0"],
    ["sweep", "--vary", "embargo.date=1941-06-01:1941-12-01:3"],
    ["explain"], ["sensitivity", "--method", "oat"], ["discover"],
])
def test_a_folder_of_the_same_name_does_not_shadow_an_installed_name(
    in_tmp: Path, capsys: pytest.CaptureFixture[str], command: list[str],
) -> None:
    write(in_tmp / "historical" / "other.yaml", "name: other\nparams:\n  embargo.enabld: 1\n")
    if command == ["validate"]:
        assert run(capsys, "validate", "historical") == (0, "ok  historical\n", "")
        return
    code, _, err = run(capsys, command[0], "historical", *command[1:], "--set", "china.x=1")
    assert code == 2 and err.startswith("error: --set: `china.x`: unknown parameter"), err


def test_compare_refuses_an_unknown_name_with_the_installed_ones(
    in_tmp: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "compare", "historical", "no-embargoo", "--runs", "20")
    assert code == 2 and err.count("\n") == 1
    assert "(did you mean `no-embargo`?); installed scenarios: " in err


# --------------------------------------------------------------------------------------------
# sim scenarios
# --------------------------------------------------------------------------------------------


def test_sim_scenarios_lists_each_name_with_its_question(
    in_tmp: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "scenarios")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == NAMES
    for line, name in zip(lines, NAMES):
        question = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text())["question"]
        assert line.split(None, 1)[1] == question


def test_sim_scenarios_json(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "scenarios", "--format", "json")
    assert (code, err) == (0, "")
    entries = json.loads(out)
    assert [e["name"] for e in entries] == NAMES
    by_name = {e["name"]: e for e in entries}
    assert by_name["historical"]["extends"] is None
    assert by_name["no-embargo"] == {
        "name": "no-embargo", "file": "installed:no-embargo.yaml", "extends": "historical.yaml",
        "question": yaml.safe_load((SCENARIOS / "no-embargo.yaml").read_text())["question"]}
    code, _, err = run(capsys, "scenarios", "--format", "xml")
    assert code == 2 and "--format" in err


# --------------------------------------------------------------------------------------------
# The wheel, installed alone
# --------------------------------------------------------------------------------------------

#: What the wheel is built from: the files a source distribution holds.
_SOURCE = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "sim", "scenarios")


def _build_wheel(tmp: Path) -> Path:
    """``pip wheel --no-deps`` of a clean copy of the project (a build leaves build/ behind).

    Offline when this environment has the build backend pyproject.toml asks for; otherwise
    pip fetches it into an isolated build environment from the package index."""
    src = tmp / "src"
    src.mkdir()
    for name in _SOURCE:
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, src / name)
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp / "dist")]
    try:
        import setuptools  # optional: only to tell whether an offline build is possible

        if int(setuptools.__version__.split(".")[0]) >= 77:
            cmd.append("--no-build-isolation")
    except ImportError:
        pass
    done = subprocess.run([*cmd, str(src)], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    (wheel,) = (tmp / "dist").glob("strike_north_or_south-*.whl")
    return wheel


@pytest.mark.slow
def test_the_wheel_alone_runs_an_installed_scenario_from_an_empty_folder(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    python = venv / "bin" / "python"
    site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip())
    # The dependencies come from this environment (a plain path: its .pth files, such as an
    # editable install of this project, are not run); the package itself only from the wheel.
    (site / "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--no-deps", "--no-index", "--quiet", str(wheel)], check=True, timeout=120)
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["MPLBACKEND"] = "Agg"

    def sim(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(venv / "bin" / "sim"), *args], cwd=empty, env=env,
                              capture_output=True, text=True, timeout=180)

    where = subprocess.run([str(python), "-c", "import sim; print(sim.__file__)"], cwd=empty,
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).resolve().is_relative_to(site.resolve()), where
    listed = sim("scenarios")
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines()] == NAMES
    done = sim("run", "historical", "--runs", "50", "--seed", "1", "--no-plots", "--out", "X")
    assert done.returncode == 0, done.stdout + done.stderr
    out = empty / "X"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_completed"] == 50
    assert manifest["scenario"]["path"] == "installed:historical.yaml"
    assert manifest["scenario_hash"] == load_scenario(SCENARIOS / "historical.yaml").content_hash()
    rows = (out / "runs.csv").read_text().splitlines()
    assert len(rows) == 51 and rows[0].startswith("replication,")
    assert sorted(p.name for p in empty.iterdir()) == ["X"]  # nothing else written
    # the wheel's scenario files are the checkout's, byte for byte
    shipped = Path(where).parent / "scenarios"
    assert sorted(p.name for p in shipped.glob("*.yaml")) == [f"{n}.yaml" for n in NAMES]
    for name in NAMES:
        assert (shipped / f"{name}.yaml").read_bytes() == (SCENARIOS / f"{name}.yaml").read_bytes()

