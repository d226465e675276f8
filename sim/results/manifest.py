"""manifest.json: what a run is (scenario, seed, model, counts, status), as a checked schema
sealed by a checksum.

A results folder may come from anywhere, so its manifest is data to be checked, never
trusted: it is read with a size bound, must be UTF-8 JSON of this schema (types, ranges, a
root entropy that is the seed's, counts that add up), and must match the SHA-256 of its own
content that the program wrote with it, so that an edited entropy or count is caught rather
than silently mixing two random streams.  The checksum guards against mistakes and damage,
not against someone who recomputes it: nothing in a manifest can make the program run code
(the model is named by whoever runs it, see :mod:`sim.engine.worker`).

A complete run also records the SHA-256 of each results file (``files``), so a file changed,
damaged or swapped in from another folder after the run is refused by every reader.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, PositiveInt, ValidationError
from pydantic import model_validator

from sim.errors import ResultsError
from sim.results.folder import InvalidFolder, read_limited
from sim.results.io import (
    MANIFEST, OUTCOMES_NPZ, RUNS_CSV, SERIES_NPZ, SUMMARY, TABLE, atomic_write_text,
    file_sha256, json_default,
)
from sim.results.series import SERIES_BLOCK, SERIES_QUANTILE_RUNS, SERIES_SAMPLE_RUNS
from sim.streams import root_entropy

#: Version of the manifest's layout; a folder of another format is refused.
MANIFEST_FORMAT = 2
#: The results files a complete run may hold, each recorded with its SHA-256.
RESULT_FILES = (RUNS_CSV, OUTCOMES_NPZ, SERIES_NPZ, SUMMARY, TABLE)
#: Those every complete run holds, and the tables of which it holds at least one.
REQUIRED_FILES = (SERIES_NPZ, SUMMARY)
TABLE_FILES = (OUTCOMES_NPZ, TABLE, RUNS_CSV)
#: Largest manifest read (a thousand listed errors and the scenario take well under 1 MB).
MAX_MANIFEST_BYTES = 16 << 20

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
ModelName = Annotated[str, Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$", max_length=500)]
Text = Annotated[str, Field(max_length=100_000)]


class StrictModel(BaseModel):
    """A record read from a file: exact types (no "12" for 12), no unknown keys."""

    model_config = ConfigDict(strict=True, extra="forbid")


class ReplicationError(StrictModel):
    """A failed replication, as the manifest and the ledger list it."""

    replication: NonNegativeInt
    seed: NonNegativeInt | None
    entropy: NonNegativeInt
    error: Text


class GitCommit(StrictModel):
    commit: Text
    modified: bool


class PrecisionRecord(StrictModel):
    target_half_width: Annotated[float, Field(gt=0, lt=0.5)]
    max_runs: PositiveInt
    achieved_half_width: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None
    runs_needed: PositiveInt | None
    reached: bool | None


class Manifest(BaseModel):
    """The schema of manifest.json (keys the program does not read are allowed)."""

    model_config = ConfigDict(strict=True, extra="allow")

    format: Literal[2]
    status: Literal["running", "complete", "interrupted", "failed"]
    scenario_name: Text
    scenario_hash: Text
    seed: NonNegativeInt
    entropy: NonNegativeInt
    model: ModelName
    command: Text | None
    project_version: Text
    git: GitCommit | None
    versions: dict[str, Text]
    started: Text
    finished: Text | None
    runs_requested: PositiveInt
    runs_completed: NonNegativeInt
    runs_failed: NonNegativeInt
    chunk_size: Annotated[int, Field(ge=SERIES_BLOCK, multiple_of=SERIES_BLOCK)]
    series_block: Literal[SERIES_BLOCK]  # type: ignore[valid-type]
    series_quantile_runs: Literal[SERIES_QUANTILE_RUNS]  # type: ignore[valid-type]
    series_sample_runs: Literal[SERIES_SAMPLE_RUNS]  # type: ignore[valid-type]
    keep_going: bool
    workers: PositiveInt
    executor: Text
    scheduler: Text | None
    errors: list[ReplicationError]
    precision: PrecisionRecord | None = None
    scenario: dict[str, Any]
    plots: bool = True
    target: Text | None = None
    resumed: list[Text] = []
    files: dict[Literal[RESULT_FILES], Sha256] = {}  # type: ignore[valid-type]
    plots_error: Text | None = None
    csv: bool | None = None
    cpu_seconds: Annotated[float, Field(ge=0)] | None = None
    elapsed_seconds: Annotated[float, Field(ge=0)] | None = None
    cpu_wait_seconds: Annotated[float, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "Manifest":
        if self.entropy != root_entropy(self.seed):
            raise ValueError(f"`entropy` {self.entropy} is not the root entropy of seed "
                             f"{self.seed}")
        if self.runs_completed + self.runs_failed > self.runs_requested:
            raise ValueError(f"{self.runs_completed} completed and {self.runs_failed} failed "
                             f"replications are more than the {self.runs_requested} requested")
        if self.status == "complete":
            if self.runs_completed + self.runs_failed != self.runs_requested:
                raise ValueError(f"a complete run of {self.runs_requested} replications with "
                                 f"{self.runs_completed} completed and {self.runs_failed} failed")
            if not set(REQUIRED_FILES) <= set(self.files) or \
                    not set(TABLE_FILES) & set(self.files):
                raise ValueError(f"`files`: a complete run records {', '.join(REQUIRED_FILES)} "
                                 f"and one of {', '.join(TABLE_FILES)}")
        return self


def manifest_checksum(manifest: dict[str, Any]) -> str:
    """SHA-256 of the manifest's content (its keys sorted, the checksum itself left out)."""
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=json_default)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write ``manifest`` (sealed with its checksum) as the folder's manifest.json."""
    sealed = {**manifest, "checksum": manifest_checksum(manifest)}
    atomic_write_text(folder / MANIFEST, json.dumps(sealed, indent=2, default=json_default) + "\n")


def record_files(folder: Path, manifest: dict[str, Any]) -> None:
    """Record the SHA-256 of each results file of a finished run in ``manifest``."""
    manifest["files"] = {name: file_sha256(folder / name) for name in RESULT_FILES
                         if (folder / name).is_file()}


def read_manifest(folder: Path) -> dict[str, Any]:
    """The checked content of ``folder``'s manifest.json (without its checksum).

    ResultsError when there is none; :class:`InvalidFolder` saying what and where when it is
    not what this version writes.
    """
    if not (folder / MANIFEST).exists():
        raise ResultsError(f"{folder}: not a results folder (no {MANIFEST}); expected a folder "
                           "written by `sim run`")
    raw = read_limited(folder, MANIFEST, MAX_MANIFEST_BYTES)
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidFolder(folder, f"{MANIFEST} is not UTF-8 text (byte {exc.start})") from None
    except (ValueError, RecursionError) as exc:
        raise InvalidFolder(folder, f"{MANIFEST} is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InvalidFolder(folder, f"{MANIFEST} holds a JSON {type(data).__name__}; expected "
                            "an object")
    if data.get("format") != MANIFEST_FORMAT:
        raise InvalidFolder(folder, f"{MANIFEST} has format {data.get('format')!r}; this "
                            f"version reads format {MANIFEST_FORMAT}")
    checksum = data.pop("checksum", None)
    try:
        Manifest.model_validate(data)
    except ValidationError as exc:
        raise InvalidFolder(folder, f"{MANIFEST}{_first_problem(exc)}") from None
    if checksum != manifest_checksum(data):
        raise InvalidFolder(folder, f"{MANIFEST} does not match its checksum (it was edited or "
                            "damaged after the program wrote it)")
    return data


def _first_problem(exc: ValidationError) -> str:
    """The first schema violation, as `` `key.path`: what, got VALUE`` (or ``: what``)."""
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    what = error["msg"]
    if what.startswith("Value error, "):
        what = what[len("Value error, "):]
    got = "" if error["type"] == "value_error" else f", got {_short(error.get('input'))}"
    more = exc.error_count() - 1
    also = f" (and {more} more problem{'s' * (more > 1)})" if more else ""
    return (f" `{where}`: " if where else ": ") + f"{what[:1].lower()}{what[1:]}{got}{also}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
