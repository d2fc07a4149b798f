"""The one DOT generator: the circuit in the CS231n style, shared by to_dot(), the export
endpoint and the page (which lays the same DOT out with Graphviz compiled to WebAssembly)."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING, Literal

import graphviz

from .graph import CONST, INPUT
from .numformat import format_number
from .ops import REGISTRY

if TYPE_CHECKING:
    from .result import Result

VALUE_COLOR = "#1a7f37"  # green: forward values, above the wire
GRAD_COLOR = "#cf222e"  # red: backward gradients, below the wire

ExportFormat = Literal["dot", "svg", "png"]


class GraphvizMissing(RuntimeError):
    """The `dot` binary is not installed, so SVG and PNG cannot be drawn."""


_LABEL_OPEN = '<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">'
_VALUE_ROW = f'<tr><td><font color="{VALUE_COLOR}">{{}}</font></td></tr>'
_GRAD_ROW = f'<tr><td><font color="{GRAD_COLOR}">{{}}</font></td></tr>'


def _wire_label(value: str, grad: str | None) -> str:
    # An HTML-like label: the value (green) above, the gradient (red) below. The texts are
    # numbers or shapes (digits, signs, '.', 'e', '∞', 'NaN', '[2×3]'): nothing to escape.
    rows = _VALUE_ROW.format(value)
    if grad is not None:
        rows += _GRAD_ROW.format(grad)
    return f"{_LABEL_OPEN}{rows}</table>>"


# NOTE: nslimit bounds Graphviz's network-simplex passes. Small circuits lay out exactly as
# without it; a wide fan-out (x+x+...+x, 60 terms) drops from 12 s to 0.6 s instead of
# growing without bound and freezing the page's layout.
_HEADER = (
    "\tgraph [bgcolor=white fontname=Helvetica nodesep=0.35 rankdir=LR ranksep=0.6 "
    "nslimit=5 nslimit1=5]\n",
    "\tnode [fontname=Helvetica fontsize=12]\n",
    '\tedge [arrowsize=0.6 color="#57606a" fontname=Helvetica fontsize=10]\n',
)


def _wire_text(value: object) -> str:
    """A wire's number; a tensor wire shows its shape, as CS231n's tensor diagrams do."""
    return format_number(value)


def _quoted(text: str) -> str:
    """A DOT double-quoted string (ids and labels are ours or ASCII names; escape anyway)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_digraph(result: Result) -> graphviz.Digraph:
    """Inputs on the left as plain names, gates as circles with their symbols, each wire
    labeled with its value above and its gradient below."""
    c, run = result.circuit, result.run
    # NOTE: statements are written here rather than through Digraph.attr(), .node() and
    # .edge(): the package's generic quoting cost about 90% of a small request's time.
    dot = graphviz.Digraph("circuit", body=list(_HEADER))
    lines = dot.body
    for i, op in enumerate(c.ops):
        node_id = f"n{i}"
        label = _quoted(c.labels[i] if op in (INPUT, CONST) else REGISTRY[op].symbol)
        if op == INPUT:
            lines.append(f"\t{node_id} [label={label} id={node_id} shape=plaintext "
                         "fontsize=14]\n")
        elif op == CONST:
            lines.append(f'\t{node_id} [label={label} id={node_id} shape=plaintext '
                         'fontcolor="#57606a"]\n')
        else:
            name = c.names[i]  # a named intermediate carries its name beside the gate
            named = "" if name is None else f" xlabel={_quoted(name)}"
            lines.append(f'\t{node_id} [label={label} id={node_id} shape=circle width=0.5 '
                         f'fixedsize=false style=filled fillcolor="#f6f8fa"{named}]\n')
    values, edge_grads = run.values, run.edge_grads
    for target, sources in enumerate(c.inputs):
        first = c.first_edge[target]
        for port, source in enumerate(sources):
            grad = edge_grads[first + port]
            label = _wire_label(_wire_text(values[source]),
                                None if grad is None else _wire_text(grad))
            lines.append(f"\tn{source} -> n{target} [label={label} id=e{first + port}]\n")
    out = c.output
    # The output's own value and gradient sit on a last wire into a plain end point.
    lines.append(f"\toutput [label={_quoted(c.names[out] or 'f')} id=output shape=plaintext "
                 "fontsize=14]\n")
    grad = run.grads[out]
    label = _wire_label(_wire_text(values[out]), None if grad is None else _wire_text(grad))
    lines.append(f"\tn{out} -> output [label={label} id=e_out]\n")
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
