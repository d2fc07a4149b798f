"""Whole-pipeline speed of the engine against micrograd, measured in the same run.

For each case the same computation is done twice:
- circuitgrad: `evaluate(text, values).to_dict()` written as JSON bytes, as the API writes it
  — tokenize, parse, build the graph, forward, backward, explain every step (text, LaTeX and
  parts), the JSON-ready dict and its encoding (cold: the circuit cache is cleared before each
  run, so nothing made for the circuit alone is reused);
- micrograd: build the same graph of `Value` objects from Python floats and call backward().
The ratio is circuitgrad's time over micrograd's. Goals (issue 15): <= 3x at 1,000 nodes
(<= 1x the aim), and the time from 1,000 to 10,000 nodes growing <= 12x.

Run: .venv/bin/python bench/engine.py [--repeat N] [--rounds R]
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
from circuitgrad.api.encoding import ready_json_bytes
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


def cold_evaluate(text: str, values: dict[str, float]) -> bytes:
    # The engine remembers circuits of short programs (the page re-sends them with new
    # values); forget them so that every run parses and builds, as micrograd builds.
    clear_graph_cache()
    return ready_json_bytes(circuitgrad.evaluate(text, values).to_dict())


def run(repeat: int, rounds: int) -> None:
    cases = {
        100: [("deep chain", deep_chain(25)), ("wide sum", wide_sum(25)), ("mlp", mlp(4, 5))],
        1_000: [("deep chain", deep_chain(250)), ("wide sum", wide_sum(250)),
                ("mlp", mlp(16, 15))],
        10_000: [("deep chain", deep_chain(2_500)), ("wide sum", wide_sum(2_500)),
                 ("mlp", mlp(50, 50))],
    }
    ratios: dict[tuple[str, int], list[float]] = {}
    growths: dict[str, list[float]] = {}
    for round_ in range(rounds):
        print(f"round {round_ + 1} of {rounds}")
        print(f"{'case':<12} {'size':>6} {'nodes':>6} {'circuitgrad':>12} {'micrograd':>10} "
              f"{'µs/node':>8} {'ratio':>6}")
        totals: dict[tuple[str, int], float] = {}
        for size, named in cases.items():
            for name, (text, values, micro) in named:
                nodes = len(circuitgrad.evaluate(text, values).circuit)
                # Interleaved, so that both see the same load of this shared machine.
                ours, theirs = float("inf"), float("inf")
                for _ in range(repeat):
                    ours = min(ours, timed(lambda t=text, v=values: cold_evaluate(t, v)))
                    theirs = min(theirs, timed(micro))
                ratio = ours / theirs
                totals[(name, size)] = ours
                ratios.setdefault((name, size), []).append(ratio)
                print(f"{name:<12} {size:>6} {nodes:>6} {ours * 1e3:>10.2f}ms "
                      f"{theirs * 1e3:>8.2f}ms {ours / nodes * 1e6:>8.2f} {ratio:>6.2f}")
        for name, _ in cases[1_000]:
            growths.setdefault(name, []).append(totals[(name, 10_000)] / totals[(name, 1_000)])
        print("time from 1,000 to 10,000 nodes: " + ", ".join(
            f"{name} {growths[name][-1]:.1f}x" for name, _ in cases[1_000])
              + "  (goal <= 12x)")
    print(f"summary over {rounds} round(s), ranges:")
    for name, _ in cases[1_000]:
        low, high = min(ratios[(name, 1_000)]), max(ratios[(name, 1_000)])
        print(f"  {name:<12} 1k ratio {low:.1f}-{high:.1f}x (goal <= 3x); growth 1k -> 10k "
              f"{min(growths[name]):.1f}-{max(growths[name]):.1f}x (goal <= 12x)")


def timed(fn: Callable[[], Any]) -> float:
    # CPU time of this process, not wall time: both sides are single-threaded CPU work, and on
    # a shared machine the wall clock also counts the time other processes held the CPU.
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="best of this many runs")
    parser.add_argument("--rounds", type=int, default=1, help="the whole table this many times")
    args = parser.parse_args()
    # micrograd's topological sort recurses once per level of depth: give it room.
    sys.setrecursionlimit(100_000)
    threading.stack_size(512 * 1024 * 1024)
    worker = threading.Thread(target=run, args=(args.repeat, args.rounds))
    worker.start()
    worker.join()


if __name__ == "__main__":
    main()
