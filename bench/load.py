"""Load: 64 concurrent clients for 60 s mixing valid, tensor and hostile requests against a
real server on loopback. Reports status counts, 5xx (goal 0), dropped connections (goal 0),
and the resident memory of the server and its compute workers after the first 5 s and at
the end (goal: within 10%).

    python bench/load.py [--seconds 60] [--clients 64]

Bounded: it starts its own server on 127.0.0.1, stops by itself after --seconds, and each
client sends one request at a time.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import random
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import running_server  # noqa: E402

JSON = {"content-type": "application/json"}
MIX: list[tuple[str, int, dict[str, Any]]] = [  # name, weight, request
    ("sigmoid", 30, {"json": {"expression": "sigmoid(w0*x0 + w1*x1 + w2)",
                              "values": {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}}}),
    ("expanded", 10, {"json": {"expression": "sigmoid(w0*x0 + w1*x1 + w2)", "expand": True,
                               "values": {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}}}),
    ("svm tensor", 10, {"json": {"expression": "svm_loss(X@W, y)", "values": {
        "X": [[1, 2], [3, -1], [0, 1]], "W": [[1, 0, -1, 2], [0.5, 1, 1, -1]],
        "y": [0, 3, 1]}}}),
    ("matmul 60x60", 5, {"json": {"expression": "sum(tanh(A@B))", "values": {
        "A": [[0.01 * (i - j) for j in range(60)] for i in range(60)],
        "B": [[0.02 * (i + j) for j in range(60)] for i in range(60)]}}}),
    ("examples", 5, {"method": "GET", "url": "/api/examples"}),
    ("healthz", 5, {"method": "GET", "url": "/healthz"}),
    ("syntax error", 8, {"json": {"expression": "((x+", "values": {"x": 1}}}),
    ("dunder", 4, {"json": {"expression": "__import__('os')", "values": {}}}),
    ("NaN token", 4, {"content": b'{"expression": "x", "values": {"x": NaN}}',
                      "headers": JSON}),
    ("ragged", 4, {"json": {"expression": "sum(W)", "values": {"W": [[1, 2], [3]]}}}),
    ("nested parens", 3, {"json": {"expression": "(" * 20_000 + "x" + ")" * 20_000,
                                   "values": {"x": 1}}}),
    ("sum of 60k terms", 2, {"json": {"expression": "+".join(["x"] * 60_000),
                                      "values": {"x": 1}}}),
    ("9^9^9", 3, {"json": {"expression": "9^9^9", "values": {}}}),
    ("3 MB body", 2, {"content": b'{"expression": "' + b"x" * 3_000_000 + b'"}',
                      "headers": JSON}),
    ("export svg", 3, {"url": "/api/export?format=svg",
                       "json": {"expression": "(x+y)*z", "values": {"x": -2, "y": 5, "z": -4}}}),
]


def rss(process: psutil.Process) -> int:
    """Resident memory of the server and all its children."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


async def client(base: str, stop_at: float, rng: random.Random,
                 stats: dict[str, collections.Counter[str]]) -> None:
    names = [m[0] for m in MIX]
    weights = [m[1] for m in MIX]
    requests = {m[0]: m[2] for m in MIX}
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while time.monotonic() < stop_at:
            name = rng.choices(names, weights)[0]
            spec = dict(requests[name])
            method = spec.pop("method", "POST")
            url = spec.pop("url", "/api/graph")
            try:
                response = await http.request(method, url, **spec)
                stats[name][str(response.status_code)] += 1
            except httpx.TransportError as error:
                stats[name]["dropped: " + type(error).__name__] += 1


async def run(base: str, pid: int, seconds: float, clients: int) -> int:
    server = psutil.Process(pid)
    stats: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    start = time.monotonic()
    stop_at = start + seconds
    tasks = [asyncio.create_task(client(base, stop_at, random.Random(i), stats))
             for i in range(clients)]
    await asyncio.sleep(min(5.0, seconds / 2))
    early = rss(server)
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - start
    late = rss(server)
    total = sum(sum(counter.values()) for counter in stats.values())
    print(f"{clients} clients, {elapsed:.0f} s, {total} requests ({total / elapsed:.0f}/s)")
    for name, counter in sorted(stats.items()):
        print(f"  {name:<18} " + ", ".join(f"{k}: {v}" for k, v in sorted(counter.items())))
    server_errors = sum(v for c in stats.values() for k, v in c.items() if k.startswith("5"))
    dropped = sum(v for c in stats.values() for k, v in c.items() if k.startswith("dropped"))
    growth = (late - early) / early
    print(f"5xx: {server_errors}   dropped connections: {dropped}")
    print(f"memory (server + workers): {early / 2**20:.0f} MiB after 5 s, "
          f"{late / 2**20:.0f} MiB at the end ({growth:+.1%}; goal within 10%)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=64)
    args = parser.parse_args()
    with running_server(1) as (process, base):
        return asyncio.run(run(base, process.pid, args.seconds, args.clients))


if __name__ == "__main__":
    sys.exit(main())
