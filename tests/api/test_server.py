"""`circuitgrad serve` as a real process on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import SIGMOID, strict_json


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = _free_port()
    command = Path(sys.executable).parent / "circuitgrad"
    process = subprocess.Popen(
        [str(command), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ,
                                                                "WEB_CONCURRENCY": "1"})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the server did not start: " + process.communicate()[1].decode()[-2000:])
    try:
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
        elif process.stderr is not None:
            process.stderr.close()


def test_a_real_server_answers_the_page_and_the_api(
        server: tuple[subprocess.Popen[bytes], str]) -> None:
    _, base = server
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/")
        assert page.status_code == 200 and "content-security-policy" in page.headers
        assert "server" not in page.headers  # no version banner
        graph = client.post("/api/graph", json=SIGMOID)
        assert graph.status_code == 200
        assert abs(strict_json(graph.text)["value"] - 0.7311) < 1e-4
        tensor = client.post("/api/graph", json={"expression": "sum(W@x)",
                                                 "values": {"W": [[1, 2]], "x": [3, 4]}})
        assert tensor.status_code == 200 and tensor.json()["value"] == 11.0
        huge = client.post("/api/graph", content=b"x" * 10_000_000,
                           headers={"content-type": "application/json"})
        assert huge.status_code == 413
    with httpx.Client(base_url=base, timeout=30) as client:  # a new connection after 413
        assert client.get("/healthz").status_code == 200
        svg = client.post("/api/export?format=svg", json=SIGMOID)
        assert svg.status_code == 200 and svg.text.lstrip().startswith("<?xml")


def test_sigterm_stops_the_server_gracefully(
        server: tuple[subprocess.Popen[bytes], str]) -> None:
    process, _ = server
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=30)
    # uvicorn finishes its graceful shutdown, then re-raises SIGTERM on itself (so the exit
    # status tells that a signal stopped it).
    assert process.returncode in (0, -signal.SIGTERM), errors.decode()[-2000:]
    assert b"Application shutdown complete" in errors
    assert b"Traceback" not in errors
