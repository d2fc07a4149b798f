"""Pydantic models of the API's requests and responses: the OpenAPI document's source.

Input values are checked by the engine, not here: its messages name the input and point at
it in the expression ("the value of 'x' must be a number, got a boolean"), which pydantic's
union errors cannot. The models therefore accept any JSON for a value and *document* it as a
number or a nested list through the `InputValue` schema added to the OpenAPI components.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, WithJsonSchema

from ..lang import DEFAULT_LANG, Lang

COMPONENTS = "#/components/schemas/"

# Recursive JSON schemas that pydantic cannot express for an `Any` field: registered by
# app.py under these names in the OpenAPI components.
VALUE_SCHEMAS: dict[str, dict[str, Any]] = {
    "InputValue": {
        "title": "InputValue",
        "description": "A number, or a nested list of numbers with rows of equal length.",
        "anyOf": [
            {"type": "number"},
            {"type": "array", "items": {"$ref": COMPONENTS + "InputValue"}},
        ],
    },
    "OutputValue": {
        "title": "OutputValue",
        "description": 'A number, "NaN", "Infinity", "-Infinity", or a nested list of them.',
        "anyOf": [
            {"type": "number"},
            {"type": "string", "enum": ["NaN", "Infinity", "-Infinity"]},
            {"type": "array", "items": {"$ref": COMPONENTS + "OutputValue"}},
        ],
    },
}

# NOTE: wrapped in anyOf, since pydantic resolves a bare "$ref" that has sibling keys.
InputValue = Annotated[Any, WithJsonSchema({"anyOf": [{"$ref": COMPONENTS + "InputValue"}]})]
OutputValue = Annotated[Any, WithJsonSchema({"anyOf": [{"$ref": COMPONENTS + "OutputValue"}]})]
MaybeOutputValue = Annotated[Any, WithJsonSchema(
    {"anyOf": [{"$ref": COMPONENTS + "OutputValue"}, {"type": "null"}]})]


# ---- requests ----

class GraphRequest(BaseModel):
    """An expression and a value for each of its inputs (the body of /api/graph and
    /api/export)."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"expression": "(x+y)*z",
                                       "values": {"x": -2, "y": 5, "z": -4}}})

    expression: StrictStr = Field(description="A program in circuitgrad's language.")
    values: dict[str, InputValue] = Field(
        default_factory=dict, description="A number or nested list for every input name.")
    expand: StrictBool = Field(False, description="Draw composites as their primitive gates.")
    seed_grad: InputValue = Field(
        None, description="The gradient fed into the output; default 1 (or ones).")
    lang: Lang = Field(DEFAULT_LANG, description="The language of the step texts: "
                       '"en" or "zh-CN" (简体中文).')
    code: StrictBool = Field(
        False, description="Also answer `code`: the forward and backward pass as staged "
        "Python/numpy, each line with the step it belongs to (/api/graph only).")
    dot: StrictBool = Field(
        True, description="Answer `dot`, the diagram laid out (/api/graph only). A client "
        "that keeps its drawing while only the numbers change (an input scrubbed with a "
        "slider) sets it false and saves the layout's time.")


class ExportQuery(BaseModel):
    """The query of /api/export."""

    format: Literal["dot", "svg", "png"] = Field("svg", description="The file to make.")


# ---- responses ----

class NodeOut(BaseModel):
    """One node of the circuit: an input, a constant or a gate."""

    model_config = ConfigDict(extra="allow")

    id: str
    op: str
    label: str
    inputs: list[str]
    value: OutputValue
    grad: MaybeOutputValue
    shape: list[int]


class EdgeOut(BaseModel):
    """One wire: its source's value and the gradient flowing back along it alone."""

    model_config = ConfigDict(extra="allow")

    id: str
    source: str
    target: str
    value: OutputValue
    grad: MaybeOutputValue


class StepOut(BaseModel):
    """One step of the forward or backward pass: its text and LaTeX with the numbers filled
    in, and its parts as data (a number where it is a scalar, else null)."""

    model_config = ConfigDict(extra="allow")

    phase: Literal["forward", "backward"]
    node: str
    text: str
    latex: str = Field(description="The step's formula line as LaTeX.")
    operands: dict[str, MaybeOutputValue] | None = Field(
        None, description="Forward: each input wire's id -> the operand it carries.")
    result: MaybeOutputValue = Field(None, description="Forward: the node's value.")
    upstream: MaybeOutputValue = Field(
        None, description="Backward: the gradient arriving at the node's output (the seed for "
        "the output node, else the sum of its outgoing wires' grad); null where none flows.")
    locals: dict[str, MaybeOutputValue] | None = Field(
        None, description="Backward: each input wire that carries a gradient -> its local "
        "gradient; the wire's grad is local × upstream.")
    fanout: list[str] | None = Field(
        None, description="Backward: the outgoing wires whose grads sum to this node's.")
    words: dict[str, Any] | None = Field(
        None, description="The parts `text` is made of, in `lang`, for a client that words "
        "a question or a hint itself (docs/steps.md): a gate's forward step its `gate`, "
        "`formula` and `numbers`; a backward step the output's name `f`, the gate's `gate`, "
        "`pattern` and `pattern_name`, per input wire its `local` rule, `local_numbers` and "
        "`product` (local × upstream), and for a fan-out the `terms` of its sum.")


class GraphResponse(BaseModel):
    """The circuit after its forward and backward pass, and its diagram as DOT."""

    model_config = ConfigDict(extra="allow")

    value: OutputValue
    gradients: dict[str, MaybeOutputValue]
    output: str
    output_name: str = Field(
        "f", description="What the steps and the diagram call the output: its own name (q in "
        "`q = x + y`), else f, or, when an input or intermediate is already called f, the "
        "first of out, F, result (then f1, f2, ...) that nothing uses.")
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    steps: list[StepOut]
    warnings: list[str]
    dot: str | None = Field(None, description="The diagram as Graphviz DOT with the server's "
                            "layout in it; absent when the request set `dot` false.")
    latex: str = Field("", description="The program as LaTeX, one line per named statement.")


class ValidationIssue(BaseModel):
    """One problem found while validating a request (as FastAPI lists them)."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str


class ErrorDetail(BaseModel):
    """What went wrong and where: `position` is a 0-based offset into the expression."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="The class of problem: ParseError, ValidationError, ...")
    code: str = Field(description="A stable identifier of the problem, for clients to word "
                                  "it in their own language.")
    message: str
    params: dict[str, Any] = Field(description="The names and numbers the message is made of.")
    position: int | None = None
    line: int | None = None
    column: int | None = None
    input: str | None = Field(
        None, description="The input whose value is at fault, when it is a value's fault.")
    errors: list[ValidationIssue] | None = Field(
        None, description="A ValidationError's every problem (the first is in `message`).")


class ErrorResponse(BaseModel):
    """Every error the service answers, whatever the route and the status."""

    detail: ErrorDetail


class Example(BaseModel):
    """A built-in example: what to type, the values to start from, and what it teaches."""

    model_config = ConfigDict(extra="allow")

    id: str
    title: str
    lesson: str
    expression: str
    values: dict[str, InputValue]
    expand: bool
    hints: dict[str, list[int]] = Field(
        default_factory=dict, description="The shape of each tensor input, for the page.")


class Health(BaseModel):
    """Liveness."""

    status: Literal["ok"]


class Version(BaseModel):
    """What is running."""

    name: str
    version: str
    graphviz: bool = Field(description="Whether SVG and PNG exports can be drawn.")


class Meta(BaseModel):
    """The lists a client shares with the server, so that it keeps no copies of its own."""

    model_config = ConfigDict(extra="allow")

    version: str
    languages: list[str] = Field(description="Every `lang` the texts and messages come in.")
    functions: list[str] = Field(description="The function names of the language.")
    constants: list[str] = Field(description="The named constants of the language.")
    optimizer_methods: list[str] = Field(description="POST /api/optimize's `method`s.")
    verdicts: list[str] = Field(description="POST /api/gradcheck's verdicts, best first.")
    datasets: list[str] = Field(description="POST /api/classifier's `dataset`s.")
    losses: list[str] = Field(description="POST /api/classifier's `loss`es.")
    models: list[str] = Field(description="POST /api/classifier's `model`s.")
    limits: dict[str, float] = Field(
        description="The limits a request must keep, by their setting's name.")


EXTRA_COMPONENT_MODELS: tuple[type[BaseModel], ...] = (GraphRequest, ErrorResponse)
