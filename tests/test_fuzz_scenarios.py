"""Fuzzing: no scenario file or `--set` string, however broken, ends in a traceback.

Starting from valid scenarios (the fixtures below and, when present, the real
`scenarios/*.yaml` with the real registry), hypothesis mutates them -- wrong types, typos in
keys, out-of-range numbers, bad dates and distributions, broken YAML (truncation, bad
indentation, tabs, random bytes, unbalanced brackets), random `--set` strings -- and drives
both `load_scenario` and the CLI in-process.  Every outcome must be success or a `UserError`
whose message is one line naming the file (or `--set`); the CLI must exit 0 or 2.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim.cli.scenario_cmds as scenario_cmds
from sim.cli import main
from sim.errors import UserError
from sim.params import Registry
from sim.scenario import load_scenario, parse_set, scenario_from_dict

try:
    from test_scenario import REG
except ImportError:  # pragma: no cover - tests collected as a package
    from tests.test_scenario import REG

REPO = Path(__file__).resolve().parents[1]
FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

BASE = "base.yaml"
VALID = {
    BASE: """\
# the baseline every variant extends
name: base
description: Fixture baseline.
params:
  embargo:
    enabled: true
    date: 1941-08-01
  khalkhin_gol:
    soviet_men: {dist: pert, low: 50000, mode: 57000, high: 73961}
    japanese_men: 30000
    outcome: simulated
  china.drain_multiplier: 1.0
""",
    "variant.yaml": """\
name: late-embargo
extends: base.yaml
params:
  embargo.date: {dist: uniform, low: 1941-07-25, high: 1941-08-15}
  decision:
    force: north
  kantokuen:
    persimmon_threshold: {dist: beta, alpha: 5, beta: 5}
  khalkhin_gol.enabled: {dist: choice, values: [true, false], weights: [3, 1]}
  simulation.horizon: 1944-12-31
""",
    "nested.yaml": """\
params:
  khalkhin_gol: {truck_haul_km: {dist: triangular, low: 650, mode: 675, high: 750},
                 soviet_trucks: {dist: lognormal, p05: 2600, p95: 4000}}
  china: {drain_multiplier: {dist: normal, mean: 1, sd: 0.2, low: 0.5, high: 1.5}}
""",
}

# --------------------------------------------------------------------------------------------
# The oracle
# --------------------------------------------------------------------------------------------


def assert_user_error_or_ok(path: Path, overrides: list[str], registry: Registry,
                            labels: set[str]) -> None:
    """load_scenario either succeeds or raises a one-line UserError naming a file."""
    try:
        scenario = load_scenario(path, overrides, registry=registry)
    except UserError as exc:
        message = str(exc)
        assert len(message.splitlines()) == 1, repr(message)
        assert message.startswith(tuple(labels | {"--set"})), message
        assert exc.exit_code == 2
    else:
        assert len(scenario.values) == len(registry)
        scenario.content_hash()
        scenario.sampler().central()


def run_cli(argv: list[str], registry: Registry) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.object(scenario_cmds, "get_registry", lambda: registry), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code
        else:  # pragma: no cover - main always exits
            code = 0
    return int(code or 0), out.getvalue(), err.getvalue()


def assert_cli_clean(argv: list[str], registry: Registry, labels: set[str]) -> None:
    """Exit 0, or exit 2 with one `error: FILE...` line (or click's own usage message)."""
    code, _, err = run_cli(argv, registry)
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err
    if code == 2 and "Usage:" not in err:
        assert len(err.splitlines()) == 1, err
        assert err.startswith(tuple(f"error: {label}" for label in labels | {"--set"})), err
    if code == 0:
        assert err == ""


# --------------------------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------------------------

NASTY_TEXT = list("{}[]:,-#&*!|>'\"%@`\t\n ?=.") + [
    "!!python/object:os.system", "!!binary", "&a", "*a", "<<: *a", "---", "...", "\t", "  ",
    "\x00", "\x85", "\ufeff", "é", "1941-13-45", "1941-02-30", ".nan", ".inf", "-.inf", "~",
    "null", "yes", "no", "0x1F", "1e400", "99999999999999999999999",
    # past the largest float, control characters YAML refuses, an alias bomb
    "1" + "0" * 400, "-0x" + "f" * 300, "1.0e+308", "\x07", "\x1b", "\ufffe",
    "[&b [x, x, x, x, x, x, x, x], &c [*b, *b, *b, *b, *b, *b, *b, *b], &d [*c, *c, *c, *c, "
    "*c, *c, *c, *c], &e [*d, *d, *d, *d, *d, *d, *d, *d], &f [*e, *e, *e, *e, *e, *e, *e, *e, "
    "*e], &g [*f, *f, *f, *f, *f, *f, *f, *f]]",
]


@st.composite
def text_mutation(draw: st.DrawFn, text: str) -> str:
    """One to three edits of raw YAML text."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["truncate", "delete", "insert", "indent", "tabs",
                                     "duplicate", "swap", "replace"]))
        n = len(text)
        if kind == "truncate" and n:
            text = text[: draw(st.integers(0, n))]
        elif kind == "delete" and n:
            i = draw(st.integers(0, n - 1))
            text = text[:i] + text[i + draw(st.integers(1, 10)):]
        elif kind == "insert":
            i = draw(st.integers(0, n))
            piece = draw(st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=8)))
            text = text[:i] + piece + text[i:]
        elif kind in ("indent", "tabs", "duplicate", "swap") and n:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            if kind == "indent":
                lines[i] = " " * draw(st.integers(0, 7)) + lines[i].lstrip()
            elif kind == "tabs":
                lines[i] = lines[i].replace("  ", "\t")
            elif kind == "duplicate":
                lines.insert(i, lines[i])
            else:
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif kind == "replace" and n:
            i = draw(st.integers(0, n - 1))
            text = text[:i] + draw(st.sampled_from(NASTY_TEXT)) + text[i + 1:]
    return text


@functools.lru_cache(maxsize=8)
def _known_words(names: tuple[str, ...]) -> list[str]:
    words = {"name", "description", "extends", "params", "dist", "low", "high", "mode", "mean",
             "sd", "median", "sigma", "p05", "p95", "alpha", "beta", "values", "weights", "shape"}
    for name in names:
        words.update(name.split("."))
        words.add(name)
    return sorted(words)


def known_words(registry: Registry) -> list[str]:
    return _known_words(tuple(registry.names()))


def typo(draw: st.DrawFn, word: str) -> str:
    if not word:
        return "x"
    i = draw(st.integers(0, len(word) - 1))
    op = draw(st.sampled_from(["drop", "double", "swap", "upper", "dot"]))
    if op == "drop":
        return word[:i] + word[i + 1:] or "x"
    if op == "double":
        return word[:i] + word[i] * 2 + word[i + 1:]
    if op == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == "upper":
        return word.upper()
    return word + ".x"


_VALUE_STRATEGIES: dict[int, tuple[Registry, st.SearchStrategy[Any]]] = {}


def any_value(registry: Registry) -> st.SearchStrategy[Any]:
    """Any YAML-able value: scalars, distribution-like mappings, nested lists and mappings."""
    cached = _VALUE_STRATEGIES.get(id(registry))
    if cached is None or cached[0] is not registry:
        cached = _VALUE_STRATEGIES[id(registry)] = (registry, _any_value(registry))
    return cached[1]


def _any_value(registry: Registry) -> st.SearchStrategy[Any]:
    dist_spec = st.fixed_dictionaries(
        {"dist": st.one_of(st.sampled_from(["normal", "lognormal", "uniform", "triangular",
                                            "pert", "beta", "choice", "gauss"]), st.none(),
                           st.integers())},
        optional={k: st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                               st.integers(-10**6, 10**6), st.dates(), st.booleans(),
                               st.text(max_size=5), st.none(),
                               st.lists(st.one_of(st.integers(), st.text(max_size=3),
                                                  st.booleans(), st.dates()), max_size=4))
                  for k in ("low", "high", "mode", "mean", "sd", "median", "sigma", "p05",
                            "p95", "alpha", "beta", "values", "weights", "shape", "extra")},
    )
    scalar = st.one_of(
        st.none(), st.booleans(), st.integers(-10**12, 10**12),
        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
        st.dates(min_value=dt.date(1, 1, 1)), st.datetimes(),
        st.sampled_from(["north", "south", "simulated", "1941-07-02", "1941-13-01", "July 1941"]),
    )
    return st.recursive(
        st.one_of(scalar, dist_spec),
        lambda inner: st.one_of(st.lists(inner, max_size=3),
                                st.dictionaries(st.sampled_from(known_words(registry)), inner,
                                                max_size=3)),
        max_leaves=6,
    )


def paths_in(data: Any, prefix: tuple = ()) -> Iterator[tuple]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield (*prefix, k)
            yield from paths_in(v, (*prefix, k))


@st.composite
def structural_mutation(draw: st.DrawFn, text: str, registry: Registry) -> str:
    """Parse a valid scenario, change its structure, dump it back as YAML."""
    data = yaml.safe_load(text) or {}
    for _ in range(draw(st.integers(1, 3))):
        paths = list(paths_in(data))
        kind = draw(st.sampled_from(["value", "typo", "delete", "add", "top"]))
        if kind == "top" or not paths:
            data = draw(st.one_of(any_value(registry), st.just(data)))
            if not isinstance(data, dict):
                break
            continue
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        if kind == "value":
            parent[key] = draw(any_value(registry))
        elif kind == "typo" and isinstance(key, str):
            parent[typo(draw, key)] = parent.pop(key)
        elif kind == "delete":
            parent.pop(key)
        elif kind == "add":
            new_key = draw(st.one_of(st.sampled_from(known_words(registry)), st.integers(),
                                     st.text(max_size=6)))
            parent[new_key] = draw(any_value(registry))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def set_strings(registry: Registry) -> st.SearchStrategy[str]:
    names = registry.names()
    return st.one_of(
        st.text(max_size=30),
        st.builds(lambda k, v: f"{k}={v}", st.sampled_from(names + ["params." + n for n in names]),
                  st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=15),
                            st.builds(lambda v: yaml.safe_dump(v, default_flow_style=True)
                                      .removesuffix("\n...\n").strip(), any_value(registry)))),
        st.builds(lambda k, v: f"{k}={v}", st.text(max_size=12), st.text(max_size=12)),
    )


# --------------------------------------------------------------------------------------------
# Fixture scenarios with the test registry
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    for name, text in VALID.items():
        (root / name).write_text(text)
    return root


def test_fixtures_are_valid(fixture_dir: Path) -> None:
    for name in VALID:
        load_scenario(fixture_dir / name, registry=REG)


def labels_for(root: Path) -> set[str]:
    return {str(p) for p in root.iterdir()}


@FUZZ
@given(data=st.data())
def test_text_mutations_never_crash(fixture_dir: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(VALID)))
    text = data.draw(text_mutation(VALID[name]))
    target = fixture_dir / "mutant.yaml"
    target.write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_user_error_or_ok(target, [], REG, labels_for(fixture_dir))


@FUZZ
@given(data=st.data())
def test_random_bytes_never_crash(fixture_dir: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(VALID)))
    raw = VALID[name].encode()
    i = data.draw(st.integers(0, len(raw)))
    blob = data.draw(st.binary(max_size=12))
    target = fixture_dir / "mutant.yaml"
    target.write_bytes(raw[:i] + blob + raw[i:])
    assert_user_error_or_ok(target, [], REG, labels_for(fixture_dir))


@FUZZ
@given(data=st.data())
def test_structural_mutations_never_crash(fixture_dir: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(VALID)))
    text = data.draw(structural_mutation(VALID[name], REG))
    target = fixture_dir / "mutant.yaml"
    target.write_text(text, encoding="utf-8")
    assert_user_error_or_ok(target, [], REG, labels_for(fixture_dir))


@FUZZ
@given(exprs=st.lists(set_strings(REG), min_size=1, max_size=3))
def test_random_set_strings_never_crash(fixture_dir: Path, exprs: list[str]) -> None:
    assert_user_error_or_ok(fixture_dir / "variant.yaml", exprs, REG, labels_for(fixture_dir))
    for expr in exprs:
        try:
            key, _ = parse_set(expr)
        except UserError as exc:
            assert len(str(exc).splitlines()) == 1 and str(exc).startswith("--set")
        else:
            assert key and not key.startswith("params.")


@settings(FUZZ, max_examples=100)
@given(data=st.data())
def test_cli_never_crashes(fixture_dir: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(VALID)))
    text = data.draw(st.one_of(text_mutation(VALID[name]), structural_mutation(VALID[name], REG)))
    target = fixture_dir / "mutant.yaml"
    target.write_text(text, encoding="utf-8", errors="surrogatepass")
    sets = [a for e in data.draw(st.lists(set_strings(REG), max_size=2)) for a in ("--set", e)]
    command = data.draw(st.sampled_from([
        ["validate"], ["show"], ["show", "--all"], ["show", "--format", "yaml"],
        ["show", "--format", "json"],
    ]))
    assert_cli_clean([*command, str(target), *sets], REG, labels_for(fixture_dir))


# --------------------------------------------------------------------------------------------
# The real scenarios with the real registry
# --------------------------------------------------------------------------------------------


def real_files() -> list[Path]:
    return sorted((REPO / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def real_setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Registry, list[str]]:
    files = real_files()
    if not files:
        pytest.skip("no scenarios/*.yaml yet")
    registry = pytest.importorskip("sim.registry").REGISTRY
    root = tmp_path_factory.mktemp("real")
    for path in files:
        shutil.copy(path, root / path.name)
    return root, registry, [p.read_text(encoding="utf-8") for p in files]


@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_real_scenarios_mutated_never_crash(real_setup, data: st.DataObject) -> None:
    root, registry, texts = real_setup
    text = data.draw(st.sampled_from(texts))
    mutant = data.draw(st.one_of(text_mutation(text), structural_mutation(text, registry)))
    target = root / "zz-mutant.yaml"
    target.write_text(mutant, encoding="utf-8", errors="surrogatepass")
    sets = data.draw(st.lists(set_strings(registry), max_size=2))
    assert_user_error_or_ok(target, sets, registry, labels_for(root))


@settings(FUZZ, max_examples=40)
@given(data=st.data())
def test_real_scenarios_cli_never_crashes(real_setup, data: st.DataObject) -> None:
    root, registry, texts = real_setup
    text = data.draw(st.sampled_from(texts))
    target = root / "zz-mutant.yaml"
    target.write_text(data.draw(text_mutation(text)), encoding="utf-8", errors="surrogatepass")
    command = data.draw(st.sampled_from([["validate"], ["show", "--all"],
                                         ["show", "--format", "yaml"]]))
    assert_cli_clean([*command, str(target)], registry, labels_for(root))



@FUZZ
@given(data=st.data())
def test_tampered_manifest_scenarios_never_crash(fixture_dir: Path, data: st.DataObject) -> None:
    """`sim reproduce` rebuilds scenarios from manifest.json: edits there are user errors."""
    scenario = load_scenario(fixture_dir / "variant.yaml", registry=REG)
    payload = json.loads(json.dumps(scenario.to_dict()))
    for _ in range(data.draw(st.integers(1, 3))):
        section = data.draw(st.sampled_from(["values", "provenance", "top"]))
        if section == "top":
            key = data.draw(st.sampled_from([*payload, "extra"]))
            payload[key] = data.draw(any_value(REG))
        elif isinstance(payload.get(section), dict) and payload[section]:
            key = data.draw(st.sampled_from(sorted(payload[section])))
            new_key = data.draw(st.one_of(st.just(key), st.builds(lambda k: k + "x", st.just(key))))
            payload[section].pop(key)
            payload[section][new_key] = json.loads(json.dumps(data.draw(any_value(REG)),
                                                              default=str))
    try:
        rebuilt = scenario_from_dict(payload, registry=REG, source="manifest.json")
    except UserError as exc:
        assert len(str(exc).splitlines()) == 1 and str(exc).startswith("manifest.json")
    else:
        assert scenario_from_dict(rebuilt.to_dict(), registry=REG) == rebuilt
