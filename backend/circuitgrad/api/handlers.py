"""The handler table: every route that computes is one row here.

A row names its path, the pydantic model of its body (and of its query, if any), the core
function that answers it, and when it is provably small enough to run on the event loop.
`pool.py` applies the one rule to every row (validate; inline when small; else a worker
process under the time budget and the queue limit); `app.py` turns every row into a route;
`worker.py` runs rows by path. Nothing here imports a web framework: workers import it.

Adding a route: write its request model (schemas.py), a function `(body, query, settings)`
returning a JSON-able dict (or an Outcome), and one `Handler(...)` row in `HANDLERS`.
"""

from __future__ import annotations

import json
import logging
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from ..check import gradcheck
from ..classifier import train
from ..errors import CircuitError, LimitError
from ..export import GraphvizMissing, dot_source, render
from ..gcpause import gc_paused
from ..inputs import infer_inputs
from ..lang import DEFAULT_LANG, Lang
from ..optimize import optimize
from ..result import Result, evaluate
from ..settings import Settings
from ..staged import code_rows
from .encoding import (
    Outcome,
    error_detail,
    error_outcome,
    json_bytes,
    ready_json_bytes,
    worded_outcome,
)
from .inputs_schemas import InputsRequest, InputsResponse, inputs_body
from .lab_schemas import (
    ClassifierRequest,
    ClassifierResponse,
    GradcheckRequest,
    GradcheckResponse,
    OptimizeRequest,
    OptimizeResponse,
)
from .schemas import ExportQuery, GraphRequest, GraphResponse

logger = logging.getLogger("circuitgrad.api")

Run = Callable[[Any, Any, Settings], "dict[str, Any] | Outcome"]
Small = Callable[[Any, Settings], bool]
Budget = Callable[[Settings], float]


def request_budget(settings: Settings) -> float:
    """The time budget of an ordinary computing request."""
    return settings.request_cpu_seconds


def training_budget(settings: Settings) -> float:
    """A classifier's training loop stops itself at `training_seconds` and answers what it
    has; what follows (accuracy, decision grid, JSON) gets an ordinary request's budget."""
    return settings.training_seconds + settings.request_cpu_seconds

EXPORT_TYPES: dict[str, str] = {
    "dot": "text/vnd.graphviz; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
}
MAX_REPORTED_ISSUES = 20  # validation problems listed in one 422


@dataclass(frozen=True, slots=True)
class Handler:
    """One computing route: how to read its request, answer it, and where to run it."""

    path: str
    body: type[BaseModel]
    run: Run  # (body, query, settings) -> the answer's JSON, or a ready Outcome
    summary: str
    response: type[BaseModel] | None = None  # documents the 200 answer
    query: type[BaseModel] | None = None
    small: Small | None = None  # None: never inline, always a worker process
    budget: Budget = request_budget  # seconds a worker may spend on one request
    tag: str = "circuit"
    errors: tuple[int, ...] = (413, 415, 422, 429)


# ---- errors -------------------------------------------------------------------------------

def circuit_error_outcome(error: CircuitError, lang: Lang = DEFAULT_LANG) -> Outcome:
    """A CircuitError as `{"detail": {type, code, message, params, position, ...}}`, worded in
    `lang`: 413 for an exceeded limit (make it smaller), 422 for everything else."""
    detail = error.to_dict(lang)
    detail.setdefault("code", "limit" if isinstance(error, LimitError) else "invalid_input")
    detail.setdefault("params", {})
    return Outcome(413 if isinstance(error, LimitError) else 422,
                   json_bytes({"detail": detail}))


def validation_outcome(issues: list[dict[str, Any]], code: str = "invalid_request") -> Outcome:
    """A request that does not fit its schema: 422, the first problem in the message, every
    problem (up to MAX_REPORTED_ISSUES) under `errors` as FastAPI lists them."""
    shown = issues[:MAX_REPORTED_ISSUES]
    first = shown[0] if shown else {"loc": [], "msg": "invalid request"}
    field = ".".join(str(part) for part in first["loc"] if part not in ("body", "query"))
    message = f"{field}: {first['msg']}" if field else str(first["msg"])
    if len(issues) > 1:
        message += f" (and {len(issues) - 1} more problem{'s' if len(issues) > 2 else ''})"
    detail = error_detail("ValidationError", code, message,
                          {"field": field, "reason": str(first["msg"])})
    return Outcome(422, json_bytes({"detail": {**detail, "errors": shown}}))


def budget_outcome(settings: Settings, seconds: float | None = None,
                   lang: Lang = DEFAULT_LANG) -> Outcome:
    """The answer when a computation outlives its time budget (by default a request's)."""
    seconds = settings.request_cpu_seconds if seconds is None else seconds
    return worded_outcome(413, "LimitError", "time_budget", {"seconds": seconds}, lang)


def _answer_too_large(size: int, settings: Settings, foreseen: bool,
                      lang: Lang = DEFAULT_LANG) -> Outcome:
    return worded_outcome(
        413, "LimitError", "response_bytes",
        {"bytes": size, "limit": settings.max_response_bytes}, lang,
        words="response_bytes_foreseen" if foreseen else None)


def _lang(body: BaseModel) -> Lang:
    """The language a request's body asks for (bodies without a `lang` field: the default)."""
    lang: Lang = getattr(body, "lang", DEFAULT_LANG)
    return lang


# ---- reading a request ----------------------------------------------------------------------

def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON; send finite numbers only")


def _issues(error: ValidationError, where: str) -> list[dict[str, Any]]:
    found = error.errors(include_url=False, include_context=False, include_input=False)
    return [{"type": i["type"], "loc": [where, *i["loc"]], "msg": i["msg"]} for i in found]


def parse(handler: Handler, raw: bytes, query: Mapping[str, str]
          ) -> tuple[BaseModel, BaseModel | None] | Outcome:
    """The body (and query) as the row's models, or the 422 that explains why not."""
    parsed_query: BaseModel | None = None
    if handler.query is not None:
        try:
            parsed_query = handler.query.model_validate(dict(query))
        except ValidationError as error:
            return validation_outcome(_issues(error, "query"))
    try:
        # json.loads (not pydantic's parser) because it can refuse the non-standard
        # NaN/Infinity tokens; a too-deep nesting is a RecursionError, not a crash.
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        reason = str(error) if isinstance(error, ValueError) else "JSON nested too deeply"
        return validation_outcome(
            [{"type": "json_invalid", "loc": ["body"], "msg": f"JSON decode error: {reason}"}],
            code="invalid_json")
    try:
        return handler.body.model_validate(data), parsed_query
    except ValidationError as error:
        return validation_outcome(_issues(error, "body"))


def answer(handler: Handler, body: BaseModel, query: BaseModel | None,
           settings: Settings) -> Outcome:
    """Run a validated request: the core function's answer as strict JSON, or its error."""
    try:
        result = handler.run(body, query, settings)
    except CircuitError as error:
        return circuit_error_outcome(error, _lang(body))
    if isinstance(result, Outcome):
        return result
    encoded = json_bytes(result)
    if len(encoded) > settings.max_response_bytes:
        return _answer_too_large(len(encoded), settings, foreseen=False, lang=_lang(body))
    return Outcome(200, encoded)


@dataclass(frozen=True, slots=True)
class Job:
    """One request for a worker process: the row's path, the raw body, the query, the
    settings, and the seconds it may take (the row's budget). (Defined here, which workers
    import at start, so unpickling one costs nothing.)"""

    path: str
    raw: bytes
    query: dict[str, str]
    settings: Settings
    seconds: float
    # The language of the errors answered for it without reading its body (Accept-Language,
    # or the body's `lang` when it was read before the job was sent).
    lang: Lang = DEFAULT_LANG


def run_job(job: Job) -> Outcome:
    """Read and answer one request of the row at `job.path`: what a worker process runs."""
    handler = HANDLERS[job.path]
    parsed = parse(handler, job.raw, job.query)
    if isinstance(parsed, Outcome):
        return parsed
    return answer(handler, *parsed, job.settings)


# ---- POST /api/graph and /api/export --------------------------------------------------------

def short_scalar_program(request: Any, settings: Settings) -> bool:
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


# NOTE: lower bounds of an answer's size, so that a too-large answer is refused before it is
# built: a node's row, its wire, its two steps and its DOT line take far more than this
# (tests/api check the bound against real answers), and a number at least "0.0,".
MIN_BYTES_PER_NODE = 150
MIN_BYTES_PER_NUMBER = 4


def _evaluate(request: GraphRequest, settings: Settings) -> tuple[Result, int]:
    """The result, and how many numbers its answer holds (refused past the limit)."""
    result = evaluate(request.expression, request.values, expand=request.expand,
                      seed_grad=request.seed_grad, settings=settings, lang=request.lang)
    elements = _response_elements(result)
    if elements > settings.max_response_elements:
        raise LimitError("response_too_large", count=elements,
                         limit=settings.max_response_elements)
    return result, elements


def foreseen_bytes(result: Result, elements: int | None = None) -> int:
    """A lower bound of the size of the graph answer's JSON (`elements`: its numbers, when
    already counted)."""
    if elements is None:
        elements = _response_elements(result)
    return MIN_BYTES_PER_NODE * len(result.circuit.ops) + MIN_BYTES_PER_NUMBER * elements


def graph(request: GraphRequest, query: None, settings: Settings) -> Outcome:
    """POST /api/graph: `Result.to_dict()` plus the diagram's DOT."""
    with gc_paused():  # the whole answer is one build (see gcpause.py)
        result, elements = _evaluate(request, settings)
        foreseen = foreseen_bytes(result, elements)
        if foreseen > settings.max_response_bytes:
            return _answer_too_large(foreseen, settings, foreseen=True, lang=request.lang)
        body = result.to_dict()
        if request.dot:
            body["dot"] = dot_source(result)
        if request.code:
            body["code"] = code_rows(result, request.lang)
        # Numbers JSON-ready (to_dict's promise), the rest strings: the fast encoder may write it.
        encoded = ready_json_bytes(body)
    if len(encoded) > settings.max_response_bytes:
        return _answer_too_large(len(encoded), settings, foreseen=False, lang=request.lang)
    return Outcome(200, encoded)


def export(request: GraphRequest, query: ExportQuery, settings: Settings) -> Outcome:
    """POST /api/export: the diagram as DOT, SVG or PNG, ready to download."""
    fmt = query.format
    started = time.monotonic()
    result, _ = _evaluate(request, settings)
    # Graphviz gets what is left of the budget; past it, `render` kills `dot` itself.
    left = max(0.1, settings.request_cpu_seconds - (time.monotonic() - started))
    try:
        body = render(result, fmt, timeout=left)
    except GraphvizMissing as error:
        # The one 5xx by design: the server lacks a program; the request was fine.
        return error_outcome(503, "GraphvizMissing", "graphviz_missing", str(error))
    except subprocess.TimeoutExpired:
        return budget_outcome(settings, lang=request.lang)
    except subprocess.CalledProcessError as error:
        # Graphviz itself failed (it can crash on enormous layouts, or hit the memory limit).
        logger.warning("dot failed with status %s", error.returncode)
        return worded_outcome(413, "LimitError", "graphviz_failed", {}, request.lang)
    if len(body) > settings.max_response_bytes:
        return _answer_too_large(len(body), settings, foreseen=False, lang=request.lang)
    headers = {"Content-Disposition": f'attachment; filename="circuit.{fmt}"'}
    return Outcome(200, body, EXPORT_TYPES[fmt], headers)


# ---- POST /api/inputs ------------------------------------------------------------------------

def short_program(request: InputsRequest, settings: Settings) -> bool:
    """Inference costs a few passes over the circuit per input: a short program is cheap."""
    return len(request.expression) <= settings.inline_max_source_length


def list_inputs(request: InputsRequest, query: None, settings: Settings) -> dict[str, Any]:
    """The inputs an expression needs, their shapes and defaults, without values."""
    infos = infer_inputs(request.expression, request.shapes, settings=settings)
    return inputs_body(infos, request.lang)


# ---- the lab: POST /api/gradcheck, /api/optimize, /api/classifier ----------------------------

def check_gradients(request: GradcheckRequest, query: None, settings: Settings
                    ) -> dict[str, Any]:
    """Analytic gradients against forward and centered differences, with CS231n verdicts."""
    return gradcheck(request.expression, request.values, h=request.h, inputs=request.inputs,
                     wires=request.wires, expand=request.expand, settings=settings,
                     lang=request.lang).to_dict()


def minimise(request: OptimizeRequest, query: None, settings: Settings) -> dict[str, Any]:
    """Minimise an expression over some inputs; a diverging run is a 200 with its path."""
    return optimize(request.expression, request.values, method=request.method,
                    learning_rate=request.learning_rate, steps=request.steps,
                    optimize=request.optimize, seed=request.seed, step_size=request.step_size,
                    momentum=request.momentum, expand=request.expand,
                    settings=settings, lang=request.lang).to_dict()


def train_classifier(request: ClassifierRequest, query: None, settings: Settings
                     ) -> dict[str, Any]:
    """Mini-batch SGD of a linear classifier or a two-layer network on a toy data set."""
    training = train(request.dataset, points=request.points, seed=request.seed,
                     loss=request.loss, reg=request.reg, learning_rate=request.learning_rate,
                     batch_size=request.batch_size, steps=request.steps, model=request.model,
                     hidden=request.hidden, params=request.params, W=request.W, b=request.b,
                     start_step=request.start_step, grid=request.grid, settings=settings,
                     lang=request.lang)
    return training.to_dict(include_data=request.include_data)


# ---- the table ------------------------------------------------------------------------------

HANDLERS: dict[str, Handler] = {handler.path: handler for handler in (
    Handler("/api/graph", GraphRequest, graph, response=GraphResponse,
            small=short_scalar_program,
            summary="Build the circuit, run it forward and backward, and explain every step."),
    Handler("/api/export", GraphRequest, export, query=ExportQuery,
            errors=(413, 415, 422, 429, 503),
            summary="The diagram in the CS231n style (values green above the wires, gradients "
                    "red below) as Graphviz DOT, SVG or PNG."),
    Handler("/api/inputs", InputsRequest, list_inputs, response=InputsResponse,
            small=short_program,
            summary="The inputs an expression needs, in the order they appear: the shape the "
                    "circuit requires of each, whether it holds labels, and a default value "
                    "for each such that all of them together evaluate."),
    Handler("/api/gradcheck", GradcheckRequest, check_gradients, response=GradcheckResponse,
            tag="lab", summary="Analytic gradients against forward and centered differences, "
                               "with the CS231n verdicts."),
    Handler("/api/optimize", OptimizeRequest, minimise, response=OptimizeResponse, tag="lab",
            summary="Minimise an expression over some inputs; a diverging run is a 200 with "
                    "its trajectory."),
    Handler("/api/classifier", ClassifierRequest, train_classifier,
            response=ClassifierResponse, tag="lab", budget=training_budget,
            summary="Mini-batch SGD of a linear classifier or a two-layer network on a toy "
                    "data set: loss curve, accuracy, decision regions, trained parameters."),
)}


def longest_budget(settings: Settings) -> float:
    """The longest time budget of any row: how long the slowest legitimate request runs."""
    return max(handler.budget(settings) for handler in HANDLERS.values())
