"""Error codes and their words: one catalog, both languages, every raise site covered."""

from __future__ import annotations

import ast
import pickle
import string
from pathlib import Path
from typing import Any

import pytest

from circuitgrad import CircuitError, InputError, ParseError, ShapeError, evaluate
from circuitgrad.error_catalog import MESSAGES, PHRASES
from circuitgrad.error_words import render_message, shape_words
from circuitgrad.lang import LANGUAGES

BACKEND = Path(__file__).resolve().parents[2] / "backend" / "circuitgrad"
ERROR_CLASSES = {"CircuitError", "ParseError", "NameResolutionError", "ArityError",
                 "InputError", "ShapeError", "LimitError", "ShapeMismatch"}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES) + [f"phrase:{p}" for p in sorted(PHRASES)])
def test_every_entry_speaks_every_language_with_the_same_params(code: str) -> None:
    words = PHRASES[code[7:]] if code.startswith("phrase:") else MESSAGES[code]
    assert set(words) == set(LANGUAGES)
    assert fields(words["en"]) == fields(words["zh-CN"])
    assert words["en"] != words["zh-CN"] or fields(words["en"]) in ({"message"}, {"text"}, set())


def _raise_sites() -> list[tuple[str, int, ast.expr]]:
    """(file, line, first argument) of every error constructed in the backend."""
    sites = []
    for path in BACKEND.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else \
                func.attr if isinstance(func, ast.Attribute) else ""
            is_self_error = name == "error" and isinstance(func, ast.Attribute) and \
                isinstance(func.value, ast.Name) and func.value.id == "self"
            if name in ERROR_CLASSES or is_self_error:
                sites.append((str(path.relative_to(BACKEND)), node.lineno, node.args[0]))
    return sites


def test_every_error_raised_in_the_backend_has_a_code_of_the_catalog() -> None:
    """No ready-made English sentence: a client could not word it in its own language."""
    sentences = []
    for path, line, first in _raise_sites():
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if first.value not in MESSAGES:
                sentences.append(f"{path}:{line}: {first.value!r}")
        elif not isinstance(first, ast.Name | ast.Attribute):  # a variable holding a code
            sentences.append(f"{path}:{line}: {ast.unparse(first)[:60]}")
    assert sentences == []


@pytest.mark.parametrize(("text", "values", "code", "params"), [
    ("(x+y", {}, "unclosed_paren", {}),
    ("x+*y", {}, "expected_operand_after", {"found": {"phrase": "token_op", "text": "*"}}),
    ("foo(x)", {"x": 1}, "unknown_function_no_match", {"name": "foo"}),
    ("expp(x)", {"x": 1}, "unknown_function", {"name": "expp", "close": ["exp"]}),
    ("max(x)", {"x": 1}, "wrong_arity", {"function": "max", "arity": 2, "got": 1}),
    ("x*y", {"x": 1}, "missing_value", {"name": "y"}),
    ("x + y", {"x": [1, 2, 3], "y": [1, 2]}, "shape_mismatch",
     {"a": "x", "b": "y", "a_shape": [3], "b_shape": [2], "op": "+"}),
])
def test_code_and_params_are_data_a_client_can_word(text: str, values: dict[str, Any],
                                                    code: str, params: dict[str, Any]) -> None:
    with pytest.raises(CircuitError) as info:
        evaluate(text, values)
    detail = info.value.to_dict()
    assert detail["code"] == code
    assert params.items() <= detail["params"].items()
    # The words come from the catalog and nothing else.
    assert detail["message"] == render_message(code, detail["params"], "en")
    assert info.value.to_dict("zh-CN")["message"] == render_message(code, detail["params"],
                                                                     "zh-CN")


def test_messages_in_chinese() -> None:
    with pytest.raises(CircuitError) as info:
        evaluate("(x+y", {})
    assert info.value.message_in("zh-CN") == "这里的 '(' 没有闭合：缺少 ')'"
    assert "ParseError: 这里的" in info.value.render("zh-CN")
    with pytest.raises(InputError) as value_error:
        evaluate("2*x", {"x": "abc"})
    assert value_error.value.message_in("zh-CN") == '输入 \'x\' 的值必须是数字，却是文本 "abc"'


def test_chinese_and_latin_are_spaced_and_chinese_is_not() -> None:
    text = render_message("value_not_number", {"where": {"phrase": "seed_grad"},
                                                "got": {"phrase": "got_boolean"}}, "zh-CN")
    assert text == "seed_grad 必须是数字，却是布尔值"


def test_shapes_in_words() -> None:
    assert shape_words([], "en") == "a scalar"
    assert shape_words([3], "en") == "a vector of 3"
    assert shape_words([3, 2], "en") == "a 3×2 matrix"
    assert shape_words([2, 3, 4], "en") == "a tensor of shape 2×3×4"
    assert shape_words([3, 2], "zh-CN") == "3×2 矩阵"
    assert shape_words([None, 2], "en") == "a ?×2 matrix"


def test_a_sentence_instead_of_a_code_is_kept_as_it_is() -> None:
    error = ShapeError("something went wrong")
    assert error.code == "shape_error" and error.message == "something went wrong"
    assert error.message_in("zh-CN") == "something went wrong"


def test_missing_params_and_odd_values_never_break_the_words() -> None:
    assert "{name}" in render_message("missing_value", {}, "en")
    assert render_message("tensor_too_large", {"op": "+", "shape": "odd", "limit": "x",
                                               "total_limit": 1}, "en")
    assert render_message("no_such_code", {}, "en") == "no_such_code"


def test_errors_survive_pickling_with_their_params() -> None:
    error = ParseError("unknown_function", 3, "1 + foo(x)", name="foo", close=["exp"])
    error.lang = "zh-CN"
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object
    assert copy.to_dict() == error.to_dict()
    assert copy.lang == "zh-CN" and copy.position == 3


def test_value_errors_name_their_input_everywhere() -> None:
    for values in ({"x": 1e309}, {"x": None}, {"x": [1, "a"]}, {"x": [[1], [1, 2]]}):
        with pytest.raises(InputError) as info:
            evaluate("sigmoid(x) + y", {**values, "y": 1})
        assert info.value.input == "x"
        assert info.value.to_dict()["input"] == "x"
    with pytest.raises(ShapeError) as labels:
        evaluate("svm_loss(s, y)", {"s": [[1, 2]], "y": [5]})
    assert labels.value.input == "y"
    with pytest.raises(CircuitError) as syntax:
        evaluate("x +", {"x": 1})
    assert syntax.value.input is None


def test_evaluate_in_chinese_words_errors_warnings_and_hints() -> None:
    with pytest.raises(CircuitError) as info:
        evaluate("(x+y", {}, lang="zh-CN")
    assert info.value.message == "这里的 '(' 没有闭合：缺少 ')'"
    assert str(info.value).startswith("这里的 '(' 没有闭合")
    result = evaluate("w0x0 + 1", {"w0x0": 1.0, "unused": 2.0}, lang="zh-CN")
    assert "给 'unused' 的值没有被表达式用到，已忽略" in result.warnings
    assert result.to_dict()["hints"][0]["message"] == "w0x0 是一个新的输入；你是想写 w0*x0 吗？"
    assert any("不是有限的数" in w for w in evaluate("log(x)", {"x": 0.0},
                                                   lang="zh-CN").to_dict()["warnings"])
