"""What every answer is made of: strict JSON bytes, and the `Outcome` a computation returns.

(No web framework imported here: compute workers import this module.)

Starlette's JSONResponse raises on NaN/Infinity after the handler has succeeded, which turns
a legitimate result like `log(0)` into a 500. `Result.to_dict()` already writes non-finite
numbers as the strings "NaN", "Infinity" and "-Infinity"; the encoder does the same for any
float that slips through, so the output is always strict JSON (RFC 8259).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic_core import PydanticSerializationError, to_json

from ..error_words import render_message
from ..lang import Lang

JSON_MEDIA_TYPE = "application/json"


def json_bytes(content: Any) -> bytes:
    """Strict JSON (UTF-8, compact); unknown objects are written as their str()."""
    # NOTE: pydantic-core's encoder is ~8x faster than json.dumps on a typical result and
    # writes non-finite floats as the very strings the API spec asks for.
    try:
        return to_json(content, inf_nan_mode="strings", fallback=str)
    except PydanticSerializationError:
        # A lone surrogate (JSON allows "\ud800" in a name the client sent, which a warning
        # or an error message then echoes) has no UTF-8 form: write it escaped instead.
        return to_json(_without_surrogates(content), inf_nan_mode="strings", fallback=str)


def ready_json_bytes(content: Any) -> bytes:
    """`json_bytes` for content whose numbers are JSON-ready already: every float finite and
    never -0.0, non-finite numbers written as strings (what `Result.to_dict()` makes).

    NOTE: orjson writes such content about 4x faster than pydantic-core, but it would write a
    stray NaN or infinity as null, so it is only for content made JSON-ready on purpose."""
    try:
        return orjson.dumps(content)
    except (orjson.JSONEncodeError, TypeError):  # a lone surrogate, or an unexpected type
        return json_bytes(content)


def _without_surrogates(content: Any) -> Any:
    """The same JSON-able content with every lone surrogate in a string written as \\udXXX.

    Walks with an explicit stack: tensors may be nested as deep as JSON allows."""
    def fix(value: Any) -> Any:
        if isinstance(value, str):
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        if isinstance(value, dict):
            return {}
        if isinstance(value, list | tuple):
            return []
        return value

    root = fix(content)
    stack: list[tuple[Any, Any]] = []
    if isinstance(content, dict | list | tuple):
        stack.append((content, root))
    while stack:
        source, target = stack.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, value in items:
            copied = fix(value)
            if isinstance(target, dict):
                target[fix(key)] = copied
            else:
                target.append(copied)
            if isinstance(value, dict | list | tuple):
                stack.append((value, copied))
    return root


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a computation answers: a status, a ready body and its type. Picklable, so a
    worker process can send it back as it is."""

    status: int
    body: bytes
    media_type: str = JSON_MEDIA_TYPE
    headers: dict[str, str] = field(default_factory=dict)


def error_detail(kind: str, code: str, message: str, params: dict[str, Any] | None = None
                 ) -> dict[str, Any]:
    """The one shape of every error: `CircuitError.to_dict()`'s, without a position.

    `type` names the class of problem, `code` is a stable identifier a client can word in its
    own language, `params` the names and numbers the message is made of."""
    return {"type": kind, "code": code, "message": message, "params": params or {},
            "position": None, "line": None, "column": None}


def worded_outcome(status: int, kind: str, code: str, params: dict[str, Any], lang: Lang,
                   words: str | None = None, headers: dict[str, str] | None = None) -> Outcome:
    """An error answer worded by the error catalog's entry `words` (by default the code) in
    `lang`: the service's own refusals, in the learner's language like every other error."""
    return error_outcome(status, kind, code, render_message(words or code, params, lang),
                         params, headers)


def error_outcome(status: int, kind: str, code: str, message: str,
                  params: dict[str, Any] | None = None,
                  headers: dict[str, str] | None = None) -> Outcome:
    """An error answer: `{"detail": error_detail(...)}` with this status."""
    return Outcome(status, json_bytes({"detail": error_detail(kind, code, message, params)}),
                   headers=headers or {})
