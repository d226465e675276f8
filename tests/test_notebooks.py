"""Every notebook in notebooks/ runs top to bottom, as a reader would run it, and shows its figures.

Notebooks run with their own folder as working directory (as Jupyter does) and must find the
scenarios relative to the repository.  They are stored without outputs, so that a diff of a
notebook shows a change of code or text, not of pictures.

The explorer's figures live in an ipywidgets ``Output``, which nbclient records as widget
state rather than as cell outputs; its test then drives the widgets as a reader would (a
switch turned off, Run clicked) and checks that the output was redrawn with the new summary.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
#: The figures each notebook shows (at least); the explorer's are inside its output widget.
FIGURES = {"quickstart": 5, "counterfactuals": 3, "why_not_north": 5, "explorer": 3}
#: Appended to the explorer notebook: what a reader does with the mouse, through its hook.
DRIVE_EXPLORER = """
import json
before = explorer.results.probability("decision", "south")[0]
explorer.controls["embargo.enabled"].value = False
explorer.run_button.click()
print(json.dumps({"before": before,
                  "after": explorer.results.probability("decision", "south")[0],
                  "overrides": {k: str(v) for k, v in explorer.exploration.overrides.items()},
                  "rows": explorer.exploration.rows()}))
"""


def _outputs(nb: Any) -> list[Any]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


def _pngs(outputs: list[Any]) -> list[str]:
    return [out["data"]["image/png"] for out in outputs if "image/png" in out.get("data", {})]


def _explorer_output(widget_state: dict[str, Any]) -> list[Any]:
    """The outputs held by the explorer's Output widget (the one with its CSS class)."""
    found = [state.get("outputs", []) for state in widget_state.values()
             if state.get("_model_name") == "OutputModel"
             and "sim-explorer-output" in state.get("_dom_classes", ())]
    assert len(found) == 1, "expected exactly one explorer output widget"
    return copy.deepcopy(found[0])


def _client(path: Path, nb: Any) -> Any:
    return nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                   resources={"metadata": {"path": str(path.parent)}})


def test_the_documented_notebooks_exist() -> None:
    names = {p.stem for p in NOTEBOOKS}
    assert set(FIGURES) <= names, "README and docs name these notebooks"
    assert names <= set(FIGURES), "say how many figures a new notebook shows in FIGURES"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, \
                f"{path.name}: clear the outputs before saving"
    assert "widgets" not in nb.metadata, f"{path.name}: save without the widget state"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_opens_with_its_question_and_how_to_run_it(path: Path) -> None:
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert 'pip install -e ".[notebooks]"' in first.source
    assert f"jupyter lab notebooks/{path.name}" in first.source


@pytest.mark.timeout(600)
@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem != "explorer"],
                         ids=[p.stem for p in NOTEBOOKS if p.stem != "explorer"])
def test_notebook_runs_top_to_bottom(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    _client(path, nb).execute()  # raises CellExecutionError, with the failing cell, on any error
    outputs = _outputs(nb)
    assert [out for out in outputs if out.output_type == "error"] == []
    assert len(_pngs(outputs)) >= FIGURES[path.stem], f"{path.name} should show its figures"
    assert not any("<Figure size" in out.get("data", {}).get("text/plain", "")
                   for out in outputs if "image/png" not in out.get("data", {})), \
        f"{path.name}: a figure was shown as text"


@pytest.mark.timeout(600)
def test_explorer_runs_and_follows_its_widgets() -> None:
    path = next(p for p in NOTEBOOKS if p.stem == "explorer")
    nb = nbformat.read(path, as_version=4)
    client = _client(path, nb)
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        first = _explorer_output(client.widget_state)
        nb.cells.append(nbformat.v4.new_code_cell(DRIVE_EXPLORER))
        driven = client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
        second = _explorer_output(client.widget_state)
    assert [out for out in _outputs(nb) if out.output_type == "error"] == []
    for shown in (first, second):
        assert [out for out in shown if out.output_type == "error"] == []
        assert len(_pngs(shown)) >= FIGURES["explorer"], "the explorer should show its figures"
    assert set(_pngs(first)).isdisjoint(_pngs(second)), "Run should redraw every figure"

    tables = [[out["data"]["text/html"] for out in shown if "text/html" in out.get("data", {})
               and "<table" in out["data"]["text/html"]] for shown in (first, second)]
    assert len(tables[0]) == len(tables[1]) == 1, "one summary table per run"
    assert "your settings" not in tables[0][0] and "your settings" in tables[1][0]

    report = json.loads(next(out.text for out in driven.outputs if out.output_type == "stream"))
    assert report["overrides"] == {"embargo.enabled": "False"}
    assert report["after"] < report["before"], "without the embargo fewer runs strike south"
    south = next(r for r in report["rows"] if r["statistic"] == "share south")
    assert south["difference [95% CI]"].startswith("-")
