"""What a package index shows: metadata, licence, citation, and a README whose links and images
work away from the repository; the documented Dask commands match the installed Dask."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

import sim
from sim.scenario import load_scenario
from conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
HOME = "https://github.com/strike-north-or-south/strike-north-or-south"
BLOB = f"{HOME}/blob/main/"
RAW = "https://raw.githubusercontent.com/strike-north-or-south/strike-north-or-south/main/"
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_description_covers_the_whole_simulated_period() -> None:
    text = PROJECT["description"]
    assert "1939" in text and "August 1945" in text and "1939-1941" not in text
    assert "north" in text and "south" in text and len(text) < 200


def test_metadata_a_package_index_shows() -> None:
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    assert PROJECT["dynamic"] == ["version"]  # from sim.__version__: one place to change it
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "sim.__version__"}
    assert {"counterfactual", "monte-carlo", "simpy"} <= set(PROJECT["keywords"])
    classifiers = PROJECT["classifiers"]
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # the licence expression says it
    assert PROJECT["urls"] == {"Homepage": HOME, "Repository": HOME,
                               "Documentation": f"{HOME}/tree/main/docs",
                               "Issues": f"{HOME}/issues"}
    assert PROJECT["readme"] == "README.md"


def test_licence_file() -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert re.search(r"^Copyright \(c\) \d{4} The Strike North or South contributors$", text,
                     re.MULTILINE)
    assert "THE SOFTWARE IS PROVIDED \"AS IS\"" in text


def test_citation_file_is_valid_cff() -> None:
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "authors"):  # required by CFF 1.2.0
        assert cff.get(key), key
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "software"
    assert cff["version"] == sim.__version__
    assert cff["license"] == PROJECT["license"]
    assert cff["repository-code"] == PROJECT["urls"]["Repository"]
    assert all(isinstance(a, dict) and (a.get("name") or a.get("family-names"))
               for a in cff["authors"])


#: Inline links and images, reference definitions, and HTML src/href attributes.
_INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)")
_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_HTML = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)""", re.IGNORECASE)


def _targets(markdown: str) -> list[str]:
    prose = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)  # code blocks are not links
    return [m.group(1) for rx in (_INLINE, _DEFINITION, _HTML) for m in rx.finditer(prose)]


def test_readme_has_no_relative_links_or_images() -> None:
    targets = _targets(README)
    assert len(targets) >= 10
    relative = [t for t in targets if not re.match(r"https?://|mailto:|#", t)]
    assert not relative, f"relative links in README.md (they break on a package index): {relative}"


def test_readme_links_point_at_files_that_exist() -> None:
    for target in _targets(README):
        for prefix in (BLOB, RAW):
            if target.startswith(prefix):
                path = target[len(prefix):].split("#")[0]
                assert (REPO / path).exists(), target
    assert any(t.startswith(RAW + "docs/img/") for t in _targets(README))


def test_the_link_check_sees_what_it_must() -> None:
    sample = ("see [a](docs/a.md), ![b](docs/img/b.png) and [c][c]\n\n[c]: docs/c.md\n"
              '<img src="docs/img/d.png">\n```\n[not](a/link.md)\n```\n')
    assert _targets(sample) == ["docs/a.md", "docs/img/b.png", "docs/c.md", "docs/img/d.png"]


def test_quick_start_keeps_the_clone_commands_and_adds_pip() -> None:
    quick = README[README.index("## Quick start"):README.index("`sim run` prints a summary")]
    assert ("python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/sim run "
            "scenarios/historical.yaml --seed 1\n") in quick
    assert ('python3 -m venv .venv && .venv/bin/pip install -e ".[dev]" && .venv/bin/python -m '
            "pytest\n") in quick
    assert ("python3 -m venv .venv && .venv/bin/pip install strike-north-or-south && "
            ".venv/bin/sim run historical --seed 1\n") in quick
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ('python3 -m venv .venv && .venv/bin/pip install -e ".[dev]" && .venv/bin/python -m '
            "pytest") in ci


# --------------------------------------------------------------------------------------------
# Dask commands as documented
# --------------------------------------------------------------------------------------------

SCHEDULER = "dask scheduler --host 127.0.0.1"
WORKER = re.compile(r"dask worker tcp://127\.0\.0\.1:8786 --nworkers (\w+) --nthreads 1\b")


@pytest.mark.parametrize("doc", ["README.md", "docs/engine.md"])
def test_dask_is_documented_with_one_thread_per_worker_process(doc: str) -> None:
    text = (REPO / doc).read_text(encoding="utf-8")
    assert SCHEDULER in text
    assert WORKER.search(text), doc
    assert "--scheduler tcp://127.0.0.1:8786" in text
    assert "GIL" in text


def test_the_documented_dask_options_exist_in_the_installed_dask() -> None:
    pytest.importorskip("distributed")
    dask = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")
    assert dask, "the dask command of the [dask] extra is not installed"
    scheduler = subprocess.run([dask, "scheduler", "--help"], capture_output=True, text=True,
                               timeout=120)
    worker = subprocess.run([dask, "worker", "--help"], capture_output=True, text=True,
                            timeout=120)
    assert scheduler.returncode == 0 and worker.returncode == 0
    assert re.search(r"^\s+--host\b", scheduler.stdout, re.MULTILINE)
    assert "Usage: dask worker [OPTIONS] [SCHEDULER]" in worker.stdout
    for option in ("--nworkers", "--nthreads"):
        assert re.search(rf"^\s+{option}\b", worker.stdout, re.MULTILINE), option


def test_the_readme_scenario_example_loads_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    start = README.index("```yaml\nname: september-embargo") + len("```yaml\n")
    (tmp_path / "mine.yaml").write_text(README[start:README.index("```", start)])
    monkeypatch.chdir(tmp_path)
    s = load_scenario("mine.yaml")
    assert s.chain == (Path("mine.yaml"), Path("installed:historical.yaml"))
    assert str(s.values["embargo.date"]) == "1941-09-01"
