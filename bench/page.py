"""How fast the page draws and steps, measured with its performance marks in headless Chromium.

    python bench/page.py            # starts `circuitgrad serve` on a free port
    CIRCUITGRAD_BENCH_URL=http://127.0.0.1:8000 python bench/page.py

Figures, not asserts. Goals (issue 4): Enter -> drawn circuit <= 150 ms for the sigmoid neuron
and <= 2 s for a 1,000-node expression; one step's redraw <= 16 ms (one frame). Issue 13: an
input of the neuron scrubbed (its slider's arrow key, or its name dragged on the diagram) ->
new numbers on the wires within a frame (16 ms), request included. Issue 12: a
value fanned out to 100 gates (sum of i*x) drawn within 1 s, the 125-term sum of i*x*y within
2 s, no circuit of up to 2,000 nodes over 3 s. The peer is native Graphviz (`dot -Tjson` on
the same DOT, which now only draws the server's positions).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
NEURON = "1/(1+exp(-(w0*x0+w1*x1+w2)))"
NEURON_VALUES = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}
TERMS = 250  # w_i*x_i summed: 500 inputs + 250 products + 249 sums + a constant = 1,000 nodes


FAN_OUT = {
    "sum of i*x, i = 1..100": (" + ".join(f"{i}*x" for i in range(1, 101)), 1000),
    "sum of i*x*y, i = 1..125": (" + ".join(f"{i}*x*y" for i in range(1, 126)), 2000),
    "2,000-node sum of products": (" + ".join(f"w{i}*x{i}" for i in range(500)) + " + 1", 3000),
    "2,000-node chain of tanh": ("tanh(" * 1998 + "x" + ")" * 1998 + " * y", 3000),
}


def big_expression(constant: int) -> str:
    """A 1,000-node sum of products, the size of a small layer written out by hand."""
    return " + ".join(f"w{i}*x{i}" for i in range(TERMS)) + f" + {constant}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server() -> tuple[str, subprocess.Popen[bytes] | None]:
    external = os.environ.get("CIRCUITGRAD_BENCH_URL")
    if external:
        return external.rstrip("/"), None
    port = free_port()
    script = Path(sys.executable).with_name("circuitgrad")
    command = [str(script)] if script.exists() else [
        sys.executable, "-c", "import sys; from circuitgrad.cli import main; sys.exit(main())"]
    process = subprocess.Popen(
        [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                return url, process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"circuitgrad serve did not answer at {url}")


def measures(page: Any, name: str) -> list[float]:
    result: list[float] = page.evaluate(
        "name => performance.getEntriesByName(name, 'measure').map(e => e.duration)", name
    )
    return result


def clear_measures(page: Any) -> None:
    page.evaluate("() => performance.clearMeasures()")


def enter_fresh(page: Any, expression: str) -> None:
    """Enter an expression as a new circuit: first a different one (unmeasured), so the page
    cannot keep the previous layout."""
    enter(page, "x")
    enter(page, expression)


def enter(page: Any, expression: str) -> None:
    """Type an expression, press Enter, wait until the circuit is painted."""
    before = len(measures(page, "cg:enter-to-paint"))
    box = page.get_by_test_id("expression")
    box.fill(expression)
    box.press("Enter")
    page.wait_for_function(
        "n => performance.getEntriesByName('cg:enter-to-paint', 'measure').length > n",
        arg=before, timeout=60_000,
    )


def step_and_wait(page: Any, key: str) -> None:
    """Press a step key and wait until the frame showing that step is done."""
    before = len(measures(page, "cg:step-render"))
    page.keyboard.press(key)
    page.wait_for_function(
        "n => performance.getEntriesByName('cg:step-render', 'measure').length > n", arg=before
    )


def scrub_neuron(page: Any) -> None:
    """Live inputs on the neuron: one value at a time (an arrow key on w0's slider, waiting
    for its frame), then a fast drag of x0's name on the diagram, where requests coalesce."""
    clear_measures(page)
    page.get_by_test_id("slider-w0").focus()
    for i in range(24):
        before = len(measures(page, "cg:scrub-to-frame"))
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(
            "n => performance.getEntriesByName('cg:scrub-to-frame', 'measure').length > n",
            arg=before)
    report("sigmoid neuron: scrub a value -> numbers drawn", measures(page, "cg:scrub"), 16)
    report("sigmoid neuron: scrub a value -> painted frame",
           measures(page, "cg:scrub-to-frame"), 16)
    parts = {name: statistics.median(measures(page, name)) for name in ("cg:fetch", "cg:draw")}
    print("  of which: " + ", ".join(f"{k[3:]} {v:.1f} ms" for k, v in parts.items()))
    page.wait_for_timeout(600)  # the settling evaluation after the keys
    clear_measures(page)
    page.evaluate("() => performance.clearMarks('cg:scrub-input')")
    box = page.locator('[data-node][data-name="x0"] .gate__input').bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 121):  # 120 moves, one per 8 ms: faster than a round trip
        page.mouse.move(x + step, y)
        page.wait_for_timeout(8)
    page.mouse.up()
    page.wait_for_timeout(600)
    inputs = page.evaluate("performance.getEntriesByName('cg:scrub-input', 'mark').length")
    lags = measures(page, "cg:scrub-to-frame")
    report(f"sigmoid neuron: drag, value -> its frame ({len(lags)} rounds for {inputs} values)",
           lags, 16)
    # The peer, measured now on the same busy machine: a bare request from the page.
    bare: list[float] = page.evaluate("""async () => {
      const times = [];
      for (let i = 0; i < 24; i += 1) {
        const start = performance.now();
        await (await fetch("/healthz")).text();
        times.push(performance.now() - start);
      }
      return times;
    }""")
    scrubbed = statistics.median(measures(page, "cg:scrub")) if measures(page, "cg:scrub") else 0
    print(f"peer: a bare request from the page (GET /healthz) {summary(bare)}; "
          f"ratio drag round / bare request {scrubbed / statistics.median(bare):.2f}")


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"median {statistics.median(ordered):7.1f} ms  p95 {p95:7.1f} ms  "
            f"max {ordered[-1]:7.1f} ms  (n={len(ordered)})")


def report(label: str, values: list[float], goal_ms: float) -> None:
    median = statistics.median(values)
    print(f"{label:<44} {summary(values)}  goal {goal_ms:g} ms  ratio {median / goal_ms:.2f}")


def native_layout_ms(base_url: str, expression: str, values: dict[str, Any]) -> float | None:
    """Median time of native `dot -Tjson` on the DOT the API sends for this expression."""
    dot = shutil.which("dot")
    if dot is None:
        return None
    body = json.dumps({"expression": expression, "values": values}).encode()
    request = urllib.request.Request(
        base_url + "/api/graph", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        source = json.load(response)["dot"].encode()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([dot, "-Tjson"], input=source, capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    from playwright.sync_api import sync_playwright

    base_url, server = start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(base_url + "/")
            page.wait_for_selector("#app[data-status='ready']")

            # The sigmoid neuron, laid out afresh each time.
            enter(page, NEURON)
            for name, value in NEURON_VALUES.items():
                page.get_by_test_id(f"value-{name}").fill(str(value))
            page.get_by_test_id("value-w2").press("Enter")
            page.wait_for_timeout(300)
            for i in range(16):
                enter_fresh(page, NEURON)
                if i == 0:
                    clear_measures(page)  # the first run also warms the caches up
            neuron_nodes = page.get_attribute('[data-testid="diagram"]', "data-nodes")
            report(f"sigmoid neuron ({neuron_nodes} nodes): Enter -> drawn",
                   measures(page, "cg:enter-to-circuit"), 150)
            report("sigmoid neuron: Enter -> painted frame",
                   measures(page, "cg:enter-to-paint"), 150)
            neuron_native = native_layout_ms(base_url, NEURON, NEURON_VALUES)
            # Stepping the small circuit: a baseline for what a frame costs on this machine.
            clear_measures(page)
            page.locator("body").click(position={"x": 2, "y": 2})
            page.keyboard.press("Home")
            for _ in range(12):
                step_and_wait(page, "ArrowRight")
            report("sigmoid neuron: one step's frame (render)",
                   measures(page, "cg:step-render"), 16)
            report("sigmoid neuron: step -> next frame done",
                   measures(page, "cg:step-to-frame"), 16)

            scrub_neuron(page)

            # About 1,000 nodes.
            clear_measures(page)
            drawn, painted, parts_seen = [], [], {"cg:fetch": [], "cg:layout": [], "cg:draw": []}
            for _ in range(4):
                enter_fresh(page, big_expression(1))
                # Of each pair, the second (last) entry is the big circuit.
                drawn.append(measures(page, "cg:enter-to-circuit")[-1])
                painted.append(measures(page, "cg:enter-to-paint")[-1])
                for name, seen in parts_seen.items():
                    seen.append(measures(page, name)[-1])
            big_nodes = page.get_attribute('[data-testid="diagram"]', "data-nodes")
            report(f"{big_nodes}-node sum of products: Enter -> drawn", drawn, 2000)
            report(f"{big_nodes}-node sum of products: Enter -> painted", painted, 2000)
            # Editing one value of the same circuit keeps its layout.
            clear_measures(page)
            for i in range(4):
                field = page.get_by_test_id("value-w0")
                field.fill(str(2 + i))
                before = len(measures(page, "cg:draw"))
                field.press("Enter")
                page.wait_for_function(
                    "n => performance.getEntriesByName('cg:draw', 'measure').length > n", arg=before
                )
            edits = [f + d for f, d in zip(measures(page, "cg:fetch"), measures(page, "cg:draw"),
                                           strict=False)]
            report(f"{big_nodes}-node circuit: edit a value -> redrawn", edits, 2000)
            parts = {name: statistics.median(seen) for name, seen in parts_seen.items()}
            print("  of which: " + ", ".join(f"{k[3:]} {v:.0f} ms" for k, v in parts.items()))
            big_values = {f"{p}{i}": 1 for i in range(TERMS) for p in ("w", "x")}
            big_native = native_layout_ms(base_url, big_expression(1), big_values)

            # Steps on the big circuit: forward from the start, backward from the end.
            page.locator("body").click(position={"x": 2, "y": 2})
            page.keyboard.press("Home")
            page.wait_for_timeout(100)
            clear_measures(page)
            for _ in range(40):
                step_and_wait(page, "ArrowRight")
            page.keyboard.press("End")
            page.wait_for_timeout(100)
            jump = measures(page, "cg:step")[-1:]
            for _ in range(40):
                step_and_wait(page, "ArrowLeft")
            page.wait_for_timeout(200)
            steps = measures(page, "cg:step")
            del steps[40]  # the End jump, reported on its own
            frames = measures(page, "cg:step-to-frame")
            renders = measures(page, "cg:step-render")
            report(f"{big_nodes}-node circuit: one step (script)", steps, 16)
            report(f"{big_nodes}-node circuit: one step's frame (render)", renders, 16)
            report(f"{big_nodes}-node circuit: step -> next frame done", frames, 16)
            print(f"{big_nodes}-node circuit: End (rewrites every label, script) "
                  f"{jump[0] if jump else float('nan'):.1f} ms")
            # Wide fan-outs and the largest circuits the goals name: Enter -> drawn.
            for label, (expression, goal) in FAN_OUT.items():
                clear_measures(page)
                drawn = []
                for _ in range(3):
                    enter_fresh(page, expression)
                    drawn.append(measures(page, "cg:enter-to-circuit")[-1])
                nodes = page.get_attribute('[data-testid="diagram"]', "data-nodes")
                report(f"{label} ({nodes} nodes): Enter -> drawn", drawn, goal)
            if neuron_native is not None and big_native is not None:
                print(f"peer: native `dot -Tjson` on the same DOT (process start included): "
                      f"neuron {neuron_native:.1f} ms, {big_nodes} nodes {big_native:.1f} ms")
                print(f"ratio page layout (reading the DOT) / native dot, {big_nodes} nodes: "
                      f"{parts['cg:layout'] / big_native:.2f}")
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
