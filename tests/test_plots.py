"""Figures of one run: built from a small real run, checked for their content."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pytest
from matplotlib.figure import Figure

from sim import plots
from sim.outcomes import OUTCOMES, SERIES

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="module")
def results():
    from sim.engine import run
    from sim.scenario import load_scenario

    return run(load_scenario(SCENARIOS / "historical.yaml"), 80, 11, workers=1)


def suptitle(fig: Figure) -> str:
    return " ".join(fig.get_suptitle().split())  # unwrapped


def test_decisions_figure_has_one_bar_per_category_with_intervals(results) -> None:
    fig = plots.plot_decisions(results)
    cats = [o for o in OUTCOMES if o.kind == "category"]
    assert len(fig.axes) == len(cats)
    title = suptitle(fig)
    assert results.scenario.name in title and f"{results.n:,} replications" in title
    assert "seed 11" in title
    decision_ax = fig.axes[0]
    labels = [t.get_text() for t in decision_ax.get_yticklabels()]
    assert labels == ["south", "north", "both", "hold"]
    widths = [p.get_width() for p in decision_ax.patches]
    shares = [np.mean(results.outcomes["decision"] == c) for c in labels]
    assert widths == pytest.approx(shares)
    assert sum(widths) == pytest.approx(1.0, abs=1e-9)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["share of replications, with its 95% interval (Wilson)"]
    errorbars = [c for c in decision_ax.containers if c.__class__.__name__ == "ErrorbarContainer"]
    assert len(errorbars) == 1 and len(errorbars[0].lines[2][0].get_segments()) == 4
    assert decision_ax.get_xlabel() == "share of replications"


def test_distributions_has_a_panel_per_numeric_outcome_with_dates_on_date_axes(results) -> None:
    fig = plots.plot_distributions(results)
    numeric = [o for o in OUTCOMES if o.kind != "category"]
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == len(numeric)
    assert [ax.get_xlabel() for ax in panels] == [plots.axis_label(o) for o in numeric]
    for ax, outcome in zip(panels, numeric):
        assert outcome.unit in ax.get_xlabel() or outcome.kind == "date"
        values = plots.as_float(outcome, results.outcomes[outcome.name])
        if not np.isfinite(values).any():
            assert any("did not happen" in t.get_text() for t in ax.texts)
            continue
        if outcome.kind == "date":
            assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
        # the ECDF (on the twin axis) counts every replication: it ends at the share of
        # replications in which the event happened
        twin = next(t for t in ax.get_shared_x_axes().get_siblings(ax) if t is not ax)
        ecdf = twin.lines[0]
        assert ecdf.get_ydata()[-1] == pytest.approx(np.isfinite(values).mean())
        np.testing.assert_allclose(ecdf.get_xdata(), np.sort(values[np.isfinite(values)]))
    legend = fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["histogram", "median", "ECDF"]


def test_headline_only_keeps_headline_outcomes(results) -> None:
    fig = plots.plot_distributions(results, headline_only=True)
    wanted = [o for o in OUTCOMES if o.kind != "category" and o.headline]
    assert [ax.get_xlabel() for ax in fig.axes if ax.get_title()] == \
        [plots.axis_label(o) for o in wanted]


def test_fan_chart_has_median_and_both_bands_and_marks_events(results) -> None:
    fig = plots.plot_fan_charts(results)
    assert len(fig.axes) == len(SERIES)
    ax = fig.axes[0]
    assert ax.get_title() == plots.SERIES_LABELS["oil_stock"]
    assert "million bbl" in ax.get_ylabel()
    median = ax.lines[0]
    assert median.get_label() == "median"
    np.testing.assert_allclose(median.get_ydata(), results.series.quantiles["oil_stock"]["p50"])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["90% band", "50% band", "median"]
    assert len(ax.collections) == 2  # the two bands
    first, last = ax.get_xlim()
    assert mdates.num2date(first).year == 1939 and mdates.num2date(last).year >= 1945
    events = plots.key_events(results)
    assert events, "the model names its key dates"
    inside = [e for e in events if dt.date(1939, 1, 1) <= e[0] <= results.series.months[-1]]
    event_lines = [ln for ln in ax.lines if ln.get_linestyle() == ":"]
    assert len(event_lines) == len(inside)
    numbers = [t.get_text() for t in ax.texts]
    assert numbers == [str(i) for i in range(1, len(inside) + 1)]
    key = fig.get_supxlabel()
    assert key.startswith("Key dates:")
    for i, (date, label) in enumerate(inside, start=1):
        assert f"{i} {label} ({date:%d %b %Y})" in key


def test_write_run_plots_writes_the_standard_pngs(results, tmp_path: Path) -> None:
    written = plots.write_run_plots(results, tmp_path / "plots")
    assert {p.name for p in written} == {"decisions.png", "headline_distributions.png",
                                        "fan_charts.png"}
    for path in written:
        assert path.stat().st_size > 10_000
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_parse_formats_rejects_unknown_format() -> None:
    from sim.errors import UserError

    assert plots.parse_formats("png, SVG,png") == ("png", "svg")
    with pytest.raises(UserError, match="unknown figure format `jpeg`"):
        plots.parse_formats("png,jpeg")


def test_unknown_outcome_is_a_user_error(results) -> None:
    from sim.errors import UserError

    with pytest.raises(UserError, match="did you mean `oil_stock_end_1942`"):
        plots.plot_distributions(results, ["oil_stock_end_1492"])


def test_figures_are_independent_of_pyplot_state(results) -> None:
    fig = plots.plot_decisions(results)
    assert isinstance(fig, Figure)
    # a Figure made without pyplot has no manager: it never opens a window or leaks
    assert fig.canvas.manager is None


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from sim.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(args)
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def test_sim_plot_cli(results, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "run"
    results.write(folder, plots=False)
    code, out, _ = run_cli(["plot", str(folder), "--format", "svg"], capsys)
    assert code == 0
    svgs = sorted((folder / "plots").glob("*.svg"))
    assert [p.stem for p in svgs] == ["decisions", "distributions", "fan_charts",
                                      "headline_distributions"]
    for path in svgs:
        root = ET.parse(path).getroot()
        assert root.tag.endswith("svg")
        text = "".join(root.itertext())  # text kept as text, not as glyph paths
        assert f"{results.n:,} replications" in text and "historical" in text
    assert out.count("wrote ") == 4
    code, _, err = run_cli(["plot", str(folder), "--format", "gif"], capsys)
    assert code == 2 and err.startswith("error: --format") and "Traceback" not in err
    code, _, err = run_cli(["plot", str(tmp_path / "missing")], capsys)
    assert code == 2 and "not a results folder" in err


def test_fan_chart_can_show_single_replications(results) -> None:
    fig = plots.plot_fan_charts(results, ["oil_stock"], samples=5)
    ax = fig.axes[0]
    singles = [ln for ln in ax.lines if ln.get_color() == "#d0781c"]
    assert len(singles) == 5
    np.testing.assert_allclose(singles[0].get_ydata(), results.series.sample["oil_stock"][0])
    assert "5 single replications" in [t.get_text() for t in ax.get_legend().get_texts()]
