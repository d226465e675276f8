"""User-facing errors.

Every mistake a person can make in a scenario file or on the command line is raised as a
:class:`UserError`.  The CLI prints ``str(error)`` on one line and exits with code 2, so the
message must say *where* (file, line, dotted key), *what* was wrong and *what was expected*.
Anything that is not a ``UserError`` is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


#: Every character that ``str.splitlines`` breaks on, shown escaped instead.
_LINE_BREAKS = str.maketrans({
    "\n": "\\n", "\r": "\\r", "\v": "\\v", "\f": "\\f", "\x1c": "\\x1c",
    "\x1d": "\\x1d", "\x1e": "\\x1e", "\x85": "\\x85", "\u2028": "\\u2028",
    "\u2029": "\\u2029",
})


def one_line(text: str) -> str:
    """``text`` with line breaks escaped, so that user input quoted in a message (a key
    containing a newline, say) cannot split the message over several lines."""
    return text.translate(_LINE_BREAKS)


class UserError(Exception):
    """A mistake in user input: reported in one line, exit code 2, no traceback."""

    exit_code = 2

    def __str__(self) -> str:
        return one_line(super().__str__())


class ScenarioError(UserError):
    """A problem located in a scenario file (or a ``--set`` override)."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.key = key
        self.message = message
        super().__init__(self._format())

    def _format(self) -> str:
        where = ""
        if self.file:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
        parts = [p for p in (where, f"`{self.key}`" if self.key else "") if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class ResultsError(UserError):
    """A results folder that is missing, incomplete or would be clobbered."""


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ' (did you mean `x`?)' for the closest candidate, or '' if none is close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean `{matches[0]}`?)" if matches else ""
