"""Following ``extends`` from a scenario file to its root, and merging the chain into one
:class:`~sim.scenario.core.Scenario` with the provenance of every value."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError
from sim.params import Registry
from sim.scenario.core import Scenario, registry_or_default
from sim.scenario.file_layer import FileLayer, read_layer
from sim.scenario.installed import (
    Located, is_bare_name, locate, locate_extends, names_hint, suffix_hint,
)
from sim.scenario.provenance import DEFAULT_ORIGIN, file_origin
from sim.scenario.source import UnreadableFile, shown_path
from sim.scenario.tree import tree_of


def _unreadable(exc: UnreadableFile, located: Located, via: Located | None,
                via_line: int | None, target: str) -> ScenarioError:
    """Why a file cannot be read, as the fault of whoever named it: the command line for the
    first file, the ``extends`` line of the file before it for the others.  A name that is
    neither a file nor an installed scenario lists the installed ones."""
    label = located.label
    bare = exc.missing and is_bare_name(target)
    if via is None:
        if bare:
            return ScenarioError(
                f"no such file and no installed scenario of that name{names_hint(target)}; "
                "expected a scenario YAML file or the name of an installed scenario",
                file=shown_path(label))
        hint = suffix_hint(target) if exc.missing else ""
        return ScenarioError(exc.problem + hint, file=shown_path(label))
    if bare:
        return ScenarioError(
            f"extends `{shown_path(target)}`, which is neither a file nor an installed "
            f"scenario{names_hint(target)}; expected the path of another scenario file, "
            "relative to this one, or the name of an installed scenario",
            file=via.label, line=via_line, key="extends")
    return ScenarioError(
        f"extends `{shown_path(label)}`, which {exc.clause}; expected the path of another "
        "scenario file, relative to this one",
        file=via.label, line=via_line, key="extends",
    )


def _read_chain(first: Located, given: str, registry: Registry) -> list[FileLayer]:
    """The file ``first`` and every file it extends, most derived first; a cycle or a parent
    that cannot be read is an error located at the ``extends`` line that leads there."""
    tree = tree_of(registry)
    layers: list[FileLayer] = []
    seen: dict[Path, str] = {}
    current, target = first, given
    via: Located | None = None
    via_line: int | None = None
    while True:
        try:
            resolved = current.path.resolve()
        except (OSError, RuntimeError, ValueError):
            resolved = current.path.absolute()
        if resolved in seen:
            cycle = [layer.label for layer in layers[list(seen).index(resolved):]]
            raise ScenarioError(
                "extends cycle: " + " -> ".join([*cycle, current.label])
                + "; expected a chain that ends in a file without `extends`",
                file=None if via is None else via.label, line=via_line, key="extends",
            )
        seen[resolved] = current.label
        try:
            layer = read_layer(current.label, current.path, registry, tree)
        except UnreadableFile as exc:
            raise _unreadable(exc, current, via, via_line, target) from None
        layers.append(layer)
        if layer.extends is None:
            return layers
        via, via_line, target = current, layer.extends_line, layer.extends
        current = locate_extends(current, layer.extends)


def load_scenario(
    path: str | Path,
    overrides: Mapping[str, Any] | Sequence[str] = (),
    *,
    registry: Registry | None = None,
) -> Scenario:
    """Load a scenario, follow its ``extends`` chain, apply ``overrides`` (``--set``).

    ``path`` is a file, or (as text without a path separator or ``.yaml`` suffix) the name of
    an installed scenario such as ``"historical"``: see :mod:`sim.scenario.installed`.  A
    :class:`pathlib.Path` always means a file.

    ``overrides`` is a mapping (``{"embargo.enabled": False}``) or ``--set`` strings
    (``["embargo.enabled=false"]``); both are applied after the whole chain.
    """
    registry = registry_or_default(registry)
    label = os.fspath(path)
    if not isinstance(label, str) or not label.strip():
        raise ScenarioError("no scenario file given; expected a path such as "
                            "scenarios/historical.yaml or an installed name such as historical")
    as_text = isinstance(path, str)
    first = locate(label) if as_text else Located(label, Path(label))
    layers = _read_chain(first, label if as_text else "", registry)
    values = registry.defaults()
    provenance = {name: DEFAULT_ORIGIN for name in values}
    priors: dict[str, Any] = {}
    for layer in reversed(layers):
        for name, (value, line) in layer.params.items():
            values[name] = value
            provenance[name] = file_origin(layer.label, line)
            priors.pop(name, None)  # a later file's own value replaces an earlier posterior
        for name, (value, line) in layer.posterior.items():
            priors[name] = values[name]
            values[name] = value
            provenance[name] = file_origin(layer.label, line) + " (posterior)"
    top = layers[0]
    scenario = Scenario(
        name=top.name or first.path.stem,
        description=top.description or "",
        path=Path(first.label),
        chain=tuple(Path(layer.label) for layer in layers),
        values=values,
        provenance=provenance,
        registry=registry,
        priors=priors,
    )
    return scenario.with_overrides(overrides) if overrides else scenario
