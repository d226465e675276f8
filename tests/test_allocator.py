"""The sim command's C allocator: large blocks freed go back to the system (sim.allocator)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

import sim.__main__ as entry
from sim.allocator import fix_mmap_threshold

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"

#: What a run's parent does with each chunk's kept series: a 14 MB block received and freed
#: while small blocks stay allocated after it.  Prints the megabytes still resident.
PROBE = r"""
import sys
import numpy as np
from sim.allocator import fix_mmap_threshold

def rss_mb():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) // 1024 for l in f if l.startswith("VmRSS"))

if sys.argv[1] == "fixed":
    assert fix_mmap_threshold()
first = np.ones(14 << 17)  # mapped; with the default allocator its free raises the threshold
del first
base = rss_mb()
kept = []
for _ in range(8):
    block = np.ones(14 << 17)
    kept.append(np.ones(1000))  # a small block allocated after it pins the heap's top
    del block
print(rss_mb() - base)
"""


def _retained_mb(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,
                          timeout=120, check=True)
    return int(done.stdout.strip())


@pytest.mark.skipif(not GLIBC, reason="the mmap threshold is glibc's")
def test_freed_blocks_go_back_to_the_system_once_the_threshold_is_fixed() -> None:
    assert _retained_mb("default") >= 10  # the probe shows what the fix is for
    assert _retained_mb("fixed") <= 2


def test_the_command_fixes_the_threshold_before_anything_else(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(entry, "fix_mmap_threshold", lambda: calls.append("fixed") or True)
    monkeypatch.setattr(sys, "argv", ["sim", "--version"])
    with pytest.raises(SystemExit) as stop:
        entry.main()
    assert stop.value.code in (0, None) and calls == ["fixed"]


@pytest.mark.skipif(GLIBC, reason="elsewhere than glibc")
def test_elsewhere_nothing_is_set() -> None:
    assert fix_mmap_threshold() is False
