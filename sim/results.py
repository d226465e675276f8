"""Results of a Monte Carlo run: compact arrays in memory, a readable folder on disk.

Every scalar outcome is one numpy array in replication order, encoded compactly (categories
as int8 codes, dates as int64 day numbers, numbers as float64); :attr:`Results.outcomes`
decodes on access (categories -> str, dates -> ``datetime64[D]`` with NaT when the event did
not happen).  Results of a run written to a folder (and loaded with :func:`load_results`) read
each array from ``outcomes.npz`` when first used (:class:`NpzColumns`), so a million
replications do not have to fit in memory at once.
Monthly series are kept as a summary: mean over every replication, quantiles over the first
:data:`SERIES_QUANTILE_RUNS` replications and a sample of the first :data:`SERIES_SAMPLE_RUNS`,
chosen by replication index so that the summary is the same whatever the number of workers.

On disk (:meth:`Results.write`, ``sim run``)::

    manifest.json   what was run, with which seed, code versions, status
    runs.csv        one row per replication, one column per outcome (open it in a spreadsheet)
    summary.json    mean, quantiles and 95% intervals of every outcome
    outcomes.npz    the same numbers as runs.csv, for fast loading
    series.npz      monthly series summary
    plots/          standard figures

Every file is written under a temporary name and moved into place, so a file that exists is
complete.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim import stats
from sim.errors import ResultsError
from sim.outcomes import BY_NAME, OUTCOME_NAMES, OUTCOMES, SERIES, Outcome

#: Series quantiles are computed over the first this-many replications (by index).
SERIES_QUANTILE_RUNS = 10_000
#: Per-replication series kept for plots (spaghetti lines, fan charts): the first this-many.
SERIES_SAMPLE_RUNS = 1_000
#: Series sums are formed over fixed blocks of replication indices and then added block by
#: block, so the mean is bit-identical whatever the chunking.  Chunk boundaries are multiples.
SERIES_BLOCK = 100

#: int64 marker of a missing date (numpy's NaT).
NAT = np.iinfo(np.int64).min
#: Missing category code.
NO_CATEGORY = -1
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

RUNS_CSV = "runs.csv"
MANIFEST = "manifest.json"
SUMMARY = "summary.json"
OUTCOMES_NPZ = "outcomes.npz"
SERIES_NPZ = "series.npz"
PLOTS = "plots"

CSV_HEADER = ",".join(("replication", *OUTCOME_NAMES)) + "\n"
SERIES_NAMES: tuple[str, ...] = tuple(SERIES)
QUANTILE_KEYS: tuple[str, ...] = (*stats.QUANTILES, "mean")


# --------------------------------------------------------------------------------------
# encoding of single values
# --------------------------------------------------------------------------------------

def empty_codes(n: int) -> dict[str, np.ndarray]:
    """Arrays for ``n`` replications, filled with 'missing'."""
    out: dict[str, np.ndarray] = {}
    for o in OUTCOMES:
        if o.kind == "category":
            out[o.name] = np.full(n, NO_CATEGORY, dtype=np.int8)
        elif o.kind == "date":
            out[o.name] = np.full(n, NAT, dtype=np.int64)
        else:
            out[o.name] = np.full(n, np.nan, dtype=np.float64)
    return out


def make_encoder(outcome: Outcome) -> Callable[[Any], int | float]:
    """A fast function turning one value of ``outcome`` into its array code.

    Raises ``ValueError`` (naming the outcome) for a value of the wrong kind, so that a model
    bug is reported as a failed replication rather than silently stored.
    """
    name = outcome.name
    if outcome.kind == "category":
        index = {c: i for i, c in enumerate(outcome.categories)}
        choices = ", ".join(outcome.categories)

        def encode_category(value: Any) -> int:
            if value is None:
                return NO_CATEGORY
            try:
                return index[value]
            except (KeyError, TypeError):
                raise ValueError(f"outcome {name} = {value!r} is not one of {choices}") from None

        return encode_category
    if outcome.kind == "date":
        def encode_date(value: Any) -> int:
            if value is None:
                return NAT
            if type(value) is dt.date:
                return value.toordinal() - _EPOCH_ORDINAL
            if isinstance(value, dt.datetime):
                return value.date().toordinal() - _EPOCH_ORDINAL
            if isinstance(value, dt.date):
                return value.toordinal() - _EPOCH_ORDINAL
            raise ValueError(f"outcome {name} = {value!r} is not a date")

        return encode_date

    def encode_number(value: Any) -> float:
        if value is None:
            return math.nan
        t = type(value)
        if t is float or t is int:
            x = float(value)
        elif isinstance(value, (np.integer, np.floating)) or (
                isinstance(value, (int, float)) and not isinstance(value, bool)):
            x = float(value)
        else:
            raise ValueError(f"outcome {name} = {value!r} is not a number")
        if x - x != 0.0:  # NaN or infinite
            raise ValueError(f"outcome {name} = {value!r} is not finite")
        return x

    return encode_number


#: One encoder per outcome, in OUTCOMES order.
ENCODERS: tuple[tuple[str, Callable[[Any], int | float]], ...] = tuple(
    (o.name, make_encoder(o)) for o in OUTCOMES)
_DTYPES = {"category": np.int8, "date": np.int64, "count": np.float64, "number": np.float64}


def encode_value(outcome: Outcome, value: Any) -> int | float:
    """One outcome value as its array code; raises ``ValueError`` for a value of the wrong kind."""
    return make_encoder(outcome)(value)


def encode_outcomes(outcomes: Mapping[str, Any]) -> list[int | float]:
    """Codes of every outcome of one replication (OUTCOMES order); ValueError if any is bad."""
    try:
        return [enc(outcomes[name]) for name, enc in ENCODERS]
    except KeyError as exc:
        raise ValueError(f"model returned no outcome {exc.args[0]}") from None


def codes_from_rows(rows: list[list[int | float]]) -> dict[str, np.ndarray]:
    """Column arrays from per-replication code lists (as made by :func:`encode_outcomes`)."""
    if not rows:
        return empty_codes(0)
    cols = list(zip(*rows))
    return {o.name: np.array(col, dtype=_DTYPES[o.kind]) for o, col in zip(OUTCOMES, cols)}


def decode_value(outcome: Outcome, code: Any) -> Any:
    """The Python value (str, date, float or None) of one array code."""
    if outcome.kind == "category":
        return None if int(code) == NO_CATEGORY else outcome.categories[int(code)]
    if outcome.kind == "date":
        return None if int(code) == NAT else dt.date.fromordinal(int(code) + _EPOCH_ORDINAL)
    x = float(code)
    return None if math.isnan(x) else x


def day_to_iso(day: int | None) -> str | None:
    return None if day is None else dt.date.fromordinal(int(day) + _EPOCH_ORDINAL).isoformat()


def csv_rows(replications: np.ndarray, codes: Mapping[str, np.ndarray]) -> Iterator[str]:
    """runs.csv lines (without header) from encoded arrays, formatted with ``to_cell``."""
    columns: list[list[str]] = []
    for o in OUTCOMES:
        arr = codes[o.name]
        if o.kind == "category":
            cats = [*o.categories, ""]  # code -1 picks the last entry: empty
            columns.append([cats[c] for c in arr.tolist()])
        elif o.kind == "date":
            days = arr.tolist()
            columns.append([
                "" if d == NAT else dt.date.fromordinal(d + _EPOCH_ORDINAL).isoformat()
                for d in days
            ])
        elif o.kind == "count":
            # exactly to_cell("count", x): str(int(round(x))) (a test holds the two together)
            columns.append(["" if x != x else str(int(round(x))) for x in arr.tolist()])
        else:
            # exactly to_cell("number", x): repr(float(round(x, 6)))
            columns.append(["" if x != x else repr(round(x, 6)) for x in arr.tolist()])
    for rep, row in zip(replications.tolist(), zip(*columns)) if columns else ():
        yield f"{rep},{','.join(row)}\n"


# --------------------------------------------------------------------------------------
# the chunk: what a worker sends back for a range of replications
# --------------------------------------------------------------------------------------

@dataclass
class ChunkData:
    """Compact results of the replications ``start <= i < stop`` (failed ones left out).

    ``block_sums[b]`` is the sum of the series over the successful replications of the
    ``b``-th :data:`SERIES_BLOCK` block inside the chunk and ``block_counts[b]`` their number;
    ``kept_series`` holds the full series of successful replications with index below
    :data:`SERIES_QUANTILE_RUNS` (in order).
    """

    start: int
    stop: int
    replications: np.ndarray
    codes: dict[str, np.ndarray]
    block_sums: np.ndarray
    block_counts: np.ndarray
    kept_series: np.ndarray
    csv: str
    errors: list[dict[str, Any]] = field(default_factory=list)
    failed: bool = False  # stopped at an error (without keep-going): incomplete, never committed
    scenario: int = 0  # index of the scenario in a batch run
    cpu_seconds: float = 0.0  # CPU time the worker spent on this chunk (diagnostics only)
    wait_seconds: float = 0.0  # time it was ready to run but waited for a CPU (Linux only)


class ResultsBuilder:
    """Assembles chunks, which may arrive in any order, into arrays in replication order.

    Chunks are consumed strictly in index order (early arrivals wait in ``pending``), and the
    series sums are added block by block in that order, so the outcome is the same whatever
    the order the workers finished in.
    """

    def __init__(self, capacity: int = 0, *, keep_codes: bool = True) -> None:
        self.keep_codes = keep_codes
        self.capacity = max(int(capacity), 16)
        self.codes = empty_codes(self.capacity if keep_codes else 0)
        self.category_totals = {o.name: np.zeros(len(o.categories), dtype=np.int64)
                                for o in OUTCOMES if o.kind == "category"}
        self.replications = np.empty(self.capacity, dtype=np.int64)
        self.n = 0
        self.next_start = 0
        self.pending: dict[int, ChunkData] = {}
        self.total: np.ndarray | None = None
        self.count = 0
        self.kept: np.ndarray | None = None
        self.kept_n = 0
        self.errors: list[dict[str, Any]] = []
        self.series_length: int | None = None
        self.cpu_seconds = 0.0
        self.wait_seconds = 0.0

    def add(self, chunk: ChunkData) -> None:
        if chunk.start < self.next_start or chunk.start in self.pending:
            raise ValueError(f"chunk starting at replication {chunk.start} received twice")
        self.pending[chunk.start] = chunk
        while self.next_start in self.pending:
            self._consume(self.pending.pop(self.next_start))

    def _grow(self, need: int) -> None:
        if need <= self.capacity:
            return
        cap = max(need, self.capacity * 2)
        for name, arr in self.codes.items():
            if not self.keep_codes:
                break
            grown = np.empty(cap, dtype=arr.dtype)
            grown[: self.n] = arr[: self.n]
            self.codes[name] = grown
        reps = np.empty(cap, dtype=np.int64)
        reps[: self.n] = self.replications[: self.n]
        self.replications = reps
        self.capacity = cap

    def _consume(self, chunk: ChunkData) -> None:
        k = int(chunk.replications.size)
        self._grow(self.n + k)
        for name, arr in chunk.codes.items():
            if self.keep_codes:
                self.codes[name][self.n: self.n + k] = arr
            totals = self.category_totals.get(name)
            if totals is not None:
                totals += np.bincount(arr[arr >= 0].astype(np.int64), minlength=totals.size)
        self.replications[self.n: self.n + k] = chunk.replications
        self.n += k
        sums, counts = chunk.block_sums, chunk.block_counts
        for b in range(counts.shape[0]):
            if counts[b]:
                if self.total is None:
                    self.total = np.zeros(sums.shape[1:], dtype=np.float64)
                    self.series_length = int(sums.shape[-1])
                self.total = self.total + sums[b]
                self.count += int(counts[b])
        room = SERIES_QUANTILE_RUNS - self.kept_n
        if room > 0 and chunk.kept_series.shape[0]:
            part = chunk.kept_series[:room]
            if self.kept is None:  # one buffer, filled in place: no copies when finishing
                self.kept = np.empty((SERIES_QUANTILE_RUNS, *part.shape[1:]), dtype=np.float64)
            self.kept[self.kept_n: self.kept_n + part.shape[0]] = part
            self.kept_n += int(part.shape[0])
        self.errors.extend(chunk.errors)
        self.cpu_seconds += chunk.cpu_seconds
        self.wait_seconds += chunk.wait_seconds
        self.next_start = chunk.stop

    def category_counts(self, name: str) -> np.ndarray:
        """Count of each category (missing left out) over the replications consumed so far."""
        return self.category_totals[name].copy()

    def finish(self, scenario: Any, manifest: dict[str, Any], months: list[dt.date] | None,
               codes: Mapping[str, np.ndarray] | None = None) -> Results:
        """The Results; ``codes`` replaces the arrays when they were not kept in memory."""
        n = self.n
        if codes is None:
            if not self.keep_codes:
                raise ValueError("outcome arrays were not kept: pass them as `codes`")
            codes = {k: (v[:n].copy() if self.capacity > n else v)
                     for k, v in self.codes.items()}
        reps = self.replications[:n].copy() if self.capacity > n else self.replications
        self.codes = {}
        length = self.series_length or (len(months) if months else 0)
        if months is None or len(months) != length:
            months = first_month_ends(length)
        kept = (self.kept[: self.kept_n] if self.kept is not None
                else np.empty((0, len(SERIES_NAMES), length)))
        self.kept = None
        total = self.total if self.total is not None else np.zeros((len(SERIES_NAMES), length))
        series = summarise_series(months, kept, total, self.count)
        return Results(scenario, manifest, reps, codes, series, self.errors)


def first_month_ends(count: int) -> list[dt.date]:
    """The first ``count`` month ends from January 1939 (when the horizon is not known)."""
    from sim.outcomes import SIM_START, month_ends

    if count <= 0:
        return []
    last = SIM_START.year * 12 + SIM_START.month - 1 + count - 1
    return month_ends(dt.date(last // 12, last % 12 + 1, 1))


# --------------------------------------------------------------------------------------
# series summary
# --------------------------------------------------------------------------------------

@dataclass
class SeriesSummary:
    """Monthly series over many replications, bounded in size whatever the number of runs."""

    months: list[dt.date]
    quantiles: dict[str, dict[str, np.ndarray]]
    sample: dict[str, np.ndarray]
    quantile_runs: int = 0

    @property
    def names(self) -> list[str]:
        return list(self.quantiles)

    def to_npz(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {
            "months": np.array([m.isoformat() for m in self.months], dtype="datetime64[D]"),
            "quantile_runs": np.array(self.quantile_runs, dtype=np.int64),
        }
        for name, qs in self.quantiles.items():
            for q, arr in qs.items():
                out[f"{name}.{q}"] = arr
            out[f"{name}.sample"] = self.sample[name]
        return out

    @classmethod
    def from_npz(cls, data: Mapping[str, np.ndarray]) -> "SeriesSummary":
        months = [dt.date.fromisoformat(str(m)) for m in data["months"]]
        names = sorted({k.split(".", 1)[0] for k in data if "." in k},
                       key=lambda s: SERIES_NAMES.index(s) if s in SERIES_NAMES else 99)
        quantiles = {n: {q: np.asarray(data[f"{n}.{q}"]) for q in QUANTILE_KEYS} for n in names}
        sample = {n: np.asarray(data[f"{n}.sample"]) for n in names}
        return cls(months, quantiles, sample, int(data["quantile_runs"]))


def summarise_series(months: list[dt.date], kept: np.ndarray, total: np.ndarray,
                     count: int) -> SeriesSummary:
    """Series summary from the kept replications (S series x M months each) and the sums."""
    quantiles: dict[str, dict[str, np.ndarray]] = {}
    sample: dict[str, np.ndarray] = {}
    m = len(months)
    for s, name in enumerate(SERIES_NAMES):
        rows = kept[:, s, :] if kept.size else np.empty((0, m))
        if rows.shape[0]:
            qv = np.quantile(rows, list(stats.QUANTILES.values()), axis=0)
            q = {k: qv[j] for j, k in enumerate(stats.QUANTILES)}
        else:
            q = {k: np.full(m, np.nan) for k in stats.QUANTILES}
        q["mean"] = total[s] / count if count else np.full(m, np.nan)
        quantiles[name] = q
        sample[name] = np.ascontiguousarray(rows[:SERIES_SAMPLE_RUNS])
    return SeriesSummary(months, quantiles, sample, int(min(kept.shape[0], SERIES_QUANTILE_RUNS)))


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------

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
        """One column from disk, without keeping it."""
        if name not in BY_NAME:
            raise KeyError(name)
        with np.load(self.path) as data:
            return np.asarray(data[name])

    def __getitem__(self, name: str) -> np.ndarray:
        got = self._cache.get(name)
        if got is None:
            got = self._cache[name] = self.read(name)
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(OUTCOME_NAMES)

    def __len__(self) -> int:
        return len(OUTCOME_NAMES)


class Results:
    """Every replication's outcomes (compact arrays) and the series summary of one run."""

    def __init__(self, scenario: Any, manifest: dict[str, Any], replications: np.ndarray,
                 codes: Mapping[str, np.ndarray], series: SeriesSummary,
                 errors: Sequence[dict[str, Any]] = ()) -> None:
        self.scenario = scenario
        self.manifest = manifest
        self.replications = replications
        self.codes = codes
        self.series = series
        self.errors = list(errors)
        self.outcomes: Mapping[str, np.ndarray] = DecodedOutcomes(codes)
        #: The folder the results live in, when they were written or loaded.
        self.path: Path | None = None
        self._summary: dict[str, Any] | None = None

    @property
    def n(self) -> int:
        """Number of successful replications."""
        return int(self.replications.size)

    def __repr__(self) -> str:
        name = getattr(self.scenario, "name", "?")
        return f"<Results {name}: {self.n} replications, seed {self.manifest.get('seed')}>"

    # -- reading -----------------------------------------------------------------------

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

    def summary(self) -> dict[str, Any]:
        """The content of summary.json: every outcome's distribution with 95% intervals."""
        if self._summary is None:
            self._summary = build_summary(self)
        return self._summary

    # -- writing -----------------------------------------------------------------------

    def write(self, out: str | Path, *, force: bool = False, plots: bool = True) -> Path:
        """Write the results folder ``out``: refused if it exists, unless ``force``.

        With ``force`` the new folder is built beside the old one and swapped in only when
        complete, so an error half-way leaves the old results untouched.
        """
        out = Path(out)
        check_target(out, force)
        staging = out.parent / f".{out.name}.writing-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        try:
            with open(staging / RUNS_CSV, "w", encoding="utf-8", newline="") as f:
                f.write(CSV_HEADER)
                f.writelines(csv_rows(self.replications, self.codes))
            manifest = dict(self.manifest)
            manifest.setdefault("status", "complete")
            self.manifest = manifest
            write_outputs(self, staging, plots=plots)
            swap_into_place(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.path = out
        return out


def build_summary(results: Results) -> dict[str, Any]:
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
    codes = results.codes
    read = codes.read if isinstance(codes, NpzColumns) else codes.__getitem__
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


# --------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------

def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def atomic_write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, default=_json_default) + "\n")


#: Timestamp of every NPZ member: fixed, so that the same arrays always give the same bytes.
NPZ_MEMBER_TIME = (1980, 1, 1, 0, 0, 0)


def write_npz_member(zf: zipfile.ZipFile, name: str, array: np.ndarray) -> None:
    """One ``name.npy`` member of an NPZ (the layout of ``np.savez``, with a fixed timestamp)."""
    info = zipfile.ZipInfo(f"{name}.npy", date_time=NPZ_MEMBER_TIME)
    with zf.open(info, "w", force_zip64=True) as f:
        np.lib.format.write_array(f, np.asanyarray(array), allow_pickle=False)


def write_npz(f: Any, arrays: Mapping[str, np.ndarray]) -> None:
    """Write ``arrays`` as an uncompressed NPZ to an open binary file, byte-reproducibly."""
    with zipfile.ZipFile(f, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, array in arrays.items():
            write_npz_member(zf, name, array)


def atomic_write_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        write_npz(f, arrays)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _json_default(x: Any) -> Any:
    if isinstance(x, (dt.date, dt.datetime)):
        return x.isoformat()
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, Path):
        return str(x)
    raise TypeError(f"cannot write {type(x).__name__} to JSON")


def write_outputs(results: Results, folder: Path, *, plots: bool = True) -> None:
    """Everything but runs.csv (which the engine streams from its chunks): arrays, summary,
    series, plots and, last, the manifest, whose presence with status complete marks the
    folder as finished."""
    codes = results.codes
    if not (isinstance(codes, NpzColumns) and codes.path == folder / OUTCOMES_NPZ):
        atomic_write_npz(folder / OUTCOMES_NPZ, {"replication": results.replications,
                                                 **{k: codes[k] for k in OUTCOME_NAMES}})
    atomic_write_npz(folder / SERIES_NPZ, results.series.to_npz())
    atomic_write_json(folder / SUMMARY, results.summary())
    if plots:
        error = write_plots(results, folder / PLOTS)
        if error:
            results.manifest["plots_error"] = error
        if isinstance(codes, NpzColumns):  # columns the figures read go back to disk
            codes._cache.clear()
            results.outcomes = DecodedOutcomes(codes)
    atomic_write_json(folder / MANIFEST, results.manifest)


def write_plots(results: Results, plots_dir: Path) -> str | None:
    """Draw the standard figures; returns an error message instead of failing the run.

    The numbers are the product and are already safely on disk; a figure that cannot be
    drawn (e.g. matplotlib missing a font) is reported, not allowed to lose the run.
    """
    try:
        from sim.plots import write_run_plots
    except ImportError as exc:
        return f"plots not drawn: {exc}"
    try:
        plots_dir.mkdir(parents=True, exist_ok=True)
        write_run_plots(results, plots_dir)
    except Exception as exc:  # noqa: BLE001 - reported in the manifest and on stderr
        return f"plots not drawn: {type(exc).__name__}: {exc}"
    return None


def looks_like_results(folder: Path) -> bool:
    return (folder / MANIFEST).is_file() or (folder / "ledger.jsonl").is_file()


def check_target(out: Path, force: bool) -> None:
    """Refuse to write over existing results without ``force``, and over anything else ever."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ResultsError(f"{out} exists and is not a folder; choose another --out")
    if not any(out.iterdir()):
        return
    if not force:
        raise ResultsError(f"{out} already exists; use --force to replace it or choose another --out")
    if not looks_like_results(out):
        raise ResultsError(f"{out} exists and is not a results folder (no {MANIFEST}); "
                           "refusing to replace it even with --force")


def swap_into_place(staging: Path, out: Path) -> None:
    """Move a finished ``staging`` folder to ``out``, replacing an old ``out`` only now."""
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if old.exists():
            shutil.rmtree(old)
        os.replace(out, old)
        try:
            os.replace(staging, out)
        except BaseException:
            os.replace(old, out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)


def load_results(path: str | Path) -> Results:
    """Open a results folder written by ``sim run`` or :meth:`Results.write`."""
    folder = Path(path)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise ResultsError(f"{folder}: not a results folder (no {MANIFEST}); expected the folder "
                           "printed by `sim run`")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{manifest_path}: unreadable manifest ({exc})") from None
    status = manifest.get("status")
    if status != "complete":
        done = manifest.get("runs_completed", 0)
        want = manifest.get("runs_requested", "?")
        raise ResultsError(f"{folder}: run is {status} ({done} of {want} replications); finish it "
                           f"with `sim run --resume {folder}`")
    scenario = scenario_from_manifest(manifest, str(manifest_path))
    codes: Mapping[str, np.ndarray]
    if (folder / OUTCOMES_NPZ).is_file():
        with np.load(folder / OUTCOMES_NPZ) as data:
            replications = np.asarray(data["replication"], dtype=np.int64)
            missing = [name for name in OUTCOME_NAMES if name not in data.files]
        if missing:
            raise ResultsError(f"{folder / OUTCOMES_NPZ} has no outcome {missing[0]}: the run "
                               "was made by a version with other outcomes")
        codes = NpzColumns(folder / OUTCOMES_NPZ)
    else:
        replications, codes = read_runs_csv(folder / RUNS_CSV)
    if (folder / SERIES_NPZ).is_file():
        with np.load(folder / SERIES_NPZ) as data:
            series = SeriesSummary.from_npz(dict(data))
    else:
        series = SeriesSummary([], {}, {})
    results = Results(scenario, manifest, replications, codes, series, manifest.get("errors", []))
    results.path = folder
    if (folder / SUMMARY).is_file():  # exactly what was computed when the run finished
        results._summary = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    return results


def scenario_from_manifest(manifest: Mapping[str, Any], source: str = MANIFEST) -> Any:
    """The resolved scenario a run used, rebuilt from its manifest.

    Fails (a one-line ScenarioError naming the parameter) when this version of the model no
    longer has a parameter the run used: its numbers could not be reproduced anyway.
    """
    from sim.scenario import scenario_from_dict

    if "scenario" not in manifest:
        raise ResultsError(f"{source} has no `scenario`; expected a folder written by `sim run`")
    return scenario_from_dict(manifest["scenario"], source=source)


def read_runs_csv(path: Path) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Parse runs.csv back into encoded arrays (used when outcomes.npz is missing)."""
    import csv

    if not path.is_file():
        raise ResultsError(f"{path} is missing; expected a complete results folder")
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or header[0] != "replication":
            raise ResultsError(f"{path}: first column must be `replication`")
        rows = list(reader)
    codes = empty_codes(len(rows))
    replications = np.array([int(r[0]) for r in rows], dtype=np.int64)
    for col, name in enumerate(header[1:], start=1):
        o = BY_NAME.get(name)
        if o is None:
            continue
        arr = codes[name]
        for i, r in enumerate(rows):
            cell = r[col]
            if cell == "":
                continue
            if o.kind == "category":
                arr[i] = o.categories.index(cell)
            elif o.kind == "date":
                arr[i] = dt.date.fromisoformat(cell).toordinal() - _EPOCH_ORDINAL
            else:
                arr[i] = float(cell)
    return replications, codes
