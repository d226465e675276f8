"""The registry's dotted names (``khalkhin_gol.soviet_men``) as a tree of groups.

A ``params`` mapping may nest groups or write dotted keys, or mix both; flattening it onto
registry names is where unknown names, groups given a single value and parameters set twice
are found, and the tree is what suggests the name that was meant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.errors import ScenarioError, did_you_mean
from sim.params import Registry
from sim.scenario.quoting import clip, key_text


def _parent(path: str) -> str:
    return path.rsplit(".", 1)[0] if "." in path else ""


def _leaf(name: str) -> str:
    return name.rsplit(".", 1)[-1]


class NameTree:
    """The registry's dotted names seen as a tree, for nesting and "did you mean"."""

    def __init__(self, registry: Registry) -> None:
        self.names = set(registry.names())
        self.nodes: set[str] = set()
        for name in self.names:
            parts = name.split(".")
            for i in range(1, len(parts)):
                self.nodes.add(".".join(parts[:i]))

    def children(self, prefix: str) -> list[str]:
        """The names one level below ``prefix`` (the groups, for ``""``)."""
        depth = prefix.count(".") + 1 if prefix else 0
        start = prefix + "." if prefix else ""
        return sorted(
            {
                ".".join(n.split(".")[: depth + 1])
                for n in self.names
                if n.startswith(start) and n.count(".") >= depth
            }
        )

    def unknown(self, path: str) -> str:
        """The message for a name that is not in the registry: the closest known name, and
        what its nearest known group holds."""
        parent = _parent(path)
        while parent and parent not in self.nodes:
            parent = _parent(parent)
        candidates = sorted(self.names | self.nodes)
        hint = did_you_mean(path, candidates)
        if not hint:
            same_depth = [c for c in candidates if c.count(".") == path.count(".")]
            hint = did_you_mean(path, same_depth)
        siblings = self.children(parent)
        if parent:
            names = ", ".join(_leaf(s) for s in siblings)
            expected = f"parameters in `{parent}`: {names}"
            what = "unknown parameter"
        else:
            expected = "parameter groups: " + ", ".join(siblings)
            what = "unknown parameter group" if "." not in path else "unknown parameter"
        return f"{what}{hint}; known {clip(expected, 400)}"


_TREES: dict[int, tuple[Registry, NameTree]] = {}


def tree_of(registry: Registry) -> NameTree:
    """The name tree of a registry, built once (overrides are applied per sweep point)."""
    cached = _TREES.get(id(registry))
    if cached is not None and cached[0] is registry and len(registry) == len(cached[1].names):
        return cached[1]
    if len(_TREES) > 32:
        _TREES.clear()
    tree = NameTree(registry)
    _TREES[id(registry)] = (registry, tree)
    return tree


def flatten_params(
    mapping: Mapping[Any, Any],
    prefix: str,
    tree: NameTree,
    label: str,
    out: dict[str, tuple[Any, int | None]],
    top_line: int | None = None,
    track_lines: bool = True,
) -> None:
    """Flatten a (nested and/or dotted) ``params`` mapping onto registry names.

    ``out`` maps name -> (raw value, line); a name given twice in one file is an error.
    ``track_lines`` is off for overrides, whose YAML line numbers mean nothing to the user.
    """
    lines = getattr(mapping, "lines", {}) if track_lines else {}
    for key, value in mapping.items():
        line = lines.get(key, top_line)
        if not isinstance(key, str) or not key.strip():
            where = prefix.rstrip(".") or None
            raise ScenarioError(
                f"parameter names must be text such as `embargo`, got `{key_text(key)}`",
                file=label, line=line, key=where,
            )
        key = key.strip()
        path = prefix + key
        if any(not part for part in path.split(".")):
            raise ScenarioError(
                "empty part in a dotted name; expected names such as `embargo.date`",
                file=label, line=line, key=key_text(path),
            )
        is_param = path in tree.names
        is_node = path in tree.nodes
        if is_node and isinstance(value, Mapping) and "dist" not in value:
            flatten_params(value, path + ".", tree, label, out, line, track_lines)
            continue
        if is_param:
            if path in out:
                first = out[path][1]
                where = f" (first at line {first})" if first is not None else ""
                raise ScenarioError(
                    f"set twice in this file{where}, once nested and once dotted or repeated; "
                    "expected each parameter once",
                    file=label, line=line, key=path,
                )
            out[path] = (value, line)
            continue
        if is_node:
            kids = ", ".join(_leaf(c) for c in tree.children(path))
            raise ScenarioError(
                f"is a group of parameters, not a single value; expected a mapping of its "
                f"parameters ({clip(kids, 200)}) such as `{path}: {{{kids.split(', ')[0]}: ...}}`",
                file=label, line=line, key=path,
            )
        raise ScenarioError(tree.unknown(path), file=label, line=line, key=key_text(path))
