"""Overrides: ``--set KEY=VALUE`` strings and ``{name: value}`` mappings, applied after the
whole ``extends`` chain (and by sweeps and analyses, once per design point)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sim.errors import ScenarioError
from sim.params import Registry
from sim.scenario.provenance import SET_ORIGIN
from sim.scenario.quoting import clip, describe_got, key_text
from sim.scenario.source import MAX_FILE_BYTES
from sim.scenario.tree import flatten_params, tree_of
from sim.scenario.values import check_values
from sim.scenario.yaml_lines import first_duplicate, parse_yaml

#: Overrides can be written as in a file, under ``params``; the prefix is dropped.
_PARAMS_PREFIX = "params."


def parse_set(expr: str) -> tuple[str, Any]:
    """Split ``key=value`` and read the value with the YAML safe loader.

    So ``false``, ``0.3``, ``1941-08-01`` and ``{dist: uniform, low: 1, high: 2}`` all mean
    what they mean in a file.  An optional ``params.`` prefix is accepted.
    """
    if not isinstance(expr, str):
        raise ScenarioError(
            f"expected KEY=VALUE text such as embargo.enabled=false, got {describe_got(expr)}",
            file=SET_ORIGIN,
        )
    key, sep, text = expr.partition("=")
    if not sep:
        raise ScenarioError(
            f"expected KEY=VALUE such as embargo.enabled=false, got `{clip(expr)}`",
            file=SET_ORIGIN,
        )
    key = key.strip().removeprefix(_PARAMS_PREFIX)
    if not key:
        raise ScenarioError(
            f"missing the parameter name before `=` in `{clip(expr)}`; expected KEY=VALUE "
            "such as embargo.enabled=false",
            file=SET_ORIGIN,
        )
    shown = key_text(key)
    if not text.strip():
        raise ScenarioError(
            "no value after `=`; expected KEY=VALUE such as embargo.enabled=false",
            file=SET_ORIGIN, key=shown,
        )
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError(
            f"value too long ({len(text):,} characters); expected at most {MAX_FILE_BYTES:,}, "
            "the size of the largest scenario file",
            file=SET_ORIGIN, key=shown,
        )
    value = parse_yaml(text, SET_ORIGIN, shown)
    dup = first_duplicate(value)
    if dup is not None:
        raise ScenarioError(
            f"duplicate key `{dup[0]}` in the value; expected each key once",
            file=SET_ORIGIN, key=shown,
        )
    return key, value


def _override_items(
    overrides: Mapping[str, Any] | Sequence[str] | str | None,
) -> list[tuple[str, Any]]:
    """(name, raw value) pairs in the order given, whatever form the overrides came in."""
    if overrides is None:
        return []
    if isinstance(overrides, str):
        return [parse_set(overrides)]
    if isinstance(overrides, Mapping):
        items = []
        for key, value in overrides.items():
            if not isinstance(key, str):
                raise ScenarioError(
                    f"override names must be text such as `embargo.enabled`, got "
                    f"`{key_text(key)}`",
                    file=SET_ORIGIN,
                )
            items.append((key.strip().removeprefix(_PARAMS_PREFIX), value))
        return items
    return [parse_set(expr) for expr in overrides]


def resolve_overrides(
    overrides: Mapping[str, Any] | Sequence[str] | str | None,
    registry: Registry,
    origin: str,
) -> dict[str, Any]:
    """Validated override values by parameter name (the last one given wins)."""
    tree = tree_of(registry)
    result: dict[str, Any] = {}
    for key, value in _override_items(overrides):
        flat: dict[str, tuple[Any, int | None]] = {}
        flatten_params({key: value}, "", tree, origin, flat, track_lines=False)
        for name, (checked, _) in check_values(flat, registry, origin).items():
            result[name] = checked
    return result
