"""Scenario loading: files, `extends` chains, overrides, provenance, every user error.

Most tests run against a small registry built here (:func:`make_test_registry`) so that they
do not depend on the model's parameter table; the last ones load the real `scenarios/*.yaml`
against the real registry.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
import textwrap
from pathlib import Path

import numpy as np
import pytest

from sim.distributions import Choice, Pert, Triangular, Uniform, parse_distribution
from sim.errors import ScenarioError, UserError
from sim.params import Param, Registry
from sim.scenario import Scenario, load_scenario, parse_set, scenario_from_dict, source

REPO = Path(__file__).resolve().parents[1]


def make_test_registry() -> Registry:
    """A small registry with one parameter of every kind, named like the real ones."""
    return Registry([
        Param("simulation.horizon", dt.date(1945, 8, 15), "", "project", "Last simulated day",
              kind="date", bounds=(dt.date(1939, 6, 1), dt.date(1950, 12, 31))),
        Param("khalkhin_gol.enabled", True, "", "KG-01", "Whether the 1939 battle happens",
              kind="bool"),
        Param("khalkhin_gol.soviet_men", Pert(dist="pert", low=50000, mode=57000, high=73961),
              "men", "KG-03", "Soviet-Mongol men in late August 1939", kind="int",
              credible=(50000, 73961), bounds=(0, 500000)),
        Param("khalkhin_gol.japanese_men", 30000, "men", "KG-09", "Japanese men on the field",
              kind="int", credible=(20000, 38000), bounds=(0, 500000)),
        Param("khalkhin_gol.soviet_trucks", 4000, "trucks", "KG-08",
              "Soviet trucks on the railhead-to-front leg", kind="int", credible=(2600, 4000),
              bounds=(0, None)),
        Param("khalkhin_gol.truck_haul_km", 675.0, "km", "KG-26", "Railhead-to-front truck leg",
              credible=(650.0, 750.0), bounds=(0.0, 3000.0)),
        Param("khalkhin_gol.outcome", "simulated", "", "KG-25", "Force the battle's result",
              kind="choice", choices=("simulated", "soviet_victory", "japanese_success")),
        Param("embargo.enabled", True, "", "EM-01", "Whether the US bans oil exports",
              kind="bool"),
        Param("embargo.date", dt.date(1941, 8, 1), "", "EM-02", "Date of the US oil ban",
              kind="date", credible=(dt.date(1941, 7, 25), dt.date(1941, 8, 15)),
              bounds=(dt.date(1939, 1, 1), dt.date(1945, 8, 15))),
        Param("china.drain_multiplier", 1.0, "x historical", "CH-01",
              "Scale on the China war's drain of men and oil", credible=(0.5, 1.5),
              bounds=(0.0, 5.0)),
        Param("decision.force", "free", "", "project", "Force the strategic decision",
              kind="choice", choices=("free", "north", "south", "hold")),
        Param("kantokuen.persimmon_threshold", 0.5, "fraction", "KT-06",
              "Share of Soviet Far East forces gone west that Japan required",
              credible=(0.3, 0.6), bounds=(0.0, 1.0)),
    ])


REG = make_test_registry()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load(path: Path | str, overrides=(), **kw) -> Scenario:
    return load_scenario(path, overrides, registry=REG, **kw)


def error_of(path: Path | str, overrides=()) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load(path, overrides)
    message = str(info.value)
    assert len(message.splitlines()) == 1, message
    return info.value


@pytest.fixture()
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from tmp_path so that relative paths look as a user would type them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def test_minimal_file_resolves_every_parameter_to_its_default(in_tmp: Path) -> None:
    write(in_tmp, "base.yaml", "params: {}\n")
    s = load("base.yaml")
    assert s.name == "base"
    assert s.description == ""
    assert list(s.values) == REG.names()
    assert dict(s.values) == REG.defaults()
    assert set(s.provenance.values()) == {"default"}
    assert s.chain == (Path("base.yaml"),)
    assert s.path == Path("base.yaml")
    assert s.differences() == {}


def test_nested_and_dotted_keys_with_line_provenance(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", """
        # What if the embargo came later?
        name: late-embargo
        description: >
          The United States waits a month.
        params:
          embargo.date: 1941-09-01
          khalkhin_gol:
            soviet_men: {dist: triangular, low: 50000, mode: 57000, high: 73961}
            enabled: false
          decision:
            force: north
          china.drain_multiplier: 2
    """)
    s = load("s.yaml")
    assert s.name == "late-embargo"
    assert s.description == "The United States waits a month."
    assert s.values["embargo.date"] == dt.date(1941, 9, 1)
    assert s.values["khalkhin_gol.soviet_men"] == Triangular(
        dist="triangular", low=50000, mode=57000, high=73961)
    assert s.values["khalkhin_gol.enabled"] is False
    assert s.values["decision.force"] == "north"
    assert s.values["china.drain_multiplier"] == 2.0
    assert isinstance(s.values["china.drain_multiplier"], float)
    assert s.provenance["embargo.date"] == "s.yaml:6"
    assert s.provenance["khalkhin_gol.soviet_men"] == "s.yaml:8"
    assert s.provenance["khalkhin_gol.enabled"] == "s.yaml:9"
    assert s.provenance["decision.force"] == "s.yaml:11"
    assert s.provenance["china.drain_multiplier"] == "s.yaml:12"
    assert s.provenance["embargo.enabled"] == "default"
    assert list(s.differences()) == [
        "china.drain_multiplier", "decision.force", "embargo.date", "khalkhin_gol.enabled",
        "khalkhin_gol.soviet_men",
    ]
    assert s.differences()["decision.force"] == ("free", "north")


def test_value_equal_to_default_keeps_its_file_provenance(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", "params:\n  embargo:\n    enabled: true\n")
    s = load("s.yaml")
    assert s.provenance["embargo.enabled"] == "s.yaml:3"
    assert s.differences() == {}
    assert s.is_default("embargo.enabled")


def test_quoted_iso_dates_and_datetimes_are_dates(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", """
        params:
          embargo.date: "1941-08-10"
          simulation.horizon: 1944-12-31 12:00:00
    """)
    s = load("s.yaml")
    assert s.values["embargo.date"] == dt.date(1941, 8, 10)
    assert s.values["simulation.horizon"] == dt.date(1944, 12, 31)
    assert type(s.values["simulation.horizon"]) is dt.date


def test_date_distribution_and_choice_of_bools(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", """
        params:
          embargo:
            date: {dist: uniform, low: 1941-07-25, high: 1941-08-15}
            enabled: {dist: choice, values: [true, false], weights: [3, 1]}
    """)
    s = load("s.yaml")
    assert s.values["embargo.date"] == Uniform(
        dist="uniform", low=dt.date(1941, 7, 25), high=dt.date(1941, 8, 15))
    assert s.values["embargo.enabled"] == Choice(
        dist="choice", values=[True, False], weights=[3, 1])


def test_choice_values_are_normalised_to_the_parameter_kind(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", "params:\n  china.drain_multiplier: {dist: choice, values: [1, 2]}\n")
    s = load("s.yaml")
    assert s.values["china.drain_multiplier"].values == [1.0, 2.0]
    assert all(type(v) is float for v in s.values["china.drain_multiplier"].values)


def test_integer_parameter_accepts_whole_floats_and_underscores(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", "params:\n  khalkhin_gol:\n    japanese_men: 38_000\n")
    assert load("s.yaml").values["khalkhin_gol.japanese_men"] == 38000
    write(in_tmp, "t.yaml", "params:\n  khalkhin_gol:\n    japanese_men: 38000.0\n")
    value = load("t.yaml").values["khalkhin_gol.japanese_men"]
    assert value == 38000 and type(value) is int


def test_yaml_anchors_and_merge_keys_are_plain_data(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", """
        params:
          khalkhin_gol:
            soviet_men: &force {dist: triangular, low: 20000, mode: 30000, high: 38000}
            japanese_men: *force
    """)
    s = load("s.yaml")
    assert s.values["khalkhin_gol.soviet_men"] == s.values["khalkhin_gol.japanese_men"]


def test_empty_params_and_bare_top_level_are_defaults(in_tmp: Path) -> None:
    write(in_tmp, "a.yaml", "name: nothing-changes\nparams:\n")
    assert load("a.yaml").differences() == {}
    write(in_tmp, "b.yaml", "{}\n")
    assert load("b.yaml").name == "b"


def test_absolute_path_stays_absolute_in_provenance(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", "params:\n  embargo.enabled: false\n")
    s = load(path)
    assert s.provenance["embargo.enabled"] == f"{path}:2"


# --------------------------------------------------------------------------------------------
# Inheritance
# --------------------------------------------------------------------------------------------


def three_level_chain(root: Path) -> None:
    write(root, "scenarios/historical.yaml", """
        name: historical
        description: What happened.
        params:
          embargo:
            date: 1941-08-01
            enabled: true
          china.drain_multiplier: 1.0
          decision.force: free
    """)
    write(root, "scenarios/variants/late.yaml", """
        extends: ../historical.yaml
        params:
          embargo.date: 1941-10-01
          decision.force: south
    """)
    write(root, "scenarios/variants/late-north.yaml", """
        name: late-north
        extends: late.yaml
        params:
          decision:
            force: north
    """)


def test_three_level_chain_precedence_and_provenance(in_tmp: Path) -> None:
    three_level_chain(in_tmp)
    s = load("scenarios/variants/late-north.yaml")
    assert s.name == "late-north"
    assert s.description == ""  # a description says what *this* file asks; not inherited
    assert s.chain == (
        Path("scenarios/variants/late-north.yaml"),
        Path("scenarios/variants/late.yaml"),
        Path("scenarios/historical.yaml"),
    )
    assert s.values["decision.force"] == "north"
    assert s.provenance["decision.force"] == "scenarios/variants/late-north.yaml:5"
    assert s.values["embargo.date"] == dt.date(1941, 10, 1)
    assert s.provenance["embargo.date"] == "scenarios/variants/late.yaml:3"
    assert s.values["embargo.enabled"] is True
    assert s.provenance["embargo.enabled"] == "scenarios/historical.yaml:6"
    assert s.provenance["china.drain_multiplier"] == "scenarios/historical.yaml:7"
    assert s.provenance["khalkhin_gol.enabled"] == "default"


def test_overrides_apply_after_the_whole_chain(in_tmp: Path) -> None:
    three_level_chain(in_tmp)
    s = load("scenarios/variants/late-north.yaml",
             ["decision.force=hold", "params.embargo.date=1941-11-01"])
    assert s.values["decision.force"] == "hold"
    assert s.provenance["decision.force"] == "--set"
    assert s.values["embargo.date"] == dt.date(1941, 11, 1)
    assert s.provenance["embargo.date"] == "--set"
    m = load("scenarios/variants/late-north.yaml", {"decision.force": "hold",
                                                    "embargo.date": "1941-11-01"})
    assert m.values == s.values and m.provenance == s.provenance


def test_extends_from_another_directory_resolves_relative_to_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_level_chain(tmp_path)
    monkeypatch.chdir(tmp_path / "scenarios")
    s = load("variants/late.yaml")
    assert s.chain == (Path("variants/late.yaml"), Path("historical.yaml"))
    assert s.provenance["embargo.enabled"] == "historical.yaml:6"


def test_extends_cycle_names_the_cycle(in_tmp: Path) -> None:
    write(in_tmp, "a.yaml", "extends: b.yaml\n")
    write(in_tmp, "b.yaml", "params: {}\nextends: c.yaml\n")
    write(in_tmp, "c.yaml", "extends: a.yaml\n")
    err = error_of("a.yaml")
    assert str(err) == ("c.yaml:1: `extends`: extends cycle: a.yaml -> b.yaml -> c.yaml -> "
                        "a.yaml; expected a chain that ends in a file without `extends`")


def test_extends_itself(in_tmp: Path) -> None:
    write(in_tmp, "a.yaml", "extends: ./a.yaml\n")
    assert "extends cycle: a.yaml -> a.yaml" in str(error_of("a.yaml"))


def test_extends_missing_target(in_tmp: Path) -> None:
    write(in_tmp, "a.yaml", "name: a\nextends: nowhere.yaml\n")
    err = error_of("a.yaml")
    assert str(err).startswith("a.yaml:2: `extends`: extends `nowhere.yaml`, which does not exist")
    assert (err.file, err.line, err.key) == ("a.yaml", 2, "extends")


def test_error_in_extended_file_names_that_file(in_tmp: Path) -> None:
    three_level_chain(in_tmp)
    (in_tmp / "scenarios/historical.yaml").write_text("params:\n  embargo.enabled: maybe\n")
    err = error_of("scenarios/variants/late.yaml")
    assert str(err) == ("scenarios/historical.yaml:2: `embargo.enabled`: expected true or false, "
                        "got 'maybe'")


# --------------------------------------------------------------------------------------------
# Overrides and --set parsing
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("expr", "expected"), [
    ("embargo.enabled=false", ("embargo.enabled", False)),
    ("params.embargo.enabled=no", ("embargo.enabled", False)),
    ("china.drain_multiplier=0.3", ("china.drain_multiplier", 0.3)),
    ("embargo.date=1941-08-01", ("embargo.date", dt.date(1941, 8, 1))),
    (" decision.force = north ", ("decision.force", "north")),
    ("x={dist: uniform, low: 1, high: 2}", ("x", {"dist": "uniform", "low": 1, "high": 2})),
    ("a=b=c", ("a", "b=c")),
])
def test_parse_set(expr: str, expected: tuple) -> None:
    assert parse_set(expr) == expected


def test_set_distribution_and_group_mapping(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", "{}\n")
    s = load("s.yaml", ["china.drain_multiplier={dist: uniform, low: 0.5, high: 1.5}",
                        "khalkhin_gol={enabled: false, outcome: soviet_victory}"])
    assert s.values["china.drain_multiplier"] == Uniform(dist="uniform", low=0.5, high=1.5)
    assert s.values["khalkhin_gol.enabled"] is False
    assert s.values["khalkhin_gol.outcome"] == "soviet_victory"
    assert s.provenance["khalkhin_gol.outcome"] == "--set"


def test_last_override_wins(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", "{}\n")
    s = load("s.yaml", ["decision.force=north", "decision.force=south"])
    assert s.values["decision.force"] == "south"


def test_with_overrides_records_origin_and_leaves_original_untouched(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", "{}\n")
    s = load("s.yaml")
    t = s.with_overrides({"embargo.enabled": False}, origin="sweep")
    assert s.values["embargo.enabled"] is True and s.provenance["embargo.enabled"] == "default"
    assert t.values["embargo.enabled"] is False and t.provenance["embargo.enabled"] == "sweep"
    assert t.differences(s) == {"embargo.enabled": (True, False)}
    assert s.with_overrides({}) is s


def test_with_overrides_accepts_distribution_objects(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", "{}\n")
    d = parse_distribution({"dist": "beta", "alpha": 2, "beta": 3})
    t = load("s.yaml").with_overrides({"kantokuen.persimmon_threshold": d})
    assert t.values["kantokuen.persimmon_threshold"] == d


def test_overrides_accept_numpy_scalars(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", "{}\n")
    t = load("s.yaml").with_overrides({"china.drain_multiplier": np.float64(0.5),
                                       "khalkhin_gol.japanese_men": np.int64(31000),
                                       "embargo.enabled": np.bool_(False)}, origin="--vary")
    assert t.values["khalkhin_gol.japanese_men"] == 31000
    assert type(t.values["khalkhin_gol.japanese_men"]) is int
    assert t.values["embargo.enabled"] is False
    assert type(t.values["china.drain_multiplier"]) is float
    assert t.provenance["embargo.enabled"] == "--vary"


# --------------------------------------------------------------------------------------------
# to_dict / scenario_from_dict / content_hash / sampler
# --------------------------------------------------------------------------------------------


def rich_scenario(root: Path) -> Scenario:
    three_level_chain(root)
    return load(root / "scenarios/variants/late-north.yaml", [
        "embargo.date={dist: triangular, low: 1941-07-25, mode: 1941-08-01, high: 1941-09-15}",
        "khalkhin_gol.enabled={dist: choice, values: [true, false], weights: [0.9, 0.1]}",
        "china.drain_multiplier={dist: normal, mean: 1, sd: 0.2, low: 0.5, high: 1.5}",
        "kantokuen.persimmon_threshold={dist: beta, alpha: 5, beta: 5}",
        "khalkhin_gol.soviet_trucks={dist: lognormal, p05: 2600, p95: 4000}",
        "simulation.horizon={dist: choice, values: [1944-12-31, 1945-08-15]}",
        "decision.force={dist: choice, values: [north, south]}",
    ])


def test_to_dict_round_trips_exactly_through_json(tmp_path: Path) -> None:
    s = rich_scenario(tmp_path)
    data = s.to_dict()
    text = json.dumps(data)
    back = scenario_from_dict(json.loads(text), registry=REG)
    assert back == s
    assert back.to_dict() == data
    assert back.content_hash() == s.content_hash()
    assert back.chain == s.chain and back.path == s.path
    assert dict(back.provenance) == dict(s.provenance)
    assert data["values"]["embargo.date"] == {
        "dist": "triangular", "low": "1941-07-25", "mode": "1941-08-01", "high": "1941-09-15"}
    assert data["values"]["simulation.horizon"]["values"] == ["1944-12-31", "1945-08-15"]


def test_scenarios_pickle_and_copy_for_worker_processes(tmp_path: Path) -> None:
    s = rich_scenario(tmp_path)
    for clone in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s)):
        assert clone == s and clone.content_hash() == s.content_hash()
        assert clone.registry.names() == REG.names()
        assert dict(clone.provenance) == dict(s.provenance)


def test_scenario_from_dict_errors_are_user_errors() -> None:
    with pytest.raises(ScenarioError, match=r"manifest.json: `values.embargo.enabld`: unknown "
                                            r"parameter \(did you mean `embargo.enabled`\?\)"):
        scenario_from_dict({"name": "x", "values": {"embargo.enabld": True}}, registry=REG,
                           source="manifest.json")
    with pytest.raises(ScenarioError, match="expected true or false"):
        scenario_from_dict({"name": "x", "values": {"embargo.enabled": "yes"}}, registry=REG)
    with pytest.raises(ScenarioError, match="`name`: expected the scenario name"):
        scenario_from_dict({"values": {}}, registry=REG)
    with pytest.raises(ScenarioError, match=r"unknown key \(did you mean `values`\?\)"):
        scenario_from_dict({"name": "x", "vaules": {}}, registry=REG)


def test_content_hash_is_stable_and_depends_only_on_values(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "name: a\nparams:\n  embargo.enabled: false\n")
    write(tmp_path, "b.yaml", "name: b\ndescription: other words\nparams:\n"
                              "  embargo:\n    enabled: false\n")
    a, b = load(tmp_path / "a.yaml"), load(tmp_path / "b.yaml")
    assert a.content_hash() == b.content_hash()
    assert a.content_hash() != a.with_overrides({"embargo.enabled": True}).content_hash()
    nudged = a.with_overrides({"china.drain_multiplier": 1.0000001})
    assert a.content_hash() != nudged.content_hash()
    # A pinned value: the hash must not change across Python versions, machines or runs.
    defaults = scenario_from_dict({"name": "d"}, registry=REG)
    assert defaults.content_hash() == PINNED_DEFAULT_HASH


PINNED_DEFAULT_HASH = "5d4cc6189138cfb8a1369fc611f81c333b2e756ec79083cedec410e53a310167"


def test_sampler_uses_registry_order_and_common_random_numbers(tmp_path: Path) -> None:
    s = rich_scenario(tmp_path)
    sampler = s.sampler()
    u = np.linspace(0.05, 0.95, len(REG))
    first, again = sampler.draw(u), sampler.draw(u.copy())
    assert first == again
    assert set(first) == set(REG.names())
    # changing one parameter's distribution leaves every other draw unchanged
    t = s.with_overrides({"china.drain_multiplier": {"dist": "uniform", "low": 0, "high": 3}})
    other = t.sampler().draw(u)
    changed = {k for k in first if first[k] != other[k]}
    assert changed == {"china.drain_multiplier"}
    idx = REG.index("china.drain_multiplier")
    assert other["china.drain_multiplier"] == pytest.approx(3 * u[idx])
    assert isinstance(first["khalkhin_gol.soviet_trucks"], int)
    assert isinstance(first["embargo.date"], dt.date)


# --------------------------------------------------------------------------------------------
# Errors: one line, file, line, key, what was wrong, what was expected
# --------------------------------------------------------------------------------------------


def test_file_missing(in_tmp: Path) -> None:
    err = error_of("nope.yaml")
    assert str(err) == "nope.yaml: file not found; expected a scenario YAML file"


def test_file_is_a_directory(in_tmp: Path) -> None:
    (in_tmp / "scenarios").mkdir()
    assert str(error_of("scenarios")) == "scenarios: is a directory; expected a scenario YAML file"


def test_file_unreadable(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(in_tmp, "s.yaml", "{}\n")

    def refuse(path: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(path))

    # chmod 0 does not stop root (CI containers), so simulate what the OS would say
    monkeypatch.setattr(source, "read_bounded", refuse)
    assert str(error_of("s.yaml")) == "s.yaml: cannot read the file: permission denied"


def test_file_read_fails_with_os_error(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(in_tmp, "s.yaml", "{}\n")

    def broken(path: Path) -> bytes:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(source, "read_bounded", broken)
    assert str(error_of("s.yaml")) == "s.yaml: cannot read the file: Input/output error"


def test_file_not_utf8(in_tmp: Path) -> None:
    (in_tmp / "s.yaml").write_bytes(b"name: \xff\xfe\n")
    assert "s.yaml: is not UTF-8 text (byte 0xff at offset 6)" in str(error_of("s.yaml"))


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(in_tmp: Path, text: str) -> None:
    (in_tmp / "s.yaml").write_text(text)
    assert str(error_of("s.yaml")).startswith("s.yaml: file is empty; expected a mapping")


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("params:\n  embargo: {enabled: false\n", 3, "invalid YAML"),
    ("params:\n  embargo:\n    enabled: false\n   date: 1941-01-01\n", 4, "invalid YAML"),
    ("params:\n\tembargo: {}\n", 2, "invalid YAML"),
    ("name: [a, b\n", 2, "invalid YAML"),
    ("name: x\n---\nname: y\n", 2, "invalid YAML"),
    ("params: *nothing\n", 1, "invalid YAML"),
])
def test_broken_yaml_reports_the_line(in_tmp: Path, text: str, line: int, fragment: str) -> None:
    (in_tmp / "s.yaml").write_text(text)
    err = error_of("s.yaml")
    assert err.file == "s.yaml" and err.line == line, str(err)
    assert str(err).startswith(f"s.yaml:{line}: {fragment}")


def test_broken_yaml_hints_at_tabs_and_indentation(in_tmp: Path) -> None:
    (in_tmp / "tabs.yaml").write_text("params:\n\tembargo: {}\n")
    assert str(error_of("tabs.yaml")).endswith(
        "; YAML does not allow tabs for indentation, use spaces")
    (in_tmp / "indent.yaml").write_text("params:\n  embargo:\n    enabled: false\n"
                                        "   date: 1941-01-01\n")
    assert str(error_of("indent.yaml")).startswith("indent.yaml:4: invalid YAML:")
    assert str(error_of("indent.yaml")).endswith(
        "; check the indentation of this line and the one above")


def test_python_tags_are_refused_never_run(in_tmp: Path) -> None:
    marker = in_tmp / "pwned"
    write(in_tmp, "s.yaml", f"""
        name: x
        params:
          embargo.enabled: !!python/object/apply:os.system ["touch {marker}"]
    """)
    err = error_of("s.yaml")
    assert str(err).startswith(
        "s.yaml:3: unsupported YAML tag `tag:yaml.org,2002:python/object/apply:os.system`")
    assert not marker.exists()


@pytest.mark.parametrize(("text", "message"), [
    ("- a\n- b\n", "s.yaml:1: expected a mapping with some of name, question, description, "
                   "extends, params, posterior at the top level, got a list"),
    ("just words\n", "s.yaml:1: expected a mapping with some of name, question, description, "
                     "extends, params, posterior at the top level, got the single value `just words`"),
    ("name: x\nparam:\n  embargo.enabled: false\n",
     "s.yaml:2: `param`: unknown top-level key (did you mean `params`?); expected name, "
     "question, description, extends, params, posterior"),
    ("embargo:\n  enabled: false\n",
     "s.yaml:1: `embargo`: unknown top-level key (parameters go under `params:`, e.g. "
     "`params: {embargo: ...}`); expected name, question, description, extends, params, posterior"),
    ("name: 1941\n", "s.yaml:1: `name`: expected text, got `1941` (quote it if it looks like a "
                     "number or date)"),
    ("name: ''\n", "s.yaml:1: `name`: expected a short single-line name (at most 200 characters)"),
    ("extends: [a.yaml]\n", "s.yaml:1: `extends`: expected the path of another scenario file "
                            "such as historical.yaml, got a list"),
    ("params: [embargo]\n", "s.yaml:1: `params`: expected a mapping of parameter groups such as "
                            "`embargo: {enabled: false}`, got a list"),
])
def test_top_level_errors(in_tmp: Path, text: str, message: str) -> None:
    (in_tmp / "s.yaml").write_text(text)
    assert str(error_of("s.yaml")) == message


@pytest.mark.parametrize(("params", "message"), [
    # unknown group / parameter, with "did you mean"
    ("khalkin_gol:\n    enabled: false",
     "s.yaml:2: `khalkin_gol`: unknown parameter group (did you mean `khalkhin_gol`?)"),
    ("khalkin_gol.enabled: false",
     "s.yaml:2: `khalkin_gol.enabled`: unknown parameter (did you mean `khalkhin_gol.enabled`?)"),
    ("khalkin_gol: {}",
     "s.yaml:2: `khalkin_gol`: unknown parameter group (did you mean `khalkhin_gol`?); known "
     "parameter groups: china, decision, embargo, kantokuen, khalkhin_gol, simulation"),
    ("embargo.dat: 1941-01-01",
     "s.yaml:2: `embargo.dat`: unknown parameter (did you mean `embargo.date`?); known parameters "
     "in `embargo`: date, enabled"),
    ("khalkhin_gol:\n    soviet_mne: 1",
     "s.yaml:3: `khalkhin_gol.soviet_mne`: unknown parameter (did you mean "
     "`khalkhin_gol.soviet_men`?)"),
    ("zzz.yyy: 1", "s.yaml:2: `zzz.yyy`: unknown parameter; known parameter groups:"),
    # wrong type
    ("embargo.enabled: 'no'", "s.yaml:2: `embargo.enabled`: expected true or false, got 'no'"),
    ("china.drain_multiplier: lots",
     "s.yaml:2: `china.drain_multiplier`: expected a number (x historical), got 'lots'"),
    ("khalkhin_gol.japanese_men: 3.5",
     "s.yaml:2: `khalkhin_gol.japanese_men`: expected a whole number (men), got 3.5"),
    ("china.drain_multiplier: [1, 2]",
     "s.yaml:2: `china.drain_multiplier`: expected a number in [0, 5] (x historical), got a "
     "list; for several possible values use {dist: choice, values: [...]}"),
    ("china.drain_multiplier: .nan",
     "s.yaml:2: `china.drain_multiplier`: expected a finite number (x historical), got nan"),
    ("china.drain_multiplier:",
     "s.yaml:2: `china.drain_multiplier`: no value given; expected a number in [0, 5] "
     "(x historical)"),
    ("embargo: false",
     "s.yaml:2: `embargo`: is a group of parameters, not a single value; expected a mapping of "
     "its parameters (date, enabled) such as `embargo: {date: ...}`"),
    ("1941: x", "s.yaml:2: parameter names must be text such as `embargo`, got `1941`"),
    ("embargo..date: 1941-01-01",
     "s.yaml:2: `embargo..date`: empty part in a dotted name; expected names such as "
     "`embargo.date`"),
    # out of bounds
    ("kantokuen.persimmon_threshold: 1.5",
     "s.yaml:2: `kantokuen.persimmon_threshold`: expected a value in [0, 1] (fraction), got 1.5"),
    ("khalkhin_gol.japanese_men: -5",
     "s.yaml:2: `khalkhin_gol.japanese_men`: expected a value in [0, 500000] (men), got -5"),
    # dates
    ("embargo.date: 1941-13-02",
     "s.yaml:2: invalid date `1941-13-02` (month must be in 1..12); expected an ISO date such "
     "as 1941-07-02"),
    ("embargo.date: July 1941",
     "s.yaml:2: `embargo.date`: expected an ISO date such as 1941-07-02, got 'July 1941'"),
    ("embargo.date: '1941-02-30'",
     "s.yaml:2: `embargo.date`: expected an ISO date such as 1941-07-02, got '1941-02-30' "
     "(day is out of range for month)"),
    ("embargo.date: 1936-01-01",
     "s.yaml:2: `embargo.date`: expected a value in [1939-01-01, 1945-08-15], got 1936-01-01"),
    ("embargo.date: 19410801",
     "s.yaml:2: `embargo.date`: expected an ISO date such as 1941-07-02, got 19410801"),
    # choices
    ("decision.force: east",
     "s.yaml:2: `decision.force`: expected one of free, north, south, hold, got 'east'"),
    # distributions
    ("china.drain_multiplier: {dist: gaussian, mean: 1, sd: 1}",
     "s.yaml:2: `china.drain_multiplier`: bad distribution: unknown distribution `gaussian`; "
     "expected one of normal, lognormal, uniform, triangular, pert, beta, choice"),
    ("china.drain_multiplier: {dist: uniform, low: 1}",
     "s.yaml:2: `china.drain_multiplier`: bad distribution: uniform: `high` is required"),
    ("china.drain_multiplier: {dist: uniform, low: 1, high: 2, mode: 1.5}",
     "s.yaml:2: `china.drain_multiplier`: bad distribution: uniform: `mode` is not a known field"),
    ("china.drain_multiplier: {dist: uniform, low: 2, high: 1}",
     "s.yaml:2: `china.drain_multiplier`: bad distribution: uniform: needs low < high (got "
     "low=2, high=1)"),
    ("china.drain_multiplier: {dist: triangular, low: 0.5, mode: 2, high: 1.5}",
     "s.yaml:2: `china.drain_multiplier`: bad distribution: triangular: needs low <= mode <= "
     "high and low < high (got low=0.5, mode=2, high=1.5)"),
    ("china.drain_multiplier: {dist: choice, values: [1, 2], weights: [1]}",
     "s.yaml:2: `china.drain_multiplier`: bad distribution: choice: needs one weight per value "
     "(got 1 weights for 2 values)"),
    ("china.drain_multiplier: {dist: uniform, low: 0, high: .inf}",
     "s.yaml:2: `china.drain_multiplier`: bad distribution: `high` must be a finite number"),
    ("china.drain_multiplier: {low: 1, high: 2}",
     "s.yaml:2: `china.drain_multiplier`: got a mapping (`low`, `high`) but no `dist` key; "
     "expected a number in [0, 5] (x historical) or a distribution such as {dist: triangular"),
    ("china.drain_multiplier: {dist: uniform, low: 1, high: 9}",
     "s.yaml:2: `china.drain_multiplier`: bad distribution for this parameter: uniform(low=1, "
     "high=9) can fall outside the allowed range [0, 5] (x historical); truncate it or narrow it"),
    ("china.drain_multiplier: {dist: normal, mean: 1, sd: 2}",
     "s.yaml:2: `china.drain_multiplier`: bad distribution for this parameter: normal(mean=1, "
     "sd=2) can fall outside the allowed range"),
    ("embargo.date: {dist: uniform, low: 1, high: 2}",
     "s.yaml:2: `embargo.date`: bad distribution for this parameter: distribution bounds must "
     "be ISO dates for this parameter"),
    ("embargo.date: {dist: uniform, low: 1941-01-01, high: 2}",
     "s.yaml:2: `embargo.date`: bad distribution: uniform: bounds must be all numbers or all ISO "
     "dates"),
    ("embargo.enabled: {dist: uniform, low: 0, high: 1}",
     "s.yaml:2: `embargo.enabled`: bad distribution for this parameter: a true/false parameter "
     "can only take a `choice` of true/false"),
    ("embargo.enabled: {dist: choice, values: [0, 1]}",
     "s.yaml:2: `embargo.enabled`: expected true or false, got 0"),
    ("decision.force: {dist: choice, values: [north, west]}",
     "s.yaml:2: `decision.force`: expected one of free, north, south, hold, got 'west'"),
    ("decision.force: {dist: uniform, low: 0, high: 1}",
     "s.yaml:2: `decision.force`: bad distribution for this parameter: a categorical parameter "
     "can only take a `choice` distribution"),
    # the same parameter twice in one file
    ("embargo:\n    enabled: false\n  embargo.enabled: true",
     "s.yaml:4: `embargo.enabled`: set twice in this file (first at line 3), once nested and "
     "once dotted or repeated; expected each parameter once"),
    ("embargo:\n    enabled: false\n    enabled: true",
     "s.yaml:4: `embargo.enabled`: duplicate key (first at line 3); YAML would silently keep the "
     "last one, expected each key once"),
    ("embargo: {}\n  china: {}\n  embargo: {enabled: false}",
     "s.yaml:4: `embargo`: duplicate key (first at line 2)"),
])
def test_parameter_errors(in_tmp: Path, params: str, message: str) -> None:
    (in_tmp / "s.yaml").write_text("params:\n  " + params + "\n")
    assert str(error_of("s.yaml")).startswith(message)


def test_duplicate_top_level_key(in_tmp: Path) -> None:
    (in_tmp / "s.yaml").write_text("name: a\nparams: {}\nname: b\n")
    assert str(error_of("s.yaml")) == ("s.yaml:3: `name`: duplicate key (first at line 1); YAML "
                                       "would silently keep the last one, expected each key once")


def billion_laughs(levels: int = 9) -> str:
    """A list whose aliases expand to 9**levels items: must be refused without expanding."""
    parts = ["&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        parts.append(f"&l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "[" + ", ".join(parts) + "]"


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("where", "located"), [
    ("description: {}\n", "s.yaml:1: `description`"),
    ("params:\n  decision.force: {}\n", "s.yaml:2: `decision.force`"),
    ("params:\n  decision.force: {{dist: choice, values: {}}}\n",
     "s.yaml:2: `decision.force.values`"),
    ("name: x\nextends: {}\n", "s.yaml:2: `extends`"),
])
def test_alias_bombs_are_refused_quickly(in_tmp: Path, where: str, located: str) -> None:
    """Refused before any value is built, at the key whose value expands too far."""
    (in_tmp / "s.yaml").write_text(where.format(billion_laughs()))
    message = str(error_of("s.yaml"))
    assert len(message) < 400, message
    assert message == (f"{located}: the document expands to more than 100,000 values (YAML "
                       "aliases `*name` repeat what `&name` names each time they appear); "
                       "expected a scenario of plain values")


def test_open_bounds_read_naturally(in_tmp: Path) -> None:
    (in_tmp / "s.yaml").write_text("params:\n  khalkhin_gol.soviet_trucks: -5\n")
    assert str(error_of("s.yaml")) == ("s.yaml:2: `khalkhin_gol.soviet_trucks`: expected a value "
                                       ">= 0 (trucks), got -5")
    (in_tmp / "s.yaml").write_text("params:\n  khalkhin_gol.soviet_trucks:\n")
    assert str(error_of("s.yaml")) == ("s.yaml:2: `khalkhin_gol.soviet_trucks`: no value given; "
                                       "expected a whole number >= 0 (trucks)")


@pytest.mark.parametrize(("text", "message"), [
    ("params:\n  china.drain_multiplier: !!int lots\n",
     "s.yaml:2: cannot read the value `lots` (invalid literal for int() with base 10: 'lots')"),
    ("params:\n  embargo.enabled: !!bool perhaps\n", "s.yaml:2: cannot read the value `perhaps`"),
    ("params:\n  ? [embargo, enabled]\n  : false\n",
     "s.yaml:2: a mapping key must be a plain name, not a list or mapping"),
    ("params:\n  embargo.enabled: !!binary aGVsbG8=\n",
     "s.yaml:2: `embargo.enabled`: expected true or false, got binary data"),
    ("params:\n  china.drain_multiplier: {dist:uniform,low:1,high:2}\n",
     "s.yaml:2: `china.drain_multiplier`: YAML needs a space after each colon inside {...}"),
    ("params:\n  china.drain_multiplier: {dist: uniform, low: true, high: 2}\n",
     "s.yaml:2: `china.drain_multiplier`: bad distribution: `low` must be a number or an ISO "
     "date, got true"),
    ("params:\n  china.drain_multiplier: {dist: uniform, 1: 2}\n",
     "s.yaml:2: `china.drain_multiplier`: distribution field names must be text, got `1`"),
    ("params:\n  decision.force: {dist: choice, values: [[north], south]}\n",
     "s.yaml:2: `decision.force`: choice values must be single values; expected one of free, "
     "north, south, hold"),
    ("name: x\ndescription: {a: 1}\n", "s.yaml:2: `description`: expected text, got a mapping"),
    ("name: true\n", "s.yaml:1: `name`: expected text, got true"),
    ("name: 1941-07-02\n", "s.yaml:1: `name`: expected text, got 1941-07-02"),
    ("extends: ''\n", "s.yaml:1: `extends`: expected the path of another scenario file such as "
                       "historical.yaml, got ``"),
])
def test_odd_yaml_values(in_tmp: Path, text: str, message: str) -> None:
    (in_tmp / "s.yaml").write_text(text)
    assert str(error_of("s.yaml")).startswith(message)


def test_deeply_nested_yaml_is_an_error_not_a_crash(in_tmp: Path) -> None:
    depth = 20000
    (in_tmp / "s.yaml").write_text("params:\n  embargo.enabled: " + "[" * depth + "]" * depth)
    message = str(error_of("s.yaml"))
    assert message.startswith("s.yaml") and len(message) < 300


def test_overrides_in_every_form(in_tmp: Path) -> None:
    write(in_tmp, "s.yaml", "{}\n")
    assert load("s.yaml", "decision.force=north").values["decision.force"] == "north"
    assert load("s.yaml", None).differences() == {}
    with pytest.raises(ScenarioError, match=r"^--set: override names must be text such as "
                                            r"`embargo.enabled`, got `3`$"):
        load("s.yaml", {3: True})
    with pytest.raises(ScenarioError, match=r"^--set: expected KEY=VALUE text such as "
                                            r"embargo.enabled=false, got `3`$"):
        parse_set(3)  # type: ignore[arg-type]


def test_scenarios_hash_like_their_content(in_tmp: Path) -> None:
    write(in_tmp, "a.yaml", "params: {embargo.enabled: false}\n")
    write(in_tmp, "b.yaml", "name: other\nparams: {embargo: {enabled: false}}\n")
    assert hash(load("a.yaml")) == hash(load("b.yaml"))
    assert len({load("a.yaml"), load("a.yaml")}) == 1


@pytest.mark.parametrize(("data", "message"), [
    ([1, 2], "scenario data: expected a mapping with name, values and provenance, got list"),
    ({"name": "x", "description": 3}, "scenario data: `description`: expected text"),
    ({"name": "x", "values": [1]},
     "scenario data: `values`: expected a mapping of parameter values"),
    ({"name": "x", "provenance": {"a": 1}}, "scenario data: `provenance`: expected a mapping of "
                                            "parameter -> origin text"),
    ({"name": "x", "path": 3}, "scenario data: `path`: expected a file path or null"),
    ({"name": "x", "chain": "a.yaml"}, "scenario data: `chain`: expected a list of file paths"),
])
def test_scenario_from_dict_shape_errors(data, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data, registry=REG)
    assert str(info.value) == message


def test_multiline_user_text_stays_on_one_line(in_tmp: Path) -> None:
    (in_tmp / "s.yaml").write_text('params:\n  china.drain_multiplier: "a\\nb\\tc"\n')
    message = str(error_of("s.yaml"))
    assert message.count("\n") == 0 and "a\\nb" in message


@pytest.mark.parametrize(("overrides", "message"), [
    (["embargo.enabled"], "--set: expected KEY=VALUE such as embargo.enabled=false, got "
                          "`embargo.enabled`"),
    (["=false"], "--set: missing the parameter name before `=` in `=false`"),
    (["embargo.enabled="], "--set: `embargo.enabled`: no value after `=`"),
    (["embargo.enabld=false"], "--set: `embargo.enabld`: unknown parameter (did you mean "
                               "`embargo.enabled`?)"),
    (["embargo.enabled=perhaps"], "--set: `embargo.enabled`: expected true or false, got "
                                  "'perhaps'"),
    (["embargo.date=1941-02-30"], "--set: `embargo.date`: invalid date `1941-02-30` (day is "
                                  "out of range for "
                                  "month)"),
    (["china.drain_multiplier={dist: uniform, low: 1"], "--set: `china.drain_multiplier`: "
                                                        "invalid YAML"),
    (["embargo.enabled=!!python/name:os.system"], "--set: `embargo.enabled`: unsupported YAML "
                                                  "tag"),
    ({"embargo.enabled": "false"}, "--set: `embargo.enabled`: expected true or false, got "
                                   "'false'"),
    ({"embargo": 3}, "--set: `embargo`: is a group of parameters"),
    (["embargo={enabled: 3}"], "--set: `embargo.enabled`: expected true or false, got 3"),
    (["embargo={enabled: false, enabled: true}"], "--set: `embargo`: duplicate key `enabled` "
                                                  "in the value"),
])
def test_set_errors(in_tmp: Path, overrides, message: str) -> None:
    write(in_tmp, "s.yaml", "{}\n")
    assert str(error_of("s.yaml", overrides)).startswith(message)


def test_errors_are_user_errors_with_exit_code_2(in_tmp: Path) -> None:
    err = error_of("missing.yaml")
    assert isinstance(err, UserError) and err.exit_code == 2


# --------------------------------------------------------------------------------------------
# The real registry and the real scenario files
# --------------------------------------------------------------------------------------------


def real_scenarios() -> list[Path]:
    return sorted((REPO / "scenarios").glob("*.yaml"))


def test_real_scenarios_load_against_the_real_registry() -> None:
    registry_module = pytest.importorskip("sim.registry")
    files = real_scenarios()
    if not files:
        pytest.skip("no scenarios/*.yaml yet")
    for path in files:
        s = load_scenario(path)
        assert list(s.values) == registry_module.REGISTRY.names()
        back = scenario_from_dict(json.loads(json.dumps(s.to_dict())))
        assert back == s and back.content_hash() == s.content_hash()
        s.sampler().central()
