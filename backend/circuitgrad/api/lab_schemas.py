"""Pydantic models of the lab's requests and responses: gradcheck, optimize, classifier.

Bounds that come from settings (steps, batch size, points, grid, elements) are checked by
the core with the app's settings, not here, so one environment variable moves them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from ..check import Verdict
from ..classifier import Dataset, Loss
from ..optimize import Method
from .schemas import InputValue, MaybeOutputValue, OutputValue

_STRICT = ConfigDict(strict=True, allow_inf_nan=False, extra="forbid")

# ---- requests ----


class GradcheckRequest(BaseModel):
    """An expression, its values, and the step h of the numerical differences."""

    model_config = ConfigDict(
        strict=True, allow_inf_nan=False, extra="forbid",
        json_schema_extra={"example": {"expression": "3x^2+6x", "values": {"x": 2}}})

    expression: StrictStr = Field(description="A program in circuitgrad's language.")
    values: dict[str, InputValue] = Field(default_factory=dict)
    h: float = Field(1e-5, gt=0, le=1, description="The step of the numerical differences.")
    inputs: list[StrictStr] | None = Field(
        None, description="The inputs to check; default every input that is not labels.")
    wires: bool = Field(False, description="Also estimate the gradient on every scalar wire.")
    expand: bool = False


class OptimizeRequest(BaseModel):
    """Minimise an expression over some of its inputs, the rest held fixed."""

    model_config = ConfigDict(
        strict=True, allow_inf_nan=False, extra="forbid",
        json_schema_extra={"example": {"expression": "3x^2+6x", "values": {"x": 2},
                                       "method": "gradient_descent", "learning_rate": 0.1,
                                       "steps": 20}})

    expression: StrictStr
    values: dict[str, InputValue] = Field(default_factory=dict)
    method: Method = "gradient_descent"
    learning_rate: float = Field(0.1, gt=0, description="For the gradient methods.")
    steps: int = Field(10, ge=0, description="Steps after the start (bounded by settings).")
    optimize: list[StrictStr] | None = Field(
        None, description="The inputs to change; default every input that is not labels.")
    seed: int = Field(0, ge=0, description="Seeds the random methods.")
    step_size: float = Field(0.1, gt=0, description="Spread of the random methods' guesses.")
    momentum: float = Field(0.9, ge=0, le=0.999, description="μ of the momentum method.")
    expand: bool = False


class ClassifierRequest(BaseModel):
    """Train a linear classifier on a 2-D toy data set; continue from W and b when given."""

    model_config = _STRICT

    dataset: Dataset = "blobs"
    points: int = Field(300, ge=3, description="Points in all (bounded by settings).")
    seed: int = Field(0, ge=0)
    loss: Loss = "softmax"
    reg: float = Field(1e-3, ge=0, description="λ of the regularization λ·sum(W*W).")
    learning_rate: float = Field(1.0, gt=0)
    batch_size: int | None = Field(None, ge=1, description="Default: the whole data set.")
    steps: int = Field(100, ge=0)
    W: InputValue = Field(None, description="Start from these weights, shape (2, 3).")
    b: InputValue = Field(None, description="Start from these biases, shape (3,).")
    start_step: int = Field(0, ge=0, description="Where a continued run left off.")
    grid: int = Field(50, ge=0, description="Cells per side of the decision-region grid.")
    include_data: bool = Field(True, description="Send the points back too.")


# ---- responses ----


class InputCheckOut(BaseModel):
    """One input's gradient three ways, with the relative errors and the verdict."""

    model_config = ConfigDict(extra="allow")

    name: str
    node: str
    shape: list[int]
    analytic: OutputValue
    forward: OutputValue
    centered: OutputValue
    forward_error: OutputValue
    centered_error: OutputValue
    verdict: Verdict
    message: str


class GradcheckResponse(BaseModel):
    """The check of every chosen input, kinks near the point, and what it cost."""

    model_config = ConfigDict(extra="allow")

    value: OutputValue
    h: float
    verdict: Verdict
    inputs: list[InputCheckOut]
    kinks: list[dict[str, Any]]
    wires: list[dict[str, Any]]
    evaluations: dict[str, int]
    warnings: list[str]


class TrajectoryEntry(BaseModel):
    """The point after one step (step 0 is the start)."""

    model_config = ConfigDict(extra="allow")

    step: int
    loss: OutputValue
    values: dict[str, OutputValue]
    grad_norm: MaybeOutputValue
    evaluations: int


class OptimizeResponse(BaseModel):
    """The trajectory, the forward evaluations used, and where the loss ran away if it did."""

    model_config = ConfigDict(extra="allow")

    method: str
    optimize: list[str]
    trajectory: list[TrajectoryEntry]
    evaluations: int
    gradient_evaluations: int
    diverged_at: int | None
    stopped_early: bool
    warnings: list[str]


class ClassifierResponse(BaseModel):
    """The trained weights, the loss curve, accuracy and the decision-region grid."""

    model_config = ConfigDict(extra="allow")

    dataset: str
    expression: str
    W: OutputValue
    b: OutputValue
    loss_curve: list[dict[str, Any]]
    start_step: int
    end_step: int
    accuracy: float
    loss: OutputValue
    grid: dict[str, Any] | None
    diverged_at: int | None
    stopped_early: bool
