"""Outcome expressions: the question an analysis asks, written the way a historian would say it.

``"decision == 'north'"``, ``"north_objective in ('amur', 'transbaikal')"``,
``"oil_stock_end_1942 < 30"``, ``"north_attack_date < '1941-10-01'"`` or a bare numeric outcome
such as ``"kg_japanese_casualties"``.  The text is parsed with :mod:`ast` and checked against a
strict whitelist (outcome names, constants, comparisons, ``and``/``or``/``not``, ``in`` with a
tuple, arithmetic) and then evaluated on numpy arrays by a small interpreter: user text is never
handed to ``eval``, so an expression cannot call functions, reach attributes or import anything.

A boolean expression evaluates to 1.0/0.0 per replication, so its mean is the probability of
the event.  Missing values (an attack that never happened, ``NaT``/``NaN``) make every
comparison false and every arithmetic result ``NaN``; analyses average over the defined values.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim import outcomes as outcome_schema
from sim.errors import UserError, did_you_mean
from sim.formatting import SHARE_OF_RUNS
from sim.outcomes import BY_NAME, Outcome

_EPOCH = np.datetime64("1970-01-01", "D")

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ARITH: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_ALLOWED = (
    "outcome names, numbers, 'strings', comparisons (== != < <= > >=), and/or/not, "
    "in/not in with a tuple, and + - * / // % **"
)


class ExpressionError(UserError):
    """An outcome expression that cannot be parsed, names an unknown outcome or uses a
    construct outside the whitelist."""


@dataclass(frozen=True)
class _Value:
    """An intermediate result: an array (or scalar) and what kind of thing it holds."""

    data: Any
    kind: str  # "number", "bool", "category", "date", "string" (constant), "tuple" (constant)
    outcome: Outcome | None = None  # set when the value is a bare outcome name


@dataclass(frozen=True)
class OutcomeExpression:
    """A parsed, validated expression over the outcomes of one batch of replications."""

    text: str
    names: tuple[str, ...]
    is_event: bool
    _tree: ast.Expression = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        """A short name for reports: ``north`` for ``decision == 'north'``, else the text."""
        body = self._tree.body
        if (
            isinstance(body, ast.Compare)
            and len(body.ops) == 1
            and isinstance(body.ops[0], ast.Eq)
            and isinstance(body.left, ast.Name)
            and isinstance(body.comparators[0], ast.Constant)
            and isinstance(body.comparators[0].value, str)
        ):
            return body.comparators[0].value
        return self.text

    @property
    def unit(self) -> str:
        """The unit of the value: 'share of runs' for events, the outcome's unit for a bare name."""
        if self.is_event:
            return SHARE_OF_RUNS
        body = self._tree.body
        if isinstance(body, ast.Name) and body.id in BY_NAME:
            return BY_NAME[body.id].unit
        return ""

    def evaluate(self, outcomes: Mapping[str, np.ndarray]) -> np.ndarray:
        """One float per replication: 1.0/0.0 for an event, the value (NaN if missing) otherwise."""
        missing = [n for n in self.names if n not in outcomes]
        if missing:
            raise ExpressionError(
                f"outcome expression {self.text!r}: the results hold no outcome `{missing[0]}`"
            )
        value = _Interpreter(self.text, outcomes).visit(self._tree.body)
        return _as_float(value, self.text)


def compile_outcome(text: str, outcomes: Iterable[Outcome] | None = None) -> OutcomeExpression:
    """Parse and check ``text``; raise :class:`ExpressionError` (one line) if it is not valid.

    ``outcomes`` defaults to :data:`sim.outcomes.OUTCOMES` (read at call time, so outcomes the
    model appends are known).
    """
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("outcome expression is empty; expected e.g. \"decision == 'north'\"")
    known = {o.name: o for o in outcomes} if outcomes is not None else _known_outcomes()
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(
            f"outcome expression {text!r} is not valid syntax ({exc.msg}); "
            f"expected e.g. \"decision == 'north'\" or \"oil_stock_end_1942 < 30\""
        ) from None
    checker = _Checker(text, known)
    kind = checker.visit(tree.body)
    if kind in ("string", "tuple"):
        raise ExpressionError(
            f"outcome expression {text!r} is a constant; expected it to use an outcome name "
            f"such as {', '.join(list(known)[:3])}"
        )
    if not checker.names:
        raise ExpressionError(
            f"outcome expression {text!r} uses no outcome; expected e.g. \"decision == 'north'\""
        )
    if kind == "category":
        name = tree.body.id if isinstance(tree.body, ast.Name) else text
        cats = known[name].categories if name in known else ()
        example = f"{name} == '{cats[0]}'" if cats else f"{name} == '...'"
        raise ExpressionError(
            f"outcome `{name}` is a category and has no mean; compare it, e.g. \"{example}\""
        )
    return OutcomeExpression(
        text=text.strip(), names=tuple(sorted(checker.names)), is_event=kind == "bool", _tree=tree
    )


def _known_outcomes() -> dict[str, Outcome]:
    """The outcomes of the schema as they are now (a model may have appended its own)."""
    return {o.name: o for o in outcome_schema.OUTCOMES}


class _Checker(ast.NodeVisitor):
    """Static pass: whitelist the syntax, resolve names, check category values and types."""

    def __init__(self, text: str, known: Mapping[str, Outcome]) -> None:
        self.text = text
        self.known = known
        self.names: set[str] = set()

    def fail(self, what: str) -> ExpressionError:
        return ExpressionError(f"outcome expression {self.text!r}: {what}")

    def generic_visit(self, node: ast.AST) -> str:
        snippet = ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__
        raise self.fail(f"`{snippet}` is not allowed; use only {_ALLOWED}")

    def visit_Name(self, node: ast.Name) -> str:
        outcome = self.known.get(node.id)
        if outcome is None:
            raise self.fail(
                f"unknown outcome `{node.id}`{did_you_mean(node.id, self.known)}; "
                f"expected one of {', '.join(self.known)}"
            )
        self.names.add(node.id)
        return {"category": "category", "date": "date"}.get(outcome.kind, "number")

    def visit_Constant(self, node: ast.Constant) -> str:
        value = node.value
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, (int, float)):
            return "number"
        if isinstance(value, str):
            return "string"
        raise self.fail(f"constant {value!r} is not allowed; use numbers or 'strings'")

    def visit_Tuple(self, node: ast.Tuple | ast.List | ast.Set) -> str:
        for elt in node.elts:
            if not isinstance(elt, ast.Constant) or self.visit(elt) == "bool":
                raise self.fail(f"`{ast.unparse(node)}` may hold only numbers or 'strings'")
        return "tuple"

    visit_List = visit_Tuple
    visit_Set = visit_Tuple

    def visit_UnaryOp(self, node: ast.UnaryOp) -> str:
        kind = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            if kind != "bool":
                raise self.fail(f"`not` needs a condition, got `{ast.unparse(node.operand)}`")
            return "bool"
        if isinstance(node.op, (ast.USub, ast.UAdd)) and kind == "number":
            return "number"
        raise self.fail(f"`{ast.unparse(node)}` is not allowed; use only {_ALLOWED}")

    def visit_BoolOp(self, node: ast.BoolOp) -> str:
        for value in node.values:
            if self.visit(value) != "bool":
                raise self.fail(f"`{ast.unparse(value)}` is not a condition (and/or join conditions)")
        return "bool"

    def visit_BinOp(self, node: ast.BinOp) -> str:
        if type(node.op) not in _ARITH:
            raise self.fail(f"operator in `{ast.unparse(node)}` is not allowed; use only {_ALLOWED}")
        left, right = self.visit(node.left), self.visit(node.right)
        if node.op.__class__ is ast.Sub and left == right == "date":
            return "number"  # days between two dates
        for side, kind in ((node.left, left), (node.right, right)):
            if kind not in ("number", "bool"):
                raise self.fail(f"arithmetic needs numbers, `{ast.unparse(side)}` is a {kind}")
        return "number"

    def visit_Compare(self, node: ast.Compare) -> str:
        operands = [node.left, *node.comparators]
        kinds = [self.visit(o) for o in operands]
        for op, (a, ka), (b, kb) in zip(node.ops, zip(operands, kinds), zip(operands[1:], kinds[1:])):
            if isinstance(op, (ast.In, ast.NotIn)):
                if kb != "tuple":
                    raise self.fail(f"`in` needs a tuple such as ('amur', 'transbaikal'), got `{ast.unparse(b)}`")
                assert isinstance(b, (ast.Tuple, ast.List, ast.Set))
                for elt in b.elts:
                    self._check_constant(a, ka, elt)
                continue
            if type(op) not in _COMPARE:
                raise self.fail(f"comparison in `{ast.unparse(node)}` is not allowed; use only {_ALLOWED}")
            if kb == "tuple" or ka == "tuple":
                raise self.fail(f"a tuple can only follow `in`: `{ast.unparse(node)}`")
            self._check_constant(a, ka, b)
            self._check_constant(b, kb, a)
            if {ka, kb} == {"category", "number"} or {ka, kb} == {"date", "number"}:
                raise self.fail(f"cannot compare `{ast.unparse(a)}` with `{ast.unparse(b)}`")
            if ka == "category" and kb not in ("category", "string") or kb == "category" and ka not in ("category", "string"):
                raise self.fail(f"`{ast.unparse(node)}` compares a category with a non-string")
            if not isinstance(op, (ast.Eq, ast.NotEq)) and "category" in (ka, kb):
                raise self.fail(f"categories can only be compared with == != in: `{ast.unparse(node)}`")
        return "bool"

    def _check_constant(self, subject: ast.expr, kind: str, constant: ast.expr) -> None:
        """A literal compared with a category must be one of its values; with a date, a date."""
        if not isinstance(constant, ast.Constant):
            return
        value = constant.value
        if kind == "category" and isinstance(subject, ast.Name):
            cats = self.known[subject.id].categories
            if cats and value not in cats:
                raise self.fail(
                    f"{value!r} is not a value of `{subject.id}`"
                    f"{did_you_mean(str(value), cats)}; expected one of {', '.join(cats)}"
                )
        if kind == "date":
            if not isinstance(value, str) or _parse_date(value) is None:
                raise self.fail(
                    f"`{ast.unparse(subject)}` is a date; compare it with an ISO date such as "
                    f"'1941-09-01', got {value!r}"
                )


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


class _Interpreter:
    """Evaluates a checked tree on numpy arrays (vectorised over replications)."""

    def __init__(self, text: str, outcomes: Mapping[str, np.ndarray]) -> None:
        self.text = text
        self.outcomes = outcomes

    def visit(self, node: ast.expr) -> _Value:
        method = getattr(self, "visit_" + type(node).__name__)
        return method(node)

    def visit_Name(self, node: ast.Name) -> _Value:
        outcome = BY_NAME.get(node.id) or _known_outcomes().get(node.id)
        raw = np.asarray(self.outcomes[node.id])
        kind = outcome.kind if outcome is not None else "number"
        if kind == "category":
            return _Value(raw.astype(str), "category", outcome)
        if kind == "date":
            return _Value(_dates_to_days(raw), "date", outcome)
        return _Value(raw.astype(np.float64), "number", outcome)

    def visit_Constant(self, node: ast.Constant) -> _Value:
        value = node.value
        if isinstance(value, bool):
            return _Value(value, "bool")
        if isinstance(value, str):
            return _Value(value, "string")
        return _Value(float(value), "number")

    def visit_Tuple(self, node: ast.Tuple | ast.List | ast.Set) -> _Value:
        return _Value(tuple(e.value for e in node.elts if isinstance(e, ast.Constant)), "tuple")

    visit_List = visit_Tuple
    visit_Set = visit_Tuple

    def visit_UnaryOp(self, node: ast.UnaryOp) -> _Value:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return _Value(np.logical_not(operand.data), "bool")
        if isinstance(node.op, ast.USub):
            return _Value(-np.asarray(operand.data, dtype=np.float64), "number")
        return _Value(np.asarray(operand.data, dtype=np.float64), "number")

    def visit_BoolOp(self, node: ast.BoolOp) -> _Value:
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        result = self.visit(node.values[0]).data
        for value in node.values[1:]:
            result = combine(result, self.visit(value).data)
        return _Value(result, "bool")

    def visit_BinOp(self, node: ast.BinOp) -> _Value:
        left = np.asarray(self.visit(node.left).data, dtype=np.float64)
        right = np.asarray(self.visit(node.right).data, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            result = _ARITH[type(node.op)](left, right)
        if np.ndim(result):
            result = np.where(np.isfinite(result), result, np.nan)
        elif not np.isfinite(result):
            result = np.nan
        return _Value(result, "number")

    def visit_Compare(self, node: ast.Compare) -> _Value:
        operands = [self.visit(node.left), *(self.visit(c) for c in node.comparators)]
        result: Any = True
        for op, a, b in zip(node.ops, operands, operands[1:]):
            result = np.logical_and(result, self._compare(op, a, b))
        return _Value(result, "bool")

    def _compare(self, op: ast.cmpop, a: _Value, b: _Value) -> Any:
        if isinstance(op, (ast.In, ast.NotIn)):
            members = b.data
            if a.kind == "date":
                members = tuple(_date_days(str(m)) for m in members)
            if a.kind in ("number", "date"):
                numeric = [float(m) for m in members if isinstance(m, (int, float))]
                hit = np.isin(np.asarray(a.data, dtype=np.float64), numeric)
            else:
                hit = np.isin(np.asarray(a.data).astype(str), [str(m) for m in members])
            return np.logical_not(hit) if isinstance(op, ast.NotIn) else hit
        left, right = a.data, b.data
        if a.kind == "date" and b.kind == "string":
            right = _date_days(right)
        if b.kind == "date" and a.kind == "string":
            left = _date_days(left)
        with np.errstate(invalid="ignore"):
            return _COMPARE[type(op)](left, right)


def _date_days(text: str) -> float:
    day = dt.date.fromisoformat(text)
    return float((np.datetime64(day, "D") - _EPOCH).astype(np.int64))


def _dates_to_days(raw: np.ndarray) -> np.ndarray:
    """Days since 1970 as float, NaN where the event did not happen."""
    if raw.dtype.kind == "M":
        days = raw.astype("datetime64[D]")
        out = (days - _EPOCH).astype(np.int64).astype(np.float64)
        out[np.isnat(days)] = np.nan
        return out
    out = np.full(raw.shape, np.nan)
    for i, v in enumerate(raw.ravel()):
        if isinstance(v, dt.date):
            out.flat[i] = float((np.datetime64(v, "D") - _EPOCH).astype(np.int64))
        elif isinstance(v, str) and v:
            out.flat[i] = _date_days(v)
    return out


def _as_float(value: _Value, text: str) -> np.ndarray:
    data = value.data
    if value.kind == "bool":
        return np.asarray(data, dtype=bool).astype(np.float64)
    if value.kind in ("number", "date"):
        return np.asarray(data, dtype=np.float64)
    raise ExpressionError(f"outcome expression {text!r} does not give a number or a condition")
