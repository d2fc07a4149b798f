"""Every limit and default in one frozen object, overridable from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Settings:
    """Limits that keep one request cheap; the API and the engine read them from here."""

    max_source_length: int = 200_000  # characters of expression text
    max_nodes: int = 50_000  # nodes in one circuit
    max_tensor_elements: int = 1_000_000  # elements in any one input or intermediate
    max_total_elements: int = 4_000_000  # elements summed over every node of a circuit
    max_nesting: int = 10_000  # depth of parentheses and function calls
    max_body_bytes: int = 2_000_000  # HTTP request body
    request_cpu_seconds: float = 5.0  # wall-clock budget of one API computation
    max_optimize_steps: int = 5_000
    max_batch_size: int = 4_096
    max_dataset_points: int = 5_000
    max_grid_size: int = 200
    cors_origins: str = ""  # comma-separated; empty means no CORS

    @classmethod
    def from_env(cls, prefix: str = "CIRCUITGRAD_") -> Settings:
        """Defaults, each overridden by PREFIX + its upper-case name when that is set."""
        overrides: dict[str, object] = {}
        for field in fields(cls):
            raw = os.environ.get(prefix + field.name.upper())
            if raw is None:
                continue
            default = field.default
            if isinstance(default, bool):
                overrides[field.name] = raw.strip().lower() in {"1", "true", "yes", "on"}
            elif isinstance(default, int):
                overrides[field.name] = int(raw)
            elif isinstance(default, float):
                overrides[field.name] = float(raw)
            else:
                overrides[field.name] = raw
        return cls(**overrides)  # type: ignore[arg-type]


DEFAULT_SETTINGS = Settings()
