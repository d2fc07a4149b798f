"""The one DOT generator: the circuit in the CS231n style, shared by to_dot(), the export
endpoint and the page (which lays the same DOT out with Graphviz compiled to WebAssembly)."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING, Literal

import graphviz

from .layout import FONT, Drawing, lay_out
from .layout import LABEL_ROW as LABEL_ROW
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


def _wire_label(value: str, grad: str | None, name: str | None) -> str:
    """An HTML-like label centred on its wire: the value (green) in the row above the wire,
    the gradient (red) in the row below, a named intermediate's name above its value. Rows
    are mirrored (a blank row under the gradient for the name's) so the centre is the wire.
    The texts are numbers, shapes and names (letters, digits, '_'): nothing to escape."""
    row = f'<tr><td height="{LABEL_ROW:g}">{{}}</td></tr>'
    rows = row.format(f'<font color="{VALUE_COLOR}">{value}</font>')
    rows += row.format(f'<font color="{GRAD_COLOR}">{grad}</font>' if grad is not None else "")
    if name is not None:
        rows = row.format(f'<font color="{MUTED_COLOR}"><i>{name}</i></font>') + rows
        rows += row.format("")
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="0">{rows}</table>>'


def _wire_text(value: object) -> str:
    """A wire's number; a tensor wire shows its shape, as CS231n's tensor diagrams do."""
    return format_number(value)


def _quoted(text: str) -> str:
    """A DOT double-quoted string (ids and labels are ours or ASCII names; escape anyway)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label_texts(result: Result) -> list[tuple[str, str | None]]:
    """Each wire's value and gradient as written on it, the output's own wire last."""
    c, run = result.circuit, result.run
    values, edge_grads = run.values, run.edge_grads
    texts = []
    for target, sources in enumerate(c.inputs):
        first = c.first_edge[target]
        for port, source in enumerate(sources):
            grad = edge_grads[first + port]
            texts.append((_wire_text(values[source]), None if grad is None else _wire_text(grad)))
    grad = run.grads[c.output]
    texts.append((_wire_text(values[c.output]), None if grad is None else _wire_text(grad)))
    return texts


def drawing(result: Result) -> Drawing:
    """The laid-out circuit (computed once per result)."""
    return lay_out(result.circuit, label_texts(result))


def _inches(pixels: float) -> str:
    return f"{pixels / _POINTS_PER_INCH:.4f}"


def _xy(x: float, y: float, height: float) -> str:
    # Graphviz's y axis points up; the drawing's (like SVG's) down.
    return f"{x:.2f},{height - y:.2f}"


def to_digraph(result: Result) -> graphviz.Digraph:
    """Inputs on the left as plain names, gates as circles with their symbols, each wire
    labeled with its value above and its gradient below, every position given."""
    d = drawing(result)
    texts = label_texts(result)
    h = d.height
    # NOTE: statements are written here rather than through Digraph.attr(), .node() and
    # .edge(): the package's generic quoting cost about 90% of a small request's time.
    dot = graphviz.Digraph("circuit", body=[
        f'\tgraph [layout=nop2 notranslate=true bb="0,0,{d.width:.2f},{h:.2f}" '
        "bgcolor=white fontname=Helvetica pad=0.1]\n",
        "\tnode [fontname=Helvetica fixedsize=true margin=0]\n",
        f'\tedge [arrowsize=0.6 color="{MUTED_COLOR}" fontname=Helvetica '
        f'fontsize={FONT["label"]:g}]\n',
    ])
    lines = dot.body
    for item in d.items:
        common = (f"id={item.id} class={item.kind} pos=\"{_xy(item.x, item.y, h)}!\" "
                  f"width={_inches(item.width)} height={_inches(2 * item.above)}")
        label = _quoted(item.text)
        if item.kind == "gate":
            lines.append(f"\t{item.id} [label={label} {common} shape=ellipse style=filled "
                         f'fillcolor=white fontsize={FONT["gate"]:g}]\n')
        elif item.kind in ("input", "end"):
            lines.append(f"\t{item.id} [label={label} {common} shape=plaintext "
                         f'fontsize={FONT["input"]:g} fontname="Helvetica-Oblique"]\n')
        else:  # a constant, or a stub naming a shared value
            lines.append(f"\t{item.id} [label={label} {common} shape=plaintext "
                         f'fontcolor="{MUTED_COLOR}" fontsize={FONT[item.kind]:g}]\n')
    for k, wire in enumerate(d.wires):
        value, grad = texts[k]
        spline = " ".join(_xy(p.x, p.y, h) for p in wire.points)
        lines.append(
            f"\t{wire.source} -> {wire.target} [id={wire.id} "
            f'pos="e,{_xy(wire.tip.x, wire.tip.y, h)} {spline}" '
            f"label={_wire_label(value, grad, wire.name)} "
            f'lp="{_xy(wire.label.x, wire.label.y, h)}"]\n'
        )
    return dot


def dot_source(result: Result) -> str:
    """The DOT text of the circuit."""
    source: str = to_digraph(result).source
    return source


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
