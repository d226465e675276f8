"""``--scheduler`` checked before a run creates anything: the scheduler answers and has at
least one worker.

Without this check a scheduler with no workers is found out only when the first chunk is
due, after the results folder exists and after Dask's own timeouts; here it is one line
within a few seconds, and nothing is written.
"""

from __future__ import annotations

import contextlib
import io

from sim.errors import UserError

#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT = 20.0
#: Seconds to wait for a first worker to join a scheduler that has none (workers started at
#: the same time as the run need a moment to register).
WORKER_WAIT = 5.0


def check_dask_workers(address: str | None) -> None:
    """Raise a one-line :class:`UserError` when the scheduler at ``address`` cannot be reached
    or has no workers; do nothing when no scheduler is named."""
    if not address:
        return
    # The engine's own check: the [dask] extra is installed and the address is one.
    from sim.engine.executors import check_scheduler

    check_scheduler(address)
    # Dask is an optional extra ([dask]): imported only when a run names a scheduler.
    from distributed import Client

    try:
        # Dask logs its connection attempts itself; the one line below says it all.
        with contextlib.redirect_stderr(io.StringIO()):
            client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"--scheduler {address}: cannot connect ({exc}); expected the address "
                        "of a running Dask scheduler such as tcp://10.0.0.5:8786") from None
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT)
        except (OSError, TimeoutError):
            raise UserError(
                f"--scheduler {address}: the scheduler has no workers (none joined within "
                f"{WORKER_WAIT:g} s); start some with `dask worker {address}`, or run "
                "without --scheduler") from None
    finally:
        with contextlib.suppress(Exception):
            client.close()
