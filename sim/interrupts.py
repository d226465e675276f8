"""Ctrl-C: never lost, never inside the import system, never half-way through starting a worker.

Python turns Ctrl-C into a ``KeyboardInterrupt`` raised wherever the main thread happens to
be.  Three places make that unsafe:

- inside the import system (the command's modules loading, a chunk importing what it needs):
  raised in one of its weakref callbacks the exception is printed as "Exception ignored in
  ..." and dropped, so that a run went on to the end and exited 0; raised at the wrong
  instruction it leaves the interpreter's import lock held, so that the thread starting the
  pool's first worker waited for ever; raised in code an extension module runs as it loads,
  it made ``python -m sim`` die of the signal (exit -2) after printing its one line;
- inside ``ProcessPoolExecutor.submit``, between a worker process being started and the pool
  recording it: the pool's shutdown then missed that worker, which woke after this process
  had gone and printed a traceback;
- inside a ``__del__``, where CPython can only print it and drop it.

:class:`CtrlC` notes every Ctrl-C.  It raises it at once unless the import system is running
(then as soon as the import is done: it looks again every :data:`RETRY_SECONDS`) or a block
holds it back (:func:`deferred`, which raises it at the block's end); one CPython dropped is
raised again, and its "Exception ignored" report is not printed.  ``sim`` keeps one guard up
for the whole command; a run made from Python raises its own while it is driven.
"""

from __future__ import annotations

import _thread
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

#: How often a Ctrl-C that arrived during an import looks again whether it can be raised.
RETRY_SECONDS = 0.05

_active: "CtrlC | None" = None


class CtrlC:
    """A guard on Ctrl-C (a context manager; the one already up is shared).

    Only the main thread may handle signals, and only Python's own handler is replaced: under
    a notebook kernel's or an application's handler nothing changes."""

    def __init__(self) -> None:
        self.pressed = False  # Ctrl-C seen
        self.delivered = False  # raised as KeyboardInterrupt, and not dropped since
        self._holding = 0
        self._installed = False
        self._retry: threading.Timer | None = None
        self._previous_handler: Any = None
        self._previous_hook: Any = None

    def __enter__(self) -> "CtrlC":
        global _active
        if _active is not None:
            return _active
        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            self._previous_handler = signal.signal(signal.SIGINT, self._handle)
            self._previous_hook = sys.unraisablehook
            sys.unraisablehook = self._unraisable
            self._installed = True
            _active = self
        return self

    def __exit__(self, *exc: object) -> None:
        global _active
        if self._installed:
            self._installed = False
            _active = None
            if self._retry is not None:
                self._retry.cancel()
            signal.signal(signal.SIGINT, self._previous_handler)
            sys.unraisablehook = self._previous_hook

    # -- the handler ---------------------------------------------------------------------------
    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.pressed = True
        if _importing(frame):
            self._retry_soon()
        elif not self._holding:
            self._raise()

    def _raise(self) -> None:
        self.delivered = True
        raise KeyboardInterrupt

    def _retry_soon(self) -> None:
        """Simulate the Ctrl-C again in a moment, when the import may be over."""
        if self._retry is None or not self._retry.is_alive():
            self._retry = threading.Timer(RETRY_SECONDS, self._again)
            self._retry.daemon = True
            self._retry.start()

    def _again(self) -> None:
        """Deliver the Ctrl-C to the main thread again: a real signal where there are
        threads' signals (it wakes a thread waiting in a system call), else a simulated one."""
        if _active is self and self.pressed and not self.delivered:
            if hasattr(signal, "pthread_kill"):
                signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
            else:  # pragma: no cover - Windows
                _thread.interrupt_main()

    def _unraisable(self, report: Any) -> None:
        """A Ctrl-C CPython could not raise is raised again in a moment (the report is not
        printed); anything else goes to the hook there was before."""
        if isinstance(report.exc_value, KeyboardInterrupt) and self.pressed:
            self.delivered = False
            self._retry_soon()
            return
        self._previous_hook(report)

    # -- what callers use ----------------------------------------------------------------------
    def check(self) -> None:
        """Raise the Ctrl-C pressed and not yet raised (or raised and dropped), if any."""
        if self.pressed and not self.delivered:
            self._raise()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold a Ctrl-C back until the block is done, then raise it."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
        if not self._holding:
            self.check()


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
    when a guard is up; else nothing changes."""
    guard = _active
    if guard is None:
        yield
        return
    with guard.held():
        yield
