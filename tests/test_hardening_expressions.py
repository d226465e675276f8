"""Hostile or careless input to the outcome expressions and the analyses' options (issue 13,
items 5, 6 and 11): each reproduction gives one line naming the option, exit code 2, and is
refused before any simulation runs.

The engine's batch runner is replaced by a sentinel, so a test proves where the refusal
happens: a refused input never reaches it, a legal one does (and nothing is simulated).
"""

from __future__ import annotations

import struct
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.figure import Figure

import sim.analysis.evaluation as evaluation
import sim.sweep.run as sweep_run
from sim.analysis.expressions import MAX_DEPTH, MAX_LENGTH, ExpressionError, compile_outcome, outcome_named
from sim.analysis.factors import FACTORS, parse_factor
from sim.analysis.plots import prim_tradeoff, waterfall
from sim.analysis.discovery import discover
from sim.analysis.sensitivity import analyse
from sim.analysis.shapley import attribute, attribute_function, attribute_matrix
from sim.cli import main
from sim.errors import UserError
from sim.plots import fit_text, numeric_outcomes, set_title
from sim.sweep import parse_measures, parse_vary, sweep

REPO = Path(__file__).resolve().parent.parent
HISTORICAL = str(REPO / "scenarios" / "historical.yaml")
HUGE_HEX = "0x" + "f" * 400
HUGE_DECIMAL = "1" + "0" * 400


class ReachedSimulation(Exception):
    """Raised instead of running the engine: the input passed every check."""


@pytest.fixture(autouse=True)
def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ReachedSimulation

    monkeypatch.setattr(evaluation, "run_batch", refuse)
    monkeypatch.setattr(sweep_run, "run_batch", refuse)


def sim_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit code and stderr of ``sim ARGV``."""
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    return int(info.value.code or 0), capsys.readouterr().err


def assert_refused(capsys: pytest.CaptureFixture[str], argv: list[str], *fragments: str) -> str:
    """``sim ARGV`` exits 2 with one line ``error: ...`` holding every fragment, unsimulated."""
    code, err = sim_cli(capsys, *argv)
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, err
    assert len(err) < 1500, err  # the text the user gave is quoted clipped
    return err


# ------------------------------------------------------------------ item 5: huge literals
@pytest.mark.parametrize("number", [HUGE_HEX, HUGE_DECIMAL, "1e999", "-" + HUGE_DECIMAL])
def test_numbers_too_big_for_a_float_are_refused_before_simulating(capsys, number) -> None:
    """Was: `OverflowError` traceback, exit 1, after the simulations had run."""
    assert_refused(
        capsys,
        ["explain", HISTORICAL, "--outcome", f"oil_stock_end_1942 > {number}",
         "--factors", "embargo", "--runs", "2"],
        "--outcome", "is too large; expected a number between -1.8e308 and 1.8e308",
    )


def test_huge_members_of_a_tuple_are_refused(capsys) -> None:
    assert_refused(capsys, ["discover", HISTORICAL, "--target", f"kg_soviet_casualties in (1, {HUGE_HEX})"],
                   "--target", "is too large")


# ------------------------------------------------------------------ item 6: deep or long
@pytest.mark.parametrize(("text", "fragment"), [
    ("-" * 100_000 + "oil_stock_end_1942 > 1", "100,022 characters long; expected at most 1,000"),
    ("not " * 30_000 + "decision == 'north'", "characters long; expected at most 1,000"),
    ("oil_stock_end_1942" + " + 1" * 30_000 + " > 1", "characters long; expected at most 1,000"),
    (" and ".join(["decision == 'north'"] * 3_000), "characters long; expected at most 1,000"),
    ("-" * 900 + "oil_stock_end_1942 > 1", "nested 902 levels deep; expected at most 100"),
    ("oil_stock_end_1942" + " + 1" * 150 + " > 1", "nested 152 levels deep; expected at most 100"),
    ("-(" * 150 + "oil_stock_end_1942" + ")" * 150 + " > 1", "nested 152 levels deep"),
])
def test_deep_or_long_expressions_are_refused_before_parsing_or_walking(capsys, text, fragment) -> None:
    """Was: `MemoryError` (100,000 minus signs, 30,000 `not`s), `RecursionError` (30,000
    `+ 1`), or 43 s and 2.7 GB for a 3,000-term chain (drawn as the figure's title)."""
    assert_refused(capsys, ["sensitivity", HISTORICAL, "--outcome", text], "--outcome", fragment)


def test_limits_leave_room_for_real_questions() -> None:
    long_but_fine = " or ".join(["north_objective in ('amur', 'transbaikal')"] * 20)
    assert len(long_but_fine) <= MAX_LENGTH
    assert compile_outcome(long_but_fine).is_event
    nested = "oil_stock_end_1942" + " + 1" * (MAX_DEPTH - 3) + " > 1"
    assert compile_outcome(nested).is_event


def png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def test_figure_titles_from_user_text_are_bounded(tmp_path) -> None:
    """Was: a 1,000-term chain made a 789 x 277,006-pixel PNG (the text was the title, and a
    tight bounding box stretched the image to fit it)."""
    text = " and ".join(["oil_stock_end_1942 > 1"] * 37)  # just under the length limit
    expr = compile_outcome(text)
    att = attribute_function(lambda switched: np.arange(8.0) + len(switched), ["a", "b"],
                             bootstrap=20, outcome=expr.text, unit=expr.unit)
    att.scenario = "s" * 20_000
    att.labels = ["a" * 40, "b"]
    waterfall(att, tmp_path / "waterfall.png")
    width, height = png_size(tmp_path / "waterfall.png")
    assert width < 1500 and height < 1000, (width, height)


def test_prim_title_is_bounded(tmp_path) -> None:
    class Chart:
        target = "decision == 'north' and " * 40 + "decision == 'north'"
        min_density = 0.5
        trajectory = [(1.0, 0.2, 0), (0.5, 0.6, 1)]
        boxes: list[object] = []

    prim_tradeoff(Chart(), tmp_path / "prim.png")
    width, height = png_size(tmp_path / "prim.png")
    assert width < 1200 and height < 1000, (width, height)


def test_run_figure_titles_are_bounded() -> None:
    fig = Figure(figsize=(8, 4))
    set_title(fig, "Change from " + "b" * 5_000, "n" * 100_000 + " · 10 replications · seed 1")
    lines = fig.texts[0].get_text().splitlines()  # suptitle
    assert len(lines) <= 5 and max(map(len, lines)) <= 60, lines
    assert fit_text("short", 10) == "short"
    assert fit_text("x " * 100, 20, 2).count("\n") == 1


# ------------------------------------------------------------------ item 11: option abuse
@pytest.mark.parametrize(("argv", "fragments"), [
    (["explain", HISTORICAL, "--runs", "10000000000000"],
     [f"explain: {2 ** len(FACTORS)} factor combinations x 10,000,000,000,000 runs", "of memory",
      "lower --runs"]),
    (["explain", HISTORICAL, "--factors", "embargo", "--runs", "2", "--bootstrap", "100000000000"],
     ["100,000,000,000 bootstrap resamples", "lower --runs or --bootstrap"]),
    (["discover", HISTORICAL, "--samples", "1000000000000"],
     ["discover: 1,000,000,000,000 sample points x 8 replications", "lower --samples"]),
    (["discover", HISTORICAL, "--replications", "1000000000000"], ["lower --samples or --replications"]),
    (["sensitivity", HISTORICAL, "--samples", str(2**40)],
     ["sensitivity --method sobol: 1,099,511,627,776 base samples", "lower --samples"]),
    (["sensitivity", HISTORICAL, "--method", "morris", "--samples", "1000000000000"],
     ["sensitivity --method morris: 1,000,000,000,000 trajectories"]),
    (["sensitivity", HISTORICAL, "--method", "oat", "--replications", "1000000000000"],
     ["sensitivity --method oat", "lower --replications"]),
    (["sweep", HISTORICAL, "--vary", "barbarossa.pressure=1:2:3", "--runs", "10000000000000"],
     ["sweep: 3 grid points x 10,000,000,000,000 runs", "lower --runs"]),
])
def test_absurd_sizes_are_refused_up_front_with_the_memory_they_need(capsys, argv, fragments) -> None:
    """Was: `ArrayMemoryError` tracebacks (explain, discover, sobol), a hang in SALib (morris),
    and, for --bootstrap, a traceback only after the simulations."""
    err = assert_refused(capsys, argv, *fragments)
    assert "an analysis may use here (half of this machine's memory)" in err


def test_counts_too_long_to_read_are_shown_as_magnitudes(capsys) -> None:
    """Found by the fuzzer: `--samples` of 300 digits made the refusal itself fail
    (`OverflowError` converting the memory it would need to a float)."""
    err = assert_refused(capsys, ["discover", HISTORICAL, "--samples", "3" * 300],
                         "discover: about 3.33e+299 sample points", "bytes of memory")
    assert len(err) < 600


@pytest.mark.parametrize("command", ["discover", "sensitivity"])
def test_a_negative_seed_is_refused_before_the_design_is_sampled(capsys, command) -> None:
    """Was: `ValueError: expected non-negative integer` traceback from numpy."""
    assert_refused(capsys, [command, HISTORICAL, "--seed", "-1"], "--seed: expected a whole number >= 0")


@pytest.mark.parametrize("argv", [
    ["explain", HISTORICAL],
    ["sensitivity", HISTORICAL, "--samples", "8", "--params", "decision.w_oil,barbarossa.pressure"],
    ["sensitivity", HISTORICAL, "--method", "morris", "--samples", "2", "--params", "decision.w_oil"],
    ["discover", HISTORICAL, "--samples", "10"],
    ["sweep", HISTORICAL, "--vary", "barbarossa.pressure=1:2:3"],
])
def test_ordinary_sizes_pass_every_check(argv) -> None:
    with pytest.raises(ReachedSimulation):
        main(argv)


# ------------------------------------------------------- kinds the interpreter cannot compare
@pytest.mark.parametrize(("text", "fragment"), [
    ("oil_stock_end_1942 > 1 and 'a' < 5", "cannot compare `'a'` (a string) with `5` (a number)"),
    ("oil_stock_end_1942 < 'abc'", "cannot compare `oil_stock_end_1942` (a number)"),
    ("oil_stock_end_1942 in ('a', 1)", "may hold only numbers"),
    ("(oil_stock_end_1942 > 1) in (1, 0)", "`in` needs an outcome or a number on its left"),
    ("decision == north_attack_date", "(a category) with `north_attack_date` (a date)"),
    ("(decision == 'north') == 'yes'", "(a bool) with `'yes'` (a string)"),
])
def test_comparisons_of_mismatched_kinds_are_refused_before_simulating(capsys, text, fragment) -> None:
    """Found by the fuzzer: these compiled, then failed with a TypeError (or compared
    nothing) when evaluated, after the simulations."""
    assert_refused(capsys, ["explain", HISTORICAL, "--outcome", text], fragment)


def test_the_target_option_is_named() -> None:
    with pytest.raises(ExpressionError, match=r"^--target 'decison == 1': unknown outcome `decison`"):
        compile_outcome("decison == 1", option="--target")


# ------------------------------------------------------------- names given alone (sweep)
def test_outcome_names_share_the_checked_lookup() -> None:
    assert outcome_named(" decision ").name == "decision"
    with pytest.raises(ExpressionError) as info:
        outcome_named("oil_stock_end_194" + "2" * 100_000, "--pick")
    message = str(info.value)
    assert message.startswith("--pick: unknown outcome `oil_stock_end_1942222") and len(message) < 1500
    with pytest.raises(UserError, match="did you mean `oil_stock_end_1942`"):
        parse_measures(["oil_stock_end_1492"])
    with pytest.raises(UserError) as info:  # the outcomes a comparison's figures are asked for
        numeric_outcomes(SimpleNamespace(outcomes={}), ["x" * 100_000])
    assert str(info.value).startswith("--outcome: unknown outcome `xxx") and len(str(info.value)) < 1500


def test_sweep_outcome_and_vary_quote_user_text_clipped(capsys) -> None:
    err = assert_refused(capsys, ["sweep", HISTORICAL, "--vary", "barbarossa.pressure=1:2:3",
                                  "--outcome", "x" * 100_000], "--outcome: unknown outcome `xxx")
    assert len(err) < 1500
    assert_refused(capsys, ["sweep", HISTORICAL, "--vary", "y" * 100_000 + "=1:2:3"],
                   "--vary: unknown parameter `yyy")


@pytest.mark.parametrize(("spec", "fragment"), [
    ("barbarossa.pressure=-1e308:1e308:3", "the range from LOW to HIGH is too wide for a float"),
    ("barbarossa.pressure=0:1e-320:3", "LOW and HIGH are too close to give two different values"),
    ("embargo.enabled=true,true", "expected at least two different values"),
    ("barbarossa.pressure=1:2:" + "9" * 5000, "STEPS must be between 2 and 400"),
])
def test_sweep_grids_that_are_not_grids_are_refused(capsys, recwarn, spec, fragment) -> None:
    """Was: numpy overflow warnings on stderr then a NaN grid; three identical points; one."""
    assert_refused(capsys, ["sweep", HISTORICAL, "--vary", spec], fragment)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_sweep_steps_keep_their_accepted_spellings() -> None:
    assert parse_vary("barbarossa.pressure=0:5:+3").values == (0.0, 2.5, 5.0)
    assert parse_vary("barbarossa.pressure=0:5: 03 ").values == (0.0, 2.5, 5.0)


# -------------------------------------------------------------------------- --factor
def test_an_own_factor_name_is_bounded(capsys) -> None:
    assert_refused(capsys, ["explain", HISTORICAL, "--factor", "n" * 10_000 + ":embargo.enabled=false"],
                   "--factor", "the name is 10,000 characters long; expected at most 40")
    assert parse_factor("no_pact:neutrality_pact.enabled=false").name == "no_pact"


def test_attribution_matrix_refuses_an_absurd_bootstrap_and_a_bad_seed() -> None:
    y = np.zeros((2, 3))
    with pytest.raises(UserError, match="bootstrap resamples"):
        attribute_matrix(y, ["a"], bootstrap=10**15)
    with pytest.raises(UserError, match="--seed"):
        attribute_matrix(y, ["a"], bootstrap=10, seed=-3)


@pytest.mark.parametrize(("call", "fragment"), [
    (lambda sc: attribute(sc, "decision == 'north'", ["embargo"], runs="10"), "--runs: expected a whole number >= 2"),
    (lambda sc: attribute(sc, "decision == 'north'", ["embargo"], bootstrap=-1), "--bootstrap: expected a whole number >= 0"),
    (lambda sc: analyse(sc, "sobol", samples="abc"), "--samples: expected a whole number >= 2"),
    (lambda sc: analyse(sc, "morris", samples=2.5), "--samples: expected a whole number >= 2"),
    (lambda sc: analyse(sc, "oat", replications="8"), "--replications: expected a whole number >= 1"),
    (lambda sc: discover(sc, samples=-(10**400)), "--samples: expected a whole number >= 10 for scenario discovery, got about -1.00e+400"),
    (lambda sc: discover(sc, max_boxes=0), "--max-boxes: expected a whole number >= 1"),
    (lambda sc: discover(sc, min_density="high"), "--min-density must be in (0, 1], got 'high'"),
    (lambda sc: sweep(sc, ["barbarossa.pressure=1:2:2"], runs=[5]), "--runs: expected a whole number >= 2"),
])
def test_python_api_options_of_the_wrong_type_are_one_line_errors(historical, call, fragment) -> None:
    """Was: `TypeError` tracebacks (``'<' not supported between instances of 'str' and 'int'``)."""
    with pytest.raises(UserError) as info:
        call(historical)
    assert fragment in str(info.value)


@pytest.fixture(scope="module")
def historical():
    from sim.scenario import load_scenario

    return load_scenario(HISTORICAL)
