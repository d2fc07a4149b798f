"""Hatch build hook: put the page into the wheel as package data at circuitgrad/frontend/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# What the browser loads; never node_modules/, package.json or scripts/.
PAGE_PARTS = ("index.html", "css", "js", "vendor")
# Files without which the installed page would be broken; vendor/ is made by `npm run vendor`.
REQUIRED_FILES = (
    "index.html", "js/main.js", "css/app.css", "vendor/katex/katex.mjs",
    "vendor/katex/katex.min.css",
)


class PageBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Force-include frontend/ parts into the wheel; refuse to build a wheel without them."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Run before a wheel is built; editable wheels serve <repo>/frontend and skip this."""
        if self.target_name != "wheel" or version == "editable":
            return
        frontend = Path(self.root) / "frontend"
        missing = [name for name in REQUIRED_FILES if not (frontend / name).is_file()]
        if missing:
            listed = ", ".join(f"frontend/{name}" for name in missing)
            raise FileNotFoundError(
                f"circuitgrad wheel: missing {listed}; the installed page would be broken. "
                "Run `make frontend` (cd frontend && npm ci && npm run vendor) first."
            )
        for part in PAGE_PARTS:
            build_data["force_include"][str(frontend / part)] = f"circuitgrad/frontend/{part}"
