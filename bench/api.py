"""Requests per second and p50/p99 latency of POST /api/graph (the sigmoid neuron, new random
values on every request) against GET /healthz of the same server in the same run, with wrk
(Debian's `wrk`; `make bench` installs it) on loopback.

    python bench/api.py [--seconds 10] [--connections 32] [--workers 1] [--repeat 1]

Goal (issues 3 and 15): the graph route at least half the health check's rate, one worker.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import running_server  # noqa: E402

SIGMOID = {"expression": "sigmoid(w0*x0 + w1*x1 + w2)",
           "values": {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}}
TENSOR = {"expression": "svm_loss(X@W + b, y)",
          "values": {"X": [[1, 2, -1], [0.5, -1.5, 2], [-2, 0, 1]],
                     "W": [[0.2, -0.5, 0.1, 2], [1.5, 1.3, 2.1, 0], [0, 0.25, 0.2, -0.3]],
                     "b": [0.1, -0.2, 0, 0.3], "y": [0, 2, 1]}}
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _lua(body: dict[str, object]) -> str:
    """A wrk script POSTing `body` unchanged."""
    payload = json.dumps(body).replace("\\", "\\\\").replace('"', '\\"')
    return (f'wrk.method = "POST"\nwrk.body = "{payload}"\n'
            'wrk.headers["Content-Type"] = "application/json"\n')


def _fresh_lua(expression: str, names: list[str]) -> str:
    """A wrk script POSTing `expression` with a new random value (-3 to 3) for every name on
    every request: no answer, and no part of one that depends on the values, can be reused."""
    quoted = ", ".join(json.dumps(name) for name in names)
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local names = {{{quoted}}}
local head = '{{"expression": ' .. [==[{json.dumps(expression)}]==] .. ', "values": {{'
local counter = 0
function setup(thread)  -- each wrk thread its own random sequence
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(os.time() * 100 + id)
end
request = function()
  local parts = {{}}
  for i, name in ipairs(names) do
    parts[i] = string.format('"%s": %.4f', name, math.random() * 6 - 3)
  end
  return wrk.format(nil, nil, nil, head .. table.concat(parts, ", ") .. "}}}}")
end
"""


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise ValueError(text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url: str, seconds: int, connections: int, script: str | None) -> dict[str, float]:
    """Run wrk; its requests/s, p50 and p99 in ms, and non-2xx count."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        if script is not None:
            lua.write(script)
            lua.flush()
            command[1:1] = ["-s", lua.name]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    distribution = out.split("Latency Distribution", 1)[1]
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", distribution, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", distribution, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": float(bad.group(1)) if bad else 0.0,
            "socket_errors": 1.0 if errors else 0.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of the three runs, each round's ratio printed")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk; `make bench` does); skipping")
        return 0
    scripts: dict[str, str | None] = {
        "GET /healthz": None,
        "POST /api/graph sigmoid": _fresh_lua(str(SIGMOID["expression"]),
                                              list(SIGMOID["values"])),  # type: ignore[arg-type]
        "POST /api/graph svm 3x4": _lua(TENSOR),
    }
    ratios: list[float] = []
    print(f"{args.workers} worker(s), {args.connections} connections, {args.seconds} s each; "
          "the sigmoid neuron with new random values on every request")
    print(f"{'request':<26}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}")
    with running_server(args.workers) as (_, base):
        for _ in range(args.repeat):
            runs = {name: wrk(base + ("/healthz" if script is None else "/api/graph"),
                              args.seconds, args.connections, script)
                    for name, script in scripts.items()}
            for name, run in runs.items():
                print(f"{name:<26}{run['rps']:>10.0f}{run['p50']:>10.2f}{run['p99']:>10.2f}"
                      f"{run['non2xx']:>9.0f}")
            health = runs["GET /healthz"]["rps"]
            ratios.append(runs["POST /api/graph sigmoid"]["rps"] / health)
            print(f"ratio POST /api/graph sigmoid / healthz: {ratios[-1]:.2f}  (goal >= 0.5); "
                  f"svm 3x4 / healthz: {runs['POST /api/graph svm 3x4']['rps'] / health:.2f}")
    if len(ratios) > 1:
        print(f"sigmoid / healthz over {len(ratios)} rounds: {min(ratios):.2f}-{max(ratios):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
