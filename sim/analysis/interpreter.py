"""Evaluating a checked outcome expression on numpy arrays, one value per replication.

:mod:`sim.analysis.expressions` parses and checks the text (size, depth, whitelist, kinds);
this module only walks a tree that passed those checks, so it needs no checks of its own: user
text is never handed to ``eval``, and every node it meets is one the checker allowed.
Missing values (``NaT``/``NaN``) make every comparison false and every arithmetic result NaN.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.outcomes import Outcome

_EPOCH = np.datetime64("1970-01-01", "D")

COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}


@dataclass(frozen=True)
class _Value:
    """An intermediate result: an array (or scalar) and what kind of thing it holds."""

    data: Any
    kind: str  # "number", "bool", "category", "date", "string" (constant), "tuple" (constant)


def evaluate_tree(
    body: ast.expr, outcomes: Mapping[str, np.ndarray], kinds: Mapping[str, Outcome]
) -> np.ndarray:
    """One float per replication: 1.0/0.0 for a condition, the value (NaN if missing) otherwise.

    ``kinds`` gives the outcome of every name in ``body`` (resolved when it was checked)."""
    value = _Interpreter(outcomes, kinds).visit(body)
    if value.kind == "bool":
        return np.asarray(value.data, dtype=bool).astype(np.float64)
    return np.asarray(value.data, dtype=np.float64)


class _Interpreter:
    """Evaluates a checked tree on numpy arrays (vectorised over replications)."""

    def __init__(self, outcomes: Mapping[str, np.ndarray], kinds: Mapping[str, Outcome]) -> None:
        self.outcomes = outcomes
        self.kinds = kinds

    def visit(self, node: ast.expr) -> _Value:
        method = getattr(self, "visit_" + type(node).__name__)
        return method(node)

    def visit_Name(self, node: ast.Name) -> _Value:
        raw = np.asarray(self.outcomes[node.id])
        kind = self.kinds[node.id].kind
        if kind == "category":
            return _Value(raw.astype(str), "category")
        if kind == "date":
            return _Value(_dates_to_days(raw), "date")
        return _Value(raw.astype(np.float64), "number")

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
            result = ARITHMETIC[type(node.op)](left, right)
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
            return COMPARE[type(op)](left, right)


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
