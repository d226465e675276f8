"""Ctrl-C during a run: never lost, never in the middle of starting a worker.

Python turns Ctrl-C into a ``KeyboardInterrupt`` raised wherever the main thread happens to
be.  Two places make that unsafe for a run:

- inside the import system (a module being imported as the first chunk needs it): raised
  in one of its weakref callbacks, the exception is printed as "Exception ignored in ..." and
  dropped, and the run went on to the end and exited 0 as if Ctrl-C had never been pressed;
  raised at the wrong instruction, it leaves the interpreter's import lock held, and the
  thread starting the pool's first worker waited for it for ever;
- inside ``ProcessPoolExecutor.submit``, between a worker process being started and the pool
  recording it: the pool's shutdown then missed that worker, which woke after this process
  had gone and printed a traceback from the fork server.

:class:`CtrlC` notes every Ctrl-C; it raises it at once unless the import system is running
(then the next chunk raises it, :meth:`CtrlC.check`) or a submission is under way
(:func:`deferred` raises it when the submission is complete).  A Ctrl-C CPython dropped all
the same (a ``__del__``) still stops the run at the next chunk, and its "Exception ignored"
report is kept off the screen.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

_active: "CtrlC | None" = None


class CtrlC:
    """While a run is driven: Ctrl-C raises ``KeyboardInterrupt`` as usual and is also noted.

    Only the main thread may handle signals, and only Python's own handler is replaced (a
    notebook kernel's or an application's handler is left alone, and the run behaves as
    before)."""

    def __init__(self) -> None:
        self.pressed = False
        self._holding = 0
        self._previous_handler: Any = None
        self._previous_hook: Any = None

    def __enter__(self) -> "CtrlC":
        global _active
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler
                and _active is None):
            self._previous_handler = signal.signal(signal.SIGINT, self._handle)
            self._previous_hook = sys.unraisablehook
            sys.unraisablehook = self._unraisable
            _active = self
        return self

    def __exit__(self, *exc: object) -> None:
        global _active
        if _active is self:
            _active = None
            signal.signal(signal.SIGINT, self._previous_handler)
            sys.unraisablehook = self._previous_hook

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.pressed = True
        if not self._holding and not _importing(frame):
            raise KeyboardInterrupt

    def _unraisable(self, report: Any) -> None:
        """A Ctrl-C CPython could not raise is this run's to handle (it is noted); anything
        else goes to the hook there was before."""
        if isinstance(report.exc_value, KeyboardInterrupt) and self.pressed:
            return
        self._previous_hook(report)

    def check(self) -> None:
        """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed (it may have been dropped)."""
        if self.pressed:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold a Ctrl-C back until the block is done, then raise it."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
        if self.pressed and not self._holding:
            raise KeyboardInterrupt


def _importing(frame: FrameType | None) -> bool:
    """Whether ``frame`` or a caller of it is the import system's own code."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib."):
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold a Ctrl-C back until the block is done (starting a worker, making an executor),
    when a run's :class:`CtrlC` is active; else nothing changes."""
    guard = _active
    if guard is None:
        yield
        return
    with guard.held():
        yield
