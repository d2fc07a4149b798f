"""The one way the tests run a real server: a process on a free loopback port, its output in a
log file, polled until it answers, and stopped with everything it started.

`circuitgrad serve` from the test environment by default; the deployment tests pass the
image's own command (and nginx's). HTTP goes through httpx, as everywhere in the tests.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
START_SECONDS = 60.0


def free_port() -> int:
    """A port nobody listens on at the moment, on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_command(port: int) -> list[str]:
    """`circuitgrad serve` from the same environment as the tests."""
    script = Path(sys.executable).with_name("circuitgrad")
    if script.exists():
        return [str(script), "serve", "--host", "127.0.0.1", "--port", str(port)]
    code = "import sys; from circuitgrad.cli import main; sys.exit(main())"
    return [sys.executable, "-c", code, "serve", "--host", "127.0.0.1", "--port", str(port)]


@dataclass
class Server:
    """A running server: its process, where it listens, and its log."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path
    host: str = "127.0.0.1"

    @property
    def base(self) -> str:
        """Its base URL."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        """The URL of a path on this server."""
        return self.base + path

    def output(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(errors="replace")

    def client(self, **options: Any) -> httpx.Client:
        """An httpx client of this server."""
        return httpx.Client(base_url=self.base, timeout=options.pop("timeout", 30), **options)

    def tree(self) -> list[psutil.Process]:
        """The server's process and every process it started, still alive."""
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM, as `docker stop` sends it; the exit code (negative: killed by a signal)."""
        self.process.terminate()
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


def wait_until_up(server: Server, path: str = "/healthz", timeout: float = START_SECONDS
                  ) -> None:
    """Poll `path` until it answers 200; fail with the server's output if it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"the server exited with {server.process.returncode}:\n"
                        f"{server.output()[-4000:]}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(server.url(path), timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    pytest.fail(f"no answer on {path} after {timeout} s:\n{server.output()[-4000:]}")


@contextlib.contextmanager
def running_server(log_name: str, *, command: list[str] | None = None, port: int | None = None,
                   env: dict[str, str] | None = None, inherit_env: bool = True,
                   cwd: Path | None = None, ready: str = "/healthz", **popen: Any
                   ) -> Iterator[Server]:
    """A server on a free loopback port (or `port`), its output in test-artifacts/`log_name`;
    stopped, with every process it started, on the way out.

    `env` is added to the test's environment (or is the whole of it, without `inherit_env`);
    `command` replaces `circuitgrad serve` (it must
    listen on `port`, which is then given); `popen` goes to subprocess.Popen (say, a user)."""
    port = port or free_port()
    command = command or serve_command(port)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / log_name
    log.parent.mkdir(parents=True, exist_ok=True)
    # The output goes to a file: a pipe nobody reads would fill up and stall the server.
    with log.open("wb") as sink:
        environment = {**os.environ, **(env or {})} if inherit_env else dict(env or {})
        process = subprocess.Popen(command, cwd=cwd or ROOT, env=environment,
                                   stdin=subprocess.DEVNULL, stdout=sink,
                                   stderr=subprocess.STDOUT, **popen)
    server = Server(process, port, log)
    try:
        wait_until_up(server, ready)
        yield server
    finally:
        stop_tree(process)


def stop_tree(process: subprocess.Popen[bytes]) -> None:
    """Leave nothing behind: the process, its uvicorn workers, its compute processes."""
    try:
        others = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        others = []
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for other in others:
        with contextlib.suppress(psutil.NoSuchProcess):
            other.kill()
    psutil.wait_procs(others, timeout=10)
