"""Pydantic models of POST /api/inputs: an expression in, the inputs it needs out."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from ..lang import DEFAULT_LANG, Lang
from .schemas import InputValue

Size = Annotated[StrictInt, Field(ge=1)]


class InputsRequest(BaseModel):
    """An expression, and optionally the shapes of the values a client already has."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"expression": "sum(W@x)", "shapes": {"W": [3, 2]}}})

    expression: StrictStr = Field(description="A program in circuitgrad's language.")
    shapes: dict[str, list[Size]] = Field(
        default_factory=dict,
        description="The shape of each value the client has (`[]` for a number), tried in "
                    "the order given (put the one just edited first): each is kept where it "
                    "fits the circuit beside those tried before it.")
    lang: Lang = Field(DEFAULT_LANG, description="The language of hints and error messages.")


class HintOut(BaseModel):
    """An input the learner probably did not mean: `w0x0` for `w0*x0`."""

    code: str = Field(description="joined_name, function_case_input or constant_case.")
    input: str
    suggestion: str
    parts: list[str]
    message: str


class InputOut(BaseModel):
    """One input of the expression, as a client needs it to build a field."""

    name: str
    shape: list[int | None] | None = Field(
        description="What the circuit requires: a size per dimension, null where it is "
                    "free; null when even the rank is free ([] is a scalar).")
    labels: bool = Field(description="Holds class indices for a loss.")
    default: InputValue = Field(
        description="A small value; all the defaults together evaluate.")
    fits: bool | None = Field(
        description="Whether the shape given for it fits (null: none was given).")
    hint: HintOut | None = None


class InputsResponse(BaseModel):
    """The inputs in the order they first appear in the expression."""

    inputs: list[InputOut]


def inputs_body(infos: list[Any], lang: Lang) -> dict[str, Any]:
    """The answer's JSON from `infer_inputs`'s list."""
    return {"inputs": [info.to_dict(lang) for info in infos]}
