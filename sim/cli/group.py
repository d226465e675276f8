"""The ``sim`` command group, on which each command module registers its commands."""

from __future__ import annotations

import click

from sim import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="sim")
def cli() -> None:
    """Strike North or South: why did Japan go south in 1941, and what if it had not?

    \b
    Example:
      sim run scenarios/historical.yaml --runs 1000 --seed 1
    """


from sim.cli.scenarios_cmd import scenarios as _scenarios  # noqa: E402
cli.add_command(_scenarios)
from sim.cli.calibrate_cmd import calibrate as _calibrate  # noqa: E402
cli.add_command(_calibrate)
