"""Results of a Monte Carlo run: compact arrays in memory, a readable folder on disk.

Every scalar outcome is one numpy array in replication order, encoded compactly
(:mod:`~sim.results.codec`: categories as int8 codes, dates as int64 day numbers, numbers as
float64); :attr:`Results.outcomes` decodes on access (categories -> str, dates ->
``datetime64[D]`` with NaT when the event did not happen).  Results of a run written to a
folder (and loaded with :func:`load_results`) read each array from ``outcomes.npz`` when first
used (:class:`NpzColumns`), so a million replications do not have to fit in memory at once.
Monthly series are kept as a summary (:mod:`~sim.results.series`).  The value each uncertain
parameter took in each replication is kept beside the outcomes (:attr:`Results.inputs`,
:mod:`~sim.results.inputs`); :meth:`Results.to_dataframe` and :meth:`Results.series_dataset`
give pandas and xarray views (:mod:`~sim.results.frames`).

On disk (:meth:`Results.write`, ``sim run``)::

    manifest.json   what was run, with which seed, code versions, status
    runs.parquet    one row per replication: its drawn inputs and its outcomes (pyarrow)
    runs.csv        one row per replication, one column per outcome (open it in a spreadsheet)
    summary.json    mean, quantiles and 95% intervals of every outcome
    outcomes.npz    the exact outcome values, for fast loading (written with runs.csv)
    series.npz      monthly series summary
    plots/          standard figures (drawn by the figure writer the results were given)
    ledger.jsonl    the chunks the run was computed in (:mod:`~sim.results.ledger`)

Every file is written under a temporary name and moved into place, so a file that exists is
complete (:mod:`~sim.results.io`); every writer holds the folder's lock
(:mod:`~sim.results.lock`); and a folder is read as untrusted data: its manifest has a schema
and a checksum, its files the checksums the manifest recorded (:mod:`~sim.results.manifest`,
:mod:`~sim.results.validation`).

Modules, bottom to top: ``codec`` (values <-> codes), ``inputs`` (the drawn parameters),
``series`` (series summary), ``io`` (file names, atomic writes, NPZ), ``folder`` (what may be
replaced, damage and disk errors, bounded reads), ``manifest`` (its schema, checksum, reading
and writing), ``validation`` (checking the other files), ``table`` (which tables a folder
holds, runs.parquet's schema and writing), ``table_read`` (reading and checking it),
``columns`` (decoded and on-disk column views), ``lock`` (one writer at a time), ``frames``
(pandas and xarray), ``core`` (:class:`Results`, summary.json, writing a folder), ``builder``
(chunks -> Results), ``ledger`` (the chunks of a run in progress), ``assembly`` (the final
files from the chunks, each read once), ``loader`` (:func:`load_results`).
"""

from sim.results.assembly import ScratchColumns, assemble, finished_columns, finished_inputs
from sim.results.builder import ChunkData, ResultsBuilder
from sim.results.codec import (
    CSV_HEADER, ENCODERS, NAT, NO_CATEGORY, code_from_cell, codes_from_rows, csv_rows,
    day_to_iso, decode_value, empty_codes, encode_outcomes, encode_value, make_encoder,
)
from sim.results.columns import DecodedOutcomes, NpzColumns, npz_row
from sim.results.inputs import (
    DecodedInputs, InputRecorder, InputSpec, NoInputs, decode_input, encode_input, input_specs,
    scenario_inputs,
)
from sim.results.core import FigureWriter, Results, build_summary, write_outputs, write_plots
from sim.results.folder import (
    InvalidFolder, StorageError, check_target, holds_nothing, looks_like_results,
    remove_leftovers, storage_error, swap_into_place,
)
from sim.results.io import (
    CHUNKS, LEDGER, LOCK, MANIFEST, NPZ_MEMBER_TIME, OUTCOMES_NPZ, PLOTS, RUNS_CSV, SERIES_NPZ,
    SUMMARY, TABLE, TEMPORARY_MARK, atomic_output, atomic_write_bytes, atomic_write_json,
    atomic_write_npz, atomic_write_text, bounded_lines, file_sha256, npz_writer, write_npz,
    write_npz_member,
)
from sim.results.ledger import ChunkLedger, LedgerEntry
from sim.results.loader import load_results, read_runs_csv, read_series, scenario_from_manifest
from sim.results.lock import FolderBusy, FolderLock, LockHolder
from sim.results.manifest import (
    MANIFEST_FORMAT, Manifest, ReplicationError, manifest_checksum, read_manifest, write_manifest,
)
from sim.results.series import (
    QUANTILE_KEYS, SERIES_BLOCK, SERIES_NAMES, SERIES_QUANTILE_RUNS, SERIES_SAMPLE_RUNS,
    SeriesSummary, first_month_ends, summarise_series,
)
from sim.results.table import (
    CSV_MAX_RUNS, ROW_GROUP, FolderTables, TableWriter, folder_tables, have_pyarrow,
    table_schema, write_table,
)
from sim.results.table_read import TableColumns, open_table, table_row
from sim.results.validation import SummaryFile, read_summary

__all__ = [
    # the results and how they are made and opened
    "Results", "FigureWriter", "load_results", "scenario_from_manifest", "ResultsBuilder",
    "ChunkData", "build_summary", "write_outputs", "write_plots", "read_series",
    "read_summary",
    # series summary
    "SeriesSummary", "summarise_series", "first_month_ends", "SERIES_BLOCK",
    "SERIES_QUANTILE_RUNS", "SERIES_SAMPLE_RUNS", "SERIES_NAMES", "QUANTILE_KEYS",
    # encoding
    "NAT", "NO_CATEGORY", "CSV_HEADER", "ENCODERS", "empty_codes", "make_encoder",
    "encode_value", "encode_outcomes", "codes_from_rows", "decode_value", "day_to_iso",
    "csv_rows", "code_from_cell", "read_runs_csv",
    # columns
    "DecodedOutcomes", "NpzColumns", "TableColumns", "ScratchColumns", "npz_row",
    # drawn inputs
    "InputSpec", "InputRecorder", "DecodedInputs", "NoInputs", "input_specs", "scenario_inputs",
    "encode_input", "decode_input",
    # the table and the final assembly
    "TABLE", "CSV_MAX_RUNS", "ROW_GROUP", "FolderTables", "TableWriter", "folder_tables",
    "have_pyarrow", "table_row", "table_schema", "write_table", "open_table", "assemble", "finished_columns",
    "finished_inputs",
    # the folder on disk
    "RUNS_CSV", "MANIFEST", "SUMMARY", "OUTCOMES_NPZ", "SERIES_NPZ", "PLOTS", "LEDGER", "CHUNKS",
    "LOCK", "NPZ_MEMBER_TIME", "TEMPORARY_MARK", "atomic_output", "atomic_write_bytes",
    "atomic_write_text", "atomic_write_json", "atomic_write_npz", "npz_writer", "write_npz",
    "write_npz_member", "file_sha256", "bounded_lines", "ChunkLedger", "LedgerEntry",
    # keeping it safe: what may be replaced, locks, damage and failing disks
    "looks_like_results", "holds_nothing", "check_target", "swap_into_place",
    "remove_leftovers", "FolderLock", "FolderBusy", "LockHolder", "InvalidFolder",
    "StorageError", "storage_error",
    # the manifest and the other files' schemas
    "MANIFEST_FORMAT", "Manifest", "ReplicationError", "SummaryFile", "manifest_checksum",
    "read_manifest", "write_manifest",
]
