"""The :class:`Results` of a run: its outcome arrays, series summary and manifest, the
statistics of summary.json, and the writing of a results folder.

Figures are not drawn here: they belong to a layer above the results.  Whoever makes a
:class:`Results` may hand it a :data:`FigureWriter` (``sim.run`` and ``sim.load_results`` give
the standard one), which :meth:`Results.write` then uses for ``plots/``.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sim import stats
from sim.errors import ResultsError
from sim.outcomes import BY_NAME, OUTCOME_NAMES, OUTCOMES
from sim.results.codec import CSV_HEADER, NAT, NO_CATEGORY, csv_rows, day_to_iso, decode_value
from sim.results.columns import DecodedOutcomes, NpzColumns
from sim.results import frames
from sim.results.folder import check_target, swap_into_place
from sim.results.inputs import DecodedInputs, InputSpec, NoInputs, scenario_inputs
from sim.results.io import (
    OUTCOMES_NPZ, PLOTS, RUNS_CSV, SERIES_NPZ, SUMMARY, TABLE, atomic_output,
    atomic_write_json, atomic_write_npz,
)
from sim.results.lock import FolderLock
from sim.results.manifest import record_files, write_manifest
from sim.results.series import SeriesSummary
from sim.results.table import FolderTables, folder_tables, write_table
from sim.results.table_read import TableColumns

#: Draws the standard figures of some results into a folder (creating it), e.g.
#: ``sim.plots.write_run_plots``; whatever it returns is ignored.
FigureWriter = Callable[["Results", Path], object]
#: Rows of runs.csv formatted at a time when results are written.
_CSV_BLOCK = 50_000


class Results:
    """Every replication's outcomes (compact arrays) and the series summary of one run."""

    def __init__(self, scenario: Any, manifest: dict[str, Any], replications: np.ndarray,
                 codes: Mapping[str, np.ndarray], series: SeriesSummary,
                 errors: Sequence[dict[str, Any]] = (), *,
                 summary: dict[str, Any] | None = None,
                 inputs: Mapping[str, np.ndarray] | None = None,
                 figures: FigureWriter | None = None) -> None:
        self.scenario = scenario
        self.manifest = manifest
        self.replications = replications
        self.codes = codes
        self.series = series
        self.errors = list(errors)
        self.outcomes: Mapping[str, np.ndarray] = DecodedOutcomes(codes)
        #: Codes of the drawn parameters (:mod:`~sim.results.inputs`), None when not recorded.
        self.input_codes = inputs
        #: Why the inputs are missing, said when they are asked for.
        self.missing_inputs = "these results were made without their drawn inputs"
        #: The folder the results live in, when they were written or loaded.
        self.path: Path | None = None
        #: What :meth:`write` draws plots/ with, unless told otherwise.
        self.figures = figures
        self._summary = summary

    @property
    def n(self) -> int:
        """Number of successful replications."""
        return int(self.replications.size)

    def __repr__(self) -> str:
        name = getattr(self.scenario, "name", "?")
        return f"<Results {name}: {self.n} replications, seed {self.manifest.get('seed')}>"

    # -- reading -----------------------------------------------------------------------

    @property
    def input_specs(self) -> tuple[InputSpec, ...]:
        """The parameters the scenario draws anew for each replication."""
        return scenario_inputs(self.scenario)

    @property
    def inputs(self) -> Mapping[str, np.ndarray]:
        """The value each drawn parameter took in each replication, in replication order
        (fixed parameters are in the manifest's scenario); :class:`NoInputs` when these
        results do not hold them."""
        if self.input_codes is None:
            raise NoInputs(self.missing_inputs)
        return DecodedInputs(self.input_specs, self.input_codes)

    def to_dataframe(self, inputs: bool = True) -> Any:
        """One pandas row per replication: the drawn inputs (unless ``inputs=False``) and the
        outcomes, with dtypes (dates datetime64, categories Categorical in their documented
        order, counts nullable integers).  Needs pandas (``pip install
        'strike-north-or-south[tables]'``)."""
        return frames.to_dataframe(self, inputs=inputs)

    def series_dataset(self) -> Any:
        """The monthly series as an xarray Dataset: per series, its quantiles (quantile x
        month) and the sampled replications (replication x month), units in attrs.  Needs
        xarray (``pip install 'strike-north-or-south[tables]'``)."""
        return frames.series_dataset(self)

    def rows(self) -> list[dict[str, Any]]:
        """One dict per replication (Python values; None when missing)."""
        cols = {o.name: [decode_value(o, c) for c in self.codes[o.name].tolist()]
                for o in OUTCOMES}
        return [
            {"replication": int(r), **{name: cols[name][i] for name in OUTCOME_NAMES}}
            for i, r in enumerate(self.replications.tolist())
        ]

    def probability(self, outcome: str, value: str) -> tuple[float, float, float]:
        """Share of runs where a categorical outcome took ``value``, with its Wilson 95% interval."""
        o = BY_NAME.get(outcome)
        if o is None or o.kind != "category":
            cats = [x.name for x in OUTCOMES if x.kind == "category"]
            raise ResultsError(f"`{outcome}` is not a categorical outcome; expected one of "
                               f"{', '.join(cats)}")
        if value not in o.categories:
            raise ResultsError(f"`{outcome}` has no category {value!r}; expected one of "
                               f"{', '.join(o.categories)}")
        arr = self.codes[outcome]
        k = int(np.count_nonzero(arr == o.categories.index(value)))
        return stats.wilson_interval(k, int(arr.size))

    def summary_from(self, codes: Mapping[str, np.ndarray]) -> None:
        """Compute summary.json from ``codes`` (the exact codes of a folder being assembled,
        when the folder's own table holds counts rounded)."""
        self._summary = build_summary(self, codes)

    def summary(self) -> dict[str, Any]:
        """The content of summary.json: every outcome's distribution with 95% intervals."""
        if self._summary is None:
            self._summary = build_summary(self)
        return self._summary

    # -- writing -----------------------------------------------------------------------

    def write(self, out: str | Path, *, force: bool = False, plots: bool = True,
              figures: FigureWriter | None = None, csv: bool | None = None) -> Path:
        """Write the results folder ``out``: refused if it exists, unless ``force``.

        With ``force`` the new folder is built beside the old one and swapped in only when
        complete, so an error half-way leaves the old results untouched.  ``figures``
        replaces the figure writer these results came with.  ``csv`` writes runs.csv and
        outcomes.npz or not whatever the number of runs (see
        :func:`~sim.results.table.folder_tables`).
        """
        out = Path(out)
        check_target(out, force)
        with FolderLock(out, "Results.write", create=True):
            check_target(out, force)  # again, now that no other writer can be filling it
            staging = out.parent / f".{out.name}.writing-{os.getpid()}"
            if staging.exists():
                shutil.rmtree(staging)
            staging.mkdir()
            try:
                write_tables(self, staging, folder_tables(self.n, csv))
                manifest = dict(self.manifest)
                manifest.setdefault("status", "complete")
                self.manifest = manifest
                write_outputs(self, staging, plots=plots,
                              figures=figures if figures is not None else self.figures)
                swap_into_place(staging, out)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        self.path = out
        return out

    def relocate(self, folder: Path) -> None:
        """The results folder was moved to ``folder`` (swapped into place): read from there."""
        for columns in (self.codes, self.input_codes):
            if isinstance(columns, (NpzColumns, TableColumns)):
                columns.path = folder / columns.path.name
        self.path = folder


def build_summary(results: Results, codes: Mapping[str, np.ndarray] | None = None
                  ) -> dict[str, Any]:
    """summary.json: each outcome's shares, quantiles and 95% intervals, read column by column
    (a column of a folder's results is read from disk and not kept) from ``codes`` (default
    the results' own)."""
    n = results.n
    out: dict[str, Any] = {
        "scenario": getattr(results.scenario, "name", None),
        "runs": n,
        "failed": int(results.manifest.get("runs_failed", len(results.errors))),
        "seed": results.manifest.get("seed"),
        "headline": [o.name for o in OUTCOMES if o.headline],
        "outcomes": {},
    }
    if "precision" in results.manifest:
        out["precision"] = results.manifest["precision"]
    codes = results.codes if codes is None else codes
    read = codes.read if hasattr(codes, "read") else codes.__getitem__
    for o in OUTCOMES:
        arr = read(o.name)
        entry: dict[str, Any] = {"kind": o.kind, "unit": o.unit, "headline": o.headline,
                                 "description": o.description}
        if o.kind == "category":
            shares = {}
            for code, cat in enumerate(o.categories):
                k = int(np.count_nonzero(arr == code))
                p, lo, hi = stats.wilson_interval(k, n)
                shares[cat] = {"count": k, "share": _num(p), "ci95": [_num(lo), _num(hi)]}
            entry["shares"] = shares
            entry["missing"] = int(np.count_nonzero(arr == NO_CATEGORY))
        elif o.kind == "date":
            present = arr[arr != NAT]
            del arr  # a column read from disk: freed before the quantiles' own copy
            p, lo, hi = stats.wilson_interval(int(present.size), n)
            entry["share_happened"] = _num(p)
            entry["share_happened_ci95"] = [_num(lo), _num(hi)]
            qs = stats.date_quantiles(present)
            for k, v in qs.items():
                entry[k] = day_to_iso(v)
            entry["earliest"] = day_to_iso(int(present.min())) if present.size else None
            entry["latest"] = day_to_iso(int(present.max())) if present.size else None
        else:
            finite = arr[np.isfinite(arr)]
            del arr  # a column read from disk: freed before the statistics' own copies
            p, lo, hi = stats.wilson_interval(int(finite.size), n)
            entry["share_happened"] = _num(p)
            entry["share_happened_ci95"] = [_num(lo), _num(hi)]
            d = stats.describe(finite)
            entry["mean"] = _num(d["mean"])
            entry["ci95_mean"] = [_num(d["ci95_low"]), _num(d["ci95_high"])]
            entry["sd"] = _num(d["sd"])
            for k in stats.QUANTILES:
                entry[k] = _num(d[k])
            entry["min"] = _num(d["min"])
            entry["max"] = _num(d["max"])
        out["outcomes"][o.name] = entry
    return out


def _num(x: float) -> float | None:
    """JSON has no NaN: missing statistics are null."""
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def write_tables(results: Results, folder: Path, tables: FolderTables) -> None:
    """The tables of results held in memory (or read from another folder): runs.csv and
    outcomes.npz, runs.parquet, as ``tables`` says."""
    codes = results.codes
    if tables.csv:
        with atomic_output(folder / RUNS_CSV) as f:
            f.write(CSV_HEADER.encode("utf-8"))
            for lo in range(0, results.n, _CSV_BLOCK):
                part = {k: codes[k][lo: lo + _CSV_BLOCK] for k in OUTCOME_NAMES}
                f.write("".join(csv_rows(results.replications[lo: lo + _CSV_BLOCK], part))
                        .encode("utf-8"))
    if tables.outcomes_npz:
        atomic_write_npz(folder / OUTCOMES_NPZ, {"replication": results.replications,
                                                 **{k: codes[k] for k in OUTCOME_NAMES}},
                         compress=tables.compressed)
    if tables.table:
        write_table(folder / TABLE, results.replications, codes, results.input_specs,
                    results.input_codes)


def write_outputs(results: Results, folder: Path, *, plots: bool,
                  figures: FigureWriter | None) -> None:
    """Everything but the tables (:func:`write_tables`, or the engine's assembly): summary,
    series, plots (drawn by ``figures``) and, last, the manifest with the checksums of the
    results files, whose presence with status complete marks the folder as finished."""
    codes = results.codes
    atomic_write_npz(folder / SERIES_NPZ, results.series.to_npz())
    atomic_write_json(folder / SUMMARY, results.summary())
    if plots:
        error = write_plots(results, folder / PLOTS, figures)
        if error:
            results.manifest["plots_error"] = error
        if isinstance(codes, (NpzColumns, TableColumns)):  # what the figures read goes back
            codes.forget()
            results.outcomes = DecodedOutcomes(codes)
    record_files(folder, results.manifest)
    write_manifest(folder, results.manifest)


def write_plots(results: Results, plots_dir: Path, figures: FigureWriter | None) -> str | None:
    """Draw the standard figures with ``figures``; returns an error message instead of failing.

    The numbers are the product and are already safely on disk; a figure that cannot be
    drawn (e.g. matplotlib missing a font) is reported, not allowed to lose the run.
    """
    if figures is None:
        return "plots not drawn: no figure writer was given"
    try:
        figures(results, plots_dir)
    except ImportError as exc:  # the plotting library itself is missing
        return f"plots not drawn: {exc}"
    except Exception as exc:  # noqa: BLE001 - reported in the manifest and on stderr
        return f"plots not drawn: {type(exc).__name__}: {exc}"
    return None
