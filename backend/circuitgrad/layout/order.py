"""The top-to-bottom order of the slots in each rank, with as few wire crossings as we find.

A depth-first walk from the output back through each gate's arguments (in argument order)
draws any expression tree without a crossing; barycentre sweeps and adjacent swaps then untangle
what sharing adds, keeping the best order seen. The left column keeps its inputs in the order
they first appear in the expression, as the notes draw them.
"""

from __future__ import annotations

import random

from .plan import Plan

# NOTE: small circuits (the lessons) are worth many tries: sweeps and swaps get stuck in local
# minima (the ratio example's constant 2 below x instead of above it), so they restart from
# shuffled orders too, seeded for a deterministic picture. Big circuits get a few sweeps.
SMALL = 400  # slots
RESTARTS = 4


def order_slots(p: Plan, effort: int) -> list[list[int]]:
    """Each rank's slots, top to bottom. `effort` bounds the improvement passes."""
    inputs = sorted((s for s in range(len(p.slots))
                     if p.slots[s].kind == "input" and p.slots[s].rank == 0),
                    key=lambda s: p.slots[s].node)
    pos = [0] * len(p.slots)
    start = _depth_first(p)
    best, best_count = _improve(p, start, inputs, pos, effort)
    if len(p.slots) <= SMALL and effort:
        rng = random.Random(len(p.slots))  # noqa: S311 - a layout heuristic, not a secret
        for _ in range(RESTARTS):
            if best_count == 0:
                break
            layers = [layer[:] for layer in start]
            for layer in layers:
                rng.shuffle(layer)
            layers, count = _improve(p, layers, inputs, pos, effort)
            if count < best_count:
                best, best_count = layers, count
    return best


def _improve(p: Plan, layers: list[list[int]], inputs: list[int], pos: list[int],
             effort: int) -> tuple[list[list[int]], int]:
    """Barycentre sweeps, alternately rightward and leftward, each followed by neighbour swaps
    and (on small circuits) sifting; the best order seen and its crossings."""
    _fix_inputs(layers[0], inputs, p)
    _index(layers, pos)
    best = [layer[:] for layer in layers]
    best_count = total_crossings(p, layers, pos)
    stale = 0
    for sweep in range(effort):
        if best_count == 0 or stale > 2:
            break
        downward = sweep % 2 == 0
        ranks = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
        for r in ranks:
            _sort_by_barycentre(p, layers[r], pos, downward)
            if r == 0:
                _fix_inputs(layers[0], inputs, p)
            _index_one(layers[r], pos)
        _transpose(p, layers, pos, passes=2)
        if len(p.slots) <= SMALL:
            _sift(p, layers, pos)
        count = total_crossings(p, layers, pos)
        stale += 1
        if count < best_count:
            best_count, best, stale = count, [layer[:] for layer in layers], 0
    _index(best, pos)
    return best, best_count


def _depth_first(p: Plan) -> list[list[int]]:
    layers: list[list[int]] = [[] for _ in range(p.ranks)]
    seen = [False] * len(p.slots)
    roots = [p.end] + [s for s in range(len(p.slots)) if p.slots[s].kind != "end"]
    for root in roots:
        if seen[root]:
            continue
        stack = [root]
        while stack:
            s = stack.pop()
            if seen[s]:
                continue
            seen[s] = True
            layers[p.slots[s].rank].append(s)
            stack.extend(reversed(p.slots[s].left))
    return layers


def _fix_inputs(layer: list[int], inputs: list[int], p: Plan) -> None:
    """Put the inputs back in their given order, in the places inputs hold in `layer`."""
    places = [i for i, s in enumerate(layer) if p.slots[s].kind == "input"]
    for place, s in zip(places, inputs, strict=True):
        layer[place] = s


def _index(layers: list[list[int]], pos: list[int]) -> None:
    for layer in layers:
        _index_one(layer, pos)


def _index_one(layer: list[int], pos: list[int]) -> None:
    for i, s in enumerate(layer):
        pos[s] = i


def _sort_by_barycentre(p: Plan, layer: list[int], pos: list[int], downward: bool) -> None:
    keys = {}
    for s in layer:
        neighbours = p.slots[s].left if downward else p.slots[s].right
        keys[s] = (sum(pos[v] for v in neighbours) / len(neighbours)) if neighbours else pos[s]
    layer.sort(key=lambda s: (keys[s], pos[s]))


def crossings_between(p: Plan, layer: list[int], pos: list[int], size: int) -> int:
    """Crossings of the wires from `layer` to the next rank (`size` slots). Wires that share an
    end do not cross."""
    pairs = sorted((pos[s], pos[t]) for s in layer for t in p.slots[s].right)
    tree = [0] * (size + 1)  # a Fenwick tree counting right ends seen so far
    count = 0
    for seen, (_, b) in enumerate(pairs):
        i, not_above = b + 1, 0
        while i > 0:
            not_above += tree[i]
            i -= i & -i
        count += seen - not_above
        i = b + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return count


def total_crossings(p: Plan, layers: list[list[int]], pos: list[int]) -> int:
    """All crossings of an order."""
    return sum(crossings_between(p, layers[r], pos, len(layers[r + 1]))
               for r in range(len(layers) - 1))


def _pair_crossings(p: Plan, u: int, v: int, pos: list[int]) -> int:
    """Crossings among the wires of u and v when u is above v."""
    count = 0
    su, sv = p.slots[u], p.slots[v]
    for a in su.left:
        count += sum(1 for b in sv.left if pos[a] > pos[b])
    for a in su.right:
        count += sum(1 for b in sv.right if pos[a] > pos[b])
    return count


def _transpose(p: Plan, layers: list[list[int]], pos: list[int], passes: int) -> None:
    """Swap neighbours while that removes crossings (inputs in the left column stay put)."""
    for _ in range(passes):
        improved = False
        for r, layer in enumerate(layers):
            for i in range(len(layer) - 1):
                u, v = layer[i], layer[i + 1]
                if r == 0 and p.slots[u].kind == "input" and p.slots[v].kind == "input":
                    continue
                if _pair_crossings(p, v, u, pos) < _pair_crossings(p, u, v, pos):
                    layer[i], layer[i + 1] = v, u
                    pos[u], pos[v] = i + 1, i
                    improved = True
        if not improved:
            return


def _sift(p: Plan, layers: list[list[int]], pos: list[int]) -> None:
    """Move each slot to the place in its rank where its wires cross least (inputs in the left
    column keep their order: they are only sifted among non-inputs)."""
    for r, layer in enumerate(layers):
        for u in list(layer):
            if r == 0 and p.slots[u].kind == "input":
                continue
            layer.remove(u)
            _index_one(layer, pos)
            best_place, best_delta, delta = 0, 0, 0
            # u at the top first; then passing v below it changes crossings by c(v,u) - c(u,v).
            for i, v in enumerate(layer):
                delta += _pair_crossings(p, v, u, pos) - _pair_crossings(p, u, v, pos)
                if delta < best_delta:
                    best_place, best_delta = i + 1, delta
            layer.insert(best_place, u)
            _index_one(layer, pos)
