"""The page: `frontend/` served at `/`, or a placeholder when it is not there.

Only what the page needs is exposed (index.html, js/, css/, vendor/): never the directory
as a whole, which in a checkout also holds node_modules/, package.json and scripts/.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.staticfiles import StaticFiles

import circuitgrad

from ..settings import Settings

ASSET_DIRS = ("js", "css", "vendor")

# The page's modules, stylesheets and KaTeX's fonts must carry these types, whatever the host's
# /etc/mime.types says (a browser refuses a module served as text/plain).
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("application/json", ".map")
mimetypes.add_type("text/css", ".css")
mimetypes.add_type("image/svg+xml", ".svg")

PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>circuitgrad</title></head>
<body><h1>circuitgrad</h1>
<p>The page is not installed here. The API is: see <a href="/docs">/docs</a>.</p>
</body></html>
"""


def frontend_dir(settings: Settings) -> Path | None:
    """Where the page lives: the setting, else inside the installed package (a wheel), else
    the repository's frontend/ (an editable install); None when none has an index.html."""
    package = Path(circuitgrad.__file__).resolve().parent
    candidates = [Path(settings.frontend_dir)] if settings.frontend_dir else [
        package / "frontend", package.parent.parent / "frontend"]
    for candidate in candidates:
        if (candidate / "index.html").is_file():
            return candidate
    return None


def mount_page(app: FastAPI, settings: Settings) -> None:
    """Serve the page at `/` and its assets under /js, /css and /vendor."""
    root = frontend_dir(settings)
    router = APIRouter(include_in_schema=False)

    @router.get("/", response_model=None)
    @router.get("/index.html", response_model=None)
    async def page() -> Response:
        if root is None:
            return HTMLResponse(PLACEHOLDER)
        # no-cache: the page revalidates, so a new version shows at the next load
        return FileResponse(root / "index.html", headers={"Cache-Control": "no-cache"})

    app.include_router(router)
    if root is None:
        return
    for name in ASSET_DIRS:
        directory = root / name
        if directory.is_dir():
            app.mount(f"/{name}", StaticFiles(directory=directory), name=f"page-{name}")
