"""Load: 64 concurrent clients for 60 s mixing valid, tensor, hostile, lab and export requests
against a real server on loopback, while a probe asks /healthz every 100 ms.

Reports, beside their goals: 5xx answers (0), dropped connections (0), /healthz p99 latency
(< 250 ms), and the peak resident memory of the whole process tree: the server and its
compute processes, `dot` included (< 1 GiB); also the memory after the first 5 s and at the
end (a growth of at most 10%: a leak would grow; a drop is workers recycled or idle). A 429
is the queue limit doing its job, not a failure.

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
NEURON = {"expression": "sigmoid(w0*x0 + w1*x1 + w2)",
          "values": {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}}
HEAVY_LAB = {"expression": "P = a*b; Q = P*P; R = Q*P; sum(R)",
             "values": {"a": [[0.001 * i] for i in range(1000)],
                        "b": [[0.001 * i for i in range(1000)]]},
             "learning_rate": 1e-9, "steps": 20}
BIG_EXPORT = {"expression": "+".join(f"x{i % 50}*y{i % 30}" for i in range(400)),
              "values": {**{f"x{i}": 1 for i in range(50)}, **{f"y{i}": 1 for i in range(30)}}}
MIX: list[tuple[str, int, dict[str, Any]]] = [  # name, weight, request
    # ---- the circuit ----
    ("sigmoid", 30, {"json": NEURON}),
    ("expanded", 10, {"json": {**NEURON, "expand": True}}),
    ("svm tensor", 10, {"json": {"expression": "svm_loss(X@W, y)", "values": {
        "X": [[1, 2], [3, -1], [0, 1]], "W": [[1, 0, -1, 2], [0.5, 1, 1, -1]],
        "y": [0, 3, 1]}}}),
    ("matmul 60x60", 5, {"json": {"expression": "sum(tanh(A@B))", "values": {
        "A": [[0.01 * (i - j) for j in range(60)] for i in range(60)],
        "B": [[0.02 * (i + j) for j in range(60)] for i in range(60)]}}}),
    ("examples", 3, {"method": "GET", "url": "/api/examples"}),
    ("meta", 2, {"method": "GET", "url": "/api/meta"}),
    # ---- hostile ----
    ("syntax error", 8, {"json": {"expression": "((x+", "values": {"x": 1}}}),
    ("dunder", 4, {"json": {"expression": "__import__('os')", "values": {}}}),
    ("NaN token", 4, {"content": b'{"expression": "x", "values": {"x": NaN}}',
                      "headers": JSON}),
    ("no content type", 2, {"content": b'{"expression": "x", "values": {"x": 1}}'}),
    ("ragged", 4, {"json": {"expression": "sum(W)", "values": {"W": [[1, 2], [3]]}}}),
    ("nested parens", 3, {"json": {"expression": "(" * 20_000 + "x" + ")" * 20_000,
                                   "values": {"x": 1}}}),
    ("sum of 60k terms", 2, {"json": {"expression": "+".join(["x"] * 60_000),
                                      "values": {"x": 1}}}),
    ("9^9^9", 3, {"json": {"expression": "9^9^9", "values": {}}}),
    ("3 MB body", 2, {"content": b'{"expression": "' + b"x" * 3_000_000 + b'"}',
                      "headers": JSON}),
    # ---- the lab ----
    ("gradcheck", 5, {"url": "/api/gradcheck", "json": {**NEURON, "wires": True}}),
    ("optimize", 5, {"url": "/api/optimize", "json": {
        "expression": "3x^2+6x", "values": {"x": 2}, "method": "adam", "steps": 200}}),
    ("optimize heavy", 2, {"url": "/api/optimize", "json": HEAVY_LAB}),
    ("classifier", 3, {"url": "/api/classifier", "json": {
        "dataset": "spiral", "points": 300, "steps": 200, "batch_size": 64, "grid": 50}}),
    # ---- exports ----
    ("export svg", 3, {"url": "/api/export?format=svg", "json": {
        "expression": "(x+y)*z", "values": {"x": -2, "y": 5, "z": -4}}}),
    ("export png", 2, {"url": "/api/export?format=png", "json": NEURON}),
    ("export big svg", 1, {"url": "/api/export?format=svg", "json": BIG_EXPORT}),
]
GOAL_HEALTH_P99_MS = 250.0
GOAL_PEAK_BYTES = 2**30


def rss(process: psutil.Process) -> int:
    """Resident memory of the server and every process under it."""
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


async def probe_health(base: str, stop_at: float, latencies: list[float],
                       failures: collections.Counter[str]) -> None:
    """GET /healthz every 100 ms on a connection of its own; every latency, in seconds."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.monotonic() < stop_at:
            started = time.monotonic()
            try:
                response = await http.get("/healthz")
                if response.status_code != 200:
                    failures[str(response.status_code)] += 1
            except httpx.TransportError as error:
                failures["dropped: " + type(error).__name__] += 1
            latencies.append(time.monotonic() - started)
            await asyncio.sleep(0.1)


async def watch_memory(server: psutil.Process, stop_at: float, peak: list[int]) -> None:
    while time.monotonic() < stop_at:
        peak[0] = max(peak[0], await asyncio.to_thread(rss, server))
        await asyncio.sleep(0.25)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(base: str, pid: int, seconds: float, clients: int) -> int:
    server = psutil.Process(pid)
    stats: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    latencies: list[float] = []
    health_failures: collections.Counter[str] = collections.Counter()
    peak = [0]
    start = time.monotonic()
    stop_at = start + seconds
    tasks = [asyncio.create_task(client(base, stop_at, random.Random(i), stats))
             for i in range(clients)]
    tasks.append(asyncio.create_task(probe_health(base, stop_at, latencies, health_failures)))
    tasks.append(asyncio.create_task(watch_memory(server, stop_at, peak)))
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
    server_errors += sum(v for k, v in health_failures.items() if k.startswith("5"))
    dropped = sum(v for c in stats.values() for k, v in c.items() if k.startswith("dropped"))
    dropped += sum(v for k, v in health_failures.items() if k.startswith("dropped"))
    p99 = percentile(latencies, 0.99) * 1000 if latencies else float("nan")
    worst = max(latencies) * 1000 if latencies else float("nan")
    growth = (late - early) / early

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT MET"

    print(f"5xx: {server_errors} (goal 0, {verdict(server_errors == 0)})")
    print(f"dropped connections: {dropped} (goal 0, {verdict(dropped == 0)})")
    print(f"/healthz p99: {p99:.0f} ms over {len(latencies)} probes, worst {worst:.0f} ms "
          f"(goal < {GOAL_HEALTH_P99_MS:.0f} ms, {verdict(p99 < GOAL_HEALTH_P99_MS)})")
    print(f"peak memory of the process tree: {peak[0] / 2**20:.0f} MiB "
          f"(goal < 1 GiB, {verdict(peak[0] < GOAL_PEAK_BYTES)})")
    print(f"memory (server + workers): {early / 2**20:.0f} MiB after 5 s, "
          f"{late / 2**20:.0f} MiB at the end ({growth:+.1%}; goal: growth ≤ 10%, "
          f"{verdict(growth <= 0.10)})")
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
