"""Requests per second and p50/p99 latency of POST /api/graph (the sigmoid neuron) against
GET /healthz of the same server in the same run, with wrk (Debian's) on loopback.

    python bench/api.py [--seconds 10] [--connections 32] [--workers 1]

Goal (issue 3): graph at least half the health check's rate with one worker.
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
    payload = json.dumps(body).replace("\\", "\\\\").replace('"', '\\"')
    return (f'wrk.method = "POST"\nwrk.body = "{payload}"\n'
            'wrk.headers["Content-Type"] = "application/json"\n')


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
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk); skipping")
        return 0
    with running_server(args.workers) as (_, base):
        runs = {
            "GET /healthz": wrk(base + "/healthz", args.seconds, args.connections, None),
            "POST /api/graph sigmoid": wrk(base + "/api/graph", args.seconds, args.connections,
                                           _lua(SIGMOID)),
            "POST /api/graph svm 3x4": wrk(base + "/api/graph", args.seconds, args.connections,
                                           _lua(TENSOR)),
        }
    print(f"{args.workers} worker(s), {args.connections} connections, {args.seconds} s each")
    print(f"{'request':<26}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}")
    for name, run in runs.items():
        print(f"{name:<26}{run['rps']:>10.0f}{run['p50']:>10.2f}{run['p99']:>10.2f}"
              f"{run['non2xx']:>9.0f}")
    health = runs["GET /healthz"]["rps"]
    for name in ("POST /api/graph sigmoid", "POST /api/graph svm 3x4"):
        print(f"ratio {name} / healthz: {runs[name]['rps'] / health:.2f}"
              + ("  (goal >= 0.5)" if "sigmoid" in name else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
