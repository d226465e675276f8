"""The labels that say where a parameter's value came from (``sim show``'s "from" column)."""

from __future__ import annotations

#: Provenance of a value left at its registry default.
DEFAULT_ORIGIN = "default"
#: Provenance recorded for values given on the command line.
SET_ORIGIN = "--set"


def file_origin(label: str, line: int | None) -> str:
    """``file.yaml:LINE`` for a value set in a scenario file (just the file when YAML gave no
    line)."""
    return f"{label}:{line}" if line is not None else label
