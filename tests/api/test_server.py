"""`circuitgrad serve` as a real process: the page and the API, the connection's own limits
(header size and time, body time, keep-alive, the connection cap), and a graceful SIGTERM."""

from __future__ import annotations

import signal
import socket
import time
from collections.abc import Iterator

import pytest

from servers import Server, running_server

from .conftest import SIGMOID, strict_json

# Small limits, so that each is reached in a second or two.
TIGHT = {"WEB_CONCURRENCY": "1", "CIRCUITGRAD_MAX_HEADER_BYTES": "8192",
         "CIRCUITGRAD_HEADER_TIMEOUT_SECONDS": "1", "CIRCUITGRAD_BODY_TIMEOUT_SECONDS": "1",
         "CIRCUITGRAD_KEEP_ALIVE_SECONDS": "1", "CIRCUITGRAD_MAX_CONNECTIONS": "20"}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server("api/server.log", env={"WEB_CONCURRENCY": "1"}) as running:
        yield running


@pytest.fixture(scope="module")
def tight() -> Iterator[Server]:
    with running_server("api/tight-server.log", env=TIGHT) as running:
        yield running


def connect(server: Server) -> socket.socket:
    """A raw connection to the server, with a read time-out well past the server's."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return sock


def closed_by_server(sock: socket.socket, within: float) -> bool:
    """Whether the server closes the connection within `within` seconds (reading whatever it
    says first)."""
    sock.settimeout(within)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


def read_until_closed(sock: socket.socket, within: float) -> bytes:
    """Everything the server sends until it closes the connection (within `within` s)."""
    sock.settimeout(within)
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def healthy(server: Server) -> bool:
    with server.client(timeout=5) as client:
        return client.get("/healthz").status_code == 200


def test_a_real_server_answers_the_page_and_the_api(server: Server) -> None:
    with server.client() as client:
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
    with server.client() as client:  # a new connection after 413
        assert client.get("/healthz").status_code == 200
        svg = client.post("/api/export?format=svg", json=SIGMOID)
        assert svg.status_code == 200 and svg.text.lstrip().startswith("<?xml")


def test_headers_past_the_limit_are_a_431(tight: Server) -> None:
    with connect(tight) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n")
        answer = read_until_closed(sock, 5)
        assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
        assert b'"code":"header_bytes"' in answer and b"CIRCUITGRAD_MAX_HEADER_BYTES" in answer
        assert answer.count(b"HTTP/1.1") == 1, "one answer, then the connection closes"
    assert healthy(tight)


def test_a_100_mb_header_is_not_read(tight: Server) -> None:
    # It used to be read whole and answered 200: the server stops reading near the limit.
    sent = 0
    with connect(tight) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
        chunk = b"a" * 65536
        try:
            while sent < 100_000_000:
                sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
    assert sent < 10_000_000, f"the server read {sent:,} bytes of headers"
    assert healthy(tight)


def test_headers_must_arrive_in_time(tight: Server) -> None:
    with connect(tight) as slow, connect(tight) as idle:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # ...and never the rest
        started = time.monotonic()
        assert closed_by_server(slow, 5) and closed_by_server(idle, 5)
        assert time.monotonic() - started < 4
    assert healthy(tight)


def test_a_body_must_arrive_in_time(tight: Server) -> None:
    with connect(tight) as sock:
        sock.sendall(b"POST /api/graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n" + b'{"expression": ')  # ...then nothing
        answer = read_until_closed(sock, 5)
        assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
        assert b'"code":"body_timeout"' in answer


def test_an_idle_keep_alive_connection_is_closed(tight: Server) -> None:
    with connect(tight) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        started = time.monotonic()
        assert closed_by_server(sock, 5)
        assert time.monotonic() - started < 4


def test_connections_past_the_cap_are_closed_at_once(tight: Server) -> None:
    held = [connect(tight) for _ in range(20)]
    try:
        time.sleep(0.2)
        with connect(tight) as extra:
            started = time.monotonic()
            assert closed_by_server(extra, 0.5), "the 21st connection is closed"
            assert time.monotonic() - started < 0.5
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)
    assert healthy(tight)


def test_sigterm_stops_the_server_gracefully(server: Server) -> None:
    server.process.send_signal(signal.SIGTERM)
    code = server.process.wait(timeout=30)
    output = server.output()
    # `serve` exits 0 once uvicorn's graceful shutdown is done
    assert code in (0, -signal.SIGTERM), output[-2000:]
    assert "Application shutdown complete" in output
    assert "Traceback" not in output
