"""Golden results: every scenario's files at 300 replications, seed 1, pinned by SHA-256.

A change that moves any number the product prints fails here.  When a model change is meant to
move them, regenerate the pins on purpose and say which numbers moved and why::

    SIM_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

The pins cover runs.csv, summary.json, outcomes.npz and series.npz (the manifest holds times and
paths and is not pinned).  The run uses one worker; ``test_engine`` checks that other worker
counts give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

import sim
from sim.streams import root_entropy
from conftest import SCENARIOS

PINS = Path(__file__).parent / "golden" / "pins.json"
FILES = ("runs.csv", "summary.json", "outcomes.npz", "series.npz")
RUNS, SEED = 300, 1
UPDATE = os.environ.get("SIM_UPDATE_GOLDEN") == "1"
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))


def _digests(scenario_path: Path, out: Path) -> dict[str, str]:
    scenario = sim.load_scenario(scenario_path)
    sim.run(scenario, runs=RUNS, seed=SEED, workers=1, out=out, progress=False, plots=False)
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in FILES}


def _pins() -> dict[str, dict[str, str]]:
    return json.loads(PINS.read_text(encoding="utf-8")) if PINS.exists() else {}


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_matches_its_golden_pins(path: Path, tmp_path: Path) -> None:
    got = _digests(path, tmp_path / "out")
    if UPDATE:
        pins = _pins()
        pins[path.stem] = got
        PINS.write_text(json.dumps(dict(sorted(pins.items())), indent=2) + "\n",
                        encoding="utf-8")
        return
    want = _pins().get(path.stem)
    assert want is not None, f"no golden pins for {path.stem}: regenerate them on purpose"
    changed = [name for name in FILES if got[name] != want[name]]
    assert not changed, f"{path.stem}: {', '.join(changed)} changed"


TRACED = range(6)


def _trace_digest(scenario_path: Path) -> str:
    """SHA-256 of the narrative (dates, kinds, sentences, numbers) of a few replications."""
    scenario = sim.load_scenario(scenario_path)
    h = hashlib.sha256()
    for index in TRACED:
        rep = sim.run_replication(scenario, root_entropy(SEED), index, trace=True)
        for event in rep.events:
            h.update(repr((event.date, event.kind, event.text, sorted(event.data.items())))
                     .encode("utf-8"))
    return h.hexdigest()


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_narrative_matches_its_golden_pin(path: Path) -> None:
    got = _trace_digest(path)
    key = f"{path.stem}.trace"
    if UPDATE:
        pins = _pins()
        pins[key] = {"events": got}
        PINS.write_text(json.dumps(dict(sorted(pins.items())), indent=2) + "\n",
                        encoding="utf-8")
        return
    want = _pins().get(key)
    assert want is not None, f"no golden trace pin for {path.stem}: regenerate it on purpose"
    assert got == want["events"], f"{path.stem}: the narrative changed"


def test_every_pinned_scenario_still_exists() -> None:
    stems = {key.removesuffix(".trace") for key in _pins()}
    assert stems == {p.stem for p in SCENARIO_FILES}
