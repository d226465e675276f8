"""Outcome expressions: parsed with a whitelist, evaluated on arrays, never with eval."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis.expressions import ExpressionError, compile_outcome
from sim.errors import UserError


@pytest.fixture
def outcomes() -> dict[str, np.ndarray]:
    return {
        "decision": np.array(["north", "south", "both", "hold"]),
        "north_objective": np.array(["amur", "none", "transbaikal", "border"]),
        "oil_stock_end_1942": np.array([10.0, 40.0, np.nan, 29.0]),
        "kg_japanese_casualties": np.array([17000.0, 18000.0, 19000.0, 20000.0]),
        "north_attack_date": np.array(["1941-08-29", "NaT", "1942-05-01", "NaT"], dtype="datetime64[D]"),
        "south_attack_date": np.array(["1941-12-08", "1941-12-08", "NaT", "NaT"], dtype="datetime64[D]"),
    }


@pytest.mark.parametrize(
    ("text", "expected", "is_event"),
    [
        ("decision == 'north'", [1, 0, 0, 0], True),
        ("decision != 'south'", [1, 0, 1, 1], True),
        ("north_objective in ('amur', 'transbaikal')", [1, 0, 1, 0], True),
        ("decision not in ('hold',)", [1, 1, 1, 0], True),
        ("oil_stock_end_1942 < 30", [1, 0, 0, 1], True),
        ("10 < oil_stock_end_1942 < 50", [0, 1, 0, 1], True),
        ("not decision == 'south' and oil_stock_end_1942 >= 10", [1, 0, 0, 1], True),
        ("decision == 'north' or decision == 'both'", [1, 0, 1, 0], True),
        ("north_attack_date < '1942-01-01'", [1, 0, 0, 0], True),
        ("kg_japanese_casualties", [17000, 18000, 19000, 20000], False),
        ("kg_japanese_casualties / 1000 - 17", [0, 1, 2, 3], False),
        ("-oil_stock_end_1942", [-10, -40, np.nan, -29], False),
        ("south_attack_date - north_attack_date", [101, np.nan, np.nan, np.nan], False),
    ],
)
def test_expressions_evaluate_per_replication(outcomes, text, expected, is_event) -> None:
    expr = compile_outcome(text)
    assert expr.is_event is is_event
    np.testing.assert_array_equal(expr.evaluate(outcomes), np.array(expected, dtype=float))


def test_label_and_unit() -> None:
    assert compile_outcome("decision == 'north'").label == "north"
    assert compile_outcome("decision == 'north'").unit == "share of runs"
    assert compile_outcome("kg_japanese_casualties").unit == "men"
    assert compile_outcome("oil_stock_end_1942 < 30").label == "oil_stock_end_1942 < 30"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("__import__('os').system('true')", "not allowed"),
        ("decision.upper() == 'NORTH'", "not allowed"),
        ("open('x')", "not allowed"),
        ("[x for x in decision]", "not allowed"),
        ("decison == 'north'", "did you mean `decision`"),
        ("decision == 'nort'", "did you mean `north`"),
        ("decision", "is a category"),
        ("1 < 2", "uses no outcome"),
        ("decision in 'north'", "needs a tuple"),
        ("north_attack_date < 5", "ISO date"),
        ("decision < 'north'", "only be compared"),
        ("decision + 1", "arithmetic needs numbers"),
        ("oil_stock_end_1942 <", "not valid syntax"),
        ("", "empty"),
        ("lambda: 1", "not allowed"),
        ("oil_stock_end_1942 if decision else 1", "not allowed"),
    ],
)
def test_bad_expressions_are_one_line_user_errors(text, fragment) -> None:
    with pytest.raises(UserError) as info:
        compile_outcome(text)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message
    assert isinstance(info.value, ExpressionError)


def test_evaluate_never_calls_builtins(monkeypatch, outcomes) -> None:
    import builtins

    def forbidden(*_args, **_kwargs):  # pragma: no cover - must not run
        raise AssertionError("eval/exec must not be used")

    expr = compile_outcome("decision == 'north' and oil_stock_end_1942 < 30")
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    np.testing.assert_array_equal(expr.evaluate(outcomes), [1, 0, 0, 0])


def test_missing_outcome_in_results_is_a_user_error() -> None:
    expr = compile_outcome("oil_stock_end_1942 < 30")
    with pytest.raises(UserError, match="no outcome `oil_stock_end_1942`"):
        expr.evaluate({"decision": np.array(["north"])})


def test_dates_given_as_python_dates_also_work() -> None:
    import datetime as dt

    expr = compile_outcome("north_attack_date >= '1941-09-01'")
    values = np.array([dt.date(1941, 8, 29), None, dt.date(1941, 9, 1)], dtype=object)
    np.testing.assert_array_equal(expr.evaluate({"north_attack_date": values}), [0, 0, 1])
