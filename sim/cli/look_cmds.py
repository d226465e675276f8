"""Commands: see the module docstring once implemented."""

from __future__ import annotations

from sim.cli import cli  # noqa: F401
