"""The HTML report of every kind of folder: self-contained, well formed, readable, complete,
byte-reproducible, and rendered by a real browser when one exists."""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from sim.outcomes import OUTCOME_NAMES

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
DOCS = Path(__file__).resolve().parent.parent / "docs"
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
#: Elements whose text a reader takes for a heading or a label.
HEADINGS = ("h1", "h2", "h3", "th", "summary", "title", "a")


class _Collect(HTMLParser):
    """Tags, attributes, the text of headings and of sections of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[str, str]] = []  # (tag, text) of HEADINGS
        self.h2: list[tuple[str | None, str]] = []  # (id, text)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in HEADINGS:
            self.headings.append((tag, ""))
        if tag == "h2":
            self.h2.append((dict(attrs).get("id"), ""))
        if tag not in ("img", "meta", "br", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        inside = [t for t in self.open if t in HEADINGS]
        if inside and self.headings:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)
        if self.open and self.open[-1] == "h2" and self.h2:
            ident, text = self.h2[-1]
            self.h2[-1] = (ident, (text + data).strip())


def parse(text: str) -> _Collect:
    parser = _Collect()
    parser.feed(text)
    assert parser.open == []  # every element closed
    return parser


def section(text: str, ident: str) -> str:
    """The HTML of the section whose heading has ``id=ident``, up to the next heading."""
    return text.split(f'<h2 id="{ident}">', 1)[1].split("<h2 ", 1)[0]


def _main(args: list[str]) -> int:
    from sim.cli import main

    with pytest.raises(SystemExit) as done:
        main(args)
    return int(done.value.code or 0)


# --------------------------------------------------------------------------------------------
# the folders
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def results():
    from sim.engine import run
    from sim.scenario import load_scenario

    scenario = load_scenario(SCENARIOS / "historical.yaml",
                             ["embargo.enabled=false", "barbarossa.pressure=1.4"])
    return run(scenario, 60, 4, workers=1)


@pytest.fixture(scope="module")
def folders(results, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder of each kind, written by the commands themselves."""
    base = tmp_path_factory.mktemp("report")
    results.write(base / "run", plots=False)
    history, no_embargo = str(SCENARIOS / "historical.yaml"), str(SCENARIOS / "no-embargo.yaml")
    assert _main(["compare", history, no_embargo, "--runs", "40", "--workers", "1",
                  "--out", str(base / "cmp")]) == 0
    assert _main(["sweep", history, "--vary", "barbarossa.pressure=0.5:2:3", "--runs", "20",
                  "--workers", "1", "--out", str(base / "sweep")]) == 0
    assert _main(["explain", history, "--factors", "khalkhin_gol,embargo", "--runs", "20",
                  "--bootstrap", "50", "--workers", "1", "--out", str(base / "analysis")]) == 0
    assert _main(["sensitivity", history, "--method", "oat", "--replications", "2",
                  "--workers", "1", "--out", str(base / "analysis")]) == 0
    assert _main(["discover", history, "--samples", "20", "--replications", "2",
                  "--workers", "1", "--out", str(base / "analysis")]) == 0
    return {"run": base / "run", "comparison": base / "cmp", "sweep": base / "sweep",
            "analysis": base / "analysis"}


@pytest.fixture(scope="module")
def pages(folders) -> dict[str, tuple[Path, str]]:
    """Each folder's report as `sim report` writes it."""
    out = {}
    for kind, folder in folders.items():
        assert _main(["report", str(folder)]) == 0
        path = folder / "report.html"
        out[kind] = (path, path.read_text(encoding="utf-8"))
    return out


KINDS = ("run", "comparison", "sweep", "analysis")
SECTIONS = {
    "run": ["headline", "record", "figures", "assumptions", "outcomes", "limitations",
            "provenance"],
    "comparison": ["scenarios", "headline", "differences", "figures", "outcomes",
                   "limitations", "provenance"],
    "sweep": ["figure", "table", "limitations", "provenance"],
    "analysis": ["attribution", "sensitivity-oat", "discovery", "limitations", "provenance"],
}


# --------------------------------------------------------------------------------------------
# every kind
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_self_contained_with_contents_and_readable_headings(pages, kind) -> None:
    _, text = pages[kind]
    page = parse(text)
    srcs = [a.get("src") or "" for t, a in page.tags if t in ("img", "script", "iframe")]
    hrefs = [a.get("href") or "" for t, a in page.tags if t in ("link", "a")]
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    for src in srcs:
        png = base64.b64decode(src.split(",", 1)[1])
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    assert not any(h.startswith(("http:", "https:", "//")) for h in hrefs)
    assert not re.search(r"url\((?!data:)", text) and "<script" not in text
    # the contents list links every section, in order, and nothing else
    assert [h.removeprefix("#") for h in hrefs] == [ident for ident, _ in page.h2]
    assert [ident for ident, _ in page.h2] == SECTIONS[kind]
    raw = [name for name in OUTCOME_NAMES if "_" in name]
    for tag, heading in page.headings:
        assert not any(name in heading for name in raw), f"<{tag}> {heading!r}"


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_byte_reproducible(folders, pages, kind, tmp_path: Path) -> None:
    again = tmp_path / "again.html"
    assert _main(["report", str(folders[kind]), "--out", str(again)]) == 0
    assert again.read_bytes() == pages[kind][0].read_bytes()


def test_limitations_are_the_model_docs_list(pages) -> None:
    from sim.report.page import bullets, limitations

    docs = (DOCS / "model.md").read_text(encoding="utf-8")
    scope = docs.split("## 12. What is out of scope", 1)[1].split("\n## ", 1)[0]
    assert bullets(scope) == limitations() and len(limitations()) >= 4
    for kind in KINDS:
        part = section(pages[kind][1], "limitations")
        assert part.count("<li>") == len(limitations())
        assert "Naval operations as battles" in part


# --------------------------------------------------------------------------------------------
# a run
# --------------------------------------------------------------------------------------------

def test_run_headline_table_shows_what_sim_run_prints(results, pages) -> None:
    from sim.cli.run_cmds import summary_table
    from sim.headline import headline_rows

    text = section(pages["run"][1], "headline")
    printed = summary_table(results)
    for row in headline_rows(results.summary()):
        assert f"{row.value}</td>" in text and row.value in printed
        assert f"{row.detail}</td>" in text and row.detail in printed
    median = np.median(results.outcomes["kantokuen_peak_men"])
    mean = np.mean(results.outcomes["kantokuen_peak_men"])
    assert f"{median:,.0f} men" in text and f"{mean:,.0f}" not in text
    p, lo, hi = results.probability("decision", "south")
    assert f"share: Strike south</td><td class=\"num\">{100 * p:.1f}%</td>" in text
    assert f"95% CI {100 * lo:.1f}%-{100 * hi:.1f}%" in text


def test_run_report_holds_the_model_against_the_record(results, pages) -> None:
    from sim.reference import TARGETS

    text = section(pages["run"][1], "record")
    assert text.count("<tr>") == 1 + len(TARGETS)
    for t in TARGETS:
        assert f"<td>{t.id} " in text
    median = np.median(results.outcomes["kg_japanese_casualties"])
    t1 = text.split("<td>T1 ", 1)[1].split("</tr>", 1)[0]
    assert f"median {median:,.0f}" in t1 and "15,000 to 21,000" in t1
    assert ('class="in">in<' in t1) == bool(15_000 <= median <= 21_000)
    # without the embargo the run leaves the oil record: the table says so
    t15 = text.split("<td>T15 ", 1)[1].split("</tr>", 1)[0]
    assert 'class="out">out<' in t15


def test_record_rows_judge_every_target() -> None:
    from sim.reference import TARGETS
    from sim.report import record_rows

    n = 50
    outcomes = {name: np.full(n, np.nan) for name in OUTCOME_NAMES}
    outcomes["decision"] = np.array(["south"] * n)
    outcomes["north_attack_date"] = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    outcomes["kg_japanese_casualties"] = np.full(n, 17_000.0)
    outcomes["kg_soviet_casualties"] = np.full(n, 25_000.0)
    rows = record_rows(outcomes)
    assert [r.id for r in rows] == [t.id for t in TARGETS]
    judged = {r.id: r.inside for r in rows}
    assert judged["T1"] is True and judged["T2"] is True and judged["T8"] is True
    assert judged["T10"] is True  # no northern attack at all
    assert judged["T4"] is None  # no offensive in any run: the run cannot say


def test_run_report_lists_changed_assumptions_with_sources(results, pages) -> None:
    from sim.registry import REGISTRY

    text = section(pages["run"][1], "assumptions")
    for name in ("embargo.enabled", "barbarossa.pressure"):
        assert f"<code>{name}</code>" in text
        assert REGISTRY[name].source.split(";")[0][:20] in text.replace("&#39;", "'")
    assert "--set" in text  # where the value was set
    assert text.count("<tr>") == 1 + len(results.scenario.differences())


def test_run_report_has_short_provenance_and_the_manifest_folded(results, pages) -> None:
    import sim

    text = pages["run"][1]
    short = section(text, "provenance").split("<details>", 1)[0]
    manifest = results.manifest
    assert "<th scope=\"row\">seed</th><td>4</td>" in short
    assert manifest["scenario_hash"] in short and sim.__version__ in short
    assert "chunk_size" not in short and "cpu_wait_seconds" not in short
    folded = html.unescape(section(text, "provenance").split("<details>", 1)[1])
    assert "Full manifest" in folded and '"cpu_wait_seconds"' in folded
    assert str(manifest["entropy"]) in folded


def test_run_outcomes_are_grouped_and_folded(pages) -> None:
    from sim.report.run_report import GROUPS, group_of

    text = section(pages["run"][1], "outcomes")
    assert all(group_of(name) in dict(GROUPS) for name in OUTCOME_NAMES)
    assert text.count("<details>") == len(GROUPS)
    assert "<table>" not in text.split("<details>", 1)[0]


def test_report_escapes_what_it_is_given(folders, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert _main(["report", str(folders["sweep"]), "--out", str(out),
                  "--title", "<script>alert(1)</script>"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


# --------------------------------------------------------------------------------------------
# a comparison, a sweep, an analysis
# --------------------------------------------------------------------------------------------

def test_comparison_report_has_paired_differences_and_each_scenario(folders, pages) -> None:
    from sim.formatting import format_difference

    data = json.loads((folders["comparison"] / "comparison.json").read_text())
    names = [s["name"] for s in data["scenarios"]]
    text = pages["comparison"][1]
    south = next(r for r in data["rows"] if r["statistic"] == "share south")
    key = f"{names[1]} - {names[0]}"
    diffs = section(text, "differences")
    assert "paired by replication" in diffs
    assert (f"{format_difference('share', south[key])}<br><small>"
            f"[{format_difference('share', south[key + ' low'])}, "
            f"{format_difference('share', south[key + ' high'])}]</small>") in diffs
    headline = section(text, "headline")
    for name in names:
        assert f"<th>{name}</th>" in headline
        assert f"{south[name]:.1%}<br><small>[{south[name + ' low']:.1%}, " in headline


def test_sweep_report_has_the_figure_and_every_grid_point(folders, pages) -> None:
    data = json.loads((folders["sweep"] / "sweep.json").read_text())
    text = pages["sweep"][1]
    table = section(text, "table")
    assert table.count("<tr>") == 1 + len(data["rows"])
    assert "Share of runs: Strike south" in table
    assert "P(decision" not in table
    first = data["rows"][0]
    share = first["P(decision = south)"]
    assert f"{share:.1%} [{first['P(decision = south) low']:.1%}, " in table
    assert section(text, "figure").count("<img") == 1


def test_analysis_report_has_attribution_indices_and_boxes(folders, pages) -> None:
    text = pages["analysis"][1]
    attribution = json.loads((folders["analysis"] / "attribution.json").read_text())
    part = section(text, "attribution")
    assert part.count("Switching: ") == 2 and "<img" in part
    lo, hi = attribution["total_ci"]
    assert f"[{lo:+.3f}, {hi:+.3f}]" in part
    oat = section(text, "sensitivity-oat")
    assert "swing" in oat and "<img" in oat and "<code>khalkhin_gol.soviet_men</code>" in oat
    assert "<img" in section(text, "discovery")
    # the analysis ran with the default outcome: the command quotes it, quotes inside quotes
    assert 'sim explain historical --outcome "conference_2_choice == \'north\'"' in \
        part.replace("&#34;", '"').replace("&#39;", "'")


# --------------------------------------------------------------------------------------------
# what the command refuses
# --------------------------------------------------------------------------------------------

def test_report_is_not_replaced_without_force(folders, pages,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path, text = pages["sweep"]
    capsys.readouterr()
    assert _main(["report", str(folders["sweep"])]) == 2
    err = capsys.readouterr().err
    assert "exists; use --force" in err and len(err.strip().splitlines()) == 1
    path.write_text("old", encoding="utf-8")
    assert _main(["report", str(folders["sweep"]), "--force"]) == 0
    assert path.read_text(encoding="utf-8") == text
    assert not [p for p in folders["sweep"].iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("make", ["missing", "empty", "file"])
def test_a_folder_of_no_known_kind_is_one_line(tmp_path: Path, make: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x"
    if make == "empty":
        target.mkdir()
    elif make == "file":
        target.write_text("x")
    assert _main(["report", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert "not a results folder" in err and len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_a_damaged_comparison_file_is_one_line(folders, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "cmp"
    shutil.copytree(folders["comparison"], broken)
    data = json.loads((broken / "comparison.json").read_text())
    data["scenarios"][1]["runs"] = "forty"
    (broken / "comparison.json").write_text(json.dumps(data))
    (broken / "report.html").unlink()
    assert _main(["report", str(broken)]) == 2
    err = capsys.readouterr().err.strip()
    assert "comparison.json `scenarios.1.runs`" in err and len(err.splitlines()) == 1
    assert not (broken / "report.html").exists()


def test_without_jinja2_the_report_names_the_extra(folders, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)  # import jinja2 now fails
    assert _main(["report", str(folders["sweep"]), "--out", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "[report]" in err and "jinja2" in err
    assert not (tmp_path / "r.html").exists()


# --------------------------------------------------------------------------------------------
# in a browser
# --------------------------------------------------------------------------------------------

@pytest.mark.skipif(BROWSER is None, reason="needs a headless chromium to render the report")
@pytest.mark.parametrize("kind", ["run", "comparison"])
def test_report_renders_in_headless_chromium(pages, kind: str, tmp_path: Path) -> None:
    import matplotlib.image as mpimg

    path, _ = pages[kind]
    shot = tmp_path / f"{kind}.png"
    subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--hide-scrollbars", "--window-size=1280,2400", f"--screenshot={shot}",
         path.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    pixels = mpimg.imread(shot)
    assert pixels.shape[0] == 2400 and pixels.shape[1] == 1280
    # a rendered page with tables and figures is far from blank: many distinct colours and
    # plenty of non-white pixels in the upper half (title, tables) and the lower (figures)
    rgb = (pixels[..., :3] * 255).astype(np.uint8)
    for half in (rgb[:1200], rgb[1200:]):
        assert np.mean(half.min(axis=-1) < 235) > 0.03
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 200
    # nothing wider than the window: no horizontal overflow pushed content off the page
    assert np.mean(rgb[:, -8:].min(axis=-1) < 235) < 0.01


def test_the_sweep_report_command_reproduces_the_sweep(folders, pages, tmp_path: Path) -> None:
    import shlex

    text = html.unescape(pages["sweep"][1])
    command = shlex.split(text.split("Reproduce with <code>", 1)[1].split("</code>", 1)[0])
    assert command[:3] == ["sim", "sweep", "historical"]
    command[2] = str(SCENARIOS / "historical.yaml")  # the folder records the scenario's name
    assert _main([*command[1:], "--workers", "1", "--out", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "sweep.json").read_bytes() == \
        (folders["sweep"] / "sweep.json").read_bytes()


def test_discovery_report_shows_significance_when_recorded(folders, tmp_path: Path) -> None:
    folder = tmp_path / "analysis"
    shutil.copytree(folders["analysis"], folder)
    (folder / "report.html").unlink()
    data = json.loads((folder / "discovery.json").read_text())
    data["boxes"] = [{"rule": "khalkhin_gol.enabled = false", "coverage": 0.4, "density": 0.6,
                      "density_se": 0.1, "mass": 0.2, "points": 8, "significant": False,
                      "quasi_p": {"khalkhin_gol.enabled": 0.31},
                      "stability": {"khalkhin_gol.enabled": 0.45},
                      "limits": {"khalkhin_gol.enabled": ["false"]}}]
    (folder / "discovery.json").write_text(json.dumps(data))
    assert _main(["report", str(folder), "-q"]) == 0
    part = section((folder / "report.html").read_text(encoding="utf-8"), "discovery")
    assert "Not significant" in part and "<th>quasi-p</th>" in part
    assert '<td class="num">0.31</td><td class="num">45%</td>' in part
