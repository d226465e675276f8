"""The resolved :class:`Scenario`: every registry parameter, its value and where it came from.

A scenario is immutable and identified by its content hash, so that runs, manifests and
analyses can tell whether two scenarios make the same assumptions whatever files they came from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sim.distributions import Uniform
from sim.errors import ScenarioError, did_you_mean
from sim.params import Registry, Sampler
from sim.registry import REGISTRY
from sim.scenario.overrides import resolve_overrides
from sim.scenario.provenance import DEFAULT_ORIGIN, SET_ORIGIN
from sim.scenario.tree import tree_of
from sim.scenario.values import checked_value, same_value, value_to_json


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
    #: what the scenario's files said for the parameters a ``posterior:`` replaced: the
    #: priors ``sim calibrate`` fits from (not assumptions of a run: not in the content hash)
    priors: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        registry = registry_or_default(self.registry)
        object.__setattr__(self, "registry", registry)
        object.__setattr__(self, "chain", tuple(Path(p) for p in self.chain))
        missing = [n for n in registry.names() if n not in self.values]
        if missing:  # pragma: no cover - construction bug, not user input
            raise ValueError(f"scenario is missing parameters: {', '.join(missing)}")
        ordered = {name: self.values[name] for name in registry.names()}
        object.__setattr__(self, "values", MappingProxyType(ordered))
        object.__setattr__(self, "priors", MappingProxyType(dict(self.priors)))
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
                           dict(self.values), dict(self.provenance), registry,
                           dict(self.priors)))

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
                        self.registry, self.priors)

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

    def stated_priors(self) -> dict[str, tuple[float, float]]:
        """The priors the scenario's files state: every numeric parameter they give a uniform
        distribution, the values a ``posterior:`` replaced included.  A school of thought is
        such a file: its reading of the record is where it puts each weight's prior
        (``sim calibrate`` fits them, ``sim schools`` draws them before a fit)."""
        stated = {**dict(self.values), **dict(self.priors)}
        return {name: (float(v.low), float(v.high)) for name, v in stated.items()
                if isinstance(v, Uniform) and self.provenance.get(name) != DEFAULT_ORIGIN
                and self.registry[name].kind in ("float", "int")}

    def is_default(self, name: str) -> bool:
        """Whether a parameter holds its registry default (whatever the file said)."""
        return same_value(self.registry[name].default, self.values[name])

    def content_hash(self) -> str:
        """SHA-256 of the canonical resolved values: equal hashes mean equal assumptions."""
        return self._content_hash

    @cached_property
    def _content_hash(self) -> str:
        payload = json.dumps(
            {name: _identity(value_to_json(v)) for name, v in self.values.items()},
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
        values[key] = checked_value(registry[key], raw, file=source, key=f"values.{key}",
                                    registry=registry)
    path = data.get("path")
    chain = data.get("chain") or []
    if path is not None and not isinstance(path, str):
        raise ScenarioError("expected a file path or null", file=source, key="path")
    if not isinstance(chain, list) or not all(isinstance(p, str) for p in chain):
        raise ScenarioError("expected a list of file paths", file=source, key="chain")
    prov = {n: str(provenance.get(n, DEFAULT_ORIGIN)) for n in registry.names()}
    return Scenario(name, description, None if path is None else Path(path),
                    tuple(Path(p) for p in chain), values, prov, registry)


def _identity(value: Any) -> Any:
    """A value as the content hash sees it: a posterior ensemble by its file's SHA-256 and
    column, not by where the file happens to be (the same scenario and posterior give the
    same hash in a checkout, an installed wheel or a copy)."""
    if isinstance(value, dict) and value.get("dist") == "ensemble" and value.get("sha256"):
        return {k: v for k, v in value.items() if k != "file"}
    return value
