"""The wheel carries the page and its npm assets; the installed package finds them."""

from __future__ import annotations

import ast
import importlib.util
import json
import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path
from unittest import mock

import pytest

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
        katex = wheel.read(PAGE_PREFIX + "vendor/katex/katex.mjs")
    page = {name.removeprefix(PAGE_PREFIX) for name in names if name.startswith(PAGE_PREFIX)}
    expected = {"index.html"} | {
        path.relative_to(REPO / "frontend").as_posix()
        for folder in ("css", "js") for path in (REPO / "frontend" / folder).rglob("*")
        if path.is_file()
    }
    assert expected <= page, f"missing from the wheel: {sorted(expected - page)}"
    assert "vendor/katex/katex.min.css" in page
    assert any(name.startswith("vendor/katex/fonts/") and name.endswith(".woff2")
               for name in page), "KaTeX's fonts"
    assert b"katex" in katex and len(katex) > 100_000, "KaTeX's ES module, whole"
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


def _load_hook() -> type:
    """hatch_build.PageBuildHook, on a stand-in for hatchling's base class (hatchling itself
    lives only in pip's isolated build environment; the replay's real build uses the real one)."""
    interface = types.ModuleType("hatchling.builders.hooks.plugin.interface")

    class BuildHookInterface:
        def __init__(self, root: str, target_name: str) -> None:
            self.root = root
            self.target_name = target_name

    interface.BuildHookInterface = BuildHookInterface  # type: ignore[attr-defined]
    names = ["hatchling", "hatchling.builders", "hatchling.builders.hooks",
             "hatchling.builders.hooks.plugin"]
    stubs = {name: types.ModuleType(name) for name in names} | {interface.__name__: interface}
    spec = importlib.util.spec_from_file_location("hatch_build", REPO / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(sys.modules, stubs):
        spec.loader.exec_module(module)
    hook: type = module.PageBuildHook
    return hook


def _page_copy(root: Path, with_vendor: bool) -> None:
    for part in ("css", "js"):
        shutil.copytree(REPO / "frontend" / part, root / "frontend" / part)
    shutil.copy2(REPO / "frontend" / "index.html", root / "frontend" / "index.html")
    if with_vendor:
        (root / "frontend" / "vendor").mkdir()
        (root / "frontend" / "vendor" / "katex").mkdir()
        (root / "frontend" / "vendor" / "katex" / "katex.mjs").write_text("// KaTeX")
        (root / "frontend" / "vendor" / "katex" / "katex.min.css").write_text("/* KaTeX */")


def test_a_wheel_without_the_vendored_assets_fails_loudly(tmp_path: Path) -> None:
    _page_copy(tmp_path, with_vendor=False)
    hook = _load_hook()(str(tmp_path), "wheel")
    with pytest.raises(FileNotFoundError, match=r"frontend/vendor/katex/katex\.mjs.*make frontend"):
        hook.initialize("standard", {"force_include": {}})
    # an editable install serves <repo>/frontend and needs no vendor/ to install
    build_data: dict[str, dict[str, str]] = {"force_include": {}}
    hook.initialize("editable", build_data)
    assert build_data == {"force_include": {}}


def test_the_hook_maps_the_page_into_the_package(tmp_path: Path) -> None:
    _page_copy(tmp_path, with_vendor=True)
    build_data: dict[str, dict[str, str]] = {"force_include": {}}
    _load_hook()(str(tmp_path), "wheel").initialize("standard", build_data)
    assert build_data["force_include"] == {
        str(tmp_path / "frontend" / part): f"circuitgrad/frontend/{part}"
        for part in ("index.html", "css", "js", "vendor")
    }
