"""The ``sim`` command line: a thin layer over the Python API in :mod:`sim`.

Each group of commands lives in its own module and attaches itself to the group
:data:`sim.cli.group.cli`.
:func:`main` turns every :class:`sim.errors.UserError` into one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys

import click

from sim.cli.group import cli
from sim.errors import UserError

# Command modules register themselves on `cli` when imported.
from sim.cli import analysis_cmds, look_cmds, run_cmds, scenario_cmds  # noqa: E402,F401


#: Longest usage message printed (click repeats the value given, which may be huge).
MAX_MESSAGE = 400


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script; exit code 2 and one line for user errors."""
    try:
        # Without standalone mode click *returns* the code of `ctx.exit(code)` instead of
        # raising; a command's own return value (usually None) also comes back here.
        code = cli.main(args=argv, prog_name="sim", standalone_mode=False)
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        # One line, like every other mistake, rather than click's usage block.
        where = exc.ctx.command_path if exc.ctx is not None else "sim"
        message = " ".join(exc.format_message().split())
        if len(message) > MAX_MESSAGE:  # click quotes the value given, however long
            message = message[: MAX_MESSAGE - 3] + "..."
        click.echo(f"error: {message} (see `{where} --help`)", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) and not isinstance(code, bool) else 0)
