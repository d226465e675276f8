"""Outcome expressions: the question an analysis asks, written the way a historian would say it.

``"decision == 'north'"``, ``"north_objective in ('amur', 'transbaikal')"``,
``"oil_stock_end_1942 < 30"``, ``"north_attack_date < '1941-10-01'"`` or a bare numeric outcome
such as ``"kg_japanese_casualties"``.  The text is parsed with :mod:`ast` and checked against a
strict whitelist (outcome names, constants, comparisons, ``and``/``or``/``not``, ``in`` with a
tuple, arithmetic) and then evaluated on numpy arrays by a small interpreter
(:mod:`sim.analysis.interpreter`): user text is never handed to ``eval``, so an expression
cannot call functions, reach attributes or import anything.

Everything that can go wrong is found here, before any simulation runs: the text is bounded in
size before it is parsed (:data:`MAX_LENGTH`, which also bounds the parser's own depth) and its
tree in depth before anything walks it recursively (:data:`MAX_DEPTH`); every number must fit a
float; every comparison must be between kinds the interpreter can compare.  Outcome *names*
given alone (``sim sweep --outcome``, ``sim compare --outcome``, ``sim trace --pick
best:NAME``) go through :func:`outcome_named`, with the same messages.

A boolean expression evaluates to 1.0/0.0 per replication, so its mean is the probability of
the event.  Missing values (an attack that never happened, ``NaT``/``NaN``) make every
comparison false and every arithmetic result ``NaN``; analyses average over the defined values.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from sim import outcomes as outcome_schema
from sim.analysis.interpreter import ARITHMETIC, COMPARE, evaluate_tree
from sim.errors import UserError, did_you_mean
from sim.formatting import SHARE_OF_RUNS
from sim.outcomes import RENAMED_CATEGORIES, Outcome
from sim.scenario.quoting import clip

#: The longest expression accepted, in characters.  Real questions are a line long; the bound
#: keeps parsing fast and shallow (CPython's parser nests at most one level per character).
MAX_LENGTH = 1000
#: The deepest nesting accepted (each operator applied to the result of another, as in
#: ``- - x`` or ``x + 1 + 1``, adds a level): the checker, the interpreter and the messages
#: walk the tree recursively.
MAX_DEPTH = 100

_ALLOWED = (
    "outcome names, numbers, 'strings', comparisons (== != < <= > >=), and/or/not, "
    "in/not in with a tuple, and + - * / // % **"
)
_EXAMPLE = "\"decision == 'north'\" or \"oil_stock_end_1942 < 30\""
#: Pairs of kinds that ``== !=`` can compare; the ordered comparisons take the same pairs
#: except those with a category.
_COMPARABLE = {
    frozenset({"number"}), frozenset({"bool"}), frozenset({"number", "bool"}),
    frozenset({"date"}), frozenset({"date", "string"}),
    frozenset({"category"}), frozenset({"category", "string"}),
}


class ExpressionError(UserError):
    """An outcome expression that cannot be parsed, names an unknown outcome or uses a
    construct outside the whitelist."""


@dataclass(frozen=True)
class OutcomeExpression:
    """A parsed, validated expression over the outcomes of one batch of replications."""

    text: str
    names: tuple[str, ...]
    is_event: bool
    _tree: ast.Expression = field(repr=False, compare=False)
    _outcomes: Mapping[str, Outcome] = field(repr=False, compare=False)  # of the names used

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
        if isinstance(body, ast.Name) and body.id in self._outcomes:
            return self._outcomes[body.id].unit
        return ""

    def evaluate(self, outcomes: Mapping[str, np.ndarray]) -> np.ndarray:
        """One float per replication: 1.0/0.0 for an event, the value (NaN if missing) otherwise."""
        missing = [n for n in self.names if n not in outcomes]
        if missing:
            raise ExpressionError(
                f"outcome expression {clip(self.text)!r}: the results hold no outcome `{missing[0]}`"
            )
        return evaluate_tree(self._tree.body, outcomes, self._outcomes)


def compile_outcome(
    text: str, outcomes: Iterable[Outcome] | None = None, *, option: str = "--outcome"
) -> OutcomeExpression:
    """Parse and check ``text``; raise :class:`ExpressionError` (one line, naming ``option``)
    if it is not valid.

    ``outcomes`` defaults to :data:`sim.outcomes.OUTCOMES` (read at call time, so outcomes the
    model appends are known).
    """
    known = {o.name: o for o in outcomes} if outcomes is not None else known_outcomes()
    tree = _parse(text, option)
    checker = _Checker(option, text.strip(), known)
    kind = checker.visit(tree.body)
    if kind in ("string", "tuple"):
        raise checker.fail(
            f"is a constant; expected it to use an outcome name such as {', '.join(list(known)[:3])}"
        )
    if not checker.names:
        raise checker.fail(f"uses no outcome; expected e.g. {_EXAMPLE}")
    if kind == "category":
        name = tree.body.id if isinstance(tree.body, ast.Name) else text
        cats = known[name].categories if name in known else ()
        example = f"{name} == '{cats[0]}'" if cats else f"{name} == '...'"
        raise ExpressionError(
            f"{option}: outcome `{name}` is a category and has no mean; compare it, e.g. \"{example}\""
        )
    return OutcomeExpression(
        text=text.strip(), names=tuple(sorted(checker.names)), is_event=kind == "bool",
        _tree=tree, _outcomes={n: known[n] for n in checker.names},
    )


def outcome_named(name: str, option: str = "--outcome") -> Outcome:
    """The outcome called ``name``, or a one-line error naming ``option`` with the closest
    names: the check every option that takes an outcome's name shares with expressions."""
    known = known_outcomes()
    if not isinstance(name, str):
        raise ExpressionError(f"{option}: expected an outcome name, got {type(name).__name__}")
    outcome = known.get(name.strip())
    if outcome is None:
        raise ExpressionError(f"{option}: {_unknown(name.strip(), known)}")
    return outcome


#: Outcome names an "unknown outcome" message lists before it says how many there are.
LISTED_OUTCOMES = 12


def _unknown(name: str, known: Mapping[str, Outcome]) -> str:
    names = list(known)
    listed = ", ".join(names[:LISTED_OUTCOMES])
    more = f", ... ({len(names)} in all)" if len(names) > LISTED_OUTCOMES else ""
    return (f"unknown outcome `{clip(name, 60)}`{did_you_mean(name, known)}; "
            f"expected an outcome name such as {listed}{more}")


def known_outcomes() -> dict[str, Outcome]:
    """The outcomes of the schema as they are now (a model may have appended its own)."""
    return {o.name: o for o in outcome_schema.OUTCOMES}


def _parse(text: str, option: str) -> ast.Expression:
    """The tree of ``text``, bounded in size before parsing and in depth before any walk."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(f"{option}: outcome expression is empty; expected e.g. {_EXAMPLE}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"{option}: outcome expression {clip(text, 40)!r} is {len(text):,} characters long; "
            f"expected at most {MAX_LENGTH:,} (a condition on a few outcomes, e.g. {_EXAMPLE})"
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError) as exc:  # ValueError: a NUL byte, before Python 3.11.4
        reason = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        raise ExpressionError(
            f"{option}: outcome expression {clip(text.strip())!r} is not valid syntax "
            f"({clip(reason)}); expected e.g. {_EXAMPLE}"
        ) from None
    depth = _depth(tree.body)
    if depth > MAX_DEPTH:
        raise ExpressionError(
            f"{option}: outcome expression {clip(text.strip())!r} is nested {depth:,} levels "
            f"deep; expected at most {MAX_DEPTH} (each operator applied to the result of another "
            "adds a level)"
        )
    return tree


def _depth(body: ast.expr) -> int:
    """How deeply the expressions of a tree nest, measured without recursion."""
    deepest, stack = 0, [(body, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((c, level + 1) for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr))
    return deepest


class _Checker(ast.NodeVisitor):
    """Static pass: whitelist the syntax, resolve names, check numbers, category values and
    the kinds of everything compared or combined."""

    def __init__(self, option: str, source: str, known: Mapping[str, Outcome]) -> None:
        self.source = source
        self.subject = f"{option} {clip(source)!r}"  # for messages
        self.known = known
        self.names: set[str] = set()

    def fail(self, what: str) -> ExpressionError:
        return ExpressionError(f"{self.subject}: {what}")

    def shown(self, node: ast.expr) -> str:
        """A part of the expression as the user wrote it, clipped for a message."""
        return clip(ast.get_source_segment(self.source, node) or ast.unparse(node), 60)

    def generic_visit(self, node: ast.AST) -> str:
        assert isinstance(node, ast.expr)  # the checker visits expressions only
        raise self.fail(f"`{self.shown(node)}` is not allowed; use only {_ALLOWED}")

    def visit_Name(self, node: ast.Name) -> str:
        outcome = self.known.get(node.id)
        if outcome is None:
            raise self.fail(_unknown(node.id, self.known))
        self.names.add(node.id)
        return {"category": "category", "date": "date"}.get(outcome.kind, "number")

    def visit_Constant(self, node: ast.Constant) -> str:
        value = node.value
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, (int, float)):
            try:
                finite = math.isfinite(float(value))
            except OverflowError:
                finite = False
            if not finite:
                raise self.fail(
                    f"the number `{self.shown(node)}` is too large; expected a number between "
                    "-1.8e308 and 1.8e308"
                )
            return "number"
        if isinstance(value, str):
            return "string"
        raise self.fail(f"constant `{self.shown(node)}` is not allowed; use numbers or 'strings'")

    def visit_Tuple(self, node: ast.Tuple | ast.List | ast.Set) -> str:
        for elt in node.elts:
            if not isinstance(elt, ast.Constant) or self.visit(elt) == "bool":
                raise self.fail(f"`{self.shown(node)}` may hold only numbers or 'strings'")
        return "tuple"

    visit_List = visit_Tuple
    visit_Set = visit_Tuple

    def visit_UnaryOp(self, node: ast.UnaryOp) -> str:
        kind = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            if kind != "bool":
                raise self.fail(f"`not` needs a condition, got `{self.shown(node.operand)}`")
            return "bool"
        if isinstance(node.op, (ast.USub, ast.UAdd)) and kind == "number":
            return "number"
        raise self.fail(f"`{self.shown(node)}` is not allowed; use only {_ALLOWED}")

    def visit_BoolOp(self, node: ast.BoolOp) -> str:
        for value in node.values:
            if self.visit(value) != "bool":
                raise self.fail(f"`{self.shown(value)}` is not a condition (and/or join conditions)")
        return "bool"

    def visit_BinOp(self, node: ast.BinOp) -> str:
        if type(node.op) not in ARITHMETIC:
            raise self.fail(f"operator in `{self.shown(node)}` is not allowed; use only {_ALLOWED}")
        left, right = self.visit(node.left), self.visit(node.right)
        if node.op.__class__ is ast.Sub and left == right == "date":
            return "number"  # days between two dates
        for side, kind in ((node.left, left), (node.right, right)):
            if kind not in ("number", "bool"):
                raise self.fail(f"arithmetic needs numbers, `{self.shown(side)}` is a {kind}")
        return "number"

    def visit_Compare(self, node: ast.Compare) -> str:
        operands = [node.left, *node.comparators]
        kinds = [self.visit(o) for o in operands]
        for op, (a, ka), (b, kb) in zip(node.ops, zip(operands, kinds), zip(operands[1:], kinds[1:])):
            if isinstance(op, (ast.In, ast.NotIn)):
                self._check_membership(a, ka, b, kb)
                continue
            if type(op) not in COMPARE:
                raise self.fail(f"comparison in `{self.shown(node)}` is not allowed; use only {_ALLOWED}")
            if kb == "tuple" or ka == "tuple":
                raise self.fail(f"a tuple can only follow `in`: `{self.shown(node)}`")
            self._check_constant(a, ka, b)
            self._check_constant(b, kb, a)
            if frozenset({ka, kb}) not in _COMPARABLE:
                raise self.fail(
                    f"cannot compare `{self.shown(a)}` (a {ka}) with `{self.shown(b)}` (a {kb}); "
                    "compare an outcome with a value of its kind"
                )
            if not isinstance(op, (ast.Eq, ast.NotEq)) and "category" in (ka, kb):
                raise self.fail(f"categories can only be compared with == != in: `{self.shown(node)}`")
        return "bool"

    def _check_membership(self, a: ast.expr, ka: str, b: ast.expr, kb: str) -> None:
        """``x in (...)``: an outcome (or a number) on the left, a tuple of its values on the right."""
        if kb != "tuple":
            raise self.fail(f"`in` needs a tuple such as ('amur', 'transbaikal'), got `{self.shown(b)}`")
        if ka not in ("number", "category", "date"):
            raise self.fail(f"`in` needs an outcome or a number on its left, got `{self.shown(a)}`")
        assert isinstance(b, (ast.Tuple, ast.List, ast.Set))
        for elt in b.elts:
            self._check_constant(a, ka, elt)
            if ka == "number" and isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                raise self.fail(f"`{self.shown(a)}` is a number; `{self.shown(b)}` may hold only numbers")

    def _check_constant(self, subject: ast.expr, kind: str, constant: ast.expr) -> None:
        """A literal compared with a category must be one of its values; with a date, a date."""
        if not isinstance(constant, ast.Constant):
            return
        value = constant.value
        if kind == "category" and isinstance(subject, ast.Name):
            cats = self.known[subject.id].categories
            renamed = RENAMED_CATEGORIES.get(subject.id, {})
            if cats and value in renamed:
                raise self.fail(f"{value!r} is now {renamed[value]!r} for `{subject.id}`: "
                                f"write {renamed[value]!r}; expected one of {', '.join(cats)}")
            if cats and value not in cats:
                raise self.fail(
                    f"{clip(repr(value), 60)} is not a value of `{subject.id}`"
                    f"{did_you_mean(str(value), cats)}; expected one of {', '.join(cats)}"
                )
        if kind == "date":
            if not isinstance(value, str) or _parse_date(value) is None:
                raise self.fail(
                    f"`{self.shown(subject)}` is a date; compare it with an ISO date such as "
                    f"'1941-09-01', got {clip(repr(value), 60)}"
                )


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
