"""The drawn inputs of each replication, runs.parquet, the pandas and xarray views, and the
final assembly of a folder (each chunk read once)."""

from __future__ import annotations

import datetime as dt
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import sim
from sim import api, engine
from sim.cli import main
from sim.engine import run_replication
from sim.errors import ResultsError
from sim.distributions import is_distribution
from sim.outcomes import BY_NAME, OUTCOMES, SERIES
from sim.registry import REGISTRY
from sim.results import (
    ChunkLedger, NoInputs, load_results, manifest_checksum, scenario_inputs, table,
)
from sim.results.io import file_sha256
from sim.streams import Streams
from conftest import SCENARIOS
from test_cli_run import call
from test_engine import toy_model, toy_scenario_on_registry

ECHO = f"{__name__}:echo_model"
#: The registry's uncertain parameters: each is a drawn input of every replication.
DRAWN = sum(is_distribution(p.default) for p in REGISTRY)
#: The parameter the echo model copies into an outcome, to prove the model saw that value.
ECHOED = "north.soviet_effectiveness"


def echo_model(params: dict[str, Any], streams: Streams, trace: bool = False) -> Any:
    """The toy model, with one drawn parameter copied into ``nomonhan_shock`` and every
    parameter it received kept on the replication."""
    rep = toy_model(params, streams, trace)
    rep.outcomes["nomonhan_shock"] = params[ECHOED]
    rep.params = dict(params)
    return rep


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables") / "run"
    engine.run(toy_scenario_on_registry(), runs=500, seed=3, workers=2, out=out, model=ECHO,
               progress=False, plots=False, chunk_size=100)
    return out


def test_drawn_inputs_are_those_the_replication_used(folder: Path) -> None:
    res = load_results(folder)
    specs = scenario_inputs(res.scenario)
    assert len(specs) == DRAWN and ECHOED in res.inputs
    # in the run itself, every replication's model saw the recorded value ...
    assert np.array_equal(res.inputs[ECHOED], res.outcomes["nomonhan_shock"])
    # ... and re-running a replication alone draws exactly the recorded values
    for i in (0, 137, 499):
        rep = run_replication(res.scenario, res.manifest["entropy"], i, model=ECHO)
        for spec in specs:
            assert rep.params[spec.name] == res.inputs[spec.name][i], (i, spec.name)
    # the fixed parameters are recorded once, in the manifest's resolved scenario
    assert res.manifest["scenario"]["values"]["simulation.horizon"] is not None


def test_in_memory_results_hold_the_same_inputs(folder: Path) -> None:
    mem = engine.run(toy_scenario_on_registry(), runs=500, seed=3, workers=1, model=ECHO,
                     progress=False)
    disk = load_results(folder)
    for name in disk.inputs:
        assert np.array_equal(mem.inputs[name], disk.inputs[name]), name


def test_parquet_columns_and_types(folder: Path) -> None:
    t = pq.read_table(folder / "runs.parquet")
    assert t.num_rows == 500 and t.column_names[0] == "replication"
    specs = scenario_inputs(load_results(folder).scenario)
    assert t.column_names[1: 1 + len(specs)] == [s.name for s in specs]
    assert t.column_names[1 + len(specs):] == [o.name for o in OUTCOMES]
    for o in OUTCOMES:
        field = t.schema.field(o.name)
        assert field.metadata[b"role"] == b"outcome" and field.metadata[b"unit"] == o.unit.encode()
        if o.kind == "category":
            assert pa.types.is_dictionary(field.type)
            values = t.column(o.name).combine_chunks().dictionary.to_pylist()
            assert values == list(o.categories)
        elif o.kind == "date":
            assert field.type == pa.date32()
        elif o.kind == "count":
            assert field.type == pa.int64()
        else:
            assert field.type == pa.float64()
    assert t.schema.field(ECHOED).metadata[b"role"] == b"input"
    # missing values are nulls; the csv and the table say the same thing
    north = t.column("north_attack_date").to_pylist()
    rows = (folder / "runs.csv").read_text().splitlines()[1:]
    column = 1 + [o.name for o in OUTCOMES].index("north_attack_date")
    assert [r.split(",")[column] or None for r in rows] == \
        [d.isoformat() if d else None for d in north]
    counts = t.column("kg_japanese_casualties").to_pylist()
    kg = 1 + [o.name for o in OUTCOMES].index("kg_japanese_casualties")
    assert [int(r.split(",")[kg]) for r in rows] == counts


def test_table_bytes_do_not_depend_on_workers_or_chunks(folder: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    engine.run(toy_scenario_on_registry(), runs=500, seed=3, workers=1, out=other, model=ECHO,
               progress=False, plots=False, chunk_size=300)
    assert file_sha256(other / "runs.parquet") == file_sha256(folder / "runs.parquet")
    # and Results.write of the in-memory results gives the same table
    mem = engine.run(toy_scenario_on_registry(), runs=500, seed=3, workers=1, model=ECHO,
                     progress=False)
    mem.write(tmp_path / "written", plots=False)
    assert file_sha256(tmp_path / "written" / "runs.parquet") == \
        file_sha256(folder / "runs.parquet")


def test_large_runs_keep_the_table_alone(folder: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table, "CSV_MAX_RUNS", 400)
    big = tmp_path / "big"
    engine.run(toy_scenario_on_registry(), runs=500, seed=3, workers=2, out=big, model=ECHO,
               progress=False, plots=False, chunk_size=100)
    assert sorted(p.name for p in big.iterdir()) == [
        "ledger.jsonl", "manifest.json", "runs.parquet", "series.npz", "summary.json"]
    # the same table and the same summary (from the exact values) as the run with runs.csv
    for name in ("runs.parquet", "summary.json", "series.npz"):
        assert (big / name).read_bytes() == (folder / name).read_bytes(), name
    small, large = load_results(folder), load_results(big)
    for o in OUTCOMES:
        a, b = small.codes[o.name], large.codes[o.name]
        if o.kind == "count":
            a = np.round(a)  # whole men in the table, as in runs.csv
        assert a.dtype == b.dtype and np.array_equal(
            a, b, equal_nan=o.kind in ("count", "number")), o.name
    assert large.to_dataframe().equals(small.to_dataframe())
    # sim reproduce reads the stored row from the table
    code, stdout, _ = call_cli(["reproduce", str(big), "--replication", "321", "--model", ECHO])
    assert code == 0 and "identical" in stdout


def call_cli(argv: list[str]) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            pytest.raises(SystemExit) as info:
        main(argv)
    return int(info.value.code or 0), out.getvalue(), err.getvalue()


def test_csv_can_be_turned_off_or_on(tmp_path: Path) -> None:
    res = engine.run(toy_scenario_on_registry(), runs=300, seed=1, workers=1, model=ECHO,
                     progress=False)
    res.write(tmp_path / "no-csv", plots=False, csv=False)
    assert not (tmp_path / "no-csv" / "runs.csv").exists()
    assert not (tmp_path / "no-csv" / "outcomes.npz").exists()
    loaded = load_results(tmp_path / "no-csv")
    assert np.array_equal(loaded.outcomes["decision"], res.outcomes["decision"])
    engine.run(toy_scenario_on_registry(), runs=300, seed=1, workers=1, model=ECHO,
               progress=False, plots=False, out=tmp_path / "engine", csv=False)
    assert sorted(p.name for p in (tmp_path / "engine").iterdir()) == [
        "ledger.jsonl", "manifest.json", "runs.parquet", "series.npz", "summary.json"]


def test_dataframe_dtypes(folder: Path) -> None:
    pd = pytest.importorskip("pandas")
    res = load_results(folder)
    df = res.to_dataframe()
    assert DRAWN >= 19 and df.shape == (500, DRAWN + len(OUTCOMES)) and df.index.name == "replication"
    assert list(df.index) == list(range(500))
    decision = df["decision"]
    assert isinstance(decision.dtype, pd.CategoricalDtype)
    assert list(decision.cat.categories) == list(BY_NAME["decision"].categories)
    assert df["south_attack_date"].dtype.kind == "M"
    assert df["south_attack_date"].isna().sum() == int(np.isnat(
        res.outcomes["south_attack_date"]).sum())
    assert str(df["kg_japanese_casualties"].dtype) == "Int64"
    assert df[ECHOED].dtype == np.float64
    high = df[df[ECHOED] > df[ECHOED].quantile(0.9)]
    assert 40 <= len(high) <= 60
    assert list(res.to_dataframe(inputs=False).columns) == [o.name for o in OUTCOMES]


def test_series_dataset(folder: Path) -> None:
    pytest.importorskip("xarray")
    res = load_results(folder)
    ds = res.series_dataset()
    assert set(ds.dims) == {"quantile", "month", "replication"}
    assert list(ds["quantile"].values) == ["p05", "p25", "p50", "p75", "p95", "mean"]
    assert ds.sizes["month"] == len(res.series.months) and ds.sizes["replication"] == 500
    for name, unit in SERIES.items():
        assert ds[name].attrs["units"] == unit
        assert np.array_equal(ds[name].sel(quantile="p50").values,
                              res.series.quantiles[name]["p50"])
        assert np.array_equal(ds[f"{name}_runs"].values, res.series.sample[name])
    assert ds.attrs["scenario"] == "toy" and ds.attrs["seed"] == 3


def test_missing_extras_are_named(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = load_results(folder)
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "xarray", None)
    with pytest.raises(ImportError, match=r"pandas.*strike-north-or-south\[tables\]"):
        res.to_dataframe()
    with pytest.raises(ImportError, match=r"xarray.*strike-north-or-south\[tables\]"):
        res.series_dataset()


def test_without_pyarrow_folders_are_written_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(table, "have_pyarrow", lambda: False)
    monkeypatch.setattr(table, "_noted", [])
    out = tmp_path / "plain"
    engine.run(toy_scenario_on_registry(), runs=300, seed=1, workers=1, model=ECHO,
               progress=False, plots=False, out=out)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "strike-north-or-south[tables]" in err
    assert sorted(p.name for p in out.iterdir()) == [
        "ledger.jsonl", "manifest.json", "outcomes.npz", "runs.csv", "series.npz",
        "summary.json"]
    with zipfile.ZipFile(out / "outcomes.npz") as zf:  # uncompressed, byte for byte as before
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
    res = load_results(out)
    with pytest.raises(NoInputs, match="no drawn inputs.*runs.parquet"):
        res.inputs
    with pytest.raises(NoInputs):
        res.to_dataframe()
    assert res.to_dataframe(inputs=False).shape == (300, len(OUTCOMES))


def test_an_old_folder_says_what_is_missing(folder: Path, tmp_path: Path) -> None:
    """A folder of an earlier version: no runs.parquet, the four files it recorded."""
    import shutil

    old = tmp_path / "old"
    shutil.copytree(folder, old)
    (old / "runs.parquet").unlink()
    manifest = json.loads((old / "manifest.json").read_text())
    del manifest["checksum"], manifest["files"]["runs.parquet"]
    manifest["checksum"] = manifest_checksum(manifest)
    (old / "manifest.json").write_text(json.dumps(manifest))
    res = sim.load_results(old)
    assert res.n == 500
    with pytest.raises(ResultsError) as info:
        res.to_dataframe()
    message = str(info.value)
    assert str(old) in message and "older version" in message and "\n" not in message


def test_a_forged_table_is_refused(folder: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    for damage in ("schema", "rows", "category"):
        bad = tmp_path / damage
        shutil.copytree(folder, bad)
        t = pq.read_table(bad / "runs.parquet")
        if damage == "schema":
            t = t.set_column(1, t.schema.field(1).name, t.column(1).cast(pa.float32()))
        elif damage == "rows":
            t = t.slice(0, 499)
        else:
            i = t.column_names.index("decision")
            t = t.set_column(i, "decision", pa.array(["west"] * t.num_rows).dictionary_encode()
                             .cast(pa.dictionary(pa.int8(), pa.string())))
        pq.write_table(t, bad / "runs.parquet")
        (bad / "outcomes.npz").unlink()  # so the table is what is read
        manifest = json.loads((bad / "manifest.json").read_text())
        del manifest["checksum"], manifest["files"]["outcomes.npz"]
        manifest["files"]["runs.parquet"] = file_sha256(bad / "runs.parquet")
        manifest["checksum"] = manifest_checksum(manifest)
        (bad / "manifest.json").write_text(json.dumps(manifest))
        code, _, err = call(["plot", str(bad)], capsys)
        assert code == 2 and err.count("\n") == 1 and "runs.parquet" in err, (damage, err)


def test_final_assembly_reads_each_chunk_once(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []
    real = ChunkLedger.columns
    loads: list[str] = []
    real_load = np.load

    def counted(self: ChunkLedger, start: int, specs: Any) -> Any:
        reads.append(start)
        return real(self, start, specs)

    def counted_load(path: Any, *args: Any, **kwargs: Any) -> Any:
        if "chunk-" in str(path):
            loads.append(str(path))
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(ChunkLedger, "columns", counted)
    monkeypatch.setattr(np, "load", counted_load)
    engine.run(toy_scenario_on_registry(), runs=1000, seed=2, workers=1, model=ECHO,
               out=tmp_path / "r", progress=False, plots=False, chunk_size=100)
    assert sorted(reads) == list(range(0, 1000, 100))
    assert len(loads) == 10  # not once per outcome column


def test_resume_gives_the_same_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_hardening_results import interrupted_run

    clean = tmp_path / "clean"
    engine.run(toy_scenario_on_registry(), runs=600, seed=5, workers=1, out=clean,
               progress=False, plots=False, chunk_size=100, model="test_engine:toy_model")
    with monkeypatch.context() as patch:
        stopped = tmp_path / "stopped"
        interrupted_run(stopped, patch, runs=600, seed=5, after=2)
    engine.resume(stopped, workers=1, progress=False, model="test_engine:toy_model")
    assert file_sha256(stopped / "runs.parquet") == file_sha256(clean / "runs.parquet")
    assert load_results(stopped).to_dataframe().equals(load_results(clean).to_dataframe())


def test_api_load_results_gives_both_views(folder: Path) -> None:
    res = api.load_results(folder)
    assert res.to_dataframe().shape[0] == 500
    assert res.series_dataset().sizes["quantile"] == 6
    assert isinstance(res.inputs[ECHOED][0], np.floating)
    assert dt.date(1939, 1, 31) == res.series.months[0]


def test_without_pyarrow_a_big_run_keeps_outcomes_npz_alone_compressed(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The core columnar format (no pyarrow): above CSV_MAX_RUNS, or with --no-csv, the
    folder's table is outcomes.npz with deflated columns; it reads, resumes and reproduces
    as the uncompressed one does, with the same numbers."""
    monkeypatch.setattr(table, "have_pyarrow", lambda: False)
    monkeypatch.setattr(table, "_noted", [])
    monkeypatch.setattr(table, "CSV_MAX_RUNS", 400)
    big = tmp_path / "big"
    engine.run(toy_scenario_on_registry(), runs=500, seed=3, workers=2, out=big, model=ECHO,
               progress=False, plots=False, chunk_size=100)
    assert sorted(p.name for p in big.iterdir()) == [
        "ledger.jsonl", "manifest.json", "outcomes.npz", "series.npz", "summary.json"]
    with zipfile.ZipFile(big / "outcomes.npz") as zf:
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_DEFLATED}
        stored = sum(i.file_size for i in zf.infolist())
        assert sum(i.compress_size for i in zf.infolist()) < 0.8 * stored
    plain = tmp_path / "plain"  # the same run with runs.csv: outcomes.npz uncompressed
    engine.run(toy_scenario_on_registry(), runs=500, seed=3, workers=1, out=plain, model=ECHO,
               progress=False, plots=False, csv=True)
    with np.load(big / "outcomes.npz") as a, np.load(plain / "outcomes.npz") as b:
        assert a.files == b.files
        for name in a.files:
            assert np.array_equal(a[name], b[name], equal_nan=True), name
    for name in ("summary.json", "series.npz"):
        assert (big / name).read_bytes() == (plain / name).read_bytes(), name
        assert (big / name).read_bytes() == (folder / name).read_bytes(), name
    small, large = load_results(plain), load_results(big)
    for name in BY_NAME:
        assert np.array_equal(small.codes[name], large.codes[name], equal_nan=True), name
    again = engine.reproduce(big, 417, model=ECHO)
    assert again.identical and again.stored == next(
        line for line in (plain / "runs.csv").read_text().splitlines(keepends=True)
        if line.startswith("417,"))
    # Results.write of in-memory results without runs.csv: the same compressed bytes
    written = engine.run(toy_scenario_on_registry(), runs=500, seed=3, workers=1, model=ECHO,
                         progress=False).write(tmp_path / "written", plots=False, csv=False)
    assert (written / "outcomes.npz").read_bytes() == (big / "outcomes.npz").read_bytes()


def test_inputs_drawn_from_a_posterior_are_stored_with_a_dictionary(tmp_path: Path) -> None:
    """A posterior ensemble's columns take a thousand or so distinct values: runs.parquet
    keeps a dictionary of them (a quarter of the historical scenario's table once the rows
    far outnumber the particles), the other
    numbers split into byte streams, and reads back the same values."""
    scenario = sim.load_scenario(SCENARIOS / "historical.yaml")
    specs = scenario_inputs(scenario)
    tabulated = [s.name for s in specs if s.tabulated]
    assert len(tabulated) >= 20 and len(tabulated) < len(specs)
    out = tmp_path / "run"
    res = engine.run(scenario, runs=5000, seed=5, workers=1, out=out, model=ECHO,
                     progress=False, plots=False)
    meta = pq.ParquetFile(out / "runs.parquet").metadata
    names = [meta.schema.column(i).name for i in range(meta.num_columns)]
    encodings = {name: set(meta.row_group(0).column(i).encodings)
                 for i, name in enumerate(names)}
    for s in specs:
        if s.tabulated:
            assert "RLE_DICTIONARY" in encodings[s.name], s.name
        elif s.kind == "float":
            assert "BYTE_STREAM_SPLIT" in encodings[s.name], s.name
    table = pq.read_table(out / "runs.parquet")
    for name in tabulated:
        assert np.array_equal(table.column(name).to_numpy(), res.inputs[name]), name
    # the same table with every number split into byte streams is larger
    plain = tmp_path / "plain.parquet"
    pq.write_table(table, plain, compression="zstd", use_dictionary=False,
                   column_encoding={f.name: "BYTE_STREAM_SPLIT" for f in table.schema
                                    if f.type == pa.float64()})
    assert (out / "runs.parquet").stat().st_size < 0.85 * plain.stat().st_size
