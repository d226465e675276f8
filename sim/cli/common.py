"""What every command shares: the same short option means the same thing everywhere, and the
same rules for the files a command writes.

| option | meaning |
|---|---|
| ``-n/--runs`` | replications per scenario, grid point or sample point |
| ``-s/--seed`` | the root seed, default 1 everywhere (printed and recorded) |
| ``-o/--out`` | the folder a command writes |
| ``-w/--workers`` | worker processes |
| ``-q/--quiet`` | nothing on stdout but what was asked for; errors still on stderr |
| ``-f/--force`` | replace what ``--out`` already holds |
| ``-r/--replication`` | the index of one replication |

Outputs: a command refuses to overwrite a file it would write unless ``--force``; it writes
nothing until its work is done, then writes every file under a temporary name beside it and
moves it into place, so a failed or interrupted command leaves neither stub folders nor
half-written files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from sim.errors import UserError
from sim.formatting import format_setting

F = TypeVar("F", bound=Callable[..., Any])

#: The root seed when none is given.  Fixed rather than random so that a command run twice
#: gives the same numbers (and two commands share their random numbers); the seed is always
#: printed and recorded, and ``--seed`` gives an independent run.
DEFAULT_SEED = 1
SEED_HELP = ("Root seed [default: 1, as for every command, so that the same command gives "
             "the same numbers]; printed and recorded.")
SET_HELP = "Override a parameter of the scenario, e.g. embargo.enabled=false (repeatable)."
QUIET_HELP = "Print nothing but errors (no progress bar, no table, no list of files)."
FORCE_HELP = "Replace the files --out already holds (only once the new ones are complete)."


def runs_option(default: int | None, help: str, minimum: int = 1, *extra: str) -> Callable[[F], F]:
    """``-n/--runs``: replications per scenario, grid point or sample point."""
    kind = click.IntRange(min=minimum) if minimum > 1 else int
    return click.option("--runs", *extra, "-n", "runs", type=kind, default=default,
                        show_default=default is not None, help=help)


def seed_option(help: str = SEED_HELP) -> Callable[[F], F]:
    """``-s/--seed``, default :data:`DEFAULT_SEED`."""
    return click.option("--seed", "-s", type=int, default=DEFAULT_SEED,  # checked by the engine
                        help=help)


def out_option(help: str, file: bool = False) -> Callable[[F], F]:
    """``-o/--out``: where the command writes."""
    kind = click.Path(dir_okay=False) if file else click.Path(file_okay=False)
    return click.option("--out", "-o", type=kind, default=None, help=help)


def workers_option() -> Callable[[F], F]:
    """``-w/--workers``."""
    return click.option("--workers", "-w", type=click.IntRange(min=1), default=None,
                        help="Worker processes [default: all cores].")


def quiet_option() -> Callable[[F], F]:
    """``-q/--quiet``."""
    return click.option("--quiet", "-q", is_flag=True, help=QUIET_HELP)


def force_option(help: str = FORCE_HELP) -> Callable[[F], F]:
    """``-f/--force``."""
    return click.option("--force", "-f", is_flag=True, help=help)


def set_option(help: str = SET_HELP) -> Callable[[F], F]:
    """``--set KEY=VALUE`` (repeatable; no short form)."""
    return click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help=help)


def options_given(names: Iterable[str]) -> list[str]:
    """The options among ``names`` (parameter names) given on the command line or in the
    environment, spelt as the user would (``--runs``, ``--csv/--no-csv``): what a
    ``--resume`` that keeps its recorded settings must refuse."""
    ctx = click.get_current_context()
    by_name = {p.name: p for p in ctx.command.params}
    shown = []
    for name in names:
        if ctx.get_parameter_source(name) in (click.core.ParameterSource.COMMANDLINE,
                                              click.core.ParameterSource.ENVIRONMENT):
            option = by_name[name]
            long = max(option.opts, key=len)
            secondary = getattr(option, "secondary_opts", [])
            shown.append("/".join([long, *secondary]))
    return shown


def default_out(name: str, kind: str = "") -> Path:
    """``results/<name>[-<kind>]-<timestamp>``, made unique: a default never collides."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("results") / "-".join(p for p in (name, kind, stamp) if p)
    out, k = base, 2
    while out.exists():
        out = base.with_name(f"{base.name}-{k}")
        k += 1
    return out


def scenario_title(scenario: Any) -> str:
    """The scenario's name with the ``--set`` overrides it runs under, so that a table headed
    ``historical`` never shows numbers that are not the historical scenario's."""
    from sim.scenario.provenance import SET_ORIGIN

    name = str(getattr(scenario, "name", "?"))
    provenance = getattr(scenario, "provenance", None) or {}
    values = getattr(scenario, "values", None) or {}
    sets = [f"{k}={format_setting(values[k])}" for k, origin in provenance.items()
            if origin == SET_ORIGIN and k in values]
    return f"{name} with --set {', '.join(sets)}" if sets else name


def check_outputs(out: Path, names: Iterable[str], force: bool, option: str = "--out") -> None:
    """Refuse, before any work, an ``out`` that is a file or already holds one of ``names``
    (unless ``force``)."""
    if out.exists() and not out.is_dir():
        raise UserError(f"{option} {out}: is a file; expected a folder")
    taken = sorted(n for n in names if (out / n).exists())
    if taken and not force:
        raise UserError(f"{option} {out}: already holds {', '.join(taken)}; add --force to "
                        "replace them, or choose another --out")


@contextlib.contextmanager
def staged(out: Path, force: bool, option: str = "--out") -> Iterator[Path]:
    """A temporary folder beside ``out`` to write into; on success each file in it is moved
    into ``out`` (created if needed), on failure it is removed and ``out`` is untouched."""
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    try:
        yield tmp
        written = sorted(p.name for p in tmp.iterdir())
        check_outputs(out, written, force, option)  # again: another writer may have been quick
        out.mkdir(exist_ok=True)
        for name in written:
            target = out / name
            if target.is_dir() and not (tmp / name).is_dir():
                raise UserError(f"{option} {out}: {name} is a folder; expected to write a file")
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(tmp / name, target)
    except OSError as exc:
        raise UserError(f"{option} {out}: cannot write ({exc.strerror or exc}); nothing was "
                        "replaced") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_outputs(out: Path, force: bool, write: Callable[[Path], Sequence[Path]],
                  option: str = "--out") -> list[Path]:
    """Run ``write(folder)`` in a staging folder and move what it wrote into ``out``; the
    paths returned are those in ``out``."""
    with staged(out, force, option) as tmp:
        paths = list(write(tmp))
    return [out / Path(p).relative_to(tmp) for p in paths]


def echo_written(paths: Sequence[Path], quiet: bool) -> None:
    """``wrote PATH`` per file, unless ``--quiet``."""
    if not quiet:
        for p in paths:
            click.echo(f"wrote {p}")
