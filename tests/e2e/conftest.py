"""Shared fixtures for the page tests: a real `circuitgrad serve`, headless Chromium, pages.

Chromium is Debian's (`/usr/bin/chromium`); Playwright never downloads a browser. Under
`CI=true` a missing browser or Playwright is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from servers import ARTIFACTS as ALL_ARTIFACTS
from servers import ROOT as ROOT
from servers import running_server

ARTIFACTS = ALL_ARTIFACTS / "e2e"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}


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


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """A fresh server on a free loopback port (or $CIRCUITGRAD_E2E_URL, if set)."""
    external = os.environ.get("CIRCUITGRAD_E2E_URL")
    if external:
        yield external.rstrip("/")
        return
    with running_server("e2e/server.log", ready="/") as server:
        yield server.base


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
