"""Checking a user's value for one registry parameter: a fixed value or a distribution.

Values arrive from YAML files, ``--set`` strings, JSON manifests and Python callers (sweeps hand
over numpy scalars), so dates may come as text and numbers as numpy types; each is normalised
here, and every mistake is explained in terms of what the parameter expects.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from sim.distributions import Choice, is_distribution, parse_distribution
from sim.ensemble import Ensemble, model_version, resolve_file
from sim.errors import ScenarioError
from sim.params import Param, Registry, describe_value
from sim.scenario.quoting import clip

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _dist_example(param: Param) -> str:
    if param.kind == "date":
        return "{dist: uniform, low: 1941-07-25, high: 1941-08-15}"
    if param.kind in ("bool", "choice"):
        return "{dist: choice, values: [...], weights: [...]}"
    return "{dist: triangular, low: ..., mode: ..., high: ...}"


def _expected(param: Param) -> str:
    """What ``param`` accepts, in the words of an error message."""
    if param.kind == "bool":
        return "true or false"
    if param.kind == "date":
        return "an ISO date such as 1941-07-02"
    if param.kind == "choice":
        return "one of " + ", ".join(describe_value(c).strip("'") for c in param.choices or ())
    what = "a whole number" if param.kind == "int" else "a number"
    if param.bounds is not None and param.bounds != (None, None):
        lo, hi = param.bounds
        if hi is None:
            what += f" >= {describe_value(lo)}"
        elif lo is None:
            what += f" <= {describe_value(hi)}"
        else:
            what += f" in [{describe_value(lo)}, {describe_value(hi)}]"
    return f"{what} ({param.unit})" if param.unit else what


def _as_date(text: str) -> dt.date | None:
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def _coerce_dates(param: Param, raw: Any) -> Any:
    """ISO date strings -> dates for date parameters (quoted dates, JSON, Python callers)."""
    if param.kind != "date":
        return raw
    if isinstance(raw, str):
        parsed = _as_date(raw.strip())
        return parsed if parsed is not None else raw
    if isinstance(raw, Mapping) and "dist" in raw:
        out = dict(raw)
        for k in ("low", "mode", "high"):
            if isinstance(out.get(k), str):
                parsed = _as_date(out[k].strip())
                if parsed is not None:
                    out[k] = parsed
        if isinstance(out.get("values"), list):
            out["values"] = [
                (_as_date(v.strip()) or v) if isinstance(v, str) else v for v in out["values"]
            ]
        return out
    return raw


def _non_finite_field(spec: Mapping[str, Any]) -> str | None:
    for k, v in spec.items():
        items = v if isinstance(v, list) else [v]
        for item in items:
            if isinstance(item, float) and not math.isfinite(item):
                return str(k)
    return None


def _parse_spec(param: Param, raw: Mapping[Any, Any]) -> Any:
    """The distribution a mapping describes, or a ValueError that says how to write one."""
    if "dist" not in raw:
        if any(isinstance(k, str) and ":" in k and raw[k] is None for k in raw):
            raise ValueError(
                "YAML needs a space after each colon inside {...}: write "
                "{dist: uniform, low: 1, high: 2}, not {dist:uniform,low:1,high:2}"
            )
        fields = ", ".join(f"`{k}`" for k in list(raw)[:4])
        raise ValueError(
            f"got a mapping ({clip(fields)}) but no `dist` key; expected {_expected(param)} "
            f"or a distribution such as {_dist_example(param)}"
        )
    bad_keys = [k for k in raw if not isinstance(k, str)]
    if bad_keys:
        raise ValueError(
            f"distribution field names must be text, got `{clip(str(bad_keys[0]))}`"
        )
    spec = dict(raw)
    flags = [k for k, v in spec.items()
             if k not in ("dist", "values", "allow_stale") and isinstance(v, bool)]
    if flags:
        raise ValueError(
            f"bad distribution: `{flags[0]}` must be a number or an ISO date, got "
            f"{str(spec[flags[0]]).lower()}"
        )
    non_finite = _non_finite_field(spec)
    if non_finite is not None:
        raise ValueError(f"bad distribution: `{non_finite}` must be a finite number")
    try:
        return parse_distribution(spec)
    except ValueError as exc:
        raise ValueError(f"bad distribution: {exc}") from None


def _check_fixed(param: Param, raw: Any) -> Any:
    """A single value (not a distribution), with hints for the shapes YAML makes by accident."""
    if isinstance(raw, str) and param.kind == "date":
        reason = ""
        if _ISO_DATE.match(raw.strip()):
            try:
                dt.date.fromisoformat(raw.strip())
            except ValueError as exc:
                reason = f" ({exc})"
        raise ValueError(
            f"expected an ISO date such as 1941-07-02, got '{clip(raw)}'{reason}"
        )
    if isinstance(raw, (list, tuple, set, frozenset)):
        raise ValueError(
            f"expected {_expected(param)}, got a list; for several possible values use "
            "{dist: choice, values: [...]}"
        )
    if isinstance(raw, bytes):
        raise ValueError(f"expected {_expected(param)}, got binary data")
    return param.check(raw)


def _normalise_choice(param: Param, dist: Choice) -> Choice:
    """A choice whose values are normalised like fixed values (``2`` -> ``2.0`` for a float)."""
    normalised = [param.check(v) if not isinstance(v, (Mapping, list)) else v
                  for v in dist.values]
    for v in normalised:
        if isinstance(v, (Mapping, list)):
            raise ValueError(
                f"choice values must be single values; expected {_expected(param)}"
            )
    if normalised != list(dist.values) or any(
        type(a) is not type(b) for a, b in zip(normalised, dist.values)
    ):
        return Choice(dist="choice", values=normalised, weights=dist.weights)
    return dist


def _bind_ensemble(param: Param, dist: Ensemble, registry: Registry | None) -> Ensemble:
    """A posterior ensemble bound to ``param`` (its column) and checked against the model:
    every column a parameter of ``registry``, fitted to this model version."""
    bound = dist.bound(param.name)
    if registry is not None:
        version = model_version((p.name, p.kind) for p in registry)
        bound.check_model(version, registry.names())
    return bound


def check_value(param: Param, raw: Any, *, registry: Registry | None = None,
                base: Path | None = None) -> Any:
    """Validate one user value for ``param``: fixed value or distribution; raise ValueError.
    ``registry`` checks a posterior ensemble against the model; ``base`` is the folder its
    relative ``file`` is read from (the scenario file's; default the current directory)."""
    if isinstance(raw, np.generic):  # sweeps and designs hand over numpy scalars
        raw = raw.item()
    if raw is None:
        raise ValueError(f"no value given; expected {_expected(param)}")
    raw = _coerce_dates(param, raw)
    if isinstance(raw, Mapping) and raw.get("dist") == "ensemble":
        raw = resolve_file(dict(raw), base)
    if is_distribution(raw):
        dist = raw
    elif isinstance(raw, Mapping):
        dist = _parse_spec(param, raw)
    else:
        return _check_fixed(param, raw)
    if isinstance(dist, Choice):
        dist = _normalise_choice(param, dist)
    if isinstance(dist, Ensemble):
        dist = _bind_ensemble(param, dist, registry)
    try:
        return param.check(dist)
    except (ValueError, TypeError) as exc:  # TypeError: e.g. a date bound against a number
        raise ValueError(f"bad distribution for this parameter: {exc}") from None


def checked_value(param: Param, raw: Any, *, file: str, key: str,
                  line: int | None = None, registry: Registry | None = None,
                  base: Path | None = None) -> Any:
    """:func:`check_value`, its complaint raised as a ScenarioError located at file/line/key."""
    try:
        return check_value(param, raw, registry=registry, base=base)
    except ValueError as exc:
        raise ScenarioError(clip(str(exc), 400), file=file, line=line, key=key) from None


def check_values(
    raw: Mapping[str, tuple[Any, int | None]], registry: Registry, label: str,
    base: Path | None = None,
) -> dict[str, tuple[Any, int | None]]:
    """Every (value, line) of a flattened ``params`` mapping, checked against the registry
    (``base``: the folder of the file they come from)."""
    return {
        name: (checked_value(registry[name], value, file=label, line=line, key=name,
                             registry=registry, base=base), line)
        for name, (value, line) in raw.items()
    }


def value_to_json(value: Any) -> Any:
    """A parameter value as JSON-able data: ISO dates, distributions as their YAML mapping."""
    if is_distribution(value):
        return {k: value_to_json(v) for k, v in value.to_yaml().items()}
    if isinstance(value, dt.datetime):  # pragma: no cover - normalised away by Param.check
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [value_to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): value_to_json(v) for k, v in value.items()}
    return value


def same_value(a: Any, b: Any) -> bool:
    """Equal values of the same kind: ``1`` and ``1.0`` are the same number, ``True`` is not
    ``1``, and distributions compare by their parameters."""
    if is_distribution(a) or is_distribution(b):
        return type(a) is type(b) and value_to_json(a) == value_to_json(b)
    return type(a) is type(b) and a == b or (
        isinstance(a, (int, float)) and isinstance(b, (int, float))
        and not isinstance(a, bool) and not isinstance(b, bool) and a == b
    )
