"""Read a Dockerfile and a .dockerignore the way Docker does, as far as this repository needs.

Enough of the format for tests/deploy/ to lint the recipe and replay it without an engine:
line continuations, comments, exec (JSON) and shell forms, `--flag=value` options, stages
named with `AS`, ENV pairs, and the .dockerignore rules (`*`, `**`, `!exceptions`, last match
wins, a directory's rule covers what is inside it).
"""

from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Instruction:
    """One instruction: its keyword, `--name=value` options, and its arguments."""

    keyword: str  # upper case: FROM, RUN, COPY...
    flags: dict[str, str]
    args: str  # the rest of the line, continuations joined, options removed
    line: int  # 1-based line where it starts

    @property
    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD, else None."""
        text = self.args
        if self.keyword == "HEALTHCHECK":
            if not text.startswith("CMD"):
                return None
            text = text[len("CMD") :].strip()
        if not text.startswith("["):
            return None
        value = json.loads(text)
        assert isinstance(value, list) and all(isinstance(part, str) for part in value)
        return value

    def mounts(self) -> list[dict[str, str]]:
        """RUN --mount options as dictionaries (type, from, source, target...)."""
        found = []
        for raw in self.flags.get("mount", "").split("\n"):
            if raw:
                found.append(dict(part.split("=", 1) for part in raw.split(",")))
        return found


@dataclass
class Stage:
    """A build stage: FROM image AS name, then its instructions."""

    image: str
    name: str
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        """Every instruction with that keyword, in order."""
        return [ins for ins in self.instructions if ins.keyword == keyword]

    def last(self, keyword: str) -> Instruction | None:
        """The instruction with that keyword that takes effect (the last one), if any."""
        found = self.all(keyword)
        return found[-1] if found else None

    def env(self) -> dict[str, str]:
        """The ENV variables this stage sets, in order (later ones win)."""
        values: dict[str, str] = {}
        for ins in self.all("ENV"):
            values.update(parse_env(ins.args))
        return values


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of each instruction: comments dropped, continuations joined."""
    lines: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not current):
            continue  # a comment, also inside a continuation, as Docker reads it
        if not current:
            start = number
        if stripped.endswith("\\"):
            current.append(stripped[:-1].strip())
            continue
        current.append(stripped)
        lines.append((start, " ".join(part for part in current if part)))
        current = []
    if current:
        lines.append((start, " ".join(current)))
    return lines


def parse_instruction(number: int, text: str) -> Instruction:
    """One logical line as an Instruction."""
    keyword, _, rest = text.partition(" ")
    flags: dict[str, str] = {}
    rest = rest.strip()
    while rest.startswith("--"):
        option, _, rest = rest.partition(" ")
        name, _, value = option[2:].partition("=")
        # RUN may carry several --mount options: keep them all, one per line
        flags[name] = f"{flags[name]}\n{value}" if name in flags else value
        rest = rest.strip()
    return Instruction(keyword.upper(), flags, rest, number)


def parse_dockerfile(text: str) -> list[Stage]:
    """The stages of a Dockerfile, each with its instructions."""
    stages: list[Stage] = []
    for number, line in logical_lines(text):
        ins = parse_instruction(number, line)
        if ins.keyword == "FROM":
            words = ins.args.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else str(len(stages))
            stages.append(Stage(image=words[0], name=name))
        elif not stages:
            if ins.keyword != "ARG":
                raise ValueError(f"line {number}: {ins.keyword} before the first FROM")
        else:
            stages[-1].instructions.append(ins)
    return stages


def parse_env(args: str) -> dict[str, str]:
    """ENV's `KEY=value KEY2="two words"` (or the legacy `KEY value`) as a dictionary."""
    words = shlex.split(args)
    if words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    return dict(word.split("=", 1) for word in words)


def copy_parts(ins: Instruction) -> tuple[list[str], str]:
    """COPY's sources and destination, from either form."""
    parts = ins.exec_form if ins.args.startswith("[") else shlex.split(ins.args)
    assert parts is not None and len(parts) >= 2, f"line {ins.line}: COPY needs src and dest"
    return parts[:-1], parts[-1]


# ---- .dockerignore -----------------------------------------------------------------------------


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern (Go's filepath.Match plus `**`) as an anchored regex."""
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1
                out.append("(?:.*/)?")  # zero or more directories
            else:
                out.append(".*")
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.index("]", i)
            out.append(pattern[i : end + 1].replace("[!", "[^"))
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out) + r"\Z")


@dataclass(frozen=True)
class DockerIgnore:
    """The rules of a .dockerignore: which paths of the context the build sees."""

    rules: tuple[tuple[bool, str, re.Pattern[str]], ...]  # ("!" exception?, pattern, regex)

    @classmethod
    def parse(cls, text: str) -> DockerIgnore:
        """Rules from the file's text; comments and blank lines skipped."""
        rules = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            pattern = line[1:].strip() if negate else line
            pattern = pattern.strip("/")  # Docker cleans the path: leading and trailing / go
            rules.append((negate, pattern, _pattern_regex(pattern)))
        return cls(tuple(rules))

    def excluded(self, relative: str) -> bool:
        """Whether a context path (posix, relative) is left out; the last matching rule wins,
        and a rule that matches a parent directory matches what is inside it."""
        parts = relative.split("/")
        candidates = ["/".join(parts[: depth + 1]) for depth in range(len(parts))]
        result = False
        for negate, _, regex in self.rules:
            if any(regex.match(candidate) for candidate in candidates):
                result = not negate
        return result

    def _may_reinclude(self, directory: str) -> bool:
        """Whether an exception could bring back something inside an excluded directory."""
        return any(
            negate and (pattern.startswith(directory + "/") or pattern[:1] in "*?[")
            for negate, pattern, _ in self.rules
        )

    def context_files(self, root: Path) -> list[str]:
        """Every file of the build context under root after the rules, sorted."""
        files = []
        for folder, dirs, names in os.walk(root):
            base = Path(folder).relative_to(root).as_posix()
            prefix = "" if base == "." else base + "/"
            dirs[:] = [
                name for name in dirs
                if not self.excluded(prefix + name) or self._may_reinclude(prefix + name)
            ]
            files += [prefix + name for name in names if not self.excluded(prefix + name)]
        return sorted(files)
