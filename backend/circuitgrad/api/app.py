"""`create_app(settings)`: the FastAPI application, its middleware and error handlers."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException as StarletteHTTPException

import circuitgrad

from ..errors import CircuitError
from ..settings import Settings
from .compute import circuit_error_outcome, validation_outcome
from .encoding import error_outcome
from .lab import router as lab_router
from .middleware import BodyLimit, SecurityHeaders
from .pages import mount_page
from .responses import StrictJSONResponse, outcome_response
from .routes import circuit_router, examples_router, meta_router
from .schemas import COMPONENTS, EXTRA_COMPONENT_MODELS, VALUE_SCHEMAS
from .service import ComputeService

logger = logging.getLogger("circuitgrad.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application: the API under /api, /healthz, the page at /."""
    settings = settings or Settings.from_env()
    compute = ComputeService(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Start the worker processes in the background: the server answers meanwhile.
        warming = asyncio.get_running_loop().run_in_executor(None, compute.pool.warm)
        # Everything alive now lives as long as the process: keep it out of the garbage
        # collector's full passes, which otherwise rescan the whole app per collection.
        gc.freeze()
        yield
        compute.close()
        with contextlib.suppress(OSError):
            await warming

    app = FastAPI(title="circuitgrad", version=circuitgrad.__version__,
                  summary="Backpropagation as a CS231n circuit, gate by gate.",
                  default_response_class=StrictJSONResponse, lifespan=lifespan)
    app.state.settings = settings
    app.state.compute = compute
    # Later concerns (the lab: gradcheck, optimize, classifier) add their own router here.
    for router in (meta_router, examples_router, circuit_router, lab_router):
        app.include_router(router)
    _install_error_handlers(app)
    app.openapi = _openapi_factory(app)  # type: ignore[method-assign]
    mount_page(app, settings)
    # Added last = outermost: CORS (if any), then headers, then the body limit.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type"], max_age=600)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    async def circuit_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, CircuitError)  # noqa: S101 - registered for this class only
        return outcome_response(circuit_error_outcome(error))

    async def validation_error(request: Request, error: Exception) -> Response:
        # FastAPI's 422 body, but strictly encoded and without echoing the input (which
        # may hold NaN, or megabytes).
        assert isinstance(error, RequestValidationError)  # noqa: S101
        issues = [{"type": str(i.get("type", "invalid")), "loc": list(i.get("loc", ())),
                   "msg": str(i.get("msg", "invalid"))} for i in error.errors()]
        return outcome_response(validation_outcome(issues))

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)  # noqa: S101
        return StrictJSONResponse({"detail": error.detail}, error.status_code,
                                  headers=error.headers)

    async def last_resort(request: Request, error: Exception) -> Response:
        # A bug, not the client's doing: log the traceback, send none.
        logger.error("unhandled error on %s %s", request.method, request.url.path,
                     exc_info=error)
        return outcome_response(
            error_outcome(500, "InternalError", "internal error; it has been logged"))

    app.add_exception_handler(CircuitError, circuit_error)
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
        _, extra = models_json_schema([(model, "validation") for model in EXTRA_COMPONENT_MODELS],
                                      ref_template=COMPONENTS + "{model}")
        for name, schema in {**extra.get("$defs", {}), **VALUE_SCHEMAS}.items():
            schemas.setdefault(name, schema)
        app.openapi_schema = document
        return document

    return openapi
