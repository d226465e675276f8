"""A one-line progress bar on stderr: runs done, rate, time left.

Hand-written (no dependency) and silent unless stderr is a terminal, so that logs, CI and
notebooks are not flooded with carriage returns.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Redraws at most every ``interval`` seconds; ``close()`` ends the line."""

    def __init__(self, total: int, *, enabled: bool | None = None, label: str = "runs",
                 stream: TextIO | None = None, interval: float = 0.2) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self.total = total
        self.label = label
        self.done = 0
        self.interval = interval
        self._start = time.monotonic()
        self._last = 0.0
        self._baseline = 0  # replications already done before a resume

    def start_from(self, done: int) -> None:
        """Count ``done`` replications as finished earlier, without crediting them to the rate."""
        self.done = self._baseline = done

    def set_total(self, total: int) -> None:
        self.total = total
        self._draw(force=True)

    def advance(self, n: int) -> None:
        self.done += n
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.interval and self.done < self.total:
            return
        self._last = now
        elapsed = max(now - self._start, 1e-9)
        rate = (self.done - self._baseline) / elapsed
        frac = self.done / self.total if self.total else 1.0
        width = 24
        filled = int(round(width * min(frac, 1.0)))
        bar = "#" * filled + "-" * (width - filled)
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        eta = _clock(left) if left == left else "?"
        self.stream.write(f"\r[{bar}] {self.done:,}/{self.total:,} {self.label}  "
                          f"{rate:,.0f}/s  {_clock(elapsed)} elapsed, {eta} left ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
