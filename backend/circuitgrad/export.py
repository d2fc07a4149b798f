"""The one DOT generator: the circuit in the CS231n style, shared by to_dot(), the export
endpoint and the page (which reads the positions the server's layout wrote into it)."""

from __future__ import annotations

import math
import shutil
import subprocess
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Literal

import graphviz
import numpy as np

from .layout import CELL, FONT, GRID_MAX, LABEL_ROW, Drawing, Side, lay_out, side_size
from .numformat import format_number

if TYPE_CHECKING:
    from .result import Result

VALUE_COLOR = "#1a7f37"  # green: forward values, above the wire
GRAD_COLOR = "#cf222e"  # red: backward gradients, below the wire

ExportFormat = Literal["dot", "svg", "png"]
_POINTS_PER_INCH = 72


class GraphvizMissing(RuntimeError):
    """The `dot` binary is not installed, so SVG and PNG cannot be drawn."""


MUTED_COLOR = "#57606a"  # wires, constants and stubs


# A diverging scale for heatmaps, each grid scaled to its own largest |number| (the page's
# frontend/js/heatmap.js uses the same three colours): purple negative, white 0, orange positive.
NEGATIVE_COLOR = (94, 60, 153)
ZERO_COLOR = (247, 247, 247)
POSITIVE_COLOR = (230, 97, 1)
NONFINITE_CELL = "#24292f"


def cell_color(value: float, largest: float) -> str:
    """A heatmap cell's colour: `value` on the diverging scale that reaches its ends at
    ±`largest`; inf and NaN dark."""
    if not math.isfinite(value):
        return NONFINITE_CELL
    share = 0.0 if largest == 0 else max(-1.0, min(1.0, value / largest))
    end = POSITIVE_COLOR if share > 0 else NEGATIVE_COLOR
    # Halves round up, as JavaScript's Math.round does (Python's round() goes to even).
    mixed = (math.floor(z + (e - z) * abs(share) + 0.5)
             for z, e in zip(ZERO_COLOR, end, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in mixed)


def _side(value: Any) -> tuple[Side, np.ndarray | None]:
    """What a wire shows of a value: its number; a small matrix or vector as a heatmap (the
    matrix returned); a bigger tensor as its shape, then its min, max and mean."""
    if type(value) is float or np.ndim(value) == 0:
        return Side((format_number(value),)), None
    array = np.asarray(value, dtype=np.float64)
    if array.ndim in (1, 2) and 0 < array.size and max(array.shape) <= GRID_MAX:
        matrix = array.reshape(-1, array.shape[-1])
        return Side(grid=(matrix.shape[0], matrix.shape[1])), matrix
    shape = "[" + "×".join(str(size) for size in array.shape) + "]"
    if array.size == 0:
        return Side((shape,)), None
    stats = (f"min {format_number(float(array.min()))} · max {format_number(float(array.max()))}"
             f" · mean {format_number(float(array.mean()))}")
    return Side((shape, stats)), None


def _grid_cells(matrix: np.ndarray) -> str:
    finite = matrix[np.isfinite(matrix)]
    largest = float(np.abs(finite).max()) if finite.size else 0.0
    rows = "".join(
        "<tr>" + "".join(f'<td width="{CELL:g}" height="{CELL:g}" fixedsize="true" '
                         f'bgcolor="{cell_color(float(v), largest)}"></td>' for v in row)
        + "</tr>" for row in matrix)
    return f'<table border="0" cellborder="0" cellspacing="0" cellpadding="0">{rows}</table>'


def _side_rows(side: Side | None, matrix: np.ndarray | None, color: str, height: float,
               above: bool) -> str:
    """Table rows for one side of a label, `height` tall, its content against the wire."""
    if side is None:
        return f'<tr><td height="{height:g}"></td></tr>'
    if matrix is not None:
        valign = "bottom" if above else "top"
        return (f'<tr><td height="{height:g}" valign="{valign}" border="1" color="{color}">'
                f"{_grid_cells(matrix)}</td></tr>")
    lines = [f'<tr><td height="{LABEL_ROW:g}"><font color="{color}">{line}</font></td></tr>'
             for line in side.lines]
    spare = height - LABEL_ROW * len(side.lines)
    pad = f'<tr><td height="{spare:g}"></td></tr>' if spare > 0 else ""
    return pad + "".join(lines) if above else "".join(lines) + pad


_Shown = tuple[Side, "np.ndarray | None"]  # one side of a label, and its heatmap's matrix


def _wire_label(value: _Shown, grad: _Shown | None, name: str | None) -> str:
    """An HTML-like label centred on its wire: the value (green) above the wire, the gradient
    (red) below, each a number, a heatmap or a tensor's summary; a named intermediate's name
    above its value. Both halves are equally tall (a blank row under the gradient mirrors the
    name's) so the centre is the wire. Texts are numbers, shapes and names: nothing to escape."""
    value_side, value_matrix = value
    grad_side, grad_matrix = grad if grad is not None else (None, None)
    height = max(side_size(value_side)[1],
                 side_size(grad_side)[1] if grad_side is not None else 0.0)
    rows = _side_rows(value_side, value_matrix, VALUE_COLOR, height, above=True)
    rows += _side_rows(grad_side, grad_matrix, GRAD_COLOR, height, above=False)
    if name is not None:
        rows = (f'<tr><td height="{LABEL_ROW:g}"><font color="{MUTED_COLOR}"><i>{name}</i>'
                f"</font></td></tr>{rows}<tr><td height=\"{LABEL_ROW:g}\"></td></tr>")
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="0">{rows}</table>>'


def _quoted(text: str) -> str:
    """A DOT double-quoted string (ids and labels are ours or ASCII names; escape anyway)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wire_values(result: Result) -> list[tuple[Any, Any]]:
    """Each wire's value and gradient, the output's own wire last."""
    c, run = result.circuit, result.run
    values, edge_grads = run.values, run.edge_grads
    out = []
    for target, sources in enumerate(c.inputs):
        first = c.first_edge[target]
        for port, source in enumerate(sources):
            out.append((values[source], edge_grads[first + port]))
    out.append((values[c.output], run.grads[c.output]))
    return out


def wire_sides(result: Result) -> list[tuple[_Shown, _Shown | None]]:
    """What each wire's label shows of its value and of its gradient (the output's wire
    last): made once per answer, for the layout (their sizes) and the labels (their texts)."""
    return [(_side(value), None if grad is None else _side(grad))
            for value, grad in wire_values(result)]


def drawing(result: Result, sides: list[tuple[_Shown, _Shown | None]] | None = None
            ) -> Drawing:
    """The laid-out circuit."""
    shown = wire_sides(result) if sides is None else sides
    return lay_out(result.circuit, [(value[0], None if grad is None else grad[0])
                                    for value, grad in shown])


def _inches(pixels: float) -> str:
    return f"{pixels / _POINTS_PER_INCH:.4f}"


def _xy(x: float, y: float, height: float) -> str:
    # Graphviz's y axis points up; the drawing's (like SVG's) down.
    return f"{x:.2f},{height - y:.2f}"


def to_digraph(result: Result) -> graphviz.Digraph:
    """Inputs on the left as plain names, gates as circles with their symbols, each wire
    labeled with its value above and its gradient below, every position given."""
    return graphviz.Digraph("circuit", body=_statements(result))


def _statements(result: Result) -> list[str]:
    """The DOT statements of the drawing, each a line."""
    sides = wire_sides(result)
    d = drawing(result, sides)
    head, items, wires = _drawn_lines(d)
    # NOTE: statements are written here rather than through Digraph.attr(), .node() and
    # .edge(): the package's generic quoting cost about 90% of a small request's time.
    body = [*head, *items, *_gradient_sums(result, d)]
    for k, (start, end) in enumerate(wires):
        value, grad = sides[k]
        body.append(f"{start}label={_wire_label(value, grad, d.wires[k].name)} {end}")
    return body


# Where a fan-out's sum sits under its node, as the page draws it (diagram.js: 12 px under a
# gate's rim to the baseline; the line the layout reserved for it).
SUM_BASELINE = 12.0


def _gradient_sums(result: Result, d: Drawing) -> list[str]:
    """Under each value that fans out to several wires, its gradient, the sum of theirs
    ("∑ 7"): the chain rule's fan-out, as on the page. Scalars as numbers, tensors by shape."""
    circuit = result.circuit
    uses = [0] * len(circuit.ops)
    for sources in circuit.inputs:
        for source in sources:
            uses[source] += 1
    lines = []
    for item in d.items:
        if item.kind not in ("gate", "input", "const") or uses[item.node] < 2:
            continue
        grad = result.run.grads[item.node]
        if grad is None:  # a value no input reaches (a constant's product) has no gradient
            continue
        if type(grad) is float or np.ndim(grad) == 0:
            text = format_number(grad)
        else:
            text = "[" + "×".join(str(size) for size in np.shape(grad)) + "]"
        y = item.y + item.above + SUM_BASELINE - FONT["label"] / 3  # the text's middle
        width = (len(text) + 2) * FONT["label"] * 0.6
        # A name's sum is right-aligned under the name, a gate's centred under the gate.
        x = item.x if item.kind == "gate" else item.x + item.width / 2 - width / 2
        lines.append(
            f'	sum_{item.id} [label={_quoted("∑ " + text)} id=sum_{item.id} class=sum '
            f'pos="{_xy(x, y, d.height)}!" width={_inches(width)} '
            f'height={_inches(FONT["label"] + 2)} shape=plaintext fontcolor="{GRAD_COLOR}" '
            f'fontsize={FONT["label"]:g}]\n')
    return lines


# The lines of a drawing that no number enters (every item, and each wire's line around its
# label), by drawing: a drawing is remembered and handed out again while the circuit and its
# label sizes stay (layout/), so an edit of a value writes only the labels anew.
_LINES: OrderedDict[int, tuple[Drawing, tuple[list[str], list[str], list[tuple[str, str]]]]] = \
    OrderedDict()
_LINES_LOCK = threading.Lock()
_LINES_SIZE = 64


def _drawn_lines(d: Drawing) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    with _LINES_LOCK:
        hit = _LINES.get(id(d))
        if hit is not None and hit[0] is d:
            _LINES.move_to_end(id(d))
            return hit[1]
    made = _write_lines(d)
    with _LINES_LOCK:
        _LINES[id(d)] = (d, made)
        while len(_LINES) > _LINES_SIZE:
            _LINES.popitem(last=False)
    return made


def _write_lines(d: Drawing) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    h = d.height
    head = [
        f'\tgraph [layout=nop2 notranslate=true bb="0,0,{d.width:.2f},{h:.2f}" '
        "bgcolor=white fontname=Helvetica pad=0.1]\n",
        "\tnode [fontname=Helvetica fixedsize=true margin=0]\n",
        f'\tedge [arrowsize=0.6 color="{MUTED_COLOR}" fontname=Helvetica '
        f'fontsize={FONT["label"]:g}]\n',
    ]
    items = []
    for item in d.items:
        common = (f"id={item.id} class={item.kind} pos=\"{_xy(item.x, item.y, h)}!\" "
                  f"width={_inches(item.width)} height={_inches(2 * item.above)}")
        label = _quoted(item.text)
        if item.kind == "gate":
            items.append(f"\t{item.id} [label={label} {common} shape=ellipse style=filled "
                         f'fillcolor=white fontsize={FONT["gate"]:g}]\n')
        elif item.kind in ("input", "end"):
            items.append(f"\t{item.id} [label={label} {common} shape=plaintext "
                         f'fontsize={FONT["input"]:g} fontname="Helvetica-Oblique"]\n')
        else:  # a constant, or a stub naming a shared value
            items.append(f"\t{item.id} [label={label} {common} shape=plaintext "
                         f'fontcolor="{MUTED_COLOR}" fontsize={FONT[item.kind]:g}]\n')
    # Points share few distinct coordinates: each is written once (as _xy writes them).
    xs = {x: f"{x:.2f}" for x in {point.x for wire in d.wires for point in wire.points}}
    ys = {y: f"{h - y:.2f}" for y in {point.y for wire in d.wires for point in wire.points}}
    wires = []
    for wire in d.wires:
        spline = " ".join([f"{xs[x]},{ys[y]}" for x, y in wire.points])
        wires.append((
            f"\t{wire.source} -> {wire.target} [id={wire.id} "
            f'pos="e,{_xy(wire.tip.x, wire.tip.y, h)} {spline}" ',
            f'lp="{_xy(wire.label.x, wire.label.y, h)}"]\n'))
    return head, items, wires


def dot_source(result: Result) -> str:
    """The DOT text of the circuit: `to_digraph(result).source`, written without building
    the Digraph (what its source would be: a head line, the statements, a closing brace)."""
    return "digraph circuit {\n" + "".join(_statements(result)) + "}\n"


def graphviz_available() -> bool:
    """Whether the `dot` binary that draws SVG and PNG is installed."""
    return shutil.which("dot") is not None


def render(result: Result, fmt: ExportFormat, timeout: float = 20.0) -> bytes:
    """The diagram as DOT text, SVG or PNG bytes."""
    source = dot_source(result)
    if fmt == "dot":
        return source.encode()
    executable = shutil.which("dot")
    if executable is None:
        raise GraphvizMissing(
            "Graphviz's `dot` program is not installed, so SVG and PNG cannot be drawn; "
            "install it (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)"
        )
    completed = subprocess.run(  # noqa: S603 - fixed executable, DOT we generated ourselves
        [executable, f"-T{fmt}"], input=source.encode(), capture_output=True,
        timeout=timeout, check=True,
    )
    return completed.stdout
