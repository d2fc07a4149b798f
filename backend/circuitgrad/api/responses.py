"""Starlette responses for the service's strict JSON and ready-made outcomes."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from .encoding import JSON_MEDIA_TYPE, Outcome, json_bytes


class StrictJSONResponse(JSONResponse):
    """A JSON response that can never contain bare NaN/Infinity tokens. (A JSONResponse
    subclass, so FastAPI documents the route's response model.)"""

    media_type = JSON_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return json_bytes(content)


def outcome_response(outcome: Outcome) -> Response:
    """The HTTP response carrying a computation's outcome."""
    return Response(outcome.body, outcome.status, headers=outcome.headers,
                    media_type=outcome.media_type)
