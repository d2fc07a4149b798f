"""Pydantic models of the lab's requests and responses: gradcheck, optimize, classifier.

Bounds that come from settings (steps, batch size, points, grid, elements) are checked by
the core with the app's settings, not here, so one environment variable moves them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from ..check import Verdict
from ..classifier import Dataset, Loss, Model
from ..lang import DEFAULT_LANG, Lang
from ..optimize import Method, UnboundedReason
from ..roles import Role
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
    lang: Lang = Field(DEFAULT_LANG, description="The language of error messages and "
                       'warnings: "en" or "zh-CN" (简体中文).')


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
        None, description=(
            "The inputs to change (any but labels); the rest stay fixed. Default: the "
            "parameters. Data are a loss's labels and its examples: the inputs that carry "
            "the examples axis (axis 0) of a loss's scores, followed back through "
            "element-wise gates (not into arguments broadcast over it, like a bias), '@' "
            "(the rows operand), transposes and row-wise gates; for a single example, the "
            "vector of a matrix-vector product. Hyperparameters are the inputs that do not "
            "reach any loss's scores (reg in + reg * sum(W * W)). Parameters are the rest. "
            "So in softmax_loss(X @ W + b, y) + reg * sum(W * W) the default is W and b. "
            "Without a loss every input is a parameter; with no parameter, the examples "
            "move. The answer's `roles` says which is which."))
    seed: int = Field(0, ge=0, description="Seeds the random methods.")
    step_size: float = Field(0.1, gt=0, description="Spread of the random methods' guesses.")
    momentum: float = Field(0.9, ge=0, le=0.999, description="μ of the momentum method.")
    expand: bool = False
    lang: Lang = Field(DEFAULT_LANG, description="The language of error messages and "
                       'warnings: "en" or "zh-CN" (简体中文).')


class ClassifierRequest(BaseModel):
    """Train a classifier on a 2-D toy data set; continue from `params` when given."""

    model_config = _STRICT

    model: Model = Field(
        "linear", description="scores = X@W + b, or a two-layer network: "
        "hidden = relu(X@W1 + b1), scores = hidden@W2 + b2.")
    hidden: int = Field(100, ge=1, description="The two-layer network's hidden units "
                        "(bounded by settings).")
    params: dict[str, InputValue] | None = Field(
        None, description="Continue from these parameters, by name: W and b (linear), or "
        "W1, b1, W2, b2 (two_layer), as the answer's `params` gave them.")
    dataset: Dataset = "blobs"
    points: int = Field(300, ge=3, description="Points in all (bounded by settings).")
    seed: int = Field(0, ge=0)
    loss: Loss = "softmax"
    reg: float = Field(1e-3, ge=0, description="λ of the regularization λ·sum(W*W).")
    learning_rate: float = Field(1.0, gt=0)
    batch_size: int | None = Field(None, ge=1, description="Default: the whole data set.")
    steps: int = Field(100, ge=0)
    W: InputValue = Field(None, description="Linear model: start from these weights, shape "
                          "(2, 3) (or give them in params).")
    b: InputValue = Field(None, description="Linear model: start from these biases, shape "
                          "(3,).")
    start_step: int = Field(0, ge=0, description="Where a continued run left off.")
    grid: int = Field(50, ge=0, description="Cells per side of the decision-region grid.")
    include_data: bool = Field(True, description="Send the points back too.")
    lang: Lang = Field(DEFAULT_LANG, description="The language of error messages and "
                       'warnings: "en" or "zh-CN" (简体中文).')


# ---- responses ----


class NoticeOut(BaseModel):
    """A warning as data: the catalog's code, its params, and the sentence in `lang`."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(description="A stable identifier of the warning (error_catalog.py).")
    params: dict[str, Any] = Field(description="The names and numbers it is made of; the "
                                   "same in every language.")
    message: str = Field(description="The warning in the request's `lang` (as in `warnings`).")


_WARNINGS = "Things to know about the run, as sentences in the request's `lang`."
_NOTICES = "The same warnings as data, in the same order: {code, params, message}."


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
    forward_verdicts: Any = Field(description="Each element's verdict, in the input's shape.")
    centered_verdicts: Any = Field(description="Each element's verdict, in the input's shape.")
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
    warnings: list[str] = Field(description=_WARNINGS)
    notices: list[NoticeOut] = Field(description=_NOTICES)


class TrajectoryEntry(BaseModel):
    """The point after one step (step 0 is the start)."""

    model_config = ConfigDict(extra="allow")

    step: int
    loss: OutputValue
    values: dict[str, OutputValue]
    grad_norm: MaybeOutputValue
    evaluations: int


class InputRole(BaseModel):
    """An input and its role: `parameter`, `hyperparameter`, or data (`examples`,
    `labels`)."""

    name: str
    role: Role


class UnboundedEvidence(BaseModel):
    """Why the run says the loss has no minimum: the stretch of the run that shows it."""

    model_config = ConfigDict(extra="allow")

    reason: UnboundedReason = Field(
        description="still_falling: over the run's second half the loss never rose, did not "
        "slow down, fell by more than max(|loss|, 1), while the gradient did not shrink; "
        "minus_infinity: the loss reached -Infinity.")
    from_step: int
    to_step: int
    loss_from: OutputValue
    loss_to: OutputValue


class OptimizeResponse(BaseModel):
    """The trajectory, the forward evaluations used, and where the loss ran away if it did."""

    model_config = ConfigDict(extra="allow")

    method: str
    optimize: list[str] = Field(description="The inputs that moved.")
    roles: list[InputRole] = Field(description="Every input's role, in order of appearance.")
    unbounded: bool = Field(description="The run shows the loss falling without bound.")
    unbounded_evidence: UnboundedEvidence | None
    trajectory: list[TrajectoryEntry]
    evaluations: int
    gradient_evaluations: int
    diverged_at: int | None
    stopped_early: bool
    warnings: list[str] = Field(description=_WARNINGS)
    notices: list[NoticeOut] = Field(description=_NOTICES)


class ClassifierResponse(BaseModel):
    """The trained weights, the loss curve, accuracy and the decision-region grid."""

    model_config = ConfigDict(extra="allow")

    dataset: str
    model: Model
    hidden: int | None = Field(description="The hidden layer's width (two_layer only).")
    expression: str
    params: dict[str, OutputValue] = Field(description="The trained parameters by name.")
    W: MaybeOutputValue = Field(description="The linear model's W (also in params).")
    b: MaybeOutputValue = Field(description="The linear model's b (also in params).")
    loss_curve: list[dict[str, Any]]
    start_step: int
    end_step: int
    accuracy: float
    loss: OutputValue
    grid: dict[str, Any] | None
    diverged_at: int | None = Field(
        description="The step whose loss was not finite or above 100 × max(1, the run's "
        "first loss): the learning rate is too large. The run stops there.")
    stopped_early: bool = Field(
        description="The training budget ran out first; continue from `params`.")
    warnings: list[str] = Field(description=_WARNINGS)
    notices: list[NoticeOut] = Field(description=_NOTICES)
