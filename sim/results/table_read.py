"""Reading runs.parquet without trusting it (see :mod:`~sim.results.table` for its layout).

Its schema must be exactly the one this version writes, its row count the run's, its declared
size bounded by what that many rows can hold; every column read is decoded back to codes and
checked like the other files' (:mod:`~sim.results.validation`).  Columns are read from their
Arrow buffers (``to_numpy`` would import pandas).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sim.outcomes import BY_NAME, OUTCOMES
from sim.results.codec import NAT, NO_CATEGORY, csv_rows
from sim.results.columns import LazyColumns
from sim.results.folder import InvalidFolder
from sim.results.inputs import InputSpec, check_input_codes
from sim.results.io import TABLE
from sim.results.table import EXTRA, _pa, have_pyarrow, table_schema
from sim.results.validation import check_codes

#: Most bytes a row group may declare per value (the widest column holds 8 per value).
_MAX_BYTES_PER_VALUE = 16


def _values(column: Any, dtype: Any) -> tuple[np.ndarray, np.ndarray | None]:
    """The values of a primitive Arrow array (its bytes viewed as ``dtype``) and, when it has
    nulls, where they are."""
    n, offset = len(column), column.offset
    validity, data = column.buffers()[:2]
    if np.dtype(dtype) == np.bool_:
        bits = np.unpackbits(np.frombuffer(data, np.uint8), bitorder="little")
        values = bits[offset: offset + n].astype(np.bool_)
    else:
        values = np.frombuffer(data, dtype=dtype)[offset: offset + n]
    if not column.null_count or validity is None:
        return values, None
    valid = np.unpackbits(np.frombuffer(validity, np.uint8), bitorder="little")
    return values, ~valid[offset: offset + n].astype(np.bool_)

# --------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------

def _damage() -> tuple[type[BaseException], ...]:
    pa = _pa()
    return (pa.ArrowException, OSError, ValueError, EOFError, MemoryError, KeyError,
            IndexError, TypeError)


def open_table(folder: Path, runs: int, specs: Sequence[InputSpec]) -> bool:
    """Check runs.parquet's schema, row count and declared size; whether it holds the drawn
    inputs (a table written from results that had none holds the outcomes only)."""
    try:
        import pyarrow.parquet as pq  # optional: the [tables] extra
    except ImportError:
        raise InvalidFolder(folder, f"{TABLE} cannot be read without pyarrow ({EXTRA})") \
            from None
    try:
        meta = pq.ParquetFile(folder / TABLE).metadata
        schema = meta.schema.to_arrow_schema()
        declared = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    except _damage() as exc:
        raise InvalidFolder(folder, f"{TABLE} is not a readable Parquet file "
                            f"({type(exc).__name__}: {exc})") from None
    with_inputs = table_schema(specs)
    without = table_schema(())
    if not (schema.equals(with_inputs) or schema.equals(without)):
        got = {f.name: str(f.type) for f in schema}
        want = {f.name: str(f.type) for f in with_inputs}
        odd = next((n for n in [*want, *got] if got.get(n) != want.get(n)), "its metadata")
        raise InvalidFolder(folder, f"{TABLE} does not have the columns this version writes "
                            f"(column `{odd}`: {got.get(odd, 'missing')}, expected "
                            f"{want.get(odd, 'none')})")
    if meta.num_rows != runs:
        raise InvalidFolder(folder, f"{TABLE} holds {meta.num_rows} rows; the run holds {runs}")
    if declared > runs * len(schema) * _MAX_BYTES_PER_VALUE + (1 << 20):
        raise InvalidFolder(folder, f"{TABLE} declares {declared:,} bytes of data, more than "
                            f"{runs} rows can hold")
    return bool(specs) and schema.equals(with_inputs)


def read_column(folder: Path, name: str) -> Any:
    """One column of runs.parquet as a single Arrow array, damage reported as InvalidFolder."""
    import pyarrow.parquet as pq  # optional: the [tables] extra

    try:
        column = pq.ParquetFile(folder / TABLE).read(columns=[name]).column(0)
        return column.combine_chunks()
    except _damage() as exc:
        raise InvalidFolder(folder, f"{TABLE} `{name}` cannot be read "
                            f"({type(exc).__name__}: {exc})") from None


def _codes_of(folder: Path, name: str, column: Any, categories: Sequence[str] | None,
              dtype: np.dtype) -> np.ndarray:
    """Codes of an Arrow column: dictionary columns mapped onto ``categories`` (null -1),
    dates as day numbers (null NaT), numbers with null as NaN."""
    pa = _pa()
    if categories is not None:
        labels = column.dictionary.to_pylist()
        unknown = [v for v in labels if v not in categories]
        if unknown:
            raise InvalidFolder(folder, f"{TABLE} `{name}` holds category {unknown[0]!r}, "
                                f"expected one of {', '.join(categories)}")
        lookup = np.array([*(categories.index(v) for v in labels), NO_CATEGORY],
                          dtype=np.int64)
        indices, missing = _values(column.indices, np.int8)
        indices = indices.astype(np.int64)
        if missing is not None:
            indices[missing] = len(labels)
        if indices.size and (indices.min() < 0 or indices.max() > len(labels)):
            raise InvalidFolder(folder, f"{TABLE} `{name}` has a category index out of range")
        return lookup[indices].astype(dtype)
    if pa.types.is_date32(column.type):
        days, missing = _values(column, np.int32)
        codes = days.astype(np.int64)
        if missing is not None:
            codes[missing] = NAT
        return codes
    raw = {"int64": np.int64, "double": np.float64, "bool": np.bool_}[str(column.type)]
    values, missing = _values(column, raw)
    codes = values.astype(dtype)
    if missing is not None:
        if codes.dtype.kind != "f":
            raise InvalidFolder(folder, f"{TABLE} `{name}` has a missing value")
        codes[missing] = np.nan
    return codes


def table_row(folder: Path, index: int) -> str | None:
    """The runs.csv row of replication ``index`` as runs.parquet holds it (what ``sim
    reproduce`` compares with, in a folder without runs.csv); None when there is no table, no
    pyarrow, or no such row."""
    if not (folder / TABLE).is_file() or not have_pyarrow():
        return None
    import pyarrow.parquet as pq  # optional: the [tables] extra

    try:
        rows = pq.read_table(folder / TABLE, columns=["replication", *BY_NAME],
                             filters=[("replication", "==", int(index))])
    except _damage() as exc:
        raise InvalidFolder(folder, f"{TABLE} cannot be read ({type(exc).__name__}: {exc})") \
            from None
    if rows.num_rows != 1:
        return None
    codes = {}
    for o in OUTCOMES:
        cats = o.categories if o.kind == "category" else None
        dtype = np.dtype({"category": np.int8, "date": np.int64}.get(o.kind, np.float64))
        codes[o.name] = _codes_of(folder, o.name, rows.column(o.name).combine_chunks(), cats,
                                  dtype)
    return next(csv_rows(np.array([int(index)], dtype=np.int64), codes))


class TableColumns(LazyColumns):
    """Outcome codes (or, with ``specs``, input codes) read from runs.parquet one column at a
    time, each checked: a million replications need memory only for the columns looked at."""

    def __init__(self, path: Path, specs: Sequence[InputSpec] | None = None) -> None:
        super().__init__(path)
        self.specs = None if specs is None else {s.name: s for s in specs}

    def read(self, name: str) -> np.ndarray:
        """One column's codes from disk, checked, without keeping them."""
        folder = self.path.parent
        if self.specs is None:
            outcome = BY_NAME.get(name)
            if outcome is None:
                raise KeyError(name)
            cats = outcome.categories if outcome.kind == "category" else None
            dtype = {"category": np.int8, "date": np.int64}.get(outcome.kind, np.float64)
            codes = _codes_of(folder, name, read_column(folder, name), cats, np.dtype(dtype))
            check_codes(folder, TABLE, outcome, codes)
            return codes
        spec = self.specs[name]
        cats = spec.categories if spec.kind == "choice" else None
        column = read_column(folder, name)
        if column.null_count:
            raise InvalidFolder(folder, f"{TABLE} `{name}` has a missing value")
        codes = _codes_of(folder, name, column, cats, spec.dtype)
        problem = check_input_codes(spec, codes)
        if problem:
            raise InvalidFolder(folder, f"{TABLE} `{name}` {problem}")
        return codes

    def read_replications(self) -> np.ndarray:
        """The ``replication`` column."""
        column = read_column(self.path.parent, "replication")
        if column.null_count:
            raise InvalidFolder(self.path.parent, f"{TABLE} `replication` has a missing value")
        return _values(column, np.int64)[0].copy()

    def names(self) -> Sequence[str]:
        return list(self.specs) if self.specs is not None else list(BY_NAME)
