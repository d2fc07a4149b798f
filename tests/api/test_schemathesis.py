"""Property-based run against the app's own /openapi.json: no 5xx, and every response
matches the documented status codes, content types and schemas."""

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

# The lifespan is not run by schemathesis: workers start on first use, stop at teardown.
app = create_app(Settings())
# The service's own operations; the lab's routes are tested with the lab.
OWN_PATHS = ["/healthz", "/api/version", "/api/examples", "/api/graph", "/api/export"]
# Bounded in time (the whole tests/api run stays under a minute): the examples and fuzzing
# phases only; the coverage phase's hundreds of boundary cases overlap test_hostile.py.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG).include(
    path=OWN_PATHS)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


def teardown_module() -> None:
    app.state.pool.close()
