"""Checking the files of a results folder before they are used.

Each results file must match the SHA-256 its manifest recorded, so a file changed, damaged or
copied from another run is refused with one line.  Beyond the checksum, the structure of what
is read is checked too (the members, types and shapes of an NPZ before any array is read; the
schema of summary.json; the codes in each outcome column), so that even a folder whose
checksums were forged can only be refused, never crash a reader, make it allocate what the
file does not hold, or unpickle anything (NPZ files are read with ``allow_pickle=False``).
"""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field, NonNegativeInt, ValidationError

from sim.outcomes import BY_NAME, OUTCOMES, Outcome
from sim.results.codec import NAT
from sim.results.folder import InvalidFolder, read_limited, regular_file
from sim.results.io import MANIFEST, SUMMARY, file_sha256
from sim.results.manifest import StrictModel

#: Largest summary.json read (it is about 1 KB per outcome).
MAX_SUMMARY_BYTES = 16 << 20
#: Day numbers a date outcome may hold: the dates Python can represent (years 1 to 9999).
_FIRST_DAY, _LAST_DAY = -719_162, 2_932_896
#: What a damaged NPZ raises while it is read.
_NPZ_DAMAGE = (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error,
               MemoryError)


def verified(folder: Path, manifest: Mapping[str, Any], name: str) -> Path | None:
    """``folder/name`` when it matches its recorded checksum, None when it does not exist."""
    path = regular_file(folder, name)
    if path is None:
        return None
    recorded = manifest["files"].get(name)
    if recorded is None:
        raise InvalidFolder(folder, f"{name} is not one of the files {MANIFEST} records (it "
                            "was added after the run)")
    if file_sha256(path) != recorded:
        raise InvalidFolder(folder, f"{name} does not match its checksum in {MANIFEST} (it was "
                            "changed or damaged, or comes from another run)")
    return path


# --------------------------------------------------------------------------------------
# NPZ files
# --------------------------------------------------------------------------------------

@contextmanager
def npz_file(folder: Path, name: str) -> Iterator[Any]:
    """``np.load`` of ``folder/name`` (never unpickling), damage reported as InvalidFolder."""
    try:
        with np.load(folder / name, allow_pickle=False) as data:
            if not isinstance(data, np.lib.npyio.NpzFile):
                raise InvalidFolder(folder, f"{name} holds one array, not an NPZ archive")
            yield data
    except _NPZ_DAMAGE as exc:
        raise InvalidFolder(folder, f"{name} is not a readable NPZ archive "
                            f"({type(exc).__name__}: {exc})") from None


def member_layout(folder: Path, name: str, data: Any, member: str) -> tuple[tuple[int, ...],
                                                                             np.dtype]:
    """(shape, dtype) of one member of an open NPZ, from its header alone."""
    if member not in data.files:
        raise InvalidFolder(folder, f"{name} has no `{member}`")
    with data.zip.open(f"{member}.npy") as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise InvalidFolder(folder, f"{name} `{member}` has NPY format {version}")
    return tuple(shape), dtype


def expect_member(folder: Path, name: str, data: Any, member: str, dtype: Any,
                  shape: tuple[int | None, ...]) -> tuple[int, ...]:
    """Check one member's dtype and shape (None: any length) before reading it."""
    got_shape, got_dtype = member_layout(folder, name, data, member)
    fits = len(got_shape) == len(shape) and all(
        want is None or want == got for want, got in zip(shape, got_shape))
    if got_dtype != np.dtype(dtype) or not fits:
        want = "(" + ", ".join("N" if s is None else str(s) for s in shape) + ")"
        raise InvalidFolder(folder, f"{name} `{member}` is {got_dtype} {got_shape}; expected "
                            f"{np.dtype(dtype)} {want}")
    return got_shape


def outcome_dtype(outcome: Outcome) -> np.dtype:
    """The dtype of an outcome's codes (see :mod:`sim.results.codec`)."""
    return np.dtype({"category": np.int8, "date": np.int64}.get(outcome.kind, np.float64))


def check_codes(folder: Path, where: str, outcome: Outcome, codes: np.ndarray) -> None:
    """Refuse codes the program never writes and readers would choke on: unknown
    categories, dates out of range, infinite numbers (missing ones are NaN)."""
    if outcome.kind == "category":
        bad = (codes < -1) | (codes >= len(outcome.categories))
    elif outcome.kind == "date":
        bad = (codes != NAT) & ((codes < _FIRST_DAY) | (codes > _LAST_DAY))
    else:
        bad = np.isinf(codes)
    if bad.any():
        value = codes[np.argmax(bad)]
        shown = value if outcome.kind in ("count", "number") else int(value)
        raise InvalidFolder(folder, f"{where} `{outcome.name}` holds code {shown}, which is "
                            f"no {outcome.kind}")


def check_outcomes_npz(folder: Path, name: str, data: Any, runs: int) -> None:
    """outcomes.npz: a replication index and one column per outcome, each ``runs`` long."""
    expect_member(folder, name, data, "replication", np.int64, (runs,))
    for o in OUTCOMES:
        expect_member(folder, name, data, o.name, outcome_dtype(o), (runs,))


# --------------------------------------------------------------------------------------
# summary.json
# --------------------------------------------------------------------------------------

Share = Annotated[float, Field(ge=0, le=1)] | None
Stat = Annotated[float, Field(allow_inf_nan=False)] | None
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None
SharePair = Annotated[list[Share], Field(min_length=2, max_length=2)]
StatPair = Annotated[list[Stat], Field(min_length=2, max_length=2)]


class _Entry(StrictModel):
    unit: str
    headline: bool
    description: str


class _CategoryShare(StrictModel):
    count: NonNegativeInt
    share: Share
    ci95: SharePair


class _CategoryEntry(_Entry):
    kind: Literal["category"]
    shares: dict[str, _CategoryShare]
    missing: NonNegativeInt


class _Happened(_Entry):
    share_happened: Share
    share_happened_ci95: SharePair


class _DateEntry(_Happened):
    kind: Literal["date"]
    p05: IsoDate
    p25: IsoDate
    p50: IsoDate
    p75: IsoDate
    p95: IsoDate
    earliest: IsoDate
    latest: IsoDate


class _NumberEntry(_Happened):
    kind: Literal["count", "number"]
    mean: Stat
    ci95_mean: StatPair
    sd: Stat
    p05: Stat
    p25: Stat
    p50: Stat
    p75: Stat
    p95: Stat
    min: Stat
    max: Stat


class SummaryFile(StrictModel):
    """The schema of summary.json (see :func:`sim.results.core.build_summary`)."""

    scenario: str | None
    runs: NonNegativeInt
    failed: NonNegativeInt
    seed: NonNegativeInt | None
    headline: list[str]
    outcomes: dict[str, Annotated[_CategoryEntry | _DateEntry | _NumberEntry,
                                  Field(discriminator="kind")]]
    precision: dict[str, Any] | None = None


def read_summary(folder: Path, runs: int) -> dict[str, Any]:
    """summary.json, checked against its schema and the outcomes of this version."""
    raw = read_limited(folder, SUMMARY, MAX_SUMMARY_BYTES)
    try:
        data = json.loads(raw.decode("utf-8"))
        summary = SummaryFile.model_validate(data)
    except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON, not the schema
        what = exc.errors()[0] if isinstance(exc, ValidationError) else None
        detail = f"`{'.'.join(map(str, what['loc']))}`: {what['msg']}" if what else \
            type(exc).__name__
        raise InvalidFolder(folder, f"{SUMMARY} is not a summary of this version ({detail})") \
            from None
    kinds = {name: entry.kind for name, entry in summary.outcomes.items()}
    expected = {o.name: o.kind for o in OUTCOMES}
    if kinds != expected:
        odd = next(n for n in [*expected, *kinds] if kinds.get(n) != expected.get(n))
        raise InvalidFolder(folder, f"{SUMMARY} `outcomes.{odd}` does not match the outcome "
                            f"table of this version")
    for name, entry in summary.outcomes.items():
        if isinstance(entry, _CategoryEntry) and set(entry.shares) != set(
                BY_NAME[name].categories):
            raise InvalidFolder(folder, f"{SUMMARY} `outcomes.{name}.shares` are not the "
                                f"categories of {name}")
    if summary.runs != runs:
        raise InvalidFolder(folder, f"{SUMMARY} is a summary of {summary.runs} replications; "
                            f"the run holds {runs}")
    return data

