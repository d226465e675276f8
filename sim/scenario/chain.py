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
from sim.scenario.provenance import DEFAULT_ORIGIN, file_origin
from sim.scenario.source import UnreadableFile, shown_path
from sim.scenario.tree import tree_of


def _extends_label(parent_label: str, target: str) -> str:
    """Path of an extended file as the user would write it (relative stays relative)."""
    if os.path.isabs(target):
        return target
    return os.path.normpath(os.path.join(os.path.dirname(parent_label), target))


def _unreadable(exc: UnreadableFile, label: str, via_label: str | None,
                via_line: int | None) -> ScenarioError:
    """Why ``label`` cannot be read, as the fault of whoever named it: the command line for
    the first file, the ``extends`` line of the file before it for the others."""
    if via_label is None:
        return ScenarioError(exc.problem, file=shown_path(label))
    return ScenarioError(
        f"extends `{shown_path(label)}`, which {exc.clause}; expected the path of another "
        "scenario file, relative to this one",
        file=via_label, line=via_line, key="extends",
    )


def _read_chain(label: str, registry: Registry) -> list[FileLayer]:
    """The file ``label`` and every file it extends, most derived first; a cycle or a parent
    that cannot be read is an error located at the ``extends`` line that leads there."""
    tree = tree_of(registry)
    layers: list[FileLayer] = []
    seen: dict[Path, str] = {}
    current_label, current_path = label, Path(label)
    via_line: int | None = None
    via_label: str | None = None
    while True:
        try:
            resolved = current_path.resolve()
        except (OSError, RuntimeError, ValueError):
            resolved = current_path.absolute()
        if resolved in seen:
            cycle = [layer.label for layer in layers[list(seen).index(resolved):]]
            raise ScenarioError(
                "extends cycle: " + " -> ".join([*cycle, current_label])
                + "; expected a chain that ends in a file without `extends`",
                file=via_label, line=via_line, key="extends",
            )
        seen[resolved] = current_label
        try:
            layer = read_layer(current_label, current_path, registry, tree)
        except UnreadableFile as exc:
            raise _unreadable(exc, current_label, via_label, via_line) from None
        layers.append(layer)
        if layer.extends is None:
            return layers
        via_label, via_line = current_label, layer.extends_line
        current_label = _extends_label(current_label, layer.extends)
        current_path = Path(current_label)


def load_scenario(
    path: str | Path,
    overrides: Mapping[str, Any] | Sequence[str] = (),
    *,
    registry: Registry | None = None,
) -> Scenario:
    """Load a scenario file, follow its ``extends`` chain, apply ``overrides`` (``--set``).

    ``overrides`` is a mapping (``{"embargo.enabled": False}``) or ``--set`` strings
    (``["embargo.enabled=false"]``); both are applied after the whole chain.
    """
    registry = registry_or_default(registry)
    label = os.fspath(path)
    if not isinstance(label, str) or not label.strip():
        raise ScenarioError("no scenario file given; expected a path such as "
                            "scenarios/historical.yaml")
    layers = _read_chain(label, registry)
    values = registry.defaults()
    provenance = {name: DEFAULT_ORIGIN for name in values}
    for layer in reversed(layers):
        for name, (value, line) in layer.params.items():
            values[name] = value
            provenance[name] = file_origin(layer.label, line)
    top = layers[0]
    scenario = Scenario(
        name=top.name or Path(label).stem,
        description=top.description or "",
        path=Path(label),
        chain=tuple(Path(layer.label) for layer in layers),
        values=values,
        provenance=provenance,
        registry=registry,
    )
    return scenario.with_overrides(overrides) if overrides else scenario
