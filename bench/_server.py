"""A real `circuitgrad serve` on a free loopback port, for the benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def running_server(workers: int = 1) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Start the server, wait for /healthz, yield (process, base URL), stop it."""
    port = free_port()
    command = Path(sys.executable).parent / "circuitgrad"
    env = {**os.environ, "WEB_CONCURRENCY": str(workers)}
    process = subprocess.Popen(
        [str(command), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        time.sleep(2)  # let the compute workers finish starting
        yield process, base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
