"""The reference table the model's defaults trace to."""

from __future__ import annotations

import pytest

from sim import reference
from sim.registry import REGISTRY


def test_every_cited_id_is_documented() -> None:
    missing = []
    for param in REGISTRY:
        for ref_id in reference.cited_ids(param.source):
            try:
                reference.lookup(ref_id)
            except KeyError:
                missing.append(f"{param.name}: {ref_id}")
    assert not missing, f"sources cite IDs absent from sim.reference: {missing}"


def test_most_parameters_cite_an_id_or_say_they_are_calibrated() -> None:
    for param in REGISTRY:
        if param.name.startswith("combat."):
            continue  # the kernel's own calibration cites its data
        assert reference.cited_ids(param.source) or "calibrated" in param.source, param.name


def test_id_pattern_finds_ids_and_ignores_words() -> None:
    assert reference.cited_ids("history.md KG-15 (Coox via WP); T8 and OIL-04") == [
        "KG-15", "T8", "OIL-04"]
    assert reference.cited_ids("calibrated: see docs/model.md §Decision") == []
    assert reference.cited_ids("CDB90-260 row") == ["CDB90-260"]


def test_ranges_bracket_the_best_value() -> None:
    for ref in reference.REFERENCES:
        if all(isinstance(x, (int, float)) for x in (ref.best, ref.low, ref.high)):
            assert ref.low <= ref.high, ref.id
            assert ref.grade, ref.id
    ids = [r.id for r in reference.REFERENCES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("target", ["T1", "T2", "T3", "T4", "T6", "T8", "T9", "T10", "T11",
                                    "T14", "T15"])
def test_backtest_targets_present_with_sources(target: str) -> None:
    t = reference.TARGET_BY_ID[target]
    for ref_id in t.source_ids:
        assert ref_id in reference.BY_ID, (target, ref_id)


def test_oil_targets_match_the_reference_row() -> None:
    row = reference.BY_ID["OIL-09"].best
    assert [float(x) for x in str(row).split(",")] == list(reference.OIL_STOCK_TARGETS.values())
