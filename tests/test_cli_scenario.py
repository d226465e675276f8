"""`sim validate`, `sim show` and `sim params`, run in-process through `sim.cli.main`."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from cli_run import run

import sim.cli.scenario_cmds as scenario_cmds
from sim.docgen import render_markdown
from sim.scenario import load_scenario

try:
    from test_scenario import REG, three_level_chain
except ImportError:  # pragma: no cover - tests collected as a package
    from tests.test_scenario import REG, three_level_chain


@pytest.fixture(autouse=True)
def test_registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(scenario_cmds, "get_registry", lambda: REG)
    monkeypatch.chdir(tmp_path)


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


# --------------------------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------------------------


def test_validate_ok_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    write("good.yaml", "params:\n  embargo.enabled: false\n")
    write("bad.yaml", "params:\n  embargo.enabld: false\n")
    code, out, err = run(capsys, "validate", "good.yaml", "bad.yaml", "missing.yaml")
    assert code == 2
    assert out == "ok  good.yaml\n"
    assert err.splitlines() == [
        "error: bad.yaml:2: `embargo.enabld`: unknown parameter (did you mean `embargo.enabled`?);"
        " known parameters in `embargo`: date, enabled",
        "error: missing.yaml: file not found; expected a scenario YAML file",
    ]


def test_validate_all_good_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    three_level_chain(Path("."))
    code, out, err = run(capsys, "validate", "scenarios/historical.yaml",
                         "scenarios/variants/late-north.yaml")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["ok  scenarios/historical.yaml",
                                "ok  scenarios/variants/late-north.yaml"]


def test_validate_directory_means_its_yaml_files(capsys: pytest.CaptureFixture[str]) -> None:
    three_level_chain(Path("."))
    write("scenarios/variants/broken.yaml", "params: {embargo: {enabled: 3}}\n")
    code, out, err = run(capsys, "validate", "scenarios/variants")
    assert code == 2
    assert out.splitlines() == ["ok  scenarios/variants/late-north.yaml",
                                "ok  scenarios/variants/late.yaml"]
    assert err == ("error: scenarios/variants/broken.yaml:1: `embargo.enabled`: expected true "
                   "or false, got 3\n")


def test_validate_with_bad_set(capsys: pytest.CaptureFixture[str]) -> None:
    write("good.yaml", "{}\n")
    code, out, err = run(capsys, "validate", "good.yaml", "--set", "decision.force=east")
    assert code == 2 and out == ""
    assert err == ("error: --set: `decision.force`: expected one of free, north, south, hold, "
                   "got 'east'\n")


def test_validate_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate")
    assert code == 2 and "Missing argument" in err


# --------------------------------------------------------------------------------------------
# show
# --------------------------------------------------------------------------------------------


def test_show_table_lists_set_values_with_origin_and_flags(
    capsys: pytest.CaptureFixture[str],
) -> None:
    three_level_chain(Path("."))
    code, out, err = run(capsys, "show", "scenarios/variants/late-north.yaml",
                         "--set", "china.drain_multiplier=3")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "scenario  late-north"
    assert lines[1] == "file      scenarios/variants/late-north.yaml"
    assert lines[2] == "extends   scenarios/variants/late.yaml -> scenarios/historical.yaml"
    row = next(line for line in lines if line.strip().startswith("china.drain_multiplier"))
    assert row.split()[1:5] == ["3", "x", "historical", "--set"]
    assert row.endswith("outside credible range [0.5, 1.5]")
    row = next(line for line in lines if line.strip().startswith("decision.force"))
    assert "scenarios/variants/late-north.yaml:5" in row and row.split()[-1] == "free"
    row = next(line for line in lines if line.strip().startswith("embargo.enabled"))
    assert "(same)" in row
    assert "khalkhin_gol.japanese_men" not in out
    assert "8 other parameter(s) at their registry defaults" in out


def test_show_all_lists_defaults_after_the_set_ones(capsys: pytest.CaptureFixture[str]) -> None:
    three_level_chain(Path("."))
    _, out, _ = run(capsys, "show", "scenarios/variants/late-north.yaml", "--all")
    assert out.index("decision.force") < out.index("khalkhin_gol.japanese_men")
    row = next(line for line in out.splitlines()
               if line.strip().startswith("khalkhin_gol.japanese_men"))
    assert row.split()[1:4] == ["30000", "men", "KG-09"]


def test_show_without_changes_lists_every_default_with_its_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write("s.yaml", "params: {}\n")
    _, out, _ = run(capsys, "show", "s.yaml")
    assert f"{len(REG)} parameter(s) at their registry defaults" in out
    row = next(x for x in out.splitlines() if x.strip().startswith("khalkhin_gol.truck_haul_km"))
    assert row.split()[1:4] == ["675", "km", "KG-26"]


@pytest.mark.parametrize(("value", "flagged"), [(650, False), (751, False), (753, True),
                                                (647, True), (700, False)])
def test_show_credible_flag_allows_two_percent_of_slack(
    capsys: pytest.CaptureFixture[str], value: int, flagged: bool
) -> None:
    write("s.yaml", f"params:\n  khalkhin_gol.truck_haul_km: {value}\n")
    _, out, _ = run(capsys, "show", "s.yaml")
    row = next(x for x in out.splitlines() if "truck_haul_km" in x)
    assert row.endswith("outside credible range [650, 750]") is flagged


def test_show_flags_distributions_partly_outside_the_credible_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write("s.yaml", """
        params:
          khalkhin_gol.truck_haul_km: {dist: uniform, low: 600, high: 700}
          khalkhin_gol.japanese_men: {dist: uniform, low: 25000, high: 30000}
    """)
    _, out, _ = run(capsys, "show", "s.yaml")
    haul = next(x for x in out.splitlines() if "truck_haul_km" in x)
    men = next(x for x in out.splitlines() if "japanese_men" in x)
    assert haul.endswith("partly outside credible range [650, 750]")
    assert "credible" not in men


def test_show_yaml_is_a_standalone_scenario_with_the_same_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    three_level_chain(Path("."))
    sets = ["--set", "embargo.date={dist: uniform, low: 1941-07-01, high: 1941-09-01}",
            "--set", "khalkhin_gol.outcome=soviet_victory",
            "--set", "decision.force={dist: choice, values: [north, south], weights: [1, 3]}"]
    original = load_scenario("scenarios/variants/late-north.yaml", sets[1::2], registry=REG)
    for extra in ([], ["--all"]):
        code, out, err = run(capsys, "show", "scenarios/variants/late-north.yaml",
                             "--format", "yaml", *sets, *extra)
        assert (code, err) == (0, "")
        assert "extends:" not in out
        assert "# --set" in out and "# scenarios/historical.yaml:6" in out
        Path("flat.yaml").write_text(out)
        flat = load_scenario("flat.yaml", registry=REG)
        assert flat.values == original.values
        assert flat.content_hash() == original.content_hash()
        assert flat.name == "late-north"


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    write("s.yaml", "name: s\ndescription: Why not.\nparams:\n  decision.force: south\n")
    code, out, _ = run(capsys, "show", "s.yaml", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["name"] == "s" and data["description"] == "Why not."
    assert len(data["parameters"]) == len(REG)
    force = next(p for p in data["parameters"] if p["name"] == "decision.force")
    assert force == {"name": "decision.force", "value": "south", "unit": "", "origin": "s.yaml:4",
                     "default": "free", "is_default": False, "note": None}
    assert data["content_hash"] == load_scenario("s.yaml", registry=REG).content_hash()


def test_show_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    write("s.yaml", "params:\n  embargo: {date: 1941-13-01}\n")
    code, out, err = run(capsys, "show", "s.yaml")
    assert code == 2 and out == ""
    assert err == ("error: s.yaml:2: invalid date `1941-13-01` (month must be in 1..12); "
                   "expected an ISO date such as 1941-07-02\n")
    code, _, err = run(capsys, "show", "s.yaml", "--format", "xml")
    assert code == 2 and "Invalid value for '--format'" in err


# --------------------------------------------------------------------------------------------
# params
# --------------------------------------------------------------------------------------------


def test_params_table_lists_every_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "params", "--wide")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["parameter", "default", "unit", "credible", "allowed",
                                "description", "source"]
    assert [line.split()[0] for line in lines[2:]] == REG.names()
    row = next(x for x in lines if x.startswith("khalkhin_gol.soviet_men "))
    assert "pert(low=50000, mode=57000, high=73961, shape=4)" in row
    assert "[50000, 73961]" in row and "whole number [0, 500000]" in row and row.endswith("KG-03")


def test_params_text_fits_100_columns_with_descriptions(
    capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "params")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 100
    firsts = [line.split()[0] for line in out.splitlines() if line.startswith("  ")
              and not line.startswith("   ")]
    assert firsts == REG.names()
    for p in REG:
        words = " ".join(p.description.split())[:30]
        assert words in " ".join(out.split()), p.name
    block = out[out.index("  khalkhin_gol.soviet_men = "):]
    assert block.splitlines()[0].endswith(" men")
    assert "source KG-03" in " ".join(block.split("\n  khalkhin_gol.")[0].split())


def test_params_csv_has_every_parameter_and_its_description(
    capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io

    code, out, _ = run(capsys, "params", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["parameter"] for r in rows] == REG.names()
    assert {r["parameter"]: r["description"] for r in rows} == {
        p.name: " ".join(p.description.split()) for p in REG}
    code, _, err = run(capsys, "params", "--format", "csv", "--wide")
    assert code == 2 and err.startswith("error: --wide") and err.count("\n") == 1


def test_params_group_filter_and_unknown_group(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "params", "--group", "embargo", "--wide")
    assert [line.split()[0] for line in out.splitlines()[2:]] == ["embargo.date",
                                                                   "embargo.enabled"]
    code, out, err = run(capsys, "params", "-g", "khalkin")
    assert code == 2 and out == ""
    assert err == ("error: --group: `khalkin`: unknown parameter group (did you mean "
                   "`khalkhin_gol`?); expected one of china, decision, embargo, kantokuen, "
                   "khalkhin_gol, simulation\n")


def test_params_markdown_is_the_generated_reference(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "params", "--format", "markdown")
    assert out == render_markdown(REG)
    _, out, _ = run(capsys, "params", "--format", "markdown", "--group", "china")
    assert "## `china`" in out and "## `embargo`" not in out


def test_params_json(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "params", "--format", "json")
    data = json.loads(out)
    assert [p["name"] for p in data] == REG.names()
    date = next(p for p in data if p["name"] == "embargo.date")
    assert date["default"] == "1941-08-01"
    assert date["credible"] == ["1941-07-25", "1941-08-15"]
    assert date["kind"] == "date" and date["source"] == "EM-02"
    pert = next(p for p in data if p["name"] == "khalkhin_gol.soviet_men")
    assert pert["default"] == {"dist": "pert", "low": 50000.0, "mode": 57000.0, "high": 73961.0,
                               "shape": 4.0}


# --------------------------------------------------------------------------------------------
# The real registry and scenario files
# --------------------------------------------------------------------------------------------


def test_real_scenarios_validate_and_show(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = pytest.importorskip("sim.registry").REGISTRY
    folder = Path(__file__).resolve().parents[1] / "scenarios"
    files = sorted(folder.glob("*.yaml"))
    if not files:
        pytest.skip("no scenarios/*.yaml yet")
    monkeypatch.setattr(scenario_cmds, "get_registry", lambda: registry)
    code, out, err = run(capsys, "validate", str(folder))
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"ok  {f}" for f in files]
    for path in files:
        code, out, err = run(capsys, "show", str(path), "--format", "yaml", "--all")
        assert (code, err) == (0, "")
        Path("flat.yaml").write_text(out)
        assert (load_scenario("flat.yaml").content_hash()
                == load_scenario(path).content_hash())
    code, out, _ = run(capsys, "params", "--wide")
    assert code == 0 and len(out.splitlines()) == len(registry) + 2
