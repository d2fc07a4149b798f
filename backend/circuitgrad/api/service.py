"""Where a request's computation runs: on the event loop when small, else in the pool.

The split is measured, not guessed: a short scalar request costs well under a millisecond
on the loop, where a hop to a worker process would cost more than the work itself; anything
that could take long (tensors, long programs, big bodies, exports) goes to a process with a
hard time budget, so the loop never waits on it.
"""

from __future__ import annotations

from ..settings import Settings
from .compute import ExportFormat, graph_outcome, is_small, parse_graph_request
from .encoding import Outcome, error_outcome
from .pool import ComputePool, Job

JSON_TYPES = ("application/json", "application/problem+json")


def _content_type_outcome(content_type: str | None) -> Outcome | None:
    if content_type is None:
        return None  # curl without -H: read the body as JSON anyway
    media = content_type.split(";", 1)[0].strip().lower()
    if media in JSON_TYPES or (media.startswith("application/") and media.endswith("+json")):
        return None
    return error_outcome(415, "UnsupportedMediaType",
                         f"send the body as application/json, not {media or 'nothing'}")


class ComputeService:
    """Runs /api/graph and /api/export requests, inline or in a worker process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = ComputePool(settings)

    async def graph(self, raw: bytes, content_type: str | None) -> Outcome:
        """The answer to POST /api/graph."""
        refused = _content_type_outcome(content_type)
        if refused is not None:
            return refused
        settings = self.settings
        if len(raw) <= settings.inline_max_body_bytes:
            request = parse_graph_request(raw)
            if isinstance(request, Outcome):
                return request
            if is_small(request, settings):
                return graph_outcome(request, settings)
        return await self.pool.run(Job("graph", raw, "dot", settings))

    async def export(self, raw: bytes, content_type: str | None, fmt: ExportFormat) -> Outcome:
        """The answer to POST /api/export: always in a worker (Graphviz may take a while)."""
        refused = _content_type_outcome(content_type)
        if refused is not None:
            return refused
        if len(raw) <= self.settings.inline_max_body_bytes:
            request = parse_graph_request(raw)  # refuse a bad body without a worker
            if isinstance(request, Outcome):
                return request
        return await self.pool.run(Job("export", raw, fmt, self.settings))

    def close(self) -> None:
        """Stop the worker processes."""
        self.pool.close()
