"""``python -m sim`` and the ``sim`` command.

The guard on Ctrl-C (:mod:`sim.interrupts`) goes up before the command's modules load, so a
Ctrl-C at any moment, the first half-second included, ends in one line and exit code 130.
"""

from __future__ import annotations

import sys

from sim.interrupts import CtrlC


def main() -> None:
    """Entry point of the console script and of ``python -m sim``."""
    with CtrlC():
        try:
            from sim.cli import main as command

            command()
        except KeyboardInterrupt:  # before click took over, or after it let go
            sys.stderr.write("aborted\n")
            sys.exit(130)


if __name__ == "__main__":
    main()
