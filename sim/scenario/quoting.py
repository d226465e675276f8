"""How user input is quoted inside a one-line error message.

A scenario can hold anything (a newline in a key, a YAML alias that expands to a huge
structure), and every message must still fit on one short line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def clip(text: str, limit: int = 80) -> str:
    """One line, bounded length: user text quoted inside an error message."""
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_got(value: Any) -> str:
    """How to quote a user's value in a message without printing a whole structure (which,
    through YAML aliases, can be exponentially large)."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dt.date):
        return value.isoformat()
    return f"`{clip(str(value))}`"


def key_text(key: Any) -> str:
    """A mapping key as written: names as they are (unless longer than any name could be),
    anything else (a number, a date) clipped."""
    if isinstance(key, str):
        return key if len(key) <= 120 else clip(key, 120)
    return clip(str(key))
