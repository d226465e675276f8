"""Scenario internals still to be split into modules of their own."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sim.errors import ScenarioError, did_you_mean
from sim.params import Registry, Sampler
from sim.registry import REGISTRY
from sim.scenario.overrides import resolve_overrides
from sim.scenario.provenance import DEFAULT_ORIGIN, SET_ORIGIN, file_origin
from sim.scenario.quoting import describe_got, key_text
from sim.scenario.tree import NameTree, flatten_params, tree_of
from sim.scenario.values import check_values, checked_value, same_value, value_to_json
from sim.scenario.yaml_lines import first_duplicate, parse_yaml


def registry_or_default(registry: Registry | None) -> Registry:
    """The registry a caller passed, else the model's own."""
    return registry if registry is not None else REGISTRY


@dataclass(frozen=True)
class Scenario:
    """A fully resolved scenario: every registry parameter, and where its value came from."""

    name: str
    description: str
    path: Path | None
    chain: tuple[Path, ...]
    values: Mapping[str, Any]
    provenance: Mapping[str, str]
    registry: Registry = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        registry = registry_or_default(self.registry)
        object.__setattr__(self, "registry", registry)
        object.__setattr__(self, "chain", tuple(Path(p) for p in self.chain))
        missing = [n for n in registry.names() if n not in self.values]
        if missing:  # pragma: no cover - construction bug, not user input
            raise ValueError(f"scenario is missing parameters: {', '.join(missing)}")
        ordered = {name: self.values[name] for name in registry.names()}
        object.__setattr__(self, "values", MappingProxyType(ordered))
        object.__setattr__(
            self, "provenance",
            MappingProxyType({n: self.provenance.get(n, DEFAULT_ORIGIN) for n in ordered}),
        )

    def __hash__(self) -> int:
        return hash(self.content_hash())

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle support (process pools ship scenarios to workers).

        The model's own registry travels by reference: each worker uses its imported copy.
        """
        registry = None if self.registry is REGISTRY else self.registry
        return (Scenario, (self.name, self.description, self.path, self.chain,
                           dict(self.values), dict(self.provenance), registry))

    def with_overrides(
        self, overrides: Mapping[str, Any] | Sequence[str], origin: str = SET_ORIGIN
    ) -> Scenario:
        """A copy with some parameters replaced (validated like ``--set``)."""
        changed = resolve_overrides(overrides, self.registry, origin)
        if not changed:
            return self
        values = dict(self.values)
        provenance = dict(self.provenance)
        for name, value in changed.items():
            values[name] = value
            provenance[name] = origin
        return Scenario(self.name, self.description, self.path, self.chain, values, provenance,
                        self.registry)

    def sampler(self) -> Sampler:
        """The inverse-transform sampler that turns per-replication uniforms into values."""
        return Sampler(self.registry, self.values)

    def differences(self, other: Scenario | None = None) -> dict[str, tuple[Any, Any]]:
        """Parameters whose value differs from ``other`` (default: the registry defaults),
        as name -> (other value, this value), in registry order."""
        base = other.values if other is not None else self.registry.defaults()
        return {
            name: (base.get(name), value)
            for name, value in self.values.items()
            if not same_value(base.get(name), value)
        }

    def is_default(self, name: str) -> bool:
        """Whether a parameter holds its registry default (whatever the file said)."""
        return same_value(self.registry[name].default, self.values[name])

    def content_hash(self) -> str:
        """SHA-256 of the canonical resolved values: equal hashes mean equal assumptions."""
        return self._content_hash

    @cached_property
    def _content_hash(self) -> str:
        payload = json.dumps(
            {name: value_to_json(v) for name, v in self.values.items()},
            sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False,
        )
        return hashlib.sha256(payload.encode("ascii")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form that :func:`scenario_from_dict` turns back into an equal Scenario."""
        return {
            "name": self.name,
            "description": self.description,
            "path": None if self.path is None else self.path.as_posix(),
            "chain": [p.as_posix() for p in self.chain],
            "values": {name: value_to_json(v) for name, v in self.values.items()},
            "provenance": dict(self.provenance),
        }


#: The keys of :meth:`Scenario.to_dict`.
_DICT_KEYS = ("name", "description", "path", "chain", "values", "provenance")


def scenario_from_dict(
    data: Mapping[str, Any], *, registry: Registry | None = None, source: str = "scenario data"
) -> Scenario:
    """Rebuild a :class:`Scenario` from :meth:`Scenario.to_dict` output (e.g. a manifest).

    Parameters missing from ``values`` take their registry default; unknown ones are errors.
    ``source`` names the origin in error messages (e.g. ``results/x/manifest.json``).
    """
    registry = registry_or_default(registry)
    if not isinstance(data, Mapping):
        raise ScenarioError(
            f"expected a mapping with name, values and provenance, got {type(data).__name__}",
            file=source,
        )
    for key in data:
        if key not in _DICT_KEYS:
            raise ScenarioError(
                f"unknown key{did_you_mean(str(key), _DICT_KEYS)}; "
                f"expected {', '.join(_DICT_KEYS)}",
                file=source, key=str(key),
            )
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise ScenarioError("expected the scenario name as text", file=source, key="name")
    description = data.get("description") or ""
    if not isinstance(description, str):
        raise ScenarioError("expected text", file=source, key="description")
    raw_values = data.get("values") or {}
    provenance = data.get("provenance") or {}
    if not isinstance(raw_values, Mapping):
        raise ScenarioError("expected a mapping of parameter values", file=source, key="values")
    if not isinstance(provenance, Mapping) or not all(
        isinstance(v, str) for v in provenance.values()
    ):
        raise ScenarioError("expected a mapping of parameter -> origin text", file=source,
                            key="provenance")
    tree = tree_of(registry)
    values = registry.defaults()
    for key, raw in raw_values.items():
        if key not in tree.names:
            raise ScenarioError(tree.unknown(str(key)), file=source, key=f"values.{key}")
        values[key] = checked_value(registry[key], raw, file=source, key=f"values.{key}")
    path = data.get("path")
    chain = data.get("chain") or []
    if path is not None and not isinstance(path, str):
        raise ScenarioError("expected a file path or null", file=source, key="path")
    if not isinstance(chain, list) or not all(isinstance(p, str) for p in chain):
        raise ScenarioError("expected a list of file paths", file=source, key="chain")
    prov = {n: str(provenance.get(n, DEFAULT_ORIGIN)) for n in registry.names()}
    return Scenario(name, description, None if path is None else Path(path),
                    tuple(Path(p) for p in chain), values, prov, registry)


#: The only keys a scenario file may have at its top level.
TOP_LEVEL_KEYS = ("name", "description", "extends", "params")
_MAX_NAME = 200


@dataclass
class FileLayer:
    """What one file says: its own name, description, parent and checked parameter values."""

    label: str
    path: Path
    name: str | None
    description: str | None
    extends: str | None
    extends_line: int | None
    params: dict[str, tuple[Any, int | None]]


def _read_text(label: str, path: Path) -> str:
    """The file's text, or a ScenarioError saying why it cannot be read as a scenario."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError("file not found; expected a scenario YAML file", file=label) from None
    except IsADirectoryError:
        raise ScenarioError("is a directory; expected a scenario YAML file", file=label) from None
    except PermissionError:
        raise ScenarioError("cannot read the file: permission denied", file=label) from None
    except OSError as exc:
        if path.is_dir():
            raise ScenarioError(
                "is a directory; expected a scenario YAML file", file=label
            ) from None
        raise ScenarioError(f"cannot read the file: {exc.strerror or exc}", file=label) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "expected a scenario YAML file",
            file=label,
        ) from None


def _read_mapping(label: str, path: Path, tree: NameTree) -> Mapping[Any, Any]:
    """The file's top-level mapping, each key one of :data:`TOP_LEVEL_KEYS`, none repeated."""
    data = parse_yaml(_read_text(label, path), label)
    if data is None:
        raise ScenarioError(
            "file is empty; expected a mapping with some of: " + ", ".join(TOP_LEVEL_KEYS),
            file=label,
        )
    dup = first_duplicate(data)
    if dup is not None:
        key, first, again = dup
        raise ScenarioError(
            f"duplicate key (first at line {first}); YAML would silently keep the last one, "
            "expected each key once",
            file=label, line=again, key=key.removeprefix("params."),
        )
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else f"the single value {describe_got(data)}"
        raise ScenarioError(
            f"expected a mapping with some of {', '.join(TOP_LEVEL_KEYS)} at the top level, "
            f"got {kind}",
            file=label, line=1,
        )
    lines = getattr(data, "lines", {})
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            shown = key_text(key)
            hint = did_you_mean(shown, TOP_LEVEL_KEYS)
            if not hint and isinstance(key, str) and (key in tree.nodes or key in tree.names):
                hint = f" (parameters go under `params:`, e.g. `params: {{{key}: ...}}`)"
            raise ScenarioError(
                f"unknown top-level key{hint}; expected {', '.join(TOP_LEVEL_KEYS)}",
                file=label, line=lines.get(key), key=shown,
            )
    return data


def _text_field(data: Mapping[Any, Any], key: str, label: str, single_line: bool) -> str | None:
    """``name`` or ``description``: text, stripped; a name must also be one short line."""
    value = data.get(key)
    if value is None:
        return None
    line = getattr(data, "lines", {}).get(key)
    if not isinstance(value, str):
        raise ScenarioError(
            f"expected text, got {describe_got(value)} (quote it if it looks like a number "
            "or date)",
            file=label, line=line, key=key,
        )
    value = value.strip()
    if single_line and ("\n" in value or not value or len(value) > _MAX_NAME):
        raise ScenarioError(
            f"expected a short single-line name (at most {_MAX_NAME} characters)",
            file=label, line=line, key=key,
        )
    return value


def read_layer(label: str, path: Path, registry: Registry, tree: NameTree) -> FileLayer:
    """Read and check one scenario file (``label`` is its path as the user wrote it)."""
    data = _read_mapping(label, path, tree)
    lines = getattr(data, "lines", {})
    name = _text_field(data, "name", label, single_line=True)
    description = _text_field(data, "description", label, single_line=False)
    extends = data.get("extends")
    if extends is not None and (not isinstance(extends, str) or not extends.strip()):
        raise ScenarioError(
            f"expected the path of another scenario file such as historical.yaml, got "
            f"{describe_got(extends)}",
            file=label, line=lines.get("extends"), key="extends",
        )
    params = data.get("params")
    flat: dict[str, tuple[Any, int | None]] = {}
    if params is not None:
        if not isinstance(params, Mapping):
            raise ScenarioError(
                "expected a mapping of parameter groups such as `embargo: {enabled: false}`, "
                f"got {describe_got(params)}",
                file=label, line=lines.get("params"), key="params",
            )
        flatten_params(params, "", tree, label, flat, lines.get("params"))
    return FileLayer(
        label=label, path=path, name=name, description=description,
        extends=extends.strip() if isinstance(extends, str) else None,
        extends_line=lines.get("extends"),
        params=check_values(flat, registry, label),
    )


def _extends_label(parent_label: str, target: str) -> str:
    """Path of an extended file as the user would write it (relative stays relative)."""
    if os.path.isabs(target):
        return target
    return os.path.normpath(os.path.join(os.path.dirname(parent_label), target))


def _read_chain(label: str, registry: Registry) -> list[FileLayer]:
    """The file ``label`` and every file it extends, most derived first; a cycle or a missing
    parent is an error located at the ``extends`` line that leads there."""
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
        if via_label is not None and not current_path.exists():
            raise ScenarioError(
                f"extends `{current_label}`, which does not exist; expected the path of another "
                "scenario file, relative to this one",
                file=via_label, line=via_line, key="extends",
            )
        layer = read_layer(current_label, current_path, registry, tree)
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
