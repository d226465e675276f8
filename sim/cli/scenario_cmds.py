"""Commands to check and inspect scenarios: ``sim validate``, ``sim show``, ``sim params``.

They answer "is my file right?", "what exactly will this scenario run, and where did each
number come from?" and "what can I change?".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import yaml

from sim.cli.group import cli
from sim.errors import UserError, did_you_mean

SET_HELP = "Override a parameter after the extends chain, e.g. embargo.enabled=false (repeatable)."


def get_registry() -> Any:
    """The model's parameter registry (a function so that tests can substitute their own)."""
    from sim.registry import REGISTRY

    return REGISTRY


def _load(file: str, sets: Sequence[str]) -> Any:
    from sim.scenario import load_scenario  # deferred: numpy, YAML and pydantic slow start-up

    return load_scenario(file, list(sets), registry=get_registry())


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> str:
    """Plain-text columns, two spaces apart, trailing blanks trimmed."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "\n".join(
        indent + "  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines
    )


# --------------------------------------------------------------------------------------------
# sim validate
# --------------------------------------------------------------------------------------------


def _yaml_files_in(path: Path) -> list[str] | None:
    """The .yaml files of a directory, or None when ``path`` is no directory that can be
    listed (the loader then says what is wrong with it: missing, a FIFO, a name too long...)."""
    try:
        if not path.is_dir():
            return None
        return sorted(str(x) for x in path.iterdir()
                      if x.suffix in (".yaml", ".yml") and x.is_file())
    except (OSError, ValueError):
        return None


def _expand(files: Sequence[str]) -> list[str]:
    """Each argument, a directory standing for its .yaml files (an installed scenario's name
    stays a name, even beside a folder of that name)."""
    from sim.scenario.installed import is_installed

    out: list[str] = []
    for f in files:
        found = None if is_installed(f) else _yaml_files_in(Path(f))
        out.extend(found or [f])
    return out


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help=SET_HELP)
@click.option("--quiet", "-q", is_flag=True, help="Print only the files that are wrong.")
@click.pass_context
def validate(ctx: click.Context, files: tuple[str, ...], sets: tuple[str, ...],
             quiet: bool) -> None:
    """Check scenario files: print `ok  FILE` or one line saying what is wrong.

    A directory stands for every .yaml file in it.  Exit code 0 when every file is valid,
    2 otherwise.

    \b
    Example:
      sim validate scenarios/
      sim validate scenarios/no-embargo.yaml --set embargo.date=1941-09-01
    """
    failed = 0
    for file in _expand(files):
        try:
            _load(file, sets)
        except UserError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
        else:
            if not quiet:
                click.echo(f"ok  {file}")
    if failed:
        ctx.exit(2)


# --------------------------------------------------------------------------------------------
# sim show
# --------------------------------------------------------------------------------------------


def credibility_note(param: Any, value: Any) -> str:
    """'' when a value sits inside the documented credible range, else a short warning.

    For a distribution, its central 90% (5th-95th percentile, or every value of a choice)
    is compared with the range, give or take 2% of its width.
    """
    from sim.distributions import Choice, is_distribution
    from sim.docgen import show_range

    if param.credible is None or param.kind in ("bool", "choice"):
        return ""
    lo, hi = param.credible
    try:
        # a little slack, so that a range fitted to the credible band (p05/p95 rounded in the
        # sources) is not flagged for rounding
        if lo is not None and hi is not None and not isinstance(lo, dt.date):
            slack = 0.02 * (hi - lo)
            lo, hi = lo - slack, hi + slack
        if is_distribution(value):
            if isinstance(value, Choice):
                low, high = min(value.values), max(value.values)
            else:
                low, high = value.ppf(0.05), value.ppf(0.95)
        else:
            low = high = value
        below = lo is not None and high < lo
        above = hi is not None and low > hi
        if below or above:
            return f"outside credible range {show_range(param.credible)}"
        if (lo is not None and low < lo) or (hi is not None and high > hi):
            return f"partly outside credible range {show_range(param.credible)}"
    except TypeError:
        return ""
    return ""


def _yaml_inline(value: Any) -> str:
    """A value on one line of YAML (dates bare, names quoted only when YAML needs it)."""
    from sim.distributions import is_distribution

    data = value.to_yaml() if is_distribution(value) else value
    text = yaml.safe_dump(data, default_flow_style=True, sort_keys=False, width=1 << 30,
                          allow_unicode=True).strip()
    return text.removesuffix("\n...").strip()


def _show_yaml(scenario: Any, names: list[str]) -> str:
    out = [f"# Resolved scenario `{scenario.name}`, content hash {scenario.content_hash()[:16]}"]
    if len(scenario.chain) > 1:
        out.append("# extends chain: " + " -> ".join(p.as_posix() for p in scenario.chain))
    out.append(yaml.safe_dump({"name": scenario.name}, allow_unicode=True).strip())
    if scenario.description:
        out.append(yaml.safe_dump({"description": scenario.description}, allow_unicode=True,
                                  width=92).strip())
    if not names:
        out.append("params: {}")
        return "\n".join(out) + "\n"
    out.append("params:")
    group = None
    for name in names:
        g, rest = name.split(".", 1)
        if g != group:
            out.append(f"  {g}:")
            group = g
        param = scenario.registry[name]
        comment = scenario.provenance[name]
        note = credibility_note(param, scenario.values[name])
        if param.unit:
            comment += f"; {param.unit}"
        if note:
            comment += f"; {note}"
        out.append(f"    {rest}: {_yaml_inline(scenario.values[name])}  # {comment}")
    return "\n".join(out) + "\n"


def _show_json(scenario: Any) -> str:
    from sim.scenario import value_to_json  # deferred: numpy, YAML and pydantic slow start-up

    params = []
    for name, value in scenario.values.items():
        param = scenario.registry[name]
        params.append({
            "name": name,
            "value": value_to_json(value),
            "unit": param.unit,
            "origin": scenario.provenance[name],
            "default": value_to_json(param.default),
            "is_default": scenario.is_default(name),
            "note": credibility_note(param, value) or None,
        })
    data = {
        "name": scenario.name,
        "description": scenario.description,
        "path": None if scenario.path is None else scenario.path.as_posix(),
        "chain": [p.as_posix() for p in scenario.chain],
        "content_hash": scenario.content_hash(),
        "parameters": params,
    }
    return json.dumps(data, indent=2)


def _show_table(scenario: Any, show_all: bool) -> str:
    from sim.docgen import show_value

    registry = scenario.registry
    set_here = [n for n in scenario.values if scenario.provenance[n] != "default"]
    defaults = [n for n in scenario.values if scenario.provenance[n] == "default"]

    def row(name: str, set_here: bool) -> list[str]:
        param = registry[name]
        value = scenario.values[name]
        cells = [name, show_value(value), param.unit]
        if set_here:
            cells.append(scenario.provenance[name])
            cells.append("(same)" if scenario.is_default(name) else show_value(param.default))
        else:
            cells.append(param.source)
        cells.append(credibility_note(param, value))
        return cells

    lines = [f"scenario  {scenario.name}"]
    if scenario.path is not None:
        lines.append(f"file      {scenario.path.as_posix()}")
    if len(scenario.chain) > 1:
        lines.append("extends   " + " -> ".join(p.as_posix() for p in scenario.chain[1:]))
    lines.append(f"hash      {scenario.content_hash()[:16]}")
    if scenario.description:
        lines.append(f"about     {' '.join(scenario.description.split())}")
    lines.append("")
    if set_here:
        lines.append(f"{len(set_here)} parameter(s) set by the scenario:")
        lines.append(_table(["parameter", "value", "unit", "from", "default", "note"],
                            [row(n, True) for n in set_here], indent="  "))
        lines.append("")
    if defaults and (show_all or not set_here):
        lines.append(f"{len(defaults)} parameter(s) at their registry defaults "
                     "(sim/registry/), with their sources:")
        lines.append(_table(["parameter", "value", "unit", "source", "note"],
                            [row(n, False) for n in defaults], indent="  "))
    elif defaults:
        lines.append(f"{len(defaults)} other parameter(s) at their registry defaults "
                     "(--all lists them with their sources).")
    return "\n".join(lines) + "\n"


@cli.command()
@click.argument("file", metavar="FILE")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help=SET_HELP)
@click.option("--format", "fmt", type=click.Choice(["table", "yaml", "json"]), default="table",
              show_default=True, help="table to read; yaml gives a standalone scenario file; "
                                      "json for programs.")
@click.option("--all", "show_all", is_flag=True,
              help="Also list parameters left at their registry defaults.")
def show(file: str, sets: tuple[str, ...], fmt: str, show_all: bool) -> None:
    """Show the fully resolved scenario: every value, its unit and where it came from.

    Values come from the registry default, a file of the extends chain (file:line) or --set.
    Values outside the credible range documented in the sources are flagged.  The yaml format
    prints a standalone scenario (no extends) that loads to the same values.

    \b
    Example:
      sim show scenarios/no-embargo.yaml
      sim show scenarios/historical.yaml --set embargo.enabled=false --all
      sim show scenarios/no-embargo.yaml --format yaml > flat.yaml
    """
    scenario = _load(file, sets)
    if fmt == "json":
        click.echo(_show_json(scenario))
    elif fmt == "yaml":
        names = [n for n in scenario.values
                 if show_all or scenario.provenance[n] != "default"]
        click.echo(_show_yaml(scenario, names), nl=False)
    else:
        click.echo(_show_table(scenario, show_all), nl=False)


# --------------------------------------------------------------------------------------------
# sim params
# --------------------------------------------------------------------------------------------


#: Width of ``sim params`` in text (descriptions wrap to it); ``--wide`` does not wrap.
PARAMS_WIDTH = 100


def _params_text(rows: Sequence[dict[str, str]], width: int = PARAMS_WIDTH) -> str:
    """Each parameter as a short block, grouped: its name and default, then what it means,
    then its credible range, allowed values and source, wrapped to ``width`` columns."""
    import textwrap

    out: list[str] = []
    group = None
    for r in rows:
        if r["group"] != group:
            if out:
                out.append("")
            group = r["group"]
            out.append(f"[{group}]")
        unit = r["unit"] if r["unit"] not in ("", "date") else ""
        first = f"{r['parameter']} = {r['default']}" + (f" {unit}" if unit else "")
        facts = "; ".join(f"{k} {r[k]}" for k in ("credible", "allowed", "source") if r[k])
        for text, indent in ((first, "  "), (r["description"], "      "), (facts, "      ")):
            if text:
                out.extend(textwrap.wrap(text, width, initial_indent=indent,
                                         subsequent_indent="        ",
                                         break_on_hyphens=False))
    return "\n".join(out) + "\n"


@cli.command()
@click.option("--group", "-g", metavar="GROUP", help="Only this group, e.g. khalkhin_gol.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "markdown"]),
              default="text", show_default=True,
              help="text to read (wrapped to 100 columns); csv and json for programs; "
                   "markdown is the text of docs/parameters.md.")
@click.option("--wide", is_flag=True,
              help="With text: one row per parameter, in columns, descriptions unwrapped.")
def params(group: str | None, fmt: str, wide: bool) -> None:
    """List every model parameter: default, unit, credible range, allowed values, source and
    what it means.

    A scenario file changes any of them under `params:`; `--set KEY=VALUE` changes them on
    the command line.

    \b
    Example:
      sim params --group khalkhin_gol
      sim params --wide | less -S
      sim params --format csv > parameters.csv
      sim params --format markdown > parameters.md
    """
    import csv
    import io

    from sim.docgen import params_as_json, render_markdown, show_allowed, show_range, show_value
    from sim.errors import ScenarioError

    registry = get_registry()
    if group is not None and group not in registry.groups():
        raise ScenarioError(
            f"unknown parameter group{did_you_mean(group, registry.groups())}; expected one of "
            + ", ".join(registry.groups()),
            file="--group", key=group,
        )
    if wide and fmt != "text":
        raise UserError(f"--wide: only with --format text, got --format {fmt}")
    if fmt == "markdown":
        click.echo(render_markdown(registry, group), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps(params_as_json(registry, group), indent=2))
        return
    rows = [
        {"parameter": p.name, "group": p.group, "default": show_value(p.default), "unit": p.unit,
         "credible": show_range(p.credible), "allowed": show_allowed(p),
         "description": " ".join(p.description.split()), "source": p.source}
        for p in registry
        if group is None or p.group == group
    ]
    columns = ["parameter", "default", "unit", "credible", "allowed", "description", "source"]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    elif wide:
        click.echo(_table(columns, [[r[c] for c in columns] for r in rows]))
    else:
        click.echo(_params_text(rows), nl=False)
