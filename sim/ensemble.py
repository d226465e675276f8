"""Posterior ensembles as a joint distribution: ``{dist: ensemble, file: PATH}``.

A calibration (``sim calibrate``) writes a *posterior file*: weighted parameter vectors, one
row per particle.  A scenario uses it for any of the parameters it holds::

    decision:
      w_oil: {dist: ensemble, file: ../posteriors/historical.json}
      w_soviet_power: {dist: ensemble, file: ../posteriors/historical.json}

Every parameter bound to the same file takes its value from the *same row*, picked by one
uniform of the replication's ``parameters`` stream (the slot of the first of those parameters
in registry order), with probability equal to the row's weight.  So the correlations the record
induced between the weights survive, and two scenarios that share a seed pick the same row in
the same replication (common random numbers).

The file is read once per process and carried with the distribution (workers receive the rows,
not the path).  Its checks are those of every distribution, each a one-line error naming the
file: a missing or broken file, another format version, a column the registry does not know,
weights that are negative, not finite or all zero, a value outside its parameter's bounds.
A file fitted to another *model version* (:func:`model_version`) is stale: refused, with the
command that refits it, unless the scenario says ``allow_stale: true``, which only warns.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from .dist_base import _Dist
from .outcomes import OUTCOMES, SERIES

#: What a posterior file says it is, and the version of its layout this module reads.
POSTERIOR_FORMAT = "strike-north-or-south posterior"
POSTERIOR_VERSION = 1
#: Largest posterior file read (a few thousand particles of a few dozen parameters is ~1 MB).
MAX_POSTERIOR_BYTES = 64 * 2**20


class StalePosterior(UserWarning):
    """A posterior fitted to another model version, used because the scenario allows it."""


def model_version(parameters: Iterable[tuple[str, str]]) -> str:
    """The model version a posterior is fitted to: a hash of what the model is *to a fit*,
    its outcome table (names, kinds, categories), its monthly series and its parameters
    (``(name, kind)`` pairs, from the registry).

    It changes when an outcome or a parameter is added, renamed or re-typed, which is when a
    fitted posterior may no longer mean what it meant; a change in the model's arithmetic
    alone does not change it (the posterior records the package version and commit too)."""
    table = {
        "outcomes": [[o.name, o.kind, list(o.categories)] for o in OUTCOMES],
        "series": sorted(SERIES),
        "parameters": sorted([name, kind] for name, kind in parameters),
    }
    text = json.dumps(table, sort_keys=True, separators=(",", ":"))
    return "m-" + hashlib.sha256(text.encode("ascii")).hexdigest()[:12]


@dataclass(frozen=True)
class PosteriorTable:
    """The rows of a posterior file: columns, values (row-major), normalised weights."""

    path: str
    sha256: str
    columns: tuple[str, ...]
    rows: tuple[tuple[float, ...], ...]
    weights: tuple[float, ...]
    model_version: str
    refit: str
    #: each parameter's values row by row, worked out once (a draw reads one per replication)
    _columns: dict[str, tuple[float, ...]] = field(default_factory=dict, init=False,
                                                   repr=False, compare=False)

    @cached_property
    def cumulative(self) -> tuple[float, ...]:
        return _cumulative(self.weights)

    def pick(self, u: float) -> int:
        """The row a uniform ``u`` in [0, 1) picks (row *k* with probability ``weights[k]``)."""
        return min(bisect.bisect_right(self.cumulative, u), len(self.rows) - 1)

    def column(self, key: str) -> tuple[float, ...]:
        """One parameter's values, row by row."""
        if key not in self._columns:
            j = self.columns.index(key)
            self._columns[key] = tuple(row[j] for row in self.rows)
        return self._columns[key]


def _cumulative(weights: tuple[float, ...]) -> tuple[float, ...]:
    acc, out = 0.0, []
    for w in weights:
        acc += w
        out.append(acc)
    out[-1] = 1.0
    return tuple(out)


def file_digest(path: str) -> str:
    """SHA-256 of a posterior file's bytes (what binds a scenario to one fit)."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read(MAX_POSTERIOR_BYTES + 1)).hexdigest()


def read_posterior(path: str) -> dict[str, Any]:
    """A posterior file's JSON, or a ValueError naming the file and what is wrong."""
    name = os.path.basename(path)
    try:
        size = os.path.getsize(path)
        if size > MAX_POSTERIOR_BYTES:
            raise ValueError(f"{name} is {size:,} bytes, more than a posterior file holds "
                             f"({MAX_POSTERIOR_BYTES:,}); expected a file `sim calibrate` wrote")
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise ValueError(f"posterior file {path} does not exist; expected a file "
                         "`sim calibrate` wrote (its posterior.json)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"posterior file {path} cannot be read as JSON "
                         f"({type(exc).__name__}: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != POSTERIOR_FORMAT:
        raise ValueError(f"{path} is not a posterior file (no `format: {POSTERIOR_FORMAT}`)")
    if data.get("format_version") != POSTERIOR_VERSION:
        raise ValueError(f"{path} has posterior format version {data.get('format_version')!r}; "
                         f"this version reads {POSTERIOR_VERSION}: refit it with "
                         f"`{data.get('refit', 'sim calibrate')}`")
    return data


@lru_cache(maxsize=32)
def load_table(path: str, sha256: str) -> PosteriorTable:
    """The checked rows of the posterior file at ``path`` whose bytes hash to ``sha256``."""
    data = read_posterior(path)
    columns = data.get("parameters")
    particles = data.get("particles")
    if (not isinstance(columns, list) or not columns
            or not all(isinstance(c, str) for c in columns)):
        raise ValueError(f"{path}: `parameters` must be a non-empty list of parameter names")
    if len(set(columns)) != len(columns):
        raise ValueError(f"{path}: `parameters` names a parameter twice")
    if not isinstance(particles, list) or not particles:
        raise ValueError(f"{path}: `particles` must be a non-empty list of rows")
    rows, weights = [], []
    for k, p in enumerate(particles):
        where = f"{path}: particle {k}"
        if not isinstance(p, dict) or set(p) - {"weight", "values", "distance"}:
            raise ValueError(f"{where}: expected a mapping with `weight` and `values`")
        values = p.get("values")
        if not isinstance(values, list) or len(values) != len(columns):
            raise ValueError(f"{where}: expected {len(columns)} values, one per parameter")
        if not all(_finite(v) for v in values):
            raise ValueError(f"{where}: every value must be a finite number")
        w = p.get("weight")
        if not _finite(w) or w < 0:
            raise ValueError(f"{where}: `weight` must be a finite number >= 0, got {w!r}")
        rows.append(tuple(float(v) for v in values))
        weights.append(float(w))
    total = math.fsum(weights)
    if not total > 0 or not math.isfinite(total):
        raise ValueError(f"{path}: the weights add up to {total:g}; expected a positive, "
                         "finite total")
    return PosteriorTable(path, sha256, tuple(columns), tuple(rows),
                          tuple(w / total for w in weights), str(data.get("model_version")),
                          str(data.get("refit") or "sim calibrate"))


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


class Ensemble(_Dist):
    """One column of a posterior file; the uniform picks a whole row (see the module)."""

    dist: Literal["ensemble"]
    file: str = Field(min_length=1)
    key: str | None = None
    sha256: str | None = Field(default=None, pattern="^[0-9a-f]{64}$")
    allow_stale: bool = False
    _table: PosteriorTable = PrivateAttr()

    @model_validator(mode="after")
    def _load(self) -> "Ensemble":
        digest = file_digest(self.file) if os.path.isfile(self.file) else None
        if digest is None:
            read_posterior(self.file)  # the one-line complaint about a missing file
        if self.sha256 is not None and digest != self.sha256:
            raise ValueError(f"{self.file} has changed since it was chosen (SHA-256 "
                             f"{digest[:12]}..., expected {self.sha256[:12]}...); expected the "
                             "same posterior file")
        self._table = load_table(self.file, digest)  # type: ignore[arg-type]
        if self.key is not None and self.key not in self._table.columns:
            raise ValueError(f"{self.file} holds no parameter `{self.key}`; it holds "
                             f"{', '.join(self._table.columns)}")
        return self

    @property
    def table(self) -> PosteriorTable:
        return self._table

    def bound(self, key: str) -> "Ensemble":
        """This ensemble for the parameter ``key``, pinned to the file's current bytes."""
        return Ensemble(dist="ensemble", file=self.file, key=self.key or key,
                        sha256=self._table.sha256, allow_stale=self.allow_stale)

    def _values(self) -> tuple[float, ...]:
        if self.key is None:
            raise ValueError(f"ensemble over {self.file} is bound to no parameter")
        return self._table.column(self.key)

    def ppf(self, u: float) -> float:
        return self._values()[self._table.pick(u)]

    @property
    def tabulated(self) -> bool:
        return True

    def quantile_function(self) -> Callable[[float], float]:
        """``ppf`` over the column and cumulative weights held as locals, for the sampler's
        per-replication loop (``tests/test_hot_paths.py`` checks it picks ``ppf``'s rows)."""
        table = self._table
        values, cumulative, last = self._values(), table.cumulative, len(table.rows) - 1
        bisect_right = bisect.bisect_right

        def ppf(u: float) -> float:
            return values[min(bisect_right(cumulative, u), last)]

        return ppf

    def value_at(self, row: int) -> float:
        return self._values()[row]

    def mean(self) -> float:
        return math.fsum(v * w for v, w in zip(self._values(), self._table.weights))

    def bounds(self) -> tuple[float, float]:
        values = self._values()
        return min(values), max(values)

    def describe(self) -> str:
        """``ensemble(file=historical.json, key=decision.w_oil)``: which file (by name; the
        scenario's provenance says where) and column, not its hash."""
        return f"ensemble(file={os.path.basename(self.file)}, key={self.key})"

    def check_model(self, version: str, known: Sequence[str]) -> None:
        """Refuse (or, with ``allow_stale``, warn about) a file for another model version,
        and refuse a column that names no parameter of this model."""
        unknown = [c for c in self._table.columns if c not in known]
        if unknown:
            raise ValueError(f"{self.file} names `{unknown[0]}`, which is not a parameter "
                             "of this model; expected a posterior fitted to this model")
        if self._table.model_version == version:
            return
        message = (f"{self.file} is stale: fitted to model version "
                   f"{self._table.model_version}, this model is {version}; refit it with "
                   f"`{self._table.refit}`")
        if not self.allow_stale:
            raise ValueError(message + " (or say `allow_stale: true` to use it anyway)")
        warnings.warn(message, StalePosterior, stacklevel=2)


def resolve_file(spec: dict[str, Any], base: Path | None) -> dict[str, Any]:
    """An ensemble's mapping with ``file`` made absolute: relative to the scenario file that
    names it (``base``, its folder), else to the current directory."""
    file = spec.get("file")
    if not isinstance(file, str) or not file.strip():
        return spec
    path = Path(file.strip()).expanduser()
    if not path.is_absolute():
        path = (base if base is not None else Path.cwd()) / path
    return {**spec, "file": os.path.normpath(str(path))}


def shared_slots(uncertain: Sequence[tuple[int, str, Any, str]]) -> dict[str, int]:
    """For each parameter drawn from an ensemble, the slot whose uniform picks its row: the
    first (lowest) slot among the parameters bound to the same file."""
    first: dict[str, int] = {}
    for idx, _name, dist, _kind in uncertain:
        if isinstance(dist, Ensemble):
            first[dist.file] = min(idx, first.get(dist.file, idx))
    return {name: first[dist.file] for _i, name, dist, _k in uncertain
            if isinstance(dist, Ensemble)}
