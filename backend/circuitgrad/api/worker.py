"""A compute worker: `python -m circuitgrad.api.worker FD MEMORY_BYTES` answers jobs on a socket.

Started by pool.py as a fresh interpreter (not multiprocessing's fork or spawn), so it
depends neither on the server's threads nor on how the server's main module was run. It
leads its own process group; `dot` processes it starts stay in that group, so the pool's
SIGKILL to the group ends them too.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import threading
import traceback
from multiprocessing.connection import Connection

# NOTE: a watchdog beside the pool's: should the server die while a job runs, the worker
# still ends itself and its children this long after the job's budget. A thread rather than
# a signal handler: a handler waits for the C call under way (a long matrix product) to
# return, while numpy lets other threads run during it.
WATCHDOG_MARGIN_SECONDS = 2.0
READY = "ready"  # the first message: the engine is imported, jobs may come


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space (inherited by `dot`): past it, allocations fail with
    MemoryError in Python and make `dot` exit, instead of the machine swapping or the kernel
    killing something else."""
    if max_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def _end_the_group() -> None:
    os.killpg(0, signal.SIGKILL)


def serve_jobs(conn: Connection) -> None:
    """Receive a job, answer an Outcome, until the server closes the socket."""
    from .encoding import error_outcome, worded_outcome
    from .handlers import run_job

    while True:
        try:
            job = conn.recv()  # a handlers.Job, sent by our own server over a private socket
        except (EOFError, OSError):
            return
        watchdog = threading.Timer(2 * job.seconds + WATCHDOG_MARGIN_SECONDS, _end_the_group)
        watchdog.daemon = True
        watchdog.start()
        try:
            outcome = run_job(job)
        except MemoryError:
            outcome = worded_outcome(413, "LimitError", "memory", {}, job.lang)
        except Exception:  # noqa: BLE001 - a bug: log it here, answer a bare 500
            traceback.print_exc(file=sys.stderr)
            outcome = error_outcome(500, "InternalError", "internal",
                                    "internal error; it has been logged")
        finally:
            watchdog.cancel()
        try:
            conn.send(outcome)
        except (EOFError, OSError):
            return


def main() -> None:
    """Entry point: the socket's file descriptor and the memory limit in bytes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server; it stops us
    limit_memory(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    conn = Connection(int(sys.argv[1]))
    # The engine, imported under the limit, now (jobs arrive pickled as handlers.Job, so the
    # first one costs no import inside its budget).
    from .handlers import HANDLERS  # noqa: F401

    conn.send(READY)
    serve_jobs(conn)


if __name__ == "__main__":
    main()
