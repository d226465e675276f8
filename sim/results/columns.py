"""The outcome columns of a run as the user sees them, decoded, and as read from disk lazily."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np

from sim.outcomes import BY_NAME, OUTCOME_NAMES
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


class NpzColumns(Mapping[str, np.ndarray]):
    """Outcome arrays of a results folder, read from outcomes.npz one column at a time.

    A run of a million replications then needs memory for the columns actually looked at,
    not for all of them.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._cache: dict[str, np.ndarray] = {}

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

    def forget(self) -> None:
        """Drop the columns read so far: they are on disk, and memory is what a big run lacks."""
        self._cache.clear()

    def __getitem__(self, name: str) -> np.ndarray:
        got = self._cache.get(name)
        if got is None:
            got = self._cache[name] = self.read(name)
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(OUTCOME_NAMES)

    def __len__(self) -> int:
        return len(OUTCOME_NAMES)
