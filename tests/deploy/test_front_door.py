"""deploy/nginx.conf run by Debian's nginx, unprivileged from a temporary folder, in front of
`circuitgrad serve`: the page and the API come through, and slow-header, slow-body and idle
connections are held off while /healthz keeps answering."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from servers import Server, free_port, running_server

from .conftest import UNPRIVILEGED, as_unprivileged
from .replay import REPO

pytestmark = pytest.mark.slow

CONF = REPO / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CS231N = {"expression": "(x+y)*z", "values": {"x": -2, "y": 5, "z": -4}}


def nginx_conf(tmp: Path, listen: int, app: int) -> str:
    """deploy/nginx.conf for this machine: its port, the app's address, paths under `tmp`."""
    text = CONF.read_text()
    for old, new in (("server circuitgrad:8000;", f"server 127.0.0.1:{app};"),
                     ("listen 8080;", f"listen 127.0.0.1:{listen};")):
        assert text.count(old) == 1, f"deploy/nginx.conf should say {old!r} once"
        text = text.replace(old, new)
    container_tmp = "/tmp/"  # noqa: S108 - the paths the config names, replaced here
    assert container_tmp in text
    return text.replace(container_tmp, f"{tmp}/")


@dataclass
class FrontDoor:
    """nginx on one port, the app behind it on another."""

    nginx: Server
    app: Server
    conf: str

    def app_connections(self) -> int:
        """The connections the app has accepted and holds open (all of them nginx's)."""
        app = psutil.Process(self.app.process.pid)
        return sum(1 for c in app.net_connections(kind="tcp")
                   if c.laddr and c.laddr.port == self.app.port
                   and c.status == psutil.CONN_ESTABLISHED)


@pytest.fixture(scope="module")
def front_door() -> Iterator[FrontDoor]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: `make system-deps` installs Debian's nginx")
    with tempfile.TemporaryDirectory(prefix="circuitgrad-nginx-") as folder:
        tmp = Path(folder)
        if os.geteuid() == 0:  # nginx runs as `nobody`, who must write its pid and buffers
            user = pwd.getpwnam(UNPRIVILEGED)
            os.chown(tmp, user.pw_uid, user.pw_gid)
        port = free_port()
        with running_server("deploy/app.log", env={"WEB_CONCURRENCY": "1"}) as app:
            conf = nginx_conf(tmp, port, app.port)
            (tmp / "nginx.conf").write_text(conf)
            command = [NGINX, "-e", "stderr", "-p", f"{tmp}/", "-c", str(tmp / "nginx.conf"),
                       "-g", "daemon off;"]
            with running_server("deploy/nginx.log", command=command, port=port,
                                **as_unprivileged()) as nginx:
                yield FrontDoor(nginx, app, conf)


def test_nginx_runs_unprivileged_with_its_own_files(front_door: FrontDoor) -> None:
    master = psutil.Process(front_door.nginx.process.pid)
    if os.geteuid() == 0:
        assert master.uids().real == pwd.getpwnam(UNPRIVILEGED).pw_uid
    assert master.children(), "worker processes"


def test_the_page_and_the_api_come_through(front_door: FrontDoor) -> None:
    with front_door.nginx.client() as client:
        page = client.get("/", headers={"accept-encoding": "gzip"})
        assert page.status_code == 200 and "content-security-policy" in page.headers
        assert page.headers.get("server") in (None, "nginx")  # no version
        graph = client.post("/api/graph", json=CS231N, headers={"accept-encoding": "gzip"})
        assert graph.status_code == 200 and graph.json()["gradients"]["z"] == 3.0
        assert graph.headers.get("content-encoding") == "gzip"
        assert client.head("/healthz").status_code == 200


def test_a_body_past_the_limit_is_refused_by_nginx_in_the_apps_shape(front_door: FrontDoor
                                                                     ) -> None:
    with front_door.nginx.client() as client:
        response = client.post("/api/graph", content=b"x" * 3_000_000,
                               headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]["code"] == "body_bytes"


def test_huge_headers_are_refused(front_door: FrontDoor) -> None:
    with front_door.nginx.client() as client:
        response = client.get("/healthz", headers={"x-big": "a" * 20_000})
    assert response.status_code in (400, 431, 494)


@dataclass
class Attack:
    """Connections that misbehave in one way; when the server answered or closed each."""

    name: str
    sockets: list[socket.socket]
    closed_after: dict[int, float] = field(default_factory=dict)
    answered: dict[int, tuple[bytes, float]] = field(default_factory=dict)  # status line, when


def _open(port: int, count: int, source: str) -> list[socket.socket]:
    """`count` connections from the loopback address `source`: each attack comes from its own
    address, apart from the probe's, as nginx counts connections per client address."""
    connections = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5,
                                        source_address=(source, 0))
        sock.setblocking(False)
        connections.append(sock)
    return connections


def _read(sock: socket.socket) -> bytes | None:
    """What the server sent (b"" once it closed the connection), or None: nothing yet."""
    try:
        return sock.recv(65536)
    except BlockingIOError:
        return None
    except OSError:
        return b""


def test_slow_headers_slow_bodies_and_idle_connections_do_not_stop_healthz(
        front_door: FrontDoor) -> None:
    port = front_door.nginx.port
    started = time.monotonic()
    attacks = [
        # a byte of header every half second: never finishes (client_header_timeout)
        Attack("slow header", _open(port, 200, "127.0.0.2")),
        # headers, then a byte of body every half second (client_body_timeout is per read:
        # these stay open, but the app never sees them); past the per-address limit, 429
        Attack("slow body", _open(port, 150, "127.0.0.3")),
        # nothing at all
        Attack("idle", _open(port, 500, "127.0.0.4")),
        # headers and part of a body, then nothing (client_body_timeout)
        Attack("stalled body", _open(port, 50, "127.0.0.5")),
    ]
    by_name = {attack.name: attack for attack in attacks}
    for sock in by_name["slow header"].sockets:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    for sock in by_name["slow body"].sockets + by_name["stalled body"].sockets:
        sock.sendall(b"POST /api/graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{")
    latencies: list[float] = []
    app_connections: list[int] = []
    stop = threading.Event()

    def probe() -> None:
        with front_door.nginx.client(timeout=10) as client:
            while not stop.is_set():
                begun = time.monotonic()
                assert client.get("/healthz").status_code == 200
                latencies.append(time.monotonic() - begun)
                app_connections.append(front_door.app_connections())
                time.sleep(0.1)

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        while time.monotonic() - started < 14:
            for attack in attacks:
                for sock in attack.sockets:
                    key = sock.fileno()
                    if key in attack.closed_after:
                        continue
                    received = _read(sock)
                    now = time.monotonic() - started
                    if received == b"":
                        attack.closed_after[key] = now
                    elif received:
                        attack.answered.setdefault(key, (received.split(b"\r\n", 1)[0], now))
                    elif key in attack.answered:
                        continue
                    elif attack.name == "slow header":
                        sock.send(b"a")
                    elif attack.name == "slow body":
                        sock.send(b"1")
            time.sleep(0.5)
    finally:
        stop.set()
        prober.join()
        for attack in attacks:
            for sock in attack.sockets:
                sock.close()

    assert len(latencies) > 30 and max(latencies) < 1.0, max(latencies)
    # nginx read the slow bodies itself: the app saw nothing but the probes
    assert max(app_connections) <= 4, max(app_connections)
    for name in ("slow header", "idle", "stalled body"):
        attack = by_name[name]
        assert len(attack.closed_after) == len(attack.sockets), (
            f"{name}: {len(attack.sockets) - len(attack.closed_after)} connections still open")
        assert 9 < min(attack.closed_after.values()) and max(attack.closed_after.values()) < 14
    slow_body = by_name["slow body"]
    refused = list(slow_body.answered.values())
    assert len(refused) == 150 - 128, "past the per-address limit (128), a 429"
    assert {line for line, _ in refused} == {b"HTTP/1.1 429 Too Many Requests"}
    assert max(when for _, when in refused) < 3, "refused at once"


def test_an_app_that_is_down_is_a_503_in_the_apps_shape(front_door: FrontDoor) -> None:
    # The last test of the module: it stops the app.
    assert front_door.app.terminate() == 0
    with front_door.nginx.client() as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["detail"]["code"] == "app_unavailable"
