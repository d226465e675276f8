"""Comparisons: paired differences under common random numbers, files, figures, CLI."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from sim import compare as cmp
from sim.outcomes import OUTCOMES

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
RUNS, SEED = 60, 5


@pytest.fixture(scope="module")
def historical():
    from sim.scenario import load_scenario

    return load_scenario(SCENARIOS / "historical.yaml")


@pytest.fixture(scope="module")
def comparison(historical) -> cmp.Comparison:
    no_embargo = historical.with_overrides({"embargo.enabled": False})
    no_pact = historical.with_overrides({"neutrality_pact.enabled": False})
    return cmp.compare([historical, no_embargo, no_pact], RUNS, SEED, workers=1,
                       names=["history", "no embargo", "no pact"])


def row(comp: cmp.Comparison, outcome: str, statistic: str) -> dict:
    return next(r for r in comp.table() if r["outcome"] == outcome and r["statistic"] == statistic)


def test_scenarios_run_together_are_paired(comparison) -> None:
    assert comparison.paired
    assert comparison.names == ["history", "no embargo", "no pact"]
    assert "paired by replication" in comparison.pairing_note
    assert {r.manifest["seed"] for r in comparison.results} == {SEED}


def test_share_rows_match_the_outcomes_and_the_paired_difference(comparison) -> None:
    base, other = comparison.results[0], comparison.results[1]
    for decision in ("south", "north", "both", "hold"):
        r = row(comparison, "decision", f"share {decision}")
        a = (base.outcomes["decision"] == decision).astype(float)
        b = (other.outcomes["decision"] == decision).astype(float)
        assert r["history"] == pytest.approx(a.mean())
        assert r["no embargo"] == pytest.approx(b.mean())
        d = (b - a)
        assert r["no embargo - history"] == pytest.approx(d.mean())
        if d.std() > 0:
            half = 1.959963984540054 * d.std(ddof=1) / np.sqrt(d.size)
            assert r["no embargo - history high"] - r["no embargo - history"] == \
                pytest.approx(half)
        assert r["history low"] <= r["history"] <= r["history high"]


def test_table_covers_every_outcome(comparison) -> None:
    rows = comparison.table()
    assert {r["outcome"] for r in rows} == {o.name for o in OUTCOMES}
    for o in OUTCOMES:
        if o.kind == "category":
            assert sum(row(comparison, o.name, f"share {c}")["history"]
                       for c in o.categories) == pytest.approx(1.0)


def test_paired_interval_is_narrower_than_unpaired_for_a_shared_outcome(comparison) -> None:
    """Khalkhin Gol (1939) comes before anything the embargo changes: with common random
    numbers its paired difference is (nearly) zero; independent samples would not know that."""
    r = row(comparison, "kg_japanese_casualties", "mean")
    paired_width = r["no embargo - history high"] - r["no embargo - history low"]
    a = comparison.results[0].outcomes["kg_japanese_casualties"]
    b = comparison.results[1].outcomes["kg_japanese_casualties"]
    _, lo, hi = cmp.welch_difference(b, a)
    assert paired_width < (hi - lo) / 5


def test_unpaired_results_are_labelled_and_use_welch(historical, comparison) -> None:
    from sim.engine import run

    other_seed = run(historical.with_overrides({"embargo.enabled": False}), RUNS, SEED + 1,
                     workers=1)
    comp = cmp.compare([comparison.results[0], other_seed])
    assert not comp.paired
    assert "UNPAIRED" in comp.pairing_note and "seeds differ (5, 6)" in comp.pairing_note
    r = row(comp, "kg_japanese_casualties", "mean")
    a = comparison.results[0].outcomes["kg_japanese_casualties"]
    b = other_seed.outcomes["kg_japanese_casualties"]
    assert (r[f"{comp.names[1]} - {comp.names[0]}"],
            r[f"{comp.names[1]} - {comp.names[0]} low"]) == \
        pytest.approx(cmp.welch_difference(b, a)[:2])
    assert "UNPAIRED" in comp.format_table()
    assert comp.names[0] != comp.names[1]  # same scenario name made unique


def test_format_table_aligns_columns(comparison) -> None:
    text = comparison.format_table(["decision"])
    lines = text.splitlines()
    header = next(ln for ln in lines if ln.startswith("outcome"))
    assert "no embargo - history [95% CI, paired]" in header
    body = [ln for ln in lines if ln.startswith("decision")]
    assert len(body) == 4
    assert all("pp [" in ln for ln in body)


def test_figures_overlay_every_scenario(comparison) -> None:
    figs = comparison.figures()
    assert set(figs) == {"compare_decisions", "compare_distributions", "compare_differences",
                         "compare_mean_differences", "compare_fan_charts"}
    decisions = figs["compare_decisions"]
    assert len(decisions.axes) == len([o for o in OUTCOMES if o.kind == "category"])
    assert [t.get_text() for t in decisions.legends[0].get_texts()] == comparison.names
    assert len(decisions.axes[0].patches) == 4 * 3  # 4 decisions x 3 scenarios
    fans = figs["compare_fan_charts"]
    medians = [ln for ln in fans.axes[0].lines if ln.get_label().endswith("median")]
    assert [m.get_label() for m in medians] == [f"{n} median" for n in comparison.names]
    dist = figs["compare_distributions"]
    assert [t.get_text().split(" (")[0] for t in dist.legends[0].get_texts()] == comparison.names
    forest = figs["compare_differences"].axes[0]
    assert [t.get_text() for t in forest.get_legend().get_texts()] == \
        ["no embargo - history", "no pact - history"]
    title = " ".join(figs["compare_decisions"].get_suptitle().split())  # unwrapped
    assert "paired by replication" in title and "60 replications" in title


def test_mean_differences_figure_draws_the_paired_table(comparison) -> None:
    fig = comparison.figures()["compare_mean_differences"]
    rows = {r["outcome"]: r for r in comparison.table() if r["statistic"] == "mean"}
    ax = next(a for a in fig.axes if a.get_title() == "Japanese casualties at Khalkhin Gol")
    assert ax.get_xlabel() == "change in the mean (men)"
    for i, other in enumerate(comparison.names[1:]):
        key = f"{other} - {comparison.baseline}"
        dot = ax.containers[i].lines[0]
        assert dot.get_xdata()[0] == pytest.approx(rows["kg_japanese_casualties"][key])
    assert "paired by replication" in fig.get_supxlabel()


def test_write_produces_csv_json_and_figures(comparison, tmp_path: Path) -> None:
    written = comparison.write(tmp_path / "cmp", ("svg",))
    names = {p.name for p in written}
    assert names == {"comparison.csv", "comparison.json", "compare_decisions.svg",
                     "compare_distributions.svg", "compare_differences.svg",
                     "compare_mean_differences.svg", "compare_fan_charts.svg"}
    with (tmp_path / "cmp" / "comparison.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(comparison.table())
    assert "no pact - history low" in rows[0]
    data = json.loads((tmp_path / "cmp" / "comparison.json").read_text())
    assert data["paired"] is True and data["baseline"] == "history"
    assert [s["name"] for s in data["scenarios"]] == comparison.names
    for path in written:
        if path.suffix == ".svg":
            text = "".join(ET.parse(path).getroot().itertext())
            assert "history vs no embargo vs no pact" in text


def test_needs_two_sources(historical) -> None:
    from sim.errors import UserError

    with pytest.raises(UserError, match="at least two"):
        cmp.compare([historical], RUNS, SEED)


def test_sim_compare_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sim.cli import main

    variant = tmp_path / "no-embargo.yaml"
    variant.write_text(f"name: no-embargo\nextends: {(SCENARIOS / 'historical.yaml').as_posix()}\n"
                       "params:\n  embargo.enabled: false\n", encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["compare", str(SCENARIOS / "historical.yaml"), str(variant), "--runs", "30",
              "--seed", "3", "--workers", "1", "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert "no-embargo - historical [95% CI, paired]" in out
    assert (tmp_path / "out" / "comparison.json").is_file()
    assert (tmp_path / "out" / "compare_decisions.png").stat().st_size > 5_000
    with pytest.raises(SystemExit) as done:
        main(["compare", str(SCENARIOS / "historical.yaml"), str(tmp_path / "nope.yaml")])
    assert done.value.code == 2
    assert "nope.yaml" in capsys.readouterr().err


def test_means_over_different_runs_are_not_paired(comparison) -> None:
    """Where the event happened in different replications (the embargo changes who goes
    south), the two means cover different runs: the difference is flagged and unpaired."""
    base = comparison.results[0].outcomes["singapore_fall_days"]
    other = comparison.results[1].outcomes["singapore_fall_days"]
    r = row(comparison, "singapore_fall_days", "mean")
    key = "no embargo - history"
    assert not np.array_equal(np.isfinite(base), np.isfinite(other))
    assert r[f"{key} paired"] is False
    assert (r[key], r[f"{key} low"]) == pytest.approx(cmp.welch_difference(other, base)[:2])
    assert "* the event happened in different replications" in comparison.format_table()
    same = row(comparison, "kg_japanese_casualties", "mean")
    assert same[f"{key} paired"] is True
