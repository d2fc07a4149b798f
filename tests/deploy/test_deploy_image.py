"""The image's recipe replayed: its CMD serves the API and the page, and stops cleanly.

The fixture `image` (conftest.py, replay.py) builds the page's npm assets and the wheel as the
Dockerfile's stages do, and installs the wheel into a fresh virtualenv outside the source tree.
Each test runs the Dockerfile's CMD from there, as `nobody`, from an empty working directory,
on a free loopback port.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import threading
import time
import zipfile
from typing import Any

import httpx
import psutil
import pytest

from servers import Server

from .conftest import (
    UNPRIVILEGED,
    as_unprivileged,
    container_command,
    run_image,
    served_by,
)
from .replay import ReplayedImage

pytestmark = pytest.mark.slow

CS231N = {"expression": "(x+y)*z", "values": {"x": -2, "y": 5, "z": -4}}


def _healthcheck(image: ReplayedImage, port: int) -> int:
    """Run the Dockerfile's HEALTHCHECK command as the image's user would; its exit code."""
    done = subprocess.run(container_command(image.healthcheck, port), cwd=image.workdir,
                          env=image.env, capture_output=True, timeout=30, check=False,
                          **as_unprivileged())
    return done.returncode


def test_the_image_serves_health_api_and_page(image: ReplayedImage) -> None:
    with run_image(image) as server, server.client() as client:
        init = psutil.Process(server.process.pid)
        assert image.entrypoint and init.exe() == os.path.realpath(image.entrypoint[0]), (
            "the image's init process (tini) is PID 1 and runs the server")
        process = served_by(server)
        if os.geteuid() == 0:
            assert process.uids().real == pwd.getpwnam(UNPRIVILEGED).pw_uid
        assert process.cwd() == str(image.workdir)
        assert process.exe().startswith(str(image.venv)) or str(image.venv) in " ".join(
            process.cmdline())

        health = client.get("/healthz")
        assert health.status_code == 200, health.text

        answer = client.post("/api/graph", json=CS231N)
        assert answer.status_code == 200, answer.text[:500]
        graph = answer.json()
        assert graph["value"] == -12
        assert graph["gradients"] == {"x": -4, "y": -4, "z": 3}

        page = client.get("/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert 'data-testid="expression"' in page.text, "the real page, not the placeholder"
        # every script and stylesheet the page names is served
        for path in re.findall(r'(?:src|href)="(/(?:js|css|vendor)/[^"]+)"', page.text):
            assert client.get(path).status_code == 200, path

        katex = client.get("/vendor/katex/katex.mjs")
        assert katex.status_code == 200
        assert katex.headers["content-type"].startswith("text/javascript")
        with zipfile.ZipFile(image.wheel) as wheel:
            assert katex.content == wheel.read("circuitgrad/frontend/vendor/katex/katex.mjs")

        # Debian's graphviz (the image's apt-get line) renders the exports
        assert "graphviz" in image.apt_packages
        if shutil.which("dot"):
            svg = client.post("/api/export?format=svg", json=CS231N)
            assert svg.status_code == 200, svg.text[:300]
            assert svg.headers["content-type"].startswith("image/svg+xml")
            assert "<svg" in svg.text

        assert _healthcheck(image, server.port) == 0
        code = server.terminate()
    assert _healthcheck(image, server.port) != 0, "the healthcheck notices a dead server"
    _check_exit_code(code, int(image.env["WEB_CONCURRENCY"]))


def _check_exit_code(code: int, workers: int) -> None:
    """0 after SIGTERM, as the issue asks, with one worker as with several.

    uvicorn re-raises the SIGTERM it handled once its graceful shutdown is done; `serve`
    turns that into exit 0 (a single process would otherwise report 143).
    """
    assert code == 0, f"exit code {code} after SIGTERM with {workers} worker(s)"


def _serving_connection(server: Server) -> bool:
    """Whether a process of the server's tree holds an accepted connection on its port."""
    port = server.port
    for process in server.tree():
        try:
            connections = process.net_connections(kind="tcp")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        if any(c.laddr and c.laddr.port == port and c.status == psutil.CONN_ESTABLISHED
               for c in connections):
            return True
    return False


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_lets_an_in_flight_request_finish(image: ReplayedImage, workers: int) -> None:
    # A legitimately slow request: 3,000 gates, a few MB of answer, about a second with the
    # start of a compute process; well within uvicorn's 10 s of grace even on a busy machine.
    expression = " + ".join(f"tanh(x*{k % 7 + 1})" for k in range(1_000))
    body = {"expression": expression, "values": {"x": 0.5}}
    env = {"WEB_CONCURRENCY": str(workers), "CIRCUITGRAD_REQUEST_CPU_SECONDS": "30"}
    with run_image(image, env) as server:
        if workers > 1:
            spawned = [p for p in served_by(server).children()
                       if "multiprocessing.spawn" in " ".join(p.cmdline())]
            assert len(spawned) == workers, "WEB_CONCURRENCY sets the worker processes"

        outcome: dict[str, Any] = {}

        def client() -> None:
            outcome["answer"] = httpx.post(server.url("/api/graph"), json=body, timeout=60)
            outcome["at"] = time.monotonic()

        thread = threading.Thread(target=client)
        thread.start()
        deadline = time.monotonic() + 30
        while not _serving_connection(server):
            assert time.monotonic() < deadline, "the request never reached the server"
            time.sleep(0.02)
        time.sleep(0.1)  # the request is read and computing
        sent = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        thread.join(60)
        code = server.process.wait(30)

    answer = outcome["answer"]
    assert answer.status_code == 200, answer.text[:300]
    assert len(json.loads(answer.content)["nodes"]) >= 3_000
    assert outcome["at"] > sent, "the answer came after SIGTERM: it was in flight"
    assert "Shutting down" in server.output()
    _check_exit_code(code, workers)


def test_timed_out_work_leaves_no_zombie(image: ReplayedImage) -> None:
    # Compute processes killed at their budget (and any `dot` of theirs) are reaped: by the
    # server when they are its children, by tini (PID 1) when they were orphaned.
    env = {"CIRCUITGRAD_REQUEST_CPU_SECONDS": "0.25"}
    body = {"expression": "+".join(f"x{i % 50}*y{i % 30}" for i in range(1_200)),
            "values": {**{f"x{i}": 1 for i in range(50)}, **{f"y{i}": 1 for i in range(30)}}}
    with run_image(image, env) as server, server.client(timeout=60) as client:
        statuses = [client.post("/api/export?format=svg", json=body).status_code
                    for _ in range(6)]
        assert statuses == [413] * 6
        deadline = time.monotonic() + 10
        while zombies := [p for p in server.tree() if p.status() == psutil.STATUS_ZOMBIE]:
            assert time.monotonic() < deadline, zombies
            time.sleep(0.1)
        assert client.get("/healthz").status_code == 200
