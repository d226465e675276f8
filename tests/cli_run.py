"""Running the command line in-process, as the CLI tests do: exit code, stdout, stderr."""

from __future__ import annotations

import pytest

from sim.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``sim ARGV...`` in this process; ``main`` always ends in ``SystemExit``."""
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err
