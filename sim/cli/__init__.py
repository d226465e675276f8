"""The ``sim`` command line: a thin layer over the Python API in :mod:`sim`.

Each group of commands lives in its own module and attaches itself to :data:`cli`.
:func:`main` turns every :class:`sim.errors.UserError` into one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys

import click

from sim import __version__
from sim.errors import UserError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="sim")
def cli() -> None:
    """Strike North or South: why did Japan go south in 1941, and what if it had not?

    \b
    Example:
      sim run scenarios/historical.yaml --runs 1000 --seed 1
    """


# Command modules register themselves on `cli` when imported.
from sim.cli import scenario_cmds, run_cmds, look_cmds, analysis_cmds  # noqa: E402,F401


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
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) and not isinstance(code, bool) else 0)
