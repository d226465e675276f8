"""Hostile and careless inputs (issue 13, items 3, 4, 5, 7, 8 and 13): each reproduction of the
issue, run through the CLI, gives one `error: ...` line naming the file, key or option and what
was expected, exit code 2, no traceback, no hang and bounded memory."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from cli_run import run

from sim.distributions import LogNormal, Uniform, parse_distribution
from sim.errors import ScenarioError
from sim.params import MAX_MAGNITUDE
from sim.quantiles import LARGEST_UNIFORM
from sim.registry import REGISTRY
from sim.scenario import load_scenario, source
from sim.scenario.yaml_bounds import MAX_NODES

REPO = Path(__file__).resolve().parents[1]
HISTORICAL = str(REPO / "scenarios" / "historical.yaml")
ALIAS_NOTE = ("(YAML aliases `*name` repeat what `&name` names each time they appear); "
              "expected a scenario of plain values")
EXTENDS_EXPECTED = "expected the path of another scenario file, relative to this one"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
needs_dev = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The one error line of a command that must exit 2 (without the `error: ` prefix)."""
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, ""), (code, out, err)
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.removeprefix("error: ").removesuffix("\n")


def peak_memory(call) -> int:
    """Peak bytes Python allocates while ``call`` runs (it may raise ScenarioError)."""
    tracemalloc.start()
    try:
        try:
            call()
        except ScenarioError:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --------------------------------------------------------------------------------------------
# 3. special files
# --------------------------------------------------------------------------------------------


@needs_dev
@pytest.mark.timeout(20)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_the_scenario_is_refused_without_reading(capsys, device: str) -> None:
    assert refused(capsys, "validate", device) == (
        f"{device}: is a character device, not a regular file; expected a scenario YAML file")
    assert peak_memory(lambda: load_scenario(device)) < 5_000_000


@needs_dev
@pytest.mark.timeout(20)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_in_extends_is_named_at_the_extends_line(capsys, device: str) -> None:
    Path("s.yaml").write_text(f"name: s\nextends: {device}\n")
    assert refused(capsys, "validate", "s.yaml") == (
        f"s.yaml:2: `extends`: extends `{device}`, which is a character device, not a regular "
        f"file; {EXTENDS_EXPECTED}")


@needs_fifo
@pytest.mark.timeout(20)
def test_a_fifo_as_the_scenario_or_in_extends_does_not_hang(capsys) -> None:
    os.mkfifo("pipe.yaml")
    Path("s.yaml").write_text("extends: pipe.yaml\n")
    assert refused(capsys, "validate", "pipe.yaml") == (
        "pipe.yaml: is a named pipe (FIFO), not a regular file; expected a scenario YAML file")
    assert refused(capsys, "show", "s.yaml") == (
        "s.yaml:1: `extends`: extends `pipe.yaml`, which is a named pipe (FIFO), not a regular "
        f"file; {EXTENDS_EXPECTED}")


@pytest.mark.timeout(20)
def test_a_file_over_the_size_limit_is_refused_before_reading(capsys) -> None:
    size = source.MAX_FILE_BYTES + 1
    Path("big.yaml").write_bytes(b"#" * size)
    Path("s.yaml").write_text("extends: big.yaml\n")
    too_large = (f"is too large ({size:,} bytes; a scenario file is at most "
                 f"{source.MAX_FILE_BYTES:,} bytes)")
    assert refused(capsys, "validate", "big.yaml") == (
        f"big.yaml: {too_large}; expected a scenario YAML file")
    assert refused(capsys, "validate", "s.yaml") == (
        f"s.yaml:1: `extends`: extends `big.yaml`, which {too_large}; {EXTENDS_EXPECTED}")
    assert peak_memory(lambda: load_scenario("big.yaml")) < 1_000_000


def test_the_read_is_bounded_even_when_the_size_lies(monkeypatch) -> None:
    """A file that grows while it is read (or a /proc file, whose size says 0) is never read
    past the limit."""
    Path("growing.yaml").write_bytes(b"#" * (3 * source.MAX_FILE_BYTES))
    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:
        info = list(real_fstat(fd))
        info[6] = 10  # st_size
        return os.stat_result(info)

    monkeypatch.setattr(source.os, "fstat", small_fstat)
    with pytest.raises(source.UnreadableFile) as info:
        source.read_bounded(Path("growing.yaml"))
    assert info.value.problem.startswith(
        f"is too large (more than {source.MAX_FILE_BYTES:,} bytes")


def test_a_directory_in_extends_names_the_referring_file_and_key(capsys) -> None:
    """Issue 13, item 13: `extends: adir` said `adir: is a directory`."""
    Path("adir").mkdir()
    Path("s.yaml").write_text("name: s\nextends: adir\n")
    assert refused(capsys, "validate", "s.yaml") == (
        f"s.yaml:2: `extends`: extends `adir`, which is a directory; {EXTENDS_EXPECTED}")


def test_a_path_through_a_file_is_not_found(capsys) -> None:
    Path("plain.yaml").write_text("{}\n")
    assert refused(capsys, "validate", "plain.yaml/s.yaml") == (
        "plain.yaml/s.yaml: file not found (a part of the path is a file, not a folder); "
        "expected a scenario YAML file")


def test_a_nul_character_in_extends_is_a_one_line_error() -> None:
    Path("s.yaml").write_text('extends: "a\\0b.yaml"\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario("s.yaml")
    assert str(info.value) == ("s.yaml:1: `extends`: extends `a\x00b.yaml`, which has a NUL "
                               f"character in its name; {EXTENDS_EXPECTED}")


# --------------------------------------------------------------------------------------------
# 8. file names over 255 bytes
# --------------------------------------------------------------------------------------------

LONG_NAME = "b" * 5000 + ".yaml"
SHOWN_LONG_NAME = "b" * 58 + "..." + "b" * 53 + ".yaml"
TOO_LONG = ("too long for the file system (5,005 bytes in one part of the path; at most 255 on "
            "most systems)")


@pytest.mark.parametrize("command", ["validate", "show"])
def test_a_file_name_over_255_bytes_on_the_command_line(capsys, command: str) -> None:
    assert refused(capsys, command, LONG_NAME) == (
        f"{SHOWN_LONG_NAME}: file name {TOO_LONG}; expected a scenario YAML file")


def test_a_file_name_over_255_bytes_in_extends(capsys) -> None:
    Path("s.yaml").write_text(f"extends: {LONG_NAME}\n")
    assert refused(capsys, "validate", "s.yaml") == (
        f"s.yaml:1: `extends`: extends `{SHOWN_LONG_NAME}`, which has a name {TOO_LONG}; "
        f"{EXTENDS_EXPECTED}")


# --------------------------------------------------------------------------------------------
# 4. YAML alias bombs, and any other expansion blow-up
# --------------------------------------------------------------------------------------------


def laughs(levels: int = 9) -> str:
    """Anchors whose last one expands to 9**levels strings, as one flow list."""
    parts = ["&a0 [x, x, x, x, x, x, x, x, x]"]
    parts += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


@pytest.mark.timeout(20)
def test_an_alias_bomb_inside_dist_is_refused_quickly(capsys) -> None:
    """Took 52 s and 2.7 GB, then a MemoryError in `did_you_mean`."""
    Path("s.yaml").write_text(
        "name: bomb\nparams:\n  japan:\n    men_home_1939:\n"
        f"      dist: {laughs()}\n      low: 1\n      high: 2\n")
    assert refused(capsys, "validate", "s.yaml") == (
        f"s.yaml:5: `japan.men_home_1939.dist`: the document expands to more than "
        f"{MAX_NODES:,} values {ALIAS_NOTE}")
    assert peak_memory(lambda: load_scenario("s.yaml")) < 20_000_000


@pytest.mark.timeout(20)
def test_an_alias_bomb_in_a_set_value_is_refused_quickly(capsys) -> None:
    message = refused(capsys, "validate", HISTORICAL, "--set",
                      f"japan.men_home_1939={{dist: {laughs()}, low: 1, high: 2}}")
    assert message == (f"--set: `japan.men_home_1939.dist`: the document expands to more than "
                       f"{MAX_NODES:,} values {ALIAS_NOTE}")


@pytest.mark.timeout(20)
def test_merge_keys_and_long_text_count_in_the_expansion() -> None:
    merges = ["a0: &a0 {x: 1, y: 2, z: 3, w: 4, v: 5, u: 6, t: 7, s: 8, r: 9}"]
    merges += [f"a{i}: &a{i} {{" + ", ".join(f"k{j}: *a{i - 1}" for j in range(9)) + "}"
               for i in range(1, 8)]
    Path("merge.yaml").write_text("params:\n  " + "\n  ".join(merges)
                                  + "\n  embargo:\n    <<: *a7\n")
    with pytest.raises(ScenarioError, match="expands to more than 100,000 values"):
        load_scenario("merge.yaml")
    text = "x" * 10_000
    Path("text.yaml").write_text(f"description: &t {text}\nparams:\n  a: [" +
                                 ", ".join(["*t"] * 200) + "]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario("text.yaml")
    assert str(info.value) == (f"text.yaml:3: `a`: the document expands to more than "
                               f"{source.MAX_FILE_BYTES:,} characters of text {ALIAS_NOTE}")


def test_an_alias_that_contains_itself_is_refused() -> None:
    Path("s.yaml").write_text("params:\n  japan:\n    men_home_1939: &a [1, *a]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario("s.yaml")
    assert str(info.value) == (
        "s.yaml:3: `japan.men_home_1939`: a YAML alias repeats a part of the document that "
        "contains it (an endless structure); expected a scenario of plain values")


def test_ordinary_anchors_and_aliases_still_work() -> None:
    Path("s.yaml").write_text(
        "params:\n  khalkhin_gol:\n"
        "    soviet_trucks: &trucks {dist: triangular, low: 2600, mode: 4000, high: 4400}\n"
        "    japanese_trucks: {<<: *trucks, low: 700, mode: 900, high: 1000}\n")
    scenario = load_scenario("s.yaml")
    assert scenario.values["khalkhin_gol.soviet_trucks"].describe() == (
        "triangular(low=2600, mode=4000, high=4400)")
    assert scenario.values["khalkhin_gol.japanese_trucks"].describe() == (
        "triangular(low=700, mode=900, high=1000)")


def test_a_list_as_the_distribution_name_is_not_quoted() -> None:
    with pytest.raises(ValueError) as info:
        parse_distribution({"dist": [["x"] * 9] * 9, "low": 1, "high": 2})
    assert str(info.value) == ("`dist` must be the name of a distribution, got a list; expected "
                               "one of normal, lognormal, uniform, triangular, pert, beta, choice, "
                               "ensemble")


# --------------------------------------------------------------------------------------------
# 5. integers too big for a float
# --------------------------------------------------------------------------------------------

BIG = "1" + "0" * 400


def test_an_integer_too_big_for_a_float_in_set(capsys) -> None:
    """Was an OverflowError traceback, exit 1."""
    assert refused(capsys, "validate", HISTORICAL, "--set", f"japan.men_home_1939={BIG}") == (
        "--set: `japan.men_home_1939`: expected a number (men) of magnitude at most 1e+12, got "
        "an integer of about 401 digits")


def test_an_integer_too_big_for_a_float_in_a_file(capsys) -> None:
    Path("s.yaml").write_text(
        f"params:\n  japan.men_home_1939: {BIG}\n  decision.south_bias: -{BIG}\n")
    assert refused(capsys, "show", "s.yaml") == (
        "s.yaml:2: `japan.men_home_1939`: expected a number (men) of magnitude at most 1e+12, "
        "got an integer of about 401 digits")
    Path("s.yaml").write_text(f"params:\n  decision.south_bias: -{BIG}\n")
    assert refused(capsys, "show", "s.yaml").endswith(
        "got minus an integer of about 401 digits")


def test_an_integer_past_the_printable_limit_from_python() -> None:
    """str() refuses integers over 4,300 digits: the message must not need it."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(HISTORICAL, {"japan.men_home_1939": 10**5000})
    assert str(info.value) == ("--set: `japan.men_home_1939`: expected a number (men) of "
                               "magnitude at most 1e+12, got an integer of about 5,001 digits")


def test_integers_and_floats_up_to_the_magnitude_limit_are_accepted() -> None:
    scenario = load_scenario(HISTORICAL, {"japan.men_home_1939": 10**12,
                                          "decision.south_bias": -MAX_MAGNITUDE})
    assert scenario.values["japan.men_home_1939"] == 1e12
    assert scenario.values["decision.south_bias"] == -1e12


# --------------------------------------------------------------------------------------------
# 7. overflow past the bounds check
# --------------------------------------------------------------------------------------------


def test_a_uniform_too_wide_for_floating_point_is_refused(capsys) -> None:
    """ppf(0) was NaN, which passed the bounds check; `sim run` then failed at replication 0."""
    message = refused(capsys, "validate", HISTORICAL, "--set",
                      "japan.men_home_1939={dist: uniform, low: -1.0e+308, high: 1.0e+308}")
    assert message == (
        "--set: `japan.men_home_1939`: bad distribution for this parameter: "
        "uniform(low=-1e+308, high=1e+308) gives no number at the ends of its range (its fields "
        "are too far apart for floating-point arithmetic); narrow it")


def test_a_fixed_value_near_the_largest_float_is_refused(capsys) -> None:
    message = refused(capsys, "validate", HISTORICAL, "--set", "japan.men_home_1939=1.0e+308")
    assert message == ("--set: `japan.men_home_1939`: expected a number (men) of magnitude at "
                       "most 1e+12, got 1e+308")


@pytest.mark.parametrize("command", ["validate", "show"])
def test_a_lognormal_with_a_huge_sigma_is_refused(capsys, command: str) -> None:
    """Validated, then `sim show` failed with an OverflowError."""
    message = refused(capsys, command, HISTORICAL, "--set",
                      "north.intensity={dist: lognormal, median: 1, sigma: 500}")
    assert message == (
        "--set: `north.intensity`: bad distribution for this parameter: lognormal(median=1, "
        "sigma=500) can reach inf, beyond the largest magnitude a parameter may take (1e+12); "
        "narrow it")


@pytest.mark.parametrize(("value", "reach"), [
    ("{dist: normal, mean: 0, sd: 1.0e+300}", "can reach 7.03449e+300"),
    ("{dist: lognormal, p05: 1.0e-300, p95: 1.0e+300}", "can reach inf"),
    ("{dist: triangular, low: 0, mode: 1, high: 1.0e+200}", "can reach 1e+200"),
    ("{dist: pert, low: -1.0e+308, mode: 0, high: 1.0e+308}", "gives no number"),
])
def test_every_distribution_is_proven_finite_over_its_draws(value: str, reach: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(HISTORICAL, [f"decision.south_bias={value}"])
    assert reach in str(info.value)


def test_an_infinite_field_is_refused_however_it_is_spelled() -> None:
    """`1e400` without a dot is text to YAML; pydantic read it as an infinite float."""
    with pytest.raises(ValueError, match="Input should be a finite number"):
        Uniform(dist="uniform", low=0.0, high=math.inf)
    with pytest.raises(ScenarioError) as info:
        load_scenario(HISTORICAL, ["decision.south_bias={dist: normal, mean: 0, sd: 1e400}"])
    assert str(info.value) == ("--set: `decision.south_bias`: bad distribution: normal: `sd` "
                               "Input should be a finite number")


@pytest.mark.parametrize(("spec", "message"), [
    ({"dist": "beta", "alpha": 2, "beta": 1e300}, "needs alpha and beta in [0.001, 1e+06] "
                                                  "(got alpha=2, beta=1e+300)"),
    ({"dist": "beta", "alpha": 1e-4, "beta": 1e-20}, "needs alpha and beta in [0.001, 1e+06]"),
    ({"dist": "pert", "low": 0, "mode": 1, "high": 2, "shape": 1e10},
     "needs shape <= 1e+06 (got shape=1e+10)"),
])
def test_beta_shapes_where_scipy_gives_nan_are_refused(spec: dict, message: str) -> None:
    """SciPy's betaincinv is NaN in the middle of the range for these, while both ends (which
    validation checks) looked fine."""
    with pytest.raises(ValueError) as info:
        parse_distribution(spec)
    assert message in str(info.value)


def test_beta_quantiles_at_tiny_uniforms_are_numbers() -> None:
    """betaincinv gave NaN below u = 1e-200, even for the registry's own PERTs."""
    garrison = REGISTRY["china.garrison_men"].default
    assert garrison.ppf(1e-300) == garrison.ppf(0.0) == 600000.0
    assert parse_distribution({"dist": "beta", "alpha": 2, "beta": 5}).ppf(5e-324) == 0.0


def test_choice_weights_that_overflow_are_refused() -> None:
    """1e308 + 1e308 is infinite: every share would have been 0 and the last value always won."""
    with pytest.raises(ScenarioError, match="weights must add up to a finite number"):
        load_scenario(HISTORICAL, ["japan.men_home_1939={dist: choice, values: [1, 2], "
                                   "weights: [1.0e+308, 1.0e+308]}"])


def test_lognormal_never_raises_overflow() -> None:
    huge = LogNormal(dist="lognormal", median=1, sigma=500)
    assert huge.ppf(0.95) == math.inf and huge.mean() == math.inf
    assert huge.draw_range() == (0.0, math.inf)
    usual = LogNormal(dist="lognormal", median=100, sigma=0.5)
    low, high = usual.draw_range()
    assert low == 0.0 and high == pytest.approx(usual.ppf(LARGEST_UNIFORM)) and high < 1e4
    assert usual.ppf(1.0) == math.inf  # the mathematical end stays what it was


def test_every_registry_default_and_real_scenario_still_validates(capsys) -> None:
    code, out, err = run(capsys, "validate", str(REPO / "scenarios"))
    assert (code, err) == (0, "")
    assert out.count("ok  ") == len(list((REPO / "scenarios").glob("*.yaml")))
    for param in REGISTRY:
        assert param.check(param.default) is not None


# --------------------------------------------------------------------------------------------
# 13. messages: control characters, non-UTF-8 command-line text
# --------------------------------------------------------------------------------------------


def test_a_control_character_is_located_by_line(capsys) -> None:
    """Had no line number and leaked `\\n  in "<unicode string>", position N`."""
    Path("s.yaml").write_bytes("name: é\ndescription: \"ééé\x01\"\n".encode())
    assert refused(capsys, "validate", "s.yaml") == (
        "s.yaml:2: invalid YAML: unacceptable character U+0001 (control characters are not "
        "allowed); expected plain text: remove it, or write it as \\x01 inside double quotes")


def test_a_control_character_in_set_has_no_line(capsys) -> None:
    message = refused(capsys, "validate", HISTORICAL, "--set", "embargo.enabled=\x07")
    assert message == (
        "--set: `embargo.enabled`: invalid YAML: unacceptable character U+0007 (control "
        "characters are not allowed); expected plain text: remove it, or write it as \\x07 "
        "inside double quotes")
    assert "unicode string" not in message and "position" not in message


def test_non_utf8_bytes_on_the_command_line_are_a_one_line_error() -> None:
    """An argument that is not UTF-8 reaches Python with surrogate escapes, which the C YAML
    parser could not even take (a UnicodeEncodeError traceback)."""
    done = subprocess.run(
        [sys.executable, "-m", "sim", "validate", HISTORICAL, "--set",
         os.fsdecode(b"embargo.enabled=\xff")],
        capture_output=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 2
    assert done.stderr == (b"error: --set: `embargo.enabled`: is not UTF-8 text (byte 0xff at "
                           b"character 0); expected UTF-8 text\n")


@pytest.mark.skipif(shutil.which("mkfifo") is None or not hasattr(os, "mkfifo"),
                    reason="no FIFOs on this system")
@pytest.mark.timeout(60)
def test_the_console_script_does_not_hang_on_a_fifo(in_tmp: Path) -> None:
    os.mkfifo("pipe.yaml")
    done = subprocess.run([sys.executable, "-m", "sim", "validate", "pipe.yaml"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 2
    assert done.stderr == ("error: pipe.yaml: is a named pipe (FIFO), not a regular file; "
                           "expected a scenario YAML file\n")


def test_a_huge_integer_outside_the_bounds_is_told_the_bounds() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(HISTORICAL, {"kantokuen.persimmon_threshold": 10**5000})
    assert str(info.value) == ("--set: `kantokuen.persimmon_threshold`: expected a value in "
                               "[0, 1] (fraction), got an integer of about 5,001 digits")


def test_a_path_over_the_system_limit_with_short_parts(capsys) -> None:
    deep = "/".join(["d" * 200] * 30) + "/s.yaml"
    assert refused(capsys, "validate", deep).endswith(
        "file name too long for the file system (a path of 6,036 bytes; at most 4,096 on most "
        "systems); expected a scenario YAML file")
