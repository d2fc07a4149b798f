"""The optimization lab over HTTP: POST /api/gradcheck, /api/optimize and /api/classifier.

Thin routes: a pydantic model in, the core function with the app's settings, its `to_dict()`
out as strict JSON. A CircuitError becomes the same 4xx as everywhere else (413 for a limit,
422 otherwise). The handlers are plain `def`s, so FastAPI runs them in its thread pool and
the event loop keeps answering; each core loop also stops itself at the request budget.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..check import gradcheck
from ..classifier import train
from ..errors import CircuitError
from ..optimize import optimize
from ..settings import DEFAULT_SETTINGS, Settings
from .compute import circuit_error_outcome
from .lab_schemas import (
    ClassifierRequest,
    ClassifierResponse,
    GradcheckRequest,
    GradcheckResponse,
    OptimizeRequest,
    OptimizeResponse,
)
from .responses import StrictJSONResponse, outcome_response
from .schemas import ErrorResponse

router = APIRouter(prefix="/api", tags=["lab"])

_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"description": "The body is not valid JSON."},
    413: {"model": ErrorResponse, "description": "A limit from the settings was exceeded."},
    422: {"description": "The expression, a value or an option is not valid."},
}


def _settings(request: Request) -> Settings:
    settings = getattr(request.app.state, "settings", None)
    return settings if isinstance(settings, Settings) else DEFAULT_SETTINGS


@router.post("/gradcheck", response_model=GradcheckResponse, responses=_ERRORS,
             response_class=StrictJSONResponse)
def post_gradcheck(body: GradcheckRequest, request: Request) -> Response:
    """Analytic gradients against forward and centered differences, with CS231n verdicts."""
    try:
        result = gradcheck(body.expression, body.values, h=body.h, inputs=body.inputs,
                           wires=body.wires, expand=body.expand, settings=_settings(request))
    except CircuitError as error:
        return outcome_response(circuit_error_outcome(error))
    return StrictJSONResponse(result.to_dict())


@router.post("/optimize", response_model=OptimizeResponse, responses=_ERRORS,
             response_class=StrictJSONResponse)
def post_optimize(body: OptimizeRequest, request: Request) -> Response:
    """Minimise an expression over some inputs; a diverging run is a 200 with its trajectory."""
    try:
        run = optimize(body.expression, body.values, method=body.method,
                       learning_rate=body.learning_rate, steps=body.steps,
                       optimize=body.optimize, seed=body.seed, step_size=body.step_size,
                       momentum=body.momentum, expand=body.expand, settings=_settings(request))
    except CircuitError as error:
        return outcome_response(circuit_error_outcome(error))
    return StrictJSONResponse(run.to_dict())


@router.post("/classifier", response_model=ClassifierResponse, responses=_ERRORS,
             response_class=StrictJSONResponse)
def post_classifier(body: ClassifierRequest, request: Request) -> Response:
    """Mini-batch SGD of a linear classifier or a two-layer network on a toy data set: loss
    curve, accuracy, decision regions, the trained parameters."""
    try:
        training = train(body.dataset, points=body.points, seed=body.seed, loss=body.loss,
                         reg=body.reg, learning_rate=body.learning_rate,
                         batch_size=body.batch_size, steps=body.steps, model=body.model,
                         hidden=body.hidden, params=body.params, W=body.W, b=body.b,
                         start_step=body.start_step, grid=body.grid,
                         settings=_settings(request))
    except CircuitError as error:
        return outcome_response(circuit_error_outcome(error))
    return StrictJSONResponse(training.to_dict(include_data=body.include_data))
