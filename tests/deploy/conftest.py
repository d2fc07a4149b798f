"""Fixtures of the deployment tests: the replayed image, and servers started from its CMD."""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

from .replay import ReplayedImage, replay

UNPRIVILEGED = "nobody"  # who runs the server when the tests run as root


@pytest.fixture(scope="session")
def image() -> Iterator[ReplayedImage]:
    """The Dockerfile replayed once per session (page, wheel, runtime virtualenv)."""
    replayed = replay()
    try:
        yield replayed
    finally:
        replayed.cleanup()


def free_port() -> int:
    """A port nobody listens on at the moment, on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_unprivileged() -> dict[str, Any]:
    """Popen options that drop root to `nobody`; nothing when we are not root."""
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam(UNPRIVILEGED)
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def container_command(command: list[str], port: int) -> list[str]:
    """The image's command for this machine: loopback instead of every interface, and the
    test's free port instead of 8000 (wherever the command names the port)."""
    replaced = [part.replace("0.0.0.0", "127.0.0.1") for part in command]  # noqa: S104
    return [part.replace("8000", str(port)) for part in replaced]


@dataclass
class Server:
    """A server started from the image's CMD."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def url(self, path: str) -> str:
        """The URL of a path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def output(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(errors="replace")

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM, as `docker stop` sends it; the exit code (negative: killed by a signal)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


def wait_until_healthy(server: Server, timeout: float = 60) -> None:
    """Poll /healthz until it answers 200; fail with the server's output if it dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"the server exited with {server.process.returncode}:\n{server.output()}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(server.url("/healthz"), timeout=2) as answer:
                if answer.status == 200:
                    return
        time.sleep(0.1)
    pytest.fail(f"no answer on /healthz after {timeout} s:\n{server.output()}")


@contextlib.contextmanager
def run_image(image: ReplayedImage, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Run the image's CMD as an unprivileged process from its empty WORKDIR on a free port."""
    port = free_port()
    log = image.tmp / f"server-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            container_command(image.cmd, port), cwd=image.workdir, env={**image.env, **(env or {})},
            stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
            **as_unprivileged())
    server = Server(process, port, log)
    try:
        wait_until_healthy(server)
        yield server
    finally:
        _kill_tree(process)


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    """Leave nothing behind: the server, its uvicorn workers and its compute processes."""
    try:
        others = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        others = []
    if process.poll() is None:
        process.kill()
    process.wait()
    for other in others:
        with contextlib.suppress(psutil.NoSuchProcess):
            other.kill()
    psutil.wait_procs(others, timeout=10)


def request(url: str, body: object | None = None, timeout: float = 30) -> tuple[int, dict[
        str, str], bytes]:
    """(status, headers, body) of a GET, or of a JSON POST when body is given."""
    data = None if body is None else json.dumps(body).encode()
    headers = {} if body is None else {"Content-Type": "application/json"}
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            return answer.status, dict(answer.headers.items()), answer.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers.items()), error.read()
