"""Shared test settings: a headless plotting backend, a deterministic hypothesis profile, and
Ctrl-C handled as in a terminal's foreground."""

from __future__ import annotations

import os
import signal
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

# A shell starts a command it puts in the background (`pytest &` in a script) with SIGINT
# ignored, and every process it starts inherits that: the tests of Ctrl-C would then test
# nothing.  Handle it as Python does in the foreground; the commands the tests start get the
# default disposition back, as a user's terminal gives them.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios"
