"""The routes, one APIRouter per concern; each converts, calls, converts back."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

import circuitgrad

from ..export import graphviz_available
from .encoding import json_bytes
from .examples import EXAMPLES
from .responses import outcome_response
from .schemas import COMPONENTS, Example, GraphResponse, Health, Version
from .service import ComputeService


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI documentation of the error answers a route can give."""
    described = {
        413: "A limit was exceeded: body size, source length, nodes, tensor elements, or "
             "the time budget.",
        415: "The body is not JSON.",
        422: "The request does not fit the schema (FastAPI's list) or the expression cannot "
             "be evaluated (a CircuitError with its position).",
        429: "Too many computations are waiting; retry after the Retry-After seconds.",
        503: "Graphviz's `dot` program is not installed (SVG and PNG only).",
    }
    schema: dict[str, Any] = {"$ref": COMPONENTS + "ErrorResponse"}
    answers: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        if status == 422:
            schema_422 = {"anyOf": [schema, {"$ref": COMPONENTS + "ValidationErrorResponse"}]}
            content = {"application/json": {"schema": schema_422}}
        else:
            content = {"application/json": {"schema": schema}}
        answers[status] = {"description": described[status], "content": content}
    return answers


_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"$ref": COMPONENTS + "GraphRequest"}}}}}


def _service(request: Request) -> ComputeService:
    service: ComputeService = request.app.state.compute
    return service


# ---- liveness and version ----

meta_router = APIRouter(tags=["service"])
_HEALTH = json_bytes({"status": "ok"})


@meta_router.get("/healthz", response_model=Health)
async def healthz() -> Response:
    """Liveness: answers as long as the event loop does."""
    return Response(_HEALTH, media_type="application/json")


@meta_router.get("/api/version", response_model=Version)
async def version() -> Response:
    """The package version, and whether SVG/PNG exports are available."""
    body = {"name": "circuitgrad", "version": circuitgrad.__version__,
            "graphviz": graphviz_available()}
    return Response(json_bytes(body), media_type="application/json")


# ---- examples ----

examples_router = APIRouter(tags=["examples"])
_EXAMPLES = json_bytes([{"hints": {}, **example} for example in EXAMPLES])


@examples_router.get("/api/examples", response_model=list[Example])
async def examples() -> Response:
    """The built-in examples, each with a title, a one-line lesson and default values."""
    return Response(_EXAMPLES, media_type="application/json")


# ---- the circuit ----

circuit_router = APIRouter(tags=["circuit"])


@circuit_router.post("/api/graph", response_model=GraphResponse, openapi_extra=_BODY,
                     responses=_errors(413, 415, 422, 429))
async def graph(request: Request) -> Response:
    """Build the circuit, run it forward and backward, and explain every step."""
    raw = await request.body()
    outcome = await _service(request).graph(raw, request.headers.get("content-type"))
    return outcome_response(outcome)


@circuit_router.post(
    "/api/export", openapi_extra=_BODY, responses={
        200: {"description": "The diagram as a file.", "content": {
            "text/vnd.graphviz": {"schema": {"type": "string"}},
            "image/svg+xml": {"schema": {"type": "string"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}}}},
        **_errors(413, 415, 422, 429, 503)})
async def export(request: Request,
                 format: Literal["dot", "svg", "png"] = Query("svg")) -> Response:
    """The diagram in the CS231n style (values green above the wires, gradients red
    below) as Graphviz DOT, SVG or PNG."""
    raw = await request.body()
    outcome = await _service(request).export(raw, request.headers.get("content-type"), format)
    return outcome_response(outcome)
