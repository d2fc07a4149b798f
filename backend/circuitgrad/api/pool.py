"""Worker processes for requests too big for the event loop, each with a hard time budget.

Why processes: the engine is synchronous CPU work that holds the GIL. In a thread, a slow
request would still starve the event loop (and could not be stopped); in a process it runs
beside the loop and, past its budget, is killed with SIGKILL and replaced. The loop only
waits on a pipe, from a thread, so `/healthz` keeps answering during any computation.

Bounded everywhere: `compute_processes` workers, at most `max_pending_computations`
requests waiting, each for at most `max_queue_seconds`; beyond that the answer is 429.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection

import anyio.to_thread

from ..settings import Settings
from .compute import ExportFormat, budget_outcome
from .encoding import Outcome, error_outcome

logger = logging.getLogger("circuitgrad.api")

READY = "ready"
_STARTUP_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Job:
    """One request for a worker: which computation, its raw body, the settings."""

    kind: str  # "graph" or "export"
    raw: bytes
    fmt: ExportFormat
    settings: Settings


class _Worker:
    """One worker process and our end of its socket."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "circuitgrad.api.worker", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, close_fds=True)
        theirs.close()
        self.conn = Connection(ours.detach())
        # Wait until it has imported the engine, so a job's budget is spent on the job.
        if not self.conn.poll(_STARTUP_SECONDS) or self.conn.recv() != READY:
            self.kill()
            raise OSError("a compute worker did not start")

    def alive(self) -> bool:
        return self.process.poll() is None

    def call(self, job: Job, budget: float) -> Outcome | None:
        """The job's outcome, or None when it outlived the budget (the worker is then
        killed). Blocking: runs in a thread."""
        self.conn.send(job)
        if not self.conn.poll(budget):
            self.kill()
            return None
        result: Outcome = self.conn.recv()
        return result

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            logger.warning("compute worker %d did not stop", self.process.pid)
        self.conn.close()


class ComputePool:
    """Runs jobs in worker processes with a per-job time budget."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()  # _idle is touched from worker threads
        self._slots: asyncio.Semaphore | None = None
        self._pending = 0
        self._closed = False

    async def run(self, job: Job) -> Outcome:
        """The job's outcome; 429 when too many wait, 413 when it outlives its budget."""
        settings = self.settings
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, settings.compute_processes))
        if self._pending >= settings.max_pending_computations:
            return _busy(settings)
        self._pending += 1
        try:
            try:
                await asyncio.wait_for(self._slots.acquire(), settings.max_queue_seconds)
            except TimeoutError:
                return _busy(settings)
            try:
                return await anyio.to_thread.run_sync(self._call, job)
            finally:
                self._slots.release()
        finally:
            self._pending -= 1

    def warm(self) -> None:
        """Start the workers ahead of the first request (blocking: call from a thread)."""
        while True:
            with self._lock:
                if self._closed or len(self._idle) >= self.settings.compute_processes:
                    return
            worker = _Worker()
            with self._lock:
                closed = self._closed
                if not closed:
                    self._idle.append(worker)
            if closed:
                worker.kill()

    def _call(self, job: Job) -> Outcome:
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        try:
            if worker is None or not worker.alive():
                if worker is not None:
                    worker.kill()
                worker = _Worker()
            outcome = worker.call(job, job.settings.request_cpu_seconds)
        except (EOFError, OSError):
            # The worker died under the job (e.g. the kernel's out-of-memory killer).
            if worker is not None:
                worker.kill()
            logger.warning("a compute worker ended during a %d-byte %s request",
                           len(job.raw), job.kind)
            return error_outcome(413, "LimitError",
                                 "the computation exceeded the server's resources")
        if outcome is None:
            logger.info("a %d-byte %s request outlived its budget", len(job.raw), job.kind)
            return budget_outcome(job.settings)
        with self._lock:
            if self._closed:
                worker.kill()
            else:
                self._idle.append(worker)
        return outcome

    def close(self) -> None:
        """Stop the idle workers; busy ones stop when their job ends."""
        with self._lock:
            self._closed = True
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.kill()


def _busy(settings: Settings) -> Outcome:
    retry = max(1, round(settings.request_cpu_seconds))
    return error_outcome(429, "Busy", "the server is busy with other computations; retry "
                         f"in {retry} s", headers={"Retry-After": str(retry)})
