"""Property-based run of the lab's routes against the app's /openapi.json: no 5xx, and every
answer has a documented status, content type and schema."""

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

# Small limits keep each generated request fast; the routes read them from the app.
app = create_app(Settings(max_optimize_steps=50, max_dataset_points=200, max_grid_size=20,
                          max_gradcheck_elements=50, max_hidden_units=20,
                          request_cpu_seconds=2.0, training_seconds=2.0))
LAB_PATHS = ["/api/gradcheck", "/api/optimize", "/api/classifier"]
# Bounded in time: the examples and fuzzing phases only; the coverage phase's hundreds of
# boundary cases (minutes on a busy machine) overlap the bad requests of test_lab_api.py.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG).include(
    path=LAB_PATHS)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_lab_routes_conform_to_the_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


def teardown_module() -> None:
    app.state.pool.close()
