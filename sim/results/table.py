"""runs.parquet: one row per replication, its drawn inputs and its outcomes, in a columnar file.

Columns: ``replication`` (int64), then each drawn parameter by its dotted name (numbers
float64, whole numbers int64, dates date32, true/false bool, categorical ones dictionary
columns), then each outcome (categories as dictionary columns over their documented
categories, dates date32, counts int64 rounded as runs.csv rounds them, other numbers
float64); a missing value is null.  Every column's field metadata holds its ``role``
(input or outcome), ``kind`` and ``unit``.

Rows are written in row groups of :data:`ROW_GROUP` replications whatever the chunks they
arrive in, so the same numbers give the same bytes whatever the number of workers.  Reading
(and checking) the file is :mod:`~sim.results.table_read`'s.

pyarrow is optional (the ``tables`` extra): it is imported inside the functions that need it.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.outcomes import BY_NAME, OUTCOMES, Outcome
from sim.results.codec import NAT, NO_CATEGORY
from sim.results.inputs import InputSpec
from sim.results.io import OUTCOMES_NPZ, RUNS_CSV, TABLE, atomic_output

#: Replications per row group (a fixed number: row groups never follow chunk boundaries).
ROW_GROUP = 16_384
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
#: about 120 MB of CSV and 105 MB of NPZ at this size for the historical scenario; above it
#: runs.parquet alone (about 460 bytes a replication: docs/engine.md, "Folder size").
CSV_MAX_RUNS = 200_000
_noted: list[str] = []


@dataclass(frozen=True)
class FolderTables:
    """The tables a folder gets: ``csv`` (runs.csv), ``table`` (runs.parquet) and ``npz``
    (outcomes.npz, the exact values; by default written with runs.csv)."""

    csv: bool
    table: bool
    npz: bool | None = None

    @property
    def outcomes_npz(self) -> bool:
        """Whether outcomes.npz is written."""
        return self.csv if self.npz is None else self.npz

    @property
    def compressed(self) -> bool:
        """outcomes.npz with deflated columns: when it is the folder's only table (no
        runs.csv, no runs.parquet), which is what keeps a big run without pyarrow small."""
        return self.outcomes_npz and not self.csv and not self.table

    @property
    def files(self) -> tuple[str, ...]:
        return (((RUNS_CSV,) if self.csv else ()) + ((OUTCOMES_NPZ,) if self.outcomes_npz
                                                       else ())
                + ((TABLE,) if self.table else ()))


def folder_tables(runs: int, csv: bool | None = None) -> FolderTables:
    """The tables of a folder of ``runs`` replications; ``csv`` forces runs.csv on or off.

    Without pyarrow there is no runs.parquet (the note saying how to get it is printed
    once): outcomes.npz is always written, and runs.csv up to :data:`CSV_MAX_RUNS`
    replications (or as ``csv`` says); without runs.csv outcomes.npz is compressed, the core
    columnar format of a big run (about a quarter of runs.csv and outcomes.npz together)."""
    wants_csv = runs <= CSV_MAX_RUNS if csv is None else bool(csv)
    if not have_pyarrow():
        if TABLE_NOTE not in _noted:
            _noted.append(TABLE_NOTE)
            print(f"note: {TABLE_NOTE}", file=sys.stderr)
        return FolderTables(csv=wants_csv, table=False, npz=True)
    return FolderTables(csv=wants_csv, table=True)


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

def _buffers(pa: Any, kind: Any, values: np.ndarray, missing: np.ndarray | None = None) -> Any:
    """An Arrow array over the bytes of ``values`` (null where ``missing``).  Built from
    buffers: ``pa.array`` would import pandas, 40 MB the parent of a big run cannot spare."""
    validity, nulls = None, 0
    if missing is not None and missing.any():
        validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
        nulls = int(np.count_nonzero(missing))
    data = np.packbits(values, bitorder="little") if values.dtype == np.bool_ \
        else np.ascontiguousarray(values)
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(data)],
                                 null_count=nulls)


def _labels(pa: Any, labels: Sequence[str]) -> Any:
    """An Arrow string array of ``labels`` (a dictionary column's categories)."""
    encoded = [x.encode("utf-8") for x in labels]
    offsets = np.cumsum([0, *map(len, encoded)]).astype(np.int32)
    return pa.Array.from_buffers(pa.string(), len(encoded),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def _filled(codes: np.ndarray, missing: np.ndarray, fill: float, dtype: Any) -> np.ndarray:
    """``codes`` as ``dtype`` with ``fill`` where ``missing``: one copy at most (none for a
    column already of that type with nothing missing), as the parent of a big run holds
    every column of a row group at once."""
    out = codes.astype(dtype, copy=False)
    if missing.any():
        out = np.where(missing, np.asarray(fill, dtype=dtype), out)
    return out


def _arrow_outcome(pa: Any, o: Outcome, codes: np.ndarray) -> Any:
    if o.kind == "category":
        missing = codes == NO_CATEGORY
        indices = _buffers(pa, pa.int8(), _filled(codes, missing, 0, np.int8), missing)
        return pa.DictionaryArray.from_arrays(indices, _labels(pa, o.categories))
    if o.kind == "date":
        missing = codes == NAT
        return _buffers(pa, pa.date32(), _filled(codes, missing, 0, np.int32), missing)
    missing = np.isnan(codes)
    if o.kind == "count":  # whole men, as runs.csv writes them
        return _buffers(pa, pa.int64(), _filled(np.round(codes), missing, 0, np.int64),
                        missing)
    return _buffers(pa, pa.float64(), _filled(codes, missing, 0.0, np.float64), missing)


def _arrow_input(pa: Any, spec: InputSpec, codes: np.ndarray) -> Any:
    if spec.kind == "choice":
        return pa.DictionaryArray.from_arrays(
            _buffers(pa, pa.int8(), codes.astype(np.int8, copy=False)),
            _labels(pa, spec.categories))
    if spec.kind == "date":
        return _buffers(pa, pa.date32(), codes.astype(np.int32, copy=False))
    return _buffers(pa, _input_type(pa, spec), codes.astype(spec.dtype, copy=False))


def _encodings(pa: Any, schema: Any, specs: Sequence[InputSpec]) -> tuple[list[str],
                                                                          dict[str, str]]:
    """(columns stored with a dictionary, the encoding of each other number column).

    Full-precision numbers compress best split into byte streams, whole numbers as deltas;
    dates, categories and the inputs drawn from a posterior ensemble's rows (a thousand
    distinct values in every row group: a quarter of the table's bytes saved on the
    historical scenario) with a dictionary."""
    tabulated = {s.name for s in specs if s.tabulated}
    dictionary = [f.name for f in schema if pa.types.is_dictionary(f.type)
                  or f.type == pa.date32() or f.name in tabulated]
    encodings = {f.name: "BYTE_STREAM_SPLIT" if f.type == pa.float64() else "DELTA_BINARY_PACKED"
                 for f in schema
                 if f.type in (pa.float64(), pa.int64()) and f.name not in tabulated}
    return dictionary, encodings


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
        self._held = atomic_output(self.path)
        raw = self._held.__enter__()
        dictionary, encodings = _encodings(pa, schema, self.specs)
        self._writer = pq.ParquetWriter(raw, schema, compression="zstd",
                                        column_encoding=encodings, use_dictionary=dictionary)
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
            # a copy of the rest, so that the group's rows are freed once written
            self._buffer[name] = [rest.copy()] if rest.size else []
            if name == "replication":
                columns.append(_buffers(pa, pa.int64(), part.astype(np.int64)))
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
