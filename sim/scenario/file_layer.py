"""One scenario file, read and checked on its own: one layer of an ``extends`` chain.

Everything a single file can get wrong is found here, before any inheritance, so that the
message names that file and line: non-UTF-8 bytes, broken YAML, duplicated or unknown
top-level keys, and bad parameter names and values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.ensemble import read_posterior, resolve_file
from sim.errors import ScenarioError, did_you_mean
from sim.params import Registry
from sim.scenario.quoting import describe_got, key_text
from sim.scenario.source import read_scenario_bytes
from sim.scenario.tree import NameTree, flatten_params
from sim.scenario.values import check_values, checked_value
from sim.scenario.yaml_lines import first_duplicate, parse_yaml

#: The only keys a scenario file may have at its top level.
TOP_LEVEL_KEYS = ("name", "question", "description", "extends", "params", "posterior")
_MAX_NAME = 200
_MAX_QUESTION = 300


@dataclass
class FileLayer:
    """What one file says: its own name, question, description, parent and checked parameter
    values."""

    label: str
    path: Path
    name: str | None
    description: str | None
    extends: str | None
    extends_line: int | None
    params: dict[str, tuple[Any, int | None]]
    question: str | None = None
    #: the posterior ensemble's draws for the parameters it was fitted for (``posterior:``),
    #: applied over this file's own values, which stay the calibration's priors
    posterior: dict[str, tuple[Any, int | None]] = field(default_factory=dict)


def _read_text(label: str, path: Path) -> str:
    """The file's text; :class:`UnreadableFile` when it is not a readable regular file, a
    ScenarioError when its bytes are not UTF-8."""
    raw = read_scenario_bytes(path)
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


def _text_field(data: Mapping[Any, Any], key: str, label: str, single_line: bool,
                limit: int = _MAX_NAME) -> str | None:
    """``name``, ``question`` or ``description``: text, stripped; a name or a question must
    also be one line of at most ``limit`` characters."""
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
    if single_line and ("\n" in value or not value or len(value) > limit):
        raise ScenarioError(
            f"expected a short single-line {key} (at most {limit} characters)",
            file=label, line=line, key=key,
        )
    return value


def _posterior(data: Mapping[Any, Any], label: str, path: Path,
               registry: Registry) -> dict[str, tuple[Any, int | None]]:
    """``posterior: FILE`` (or ``{file: FILE, allow_stale: true}``): every parameter the
    posterior file holds, drawn jointly from it (``dist: ensemble``), checked like any value.

    Why a key of its own: a calibrated scenario binds a dozen or more parameters to one fit,
    and its ``params`` keep the priors that ``sim calibrate`` reads."""
    spec = data.get("posterior")
    if spec is None:
        return {}
    line = getattr(data, "lines", {}).get("posterior")
    expected = ("expected the path of a posterior file (`sim calibrate` writes posterior.json), "
                "or a mapping with `file` and optionally `allow_stale: true`")
    if isinstance(spec, str):
        spec = {"file": spec}
    if (not isinstance(spec, Mapping) or set(spec) - {"file", "allow_stale"}
            or not isinstance(spec.get("file"), str) or not spec["file"].strip()
            or not isinstance(spec.get("allow_stale", False), bool)):
        raise ScenarioError(f"{expected}, got {describe_got(spec)}", file=label, line=line,
                            key="posterior")
    raw = {"dist": "ensemble", "file": spec["file"].strip(),
           "allow_stale": spec.get("allow_stale", False)}
    where = resolve_file(raw, path.parent)["file"]
    try:
        columns = read_posterior(where).get("parameters")
    except ValueError as exc:
        raise ScenarioError(str(exc), file=label, line=line, key="posterior") from None
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise ScenarioError(f"{where}: `parameters` must be a list of parameter names",
                            file=label, line=line, key="posterior")
    unknown = [c for c in columns if c not in registry.names()]
    if unknown:
        raise ScenarioError(f"{where} fits parameters this model does not have "
                            f"({', '.join(unknown[:5])}): refit it with `sim calibrate`",
                            file=label, line=line, key="posterior")
    return {name: (checked_value(registry[name], dict(raw), file=label, line=line,
                                 key="posterior", registry=registry, base=path.parent), line)
            for name in columns}


def read_layer(label: str, path: Path, registry: Registry, tree: NameTree) -> FileLayer:
    """Read and check one scenario file (``label`` is its path as the user wrote it).

    A path that is no readable regular file raises
    :class:`~sim.scenario.source.UnreadableFile`, which the caller words as the fault of the
    command line or of the ``extends`` that named it.
    """
    data = _read_mapping(label, path, tree)
    lines = getattr(data, "lines", {})
    name = _text_field(data, "name", label, single_line=True)
    description = _text_field(data, "description", label, single_line=False)
    question = _text_field(data, "question", label, single_line=True, limit=_MAX_QUESTION)
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
        params=check_values(flat, registry, label, path.parent),
        question=question,
        posterior=_posterior(data, label, path, registry),
    )
