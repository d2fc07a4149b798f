"""A compute worker: `python -m circuitgrad.api.worker FD` answers jobs on a socket.

Started by pool.py as a fresh interpreter (not multiprocessing's fork or spawn), so it
depends neither on the server's threads nor on how the server's main module was run.
"""

from __future__ import annotations

import signal
import sys
import traceback
from multiprocessing.connection import Connection

from .compute import run_job
from .encoding import error_outcome
from .pool import READY


def serve_jobs(conn: Connection) -> None:
    """Receive a job, answer an Outcome, until the server closes the socket."""
    while True:
        try:
            job = conn.recv()  # a pool.Job, sent by our own server over a private socket
        except (EOFError, OSError):
            return
        try:
            outcome = run_job(job.kind, job.raw, job.fmt, job.settings)
        except MemoryError:
            outcome = error_outcome(413, "LimitError", "the computation ran out of memory")
        except Exception:  # noqa: BLE001 - a bug: log it here, answer a bare 500
            traceback.print_exc(file=sys.stderr)
            outcome = error_outcome(500, "InternalError", "internal error; it has been logged")
        try:
            conn.send(outcome)
        except (EOFError, OSError):
            return


def main() -> None:
    """Entry point: the socket's file descriptor is the only argument."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server; it stops us
    conn = Connection(int(sys.argv[1]))
    conn.send(READY)
    serve_jobs(conn)


if __name__ == "__main__":
    main()
