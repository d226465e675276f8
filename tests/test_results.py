"""Results folders: layout, exact reproducibility of the files, never clobbering, reloading."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from pathlib import Path

import io
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim import api, engine
from sim.errors import ResultsError
from sim.outcomes import OUTCOME_NAMES, SERIES
from sim.results import Results, load_results, write_npz
from sim.results.io import NPZ_MEMBER_TIME
from test_engine import toy_model, toy_scenario, toy_scenario_on_registry


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Results, Path]:
    out = tmp_path_factory.mktemp("layout") / "toy-run"
    res = api.run(toy_scenario_on_registry(), runs=300, seed=12, workers=1, out=out,
                  model=toy_model, progress=False, command="sim run toy.yaml")
    return res, out


def test_folder_layout(written: tuple[Results, Path]) -> None:
    res, out = written
    names = {p.name for p in out.iterdir()}
    assert {"manifest.json", "runs.csv", "summary.json", "outcomes.npz", "series.npz",
            "plots", "ledger.jsonl"} <= names
    assert "chunks" not in names and ".lock" not in names
    assert not [p for p in out.iterdir() if ".tmp" in p.name]
    assert any(p.suffix == ".png" for p in (out / "plots").iterdir())
    assert res.path == out


def test_manifest_records_what_was_run(written: tuple[Results, Path]) -> None:
    res, out = written
    m = json.loads((out / "manifest.json").read_text())
    assert m["status"] == "complete"
    assert m["seed"] == 12 and isinstance(m["entropy"], int)
    assert m["scenario"] == res.scenario.to_dict()
    assert m["scenario_hash"] == res.scenario.content_hash()
    assert m["command"] == "sim run toy.yaml"
    assert m["runs_requested"] == m["runs_completed"] == 300 and m["runs_failed"] == 0
    assert m["chunk_size"] % 100 == 0
    assert {"python", "numpy", "scipy", "simpy"} <= set(m["versions"])
    assert m["project_version"]
    assert dt.datetime.fromisoformat(m["started"]) <= dt.datetime.fromisoformat(m["finished"])
    assert m["model"].endswith(":toy_model")


def test_runs_csv_is_readable_and_complete(written: tuple[Results, Path]) -> None:
    res, out = written
    with open(out / "runs.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["replication", *OUTCOME_NAMES]
    assert [int(r["replication"]) for r in rows] == list(range(300))
    for r, py in zip(rows[:50], res.rows()[:50]):
        assert r["decision"] == py["decision"]
        date = py["south_attack_date"]
        assert r["south_attack_date"] == ("" if date is None else date.isoformat())
        assert r["singapore_fall_days"] == ("" if py["singapore_fall_days"] is None
                                            else repr(round(py["singapore_fall_days"], 6)))
        assert r["kg_soviet_casualties"] == str(int(py["kg_soviet_casualties"]))
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(out / "runs.csv")
    assert len(frame) == 300 and frame.columns[0] == "replication"


def test_summary_json(written: tuple[Results, Path]) -> None:
    res, out = written
    s = json.loads((out / "summary.json").read_text())
    assert s == json.loads(json.dumps(res.summary()))
    assert set(s["outcomes"]) == set(OUTCOME_NAMES)
    dec = s["outcomes"]["decision"]
    assert math.isclose(sum(v["share"] for v in dec["shares"].values()), 1.0)
    for v in dec["shares"].values():
        assert v["ci95"][0] <= v["share"] <= v["ci95"][1]
    num = s["outcomes"]["kg_japanese_casualties"]
    assert num["p05"] <= num["p25"] <= num["p50"] <= num["p75"] <= num["p95"]
    assert num["ci95_mean"][0] < num["mean"] < num["ci95_mean"][1]
    date = s["outcomes"]["south_attack_date"]
    assert dt.date.fromisoformat(date["p05"]) <= dt.date.fromisoformat(date["p50"])
    assert 0 < date["share_happened"] < 1
    never = s["outcomes"]["dei_captured_date"]
    assert never["share_happened"] == 0 and never["p50"] is None


def test_load_results_round_trip(written: tuple[Results, Path]) -> None:
    res, out = written
    back = load_results(out)
    assert back.n == res.n and back.scenario.content_hash() == res.scenario.content_hash()
    for name in OUTCOME_NAMES:
        assert np.array_equal(back.codes[name], res.codes[name], equal_nan=True), name
        assert back.outcomes[name].tolist() == res.outcomes[name].tolist() or \
            np.array_equal(back.outcomes[name], res.outcomes[name], equal_nan=True), name
    assert back.summary() == res.summary()
    assert back.series.months == res.series.months
    for name in SERIES:
        for q, arr in res.series.quantiles[name].items():
            assert np.array_equal(back.series.quantiles[name][q], arr)
        assert np.array_equal(back.series.sample[name], res.series.sample[name])
    assert back.rows() == res.rows()
    # without the binary copy, runs.csv alone gives the same arrays
    (out / "outcomes.npz").rename(out / "outcomes.npz.bak")
    try:
        from_csv = load_results(out)
    finally:
        (out / "outcomes.npz.bak").rename(out / "outcomes.npz")
    for name in OUTCOME_NAMES:
        a, b = from_csv.codes[name], res.codes[name]
        if a.dtype.kind == "f":  # runs.csv keeps 6 decimals (counts: whole men)
            assert np.allclose(a, b, rtol=0, atol=0.5, equal_nan=True), name
            assert np.array_equal(np.isnan(a), np.isnan(b)), name
        else:
            assert np.array_equal(a, b), name


def test_same_scenario_and_seed_give_identical_files(tmp_path: Path) -> None:
    sc = toy_scenario_on_registry()
    a = engine.run(sc, runs=500, seed=4, workers=1, out=tmp_path / "a", model=toy_model,
                   progress=False, plots=False)
    b = engine.run(sc, runs=500, seed=4, workers=2, out=tmp_path / "b", model=toy_model,
                   progress=False, plots=False, chunk_size=100)
    for name in ("runs.csv", "summary.json", "outcomes.npz", "series.npz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    # an in-memory run written afterwards gives the same runs.csv too
    mem = engine.run(sc, runs=500, seed=4, workers=1, model=toy_model)
    mem.write(tmp_path / "c", plots=False)
    assert (tmp_path / "c" / "runs.csv").read_bytes() == (tmp_path / "a" / "runs.csv").read_bytes()
    assert a.summary() == b.summary() == mem.summary()


def test_existing_out_is_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "r"
    sc = toy_scenario_on_registry()
    engine.run(sc, runs=100, seed=1, workers=1, out=out, model=toy_model, plots=False)
    before = (out / "runs.csv").read_bytes()
    with pytest.raises(ResultsError, match="already exists.*--force"):
        engine.run(sc, runs=100, seed=2, workers=1, out=out, model=toy_model, plots=False)
    assert (out / "runs.csv").read_bytes() == before
    engine.run(sc, runs=100, seed=2, workers=1, out=out, force=True, model=toy_model,
               plots=False)
    assert (out / "runs.csv").read_bytes() != before
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".r.*"))


def test_force_never_clobbers_when_the_new_run_fails(tmp_path: Path) -> None:
    out = tmp_path / "r"
    good = toy_scenario_on_registry()
    engine.run(good, runs=100, seed=1, workers=1, out=out, model=toy_model, plots=False)
    snapshot = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(engine.ReplicationFailed):
        engine.run(good, runs=100, seed=1, workers=1, out=out, force=True,
                   model="test_engine:failing_toy_model", plots=False)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == snapshot
    # Results.write(force=True) failing half-way leaves the old folder alone as well
    res = engine.run(good, runs=100, seed=3, workers=1, model=toy_model)
    res.manifest["unwritable"] = object()
    with pytest.raises(TypeError):
        res.write(out, force=True, plots=False)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == snapshot
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".r.")]


def test_a_folder_that_is_not_results_is_never_replaced(tmp_path: Path) -> None:
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("...")
    with pytest.raises(ResultsError, match="not a results folder"):
        engine.run(toy_scenario_on_registry(), runs=10, seed=1, workers=1, out=precious,
                   force=True, model=toy_model)
    assert (precious / "chapter1.tex").read_text() == "..."


def test_load_results_explains_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(ResultsError, match="not a results folder"):
        load_results(tmp_path)


def test_series_summary_is_bounded() -> None:
    res = engine.run(toy_scenario(), runs=1200, seed=1, workers=1, model=toy_model)
    sample = res.series.sample["oil_stock"]
    assert sample.shape[0] == 1000  # the first 1000 replications, not all
    rep = engine.run_replication(toy_scenario(), res.manifest["entropy"], 999, model=toy_model)
    assert np.array_equal(sample[999], rep.series["oil_stock"])
    assert res.series.quantile_runs == 1200


def test_csv_cells_are_exactly_to_cell() -> None:
    """runs.csv is written from arrays with an inlined formatter; it must equal to_cell."""
    from sim.outcomes import OUTCOMES, to_cell
    from sim.results import codes_from_rows, csv_rows, encode_outcomes

    rng = np.random.default_rng(5)
    specials = [0.5, 1.5, 2.5, -0.5, 1e-7, 123456.0000005, 2.675, 1e15 + 0.5, -3.0000004999]
    values = [*specials, *rng.normal(0, 1e4, 200).tolist(), *rng.uniform(0, 3, 200).tolist()]
    rows = []
    expected = []
    for i, x in enumerate(values):
        out = {}
        for o in OUTCOMES:
            if o.kind == "category":
                out[o.name] = o.categories[i % len(o.categories)] if i % 5 else None
            elif o.kind == "date":
                out[o.name] = dt.date(1941, 1, 1) + dt.timedelta(days=i) if i % 4 else None
            else:
                out[o.name] = None if i % 7 == 3 else (int(x) if o.kind == "count" and i % 2
                                                       else x)
        rows.append(encode_outcomes(out))
        expected.append(f"{i}," + ",".join(to_cell(o.kind, out[o.name]) for o in OUTCOMES)
                        + "\n")
    got = list(csv_rows(np.arange(len(values)), codes_from_rows(rows)))
    assert got == expected


def _chunk_with_series(start: int, stop: int, series: np.ndarray) -> "ChunkData":
    """A chunk of ``stop - start`` successful replications whose series are ``series``."""
    from sim.results import SERIES_BLOCK, SERIES_QUANTILE_RUNS, ChunkData
    from sim.results.codec import empty_codes

    k = stop - start
    blocks = series.reshape(k // SERIES_BLOCK, SERIES_BLOCK, *series.shape[1:])
    return ChunkData(start=start, stop=stop, replications=np.arange(start, stop),
                     codes=empty_codes(k), block_sums=blocks.sum(axis=1),
                     block_counts=np.full(blocks.shape[0], SERIES_BLOCK),
                     kept_series=series[: max(0, SERIES_QUANTILE_RUNS - start)], csv="")


def test_the_kept_series_are_summarised_and_freed_once_complete() -> None:
    """The first SERIES_QUANTILE_RUNS replications' series (about 70 MB for the historical
    scenario) are summarised as soon as they are all in, rather than held to the end of a
    run of a million: the same quantiles and sample, to the bit."""
    from sim.results import SERIES_QUANTILE_RUNS, ResultsBuilder
    from sim.results.series import summarise_kept

    months = 14
    rng = np.random.default_rng(7)
    every = rng.normal(size=(SERIES_QUANTILE_RUNS + 500, len(SERIES), months))
    builder = ResultsBuilder(every.shape[0])
    for start in range(0, SERIES_QUANTILE_RUNS, 500):
        builder.add(_chunk_with_series(start, start + 500, every[start: start + 500]))
        done = start + 500 == SERIES_QUANTILE_RUNS
        assert (builder.kept is None) is done and (builder.kept_summary is not None) is done
    builder.add(_chunk_with_series(SERIES_QUANTILE_RUNS, every.shape[0],
                                   every[SERIES_QUANTILE_RUNS:]))
    expected = summarise_kept(every[:SERIES_QUANTILE_RUNS], months)
    got = builder.kept_summary
    assert got is not None and got.runs == SERIES_QUANTILE_RUNS
    for name in SERIES:
        for q, values in expected.quantiles[name].items():
            assert np.array_equal(got.quantiles[name][q], values), (name, q)
        assert np.array_equal(got.sample[name], expected.sample[name])
    assert builder.count == every.shape[0]


def test_a_batch_without_series_keeps_their_means_and_the_same_outcomes() -> None:
    """run_batch(keep_series=False), as the analyses and calibration run their scenarios:
    the outcomes and the series' means as with the series kept, no quantiles nor sample (a
    64-scenario `sim explain` of 500 runs each held 460 MB of them)."""
    scenarios = [toy_scenario(**{"toy.embargo_month": m}) for m in (10, 40)]
    kept = engine.run_batch(scenarios, runs=300, seed=4, workers=1, model=toy_model,
                            progress=False)
    lean = engine.run_batch(scenarios, runs=300, seed=4, workers=1, model=toy_model,
                            progress=False, keep_series=False)
    for full, light in zip(kept, lean):
        for name in OUTCOME_NAMES:
            a, b = full.outcomes[name], light.outcomes[name]
            assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fM"), name
        assert full.series.quantile_runs == 300 and light.series.quantile_runs == 0
        for name in SERIES:
            assert np.array_equal(light.series.quantiles[name]["mean"],
                                  full.series.quantiles[name]["mean"])
            assert np.isnan(light.series.quantiles[name]["p50"]).all()
            assert light.series.sample[name].shape[0] == 0


def test_the_analyses_run_their_scenarios_without_series() -> None:
    from sim.analysis.evaluation import outcome_matrix
    from sim.analysis.expressions import compile_outcome
    from sim.analysis.options import results_memory

    values, results = outcome_matrix([toy_scenario()], compile_outcome("decision == 'south'"),
                                     100, 3, workers=1, progress=False, model=toy_model)
    assert values.shape == (1, 100) and results[0].series.quantile_runs == 0
    assert results_memory(64, 500, series=False) < results_memory(64, 500) / 4


_DTYPES = st.sampled_from(["<f8", ">f8", "<i8", "<i4", ">i2", "i1", "u1", "?", "<M8[D]",
                           "<m8[s]", "<c16", "<U3", "S2"])


@st.composite
def _arrays(draw: st.DrawFn) -> np.ndarray:
    array = draw(hnp.arrays(draw(_DTYPES), hnp.array_shapes(min_dims=0, max_dims=3,
                                                            min_side=0, max_side=5)))
    if array.ndim >= 2 and draw(st.booleans()):
        array = array.T  # not C-contiguous: the writer's other path
    return array


@given(st.lists(_arrays(), min_size=1, max_size=4))
def test_npz_members_are_the_bytes_numpy_writes(arrays: list[np.ndarray]) -> None:
    """The NPZ writer copies no array (it writes a C-contiguous one's own buffer after the
    header), and every member is byte for byte what ``np.lib.format.write_array`` writes."""
    named = {f"a{i}": a for i, a in enumerate(arrays)}
    ours = io.BytesIO()
    write_npz(ours, named)
    reference = io.BytesIO()
    with zipfile.ZipFile(reference, mode="w", compression=zipfile.ZIP_STORED,
                         allowZip64=True) as zf:
        for name, array in named.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=NPZ_MEMBER_TIME)
            with zf.open(info, "w", force_zip64=True) as f:
                np.lib.format.write_array(f, array, allow_pickle=False)
    assert ours.getvalue() == reference.getvalue()
    with np.load(io.BytesIO(ours.getvalue())) as back:
        for name, array in named.items():
            assert back[name].dtype == array.dtype and back[name].shape == array.shape
