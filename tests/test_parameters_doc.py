"""`docs/parameters.md` is generated from the registry and must not drift from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sim.distributions import parse_distribution
from sim.docgen import DOC_PATH, REGENERATE, main, render_markdown, show_allowed, show_range
from sim.params import Param, Registry

try:
    from test_scenario import REG
except ImportError:  # pragma: no cover - tests collected as a package
    from tests.test_scenario import REG

REPO = Path(__file__).resolve().parents[1]


def test_doc_path_is_in_the_repository() -> None:
    assert DOC_PATH == REPO / "docs" / "parameters.md"


def test_committed_reference_matches_the_registry() -> None:
    registry = pytest.importorskip("sim.registry").REGISTRY
    expected = render_markdown(registry)
    current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
    assert current == expected, (
        f"docs/parameters.md is out of date with sim/registry/: run `{REGENERATE}`"
    )


def test_every_parameter_is_one_table_row_under_its_group() -> None:
    text = render_markdown(REG)
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == REG.names()
    for group in REG.groups():
        assert f"\n## `{group}`\n" in text
    assert text.index("## `china`") < text.index("`china.drain_multiplier`") < text.index(
        "## `decision`")
    row = next(r for r in rows if r.startswith("| `khalkhin_gol.soviet_men`"))
    assert row == ("| `khalkhin_gol.soviet_men` | pert(low=50000, mode=57000, high=73961, shape=4) "
                   "| men | [50000, 73961] | whole number [0, 500000] | KG-03 | Soviet-Mongol men "
                   "in late August 1939 |")
    assert f"{len(REG)} parameters in {len(REG.groups())} groups." in text


def test_cells_are_escaped_and_single_line() -> None:
    reg = Registry([
        Param("a.b", 1.0, "men | horses", "X-1\nX-2", "first line\nsecond | part",
              credible=(0.5, None), bounds=(None, 10.0)),
    ])
    row = next(line for line in render_markdown(reg).splitlines() if line.startswith("| `a.b`"))
    assert row == ("| `a.b` | 1 | men \\| horses | >= 0.5 | <= 10 | X-1 X-2 | first line second "
                   "\\| part |")


def test_ranges_and_allowed_values() -> None:
    assert show_range(None) == "" and show_range((None, None)) == ""
    assert show_range((dt.date(1941, 1, 1), dt.date(1941, 2, 1))) == "[1941-01-01, 1941-02-01]"
    flag = Param("a.flag", True, "", "s", "d", kind="bool")
    pick = Param("a.pick", "free", "", "s", "d", kind="choice", choices=("free", "north"))
    day = Param("a.day", dt.date(1941, 8, 1), "", "s", "d", kind="date")
    share = Param("a.share", parse_distribution({"dist": "beta", "alpha": 2, "beta": 2}),
                  "fraction", "s", "d", bounds=(0.0, 1.0))
    assert [show_allowed(p) for p in (flag, pick, day, share)] == [
        "true / false", "one of free, north", "date", "[0, 1]"]


def test_docgen_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("sim.registry")
    target = tmp_path / "parameters.md"
    assert main(["--check", "--output", str(target)]) == 1
    assert "is out of date; run `python -m sim.docgen`" in capsys.readouterr().err
    assert main(["--output", str(target)]) == 0
    assert main(["--check", "--output", str(target)]) == 0
    target.write_text(target.read_text() + "hand edit\n")
    assert main(["--check", "--output", str(target)]) == 1
