"""The `circuitgrad eval` command: table, --json, --dot, tensors, errors and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from circuitgrad.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["eval", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "(x+y)*z", "x=-2", "y=5", "z=-4")
    assert code == 0
    rows = [line.split() for line in out.strip().splitlines()]
    assert rows[0] == ["output", "-12"]
    assert {row[0]: row[1] for row in rows[1:]} == {"∂/∂x": "-4", "∂/∂y": "-4", "∂/∂z": "3"}


def test_json_is_the_api_payload(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "(x+y)*z", "x=-2", "y=5", "z=-4", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["value"] == -12.0
    assert payload["gradients"] == {"x": -4.0, "y": -4.0, "z": 3.0}
    assert payload["output"] == payload["nodes"][-1]["id"]


def test_json_non_finite(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "log(x)", "x=0", "--json")
    assert code == 0
    assert json.loads(out)["value"] == "-Infinity"


def test_dot(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "x*y", "x=2", "y=3", "--dot")
    assert code == 0
    assert out.lstrip().startswith("digraph") and "n0" in out and "e0" in out


def test_staged_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "x*x + x", "x=3", "--code"]) == 0
    code = capsys.readouterr().out
    assert code.startswith("import numpy as np\n")
    assert "mul1 = x * x  # = 9\n" in code and code.endswith("dx += x * dmul1\n")


def test_tensor_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sum(W@x)", "W=[[1,2],[3,4]]", "x=[1,-1]", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["value"] == -2.0
    assert payload["gradients"]["W"] == [[1.0, -1.0], [1.0, -1.0]]
    assert payload["gradients"]["x"] == [4.0, 6.0]


def test_tensor_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sum(W)", "W=[[1,2],[3,4]]")
    assert code == 0 and "[[1, 1], [1, 1]]" in out


def test_expand(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sigmoid(x)", "x=0", "--expand", "--json")
    assert code == 0
    assert "recip" in {node["op"] for node in json.loads(out)["nodes"]}


def test_unused_value_warns_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "x", "x=1", "q=2")
    assert code == 0 and "'q'" in err


@pytest.mark.parametrize(("argv", "fragment"), [
    (["x+*y", "x=1", "y=2"], "^"),
    (["foo(x)", "x=1"], "not a known function"),
    (["x*y", "x=1"], "'y'"),
    (["x", "x=abc"], "'x'"),
    (["x", "x=true"], "boolean"),
    (["x", "x"], "name=value"),
    (["x+y", "x=[1,2]", "y=[1,2,3]"], "a vector of 2"),
])
def test_errors_exit_with_code_2_and_no_traceback(capsys: pytest.CaptureFixture[str],
                                                  argv: list[str], fragment: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert "Traceback" not in err


def test_installed_command() -> None:
    executable = shutil.which("circuitgrad", path=str(__import__("pathlib").Path(
        sys.executable).parent))
    assert executable is not None
    done = subprocess.run([executable, "eval", "(x+y)*z", "x=-2", "y=5", "z=-4"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "-12" in done.stdout
    failed = subprocess.run([executable, "eval", "(x+y", "x=1", "y=2"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert failed.returncode == 2
    assert "never closed" in failed.stderr and "Traceback" not in failed.stderr


def test_steps_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "(x+y)*z", "x=-2", "y=5", "z=-4", "--lang", "zh-CN", "--steps")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 10
    assert lines[0] == "→ 输入 x = -2" and lines[-1] == "← 输入 x：∂f/∂x = -4"
    assert "局部梯度 × 上游梯度 = 1 × (-4) = -4" in out
    code, out, _ = run(capsys, "(x+y)*z", "x=-2", "y=5", "z=-4", "--lang", "zh-CN")
    assert out.splitlines()[0].split() == ["输出", "-12"]


def test_unknown_language_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "x", "x=1", "--lang", "fr")
    assert "zh-CN" in capsys.readouterr().err
