"""Fuzzing the outcome expressions and the analyses' options: no input ends in a traceback, a
hang or a memory blow-up, and every check runs before anything is simulated.

Hypothesis writes expressions from every operator Python has (allowed or not), the names of
every outcome and unknown ones, huge and odd numeric literals, unicode and control characters,
and deep or long chains around the size and depth limits; and it gives the analysis commands
huge, zero, negative and non-numeric option values.  The oracle:

* ``compile_outcome`` returns, or raises an ``ExpressionError`` whose message is one bounded
  line naming the option; what compiles evaluates, without a warning, to one float per
  replication on outcomes with missing values;
* the CLI exits 2 with one ``error: ...`` line (or click's own usage error for a value that is
  not a number), or reaches the engine, which a sentinel stands in for: nothing is simulated;
* every case finishes within a few seconds (an alarm per case) and allocates less than a few
  hundred MB (traced per case), with the analyses' memory limit lowered to 256 MB so that an
  accepted size is also a small one.
"""

from __future__ import annotations

import contextlib
import io
import signal
import tracemalloc
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim.analysis.evaluation as evaluation
import sim.analysis.options as analysis_options
import sim.sweep.run as sweep_run
from sim.analysis.expressions import MAX_DEPTH, MAX_LENGTH, ExpressionError, compile_outcome
from sim.cli import main
from sim.errors import UserError
from sim.outcomes import OUTCOMES
from sim.analysis.discovery import discover
from sim.analysis.sensitivity import analyse
from sim.analysis.sensitivity.methods import salib
from sim.analysis.shapley import attribute
from sim.scenario import load_scenario
from sim.sweep import parse_measures, sweep

REPO = Path(__file__).resolve().parent.parent
HISTORICAL = str(REPO / "scenarios" / "historical.yaml")
CASE_SECONDS = 30.0  # generous: the machine may be shared; a hang is far longer
CASE_BYTES = 300 * 2**20
FUZZ_MEMORY_LIMIT = 256 * 2**20
CASES = {"expressions": 1500, "deep": 300, "cli_expressions": 150, "cli_options": 300,
         "api_options": 200}


def fuzz(name: str) -> settings:
    return settings(max_examples=CASES[name], deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


class ReachedSimulation(Exception):
    """Raised instead of running the engine: the input passed every check."""


class CaseTimeout(Exception):
    """A case ran past :data:`CASE_SECONDS`."""


@contextlib.contextmanager
def bounded_case() -> Iterator[None]:
    """One case: interrupted after CASE_SECONDS, and its allocations traced (only while it
    runs: tracing hypothesis itself would multiply the run time)."""
    def expire(_signum: int, _frame: object) -> None:
        raise CaseTimeout(f"a case ran for more than {CASE_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    tracemalloc.start()
    try:
        yield
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert peak < CASE_BYTES, f"a case allocated {peak / 2**20:.0f} MB"


@pytest.fixture
def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine replaced by a sentinel, and a small memory limit for the analyses."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ReachedSimulation

    monkeypatch.setattr(evaluation, "run_batch", refuse)
    monkeypatch.setattr(sweep_run, "run_batch", refuse)
    monkeypatch.setattr(analysis_options, "memory_limit", lambda: FUZZ_MEMORY_LIMIT)


# ------------------------------------------------------------------------------ strategies
NAMES = [o.name for o in OUTCOMES]
CATEGORIES = sorted({c for o in OUTCOMES for c in o.categories})
ANY_CHARACTER = st.characters(exclude_categories=())  # surrogates and control characters too

numbers = st.one_of(
    st.integers(-10**30, 10**30).map(str),
    st.integers(0, 10**500).map(lambda n: f"{n:_}" if n % 3 == 0 else str(n)),
    st.integers(0, 16**300).map(hex),
    st.integers(0, 2**100).map(lambda n: oct(n) if n % 2 else bin(n)),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e999", "-1e999", "1e-999", "1j", "0x", "1_", "09", "1__0", ".5", "5.",
                     "0b2", "1e", "0o8", "4" * 5000, "0x" + "f" * 1000, "1.7976931348623157e308",
                     "2**1024", "10**400", "1/0", "0**-1", "(-8)**(1/3)", "2**2**2**2**2"]),
)
strings = st.one_of(
    st.sampled_from(CATEGORIES).map(repr),
    st.dates().map(lambda d: repr(d.isoformat())),
    st.sampled_from(["'1941-13-01'", "'1941-02-30'", "'1941-W05-1'", "'19410901'", "''",
                     "b'north'", "f'{decision}'", "'\\N{BULLET}'", "'unterminated", "'''x'''",
                     "r'\\x'", "u'north'"]),
    st.text(ANY_CHARACTER, max_size=30).map(repr),
)
names = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(NAMES).map(lambda n: n[:-1] or n),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,40}", fullmatch=True),
    st.sampled_from(["__import__", "eval", "open", "os", "True", "None", "nan", "inf",
                     "ｄｅｃｉｓｉｏｎ", "decision\u200b", "__builtins__", "self", "_"]),
)
atoms = st.one_of(names, numbers, strings, st.sampled_from(["True", "False", "None", "...", "()"]))
UNARY = ["-", "+", "~", "not "]
BINARY = ["+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^", "and", "or"]
COMPARE = ["==", "!=", "<", "<=", ">", ">=", "is", "is not", "in", "not in"]


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(inner, inner)
    return st.one_of(
        st.tuples(st.sampled_from(UNARY), inner).map("".join),
        st.tuples(inner, st.sampled_from(BINARY + COMPARE), inner).map(" ".join),
        inner.map(lambda x: f"({x})"),
        st.lists(inner, min_size=1, max_size=4).map(lambda xs: f"({', '.join(xs)},)"),
        st.lists(inner, max_size=4).map(lambda xs: f"[{', '.join(xs)}]"),
        st.lists(inner, min_size=1, max_size=4).map(lambda xs: "{" + ", ".join(xs) + "}"),
        pair.map(lambda p: f"{p[0]}({p[1]})"),  # calls
        inner.map(lambda x: f"{x}.upper"),  # attributes
        pair.map(lambda p: f"{p[0]}[{p[1]}]"),  # subscripts
        st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} if {t[1]} else {t[2]}"),
        inner.map(lambda x: f"lambda: {x}"),
        pair.map(lambda p: f"[{p[0]} for x in {p[1]}]"),
        inner.map(lambda x: f"(y := {x})"),
        inner.map(lambda x: f"*{x}"),
        inner.map(lambda x: f"{{{x}: 1}}"),
        inner.map(lambda x: f"f'{{{x}}}'"),
        pair.map(lambda p: f"{p[0]}[{p[1]}:{p[1]}]"),
    )


expressions = st.recursive(atoms, _extend, max_leaves=12)

# Well-typed expressions, most of which compile: numbers, conditions and their combinations.
NUMERIC = [o.name for o in OUTCOMES if o.kind in ("count", "number")]
DATES = [o.name for o in OUTCOMES if o.kind == "date"]
CATEGORICAL = [o for o in OUTCOMES if o.kind == "category"]
ORDER = ["==", "!=", "<", "<=", ">", ">="]
number_literals = st.one_of(st.integers(-10**6, 10**6).map(str),
                            st.floats(-1e6, 1e6, allow_nan=False).map(repr), numbers)
numeric = st.recursive(
    st.one_of(st.sampled_from(NUMERIC), number_literals,
              st.tuples(st.sampled_from(DATES), st.sampled_from(DATES)).map(" - ".join)),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "//", "%", "**"]), inner)
        .map(lambda t: f"({' '.join(t)})"),
        inner.map(lambda x: f"-{x}"),
    ),
    max_leaves=6,
)
category_conditions = st.sampled_from(CATEGORICAL).flatmap(lambda o: st.one_of(
    st.tuples(st.sampled_from(["==", "!="]), st.sampled_from([*o.categories, "nort", ""]))
    .map(lambda t, name=o.name: f"{name} {t[0]} {t[1]!r}"),
    st.lists(st.sampled_from(o.categories), min_size=1, max_size=3)
    .map(lambda vs, name=o.name: f"{name} {'not in' if len(vs) == 2 else 'in'} ({', '.join(map(repr, vs))},)"),
))
date_conditions = st.tuples(st.sampled_from(DATES), st.sampled_from(ORDER),
                            st.dates().map(lambda d: repr(d.isoformat()))).map(" ".join)
condition_atoms = st.one_of(
    st.tuples(numeric, st.sampled_from(ORDER), numeric).map(" ".join),
    st.tuples(numeric, st.lists(number_literals, min_size=1, max_size=3))
    .map(lambda t: f"{t[0]} in ({', '.join(t[1])},)"),
    category_conditions, date_conditions,
)
conditions = st.recursive(
    condition_atoms,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({' '.join(t)})"),
        inner.map(lambda x: f"not {x}"),
    ),
    max_leaves=6,
)
well_typed = st.one_of(conditions, numeric)
raw_text = st.text(ANY_CHARACTER, max_size=200)


@st.composite
def deep_or_long(draw: st.DrawFn) -> str:
    """A unit repeated around and far beyond the size and depth limits."""
    unit, tail = draw(st.sampled_from([
        ("-", "oil_stock_end_1942 > 1"), ("not ", "decision == 'north'"), ("~", "1"),
        ("+", "oil_stock_end_1942 > 1"), ("-(", "oil_stock_end_1942"), ("(", "decision"),
        ("[", "1"), ("not (", "decision == 'south'"), ("lambda: ", "1"),
    ]))
    count = draw(st.one_of(st.integers(0, MAX_DEPTH + 5), st.integers(MAX_DEPTH, 1200),
                           st.integers(1200, 200_000)))
    closing = "".join({"(": ")", "[": "]"}.get(c, "") for c in unit)
    prefix = unit * count + tail + closing * count
    chain = draw(st.sampled_from([" + 1", " and decision == 'north'", " ** 2", " < 1", " or True",
                                  ", 1", " - kg_soviet_casualties"]))
    return prefix + chain * draw(st.one_of(st.integers(0, 60), st.integers(60, 40_000)))


# ------------------------------------------------------------------------------ oracles
def synthetic_outcomes(n: int = 7) -> dict[str, np.ndarray]:
    """Every outcome, with values of its kind, missing ones and extremes."""
    out: dict[str, np.ndarray] = {}
    for i, o in enumerate(OUTCOMES):
        if o.kind == "category":
            out[o.name] = np.array([o.categories[(i + j) % len(o.categories)] for j in range(n)])
        elif o.kind == "date":
            out[o.name] = np.array(["1941-08-29", "NaT", "1939-01-01", "1945-08-15", "NaT",
                                    "1941-12-08", "1942-05-01"][:n], dtype="datetime64[D]")
        else:
            out[o.name] = np.array([0.0, -1.0, np.nan, 1e308, 3.5, -1e-300, 42.0][:n])
    return out


OUTCOME_VALUES = synthetic_outcomes()


def check_expression(text: str, option: str = "--outcome") -> str:
    """"compiled" (and evaluated cleanly) or "refused" (a one-line ExpressionError naming the
    option)."""
    with bounded_case():
        try:
            expr = compile_outcome(text, option=option)
        except ExpressionError as exc:
            message = str(exc)
            assert "\n" not in message and message.startswith(option), message
            assert len(message) < 2000, len(message)
            return "refused"
        assert len(text) <= MAX_LENGTH
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            values = expr.evaluate(OUTCOME_VALUES)
        assert values.dtype == np.float64 and values.shape == (7,), (text, values)
        assert expr.label and isinstance(expr.unit, str)
    return "compiled"


def run_cli(argv: list[str]) -> str:
    """``sim ARGV`` in-process: "refused" (exit 2, one error line), "usage" (click's own
    one-line message for a value of the wrong type) or "reached" (every check passed)."""
    err = io.StringIO()
    with bounded_case(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except ReachedSimulation:
            return "reached"
        except SystemExit as exc:
            code = exc.code
        else:  # pragma: no cover - main always exits
            code = 0
    text = err.getvalue()
    assert code == 2, (argv, code, text)
    assert "Traceback" not in text, text
    assert text.startswith("error: ") and text.count("\n") == 1, (argv, text)
    assert len(text) < 2000, len(text)
    if text.startswith(("error: Invalid value for", "error: No such option")):
        return "usage"  # click's check of the value's type, in one line like the others
    return "refused"


# ------------------------------------------------------------------------------ tests
@pytest.mark.timeout(300, method="thread")
def test_any_expression_compiles_and_evaluates_or_is_a_one_line_error() -> None:
    seen: Counter[str] = Counter()

    @fuzz("expressions")
    @given(text=st.one_of(well_typed, expressions, raw_text))
    def case(text: str) -> None:
        seen[check_expression(text)] += 1

    case()
    report("expressions", seen)
    assert seen["compiled"] >= 20 and seen["refused"] >= 500


@pytest.mark.timeout(300, method="thread")
def test_deep_and_long_expressions_are_bounded() -> None:
    seen: Counter[str] = Counter()

    @fuzz("deep")
    @given(text=deep_or_long())
    def case(text: str) -> None:
        seen[check_expression(text, option="--target")] += 1

    case()
    report("deep", seen)
    assert seen["compiled"] >= 10 and seen["refused"] >= 100


@pytest.mark.timeout(300, method="thread")
def test_expressions_are_checked_before_anything_runs(no_simulation) -> None:
    seen: Counter[str] = Counter()

    @fuzz("cli_expressions")
    @given(command=st.sampled_from(sorted(EXPRESSION_OPTIONS)),
           text=st.one_of(well_typed, expressions, deep_or_long(), st.sampled_from(NAMES),
                          st.tuples(names, st.sampled_from(["=", "=north", "=nort", "= "]))
                          .map("".join)))
    def case(command: str, text: str) -> None:
        option, *extra = EXPRESSION_OPTIONS[command]
        outcome = run_cli([command, HISTORICAL, option, text, *extra])
        seen[outcome] += 1
        assert outcome == ("reached" if accepted(command, text) else "refused"), (command, text)

    case()
    report("cli_expressions", seen)
    assert seen["reached"] >= 10 and seen["refused"] >= 50


EXPRESSION_OPTIONS = {
    # six factors (64 combinations) keep the default runs inside the fuzz memory limit
    "explain": ["--outcome", "--factors",
                "khalkhin_gol,molotov_ribbentrop,neutrality_pact,embargo,china_drain,barbarossa"],
    "sensitivity": ["--outcome", "--method", "oat", "--params", "decision.w_oil"],
    "discover": ["--target"],
    "sweep": ["--outcome", "--vary", "barbarossa.pressure=1:2:2"],
}


def accepted(command: str, text: str) -> bool:
    """Whether the checks alone (no simulation) accept ``text`` for ``command``."""
    try:
        if command == "sweep":
            parse_measures([text])
            return True
        expr = compile_outcome(text)
    except UserError:
        return False
    return expr.is_event or command != "discover"


huge = st.one_of(st.integers(10**6, 10**20), st.integers(10**20, 10**400)).map(str)
small = st.integers(-5, 40).map(str)
odd = st.sampled_from(["", " ", "abc", "1e3", "1.5", "0x10", "nan", "inf", "-0", "+3", "١٢",
                       "1_000", "9" * 5000, "--", "None"])
option_values = st.one_of(huge, small, odd)

OPTIONS = {
    "explain": ["--runs", "--bootstrap", "--seed"],
    "sensitivity": ["--samples", "--replications", "--seed"],
    "discover": ["--samples", "--replications", "--seed", "--max-boxes", "--min-density"],
    "sweep": ["--runs", "--seed"],
}
BASE = {
    "explain": ["--factors", "embargo,neutrality_pact", "--runs", "4", "--bootstrap", "10"],
    "sensitivity": ["--params", "decision.w_oil,barbarossa.pressure", "--samples", "4",
                    "--replications", "2"],
    "discover": ["--samples", "10", "--replications", "2", "--params", "decision.w_oil"],
    "sweep": ["--vary", "barbarossa.pressure=1:2:3", "--runs", "2"],
}


@pytest.mark.timeout(600, method="thread")
def test_option_values_are_refused_up_front_or_accepted(no_simulation) -> None:
    seen: Counter[str] = Counter()

    @fuzz("cli_options")
    @given(command=st.sampled_from(sorted(OPTIONS)),
           method=st.sampled_from(["sobol", "morris", "oat"]), data=st.data())
    def case(command: str, method: str, data: st.DataObject) -> None:
        chosen = data.draw(st.lists(st.sampled_from(OPTIONS[command]), min_size=1, max_size=3,
                                    unique=True))
        argv = [command, HISTORICAL, *BASE[command]]
        if command == "sensitivity":
            argv += ["--method", method]
        for option in chosen:
            argv += [option, data.draw(option_values)]  # the last of a repeated option wins
        seen[run_cli(argv)] += 1

    case()
    report("cli_options", seen)
    assert seen["reached"] >= 20 and seen["refused"] >= 50 and seen["usage"] >= 10


api_values = st.one_of(
    st.integers(-10**400, 10**400), st.integers(-3, 40), st.floats(allow_nan=True),
    st.text(max_size=5), st.none(), st.booleans(), st.just([1]), st.just(np.int64(16)),
)
API_OPTIONS = {
    "attribute": ("runs", "bootstrap", "seed"),
    "analyse": ("samples", "replications", "seed"),
    "discover": ("samples", "replications", "seed", "max_boxes", "min_density"),
    "sweep": ("runs", "seed"),
}


@pytest.mark.timeout(600, method="thread")
def test_option_values_through_the_python_api(no_simulation, historical) -> None:
    """The same checks for a notebook's arguments of any type: a one-line UserError, or the
    engine reached."""
    seen: Counter[str] = Counter()
    small = {"attribute": {"outcome": "decision == 'north'", "factors": ["embargo"], "runs": 4,
                           "bootstrap": 10},
             "analyse": {"params": "decision.w_oil", "samples": 4, "replications": 2},
             "discover": {"params": "decision.w_oil", "samples": 10, "replications": 2},
             "sweep": {"vary": ["barbarossa.pressure=1:2:2"], "runs": 2}}

    @fuzz("api_options")
    @given(function=st.sampled_from(sorted(API_OPTIONS)),
           method=st.sampled_from(["sobol", "morris", "oat"]), data=st.data())
    def case(function: str, method: str, data: st.DataObject) -> None:
        kwargs = dict(small[function])
        for name in data.draw(st.lists(st.sampled_from(API_OPTIONS[function]), min_size=1,
                                       max_size=2, unique=True)):
            kwargs[name] = data.draw(api_values)
        if function == "analyse":
            kwargs["method"] = method
        call = {"attribute": attribute, "analyse": analyse, "discover": discover,
                "sweep": sweep}[function]
        with bounded_case():
            try:
                call(historical, **kwargs)
            except ReachedSimulation:
                seen["reached"] += 1
            except UserError as exc:
                assert "\n" not in str(exc) and len(str(exc)) < 2000, str(exc)
                seen["refused"] += 1

    case()
    report("api_options", seen)
    assert seen["reached"] >= 10 and seen["refused"] >= 50


@pytest.fixture(scope="module")
def historical() -> object:
    return load_scenario(HISTORICAL)


@pytest.fixture(scope="module", autouse=True)
def imported() -> None:
    """SALib (and scipy) imported before any timed case: an alarm inside an import would
    leave a half-imported module behind for every later case."""
    with contextlib.suppress(UserError):  # an optional extra: its absence is a UserError
        salib()


def report(name: str, seen: Counter[str]) -> None:
    """The cases a fuzz test ran, by outcome (shown with ``pytest -s``)."""
    print(f"\n{name}: {sum(seen.values())} cases, " + ", ".join(f"{k} {v}" for k, v in sorted(seen.items())))
