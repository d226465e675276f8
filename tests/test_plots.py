"""Figures of one run: built from a small real run, checked for their content."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pytest
from matplotlib.figure import Figure

from sim import labels, plots
from sim.errors import UserError
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
    cats = [o for o in OUTCOMES if o.kind == "category"
            and o.name not in plots.CONFERENCE_OUTCOMES]
    assert [ax.get_title() for ax in fig.axes] == [labels.title(o.name) for o in cats]
    title = suptitle(fig)
    assert results.scenario.name in title and f"{results.n:,} replications" in title
    assert "seed 11" in title
    decision_ax = fig.axes[0]
    names = [t.get_text() for t in decision_ax.get_yticklabels()]
    assert names == ["Strike south", "Strike north", "Both, within 270 days",
                     "Hold (no offensive)"]
    codes = labels.category_order("decision")
    bars = [p for p in decision_ax.patches if p.get_facecolor()[3] > 0.5]
    widths = [p.get_width() for p in bars]
    shares = [np.mean(results.outcomes["decision"] == c) for c in codes]
    assert widths == pytest.approx(shares)
    assert sum(widths) == pytest.approx(1.0, abs=1e-9)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["backtest target T8 (historical scenario)",
                      "share of replications, with its 95% interval (Wilson)"]
    errorbars = [c for c in decision_ax.containers if c.__class__.__name__ == "ErrorbarContainer"]
    assert len(errorbars) == 1 and len(errorbars[0].lines[2][0].get_segments()) == 4
    assert decision_ax.get_xlabel() == "share of replications"
    # the record's band (T8: 70-100% south) is drawn on the south bar
    t8 = [c for c in decision_ax.collections if c.get_label().startswith("backtest target T8")]
    (x0, _), (x1, _) = t8[0].get_paths()[0].get_extents().get_points()
    assert (x0, x1) == pytest.approx((0.7, 1.0))


def test_distributions_has_a_panel_per_numeric_outcome_with_dates_on_date_axes(results) -> None:
    fig = plots.plot_distributions(results)
    numeric = [o for o in OUTCOMES if o.kind != "category"]
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == len(numeric)
    assert [ax.get_title() for ax in panels] == [plots.outcome_title(o) for o in numeric]
    assert [ax.get_xlabel() for ax in panels] == [labels.unit(o.name) for o in numeric]
    for ax, outcome in zip(panels, numeric):
        assert "_" not in ax.get_title() and "_" not in ax.get_xlabel()
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
    assert [t.get_text() for t in legend.get_texts()] == [
        "histogram", "median", "documented range", "documented value", "ECDF"]


def test_distributions_mark_the_documented_value_and_band(results) -> None:
    fig = plots.plot_distributions(results, ["kg_japanese_casualties", "oil_stock_end_1942"])
    first, second = [ax for ax in fig.axes if ax.get_title()]
    record = [ln for ln in first.lines if ln.get_label() == "documented value"]
    assert record and record[0].get_xdata()[0] == 17400  # T1
    band = [c for c in first.patches + first.collections
            if c.get_label() == "documented range"]
    assert band
    assert "record 17,400 (T1)" in " ".join(t.get_text() for t in first.texts)
    lo, hi = second.get_xlim()
    assert lo <= 38.2 * 0.8 and hi >= 38.2 * 1.2  # T15's band for 1942 is in view
    assert plots.documented_outcome("north_japanese_casualties") is None


def test_headline_only_keeps_headline_outcomes(results) -> None:
    fig = plots.plot_distributions(results, headline_only=True)
    wanted = [o for o in OUTCOMES if o.kind != "category" and o.headline]
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == \
        [plots.outcome_title(o) for o in wanted]


def test_fan_chart_has_median_and_both_bands_and_marks_events(results) -> None:
    fig = plots.plot_fan_charts(results, by=None)
    assert len(fig.axes) == len(SERIES)
    ax = fig.axes[0]
    assert ax.get_title() == plots.SERIES_LABELS["oil_stock"] == "Japan's oil stock"
    assert ax.get_ylabel() == "million bbl"
    median = ax.lines[0]
    assert median.get_label() == "median"
    np.testing.assert_allclose(median.get_ydata(), results.series.quantiles["oil_stock"]["p50"])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["90% band", "50% band", "median", "documented value, with range"]
    bands = [c for c in ax.collections if "band" in c.get_label()]
    assert len(bands) == 2  # the two bands
    first, last = ax.get_xlim()
    assert mdates.num2date(first).year == 1939 and mdates.num2date(last).year >= 1945
    events = plots.key_events(results)
    assert events, "the model names its key dates"
    inside = [e for e in events if dt.date(1939, 1, 1) <= e[0] <= results.series.months[-1]]
    event_lines = [ln for ln in ax.lines if ln.get_linestyle() == ":"]
    assert len(event_lines) == len(inside)
    numbers = [t.get_text() for t in ax.texts if t.get_text().isdigit()]
    assert numbers == [str(i) for i in range(1, len(inside) + 1)]
    key = fig.get_supxlabel()
    assert key.startswith("Key dates:")
    for i, (date, label) in enumerate(inside, start=1):
        assert f"{i} {label} ({date:%d %b %Y})" in key


def test_write_run_plots_writes_the_overview_by_default(results, tmp_path: Path) -> None:
    written = plots.write_run_plots(results, tmp_path / "plots")
    assert [p.name for p in written] == ["overview.png"]
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
    code, out, _ = run_cli(["plot", str(folder), "--format", "svg", "--convergence"], capsys)
    assert code == 0
    svgs = sorted((folder / "plots").glob("*.svg"))
    assert [p.stem for p in svgs] == ["conference_paths", "convergence", "decisions",
                                      "distributions", "fan_charts", "headline_distributions",
                                      "overview"]
    for path in svgs:
        root = ET.parse(path).getroot()
        assert root.tag.endswith("svg")
        text = "".join(root.itertext())  # text kept as text, not as glyph paths
        assert f"{results.n:,} replications" in text and "historical" in text
    assert out.count("wrote ") == 7
    code, _, err = run_cli(["plot", str(folder), "--by", "weather"], capsys)
    assert code == 2 and "--by" in err and "Traceback" not in err
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
    assert "5 single replications" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_fan_charts_split_by_decision_draw_each_branch_from_its_own_runs(results) -> None:
    fig = plots.plot_fan_charts(results, ["oil_stock"])
    ax = fig.axes[0]
    sample = results.series.sample["oil_stock"]
    decisions = np.asarray(results.outcomes["decision"][: sample.shape[0]]).astype(str)
    medians = {ln.get_label().split(" (")[0]: ln for ln in ax.lines
               if ln.get_label().endswith(": median")}
    assert medians, "one median per branch"
    for name, line in medians.items():
        code = next(c for c in labels.category_order("decision")
                    if labels.display("decision", c) == name)
        rows = sample[decisions == code]
        assert rows.shape[0] >= 30
        np.testing.assert_allclose(line.get_ydata(), np.quantile(rows, 0.5, axis=0))
    with pytest.raises(UserError, match="--by"):
        plots.plot_fan_charts(results, by="weather")


def test_conference_paths_keep_every_run_between_columns(results) -> None:
    fig = plots.plot_conference_paths(results)
    ax = fig.axes[0]
    columns = [t.get_text() for t in ax.get_xticklabels()]
    assert columns[0] == "Conference\n27 Jul 1940" and columns[-1].startswith("First offensive")
    for i, name in enumerate([*plots.CONFERENCE_OUTCOMES, "decision"]):
        bars = [p for p in ax.patches if abs(p.get_x() + p.get_width() / 2 - i) < 1e-9]
        assert sum(p.get_height() for p in bars) == pytest.approx(1.0)
        codes = np.asarray(results.outcomes[name]).astype(str)
        south = [p for p in bars if p.get_facecolor()[:3] == pytest.approx(
            tuple(int(plots.DECISION_COLOURS["south"][k:k + 2], 16) / 255 for k in (1, 3, 5)))]
        assert south[0].get_height() == pytest.approx(np.mean(codes == "south"))
    # each gap's bands carry all the runs once: their heights add up to 100 %
    for flows in ax.collections:
        heights = []
        for path in flows.get_paths():
            v = path.vertices
            left = v[np.isclose(v[:, 0], v[:, 0].min()), 1]
            heights.append(left.max() - left.min())
        assert sum(heights) == pytest.approx(1.0)


def test_convergence_ends_at_the_run_estimates(results) -> None:
    fig = plots.plot_convergence(results, ["kg_japanese_casualties"])
    share_ax, mean_ax = fig.axes
    south = next(ln for ln in share_ax.lines if ln.get_label() == "Strike south")
    assert south.get_xdata()[-1] == results.n
    assert south.get_ydata()[-1] == pytest.approx(np.mean(results.outcomes["decision"] == "south"))
    assert mean_ax.lines[0].get_ydata()[-1] == pytest.approx(
        np.mean(results.outcomes["kg_japanese_casualties"]))
    assert share_ax.get_xscale() == "log" and mean_ax.get_xlabel() == "replications"


def test_overview_is_three_panels_and_the_same_bytes_twice(results, tmp_path: Path) -> None:
    fig = plots.plot_overview(results)
    assert [ax.get_title() for ax in fig.axes] == [
        "Japan's first strategic offensive",
        "The path through the conferences (colours as on the left)",
        "Japan's oil stock by decision"]
    first = plots.save_figure(fig, tmp_path / "a")[0].read_bytes()
    again = plots.save_figure(plots.plot_overview(results), tmp_path / "b")[0].read_bytes()
    assert first == again


def test_event_numbers_never_overlap_and_runs_add_their_dates(results) -> None:
    events = plots.key_events(results)
    assert any(label.endswith("(median of runs)") for _, label in events)
    assert max(d for d, _ in events) > dt.date(1941, 12, 1)  # past the last conference
    fig = plots.plot_fan_charts(results, ["oil_stock"], by=None)
    ax = fig.axes[0]
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.texts if t.get_text().isdigit()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), "two event numbers overlap"


class _Sensitivity:
    """The fields the sensitivity charts read, for two parameters."""

    outcome = "decision == 'north'"
    unit = "share of runs"
    names = ["khalkhin_gol.soviet_men", "oil.dei_damage"]
    indices = {"khalkhin_gol.soviet_men": {"mu_star": 0.08, "mu_star_conf": 0.02, "sigma": 0.1,
                                           "swing": 0.05},
               "oil.dei_damage": {"mu_star": 0.01, "mu_star_conf": 0.01, "sigma": 0.0,
                                  "swing": 0.01}}
    points, replications, baseline, noise_floor = 30, 60, 0.05, 0.0
    settings = {"khalkhin_gol.soviet_men": [(50000, 0.07), (73961, 0.09)],
                "oil.dei_damage": [(0.2, 0.05), (0.8, 0.06)]}
    intervals = {"khalkhin_gol.soviet_men": [(0.03, 0.12), (0.05, 0.15)],
                 "oil.dei_damage": [(0.02, 0.09), (0.03, 0.1)]}
    baseline_interval = (0.02, 0.09)

    def ranked(self) -> list[str]:
        return list(self.names)


def test_analysis_charts_name_parameters_and_draw_intervals() -> None:
    from sim.analysis import plots as charts

    result = _Sensitivity()
    fig = charts.tornado(result)
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[-1].startswith("Soviet-Mongol manpower for the August offensive")
    assert ticks[-1].endswith("low 50,000  ·  high 73,961")
    bars = [c for c in ax.containers if c.__class__.__name__ == "ErrorbarContainer"]
    assert len(bars) == 4  # every setting's mean has its interval
    assert ax.get_xlabel() == "Share of runs: Strike north"
    morris = charts.morris_plot(result).axes[0]
    assert [t.get_text() for t in morris.get_yticklabels()][-1] == \
        "Soviet-Mongol manpower for the August offensive"
    assert charts.switched_label("khalkhin_gol", "Khalkhin Gol") == "without Khalkhin Gol"
    assert charts.switched_label("barbarossa", "Barbarossa's course") == \
        "if Moscow falls in the autumn of 1941"
    assert charts.switched_label("my_factor", "my factor") == "my factor switched"


def test_sim_plot_draws_fan_charts_of_every_series_split_by_decision(results) -> None:
    figures = plots.run_figures(results)
    fan = figures["fan_charts"]
    titles = [ax.get_title() for ax in fan.axes if ax.get_title()]
    assert titles == [plots.SERIES_LABELS[name] for name in SERIES]
    assert {"jp_divisions_manchuria", "merchant_fleet_grt"} <= set(SERIES)
    assert "overview" not in figures  # write_run_plots draws the overview itself, once
