"""Starting, continuing and finishing a calibration folder; choosing its targets.

``--targets`` takes table names (``backtests``, ``decisions``, ``all``), target IDs from them
(``T8,POL-15``) or a YAML/JSON file of targets (a list, or a mapping with ``targets:``), mixed
with commas.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from sim.calibrate.checks import warnings_for, write_checks
from sim.calibrate.fit import (
    HISTORY, POSTERIOR, PRIOR_CHECKS, SETTINGS, Calibration, calibration_from_json, fit,
    read_settings, write_json,
)
from sim.calibrate.posterior import PREDICTIVE_DRAWS, write_posterior
from sim.calibrate.tables import TABLES
from sim.calibrate.targets import Target, target_from_mapping
from sim.errors import UserError
from sim.params import Registry

#: What a calibration folder may hold (and ``--force`` replaces).
FILES = (SETTINGS, HISTORY, PRIOR_CHECKS, POSTERIOR, "checks.md", "prior_posterior.png",
         "pairs.png")


def select_targets(spec: str) -> list[Target]:
    """The targets ``--targets`` names, in the order given."""
    by_id = {t.id: t for table in TABLES.values() for t in table}
    out: list[Target] = []
    for item in (s.strip() for s in spec.split(",")):
        if not item:
            continue
        if item == "all":
            out += [t for table in TABLES.values() for t in table]
        elif item in TABLES:
            out += TABLES[item]
        elif item in by_id:
            out.append(by_id[item])
        elif Path(item).suffix in (".yaml", ".yml", ".json"):
            out += targets_file(Path(item))
        else:
            raise UserError(f"--targets {item}: expected {', '.join(TABLES)}, all, a target "
                            "ID such as T8 or POL-15, or a .yaml/.json file of targets")
    seen: set[str] = set()
    return [t for t in out if not (t.id in seen or seen.add(t.id))]  # type: ignore[func-returns-value]


def targets_file(path: Path) -> list[Target]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"--targets {path}: no such file") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"--targets {path}: cannot be read ({' '.join(str(exc).split())})") \
            from None
    if isinstance(data, dict):
        data = data.get("targets")
    if not isinstance(data, list):
        raise UserError(f"--targets {path}: expected a list of targets (or `targets:` and one)")
    return [target_from_mapping(t, f"{path} entry {k + 1}") for k, t in enumerate(data)]


def start(cal: Calibration, folder: Path, *, force: bool = False) -> None:
    """Create the calibration folder (``--force``: replace the calibration it holds)."""
    if (folder / SETTINGS).exists() and not force:
        raise UserError(f"{folder} already holds a calibration; continue it with "
                        f"`sim calibrate --resume {folder}`, or pass --force to start again")
    if folder.exists() and not folder.is_dir():
        raise UserError(f"--out {folder}: is a file; expected a folder")
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        path = folder / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    write_json(folder / SETTINGS, cal.to_json(folder))


def resume(folder: Path, registry: Registry | None = None) -> Calibration:
    """The calibration a folder holds, to continue."""
    return calibration_from_json(read_settings(folder), folder, registry)


def complete(cal: Calibration, folder: Path, *, workers: int = 1,
             say: Callable[[str], None] | None = None,
             draws: int = PREDICTIVE_DRAWS, quiet: bool | None = None) -> dict[str, Any]:
    """Run the generations still missing, then write the posterior and its checks."""
    ran_first = fit(cal, folder, workers=workers, say=say, quiet=quiet)
    post = write_posterior(cal, folder, workers=workers, draws=draws)
    write_checks(post, folder)
    if say is not None:  # a first generation run here has said what no prior draw meets
        for line in warnings_for(post, unreachable=not ran_first):
            say(line)
    return post
