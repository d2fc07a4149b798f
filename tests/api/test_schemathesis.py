"""Property-based runs against the app's own /openapi.json: no 5xx, and every answer has a
documented status, content type and schema, for every route."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from circuitgrad.api import create_app
from circuitgrad.settings import Settings

# schemathesis enters the app's lifespan itself; the pool's workers are stopped at teardown.
# Small lab limits keep each generated request fast; the routes read them from the app.
app = create_app(Settings(max_optimize_steps=50, max_dataset_points=200, max_grid_size=20,
                          max_gradcheck_elements=50, max_hidden_units=20,
                          request_cpu_seconds=2.0, training_seconds=2.0))
CIRCUIT_PATHS = ["/healthz", "/api/version", "/api/meta", "/api/examples", "/api/graph",
                 "/api/export", "/api/inputs"]
LAB_PATHS = ["/api/gradcheck", "/api/optimize", "/api/classifier"]
# Bounded in time: the examples and fuzzing phases only; the coverage phase's hundreds of
# boundary cases overlap test_hostile.py.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
circuit = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG).include(
    path=CIRCUIT_PATHS)
lab = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG).include(
    path=LAB_PATHS)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@circuit.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_circuit_routes_conform_to_the_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


@lab.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_lab_routes_conform_to_the_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


def test_every_route_is_fuzzed() -> None:
    paths = set(app.openapi()["paths"])
    assert paths == set(CIRCUIT_PATHS) | set(LAB_PATHS), "a new route: add it above"


def teardown_module() -> None:
    app.state.pool.close()
