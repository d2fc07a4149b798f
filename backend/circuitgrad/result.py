"""`evaluate()`: text and values in, a `Result` with every number of the circuit out."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from .diagram_words import nonfinite_warnings
from .engine import Run, backward, forward
from .errors import CircuitError
from .gcpause import gc_paused
from .graph import Circuit, cached_graph
from .hints import Hint, input_hints
from .lang import DEFAULT_LANG, Lang, check_lang
from .numformat import format_number
from .ops import REGISTRY
from .references import expression_latex, output_name
from .settings import DEFAULT_SETTINGS, Settings
from .steps import Step, explain
from .values import convert_inputs, convert_seed, shape_of, to_json

if TYPE_CHECKING:
    import graphviz


class Result:
    """A circuit after its forward and backward pass. `to_dict()` is the API's JSON."""

    def __init__(self, circuit: Circuit, run: Run, warnings: list[str],
                 lang: Lang = DEFAULT_LANG, hints: list[Hint] | None = None) -> None:
        self.circuit = circuit
        self.run = run
        self.warnings = warnings
        self.lang = lang  # the language of the step texts, warnings and hints
        self.hints = hints or []  # inputs probably not meant: `w0x0` for w0*x0

    @property
    def value(self) -> Any:
        """The output's value: a float, or a numpy array."""
        return self.run.values[self.circuit.output]

    @property
    def output(self) -> str:
        """The id of the output node."""
        return f"n{self.circuit.output}"

    @property
    def gradients(self) -> dict[str, Any]:
        """d output / d input for every input that is not a class label."""
        grads = self.run.grads
        return {name: grads[node] for name, node in self.circuit.input_nodes.items()
                if node not in self.circuit.label_inputs}

    @property
    def nonfinite_nodes(self) -> list[str]:
        """Ids of the nodes whose value or gradient is inf or NaN."""
        return [f"n{i}" for i in self.run.nonfinite]

    @cached_property
    def steps(self) -> list[Step]:
        """Forward steps in node order, then backward steps in reverse node order, each with
        its text and LaTeX in `lang` and its parts as data."""
        return explain(self.circuit, self.run, self.lang)

    def steps_in(self, lang: Lang) -> list[Step]:
        """The steps worded in another language."""
        return self.steps if lang == self.lang else explain(self.circuit, self.run, lang)

    @property
    def nodes(self) -> list[dict[str, Any]]:
        """Every node with its value and gradient (numpy values, not JSON)."""
        return self._node_rows(self.run.values, self.run.grads)

    @property
    def edges(self) -> list[dict[str, Any]]:
        """Every wire: its source's value, and the gradient flowing back along it alone."""
        return self._edge_rows(self.run.values, self.run.edge_grads)

    def _node_rows(self, values: list[Any], grads: list[Any]) -> list[dict[str, Any]]:
        # One shape of node row for `.nodes` (numpy values) and `to_dict()` (JSON values).
        c = self.circuit
        raw = self.run.values
        nonfinite = set(self.run.nonfinite)
        ids = c.ids
        return [
            {
                "id": ids[i],
                "op": op,
                "label": c.labels[i],
                "symbol": _symbol(op, c.labels[i]),
                "name": c.names[i],
                "inputs": [ids[j] for j in c.inputs[i]],
                "value": values[i],
                "grad": grads[i],
                "shape": shape_of(raw[i]),
                "nonfinite": i in nonfinite,
                "composite": c.composites[i],
                "position": c.positions[i],
            }
            for i, op in enumerate(c.ops)
        ]

    def _edge_rows(self, values: list[Any], edge_grads: list[Any]) -> list[dict[str, Any]]:
        c = self.circuit
        ids = c.ids
        rows = []
        for target, sources in enumerate(c.inputs):
            first = c.first_edge[target]
            for port, source in enumerate(sources):
                rows.append({
                    "id": f"e{first + port}",
                    "source": ids[source],
                    "target": ids[target],
                    "port": port,
                    "value": values[source],
                    "grad": edge_grads[first + port],
                })
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Exactly the JSON of POST /api/graph: non-finite numbers as strings, no -0.0 (so
        any JSON encoder writes it as the API does)."""
        with gc_paused():
            return self._json_dict()

    def _json_dict(self) -> dict[str, Any]:
        c, run = self.circuit, self.run
        # JSON-ready once per number; a finite float is its own JSON (x - x == 0 excludes
        # inf and nan), but for -0.0, which + 0.0 writes as 0.0 (as to_json does).
        value_json = [v + 0.0 if type(v) is float and v - v == 0 else to_json(v)
                      for v in run.values]
        grad_json = [g + 0.0 if type(g) is float and g - g == 0 else to_json(g)
                     for g in run.grads]
        wire_json = [g + 0.0 if type(g) is float and g - g == 0 else to_json(g)
                     for g in run.edge_grads]
        warnings = list(self.warnings)
        if run.nonfinite:
            warnings.extend(nonfinite_warnings(c, run, self.lang))
        return {
            "value": value_json[c.output],
            "gradients": {name: grad_json[node] for name, node in c.input_nodes.items()
                          if node not in c.label_inputs},
            "output": self.output,
            "output_name": output_name(c),
            "nodes": self._node_rows(value_json, grad_json),
            "edges": self._edge_rows(value_json, wire_json),
            "steps": self.steps,
            "latex": expression_latex(c),
            "warnings": warnings,
            "hints": [hint.to_dict(self.lang) for hint in self.hints],
            "nonfinite_nodes": self.nonfinite_nodes,
        }

    def staged_code(self) -> str:
        """The forward and backward pass as staged Python/numpy code, as the notes write it.

        >>> code = evaluate("x*x + x", {"x": 3}).staged_code()
        >>> print(code[code.index("dadd1 = 1.0"):])
        dadd1 = 1.0
        dmul1 = dadd1
        dx = dadd1
        dx += x * dmul1
        dx += x * dmul1
        <BLANKLINE>
        """
        from .staged import code_text, staged_code

        return code_text(staged_code(self.circuit, self.run, comment=format_number))

    def to_dot(self) -> graphviz.Digraph:
        """The circuit in the CS231n style, as a graphviz.Digraph (renders in Jupyter)."""
        from .export import to_digraph

        return to_digraph(self)

    def _repr_svg_(self) -> str | None:  # Jupyter shows the circuit when Graphviz is there
        try:
            svg: str = self.to_dot()._repr_image_svg_xml()
        except Exception:  # noqa: BLE001 - no `dot` binary: Jupyter falls back to repr
            return None
        return svg

    def __repr__(self) -> str:
        grads = ", ".join(f"{k}={_short(v)}" for k, v in self.gradients.items())
        return f"<Result value={_short(self.value)} gradients: {grads}>"


def _short(value: Any) -> str:
    return format_number(value)


def _symbol(op: str, label: str) -> str:
    """What the diagram draws in the node: a gate's symbol, an input's name, a constant."""
    primitive = REGISTRY.get(op)
    return label if primitive is None else primitive.symbol


def evaluate(expression: str, values: Mapping[str, Any] | None = None, *, expand: bool = False,
             seed_grad: Any = None, settings: Settings = DEFAULT_SETTINGS,
             lang: Lang = DEFAULT_LANG) -> Result:
    """Parse, build, run forward and backward, and explain a circuit (the step texts,
    warnings and any error's message in `lang`: "en" or "zh-CN").

    >>> evaluate("(x+y)*z", {"x": -2, "y": 5, "z": -4}).gradients
    {'x': -4.0, 'y': -4.0, 'z': 3.0}
    """
    lang = check_lang(lang)
    try:
        with gc_paused():
            circuit, run, warnings = _run(expression, values, expand, seed_grad, settings, lang)
    except CircuitError as error:
        error.lang = lang
        raise
    hints = _hints(circuit)
    warnings += [hint.message(lang) for hint in hints]
    return Result(circuit, run, warnings, lang, hints)


def _run(expression: str, values: Mapping[str, Any] | None, expand: bool, seed_grad: Any,
         settings: Settings, lang: Lang) -> tuple[Circuit, Run, list[str]]:
    """Build (or find) the circuit, check the values, run forward and backward."""
    circuit = cached_graph(expression, expand=expand, settings=settings)
    inputs, warnings = convert_inputs(circuit, values or {}, settings.max_tensor_elements,
                                      settings.max_warning_names, lang)
    seed = None if seed_grad is None else convert_seed(seed_grad, settings.max_tensor_elements)
    with np.errstate(all="ignore"):
        run = backward(circuit, forward(circuit, inputs, settings), seed)
    return circuit, run, warnings


def _hints(circuit: Circuit) -> list[Hint]:
    """The circuit's input hints (its names alone decide them: found once per circuit)."""
    hints = circuit.memo.get("hints")
    if not isinstance(hints, list):
        hints = circuit.memo["hints"] = input_hints(circuit)
    return hints
