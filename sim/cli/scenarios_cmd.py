"""``sim scenarios``: the scenarios installed with the package and the question each asks.

Someone who installed the package from an index has no ``scenarios/`` folder to look in; this
command tells them what they can run by name (``sim run historical``).
"""

from __future__ import annotations

import json

import click


@click.command("scenarios")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one line per scenario; json: for programs.")
def scenarios(fmt: str) -> None:
    """List the installed scenarios, one line each: the name and the question it asks.

    A name runs as it is, from any folder; a path (anything with a / or ending in .yaml)
    always means a file.

    \b
    Example:
      sim scenarios
      sim run no-embargo --runs 1000 --seed 1
      sim scenarios --format json
    """
    from sim.scenario.installed import catalog  # deferred: YAML and the registry

    entries = catalog()
    if fmt == "json":
        click.echo(json.dumps([{"name": e.name, "question": e.question, "file": e.label,
                                "extends": e.extends} for e in entries], indent=2))
        return
    if not entries:
        click.echo("no scenarios are installed with this copy of the package")
        return
    width = max(len(e.name) for e in entries)
    for e in entries:
        click.echo(f"{e.name.ljust(width)}  {e.question}")
