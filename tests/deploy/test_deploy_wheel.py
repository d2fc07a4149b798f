"""The wheel carries the page and its npm assets; the installed package finds them."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import as_unprivileged
from .replay import REPO, ReplayedImage

PAGE_PREFIX = "circuitgrad/frontend/"
# frontend/ entries that stay out of the wheel: npm's inputs and outputs, and the vendoring script
NOT_SHIPPED = {"node_modules", "package.json", "package-lock.json", "scripts"}


def _shipped_parts() -> tuple[str, ...]:
    """PAGE_PARTS of hatch_build.py (read, not imported: hatchling lives in pip's build env)."""
    tree = ast.parse((REPO / "hatch_build.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGE_PARTS":
            return tuple(ast.literal_eval(node.value))
    raise AssertionError("hatch_build.py has no PAGE_PARTS")


def test_the_wheel_contains_the_page_and_its_assets(image: ReplayedImage) -> None:
    with zipfile.ZipFile(image.wheel) as wheel:
        names = set(wheel.namelist())
        viz = wheel.read(PAGE_PREFIX + "vendor/viz.js")
    page = {name.removeprefix(PAGE_PREFIX) for name in names if name.startswith(PAGE_PREFIX)}
    expected = {"index.html"} | {
        path.relative_to(REPO / "frontend").as_posix()
        for folder in ("css", "js") for path in (REPO / "frontend" / folder).rglob("*")
        if path.is_file()
    }
    assert expected <= page, f"missing from the wheel: {sorted(expected - page)}"
    assert "vendor/viz.js" in page
    assert b"WebAssembly" in viz and len(viz) > 500_000, "the Graphviz WASM build, whole"
    extra = {name for name in page if name.split("/")[0] not in {"index.html", "css", "js",
                                                               "vendor"}}
    assert not extra, f"not page files: {sorted(extra)}"
    assert not any("node_modules" in name or name.startswith("tests/") or "/test" in name
                   for name in names), "no node_modules or tests in the wheel"


def test_every_part_of_frontend_is_shipped_or_known_not_to_be() -> None:
    shipped = set(_shipped_parts())
    present = {path.name for path in (REPO / "frontend").iterdir()} - {"vendor"}
    unknown = present - shipped - NOT_SHIPPED
    assert not unknown, (
        f"frontend/{sorted(unknown)} is neither shipped nor excluded: add it to PAGE_PARTS in "
        "hatch_build.py (and to the Dockerfile's COPY lines and .dockerignore), or to "
        "NOT_SHIPPED here")


def test_the_installed_package_serves_its_own_page(image: ReplayedImage) -> None:
    probe = (
        "import circuitgrad, pathlib\n"
        "from circuitgrad.api.pages import frontend_dir\n"
        "from circuitgrad.settings import Settings\n"
        "print(pathlib.Path(circuitgrad.__file__).parent)\n"
        "print(frontend_dir(Settings.from_env()))\n"
    )
    done = subprocess.run([str(image.python), "-c", probe], cwd=image.workdir, env=image.env,
                          capture_output=True, text=True, check=True, timeout=60,
                          **as_unprivileged())
    package, frontend = done.stdout.split()
    assert package.startswith(str(image.venv)), "imported from the virtualenv, not the source"
    assert frontend == f"{package}/frontend"


def test_the_image_has_only_runtime_dependencies(image: ReplayedImage) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(image.python), "list",
                           "--format=json"], capture_output=True, text=True, check=True)
    installed = {item["name"].lower() for item in json.loads(done.stdout)}
    assert "circuitgrad" in installed
    dev_only = {"pytest", "hypothesis", "ruff", "mypy", "playwright", "schemathesis", "httpx",
                "hatchling", "pip"}
    assert not installed & dev_only


def test_a_wheel_without_the_vendored_assets_fails_loudly(tmp_path: Path) -> None:
    for name in ("pyproject.toml", "README.md", "hatch_build.py"):
        shutil.copy2(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "backend" / "circuitgrad", tmp_path / "backend" / "circuitgrad",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("css", "js"):
        shutil.copytree(REPO / "frontend" / part, tmp_path / "frontend" / part)
    shutil.copy2(REPO / "frontend" / "index.html", tmp_path / "frontend" / "index.html")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                           "--wheel-dir", str(tmp_path / "dist"), str(tmp_path)],
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode != 0
    assert "frontend/vendor/viz.js" in done.stdout + done.stderr
    assert "make frontend" in done.stdout + done.stderr
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())
