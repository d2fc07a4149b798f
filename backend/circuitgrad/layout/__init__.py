"""The circuit's drawing, laid out once on the server: every gate, wire and label placed.

One layout serves the page and every export: the DOT generator writes these coordinates as
explicit positions (Graphviz's `nop2` layout), so the page's Graphviz (WebAssembly) and the
export's `dot` only draw them. Pure: no Graphviz, no numpy beyond reading shapes.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..graph import CONST, INPUT
from ..ops import REGISTRY
from ..references import output_name
from .measure import TYPICAL_NUMBER, text_width
from .order import order_slots, total_crossings
from .place import Point, place_x, place_y, route
from .plan import Box, plan

if TYPE_CHECKING:
    from ..graph import Circuit

__all__ = ["CELL", "FONT", "GRID_MAX", "LABEL_ROW", "Drawing", "Item", "Point", "Side", "Wire",
           "lay_out"]

# Text sizes in pixels at 100 %; the page's CSS and the DOT's fontsize use the same numbers.
FONT = {"label": 11.0, "name": 11.0, "gate": 13.0, "input": 15.0, "const": 14.0, "ref": 13.0}
LABEL_ROW = 14.0  # one line of a wire's label, from the wire to the far edge of its text
MARGIN = 16.0  # around the whole drawing
# NOTE: a matrix up to GRID_MAX × GRID_MAX (a vector: one row) is drawn as a heatmap of CELL-pixel
# squares, its value above the wire, its gradient below; frontend/js/heatmap.js has the same
# two numbers. Bigger tensors are summarized in two lines: shape, then min, max and mean.
GRID_MAX = 8
CELL = 8.0
GRID_PAD = 5.0  # between a heatmap and its wire
SUM_ROW = 15.0  # the line under a value used more than once: the sum of its wires' gradients


@dataclass(frozen=True, slots=True)
class Side:
    """What one side of a wire's label shows: lines of text, or a heatmap of rows × cols."""

    lines: tuple[str, ...] = ()
    grid: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """A drawn node: `kind` is input, const, gate, ref (a stub naming a shared value) or end."""

    id: str
    kind: str
    node: int  # circuit node shown (a stub: the node it stands for; the end: the output)
    x: float  # centre
    y: float
    width: float
    above: float
    below: float
    text: str


@dataclass(frozen=True, slots=True)
class Wire:
    """A wire: cubic Bézier control points, its arrow's tip, where its label sits."""

    id: str
    source: str  # item id where the line starts (a stub's id for a stubbed wire)
    target: str
    points: tuple[Point, ...]
    tip: Point
    label: Point  # the label column's centre, on the wire
    label_width: float
    label_above: float
    label_below: float
    name: str | None  # the named intermediate this wire carries, if any


@dataclass(frozen=True, slots=True)
class Drawing:
    width: float
    height: float
    items: tuple[Item, ...]
    wires: tuple[Wire, ...]
    crossings: int  # wire crossings in the chosen order (the layout test measures geometry)


def lay_out(c: Circuit, labels: list[tuple[Side, Side | None]]) -> Drawing:
    """Lay the circuit out. `labels[k]` is what wire k shows as its value and its gradient
    (the output's wire last); their sizes size the label columns."""
    memo = _remembered(c)
    if memo.static is None:
        memo.static = _circuit_boxes(c)
    gate_text, item_box, end_box, out_name, wire_names, stub_box = memo.static
    label_box = [_label_box(value, grad, name)
                 for (value, grad), name in zip(labels, wire_names, strict=True)]
    # Everything but the label boxes depends on the circuit alone, and a typical edit of a
    # value keeps every label's box (a column is at least TYPICAL_NUMBER wide, and wider by
    # whole digits): the same circuit with the same boxes is the same drawing, laid out once.
    key = _drawing_key(memo, label_box)
    with _MEMO_LOCK:
        kept = memo.drawings.get(key)
        if kept is not None:
            memo.drawings.move_to_end(key)
            return kept
    drawn = _lay_out(c, memo, gate_text, item_box, end_box, label_box, stub_box, out_name,
                     wire_names)
    with _MEMO_LOCK:
        memo.drawings[_drawing_key(memo, label_box)] = drawn
        # A big circuit's drawing is big: fewer are kept (one past _DRAWN_NODES nodes).
        while len(memo.drawings) > min(_DRAWINGS_KEPT, max(1, _DRAWN_NODES // len(c.ops))):
            memo.drawings.popitem(last=False)
    return drawn


def _drawing_key(memo: _Remembered, label_box: list[Box]) -> tuple[object, ...]:
    """What of the label boxes the drawing depends on: their heights, and the widest label of
    each column (a label's own width only widens its column: place.place_x), once the
    columns are known (after the first layout); before that, the boxes themselves."""
    ranks = memo.label_ranks
    if ranks is None:
        return ("boxes", *label_box)
    widest: dict[int, float] = {}
    for rank, box in zip(ranks, label_box, strict=True):
        if box[0] > widest.get(rank, 0.0):
            widest[rank] = box[0]
    return (tuple([(box[1], box[2]) for box in label_box]), *sorted(widest.items()))


_Static = tuple[list[str], list[Box], Box, str, list[str | None], list[Box]]


def _circuit_boxes(c: Circuit) -> _Static:
    """What the circuit alone sizes: each item's text and box, the end's, the wires' names,
    the stubs' boxes."""
    n = len(c.ops)
    gate_text = [c.labels[i] if c.ops[i] in (INPUT, CONST) else REGISTRY[c.ops[i]].symbol
                 for i in range(n)]
    uses = [0] * n
    for sources in c.inputs:
        for s in sources:
            uses[s] += 1
    # A value used more than once shows its gradient's sum (∑) under it: room for that line.
    item_box = [_item_box(c.ops[i], gate_text[i], uses[i] > 1) for i in range(n)]
    out_name = output_name(c)
    end_width = text_width(out_name, FONT["input"]) + 4
    end_box: Box = (end_width, 10.0, 10.0, end_width)
    stub_box = [_text_box(_stub_text(c, s, gate_text), FONT["ref"], 12, 9.0)
                for s in _wire_sources(c)]
    return gate_text, item_box, end_box, out_name, _wire_names(c), stub_box


def _lay_out(c: Circuit, memo: _Remembered, gate_text: list[str], item_box: list[Box],
             end_box: Box, label_box: list[Box], stub_box: list[Box], out_name: str,
             wire_names: list[str | None]) -> Drawing:
    p = plan(c, item_box, end_box, label_box, stub_box)
    size = len(p.slots)
    ordered = memo.layers
    if ordered is None:
        layers = order_slots(p, 12 if size < 600 else 6 if size < 4000 else
                             2 if size < 20000 else 0)
        pos = [0] * size
        for layer in layers:
            for i, s in enumerate(layer):
                pos[s] = i
        ordered = memo.layers = (layers, total_crossings(p, layers, pos))
    layers, crossings = ordered
    if memo.label_ranks is None:
        ranks = [0] * len(label_box)
        for slot in p.slots:
            if slot.kind == "label":
                ranks[slot.wire] = slot.rank
        memo.label_ranks = ranks
    # Heights depend on the slots' heights alone, never on their widths: a new number of
    # another width moves columns, not rows.
    heights = tuple((slot.above, slot.below) for slot in p.slots)
    placed = memo.placed
    if placed is not None and placed[0] == heights:
        y = placed[1]
    else:
        y = place_y(p, layers, 24 if size < 600 else 10 if size < 4000 else 4)
        memo.placed = (heights, y)
    spans = place_x(p, layers, y)
    paths, tips = route(p, layers, y, spans)

    def shift(point: Point) -> Point:
        return Point(round(point.x + MARGIN, 2), round(point.y + MARGIN, 2))

    items = []
    ids: dict[int, str] = {}
    for s, slot in enumerate(p.slots):
        if slot.kind in ("label", "bend"):
            continue
        left, right = spans[slot.rank]
        if slot.kind == "gate":
            x = (left + right) / 2
        elif slot.kind == "end":
            x = left + slot.width / 2
        else:  # texts end where their wire starts
            x = right - slot.width / 2
        if slot.kind == "end":
            item_id, text = "output", out_name
        elif slot.kind == "ref":
            item_id, text = f"ref_e{slot.wire}", _stub_text(c, slot.node, gate_text)
        else:
            item_id, text = f"n{slot.node}", gate_text[slot.node]
        ids[s] = item_id
        centre = shift(Point(x, y[s]))
        items.append(Item(item_id, slot.kind, slot.node, centre.x, centre.y, slot.shape,
                          slot.above, slot.below, text))
    # The wires' points share few distinct coordinates (column edges, slot heights), and
    # round() is most of the cost of a point: each distinct coordinate is shifted once.
    sx = {px: round(px + MARGIN, 2) for px in {px for path in paths for px, _ in path}}
    sy = {py: round(py + MARGIN, 2) for py in {py for path in paths for _, py in path}}
    wires = []
    for k, wire in enumerate(p.wires):
        label_slot = p.slots[wire.chain[-2]]
        left, right = spans[label_slot.rank]
        wires.append(Wire(
            wire.id, ids[wire.chain[0]], ids[wire.chain[-1]],
            tuple([Point(sx[px], sy[py]) for px, py in paths[k]]),
            shift(tips[k]),
            shift(Point((left + right) / 2, y[wire.chain[-2]])),
            right - left, label_slot.above, label_slot.below,
            wire_names[k],
        ))
    width = max((right for _, right in spans), default=0.0) + 2 * MARGIN
    height = max((y[s] + p.slots[s].below for s in range(size)), default=0.0) + 2 * MARGIN
    return Drawing(round(width, 2), round(height, 2), tuple(items), tuple(wires), crossings)


# NOTE: the order of the slots depends on the circuit alone (sizes only move them), and circuits
# of short programs are cached and never mutated (graph.cached_graph): so a learner editing a
# value does not pay for crossing minimization again, nor for the heights while the labels'
# heights stay, nor for anything while every label's box stays. Keyed by identity, holding the
# circuit so its id cannot be reused while the entry lives.
@dataclass(slots=True)
class _Remembered:
    circuit: Circuit
    # Each entry is replaced whole (one assignment), so threads sharing it never see a mix.
    layers: tuple[list[list[int]], int] | None = None  # the slots' order, its crossings
    placed: tuple[tuple[tuple[float, float], ...], list[float]] | None = None  # heights -> y
    # label boxes -> the drawing, the last used last (changed under _MEMO_LOCK only)
    drawings: OrderedDict[tuple[object, ...], Drawing] = field(default_factory=OrderedDict)
    label_ranks: list[int] | None = None  # the column of each wire's label
    static: _Static | None = None  # what the circuit alone sizes (_circuit_boxes)


_MEMO: OrderedDict[int, _Remembered] = OrderedDict()
_MEMO_LOCK = threading.Lock()
_MEMO_SIZE = 256
_DRAWINGS_KEPT = 32  # drawings of a small circuit kept at a time...
_DRAWN_NODES = 1_000  # ...and at most this many nodes' worth of them per circuit


def _remembered(c: Circuit) -> _Remembered:
    with _MEMO_LOCK:
        memo = _MEMO.get(id(c))
        if memo is not None and memo.circuit is c:
            _MEMO.move_to_end(id(c))
            return memo
        memo = _MEMO[id(c)] = _Remembered(c)
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
        return memo


def _item_box(op: str, text: str, fans_out: bool) -> Box:
    extra = SUM_ROW if fans_out else 0.0
    sum_width = text_width("∑ " + TYPICAL_NUMBER, FONT["label"]) + 6 if fans_out else 0.0
    if op == INPUT:
        width = max(sum_width, text_width(text, FONT["input"]) + 6)
        return (width, 10.0, 10.0 + extra, width)
    if op == CONST:
        width = max(sum_width, text_width(text, FONT["const"]) + 6)
        return (width, 9.0, 9.0 + extra, width)
    circle = max(36.0, text_width(text, FONT["gate"]) + 14)
    return (max(circle, sum_width), 18.0, 18.0 + extra, circle)


_TYPICAL_WIDTH = text_width(TYPICAL_NUMBER, FONT["label"])
# NOTE: a label column wider than the typical number grows by whole digits, so the drawings of
# one circuit are few (a learner scrubbing a value, the neuron with random inputs): each is laid
# out once and kept (_DRAWINGS_KEPT per circuit), where any new width made a new layout.
_DIGIT = text_width("0", FONT["label"])


def side_size(side: Side) -> tuple[float, float]:
    """Width and height of one side of a label (from the wire to its far edge)."""
    if side.grid is not None:
        rows, cols = side.grid
        return cols * CELL, rows * CELL + GRID_PAD
    if len(side.lines) == 1:  # a number: the common case, measured straight
        return text_width(side.lines[0], FONT["label"]), LABEL_ROW
    width = max((text_width(line, FONT["label"]) for line in side.lines), default=0.0)
    return width, LABEL_ROW * max(1, len(side.lines))


def _label_box(value: Side, grad: Side | None, name: str | None) -> Box:
    value_width, value_height = side_size(value)
    grad_width, grad_height = side_size(grad) if grad is not None else (0.0, 0.0)
    # Both sides as tall as the taller, so the label's centre is its wire.
    height = max(value_height, grad_height)
    widest = max(value_width, grad_width, _TYPICAL_WIDTH,
                 text_width(name, FONT["name"]) if name else 0.0)
    if widest > _TYPICAL_WIDTH:  # wider by whole digits: a new long number keeps the drawing
        widest = _TYPICAL_WIDTH + math.ceil((widest - _TYPICAL_WIDTH) / _DIGIT) * _DIGIT
    above = height + (LABEL_ROW if name else 0.0)
    return (widest + 10, above, height + 1, widest + 10)


def _text_box(text: str, size: float, padding: float, half_height: float) -> Box:
    width = text_width(text, size) + padding
    return (width, half_height, half_height, width)


def _wire_sources(c: Circuit) -> list[int]:
    sources = [s for t in range(len(c.ops)) for s in c.inputs[t]]
    return [*sources, c.output]


def _wire_names(c: Circuit) -> list[str | None]:
    """The named intermediate (q in q = x + y) each wire carries; inputs show their own names
    at their start, and the output's name ends its last wire."""
    names: list[str | None] = []
    for s in _wire_sources(c)[:-1]:
        names.append(c.names[s] if c.ops[s] not in (INPUT, CONST) else None)
    return [*names, None]


def _stub_text(c: Circuit, node: int, gate_text: list[str]) -> str:
    """What a stub calls the value it stands for: its name, else its gate's symbol."""
    return c.names[node] or gate_text[node]


