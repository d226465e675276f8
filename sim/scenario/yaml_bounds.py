"""A bound on what one YAML document may expand to, checked before any value is built.

YAML aliases (``*a``) repeat what their anchor (``&a``) names, so a few hundred bytes can stand
for billions of values (the "billion laughs"), or for a structure that contains itself.  The
parser shares the repeated nodes, so the parse is cheap; what is not is everything that walks
the values afterwards (a check, a message that quotes them, a suggestion of what was meant).
The node graph is therefore walked once, as its expansion would be, and a document that
expands past :data:`MAX_NODES` values or :data:`MAX_TEXT` characters, or into itself, is refused
before it becomes data.  The walk stops at the limit, so it costs at most that many steps.
"""

from __future__ import annotations

import yaml

from sim.errors import ScenarioError
from sim.scenario.quoting import clip
from sim.scenario.source import MAX_FILE_BYTES

#: The most values (mappings, lists and scalars, an alias counted each time it repeats its
#: anchor) one document may expand to: a scenario has a few hundred.
MAX_NODES = 100_000
#: The most characters of text its scalars may expand to: without aliases, the text of a
#: document never exceeds the file it came from.
MAX_TEXT = MAX_FILE_BYTES

_ALIAS_NOTE = "YAML aliases `*name` repeat what `&name` names each time they appear"


def _too_large(what: str) -> str:
    return (f"the document expands to more than {what} ({_ALIAS_NOTE}); expected a scenario "
            "of plain values")


def check_expansion(root: yaml.Node, label: str, key: str | None = None,
                    with_lines: bool = True) -> None:
    """Refuse a document whose expansion is too large or contains itself.

    The error names the dotted key under which the limit was reached and, when
    ``with_lines``, the line of that key; ``key`` is the ``--set`` name whose value the
    document is.
    """
    nodes = text = 0
    ancestors: set[int] = set()
    # (node, dotted key path, line of the innermost key, whether this is its exit marker)
    stack: list[tuple[yaml.Node, str, int | None, bool]] = [(root, key or "", None, False)]
    while stack:
        node, where, line, leaving = stack.pop()
        if leaving:
            ancestors.discard(id(node))
            continue
        nodes += 1
        if id(node) in ancestors:
            problem = ("a YAML alias repeats a part of the document that contains it (an "
                       "endless structure); expected a scenario of plain values")
        elif nodes > MAX_NODES:
            problem = _too_large(f"{MAX_NODES:,} values")
        elif isinstance(node, yaml.ScalarNode):
            text += len(node.value)
            if text <= MAX_TEXT:
                continue
            problem = _too_large(f"{MAX_TEXT:,} characters of text")
        else:
            ancestors.add(id(node))
            stack.append((node, where, line, True))
            stack.extend(_children(node, where, line))
            continue
        shown = clip(where.removeprefix("params.") if key is None else where, 120)
        raise ScenarioError(problem, file=label, line=line if with_lines else None,
                            key=shown or None)


def _children(node: yaml.Node, where: str,
              line: int | None) -> list[tuple[yaml.Node, str, int | None, bool]]:
    """The nodes below ``node``, last first (so that the walk visits them in order)."""
    if isinstance(node, yaml.SequenceNode):
        return [(item, where, line, False) for item in reversed(node.value)]
    out: list[tuple[yaml.Node, str, int | None, bool]] = []
    for key_node, value_node in reversed(node.value):
        inner, inner_line = where, line
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            inner = f"{where}.{key_node.value}" if where else str(key_node.value)
            inner_line = key_node.start_mark.line + 1
        out.append((value_node, inner, inner_line, False))
        out.append((key_node, where, line, False))
    return out
