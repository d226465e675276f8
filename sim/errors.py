"""User-facing errors.

Every mistake a person can make in a scenario file or on the command line is raised as a
:class:`UserError`.  The CLI prints ``str(error)`` on one line and exits with code 2, so the
message must say *where* (file, line, dotted key), *what* was wrong and *what was expected*.
Anything that is not a ``UserError`` is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class UserError(Exception):
    """A mistake in user input: reported in one line, exit code 2, no traceback."""

    exit_code = 2


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
