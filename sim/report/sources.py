"""What folder a report is made of, and its files read as untrusted data.

``sim report DIR`` takes any folder the program writes: a run (``manifest.json``, read by
:func:`sim.results.load_results` with all its checks), a comparison (``comparison.json``),
a sweep (``sweep.json``) or an analysis folder (``attribution.json``,
``sensitivity_<method>.json``, ``discovery.json``, any of them).  The JSON files are read
with a size bound and checked against a schema of what the report reads, so that a damaged or
hand-edited file is one line naming the file and the key, never a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from sim.errors import UserError
from sim.results import MANIFEST, InvalidFolder
from sim.results.folder import read_limited, regular_file
from sim.results.manifest import _first_problem as first_problem

#: Largest JSON file or figure read into a report.
MAX_FILE_BYTES = 64 << 20

COMPARISON, SWEEP = "comparison.json", "sweep.json"
ATTRIBUTION, DISCOVERY = "attribution.json", "discovery.json"
SENSITIVITY = tuple(f"sensitivity_{m}.json" for m in ("sobol", "morris", "oat"))
ANALYSES = (ATTRIBUTION, *SENSITIVITY, DISCOVERY)

Text = Annotated[str, Field(max_length=100_000)]
Cell = str | float | int | bool | None


class _Record(BaseModel):
    """Keys the report reads are checked; others (added by later versions) are kept."""

    model_config = ConfigDict(strict=True, extra="allow")


class _Compared(_Record):
    name: Text
    runs: int
    seed: int | None
    entropy: Text | None = None


class ComparisonFile(_Record):
    baseline: Text
    scenarios: Annotated[list[_Compared], Field(min_length=2)]
    paired: bool
    pairing: Text
    rows: list[dict[str, Cell]]


class _Varied(_Record):
    key: Text
    values: list[Cell]


class SweepFile(_Record):
    scenario: Text
    runs_per_point: int
    seed: int | None
    vary: Annotated[list[_Varied], Field(min_length=1, max_length=2)]
    rows: list[dict[str, Cell]]


class _Factor(_Record):
    name: Text
    label: Text
    contribution: float
    ci: Annotated[list[float], Field(min_length=2, max_length=2)]
    question: Text = ""


class AttributionFile(_Record):
    outcome: Text
    unit: Text
    scenario: Text = ""
    runs: int
    seed: int | None
    bootstrap: int
    confidence: float
    baseline_value: float
    counterfactual_value: float
    total: float
    total_ci: Annotated[list[float], Field(min_length=2, max_length=2)]
    factors: list[_Factor]


class _Variance(_Record):
    assumptions: float
    chance: float
    assumptions_share: float | None


class SensitivityFile(_Record):
    method: Annotated[str, Field(pattern="^(sobol|morris|oat)$")]
    outcome: Text
    unit: Text
    scenario: Text = ""
    points: int
    replications: int
    seed: int | None
    variance: _Variance
    baseline: float | None
    noise_floor: float
    indices: dict[str, dict[str, float | None]]
    settings: dict[str, list[list[Cell]]] = {}


class _Box(_Record):
    rule: Text
    coverage: float
    density: float
    density_se: float | None
    points: int


class DiscoveryFile(_Record):
    target: Text
    scenario: Text = ""
    points: int
    replications: int
    seed: int | None
    base_density: float
    min_density: float
    parameters: list[Text]
    boxes: list[_Box]


_SCHEMAS: dict[str, type[_Record]] = {
    COMPARISON: ComparisonFile, SWEEP: SweepFile, ATTRIBUTION: AttributionFile,
    DISCOVERY: DiscoveryFile, **{name: SensitivityFile for name in SENSITIVITY},
}


@dataclass
class Source:
    """A folder to report on: its kind and the files the report reads (checked)."""

    folder: Path
    kind: str  # "run", "comparison", "sweep" or "analysis"
    files: dict[str, Any] = field(default_factory=dict)  # file name -> checked record

    def figure(self, name: str) -> bytes | None:
        """A PNG of the folder (None if it has none of that name), checked to be a PNG."""
        if regular_file(self.folder, name) is None:
            return None
        data = read_limited(self.folder, name, MAX_FILE_BYTES)
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            raise InvalidFolder(self.folder, f"{name} is not a PNG image")
        return data


def read_record(folder: Path, name: str) -> Any:
    """``folder/name`` parsed and checked against its schema."""
    raw = read_limited(folder, name, MAX_FILE_BYTES)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidFolder(folder, f"{name} is not UTF-8 JSON ({exc})") from None
    except RecursionError:  # nested deeper than the parser goes: not a file this version wrote
        raise InvalidFolder(folder, f"{name} is not JSON this version writes (nested too "
                            "deep)") from None
    try:
        return TypeAdapter(_SCHEMAS[name]).validate_python(data)
    except ValidationError as exc:
        raise InvalidFolder(folder, f"{name}{first_problem(exc)}") from None


def find_source(folder: Path) -> Source:
    """The kind of ``folder`` and its checked files; one line when it is none of them."""
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise UserError(f"{folder}: not a results folder (it {what})")
    if regular_file(folder, MANIFEST) is not None:
        return Source(folder, "run")
    for name, kind in ((COMPARISON, "comparison"), (SWEEP, "sweep")):
        if regular_file(folder, name) is not None:
            return Source(folder, kind, {name: read_record(folder, name)})
    found = {name: read_record(folder, name) for name in ANALYSES
             if regular_file(folder, name) is not None}
    if found:
        return Source(folder, "analysis", found)
    raise UserError(f"{folder}: not a results folder: expected the folder of `sim run`, or the "
                    f"--out folder of `sim compare`, `sim sweep`, `sim explain`, `sim "
                    f"sensitivity` or `sim discover` (none of {MANIFEST}, {COMPARISON}, "
                    f"{SWEEP}, {', '.join(ANALYSES)} is in it)")
