"""Coordinates for an ordered plan: heights by weighted averaging under spacing constraints,
columns by widths, and each wire's path (S-curves between columns, straight across them).

Coordinates are SVG's: x to the right, y down, in pixels at 100 % zoom.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from .plan import Plan, Slot

GAP_Y = 8.0  # between two slots of a rank
GAP_X = 18.0  # between two ranks, where wires bend...
SLOPE_ROOM = 0.3  # ...plus this much per pixel the wires there climb or fall
MAX_GAP_X = 90.0
ARROW = 7.0  # arrowhead length
INPUT_SPREAD = 9.0  # between the points where a gate's inputs arrive


class Point(NamedTuple):
    """A point of the drawing. (A named tuple: a 10-node circuit makes about 300 of them
    per layout, and a frozen dataclass costs about three times as much to make.)"""

    x: float
    y: float


def place_y(p: Plan, layers: list[list[int]], iterations: int) -> list[float]:
    """Each slot's height: near the average of its neighbours' (long wires straight, a gate
    between its inputs), never closer to the next slot than their extents and GAP_Y allow."""
    slots = p.slots
    y = [0.0] * len(slots)
    for layer in layers:
        cursor = 0.0
        for i, s in enumerate(layer):
            if i:
                cursor += _gap(slots[layer[i - 1]], slots[s])
            y[s] = cursor
    pulls = [[(v, _weight(slot, slots[v])) for v in slot.left + slot.right] for slot in slots]
    totals = [sum(w for _, w in pull) for pull in pulls]
    gaps = [[_gap(slots[a], slots[b]) for a, b in zip(layer, layer[1:], strict=False)]
            for layer in layers]
    for sweep in range(iterations):
        ranks = range(len(layers)) if sweep % 2 == 0 else range(len(layers) - 1, -1, -1)
        moved = 0.0
        for r in ranks:
            layer = layers[r]
            if not layer:
                continue
            desired = [sum(w * y[v] for v, w in pulls[s]) / totals[s] if totals[s] else y[s]
                       for s in layer]
            weights = [totals[s] or 0.01 for s in layer]
            for s, value in zip(layer, _spaced_fit(desired, weights, gaps[r]), strict=True):
                moved = max(moved, abs(value - y[s]))
                y[s] = value
        if moved < 0.05:  # settled: a twentieth of a pixel
            break
    top = min((y[s] - slots[s].above for s in range(len(slots))), default=0.0)
    return [value - top for value in y]


def _gap(a: Slot, b: Slot) -> float:
    return a.below + GAP_Y + b.above


def _weight(a: Slot, b: Slot) -> float:
    # Pieces of one wire pull hardest, so long wires run straight and labels sit on them.
    thin = ("bend", "label")
    return 1.0 + 3.0 * (a.kind in thin) + 3.0 * (b.kind in thin)


def _spaced_fit(desired: list[float], weights: list[float], gaps: list[float]) -> list[float]:
    """Least squares placement y_i ~ desired_i with y_{i+1} - y_i >= gaps_i: with the offsets
    taken out it is an isotonic regression, solved by pooling adjacent violators."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    blocks: list[list[float]] = []  # [mean, weight, count]
    for d, w, o in zip(desired, weights, offsets, strict=True):
        blocks.append([d - o, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, weight, count = blocks.pop()
            last = blocks[-1]
            total = last[1] + weight
            last[0] = (last[0] * last[1] + mean * weight) / total
            last[1] = total
            last[2] += count
    out: list[float] = []
    for mean, _, count in blocks:
        out.extend([mean] * int(count))
    return [value + o for value, o in zip(out, offsets, strict=True)]


def place_x(p: Plan, layers: list[list[int]], y: list[float]) -> list[tuple[float, float]]:
    """Each rank's left and right edge: as wide as its widest slot, with room to bend after."""
    spans = []
    x = 0.0
    for r, layer in enumerate(layers):
        width = max((p.slots[s].width for s in layer), default=0.0)
        spans.append((x, x + width))
        climb = max((abs(y[s] - y[t]) for s in layer for t in p.slots[s].right), default=0.0)
        if r + 1 < len(layers):
            x += width + min(MAX_GAP_X, GAP_X + SLOPE_ROOM * climb)
    return spans


def route(p: Plan, layers: list[list[int]], y: list[float],
          spans: list[tuple[float, float]]) -> tuple[list[list[Point]], list[Point]]:
    """Each wire's cubic Bézier control points (start, then three per segment) and the tip of
    its arrow on the target's outline."""
    slots = p.slots
    pos = {s: i for layer in layers for i, s in enumerate(layer)}
    arrive = _arrival_offsets(p, pos)
    paths, tips = [], []
    for k, wire in enumerate(p.wires):
        first = slots[wire.chain[0]]
        x0, x1 = spans[first.rank]
        start_x = x1 if first.kind != "gate" else (x0 + x1) / 2 + first.shape / 2
        points = [Point(start_x, y[wire.chain[0]])]
        for s in wire.chain[1:-1]:
            left, right = spans[slots[s].rank]
            _curve_to(points, Point(left, y[s]))
            _line_to(points, Point(right, y[s]))
        last = slots[wire.chain[-1]]
        left, right = spans[last.rank]
        entry_y = y[wire.chain[-1]] + arrive[k]
        if last.kind == "end":
            tip = Point(left + 2, entry_y)
        else:
            tip = Point(_outline_x(last, (left + right) / 2, arrive[k]), entry_y)
        _curve_to(points, Point(left, entry_y))
        _line_to(points, Point(max(left, tip.x - ARROW), entry_y))
        paths.append(points)
        tips.append(tip)
    return paths, tips


def _arrival_offsets(p: Plan, pos: dict[int, int]) -> list[float]:
    """Where each wire meets its gate, relative to the gate's centre: the gate's inputs spread
    over its left side in the order they arrive, so they never cross there."""
    offsets = [0.0] * len(p.wires)
    arriving: dict[int, list[int]] = {}
    for k, wire in enumerate(p.wires):
        arriving.setdefault(wire.chain[-1], []).append(k)
    for target, wires in arriving.items():
        wires.sort(key=lambda k: pos[p.wires[k].chain[-2]])
        half = p.slots[target].above
        spread = min(INPUT_SPREAD, 1.4 * half / max(1, len(wires) - 1))
        for i, k in enumerate(wires):
            offsets[k] = (i - (len(wires) - 1) / 2) * spread
    return offsets


def _outline_x(slot: Slot, centre_x: float, dy: float) -> float:
    """The left edge of an ellipse gate (half-axes width/2, above) at height dy."""
    a, b = slot.shape / 2, max(slot.above, 1.0)
    ratio = min(1.0, abs(dy) / b)
    return centre_x - a * math.sqrt(1 - ratio * ratio)


def _curve_to(points: list[Point], end: Point) -> None:
    """An S-curve leaving and arriving horizontally (a straight line when level)."""
    start = points[-1]
    mid = (start.x + end.x) / 2
    points.extend([Point(mid, start.y), Point(mid, end.y), end])


def _line_to(points: list[Point], end: Point) -> None:
    start = points[-1]
    if end.x <= start.x:
        return
    third = (end.x - start.x) / 3
    points.extend([Point(start.x + third, start.y), Point(end.x - third, end.y), end])
