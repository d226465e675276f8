"""Ctrl-C (sim.interrupts): raised at once where that is safe, held back where it is not,
never lost.  The end-to-end cases (a real SIGINT to `sim run`, `sim explain`) are in
test_hardening_results.py."""

from __future__ import annotations

import signal
import sys
import time
import types
from typing import Any

import pytest

from sim import interrupts
from sim.interrupts import CtrlC, deferred


@pytest.fixture(autouse=True)
def no_retry_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A held-back Ctrl-C is delivered again after RETRY_SECONDS: not within these tests
    unless a test asks for it."""
    monkeypatch.setattr(interrupts, "RETRY_SECONDS", 60.0)


def frame_in(filename: str) -> types.FrameType:
    """A frame whose code comes from ``filename``."""
    namespace: dict[str, Any] = {}
    exec(compile("import sys\nframe = sys._getframe()", filename, "exec"), namespace)
    return namespace["frame"]


def test_the_guard_replaces_only_pythons_own_handler_and_puts_it_back() -> None:
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    hook = sys.unraisablehook
    with CtrlC() as guard:
        assert signal.getsignal(signal.SIGINT) == guard._handle
        assert sys.unraisablehook == guard._unraisable
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert sys.unraisablehook is hook

    def kernel_handler(signum: int, frame: object) -> None:  # a notebook kernel's, say
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, kernel_handler)
    try:
        with CtrlC():
            assert signal.getsignal(signal.SIGINT) is kernel_handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_ctrl_c_is_raised_at_once_outside_the_import_system() -> None:
    with CtrlC() as guard:
        with pytest.raises(KeyboardInterrupt):
            guard._handle(signal.SIGINT, frame_in("/somewhere/sim/model/world.py"))
        assert guard.pressed


def test_a_ctrl_c_inside_the_import_system_waits_for_the_next_check() -> None:
    with CtrlC() as guard:
        guard._handle(signal.SIGINT, frame_in("<frozen importlib._bootstrap>"))
        assert guard.pressed
        with pytest.raises(KeyboardInterrupt):
            guard.check()


def test_a_ctrl_c_inside_an_import_is_raised_once_the_import_is_over(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interrupts, "RETRY_SECONDS", 0.01)
    with CtrlC() as guard:
        guard._handle(signal.SIGINT, frame_in("<frozen importlib._bootstrap>"))
        assert not guard.delivered
        deadline = time.monotonic() + 5.0
        with pytest.raises(KeyboardInterrupt):
            while time.monotonic() < deadline:
                time.sleep(0.001)  # the signal sent again wakes the sleep and is raised
        assert guard.delivered


def test_a_guard_already_up_is_shared() -> None:
    with CtrlC() as outer:
        with CtrlC() as inner:
            assert inner is outer
        assert signal.getsignal(signal.SIGINT) == outer._handle
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_ctrl_c_during_a_submission_is_raised_when_it_is_done() -> None:
    done = []
    with CtrlC() as guard:
        with pytest.raises(KeyboardInterrupt):
            with deferred():
                guard._handle(signal.SIGINT, None)
                done.append("submitted")
    assert done == ["submitted"]


def test_deferred_without_a_guard_changes_nothing() -> None:
    with deferred():
        pass
    with pytest.raises(ValueError):
        with deferred():
            raise ValueError("passes through")


def test_only_a_noted_ctrl_c_is_kept_off_the_unraisable_hook() -> None:
    seen: list[BaseException] = []
    previous = sys.unraisablehook
    sys.unraisablehook = lambda report: seen.append(report.exc_value)
    try:
        with CtrlC() as guard:
            report = types.SimpleNamespace(exc_value=KeyboardInterrupt())
            sys.unraisablehook(report)  # not pressed: not ours, passed on
            guard.pressed = guard.delivered = True
            sys.unraisablehook(report)  # ours: not printed, to be raised again
            assert not guard.delivered
            other = types.SimpleNamespace(exc_value=ValueError("a __del__ failed"))
            sys.unraisablehook(other)
    finally:
        sys.unraisablehook = previous
    assert [type(e) for e in seen] == [KeyboardInterrupt, ValueError]
