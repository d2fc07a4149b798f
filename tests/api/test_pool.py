"""The worker pool under pressure, on a real server: nothing outlives its request, heavy lab
traffic neither starves /healthz nor takes the machine's memory, and one worker's memory is
capped."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest

from circuitgrad import evaluate
from circuitgrad.api.handlers import Job
from circuitgrad.api.pool import _Worker
from circuitgrad.api.worker import WATCHDOG_MARGIN_SECONDS
from circuitgrad.export import dot_source, render
from circuitgrad.settings import Settings
from servers import Server, running_server

from .conftest import app_client

pytestmark = pytest.mark.slow

# A large drawing: over half a second to lay out and write its DOT here, then as long for
# Graphviz to draw it. (The 100 terms kept `dot` busy for ten seconds before the
# layout moved into the server.)
SLOW_LAYOUT = "+".join(f"x{i % 50}*y{i % 30}" for i in range(1200))
SLOW_VALUES = {**{f"x{i}": 1 for i in range(50)}, **{f"y{i}": 1 for i in range(30)}}
# The heavy lab request: four 1000×1000 intermediates per evaluation.
HEAVY = {"expression": "P = a*b; Q = P*P; R = Q*P; sum(R)",
         "values": {"a": [[0.001 * i] for i in range(1000)],
                    "b": [[0.001 * i for i in range(1000)]]},
         "method": "gradient_descent", "learning_rate": 1e-9, "steps": 40}
GIB = 2**30


def group_members(pgids: set[int]) -> list[psutil.Process]:
    """Every live (or zombie) process whose process group is one of these."""
    members = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) in pgids:
                members.append(process)
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return members


def outliving(server: Server, pgids: set[int], grace: float = 5.0) -> list[str]:
    """The processes of these groups other than the server's idle workers that are still
    alive `grace` seconds on (a kill takes a moment to land on a busy machine)."""
    deadline = time.monotonic() + grace
    while True:
        workers = {p.pid for p in server.tree()} - {server.process.pid}
        found = []
        for process in group_members(pgids):
            with contextlib.suppress(psutil.NoSuchProcess):
                if process.pid not in workers and process.status() != psutil.STATUS_ZOMBIE:
                    found.append(f"{process.pid} {process.name()}")
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


class TreeWatch:
    """Samples a server's process tree in the background: every worker group seen, every
    `dot`, and the peak resident memory of the whole tree."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.pgids: set[int] = set()
        self.dots: set[int] = set()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        root = self.server.process.pid
        while not self._stop.is_set():
            total = 0
            for process in self.server.tree():
                try:
                    total += process.memory_info().rss
                    # a worker leads its own group (a moment after it starts, it is still
                    # in the server's, which is the test's)
                    if process.pid != root and os.getpgid(process.pid) == process.pid:
                        self.pgids.add(process.pid)
                    if process.name() == "dot":
                        self.dots.add(process.pid)
                except (ProcessLookupError, psutil.NoSuchProcess):
                    continue
            self.peak = max(self.peak, total)
            time.sleep(0.02)


@pytest.fixture(scope="module")
def busy_server() -> Iterator[Server]:
    """A server with a short queue, so that heavy requests meet the limits quickly."""
    env = {"WEB_CONCURRENCY": "1", "CIRCUITGRAD_REQUEST_CPU_SECONDS": "3",
           "CIRCUITGRAD_MAX_QUEUE_SECONDS": "8"}
    with running_server("api/pool-server.log", env=env) as server:
        yield server


def test_twenty_timed_out_exports_leave_no_process_behind() -> None:
    # Each runs out of its quarter second in the layout or in `dot` (which gets what is
    # left); the two tests below make sure of `dot` in particular, at the moment it runs.
    env = {"WEB_CONCURRENCY": "1", "CIRCUITGRAD_REQUEST_CPU_SECONDS": "0.25",
           "CIRCUITGRAD_MAX_QUEUE_SECONDS": "60"}
    with running_server("api/export-server.log", env=env) as server, TreeWatch(
            server) as watch, server.client(timeout=120) as client:
        def export(i: int) -> int:
            # a different circuit each time: a worker that survived its 413 (dot killed by the
            # worker itself) would otherwise draw from its cache of the circuit's layout
            body = {"expression": f"{SLOW_LAYOUT}+{i}", "values": SLOW_VALUES}
            return client.post("/api/export?format=svg", json=body).status_code

        with ThreadPoolExecutor(4) as threads:
            statuses = Counter(threads.map(export, range(20)))
        leftovers = outliving(server, watch.pgids)
        assert client.get("/healthz").status_code == 200
    assert statuses == {413: 20}, statuses
    assert len(watch.pgids) >= 2, "the test saw the workers' process groups"
    assert leftovers == [], leftovers
    assert not [pid for pid in watch.dots if psutil.pid_exists(pid)
                and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE], "a dot lives on"


def test_dot_past_its_time_is_killed_by_the_worker_itself() -> None:
    # `render` gets what is left of the budget; past it, `dot` is killed and waited for.
    result = evaluate(SLOW_LAYOUT, SLOW_VALUES)
    dot_source(result)  # the layout is done once per result: only `dot` is timed below
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with pytest.raises(subprocess.TimeoutExpired):
        render(result, "svg", timeout=0.05)
    after = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    assert after == [], [(p.pid, p.name()) for p in after]


def test_forty_heavy_lab_requests_keep_healthz_fast_and_memory_bounded(
        busy_server: Server) -> None:
    latencies: list[float] = []
    stop = threading.Event()

    def probe() -> None:
        with busy_server.client(timeout=10) as client:
            while not stop.is_set():
                started = time.monotonic()
                assert client.get("/healthz").status_code == 200
                latencies.append(time.monotonic() - started)
                time.sleep(0.05)

    prober = threading.Thread(target=probe)
    with TreeWatch(busy_server) as watch, busy_server.client(timeout=60) as client:
        prober.start()

        def heavy(_: int) -> int:
            return client.post("/api/optimize", json=HEAVY).status_code

        try:
            with ThreadPoolExecutor(40) as threads:
                statuses = Counter(threads.map(heavy, range(40)))
        finally:
            stop.set()
            prober.join()
    assert set(statuses) <= {200, 413, 429}, statuses  # no 5xx, no dropped connection
    # the workers computed some (200, or 413 past the budget on a very busy machine), and the
    # queue limit turned the rest away
    assert statuses[200] + statuses[413] >= 2 and statuses[429] >= 1, statuses
    assert len(latencies) > 20 and max(latencies) < 1.0, max(latencies)
    assert watch.peak < GIB, f"the process tree peaked at {watch.peak / 2**20:.0f} MiB"


def test_a_killed_worker_takes_its_graphviz_along() -> None:
    # What the pool does at the budget, done the moment `dot` runs: SIGKILL to the group.
    settings = Settings(request_cpu_seconds=60)
    raw = json.dumps({"expression": SLOW_LAYOUT, "values": SLOW_VALUES}).encode()
    worker = _Worker(settings)
    group = worker.process.pid
    assert os.getpgid(group) == group, "a worker leads its own process group"
    try:
        worker.conn.send(Job("/api/export", raw, {"format": "svg"}, settings, 60))
        deadline = time.monotonic() + 60
        while not [p for p in group_members({group}) if p.name() == "dot"]:
            assert time.monotonic() < deadline, "dot never started"
            time.sleep(0.01)
    finally:
        worker.kill()
    time.sleep(0.2)
    assert [p.name() for p in group_members({group})
            if p.status() != psutil.STATUS_ZOMBIE] == []


def test_a_worker_nobody_kills_ends_itself() -> None:
    # The worker's own watchdog, for a server that died mid-job: twenty 1000×1000 matrix
    # products take many seconds, the watchdog ends the worker 2·budget + 2 s into the job.
    # The answer-size and memory limits are raised: otherwise the job is refused before it
    # computes, or runs out of memory in a second and answers 413; neither is the watchdog.
    budget = 0.5
    settings = Settings(request_cpu_seconds=budget, max_total_elements=10**9,
                        max_response_elements=10**9, max_response_bytes=10**12,
                        worker_memory_bytes=4 * GIB)
    body = {"expression": "sum(" + "@".join(["W"] * 20) + ")",
            "values": {"W": [[1e-3] * 1000] * 1000}}
    worker = _Worker(settings)
    group = worker.process.pid
    started = time.monotonic()
    try:
        worker.conn.send(Job("/api/graph", json.dumps(body).encode(), {}, settings, budget))
        worker.process.wait(timeout=60)
        elapsed = time.monotonic() - started
    finally:
        worker.kill()
    assert 2 * budget + WATCHDOG_MARGIN_SECONDS <= elapsed < 15, elapsed
    assert [p for p in group_members({group}) if p.status() != psutil.STATUS_ZOMBIE] == []


def test_the_engine_imports_and_computes_under_the_default_memory_limit() -> None:
    code = ("import sys; from circuitgrad.api.worker import limit_memory; "
            "limit_memory(int(sys.argv[1])); import numpy as np; "
            "from circuitgrad.api.handlers import HANDLERS; "
            "a = np.ones((500, 500)); assert (a @ a).sum() == 500**3")
    done = subprocess.run([sys.executable, "-c", code, str(Settings().worker_memory_bytes)],
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_request_past_the_memory_limit_is_a_413_and_the_server_goes_on() -> None:
    # Forty 1000×1000 intermediates (8 MB each, and as much again for their gradients) do
    # not fit in 300 MB of address space, of which the interpreter and numpy take half.
    body = {"expression": "sum(" + " * ".join(["exp(a*b)"] * 20) + ")",
            "values": {"a": [[1e-3]] * 1000, "b": [[1e-3] * 1000]}}
    with app_client(worker_memory_bytes=300_000_000, max_total_elements=10**9,
                    max_response_elements=10**9) as client:
        response = client.post("/api/graph", json=body)
        assert response.status_code == 413, response.text[:300]
        assert "memory" in response.json()["detail"]["message"]
        assert client.get("/healthz").status_code == 200
        small = client.post("/api/graph", json={"expression": "sum(a)", "values": {"a": [1, 2]}})
        assert small.status_code == 200
