"""The work behind /api/graph and /api/export: raw body in, a ready `Outcome` out.

Pure functions of (bytes, settings), so the same code runs on the event loop for small
requests and in a worker process for the rest (see pool.py): both paths answer identically.
"""

from __future__ import annotations

import json
import logging
import subprocess
from typing import Any, Literal

from pydantic import ValidationError

from ..errors import CircuitError, LimitError
from ..export import GraphvizMissing, dot_source, render
from ..lang import DEFAULT_LANG
from ..result import Result, evaluate
from ..settings import Settings
from ..staged import code_rows
from .encoding import Outcome, error_outcome, json_bytes
from .schemas import GraphRequest

logger = logging.getLogger("circuitgrad.api")

ExportFormat = Literal["dot", "svg", "png"]
EXPORT_TYPES: dict[str, str] = {
    "dot": "text/vnd.graphviz; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
}


def circuit_error_status(error: CircuitError) -> int:
    """413 for an exceeded limit (make it smaller), 422 for everything else."""
    return 413 if isinstance(error, LimitError) else 422


def circuit_error_outcome(error: CircuitError) -> Outcome:
    """A CircuitError as `{"detail": {type, message, position, line, column}}`."""
    return Outcome(circuit_error_status(error), json_bytes({"detail": error.to_dict()}))


def validation_outcome(errors: list[dict[str, Any]]) -> Outcome:
    """FastAPI's 422 body for a request that does not match the schema."""
    return Outcome(422, json_bytes({"detail": errors}))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON; send finite numbers only")


def parse_graph_request(raw: bytes) -> GraphRequest | Outcome:
    """The body as a GraphRequest, or the 422 that explains why it is not one."""
    try:
        # json.loads (not pydantic's parser) because it can refuse the non-standard
        # NaN/Infinity tokens; a too-deep nesting is a RecursionError, not a crash.
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        message = str(error) if isinstance(error, ValueError) else "JSON nested too deeply"
        return validation_outcome(
            [{"type": "json_invalid", "loc": ["body"], "msg": f"JSON decode error: {message}"}])
    try:
        return GraphRequest.model_validate(data)
    except ValidationError as error:
        issues = error.errors(include_url=False, include_context=False, include_input=False)
        return validation_outcome(
            [{"type": i["type"], "loc": ["body", *i["loc"]], "msg": i["msg"]} for i in issues])


def is_small(request: GraphRequest, settings: Settings) -> bool:
    """Cheap enough for the event loop: a short expression over scalars only.

    With no list among the values every node is a scalar, so the work is linear in the node
    count, which a short source bounds. Measured worst cases at the default 64 characters
    (a chain of 63 unary minuses, expanded; x*x*...*x): 5-7 ms on a busy 2-CPU machine,
    against about 1 ms for the sigmoid neuron."""
    return (len(request.expression) <= settings.inline_max_source_length
            and not isinstance(request.seed_grad, list)
            and not any(isinstance(value, list) for value in request.values.values()))


def _size(value: Any) -> int:
    return 1 if value is None or type(value) is float else int(getattr(value, "size", 1))


def _response_elements(result: Result) -> int:
    # Numbers the JSON would hold: every node's value and gradient, every wire's too (a wire
    # carries its source's value), and each backward step's upstream gradient (the node's
    # gradient again), counted without building the JSON.
    run, circuit = result.run, result.circuit
    value_sizes = [_size(v) for v in run.values]
    wires = sum(value_sizes[source] for sources in circuit.inputs for source in sources)
    return (sum(value_sizes) + 2 * sum(_size(g) for g in run.grads) + wires
            + sum(_size(g) for g in run.edge_grads))


def _evaluate(request: GraphRequest, settings: Settings) -> Result:
    result = evaluate(request.expression, request.values, expand=request.expand,
                      seed_grad=request.seed_grad, settings=settings, lang=request.lang)
    elements = _response_elements(result)
    if elements > settings.max_response_elements:
        raise LimitError(f"the answer would hold {elements:,} numbers; the limit is "
                         f"{settings.max_response_elements:,} (use smaller tensors)")
    return result


def graph_outcome(request: GraphRequest, settings: Settings) -> Outcome:
    """POST /api/graph: `Result.to_dict()` plus the diagram's DOT, as strict JSON."""
    try:
        result = _evaluate(request, settings)
    except CircuitError as error:
        return circuit_error_outcome(error)
    body = result.to_dict()
    body["dot"] = dot_source(result)
    if request.code:
        body["code"] = code_rows(result, getattr(request, "lang", DEFAULT_LANG))
    return Outcome(200, json_bytes(body))


def export_outcome(request: GraphRequest, fmt: ExportFormat, settings: Settings) -> Outcome:
    """POST /api/export: the diagram as DOT, SVG or PNG, ready to download."""
    try:
        result = _evaluate(request, settings)
        body = render(result, fmt, timeout=settings.request_cpu_seconds)
    except CircuitError as error:
        return circuit_error_outcome(error)
    except GraphvizMissing as error:
        # The one 5xx by design: the server lacks a program; the request was fine.
        return error_outcome(503, "GraphvizMissing", str(error))
    except subprocess.TimeoutExpired:
        return budget_outcome(settings)
    except subprocess.CalledProcessError as error:
        # Graphviz itself failed (it can crash on enormous layouts): say so, as a limit.
        logger.warning("dot failed with status %s", error.returncode)
        return error_outcome(
            413, "LimitError",
            "Graphviz could not draw this circuit; try a smaller one, or export DOT instead")
    headers = {"Content-Disposition": f'attachment; filename="circuit.{fmt}"'}
    return Outcome(200, body, EXPORT_TYPES[fmt], headers)


def budget_outcome(settings: Settings) -> Outcome:
    """The answer when a computation outlives its time budget."""
    return error_outcome(
        413, "LimitError",
        f"the computation took longer than its {settings.request_cpu_seconds:g} s budget; "
        "try a smaller expression or smaller tensors")


def run_job(kind: str, raw: bytes, fmt: ExportFormat, settings: Settings) -> Outcome:
    """Parse and compute one request: what a worker process runs."""
    request = parse_graph_request(raw)
    if isinstance(request, Outcome):
        return request
    if kind == "export":
        return export_outcome(request, fmt, settings)
    return graph_outcome(request, settings)
