"""Review regression: one circuit Graphviz takes minutes to lay out (a variable fanned out to
150 gates) held the layout worker, so every later expression was never drawn.

The page runs in a thread of its own with its own Playwright: tests/e2e's session browser may
be alive in this process, and one thread holds one Playwright.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from e2e.conftest import (
    CHROMIUM_ARGS,
    DESKTOP,
    chromium_path,
    revision,
    running_server,
    unavailable,
    wait_for_new_circuit,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    with running_server("review-server.log") as url:
        yield url


def _slow_layout_then_a_new_circuit(url: str, executable: str) -> tuple[int, list[str]]:
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=DESKTOP)
            page.set_default_timeout(15_000)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(url + "/")
            page.wait_for_selector("#app[data-status='ready']", state="attached")
            box = page.get_by_test_id("expression")
            box.fill("x" + "+x" * 150)  # Graphviz's network simplex takes minutes on this one
            box.press("Enter")
            page.wait_for_function("document.getElementById('app').dataset.status === 'loading'")
            page.wait_for_timeout(500)  # the answer is in; its layout is running
            before = revision(page)
            box.fill("a*b - c")  # a new structure: it needs a layout of its own
            box.press("Enter")
            wait_for_new_circuit(page, before)  # within the default 15 s
            return page.locator("[data-node]").count(), errors
        finally:
            browser.close()


def test_a_slow_layout_does_not_block_the_next_circuit(server_url: str) -> None:
    executable = chromium_path()
    if executable is None:
        unavailable("Chromium is not installed (apt-get install chromium)")
        return
    pytest.importorskip("playwright.sync_api")
    with ThreadPoolExecutor(max_workers=1) as pool:
        nodes, errors = pool.submit(_slow_layout_then_a_new_circuit, server_url,
                                    executable).result(timeout=120)
    assert nodes == 5
    assert errors == []
