"""``python -m sim`` and the ``sim`` command.

The guard on Ctrl-C (:mod:`sim.interrupts`) goes up before the command's modules load, so a
Ctrl-C at any moment, the first half-second included, ends in one line and exit code 130.
The command owns its process, so it also fixes the C allocator's mmap threshold
(:mod:`sim.allocator`): the memory a run's parent frees goes back to the system.
"""

from __future__ import annotations

import sys

from sim.allocator import fix_mmap_threshold
from sim.interrupts import CtrlC


def main() -> None:
    """Entry point of the console script and of ``python -m sim``."""
    fix_mmap_threshold()
    with CtrlC():
        try:
            from sim.cli import main as command

            command()
        except KeyboardInterrupt:  # before click took over, or after it let go
            sys.stderr.write("aborted\n")
            sys.exit(130)


if __name__ == "__main__":
    main()
