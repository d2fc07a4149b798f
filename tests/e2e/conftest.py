"""Shared fixtures for the page tests: a real `circuitgrad serve`, headless Chromium, pages.

Chromium is Debian's (`/usr/bin/chromium`); Playwright never downloads a browser. Under
`CI=true` a missing browser or Playwright is a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}
SERVER_START_SECONDS = 30.0


def in_ci() -> bool:
    """Whether we run under CI, where nothing may be skipped."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    """Skip locally, fail under CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the page tests must run)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """Debian's Chromium, or $CHROMIUM."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_command(port: int) -> list[str]:
    """`circuitgrad serve` from the same environment as the tests."""
    script = Path(sys.executable).with_name("circuitgrad")
    if script.exists():
        return [str(script), "serve", "--host", "127.0.0.1", "--port", str(port)]
    code = "import sys; from circuitgrad.cli import main; sys.exit(main())"
    return [sys.executable, "-c", code, "serve", "--host", "127.0.0.1", "--port", str(port)]


def wait_until_up(
    url: str, process: subprocess.Popen[bytes] | None, log: Path | None = None
) -> None:
    """Poll the page until it answers, or fail with the server's output."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            output = log.read_text(errors="replace") if log else ""
            pytest.fail(f"circuitgrad serve exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the server at {url} did not answer within {SERVER_START_SECONDS} s")


@contextlib.contextmanager
def running_server(log_name: str) -> Iterator[str]:
    """`circuitgrad serve` on a free loopback port, its output in test-artifacts/e2e/."""
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads would fill up and stall the server.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / log_name
    with log.open("wb") as output:
        process = subprocess.Popen(
            server_command(port), cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """A fresh server on a free loopback port (or $CIRCUITGRAD_E2E_URL, if set)."""
    external = os.environ.get("CIRCUITGRAD_E2E_URL")
    if external:
        wait_until_up(external.rstrip("/") + "/", None)
        yield external.rstrip("/")
        return
    with running_server("server.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    executable = chromium_path()
    if executable is None:
        unavailable("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


class PageProblems:
    """Console errors and uncaught exceptions a page produced."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def record_console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def record_exception(self, error: Any) -> None:
        self.errors.append(f"exception: {error}")

    def unexpected(self, allowed_statuses: tuple[int, ...] = ()) -> list[str]:
        """Every problem except the browser's own note about an expected 4xx answer."""

        def expected(error: str) -> bool:
            return error.startswith("console: Failed to load resource") and any(
                f"status of {status}" in error for status in allowed_statuses
            )

        return [error for error in self.errors if not expected(error)]


@pytest.fixture
def make_page(browser: Any, base_url: str) -> Iterator[Any]:
    """Open pages at a viewport; each records its console errors in `.problems`."""
    contexts: list[Any] = []

    def open_page(path: str = "/", viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(viewport=viewport or DESKTOP)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems = PageProblems()
        page.on("console", problems.record_console)
        page.on("pageerror", problems.record_exception)
        page.problems = problems
        page.goto(base_url + path)
        wait_settled(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


def wait_settled(page: Any) -> None:
    """Wait until the page has answered its last request (a circuit or an error)."""
    page.wait_for_selector("#app[data-status='ready'], #app[data-status='error']", state="attached")


def revision(page: Any) -> int:
    """How many circuits the page has drawn so far."""
    value = page.get_attribute('[data-testid="diagram"]', "data-revision")
    return int(value or 0)


def wait_for_new_circuit(page: Any, before: int) -> None:
    """Wait until a circuit newer than revision `before` is drawn."""
    page.wait_for_function(
        "before => Number(document.querySelector('[data-testid=diagram]').dataset.revision || 0)"
        " > before && document.getElementById('app').dataset.status === 'ready'",
        arg=before,
    )


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot under test-artifacts/e2e/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
