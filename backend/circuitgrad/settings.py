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
    # A classifier's training loop may take longer: the CS231n two-layer network's 10,000
    # full-batch steps take 2-5 s here. It stops itself at this budget and answers what it
    # has (stopped_early); its request's hard budget adds request_cpu_seconds for the rest.
    training_seconds: float = 10.0
    max_optimize_steps: int = 10_000  # steps of one optimization or training run
    max_hidden_units: int = 1_000  # width of the two-layer network's hidden layer
    max_batch_size: int = 4_096
    max_dataset_points: int = 5_000
    max_grid_size: int = 200
    max_gradcheck_elements: int = 2_000  # input elements one gradient check may perturb
    max_trajectory_numbers: int = 200_000  # numbers in one optimization's trajectory
    cors_origins: str = ""  # comma-separated; empty means no CORS
    # ---- the HTTP service (api/) ----
    inline_max_source_length: int = 64  # scalar-only requests this short run on the event loop
    inline_max_body_bytes: int = 4_096  # bodies parsed on the event loop; larger ones in a worker
    compute_processes: int = 2  # worker processes per server process for heavier requests
    max_pending_computations: int = 64  # requests waiting for a worker before answering 429
    max_queue_seconds: float = 10.0  # longest wait for a worker before answering 429
    max_response_elements: int = 2_000_000  # numbers in one response (values, grads, wires)
    max_response_bytes: int = 16_000_000  # bytes of one answer's body (larger: 413)
    max_warning_names: int = 20  # names of unused values echoed in `warnings`; the rest counted
    worker_memory_bytes: int = 500_000_000  # address space of a compute process and its `dot`
    # ---- the connection (uvicorn); a reverse proxy in front bounds these too (deploy/) ----
    max_header_bytes: int = 16_384  # request line and headers (larger: 431)
    header_timeout_seconds: float = 10.0  # to receive a request's line and headers
    body_timeout_seconds: float = 30.0  # to receive a request's body, once its headers are in
    keep_alive_seconds: int = 5  # an idle connection between requests is closed after this
    max_connections: int = 1_000  # open connections per server process; more are closed
    frontend_dir: str = ""  # the page's directory; empty means the packaged or repo frontend/

    def client_limits(self) -> dict[str, int | float]:
        """The limits a client should know before it sends a request (GET /api/meta)."""
        return {name: getattr(self, name) for name in CLIENT_LIMITS}

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


CLIENT_LIMITS = (
    "max_source_length", "max_nodes", "max_tensor_elements", "max_total_elements",
    "max_nesting", "max_body_bytes", "max_response_bytes", "max_response_elements",
    "request_cpu_seconds", "max_optimize_steps", "max_batch_size", "max_dataset_points",
    "max_grid_size", "max_gradcheck_elements", "max_trajectory_numbers", "training_seconds",
    "max_hidden_units",
)

DEFAULT_SETTINGS = Settings()
