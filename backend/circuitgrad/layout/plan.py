"""Where each part of the circuit goes, before any coordinate: columns, stubs and slots.

The drawing is layered, left to right, like the CS231n figures: gate columns alternate with
label columns. A wire runs from its source through one slot in every column it passes: a thin
"bend" slot, and in the column just before its target gate a tall "label" slot where it is
horizontal, its value written above and its gradient below. Crossing minimization and the
vertical placement then work on slots alone, so a label is an obstacle like any gate and no
other wire can run through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..graph import CONST, INPUT, Circuit

SlotKind = Literal["input", "const", "gate", "ref", "end", "label", "bend"]

# NOTE: a value feeding more gates than this keeps one wire (to its first gate); each other use
# starts at a stub beside its gate that names the value. A single source with a hundred wires
# is spaghetti whatever the layout does, and its long wires are what made layout slow (5.6 s
# for 1*x + ... + 100*x in Graphviz): stubs make it a forest, laid out in linear time.
FANOUT_STUBS = 4
# NOTE: a wire that would cross more gate columns than this becomes a stub too: a long wire
# through a big circuit costs a slot per column and crosses everything it passes.
MAX_SPAN = 12
# NOTE: an input sits in the left column, in order of first appearance, when its first gate
# is at most this many columns from the left edge (the neuron's w2 feeds its third gate, as in
# the notes); an input first used further right sits beside its gate, like a constant, rather
# than running a wire across the whole circuit (the two-layer network's c1, c2, c0).
LEFT_REACH = 2


@dataclass(slots=True)
class Slot:
    """One place in one rank: an item (input, constant, gate, stub, end) or a wire's bend or
    label. `above`/`below` extend from the line where wires attach; `width` is horizontal."""

    kind: SlotKind
    rank: int
    node: int  # the circuit node an item shows (a stub: the node it stands for); else -1
    wire: int  # the wire a label, bend or stub belongs to; else -1
    width: float
    above: float
    below: float
    shape: float  # the drawn shape's width (a gate's circle), at most `width`
    left: list[int] = field(default_factory=list)  # neighbour slots in rank - 1
    right: list[int] = field(default_factory=list)  # neighbour slots in rank + 1


@dataclass(slots=True)
class WirePlan:
    """A wire: the circuit edge it draws and the slots it runs through, source to target."""

    id: str  # the API's edge id ("e7"), or "e_out" for the output's last wire
    source: int
    target: int  # circuit node, or -1 for the end point
    chain: list[int]
    stub: bool  # starts at a stub beside its gate instead of at its source


@dataclass(slots=True)
class Plan:
    slots: list[Slot]
    wires: list[WirePlan]
    items: list[int]  # node -> its slot
    end: int  # the end point's slot
    ranks: int


Box = tuple[float, float, float, float]  # width, above, below, drawn shape width


def plan(c: Circuit, item_box: list[Box], end_box: Box, label_box: list[Box],
         stub_box: list[Box]) -> Plan:
    """Columns, stubs and slot chains. `label_box[k]` sizes wire k's label (k = edge number,
    the last one the output's wire); `stub_box[k]` a stub for wire k's source."""
    n = len(c.ops)
    targets: list[list[tuple[int, int]]] = [[] for _ in range(n)]  # node -> (wire, target)
    for t in range(n):
        first = c.first_edge[t]
        for port, s in enumerate(c.inputs[t]):
            targets[s].append((first + port, t))

    stubbed: set[int] = set()
    for uses in targets:
        if len(uses) > FANOUT_STUBS:
            stubbed.update(wire for wire, _ in uses[1:])

    # Columns: each node just before its nearest drawn consumer (as late as possible), so a
    # subexpression hugs the gate it feeds; the output in column 0.
    col = [0] * n
    for s in reversed(range(n)):
        drawn = [col[t] for wire, t in targets[s] if wire not in stubbed]
        col[s] = min(drawn) - 1 if drawn else 0
    left_edge = min(col) if n else 0
    for s in range(n):
        if c.ops[s] == INPUT and col[s] - left_edge <= LEFT_REACH:
            col[s] = left_edge
    for s in range(n):
        reach = [(col[t], wire) for wire, t in targets[s] if wire not in stubbed]
        nearest = min(reach, default=(0, -1))
        for span_end, wire in reach:
            if span_end - col[s] > MAX_SPAN and wire != nearest[1]:
                stubbed.add(wire)

    slots: list[Slot] = []

    def add(kind: SlotKind, rank: int, node: int, wire: int, box: Box) -> int:
        slots.append(Slot(kind, rank, node, wire, *box))
        return len(slots) - 1

    items = []
    for i, op in enumerate(c.ops):
        kind: SlotKind = "input" if op == INPUT else "const" if op == CONST else "gate"
        items.append(add(kind, 2 * (col[i] - left_edge), i, -1, item_box[i]))
    out = c.output
    end = add("end", 2 * (col[out] + 1 - left_edge), out, -1, end_box)

    wires: list[WirePlan] = []

    def connect(wire: int, wire_id: str, source: int, target: int, start: int, stop: int,
                stub: bool) -> None:
        chain = [start]
        for rank in range(slots[start].rank + 1, slots[stop].rank):
            last = rank == slots[stop].rank - 1
            chain.append(add("label" if last else "bend", rank, -1, wire,
                             label_box[wire] if last else _BEND))
        chain.append(stop)
        for a, b in zip(chain, chain[1:], strict=False):
            slots[a].right.append(b)
            slots[b].left.append(a)
        wires.append(WirePlan(wire_id, source, target, chain, stub))

    for t in range(n):
        first = c.first_edge[t]
        for port, s in enumerate(c.inputs[t]):
            wire = first + port
            if wire in stubbed:
                start = add("ref", slots[items[t]].rank - 2, s, wire, stub_box[wire])
            else:
                start = items[s]
            connect(wire, f"e{wire}", s, t, start, items[t], wire in stubbed)
    connect(c.edge_count, "e_out", out, -1, items[out], end, False)
    return Plan(slots, wires, items, end, max(slot.rank for slot in slots) + 1)


_BEND: Box = (0.0, 2.0, 2.0, 0.0)
