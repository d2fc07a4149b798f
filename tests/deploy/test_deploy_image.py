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

import psutil
import pytest

from .conftest import (
    UNPRIVILEGED,
    as_unprivileged,
    container_command,
    request,
    run_image,
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
    with run_image(image) as server:
        process = psutil.Process(server.process.pid)
        if os.geteuid() == 0:
            assert process.uids().real == pwd.getpwnam(UNPRIVILEGED).pw_uid
        assert process.cwd() == str(image.workdir)
        assert process.exe().startswith(str(image.venv)) or str(image.venv) in " ".join(
            process.cmdline())

        status, _, body = request(server.url("/healthz"))
        assert status == 200, body

        status, _, body = request(server.url("/api/graph"), CS231N)
        assert status == 200, body[:500]
        graph = json.loads(body)
        assert graph["value"] == -12
        assert graph["gradients"] == {"x": -4, "y": -4, "z": 3}

        status, headers, page = request(server.url("/"))
        assert status == 200
        assert headers["content-type"].startswith("text/html")
        assert b'data-testid="expression"' in page, "the real page, not the placeholder"
        # every script and stylesheet the page names is served
        for path in re.findall(rb'(?:src|href)="(/(?:js|css|vendor)/[^"]+)"', page):
            status, _, _ = request(server.url(path.decode()))
            assert status == 200, path

        status, headers, viz = request(server.url("/vendor/viz.js"))
        assert status == 200
        assert headers["content-type"].startswith("text/javascript")
        assert b"WebAssembly" in viz, "Graphviz's WebAssembly build"
        with zipfile.ZipFile(image.wheel) as wheel:
            assert viz == wheel.read("circuitgrad/frontend/vendor/viz.js")

        # Debian's graphviz (the image's apt-get line) renders the exports
        assert "graphviz" in image.apt_packages
        if shutil.which("dot"):
            status, headers, svg = request(server.url("/api/export?format=svg"), CS231N)
            assert status == 200, svg[:300]
            assert headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg

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


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _serving_connection(pid: int, port: int) -> bool:
    """Whether a process of the server's tree holds an accepted connection on its port."""
    for process in _tree(pid):
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
            spawned = [p for p in psutil.Process(server.process.pid).children()
                       if "multiprocessing.spawn" in " ".join(p.cmdline())]
            assert len(spawned) == workers, "WEB_CONCURRENCY sets the worker processes"

        outcome: dict[str, object] = {}

        def client() -> None:
            outcome["answer"] = request(server.url("/api/graph"), body, timeout=60)
            outcome["at"] = time.monotonic()

        thread = threading.Thread(target=client)
        thread.start()
        deadline = time.monotonic() + 30
        while not _serving_connection(server.process.pid, server.port):
            assert time.monotonic() < deadline, "the request never reached the server"
            time.sleep(0.02)
        time.sleep(0.1)  # the request is read and computing
        sent = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        thread.join(60)
        code = server.process.wait(30)

    status, _, answer = outcome["answer"]  # type: ignore[misc]
    assert status == 200, answer[:300]
    assert len(json.loads(answer)["nodes"]) >= 3_000
    assert outcome["at"] > sent, "the answer came after SIGTERM: it was in flight"  # type: ignore[operator]
    assert "Shutting down" in server.output()
    _check_exit_code(code, workers)
