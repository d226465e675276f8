"""The outcome columns of a run as the user sees them, decoded, and as read from disk lazily."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from sim.outcomes import BY_NAME, OUTCOME_NAMES
from sim.results.codec import csv_rows
from sim.results.io import OUTCOMES_NPZ
from sim.results.validation import check_codes, npz_file


class DecodedOutcomes(Mapping[str, np.ndarray]):
    """``Results.outcomes``: decodes the compact arrays on first access (then caches)."""

    def __init__(self, codes: Mapping[str, np.ndarray]) -> None:
        self._codes = codes
        self._cache: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        got = self._cache.get(name)
        if got is None:
            arr = self._codes[name]
            o = BY_NAME[name]
            if o.kind == "category":
                table = np.array([*o.categories, ""], dtype=object)
                got = table[arr.astype(np.int64)].astype(str)
            elif o.kind == "date":
                got = arr.view("datetime64[D]")
            else:
                got = arr
            self._cache[name] = got
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)


class LazyColumns(Mapping[str, np.ndarray]):
    """Columns of a results file read one at a time and kept once read, until :meth:`forget`:
    a run of a million replications then needs memory for the columns actually looked at, not
    for all of them.  A subclass says how one column is read (:meth:`read`) and which exist."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._cache: dict[str, np.ndarray] = {}

    def read(self, name: str) -> np.ndarray:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def names(self) -> Sequence[str]:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def forget(self) -> None:
        """Drop the columns read so far: they are on disk, and memory is what a big run lacks."""
        self._cache.clear()

    def __getitem__(self, name: str) -> np.ndarray:
        got = self._cache.get(name)
        if got is None:
            got = self._cache[name] = self.read(name)
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())


class NpzColumns(LazyColumns):
    """Outcome arrays of a results folder, read from outcomes.npz one column at a time."""

    def read(self, name: str) -> np.ndarray:
        """One column from disk, without keeping it (its codes checked: the file may have been
        damaged since it was opened)."""
        outcome = BY_NAME.get(name)
        if outcome is None:
            raise KeyError(name)
        with npz_file(self.path.parent, self.path.name) as data:
            codes = np.asarray(data[name])
        check_codes(self.path.parent, self.path.name, outcome, codes)
        return codes

    def names(self) -> Sequence[str]:
        return OUTCOME_NAMES


def npz_row(folder: Path, index: int) -> str | None:
    """The runs.csv row of replication ``index`` from outcomes.npz (what ``sim reproduce``
    compares with in a folder that holds outcomes.npz alone); None when there is no such
    file or row."""
    path = Path(folder) / OUTCOMES_NPZ
    if not path.is_file():
        return None
    with npz_file(path.parent, path.name) as data:
        replications = np.asarray(data["replication"])
    found = np.flatnonzero(replications == index)
    if not found.size:
        return None
    at = int(found[0])
    columns = NpzColumns(path)
    codes = {name: columns.read(name)[at: at + 1] for name in OUTCOME_NAMES}
    return next(csv_rows(np.array([index], dtype=np.int64), codes))
