"""The command line as a whole: version, help with examples everywhere, `python -m sim`."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from cli_run import run

from sim import __version__
from sim.cli import cli


def all_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    """Every command path, descending into sub-groups."""
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"sim, version {__version__}"


def test_top_level_help_lists_commands_and_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "Example:" in out
    for name in ("validate", "show", "params"):
        assert name in out


def test_the_scenario_commands_exist() -> None:
    assert {"validate", "show", "params"} <= set(cli.commands)


@pytest.mark.parametrize("path", [p for p, _ in all_commands()], ids=" ".join)
def test_every_command_help_shows_an_example(
    capsys: pytest.CaptureFixture[str], path: tuple[str, ...]
) -> None:
    code, out, _ = run(capsys, *path, "--help")
    assert code == 0
    assert "Example" in out, f"`sim {' '.join(path)} --help` shows no example"
    example = out[out.index("Example"):]
    assert f"sim {path[0]}" in example, f"`sim {' '.join(path)} --help` example does not use it"


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "frobnicate")
    assert code == 2 and out == ""
    assert "No such command 'frobnicate'" in err


def test_unknown_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "params", "--colour")
    assert code == 2 and "No such option" in err


def test_python_dash_m_sim_is_the_same_command() -> None:
    done = subprocess.run([sys.executable, "-m", "sim", "--version"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"sim, version {__version__}"
    done = subprocess.run([sys.executable, "-m", "sim", "validate", "no-such-file.yaml"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == ("error: no-such-file.yaml: file not found; expected a scenario YAML "
                           "file\n")
    assert "Traceback" not in done.stderr
