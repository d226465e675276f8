"""What a run records about itself in manifest.json: the resolved scenario, the seed, the
versions of the code and libraries the numbers depend on, and its progress."""

from __future__ import annotations

import datetime as dt
import functools
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from sim import __version__
from sim.results import (
    MANIFEST_FORMAT, SERIES_BLOCK, SERIES_QUANTILE_RUNS, SERIES_SAMPLE_RUNS,
)

#: The checkout the package runs from, when it runs from one (sim/engine/ -> the project).
_PROJECT_ROOT = Path(__file__).resolve().parents[2]


@functools.lru_cache(maxsize=1)
def _package_versions() -> tuple[tuple[str, str], ...]:
    """Installed versions do not change while the process runs: look them up once."""
    out = {"python": sys.version.split()[0]}
    for dist in ("numpy", "scipy", "simpy", "pydantic", "PyYAML", "matplotlib", "click",
                 "dask", "distributed"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return tuple(out.items())


def package_versions() -> dict[str, str]:
    """Versions of Python and the libraries whose behaviour the numbers depend on."""
    return dict(_package_versions())


def git_commit() -> dict[str, Any] | None:
    """The project's git commit (and whether files differ from it), when run from a checkout."""
    root = _PROJECT_ROOT
    if not (root / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True,
                               timeout=5, check=True).stdout.strip() != ""
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": head, "modified": dirty}


def now() -> str:
    """The time now, as manifests record it (UTC, ISO 8601, whole seconds)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def new_manifest(scenario: Any, *, seed: int, entropy: int, runs: int, chunk_size: int,
                 model: str, command: str | None, keep_going: bool, precision: float | None,
                 max_runs: int | None, workers: int, scheduler: str | None,
                 git: dict[str, Any] | None) -> dict[str, Any]:
    """The manifest of a run that is starting (status ``running``)."""
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "status": "running",
        "scenario_name": scenario.name,
        "scenario_hash": scenario.content_hash(),
        "seed": seed,
        "entropy": entropy,
        "model": model,
        "command": command,
        "project_version": __version__,
        "git": git,
        "versions": package_versions(),
        "started": now(),
        "finished": None,
        "runs_requested": runs,
        "runs_completed": 0,
        "runs_failed": 0,
        "chunk_size": chunk_size,
        "series_block": SERIES_BLOCK,
        "series_quantile_runs": SERIES_QUANTILE_RUNS,
        "series_sample_runs": SERIES_SAMPLE_RUNS,
        "keep_going": keep_going,
        "workers": workers,
        "executor": "dask" if scheduler else "processes",
        "scheduler": scheduler,
        "errors": [],
    }
    if precision is not None:
        manifest["precision"] = {"target_half_width": precision, "max_runs": max_runs,
                                 "achieved_half_width": None, "runs_needed": None,
                                 "reached": None}
    manifest["scenario"] = scenario.to_dict()
    return manifest
