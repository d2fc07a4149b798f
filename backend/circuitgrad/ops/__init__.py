"""The table of primitives. Importing this package registers every op exactly once."""

from . import composites, elementwise, losses, tensor
from .core import FUNCTIONS, REGISTRY, SCALAR, TENSOR, GateBuilder, Primitive, ShapeMismatch

__all__ = [
    "FUNCTIONS",
    "REGISTRY",
    "SCALAR",
    "TENSOR",
    "GateBuilder",
    "Primitive",
    "ShapeMismatch",
    "composites",
    "elementwise",
    "losses",
    "tensor",
]
