"""YAML's safe loader, extended to remember the line of every key and to refuse anything but
plain data.

Line numbers let every error name ``file.yaml:LINE``; duplicated keys, which YAML silently
resolves by keeping the last one, are recorded so that they can be reported instead.  Any
failure of the parser becomes a one-line :class:`~sim.errors.ScenarioError`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.reader import ReaderError

from sim.errors import ScenarioError
from sim.scenario.provenance import SET_ORIGIN
from sim.scenario.quoting import clip
from sim.scenario.yaml_bounds import check_expansion


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping read from YAML that remembers the line of each key (1-based) and any
    duplicated keys (YAML itself silently keeps the last one)."""

    __slots__ = ("lines", "duplicates")

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int, int]] = []  # (key, first line, repeated line)


_SafeBase: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: What YAML counts as a line break.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


class _LineLoader(_SafeBase):  # type: ignore[misc,valid-type]
    """YAML's safe loader, plus line numbers per key and readable errors for odd values."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except RecursionError:
            raise ConstructorError(None, None, "data nested too deeply", node.start_mark) from None
        except (ValueError, TypeError, KeyError, OverflowError, IndexError, AttributeError) as exc:
            shown = clip(str(getattr(node, "value", "")))
            raise ConstructorError(
                None, None, f"cannot read the value `{shown}` ({clip(str(exc))})", node.start_mark
            ) from None


def _construct_line_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    yield data
    if not isinstance(node, yaml.MappingNode):
        raise ConstructorError(None, None, "expected a mapping", node.start_mark)
    first_line: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == _MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
            continue
        key = loader.construct_object(key_node)
        line = key_node.start_mark.line + 1
        try:
            if key in first_line:
                data.duplicates.append((key, first_line[key], line))
            else:
                first_line[key] = line
        except TypeError:  # pragma: no cover - scalars are hashable
            continue
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=False)
        try:
            hash(key)
        except TypeError:
            raise ConstructorError(
                None, None, "a mapping key must be a plain name, not a list or mapping",
                key_node.start_mark,
            ) from None
        data[key] = loader.construct_object(value_node, deep=False)
        data.lines[key] = key_node.start_mark.line + 1


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise ConstructorError(
            None, None, f"invalid date `{node.value}` ({exc}); expected an ISO date such as "
            "1941-07-02", node.start_mark,
        ) from None


def _construct_undefined(loader: _LineLoader, node: yaml.Node) -> Any:
    raise ConstructorError(
        None, None,
        f"unsupported YAML tag `{node.tag}`: scenario files hold plain data only "
        "(numbers, text, dates, true/false, lists, mappings)",
        node.start_mark,
    )


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_line_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor(None, _construct_undefined)


def _yaml_error(
    exc: yaml.YAMLError, label: str, key: str | None = None, source: str = ""
) -> ScenarioError:
    """The parser's error as one line, with a hint for the usual indentation mistakes."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = str(problem)
    if context and "tag" not in text and "date" not in text and "cannot read" not in text:
        text = f"{text} ({context})"
    bad_line = ""
    if mark is not None and source:
        lines = source.splitlines()
        bad_line = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())]:
        text += "; YAML does not allow tabs for indentation, use spaces"
    elif "block mapping" in text or "block sequence" in text:
        text += "; check the indentation of this line and the one above"
    structural = not (text.startswith(("unsupported YAML tag", "invalid date", "cannot read",
                                       "a mapping key", "data nested")))
    message = f"invalid YAML: {text}" if structural else text
    # a --set value is a one-line document: its line number means nothing to the user
    line = mark.line + 1 if mark is not None and label != SET_ORIGIN else None
    return ScenarioError(clip(message, 300), file=label, line=line, key=key)


def _reader_error(exc: ReaderError, label: str, key: str | None, source: str) -> ScenarioError:
    """A character YAML refuses (a control character), located by its line: the parser gives
    only an offset into the text (in UTF-8 bytes for the C parser)."""
    position = exc.position
    if _SafeBase is not yaml.SafeLoader:
        position = len(source.encode("utf-8")[:position].decode("utf-8", "ignore"))
    line = len(_LINE_BREAK.findall(source, 0, position)) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    return ScenarioError(
        f"invalid YAML: unacceptable character U+{code:04X} ({exc.reason}); expected plain "
        f"text: remove it, or write it as {escape} inside double quotes",
        file=label, line=line if label != SET_ORIGIN else None, key=key,
    )


def _not_utf8(exc: UnicodeEncodeError, label: str, key: str | None) -> ScenarioError:
    """Text holding bytes that were not UTF-8 (a command-line argument decoded with
    ``surrogateescape``): the C parser cannot even take it."""
    char = exc.object[exc.start]
    byte = ord(char) - 0xDC00 if 0xDC80 <= ord(char) <= 0xDCFF else None
    what = f"byte 0x{byte:02x}" if byte is not None else f"character U+{ord(char):04X}"
    return ScenarioError(
        f"is not UTF-8 text ({what} at character {exc.start}); expected UTF-8 text",
        file=label, key=key,
    )


def parse_yaml(text: str, label: str, key: str | None = None) -> Any:
    """Parse one YAML document with the safe loader; any failure is a ScenarioError.

    The document is composed first and its expansion bounded
    (:func:`~sim.scenario.yaml_bounds.check_expansion`) before any value is built.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _not_utf8(exc, label, key) from None
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_expansion(node, label, key, with_lines=label != SET_ORIGIN)
        return loader.construct_document(node)
    except ReaderError as exc:
        raise _reader_error(exc, label, key, text) from None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, label, key, text) from None
    except RecursionError:
        raise ScenarioError("invalid YAML: data nested too deeply", file=label, key=key) from None
    finally:
        loader.dispose()


def _dotted(where: str, key: Any) -> str:
    return f"{where}.{key}" if where else str(key)


def first_duplicate(data: Any, path: str = "") -> tuple[str, int, int] | None:
    """The first duplicated key anywhere in the document, as (dotted path, first, repeat)."""
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(data, path)]
    while stack:
        obj, where = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, LineDict):
            if obj.duplicates:
                dup, first, again = obj.duplicates[0]
                return _dotted(where, dup), first, again
            for k, v in reversed(list(obj.items())):
                stack.append((v, _dotted(where, k)))
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                stack.append((v, f"{where}[{i}]"))
    return None
