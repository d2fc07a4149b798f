"""Where a request's work runs: on the event loop when provably small, else a worker process.

The one rule, for every row of the handler table (handlers.py):

1. the body must be JSON (415 otherwise, a missing Content-Type included);
2. a small body is validated on the loop (a bad one is refused without a worker);
3. a request its row calls small runs on the loop: a hop to a process would cost more
   than the work itself;
4. anything else runs in a worker process, with a hard time budget.

Why processes: the engine is synchronous CPU work that holds the GIL. In a thread, a slow
request would still starve the event loop (and could not be stopped); in a process it runs
beside the loop and, past its budget (and a second of grace for the lab's loops, which stop
themselves at the budget and answer what they have), is killed with SIGKILL and replaced.
Each worker leads its own process group, and its children (Graphviz's `dot`) stay in that
group, so killing the group leaves nothing behind. Each worker's address space is capped
(RLIMIT_AS), so one request cannot take the machine's memory. The loop only waits on a pipe,
from a thread, so `/healthz` keeps answering during any computation.

Bounded everywhere: `compute_processes` workers, at most `max_pending_computations`
requests waiting, each for at most `max_queue_seconds`; beyond that the answer is 429.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Mapping
from multiprocessing.connection import Connection

import anyio.to_thread

from ..lang import DEFAULT_LANG, Lang
from ..settings import Settings
from .encoding import Outcome, worded_outcome
from .handlers import Handler, Job, answer, budget_outcome, parse
from .worker import READY

logger = logging.getLogger("circuitgrad.api")

_STARTUP_SECONDS = 60.0
# NOTE: the lab's loops watch the budget themselves and answer what they have when it is
# spent (`stopped_early`); the worker is killed only if it is still busy this long after.
KILL_GRACE_SECONDS = 1.0
# One thread per numeric library in a worker: a worker is one request on one CPU, and BLAS
# thread pools would each reserve address space that the memory limit counts.
_WORKER_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def content_type_outcome(content_type: str | None, lang: Lang = DEFAULT_LANG
                         ) -> Outcome | None:
    """None when the body is declared JSON; else the 415 saying what to send.

    NOTE: a missing Content-Type is refused too: a browser sends cross-site form posts and
    `text/plain` bodies without asking the server first, so accepting them would let any page
    make its visitors' browsers start computations here."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "application/json":
        return None
    return worded_outcome(415, "UnsupportedMediaType", "unsupported_media_type",
                          {"content_type": media}, lang,
                          words=None if media else "unsupported_media_type_missing")


class ComputePool:
    """Answers the rows of the handler table, inline or in worker processes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()  # _idle is touched from worker threads
        self._slots: asyncio.Semaphore | None = None
        self._pending = 0
        self._closed = False

    async def answer(self, handler: Handler, raw: bytes, content_type: str | None,
                     query: Mapping[str, str], lang: Lang = DEFAULT_LANG) -> Outcome:
        """The answer to one request of this row, by the one rule. `lang` (the request's
        Accept-Language) words the refusals made before its body's own `lang` is read."""
        refused = content_type_outcome(content_type, lang)
        if refused is not None:
            return refused
        settings = self.settings
        if len(raw) <= settings.inline_max_body_bytes:
            parsed = parse(handler, raw, query)
            if isinstance(parsed, Outcome):
                return parsed
            body, parsed_query = parsed
            if handler.small is not None and handler.small(body, settings):
                return answer(handler, body, parsed_query, settings)
            if "lang" in body.model_fields_set:  # the body's own choice, when it made one
                lang = getattr(body, "lang", lang)
        return await self.run(Job(handler.path, raw, dict(query), settings,
                                  handler.budget(settings), lang))

    async def run(self, job: Job) -> Outcome:
        """The job's outcome from a worker; 429 when too many wait, 413 past the budget."""
        settings = self.settings
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, settings.compute_processes))
        # A job after close() (an app driven on after its lifespan ended, as test harnesses
        # do) reopens the pool rather than starting a worker per job.
        self._closed = False
        if self._pending >= settings.max_pending_computations:
            return _busy(settings, job.lang)
        self._pending += 1
        try:
            try:
                await asyncio.wait_for(self._slots.acquire(), settings.max_queue_seconds)
            except TimeoutError:
                return _busy(settings, job.lang)
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
            worker = _Worker(self.settings)
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
                worker = _Worker(job.settings)
            outcome = worker.call(job, job.seconds + KILL_GRACE_SECONDS)
        except (EOFError, OSError):
            # The worker died under the job (out of memory, or the kernel's OOM killer).
            if worker is not None:
                worker.kill()
            logger.warning("a compute worker ended during a %d-byte %s request",
                           len(job.raw), job.path)
            return worded_outcome(413, "LimitError", "resources", {}, job.lang)
        if outcome is None:
            logger.info("a %d-byte %s request outlived its budget", len(job.raw), job.path)
            return budget_outcome(job.settings, job.seconds, job.lang)
        with self._lock:
            if self._closed:
                worker.kill()
            else:
                self._idle.append(worker)
        return outcome

    def close(self) -> None:
        """Stop the idle workers; busy ones stop when their job ends (a later job reopens)."""
        with self._lock:
            self._closed = True
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.kill()


class _Worker:
    """One worker process (the leader of its own process group) and our end of its socket."""

    def __init__(self, settings: Settings) -> None:
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-m", "circuitgrad.api.worker", str(theirs.fileno()),
                   str(settings.worker_memory_bytes)]
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, close_fds=True,
            process_group=0, env={**os.environ, **_WORKER_ENV})
        theirs.close()
        self.conn = Connection(ours.detach())
        # Wait until it has imported the engine, so a job's budget is spent on the job.
        if not self.conn.poll(_STARTUP_SECONDS) or self.conn.recv() != READY:
            self.kill()
            raise OSError("a compute worker did not start")

    def alive(self) -> bool:
        return self.process.poll() is None

    def call(self, job: Job, budget: float) -> Outcome | None:
        """The job's outcome, or None when it outlived the budget (the worker and its
        children are then killed). Blocking: runs in a thread."""
        self.conn.send(job)
        if not self.conn.poll(budget):
            self.kill()
            return None
        result: Outcome = self.conn.recv()
        return result

    def kill(self) -> None:
        """SIGKILL to the whole process group: the worker and any `dot` it started."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            logger.warning("compute worker %d did not stop", self.process.pid)
        self.conn.close()


def _busy(settings: Settings, lang: Lang) -> Outcome:
    retry = max(1, round(settings.request_cpu_seconds))
    return worded_outcome(429, "Busy", "busy", {"retry_after": retry}, lang,
                          headers={"Retry-After": str(retry)})
