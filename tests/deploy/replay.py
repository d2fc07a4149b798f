"""Replay the Dockerfile's recipe on this machine, without a Docker engine.

Each stage gets a folder that stands for its filesystem. WORKDIR and COPY (from the build
context after .dockerignore, or from an earlier stage) are carried out in it; RUN lines run
with bash in the stage's working directory, with container paths of bind mounts pointed at the
stage they come from. What cannot run here is checked instead of run:

- `apt-get install` in the runtime stage: the packages are recorded (the tests check that
  Graphviz's `dot` is on this machine, which is what the package brings);
- `groupadd`/`useradd`: the server runs as `nobody` instead (when the tests run as root);
- the runtime stage's Python is a fresh virtualenv of a system Python 3.11 without pip; its
  `python -m pip` runs this machine's pip with `--python` pointing into it.

`--no-cache-dir` is dropped so that pip may reuse this machine's download cache. Any other
RUN line in the runtime stage makes the replay fail, so the recipe and the replay stay in step.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import wheelhouse
from .dockerfile import (
    DockerIgnore,
    Instruction,
    Stage,
    _pattern_regex,
    copy_parts,
    parse_dockerfile,
    parse_env,
)

REPO = Path(__file__).resolve().parents[2]
RUNTIME_STAGE = "runtime"
# The base image's own environment that matters to a Python program (python:*-slim sets these)
BASE_ENV = {"LANG": "C.UTF-8", "PATH": "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}


class ReplayError(AssertionError):
    """The recipe does something the replay cannot reproduce, or a step failed."""


@dataclass
class StageRoot:
    """A stage's stand-in filesystem and working directory."""

    stage: Stage
    root: Path
    workdir: str = "/"

    def host(self, container_path: str) -> Path:
        """Where a container path of this stage lives on this machine."""
        absolute = container_path if container_path.startswith("/") else (
            f"{self.workdir.rstrip('/')}/{container_path}")
        return self.root / absolute.lstrip("/")


@dataclass
class ReplayedImage:
    """What the runtime stage amounts to here: a virtualenv, the user, env, command."""

    root: Path  # everything the replay made; removed by cleanup()
    venv: Path
    workdir: Path  # the empty WORKDIR
    tmp: Path  # stands for the container's /tmp (writable by anyone)
    env: dict[str, str]
    user: str
    entrypoint: list[str]  # an init process on this machine (Debian's tini, as in the image)
    cmd: list[str]
    healthcheck: list[str]
    exposed: list[str]
    apt_packages: list[str]
    wheel: Path
    log: list[str] = field(default_factory=list)

    @property
    def python(self) -> Path:
        """The image's python."""
        return self.venv / "bin" / "python"

    def cleanup(self) -> None:
        """Remove every file the replay made."""
        shutil.rmtree(self.root, ignore_errors=True)


def _run(command: str, cwd: Path, env: dict[str, str], log: list[str]) -> None:
    started = time.monotonic()
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=300)
    log.append(f"$ (cd {cwd}) {command}  # {time.monotonic() - started:.1f} s")
    log.append(done.stdout[-2000:] + done.stderr[-4000:])
    if done.returncode != 0:
        raise ReplayError(f"RUN failed ({done.returncode}): {command}\n" + "\n".join(log[-2:]))


def _copy(ins: Instruction, stage: StageRoot, stages: dict[str, StageRoot],
          context: Path, ignore: DockerIgnore) -> None:
    sources, dest = copy_parts(ins)
    origin = ins.flags.get("from")
    if origin is not None and origin not in stages:
        raise ReplayError(f"line {ins.line}: COPY --from={origin}: no such earlier stage")
    target = stage.host(dest)
    into_dir = dest.endswith("/") or len(sources) > 1
    for source in sources:
        if origin is not None:
            matches = sorted(stages[origin].root.glob(source.lstrip("/").rstrip("/") or "."))
        else:
            visible = ignore.context_files(context)
            pattern = source.strip("/")
            if any(char in pattern for char in "*?["):
                regex = _pattern_regex(pattern)
                matches = [context / name for name in visible if regex.match(name)]
            elif any(name == pattern or name.startswith(pattern + "/") for name in visible):
                matches = [context / pattern]
            else:
                matches = []
        if not matches:
            raise ReplayError(
                f"line {ins.line}: COPY {source}: not in the build context (see .dockerignore)")
        for match in matches:
            if match.is_dir():
                _copy_tree(match, target, context if origin is None else None, ignore)
            else:
                to = target / match.name if into_dir else target
                to.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(match, to)


def _copy_tree(source: Path, target: Path, context: Path | None, ignore: DockerIgnore) -> None:
    """Copy a directory's contents (not the directory itself), as COPY does."""
    for path in sorted(source.rglob("*")):
        if path.is_dir():
            continue
        if context is not None and ignore.excluded(path.relative_to(context).as_posix()):
            continue
        to = target / path.relative_to(source)
        to.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, to)


def world_readable_python() -> Path:
    """A Python 3.11 that an unprivileged user may run (a venv under /root is no use)."""
    candidates = [Path(sys.executable).resolve(), Path(sys._base_executable).resolve()]
    candidates += [Path("/usr/local/bin/python3.11"), Path("/usr/bin/python3.11")]
    found = shutil.which("python3.11")
    if found:
        candidates.append(Path(found).resolve())
    for candidate in candidates:
        if not candidate.is_file():
            continue
        if os.geteuid() != 0:
            return candidate
        real = candidate.resolve()
        chain = [real, *real.parents]
        if all(p.stat().st_mode & 0o001 for p in chain if p != Path("/")) and not str(
                real).startswith("/root/"):
            version = subprocess.run([str(real), "-c", "import sys; print(sys.version_info[:2])"],
                                     capture_output=True, text=True, check=True).stdout
            if version.strip() == "(3, 11)":
                return real
    raise ReplayError("no Python 3.11 that user nobody may run (install Debian's python3.11 "
                      "and python3.11-venv)")


def replay(dockerfile: Path = REPO / "Dockerfile", context: Path = REPO) -> ReplayedImage:
    """Replay every stage of the Dockerfile; the runtime stage becomes a ReplayedImage."""
    stages_list = parse_dockerfile(dockerfile.read_text())
    ignore = DockerIgnore.parse((context / ".dockerignore").read_text())
    top = Path(os.path.realpath(tempfile.mkdtemp(prefix="circuitgrad-image-")))
    top.chmod(0o755)  # the unprivileged server must reach the virtualenv
    log: list[str] = []
    try:
        return _replay(stages_list, ignore, context, top, log)
    except BaseException:
        shutil.rmtree(top, ignore_errors=True)
        raise


def _replay(stages_list: list[Stage], ignore: DockerIgnore, context: Path, top: Path,
            log: list[str]) -> ReplayedImage:
    stages: dict[str, StageRoot] = {}
    host_env = dict(os.environ)
    # the build stages' `python` is this machine's (the one running the tests)
    host_env["PATH"] = f"{Path(sys.executable).parent}:{host_env.get('PATH', '')}"
    for stage in stages_list:
        state = StageRoot(stage, top / stage.name)
        state.root.mkdir()
        stages[stage.name] = state
        if stage.name == RUNTIME_STAGE:
            return _replay_runtime(state, stages, top, log)
        env = dict(host_env)
        for ins in stage.instructions:
            if ins.keyword == "WORKDIR":
                state.workdir = ins.args if ins.args.startswith("/") else (
                    f"{state.workdir.rstrip('/')}/{ins.args}")
                state.host(state.workdir).mkdir(parents=True, exist_ok=True)
            elif ins.keyword == "COPY":
                _copy(ins, state, stages, context, ignore)
            elif ins.keyword == "ENV":
                env.update(parse_env(ins.args))
            elif ins.keyword == "RUN":
                command = _mounted(ins, stages, ins.args).replace(" --no-cache-dir", "")
                _run(command, state.host(state.workdir), env, log)
            elif ins.keyword in {"ARG", "LABEL"}:
                continue
            else:
                raise ReplayError(f"line {ins.line}: the replay cannot do {ins.keyword} "
                                  f"in build stage {stage.name}")
    raise ReplayError(f"the Dockerfile has no stage named {RUNTIME_STAGE!r}")


def _mounted(ins: Instruction, stages: dict[str, StageRoot], command: str) -> str:
    """The command with each bind mount's target path pointed at its stage's folder."""
    for mount in ins.mounts():
        if mount.get("type") != "bind":
            continue  # cache and secret mounts change nothing here
        origin = stages[mount["from"]]
        source = origin.root / mount.get("source", "/").lstrip("/")
        command = command.replace(mount["target"].rstrip("/"), str(source))
    return command


def _replay_runtime(state: StageRoot, stages: dict[str, StageRoot], top: Path,
                    log: list[str]) -> ReplayedImage:
    stage = state.stage
    venv = top / "python"
    subprocess.run([str(world_readable_python()), "-m", "venv", "--without-pip", str(venv)],
                   check=True, capture_output=True)
    tmp = top / "tmp"
    tmp.mkdir()
    tmp.chmod(0o1777)
    env = {**BASE_ENV, "HOME": "/nonexistent"}
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    pip = f"{shlex.quote(sys.executable)} -m pip --python {shlex.quote(str(venv / 'bin/python'))}"
    apt_packages: list[str] = []
    user = "root"
    for ins in stage.instructions:
        if ins.keyword == "RUN":
            command = _mounted(ins, stages, ins.args)
            words = command.split()
            if words[0] == "apt-get":
                apt_packages += _apt_packages(command)
            elif words[0] in {"groupadd", "useradd"}:
                continue  # the replay's server runs as nobody
            elif words[:4] == ["python", "-m", "pip", "install"]:
                offline = _offline(stages, top, log)
                command = command.replace("python -m pip install", f"{pip} install{offline}", 1)
                command = command.replace(" --no-cache-dir", "")
                _run(command, top, {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}, log)
            else:
                raise ReplayError(f"line {ins.line}: the replay does not know how to run "
                                  f"{command!r} in the runtime stage; teach tests/deploy/replay.py")
        elif ins.keyword == "ENV":
            env.update(parse_env(ins.args))
        elif ins.keyword == "WORKDIR":
            state.workdir = ins.args
        elif ins.keyword == "USER":
            user = ins.args
        elif ins.keyword not in {"EXPOSE", "HEALTHCHECK", "CMD", "ENTRYPOINT", "LABEL", "ARG"}:
            raise ReplayError(f"line {ins.line}: the replay cannot do {ins.keyword} at runtime")
    # the container's /tmp is this replay's tmp folder; nothing else in the image is writable
    container_tmp = "/tmp"  # noqa: S108 - a path inside the image, mapped to our own folder
    for name, value in env.items():
        if value == container_tmp or value.startswith(container_tmp + "/"):
            env[name] = str(tmp) + value[len(container_tmp) :]
    env["TMPDIR"] = str(tmp)
    env["PATH"] = f"{venv / 'bin'}:{BASE_ENV['PATH']}"
    workdir = state.host(state.workdir)
    workdir.mkdir(parents=True)
    workdir.chmod(0o555)  # empty and not writable, like a root-owned WORKDIR
    cmd = stage.last("CMD")
    health = stage.last("HEALTHCHECK")
    wheels = sorted(stages["wheel"].root.rglob("circuitgrad-*.whl")) if "wheel" in stages else []
    if cmd is None or cmd.exec_form is None:
        raise ReplayError("the runtime stage needs an exec-form CMD")
    if health is None or health.exec_form is None:
        raise ReplayError("the runtime stage needs an exec-form HEALTHCHECK CMD")
    if len(wheels) != 1:
        raise ReplayError(f"expected one wheel from the build stage, found {wheels}")
    entrypoint = stage.last("ENTRYPOINT")
    if entrypoint is not None and entrypoint.exec_form is None:
        raise ReplayError("the runtime stage's ENTRYPOINT must be in exec form")
    return ReplayedImage(
        root=top, venv=venv, workdir=workdir, tmp=tmp, env=env, user=user,
        entrypoint=entrypoint.exec_form if entrypoint is not None else [],
        cmd=cmd.exec_form, healthcheck=health.exec_form,
        exposed=[word for ins in stage.all("EXPOSE") for word in ins.args.split()],
        apt_packages=apt_packages, wheel=wheels[0], log=log)


def _offline(stages: dict[str, StageRoot], top: Path, log: list[str]) -> str:
    """pip options that take the runtime dependencies from a local wheelhouse when this
    interpreter has them all (see wheelhouse.py), else none (pip asks the index)."""
    wheels = sorted(stages["wheel"].root.rglob("circuitgrad-*.whl"))
    house = top / "wheelhouse"
    missing = wheelhouse.build(wheels[0], house)
    if missing:
        log.append(f"wheelhouse: not installed here, pip asks the index: {missing}")
        return ""
    return f" --no-index --find-links {shlex.quote(str(house))}"


def _apt_packages(command: str) -> list[str]:
    """The packages an `apt-get install` line installs."""
    packages: list[str] = []
    for part in command.split("&&"):
        words = part.split()
        if words[:2] == ["apt-get", "install"]:
            packages += [word for word in words[2:] if not word.startswith("-")]
    return packages
