"""The scenarios that ship with the package, and the rule by which an argument names one.

Someone who only installed the wheel has no ``scenarios/`` folder, so the package carries the
project's scenario files: the wheel maps the project's top-level ``scenarios/`` folder to
``sim/scenarios/`` (``setup.py``), and a checkout reads its top-level folder directly.  There is
one set of files, never two copies that could drift apart.

The rule, the same for every command that takes a scenario and for ``extends:``:

* an argument with no path separator and no ``.yaml``/``.yml`` suffix that is the name of an
  installed scenario (``historical``) means that installed scenario, even when a file or
  folder of that name is in the working directory;
* anything else is a path (``./historical``, ``historical.yaml``,
  ``scenarios/historical.yaml``), relative to the working directory, or in ``extends:`` to the
  file that names it.

An installed scenario is labelled ``installed:NAME.yaml`` in provenance, ``sim show`` and the
manifest, so that a run records which one it used without naming a folder of this machine.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sim.errors import did_you_mean
from sim.params import Registry
from sim.scenario.core import registry_or_default
from sim.scenario.file_layer import read_layer
from sim.scenario.tree import tree_of

#: How the label of an installed scenario starts (``installed:historical.yaml``).
LABEL_PREFIX = "installed:"
#: The project's distribution name: how a checkout's ``pyproject.toml`` is recognised.
DISTRIBUTION = "strike-north-or-south"
SUFFIXES = (".yaml", ".yml")

_PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: Where an installed wheel keeps the scenarios.
PACKAGED_FOLDER = _PACKAGE_DIR / "scenarios"


@dataclass(frozen=True)
class Located:
    """A scenario argument resolved: ``label`` (as messages and provenance show it) and the
    ``path`` to open; ``name`` is the installed scenario's name, or None for a user's file."""

    label: str
    path: Path
    name: str | None = None


def _is_checkout(root: Path) -> bool:
    """Whether ``root`` is this project's source tree (its pyproject names the project)."""
    try:
        with open(root / "pyproject.toml", "rb") as f:
            return tomllib.load(f).get("project", {}).get("name") == DISTRIBUTION
    except (OSError, tomllib.TOMLDecodeError):
        return False


@lru_cache(maxsize=1)
def installed_folder() -> Path | None:
    """The folder of installed scenarios: the wheel's ``sim/scenarios/``, else the top-level
    ``scenarios/`` of the checkout the package runs from (editable installs, a clone)."""
    if PACKAGED_FOLDER.is_dir():
        return PACKAGED_FOLDER
    root = _PACKAGE_DIR.parent
    if (root / "scenarios").is_dir() and _is_checkout(root):
        return root / "scenarios"
    return None


def installed_names() -> tuple[str, ...]:
    """The names of the installed scenarios (file names without ``.yaml``), sorted."""
    folder = installed_folder()
    if folder is None:
        return ()
    return tuple(sorted(p.stem for p in folder.iterdir()
                        if p.suffix == ".yaml" and p.is_file() and is_bare_name(p.stem)))


def is_bare_name(text: str) -> bool:
    """Whether ``text`` is written as a name (no path separator, no YAML suffix) and so may
    name an installed scenario, rather than as a path."""
    separators = {"/", os.sep, os.altsep} - {None}
    return (bool(text) and text not in (".", "..")
            and not any(sep in text for sep in separators)
            and not text.lower().endswith(SUFFIXES))


def is_installed(text: str) -> bool:
    """Whether the argument ``text`` names an installed scenario (by the rule above)."""
    return is_bare_name(text) and text in installed_names()


def installed(name: str) -> Located:
    """The installed scenario ``name`` (which must be one of :func:`installed_names`)."""
    folder = installed_folder()
    assert folder is not None, "no installed scenarios"
    return Located(f"{LABEL_PREFIX}{name}.yaml", folder / f"{name}.yaml", name)


def locate(text: str) -> Located:
    """Where a scenario argument of the command line (or the API) points, by the rule above."""
    return installed(text) if is_installed(text) else Located(text, Path(text))


def locate_extends(parent: Located, target: str) -> Located:
    """Where ``extends: target`` in the file ``parent`` points, by the rule above.

    A relative path in an installed scenario stays among the installed ones (and keeps their
    label); in a user's file it is relative to that file, labelled as the user would write it.
    """
    if is_installed(target):
        return installed(target)
    if os.path.isabs(target):
        return Located(target, Path(target))
    if parent.name is not None:
        inner = os.path.normpath(os.path.join(
            os.path.dirname(parent.label.removeprefix(LABEL_PREFIX)), target))
        return Located(LABEL_PREFIX + Path(inner).as_posix(), parent.path.parent / target,
                       Path(inner).stem)
    label = os.path.normpath(os.path.join(os.path.dirname(parent.label), target))
    return Located(label, Path(label))


def names_hint(text: str) -> str:
    """``(did you mean `x`?); installed scenarios: a, b, ...`` for a name that is neither a file
    nor an installed scenario."""
    names = installed_names()
    if not names:
        return "; no scenarios are installed with this copy of the package"
    return f"{did_you_mean(text, names)}; installed scenarios: {', '.join(names)}"


def suffix_hint(text: str) -> str:
    """`` (without .yaml, `historical` names the installed scenario)`` for a missing file
    whose name is an installed scenario's file name, else ''."""
    stem, suffix = os.path.splitext(text)
    if suffix.lower() in SUFFIXES and is_bare_name(stem) and stem in installed_names():
        return f" (`{stem}`, without {suffix}, names the installed scenario)"
    return ""


@dataclass(frozen=True)
class Entry:
    """One installed scenario as ``sim scenarios`` lists it."""

    name: str
    question: str
    label: str
    extends: str | None


def catalog(registry: Registry | None = None) -> list[Entry]:
    """Every installed scenario with the question it asks (its ``question:``, else its
    ``description:`` on one line), each file read and checked like any scenario file."""
    registry = registry_or_default(registry)
    tree = tree_of(registry)
    entries = []
    for name in installed_names():
        where = installed(name)
        layer = read_layer(where.label, where.path, registry, tree)
        question = layer.question or " ".join((layer.description or "").split())
        entries.append(Entry(name, question, where.label, layer.extends))
    return entries
