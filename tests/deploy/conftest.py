"""Fixtures of the deployment tests: the replayed image, and servers started from its CMD."""

from __future__ import annotations

import contextlib
import os
import pwd
from collections.abc import Iterator
from typing import Any

import psutil
import pytest

from servers import Server, free_port, running_server

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


def served_by(server: Server) -> psutil.Process:
    """The server itself: the image's init process (tini) runs it as its one child."""
    init = psutil.Process(server.process.pid)
    children = init.children()
    assert len(children) == 1, f"the init process runs one child, not {children}"
    return children[0]


@contextlib.contextmanager
def run_image(image: ReplayedImage, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Run the image's ENTRYPOINT and CMD as an unprivileged process from its empty WORKDIR
    on a free port, with only the image's environment."""
    port = free_port()
    command = image.entrypoint + container_command(image.cmd, port)
    # NOTE: tini is PID 1 in a container, so orphans come to it; here it must ask to be
    # their "subreaper" to adopt them the same way (the image needs no such setting).
    environment = {**image.env, "TINI_SUBREAPER": "1", **(env or {})}
    with running_server(f"deploy/image-{port}.log", command=command, port=port,
                        env=environment, inherit_env=False, cwd=image.workdir,
                        **as_unprivileged()) as server:
        yield server
