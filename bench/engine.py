"""Whole-pipeline speed of the engine against micrograd, measured in the same run.

For each case the same computation is done twice:
- circuitgrad: `evaluate(text, values).to_dict()` — tokenize, parse, build the graph, forward,
  backward, explain every step and make the JSON-ready dict (cold: the circuit cache is
  cleared before each run);
- micrograd: build the same graph of `Value` objects from Python floats and call backward().
The ratio is circuitgrad's time over micrograd's (goal: <= 1.0 at 1,000 and 10,000 nodes).

Run: .venv/bin/python bench/engine.py [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from micrograd.engine import Value

import circuitgrad
from circuitgrad.graph import clear_graph_cache


def deep_chain(n: int) -> tuple[str, dict[str, float], Callable[[], Any]]:
    """((x*0.9+0.1)*0.9+0.1)...: a chain about 4n nodes deep counting constants."""
    text = "(" * n + "x" + "*0.9+0.1)" * n
    values = {"x": 0.5}

    def micro() -> Any:
        v = Value(0.5)
        for _ in range(n):
            v = v * 0.9 + 0.1
        v.backward()
        return v

    return text, values, micro


def wide_sum(n: int) -> tuple[str, dict[str, float], Callable[[], Any]]:
    """w0*x0 + w1*x1 + ...: n products summed, 2n inputs."""
    rng = random.Random(1)
    text = " + ".join(f"w{i}*x{i}" for i in range(n))
    values = {f"{p}{i}": rng.uniform(-1, 1) for i in range(n) for p in "wx"}

    def micro() -> Any:
        total = Value(values["w0"]) * Value(values["x0"])
        for i in range(1, n):
            total = total + Value(values[f"w{i}"]) * Value(values[f"x{i}"])
        total.backward()
        return total

    return text, values, micro


def mlp(inputs: int, hidden: int) -> tuple[str, dict[str, float], Callable[[], Any]]:
    """One relu hidden layer, unrolled; every input fans out to every hidden unit."""
    rng = random.Random(2)
    lines = []
    values: dict[str, float] = {f"x{i}": rng.uniform(-1, 1) for i in range(inputs)}
    for j in range(hidden):
        terms = " + ".join(f"w{j}_{i}*x{i}" for i in range(inputs))
        lines.append(f"h{j} = relu({terms} + b{j})")
        values.update({f"w{j}_{i}": rng.uniform(-1, 1) for i in range(inputs)})
        values[f"b{j}"] = rng.uniform(-1, 1)
        values[f"v{j}"] = rng.uniform(-1, 1)
    lines.append("f = " + " + ".join(f"v{j}*h{j}" for j in range(hidden)))
    text = "\n".join(lines)

    def micro() -> Any:
        xs = [Value(values[f"x{i}"]) for i in range(inputs)]
        out = None
        for j in range(hidden):
            act = Value(values[f"w{j}_0"]) * xs[0]
            for i in range(1, inputs):
                act = act + Value(values[f"w{j}_{i}"]) * xs[i]
            h = (act + Value(values[f"b{j}"])).relu()
            term = Value(values[f"v{j}"]) * h
            out = term if out is None else out + term
        assert out is not None
        out.backward()
        return out

    return text, values, micro


def cold_evaluate(text: str, values: dict[str, float]) -> Any:
    # The engine remembers circuits of short programs (the page re-sends them with new
    # values); forget them so that every run parses and builds, as micrograd builds.
    clear_graph_cache()
    return circuitgrad.evaluate(text, values).to_dict()


def best_of(repeat: int, fn: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run(repeat: int) -> None:
    cases = {
        100: [("deep chain", deep_chain(25)), ("wide sum", wide_sum(25)), ("mlp", mlp(4, 5))],
        1_000: [("deep chain", deep_chain(250)), ("wide sum", wide_sum(250)),
                ("mlp", mlp(16, 15))],
        10_000: [("deep chain", deep_chain(2_500)), ("wide sum", wide_sum(2_500)),
                 ("mlp", mlp(50, 50))],
    }
    print(f"{'case':<12} {'size':>6} {'nodes':>6} {'circuitgrad':>12} {'micrograd':>10} "
          f"{'µs/node':>8} {'ratio':>6}")
    per_size: dict[int, list[float]] = {}
    for size, named in cases.items():
        for name, (text, values, micro) in named:
            nodes = len(circuitgrad.evaluate(text, values).circuit)
            ours = best_of(repeat, lambda t=text, v=values: cold_evaluate(t, v))
            theirs = best_of(repeat, micro)
            ratio = ours / theirs
            per_size.setdefault(size, []).append(ours / nodes)
            print(f"{name:<12} {size:>6} {nodes:>6} {ours * 1e3:>10.2f}ms {theirs * 1e3:>8.2f}ms "
                  f"{ours / nodes * 1e6:>8.2f} {ratio:>6.2f}")
    small, large = per_size[1_000], per_size[10_000]
    growth = sum(large) / sum(small)
    print(f"growth of time per node from 1,000 to 10,000 nodes: {growth:.2f}x "
          "(linear = 1.0; goal: total time 10x nodes <= 12x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    # micrograd's topological sort recurses once per level of depth: give it room.
    sys.setrecursionlimit(100_000)
    threading.stack_size(512 * 1024 * 1024)
    worker = threading.Thread(target=run, args=(args.repeat,))
    worker.start()
    worker.join()


if __name__ == "__main__":
    main()
