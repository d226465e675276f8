"""The drawn inputs of a run: the value each uncertain parameter took in each replication.

A scenario's fixed parameters are the same in every replication and are recorded once, in the
manifest's resolved scenario; its uncertain ones (those with a distribution) are drawn anew
for each replication and are recorded here, beside the outcomes, so that one can ask in which
runs an assumption was high.  The values are those the model received, taken from the same
dictionary (:meth:`sim.params.Sampler.draw_for`), never drawn a second time.

Codes, like the outcomes' (:mod:`~sim.results.codec`): numbers float64, whole numbers int64,
dates int64 day numbers since 1970-01-01, true/false as bool, categorical parameters int8
indices into the registry's list of choices (the documented order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.errors import ResultsError

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_DTYPES = {"float": np.float64, "int": np.int64, "date": np.int64, "bool": np.bool_,
           "choice": np.int8}


@dataclass(frozen=True)
class InputSpec:
    """One drawn parameter: its name, kind, unit, (categorical ones) its choices, and whether
    its draws are the rows of a table (``tabulated``: a posterior ensemble's column, a
    thousand distinct values or so, which runs.parquet stores with a dictionary)."""

    name: str
    kind: str
    unit: str
    description: str
    choices: tuple[Any, ...] = ()
    tabulated: bool = False

    @property
    def dtype(self) -> np.dtype:
        """The dtype of this input's codes."""
        return np.dtype(_DTYPES[self.kind])

    @property
    def categories(self) -> tuple[str, ...]:
        """The choices as text, in the registry's order (a categorical input's labels)."""
        return tuple(str(c) for c in self.choices)


def input_specs(sampler: Any) -> tuple[InputSpec, ...]:
    """The drawn parameters of a scenario's sampler, in name order."""
    registry = sampler.registry
    out = []
    for _, name, dist, _ in sorted(sampler.uncertain, key=lambda entry: entry[1]):
        p = registry[name]
        choices = tuple(p.choices or ()) if p.kind == "choice" else ()
        out.append(InputSpec(name, p.kind, p.unit, p.description, choices,
                             tabulated=dist.tabulated))
    return tuple(out)


def scenario_inputs(scenario: Any) -> tuple[InputSpec, ...]:
    """The drawn parameters of ``scenario`` (none for an object that has no sampler)."""
    sampler = getattr(scenario, "sampler", None)
    return input_specs(sampler()) if callable(sampler) else ()


class InputRecorder:
    """Collects the drawn values of the replications of one chunk, then encodes them.

    The worker calls :meth:`add` with the very dictionary the model received, once per
    successful replication, so that the rows line up with the outcome rows.
    """

    def __init__(self, sampler: Any) -> None:
        self.specs = input_specs(sampler)
        self._names = [s.name for s in self.specs]
        self._rows: list[list[Any]] = []

    def add(self, params: Mapping[str, Any]) -> None:
        self._rows.append([params[n] for n in self._names])

    def columns(self) -> dict[str, np.ndarray]:
        """One array of codes per drawn parameter, in replication order."""
        cols = list(zip(*self._rows)) if self._rows else [()] * len(self.specs)
        return {s.name: encode_input(s, col) for s, col in zip(self.specs, cols)}


def encode_input(spec: InputSpec, values: Sequence[Any]) -> np.ndarray:
    """The codes of a sequence of values of one drawn parameter."""
    if spec.kind == "date":
        return np.array([v.toordinal() - _EPOCH_ORDINAL for v in values], dtype=np.int64)
    if spec.kind == "choice":
        index = {c: i for i, c in enumerate(spec.choices)}
        return np.array([index[v] for v in values], dtype=np.int8)
    return np.array(values, dtype=spec.dtype)


def decode_input(spec: InputSpec, codes: np.ndarray) -> np.ndarray:
    """The values of a drawn parameter as a user sees them: numbers, ``datetime64[D]``, bools,
    or the choices' text."""
    if spec.kind == "date":
        return codes.astype(np.int64).view("datetime64[D]")
    if spec.kind == "choice":
        return np.array(spec.categories, dtype=object)[codes.astype(np.int64)].astype(str)
    return codes


def check_input_codes(spec: InputSpec, codes: np.ndarray) -> str | None:
    """What is wrong with the codes of a drawn parameter read from a file, or None."""
    if codes.dtype != spec.dtype:
        return f"is {codes.dtype}; expected {spec.dtype}"
    if spec.kind == "choice":
        bad = (codes < 0) | (codes >= len(spec.choices))
    elif spec.kind == "date":
        bad = (codes < -719_162) | (codes > 2_932_896)
    elif spec.kind == "float":
        bad = ~np.isfinite(codes)
    else:
        return None
    if bad.any():
        return f"holds code {codes[np.argmax(bad)]!r}, which is no {spec.kind}"
    return None


class DecodedInputs(Mapping[str, np.ndarray]):
    """``Results.inputs``: the drawn values per parameter, decoded on first access."""

    def __init__(self, specs: Sequence[InputSpec], codes: Mapping[str, np.ndarray]) -> None:
        self.specs = {s.name: s for s in specs}
        self._codes = codes
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        got = self._cache.get(name)
        if got is None:
            spec = self.specs.get(name)
            if spec is None:
                drawn = ", ".join(self.specs) or "none"
                raise KeyError(f"{name!r} is not a drawn parameter of this run (drawn: {drawn})")
            got = self._cache[name] = decode_input(spec, self._codes[name])
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self.specs)

    def __len__(self) -> int:
        return len(self.specs)


class NoInputs(ResultsError):
    """Results that do not hold their drawn inputs (an older folder, or one written without
    pyarrow)."""
