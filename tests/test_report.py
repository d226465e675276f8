"""The HTML report: self-contained, complete, and rendered by a real browser when one exists."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest


SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


class _Collect(HTMLParser):
    """Tags, attributes and section headings of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[str] = []
        self._in_h2 = False
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_h2 = tag == "h2"
        if tag not in ("img", "meta", "br", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self._in_h2 = False
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.headings.append(data.strip())


@pytest.fixture(scope="module")
def results():
    from sim.engine import run
    from sim.scenario import load_scenario

    scenario = load_scenario(SCENARIOS / "historical.yaml",
                             ["embargo.enabled=false", "barbarossa.pressure=1.4"])
    return run(scenario, 60, 4, workers=1)


@pytest.fixture(scope="module")
def page(results, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The report as `sim report` writes it for a saved run."""
    from sim.cli import main

    folder = tmp_path_factory.mktemp("report") / "run"
    results.write(folder, plots=False)
    with pytest.raises(SystemExit) as done:
        main(["report", str(folder)])
    assert done.value.code == 0
    path = folder / "report.html"
    return path, path.read_text(encoding="utf-8")


def test_report_is_self_contained_and_well_formed(page) -> None:
    _, text = page
    parser = _Collect()
    parser.feed(text)
    assert parser.open == []  # every element closed
    srcs = [a.get("src") or "" for t, a in parser.tags if t in ("img", "script", "iframe")]
    hrefs = [a.get("href") or "" for t, a in parser.tags if t in ("link", "a")]
    assert all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not any(h.startswith(("http:", "https:", "//")) for h in hrefs)
    assert not re.search(r"url\((?!data:)", text)
    images = [a["src"] for t, a in parser.tags if t == "img"]
    assert len(images) == 4  # decisions, headline distributions, fan charts, all distributions
    for src in images:
        png = base64.b64decode(src.split(",", 1)[1])
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert parser.headings == ["Headline results", "Figures", "All outcomes",
                               "Assumptions that differ from the historical baseline",
                               "Provenance"]


def test_report_headline_table_matches_the_run(results, page) -> None:
    _, text = page
    p, lo, hi = results.probability("decision", "south")
    assert f"<td>share south</td><td class=\"num\">{p:.1%}</td>" in text
    assert f"{lo:.1%} – {hi:.1%}" in text
    mean = np.nanmean(results.outcomes["kantokuen_peak_men"])
    assert f"{mean:,.0f}" in text


def test_report_lists_changed_assumptions_with_sources(results, page) -> None:
    from sim.registry import REGISTRY

    _, text = page
    section = text.split("Assumptions that differ from the historical baseline", 1)[1]
    section = section.split("<h2>", 1)[0]
    for name in ("embargo.enabled", "barbarossa.pressure"):
        assert f"<code>{name}</code>" in section
        assert REGISTRY[name].source.split(";")[0][:20] in section.replace("&#x27;", "'")
    assert "--set" in section  # where the value was set
    assert section.count("<tr>") == 1 + len(results.scenario.differences())  # + header


def test_report_has_provenance(results, page) -> None:
    _, text = page
    prov = text.split("<h2>Provenance</h2>", 1)[1]
    assert "<td>seed</td><td>4</td>" in prov
    assert str(results.manifest["entropy"]) in prov
    assert "scenario content hash" in prov and results.scenario.content_hash() in prov
    import sim

    assert sim.__version__ in prov


def test_sim_report_on_a_missing_folder_is_a_user_error(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    from sim.cli import main

    with pytest.raises(SystemExit) as done:
        main(["report", str(tmp_path / "nothing")])
    assert done.value.code == 2
    assert "not a results folder" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
                    reason="needs a headless chromium to render the report")
def test_report_renders_in_headless_chromium(page, tmp_path: Path) -> None:
    import matplotlib.image as mpimg

    path, _ = page
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
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
        non_white = np.mean(half.min(axis=-1) < 235)
        assert non_white > 0.03
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 200
