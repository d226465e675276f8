"""runs.parquet: one row per replication, its drawn inputs and its outcomes, in a columnar file.

Columns: ``replication`` (int64), then each drawn parameter by its dotted name (numbers
float64, whole numbers int64, dates date32, true/false bool, categorical ones dictionary
columns), then each outcome (categories as dictionary columns over their documented
categories, dates date32, counts int64 rounded as runs.csv rounds them, other numbers
float64); a missing value is null.  Every column's field metadata holds its ``role``
(input or outcome), ``kind`` and ``unit``.

Rows are written in row groups of :data:`ROW_GROUP` replications whatever the chunks they
arrive in, so the same numbers give the same bytes whatever the number of workers.  The file
is read as untrusted data: its schema must be exactly the one this version writes, its row
count the run's, its declared size bounded by what that many rows can hold, and every column
read is decoded back to codes and checked like the other files' (:mod:`~sim.results.validation`).

pyarrow is optional (the ``tables`` extra): it is imported inside the functions that need it.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.outcomes import BY_NAME, OUTCOMES, Outcome
from sim.results.codec import NAT, NO_CATEGORY, csv_rows
from sim.results.folder import InvalidFolder
from sim.results.inputs import InputSpec, check_input_codes
from sim.results.io import OUTCOMES_NPZ, RUNS_CSV, TABLE, atomic_output
from sim.results.validation import check_codes

#: Replications per row group (a fixed number: row groups never follow chunk boundaries).
ROW_GROUP = 65_536
#: Most bytes a row group may declare per value (the widest column holds 8 per value).
_MAX_BYTES_PER_VALUE = 16
#: Said when a folder is written without the table.
TABLE_NOTE = (f"{TABLE} (the table of drawn inputs and outcomes) was not written: pyarrow is "
              "not installed; pip install 'strike-north-or-south[tables]' to get it")
#: How to get the table.
EXTRA = "pip install 'strike-north-or-south[tables]'"


def have_pyarrow() -> bool:
    """Whether the table can be written here (pyarrow installed)."""
    return importlib.util.find_spec("pyarrow") is not None


def _pa() -> Any:
    try:
        import pyarrow  # optional: the [tables] extra
    except ImportError:
        raise ImportError(f"{TABLE} needs pyarrow: {EXTRA}") from None
    return pyarrow


#: Runs of up to this many replications also get runs.csv and outcomes.npz (by default):
#: about 28 MB of CSV and 29 MB of NPZ at this size, against about 2 MB of runs.parquet
#: per 10,000 replications and drawn parameter.
CSV_MAX_RUNS = 100_000
_noted: list[str] = []


@dataclass(frozen=True)
class FolderTables:
    """The tables a folder gets: ``csv`` (runs.csv and outcomes.npz), ``table`` (runs.parquet)."""

    csv: bool
    table: bool

    @property
    def files(self) -> tuple[str, ...]:
        return ((RUNS_CSV, OUTCOMES_NPZ) if self.csv else ()) + ((TABLE,) if self.table else ())


def folder_tables(runs: int, csv: bool | None = None) -> FolderTables:
    """The tables of a folder of ``runs`` replications; ``csv`` forces runs.csv on or off.

    Without pyarrow there is no runs.parquet, so runs.csv and outcomes.npz are always written
    (and the note saying how to get the table is printed once)."""
    if not have_pyarrow():
        if TABLE_NOTE not in _noted:
            _noted.append(TABLE_NOTE)
            print(f"note: {TABLE_NOTE}", file=sys.stderr)
        return FolderTables(csv=True, table=False)
    return FolderTables(csv=runs <= CSV_MAX_RUNS if csv is None else bool(csv), table=True)


# --------------------------------------------------------------------------------------
# the schema
# --------------------------------------------------------------------------------------

def _input_type(pa: Any, spec: InputSpec) -> Any:
    return {"float": pa.float64(), "int": pa.int64(), "date": pa.date32(), "bool": pa.bool_(),
            "choice": pa.dictionary(pa.int8(), pa.string())}[spec.kind]


def _outcome_type(pa: Any, o: Outcome) -> Any:
    return {"category": pa.dictionary(pa.int8(), pa.string()), "date": pa.date32(),
            "count": pa.int64(), "number": pa.float64()}[o.kind]


def table_schema(specs: Sequence[InputSpec]) -> Any:
    """The Arrow schema of runs.parquet for a run drawing ``specs`` (none: no input columns)."""
    pa = _pa()
    fields = [pa.field("replication", pa.int64(), nullable=False,
                       metadata={"role": "index", "kind": "index", "unit": ""})]
    for s in specs:
        fields.append(pa.field(s.name, _input_type(pa, s), nullable=False,
                               metadata={"role": "input", "kind": s.kind, "unit": s.unit}))
    for o in OUTCOMES:
        fields.append(pa.field(o.name, _outcome_type(pa, o),
                               metadata={"role": "outcome", "kind": o.kind, "unit": o.unit}))
    return pa.schema(fields, metadata={"format": "1"})


# --------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------

def _arrow_outcome(pa: Any, o: Outcome, codes: np.ndarray) -> Any:
    if o.kind == "category":
        indices = pa.array(codes, type=pa.int8(), mask=codes == NO_CATEGORY)
        return pa.DictionaryArray.from_arrays(indices, pa.array(o.categories, pa.string()))
    if o.kind == "date":
        missing = codes == NAT
        days = np.where(missing, 0, codes).astype(np.int32)
        return pa.array(days, type=pa.int32(), mask=missing).cast(pa.date32())
    missing = np.isnan(codes)
    if o.kind == "count":  # whole men, as runs.csv writes them
        return pa.array(np.where(missing, 0.0, np.round(codes)).astype(np.int64),
                        type=pa.int64(), mask=missing)
    return pa.array(codes, type=pa.float64(), mask=missing)


def _arrow_input(pa: Any, spec: InputSpec, codes: np.ndarray) -> Any:
    if spec.kind == "choice":
        return pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int8()),
                                              pa.array(spec.categories, pa.string()))
    if spec.kind == "date":
        return pa.array(codes.astype(np.int32), type=pa.int32()).cast(pa.date32())
    return pa.array(codes, type=_input_type(pa, spec))


class TableWriter:
    """Writes runs.parquet from blocks of rows in replication order (use as a context)."""

    def __init__(self, path: Path, specs: Sequence[InputSpec] | None) -> None:
        self.path = path
        self.specs = tuple(specs or ())
        self._names = ["replication", *(s.name for s in self.specs),
                       *(o.name for o in OUTCOMES)]
        self._buffer: dict[str, list[np.ndarray]] = {n: [] for n in self._names}
        self._rows = 0
        self._held: Any = None
        self._writer: Any = None

    def __enter__(self) -> "TableWriter":
        pa = _pa()
        import pyarrow.parquet as pq  # optional: the [tables] extra

        schema = table_schema(self.specs)
        floats = [f.name for f in schema if f.type == pa.float64()]
        self._held = atomic_output(self.path)
        raw = self._held.__enter__()
        self._writer = pq.ParquetWriter(
            raw, schema, compression="zstd", use_byte_stream_split=floats or False,
            use_dictionary=[f.name for f in schema
                            if pa.types.is_dictionary(f.type) or f.type == pa.date32()])
        self._schema = schema
        return self

    def add(self, replications: np.ndarray, codes: Mapping[str, np.ndarray],
            inputs: Mapping[str, np.ndarray] | None) -> None:
        """Rows for ``replications`` (the next in order): outcome codes and input codes."""
        if self.specs and inputs is None:
            raise ValueError("the table has input columns: pass the inputs")
        self._buffer["replication"].append(replications)
        for s in self.specs:
            self._buffer[s.name].append(inputs[s.name])  # type: ignore[index]
        for o in OUTCOMES:
            self._buffer[o.name].append(codes[o.name])
        self._rows += int(replications.size)
        while self._rows >= ROW_GROUP:
            self._flush(ROW_GROUP)

    def _flush(self, rows: int) -> None:
        pa = _pa()
        columns = []
        for name in self._names:
            whole = np.concatenate(self._buffer[name]) if self._buffer[name] else np.empty(0)
            part, rest = whole[:rows], whole[rows:]
            self._buffer[name] = [rest] if rest.size else []
            if name == "replication":
                columns.append(pa.array(part, type=pa.int64()))
            elif name in BY_NAME:
                columns.append(_arrow_outcome(pa, BY_NAME[name], part))
            else:
                spec = next(s for s in self.specs if s.name == name)
                columns.append(_arrow_input(pa, spec, part))
        self._writer.write_table(pa.Table.from_arrays(columns, schema=self._schema),
                                 row_group_size=max(rows, 1))
        self._rows -= rows

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        try:
            if kind is None and self._rows:
                self._flush(self._rows)
            self._writer.close()
        except BaseException as failure:
            self._held.__exit__(type(failure), failure, failure.__traceback__)
            raise
        self._held.__exit__(kind, exc, tb)


def write_table(path: Path, replications: np.ndarray, codes: Mapping[str, np.ndarray],
                specs: Sequence[InputSpec] | None,
                inputs: Mapping[str, np.ndarray] | None) -> None:
    """runs.parquet of results held in memory (or read column by column)."""
    with TableWriter(path, specs if inputs is not None else ()) as table:
        for lo in range(0, max(int(replications.size), 1), ROW_GROUP):
            hi = lo + ROW_GROUP
            table.add(replications[lo:hi], {o.name: codes[o.name][lo:hi] for o in OUTCOMES},
                      None if inputs is None else {k: v[lo:hi] for k, v in inputs.items()})


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
        indices = column.indices.fill_null(len(labels)).to_numpy().astype(np.int64)
        if indices.size and (indices.min() < 0 or indices.max() > len(labels)):
            raise InvalidFolder(folder, f"{TABLE} `{name}` has a category index out of range")
        return lookup[indices].astype(dtype)
    if pa.types.is_date32(column.type):
        days = column.cast(pa.int32()).to_numpy(zero_copy_only=False)
        return np.where(np.isnan(days), NAT, days).astype(np.int64) if column.null_count \
            else days.astype(np.int64)
    return np.asarray(column.to_numpy(zero_copy_only=False)).astype(dtype)


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


class TableColumns(Mapping[str, np.ndarray]):
    """Outcome codes (or, with ``specs``, input codes) read from runs.parquet one column at a
    time, each checked: a million replications need memory only for the columns looked at."""

    def __init__(self, path: Path, specs: Sequence[InputSpec] | None = None) -> None:
        self.path = Path(path)
        self.specs = None if specs is None else {s.name: s for s in specs}
        self._cache: dict[str, np.ndarray] = {}

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
        return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.int64)

    def forget(self) -> None:
        """Drop the columns read so far."""
        self._cache.clear()

    def __getitem__(self, name: str) -> np.ndarray:
        got = self._cache.get(name)
        if got is None:
            got = self._cache[name] = self.read(name)
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(self.specs if self.specs is not None else BY_NAME)

    def __len__(self) -> int:
        return len(self.specs if self.specs is not None else BY_NAME)
