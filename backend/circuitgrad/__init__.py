"""circuitgrad: see backpropagation as a CS231n circuit, gate by gate."""

from .errors import (
    ArityError,
    CircuitError,
    InputError,
    LimitError,
    NameResolutionError,
    ParseError,
    ShapeError,
)
from .result import Result, evaluate
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "ArityError",
    "CircuitError",
    "InputError",
    "LimitError",
    "NameResolutionError",
    "ParseError",
    "Result",
    "Settings",
    "ShapeError",
    "__version__",
    "evaluate",
]
