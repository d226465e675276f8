"""Adversarial fuzzing of the inputs: special files, huge integers and floats, extreme
distribution parameters, long and odd file names, YAML alias bombs and control characters.

Beside `test_fuzz_scenarios.py` (which mutates valid scenarios), these strategies aim at the
loader's limits.  Every case runs the CLI in-process (or `load_scenario`) with the real
registry under a per-case deadline, and must end in success or one `error: ...` line with exit
code 2: no traceback, no hang and no more than a few hundred MB.  When a value is accepted, the
oracle checks what validation promises: every draw of every distribution, over the whole range
of uniforms, is a finite number inside the parameter's hard bounds, and `sim show` prints it.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import resource
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.distributions import is_distribution
from sim.errors import UserError
from sim.params import MAX_MAGNITUDE
from sim.quantiles import LARGEST_UNIFORM
from sim.registry import REGISTRY
from sim.scenario import load_scenario, source
from sim.scenario.yaml_bounds import MAX_NODES

REPO = Path(__file__).resolve().parents[1]
HISTORICAL = REPO / "scenarios" / "historical.yaml"
#: Seconds one case may take before it counts as a hang.
CASE_DEADLINE = 5
#: Growth of the process's peak memory that counts as a blow-up.
MEMORY_GROWTH = 300 * 2**20
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                      HealthCheck.function_scoped_fixture])
CASES: Counter[str] = Counter()

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX interval timers"),
    # a thread, not SIGALRM: the per-case deadline below owns the real-time timer
    pytest.mark.timeout(300, method="thread"),
]

NUMBER_PARAMS = [p.name for p in REGISTRY if p.kind in ("float", "int")]
DATE_PARAMS = [p.name for p in REGISTRY if p.kind == "date"]
OTHER_PARAMS = [p.name for p in REGISTRY if p.kind in ("bool", "choice")]


@pytest.fixture(scope="module", autouse=True)
def report_case_counts() -> Iterator[None]:
    yield
    print("\nfuzz cases run: " + ", ".join(f"{k} {v}" for k, v in sorted(CASES.items()))
          + f"; total {sum(CASES.values())}")


class Hang(Exception):
    """A case ran past :data:`CASE_DEADLINE`."""


def _peak_rss() -> int:
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


@contextlib.contextmanager
def bounded_case(name: str) -> Iterator[None]:
    """One fuzz case: counted, interrupted after CASE_DEADLINE seconds (a blocking open or
    read included), and failed if the process's peak memory grew past MEMORY_GROWTH."""

    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"{name}: no answer within {CASE_DEADLINE} s")

    CASES[name] += 1
    before = _peak_rss()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, CASE_DEADLINE)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert _peak_rss() - before < MEMORY_GROWTH, f"{name}: memory grew past 300 MB"


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(argv))
        except SystemExit as exc:
            code = exc.code
        else:  # pragma: no cover - main always exits
            code = 0
    return int(code or 0), out.getvalue(), err.getvalue()


def assert_clean(code: int, out: str, err: str,
                 where: str | tuple[str, ...] | None = None) -> str | None:
    """Exit 0, or exit 2 with one `error: ` line (starting with ``where`` when given); the
    message, when there is one."""
    assert "Traceback" not in err, err
    assert code in (0, 2), (code, err)
    if code == 0:
        assert err == "", err
        return None
    assert err.startswith("error: ") and err.count("\n") == 1, err
    message = err.removeprefix("error: ").removesuffix("\n")
    if where is not None:
        assert message.startswith(where), message
    return message


def assert_draws_are_proven(scenario: Any) -> None:
    """What an accepted scenario promises: every draw, for any uniform from 0 to 1, is a
    finite number inside the hard bounds and the magnitude limit (dates inside their bounds)."""
    uniforms = (0.0, 5e-324, 1e-12, 0.05, 0.5, 0.95, 1 - 1e-6, LARGEST_UNIFORM)
    for name, value in scenario.values.items():
        param = scenario.registry[name]
        draws = [value.ppf(u) for u in uniforms] if is_distribution(value) else [value]
        for x in draws:
            if param.kind in ("float", "int"):
                assert isinstance(x, (int, float)) and math.isfinite(x), (name, value, x)
                assert abs(x) <= MAX_MAGNITUDE, (name, value, x)
            if param.bounds is not None and param.kind in ("float", "int", "date"):
                lo, hi = param.bounds
                assert (lo is None or x >= lo) and (hi is None or x <= hi), (name, value, x)
    scenario.sampler().central()


# --------------------------------------------------------------------------------------------
# Numbers: huge integers, extreme floats, in every YAML spelling
# --------------------------------------------------------------------------------------------

EXTREME_FLOATS = [1.0e308, -1.0e308, 1.7976931348623157e308, 5e-324, -5e-324, 1e-300, 1e300,
                  2.0**53 + 1, MAX_MAGNITUDE, -MAX_MAGNITUDE, MAX_MAGNITUDE * (1 + 2**-52), 0.0,
                  -0.0, 1e12 + 0.5, math.inf, -math.inf, math.nan]


def yaml_number(draw: st.DrawFn) -> str:
    """A number as YAML text: decimal, signed, underscored, hex, octal, exponent, special."""
    kind = draw(st.sampled_from(["int", "bigint", "float", "extreme", "spelling"]))
    if kind == "int":
        return str(draw(st.integers(-10**15, 10**15)))
    if kind == "bigint":
        digits = draw(st.integers(15, 4400))
        return draw(st.sampled_from(["", "-", "+"])) + "9" * digits
    if kind == "float":
        return repr(draw(st.floats(allow_nan=True, allow_infinity=True)))
    if kind == "extreme":
        x = draw(st.sampled_from(EXTREME_FLOATS))
        return {math.inf: ".inf", -math.inf: "-.inf"}.get(x, ".nan" if x != x else repr(x))
    return draw(st.sampled_from([
        "0x" + "f" * 300, "-0x" + "F" * 80, "0o" + "7" * 400, "1_000_000_000_000_000",
        "1e400", "-1e400", "1.0e+308", "1.0e+309", "0b" + "1" * 1100, "1" + "0" * 308 + ".0",
        ".NaN", "-.Inf", "+.inf", "1e-400", "190:20:30", "0x_1", "9" * 4301,
    ]))


@st.composite
def number_or_distribution(draw: st.DrawFn) -> str:
    """A fixed number, or a distribution whose fields are extreme numbers, as flow YAML."""
    if draw(st.booleans()):
        return yaml_number(draw)
    dist = draw(st.sampled_from(["normal", "lognormal", "uniform", "triangular", "pert", "beta",
                                 "choice"]))
    fields = {
        "normal": ["mean", "sd", "low", "high"], "lognormal": ["median", "sigma", "p05", "p95"],
        "uniform": ["low", "high"], "triangular": ["low", "mode", "high"],
        "pert": ["low", "mode", "high", "shape"], "beta": ["alpha", "beta", "low", "high"],
        "choice": [],
    }[dist]
    if dist == "choice":
        values = [yaml_number(draw) for _ in range(draw(st.integers(1, 4)))]
        weights = [yaml_number(draw) for _ in values]
        extra = f", weights: [{', '.join(weights)}]" if draw(st.booleans()) else ""
        return f"{{dist: choice, values: [{', '.join(values)}]{extra}}}"
    chosen = draw(st.lists(st.sampled_from(fields), unique=True, min_size=1))
    body = ", ".join(f"{k}: {yaml_number(draw)}" for k in chosen)
    return f"{{dist: {dist}, {body}}}"


@settings(FUZZ, max_examples=1200)
@given(name=st.sampled_from(NUMBER_PARAMS), value=number_or_distribution())
def test_extreme_numbers_in_set_are_refused_or_proven(name: str, value: str) -> None:
    with bounded_case("numbers via --set"):
        try:
            scenario = load_scenario(HISTORICAL, [f"{name}={value}"])
        except UserError as exc:
            message = str(exc)
            assert message.startswith(f"--set: `{name}`") and "\n" not in message, message
        else:
            assert_draws_are_proven(scenario)


@settings(FUZZ, max_examples=400)
@given(name=st.sampled_from(NUMBER_PARAMS), value=number_or_distribution(),
       command=st.sampled_from([("validate",), ("show",), ("show", "--format", "json"),
                                ("show", "--format", "yaml", "--all")]))
def test_extreme_numbers_in_a_file_through_the_cli(tmp_path: Path, name: str, value: str,
                                                   command: tuple[str, ...]) -> None:
    target = tmp_path / "s.yaml"
    group, rest = name.split(".", 1)
    target.write_text(f"name: s\nparams:\n  {group}:\n    {rest}: {value}\n")
    with bounded_case("numbers in a file (CLI)"):
        assert_clean(*run_cli(*command, str(target)), where=str(target))


# --------------------------------------------------------------------------------------------
# Special files, long and odd names, as the scenario or in `extends`
# --------------------------------------------------------------------------------------------

SPECIALS = ["regular", "empty", "directory", "fifo", "dev-zero", "dev-urandom", "dev-null",
            "symlink-to-fifo", "symlink-to-device", "symlink-loop", "dangling-symlink", "missing",
            "through-a-file", "sparse-huge", "just-over-the-limit", "long-name", "odd-name"]
ODD_CHARS = st.characters(codec="utf-8", exclude_characters="/\x00")


def make_special(draw: st.DrawFn, root: Path, kind: str) -> str:
    """Make a path of ``kind`` under ``root``; return it as the user would write it."""
    path = root / f"{kind}.yaml"
    if kind == "regular":
        path.write_text("name: ok\nparams: {}\n")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "directory":
        path.mkdir()
    elif kind in ("fifo", "symlink-to-fifo"):
        fifo = root / "pipe"
        if not fifo.exists():
            os.mkfifo(fifo)
        if kind == "fifo":
            return str(fifo)
        path.symlink_to(fifo)
    elif kind.startswith("dev-"):
        return "/dev/" + kind.removeprefix("dev-")
    elif kind == "symlink-to-device":
        path.symlink_to("/dev/zero")
    elif kind == "symlink-loop":
        path.symlink_to(path)
    elif kind == "dangling-symlink":
        path.symlink_to(root / "nowhere")
    elif kind == "through-a-file":
        path.write_text("{}\n")
        return str(path / "inner.yaml")
    elif kind == "sparse-huge":  # holes: no disk used
        with open(path, "wb") as handle:
            handle.truncate(draw(st.sampled_from([source.MAX_FILE_BYTES + 1, 2**31])))
    elif kind == "just-over-the-limit":
        path.write_bytes(b"#" * (source.MAX_FILE_BYTES + 1))
    elif kind == "long-name":
        return str(root / ("n" * draw(st.integers(200, 6000)) + ".yaml"))
    elif kind == "odd-name":
        name = draw(st.text(ODD_CHARS, min_size=1, max_size=40))
        odd = root / name
        with contextlib.suppress(OSError, ValueError):
            odd.write_text("params: {}\n")
        return str(odd)
    return str(path)


needs_posix_files = pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(),
                                       reason="needs FIFOs and /dev/zero")


@needs_posix_files
@settings(FUZZ, max_examples=500)
@given(data=st.data(), kind=st.sampled_from(SPECIALS), via_extends=st.booleans(),
       command=st.sampled_from(["validate", "show"]))
def test_special_files_and_odd_names_never_hang_or_crash(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, kind: str,
    via_extends: bool, command: str,
) -> None:
    root = tmp_path_factory.mktemp("special")
    target = make_special(data.draw, root, kind)
    if via_extends:
        referrer = root / "referrer.yaml"
        referrer.write_text("name: r\nextends: " + yaml.safe_dump(target, width=10**6).strip()
                            .removesuffix("\n...") + "\n")
        # the referrer is blamed for what it names, the file itself for what it holds
        argv, where = [command, str(referrer)], (f"{referrer}:2: `extends`: extends ", target)
    else:
        argv, where = [command, target], None
    with bounded_case(f"special files ({'extends' if via_extends else 'argument'})"):
        message = assert_clean(*run_cli(*argv), where=where)
    if kind not in ("regular", "odd-name"):
        assert message is not None, kind


# --------------------------------------------------------------------------------------------
# Alias bombs, anywhere in a file or a --set value
# --------------------------------------------------------------------------------------------

BOMB_PLACES = [
    "description: {bomb}\n",
    "name: {bomb}\n",
    "extends: {bomb}\n",
    "{bomb}: 1\n",
    "params: {bomb}\n",
    "params:\n  japan.men_home_1939: {bomb}\n",
    "params:\n  japan.men_home_1939: {{dist: {bomb}, low: 1, high: 2}}\n",
    "params:\n  japan.men_home_1939: {{dist: choice, values: {bomb}}}\n",
    "params:\n  japan.men_home_1939: {{dist: uniform, low: {bomb}, high: 2}}\n",
    "params:\n  embargo: {{<<: {bomb}}}\n",
]


@st.composite
def alias_bomb(draw: st.DrawFn) -> tuple[str, int]:
    """A flow-YAML value whose aliases expand to ``width ** levels`` leaves (lists, mappings or
    long strings), and that number."""
    levels, width = draw(st.integers(1, 14)), draw(st.integers(2, 12))
    shape = draw(st.sampled_from(["list", "mapping", "text", "self"]))
    leaf = "x" * draw(st.integers(1, 5000)) if shape == "text" else "x"
    if shape == "self":
        return "&s [1, *s]", 10**9
    if shape == "mapping":
        parts = ["&a0 {" + ", ".join(f"k{j}: {leaf}" for j in range(width)) + "}"]
        parts += [f"&a{i} {{" + ", ".join(f"k{j}: *a{i - 1}" for j in range(width)) + "}"
                  for i in range(1, levels)]
        inner = ", ".join(f"m{i}: {p}" for i, p in enumerate(parts))
        return "{" + inner + "}", width ** levels
    parts = ["&a0 [" + ", ".join([leaf] * width) + "]"]
    parts += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]", width ** levels


@settings(FUZZ, max_examples=500)
@given(bomb=alias_bomb(), place=st.sampled_from(BOMB_PLACES), via_set=st.booleans())
def test_alias_bombs_are_refused_quickly(tmp_path: Path, bomb: tuple[str, int], place: str,
                                         via_set: bool) -> None:
    text, leaves = bomb
    if via_set:
        argv = ["validate", str(HISTORICAL), "--set", f"japan.men_home_1939={text}"]
        where = "--set: `japan.men_home_1939"
    else:
        target = tmp_path / "bomb.yaml"
        target.write_text(place.format(bomb=text))
        argv, where = ["show", str(target)], str(target)
    with bounded_case("alias bombs"):
        message = assert_clean(*run_cli(*argv), where=where)
    assert message is not None  # no bomb is a valid scenario
    if leaves > 10 * MAX_NODES and "invalid YAML" not in message:
        assert "expands to more than" in message or "contains it" in message, message


# --------------------------------------------------------------------------------------------
# Control characters and bytes that are not UTF-8
# --------------------------------------------------------------------------------------------

VALID_TEXT = """\
# a valid scenario: every line can take a bad character
name: controls
description: "Text with a quoted part."
params:
  embargo:
    enabled: true
    date: 1941-08-01
  khalkhin_gol.soviet_men: {dist: pert, low: 50000, mode: 57000, high: 73961}
"""
#: Characters YAML refuses anywhere (C0 and C1 controls other than tab, line breaks and NEL,
#: the non-characters U+FFFE and U+FFFF).
REFUSED = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                            *range(0x7F, 0x85), *range(0x86, 0xA0), 0xFFFE, 0xFFFF]]
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


@settings(FUZZ, max_examples=600)
@given(index=st.integers(0, len(VALID_TEXT)), char=st.sampled_from(REFUSED),
       before=st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Cn"]),
                      max_size=3))
def test_control_characters_are_located_by_line(tmp_path: Path, index: int, char: str,
                                                before: str) -> None:
    text = VALID_TEXT[:index] + before + char + VALID_TEXT[index:]
    target = tmp_path / "s.yaml"
    target.write_text(text, encoding="utf-8")
    with bounded_case("control characters (file)"):
        message = assert_clean(*run_cli("validate", str(target)), where=str(target))
    assert message is not None
    if "unacceptable character" in message:  # else another error came first
        line = len(_BREAK.findall(text, 0, index + len(before))) + 1
        assert message.startswith(f"{target}:{line}: invalid YAML: unacceptable character "
                                  f"U+{ord(char):04X}"), message
    assert "unicode string" not in message and "position" not in message, message


@settings(FUZZ, max_examples=400)
@given(name=st.sampled_from(NUMBER_PARAMS + DATE_PARAMS + OTHER_PARAMS),
       raw=st.binary(min_size=1, max_size=20))
def test_any_bytes_in_set_are_a_one_line_error(name: str, raw: bytes) -> None:
    """A command-line argument reaches Python with its non-UTF-8 bytes as surrogate escapes."""
    value = os.fsdecode(raw)
    with bounded_case("bytes via --set"):
        message = assert_clean(*run_cli("validate", str(HISTORICAL), "--set", f"{name}={value}"),
                               where="--set")
    if message is not None:
        assert "unicode string" not in message and "position" not in message, message
