"""`create_app(settings)`: the FastAPI application.

Every computing route is a row of the handler table (handlers.py), answered by the pool's one
rule (pool.py); this module only turns the rows into routes, adds the few GET routes that
compute nothing (liveness, version, examples, meta), the page, the middleware and one error
shape for everything else (404, 405, a bug).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException as StarletteHTTPException

import circuitgrad

from ..check import VERDICT_NAMES
from ..classifier import DATASETS, LOSSES, MODELS
from ..export import graphviz_available
from ..lang import DEFAULT_LANG, LANGUAGES, Lang, accepted_lang
from ..language.parser import CONSTANTS
from ..ops import FUNCTIONS
from ..optimize import METHODS
from ..settings import Settings
from .encoding import JSON_MEDIA_TYPE, error_outcome, json_bytes
from .examples import examples_in
from .handlers import HANDLERS, Handler, validation_outcome
from .lane import ComputeLane, respond
from .middleware import BodyLimit, HttpContract
from .pages import mount_page
from .pool import ComputePool
from .schemas import COMPONENTS, EXTRA_COMPONENT_MODELS, VALUE_SCHEMAS, Example, Health, Meta
from .schemas import Version as VersionModel

logger = logging.getLogger("circuitgrad.api")



ERROR_DESCRIPTIONS = {
    408: "The request body did not arrive in time.",
    413: "A limit was exceeded: body size, source length, nodes, tensor elements, answer "
         "size, memory, or the time budget. The message names the limit.",
    415: "The body is not declared as application/json.",
    422: "The request does not fit its schema (type ValidationError, every problem under "
         "`errors`) or cannot be computed (a CircuitError with its position).",
    429: "Too many computations are waiting; retry after the Retry-After seconds.",
    503: "Graphviz's `dot` program is not installed (SVG and PNG only).",
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application: the API under /api, /healthz, the page at /."""
    settings = settings or Settings.from_env()
    pool = ComputePool(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Start the worker processes in the background: the server answers meanwhile.
        warming = asyncio.get_running_loop().run_in_executor(None, pool.warm)
        # Everything alive now lives as long as the process: keep it out of the garbage
        # collector's full passes, which otherwise rescan the whole app per collection.
        gc.freeze()
        yield
        pool.close()
        with contextlib.suppress(OSError):
            await warming

    app = FastAPI(title="circuitgrad", version=circuitgrad.__version__,
                  summary="Backpropagation as a CS231n circuit, gate by gate.",
                  lifespan=lifespan)
    app.state.settings = settings
    app.state.pool = pool
    _add_service_routes(app, settings)
    for handler in HANDLERS.values():
        _add_compute_route(app, handler, pool)
    _install_error_handlers(app)
    app.openapi = _openapi_factory(app)  # type: ignore[method-assign]
    mount_page(app, settings)
    # Added last = outermost: CORS (if any), then the contract's headers, then the body,
    # then the computing routes' lane past the router (lane.py).
    app.add_middleware(ComputeLane, pool=pool)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes,
                       timeout=settings.body_timeout_seconds)
    app.add_middleware(HttpContract)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type"], max_age=600)
    return app


# ---- the rows of the handler table ----------------------------------------------------------

def _add_compute_route(app: FastAPI, handler: Handler, pool: ComputePool) -> None:
    async def endpoint(request: Request) -> Response:
        raw = await request.body()
        return respond(await pool.answer(
            handler, raw, request.headers.get("content-type"), request.query_params,
            accepted_lang(request.headers.get("accept-language"))))

    error = {"application/json": {"schema": {"$ref": COMPONENTS + "ErrorResponse"}}}
    responses: dict[int | str, dict[str, Any]] = {
        status: {"description": ERROR_DESCRIPTIONS[status], "content": error}
        for status in handler.errors}
    extra: dict[str, Any] = {"requestBody": {"required": True, "content": {
        JSON_MEDIA_TYPE: {"schema": {"$ref": COMPONENTS + handler.body.__name__}}}}}
    if handler.query is not None:
        extra["parameters"] = _query_parameters(handler.query)
    if handler.response is None:  # export: a file
        responses[200] = {"description": "The diagram as a file.", "content": {
            "text/vnd.graphviz": {"schema": {"type": "string"}},
            "image/svg+xml": {"schema": {"type": "string"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}}}}
    app.add_api_route(handler.path, endpoint, methods=["POST"], response_model=handler.response,
                      responses=responses, openapi_extra=extra, tags=[handler.tag],
                      summary=handler.summary, name=handler.path.rsplit("/", 1)[-1])


def _query_parameters(model: Any) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    return [{"name": name, "in": "query", "required": name in schema.get("required", ()),
             "schema": {key: value for key, value in field.items() if key != "title"}}
            for name, field in schema["properties"].items()]


# ---- routes that compute nothing ------------------------------------------------------------

def _static(body: Any) -> Callable[[], Coroutine[Any, Any, Response]]:
    encoded = json_bytes(body)

    async def endpoint() -> Response:
        return Response(encoded, media_type=JSON_MEDIA_TYPE)

    return endpoint


def meta(settings: Settings) -> dict[str, Any]:
    """GET /api/meta: the lists the page shares with the server, from their one source."""
    return {
        "version": circuitgrad.__version__,
        "languages": list(LANGUAGES),
        "functions": sorted(FUNCTIONS),
        "constants": sorted(CONSTANTS),
        "optimizer_methods": list(METHODS),
        "verdicts": list(VERDICT_NAMES),
        "datasets": list(DATASETS),
        "losses": list(LOSSES),
        "models": list(MODELS),
        "limits": settings.client_limits(),
    }


def _add_service_routes(app: FastAPI, settings: Settings) -> None:
    version = {"name": "circuitgrad", "version": circuitgrad.__version__,
               "graphviz": graphviz_available()}
    routes: list[tuple[str, Any, Any, str, str]] = [
        ("/healthz", {"status": "ok"}, Health, "service",
         "Liveness: answers as long as the event loop does."),
        ("/api/version", version, VersionModel, "service",
         "The package version, and whether SVG/PNG exports are available."),
        ("/api/meta", meta(settings), Meta, "service",
         "The names, methods, verdicts, limits and languages a client shares with the server."),
    ]
    for path, body, model, tag, summary in routes:
        app.add_api_route(path, _static(body), methods=["GET"], response_model=model,
                          tags=[tag], summary=summary, name=path.rsplit("/", 1)[-1])
    worded = {lang: json_bytes([{"hints": {}, **example} for example in examples_in(lang)])
              for lang in LANGUAGES}

    async def examples(lang: Annotated[Lang, Query(description=(
            'The language of the titles and lessons: "en" or "zh-CN".'))] = DEFAULT_LANG
                       ) -> Response:
        return Response(worded[lang], media_type=JSON_MEDIA_TYPE)

    error = {"application/json": {"schema": {"$ref": COMPONENTS + "ErrorResponse"}}}
    invalid: dict[int | str, dict[str, Any]] = {
        422: {"description": ERROR_DESCRIPTIONS[422], "content": error}}
    app.add_api_route("/api/examples", examples, methods=["GET"], response_model=list[Example],
                      responses=invalid, tags=["examples"], name="examples", summary=(
                          "The built-in examples, each with a title, a one-line lesson and "
                          "default values, in the language asked for."))


# ---- one error shape ------------------------------------------------------------------------

_HTTP_CODES = {404: ("NotFound", "not_found"), 405: ("MethodNotAllowed", "method_not_allowed")}


def _install_error_handlers(app: FastAPI) -> None:
    async def validation_error(request: Request, error: Exception) -> Response:
        # Only a route's own parameters reach here (the table's rows read their bodies
        # themselves): the same 422 as theirs, without echoing the input.
        assert isinstance(error, RequestValidationError)  # noqa: S101
        issues = [{"type": str(i.get("type", "invalid")), "loc": list(i.get("loc", ())),
                   "msg": str(i.get("msg", "invalid"))} for i in error.errors()]
        return respond(validation_outcome(issues))

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)  # noqa: S101
        kind, code = _HTTP_CODES.get(error.status_code, ("HTTPError", "http_error"))
        return respond(error_outcome(error.status_code, kind, code, str(error.detail),
                                     headers=dict(error.headers or {})))

    async def last_resort(request: Request, error: Exception) -> Response:
        # A bug, not the client's doing: log the traceback, send none.
        logger.error("unhandled error on %s %s", request.method, request.url.path,
                     exc_info=error)
        return respond(error_outcome(500, "InternalError", "internal",
                                     "internal error; it has been logged"))

    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, last_resort)


def _openapi_factory(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """FastAPI's document plus the schemas our hand-read bodies refer to."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(title=app.title, version=app.version, summary=app.summary,
                               routes=app.routes)
        schemas: dict[str, Any] = document.setdefault("components", {}).setdefault(
            "schemas", {})
        models = {*EXTRA_COMPONENT_MODELS, *(h.body for h in HANDLERS.values())}
        _, extra = models_json_schema([(model, "validation") for model in models],
                                      ref_template=COMPONENTS + "{model}")
        for name, schema in {**extra.get("$defs", {}), **VALUE_SCHEMAS}.items():
            schemas.setdefault(name, schema)
        app.openapi_schema = document
        return document

    return openapi



