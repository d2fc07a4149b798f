"""Every error message and warning a learner can read, in each language, by stable code.

A template names its params in braces. A param is a string, a number, a shape (a list of
ints), a list, or a *phrase*: `{"phrase": "token_name", "text": "x"}` is worded by the
PHRASES entry of that name with the rest as its params (how "the name 'x'" or "the value of
'x'" reads in each language). Format specs after a colon: `{n:,}` groups digits,
`{s:shape}` words a shape ("a scalar", "a vector of 3", "a 3×2 matrix"), `{xs:list}` and
`{xs:or}` join a list, `{n:plural:argument:arguments}` picks the English word by count.
A test checks that both languages of every entry use the same params.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from .lang import Lang

Words = dict[Lang, str]


def _w(en: str, zh: str) -> Words:
    return {"en": en, "zh-CN": zh}


_SYNTAX: dict[str, Words] = {
    "nothing_to_evaluate": _w(
        "there is nothing to evaluate: write an expression such as x*y",
        "没有可计算的内容：请写一个表达式，例如 x*y"),
    "unexpected_character": _w(
        "unexpected character '{char}'",
        "无法识别的字符 '{char}'"),
    "unexpected_character_hint": _w(
        "'{char}' is not part of the language: {hint}",
        "表达式里不能用 '{char}'：{hint}"),
    "non_ascii_letter": _w(
        "'{char}' is not allowed in a name: names use ASCII letters, digits and _ "
        "(write {suggestion})",
        "名字里不能用 '{char}'：名字只能由 ASCII 字母、数字和 _ 组成（请写 {suggestion}）"),
    "non_ascii_letter_plain": _w(
        "'{char}' is not allowed in a name: names use ASCII letters, digits and _",
        "名字里不能用 '{char}'：名字只能由 ASCII 字母、数字和 _ 组成"),
    "stray_dot": _w(
        "a '.' must start a number (.5) or a transpose (a.T)",
        "'.' 只能用在数字开头（.5）或转置（a.T）里"),
    "reserved_name": _w(
        "names may not start with '__': {name}",
        "名字不能以 '__' 开头：{name}"),
    "name_too_long": _w(
        "the name {start}... is {length} characters long; names have at most {limit}",
        "名字 {start}... 长 {length} 个字符；名字最多 {limit} 个字符"),
    "mismatched_bracket": _w(
        "'{close}' cannot close the '{opener}' opened before it: close that one with '{expected}'",
        "'{close}' 不能闭合前面的 '{opener}'：那个括号要用 '{expected}' 闭合"),
    "superscript_without_base": _w(
        "the power '{char}' needs something before it to raise, as in x{char}",
        "上标幂 '{char}' 前面要有底数，例如 x{char}"),
    "latex_unknown_command": _w(
        "the LaTeX command \\{command} is not read here; these are: {known:list}",
        "这里不认识 LaTeX 命令 \\{command}；能用的有：{known:list}"),
    "latex_command_hint": _w(
        "the LaTeX command \\{command} is not read here: {hint}",
        "这里不认识 LaTeX 命令 \\{command}：{hint}"),
    "stray_backslash": _w(
        "a '\\' must start a LaTeX command such as \\frac or \\sqrt",
        "'\\' 只能用在 LaTeX 命令的开头，例如 \\frac 或 \\sqrt"),
    "latex_frac_needs_groups": _w(
        "\\frac needs two groups in braces, as in \\frac{{a}}{{b}}",
        "\\frac 后面要有两组花括号，例如 \\frac{{a}}{{b}}"),
    "latex_needs_group": _w(
        "\\{command} needs a group in braces after it, as in \\{command}{{x}}",
        "\\{command} 后面要有一组花括号，例如 \\{command}{{x}}"),
    "unknown_function": _w(
        "'{name}' is not a known function; did you mean {close:or}? "
        "(to multiply, write {name}*(...))",
        "没有名为 '{name}' 的函数；你是想写 {close:or} 吗？（要表示乘法，请写 {name}*(...)）"),
    "unknown_function_no_match": _w(
        "'{name}' is not a known function; the functions are {known:list}. "
        "(to multiply, write {name}*(...))",
        "没有名为 '{name}' 的函数；可用的函数有 {known:list}。（要表示乘法，请写 {name}*(...)）"),
    "function_case": _w(
        "'{name}' is not a known function: function names are lowercase, write {suggestion}(...)",
        "没有名为 '{name}' 的函数：函数名是小写的，请写 {suggestion}(...)"),
    "assign_to_function": _w(
        "'{name}' is a function and cannot be assigned to",
        "'{name}' 是函数名，不能被赋值"),
    "assign_to_constant": _w(
        "'{name}' is a constant and cannot be assigned to",
        "'{name}' 是常数，不能被赋值"),
    "function_needs_call": _w(
        "'{name}' is a function: call it with parentheses, {name}(...)",
        "'{name}' 是函数：请加括号调用，{name}(...)"),
    "empty_parens": _w(
        "empty parentheses: put an expression inside",
        "括号是空的：请在里面写一个表达式"),
    "expected_operand": _w(
        "expected a number, a name or '(' but found {found}",
        "这里应当是数字、名字或 '('，却是{found}"),
    "expected_operand_after": _w(
        "expected a number, a name or '(' but found {found} after {after}",
        "{after}之后应当是数字、名字或 '('，却是{found}"),
    "unmatched_close_paren": _w(
        "this '{close}' has no matching '{opener}'",
        "这个 '{close}' 没有对应的 '{opener}'"),
    "misplaced_comma": _w(
        "a ',' can only separate a function's arguments",
        "',' 只能用来分隔函数的参数"),
    "missing_operator": _w(
        "missing operator between {before} and {found}",
        "{before}和{found}之间缺少运算符"),
    "unclosed_paren": _w(
        "the '(' opened here is never closed: a ')' is missing",
        "这里的 '(' 没有闭合：缺少 ')'"),
    "unclosed_call": _w(
        "the function call opened here is never closed: a ')' is missing",
        "这里开始的函数调用没有闭合：缺少 ')'"),
    "misplaced_equals": _w(
        "unexpected '=': an assignment is `name = expression` and starts a statement",
        "这里不能有 '='：赋值写作 `名字 = 表达式`，而且要在语句开头"),
    "unexpected_token": _w(
        "unexpected {found}",
        "这里不能出现{found}"),
    "bare_statement": _w(
        "only the last statement may be a bare expression; give this one a name (q = ...) "
        "or remove it",
        "只有最后一条语句可以是单独的表达式；请给这一条起个名字（q = ...）或删掉它"),
}

_NAMES: dict[str, Words] = {
    "assigned_twice": _w(
        "'{name}' is assigned twice; each name may be assigned once",
        "'{name}' 被赋值了两次；每个名字只能赋值一次"),
    "used_before_assigned": _w(
        "'{name}' is used before it is assigned",
        "'{name}' 在赋值之前就被使用了"),
    "wrong_arity": _w(
        "{function} takes {arity} {arity:plural:argument:arguments}, got {got}",
        "{function} 需要 {arity} 个参数，却给了 {got} 个"),
    "labels_used_as_number": _w(
        "'{name}' holds class labels (it is the labels of a loss), so it cannot also be "
        "used as a number here",
        "'{name}' 是损失函数的类别标签，不能同时在这里当作数值使用"),
    "labels_computed": _w(
        "the labels of {function} must be an input holding class indices, not a computed value",
        "{function} 的标签必须是存放类别编号的输入，不能是计算出来的值"),
    "labels_constant_not_whole": _w(
        "the labels of {function} must be class indices (whole numbers from 0), not {value}",
        "{function} 的标签必须是类别编号（从 0 开始的整数），不能是 {value}"),
}

_VALUES: dict[str, Words] = {
    "missing_value": _w(
        "no value given for the input '{name}'",
        "没有给输入 '{name}' 赋值"),
    "value_not_number": _w(
        "{where} must be a number, got {got}",
        "{where}必须是数字，却是{got}"),
    "value_too_large": _w(
        "{where} is too large for a float64",
        "{where}太大，超出了 float64 的范围"),
    "value_not_finite": _w(
        "{where} must be a finite number, got {value}",
        "{where}必须是有限的数，却是 {value}"),
    "array_not_numbers": _w(
        "{where} must hold numbers, got an array of {dtype}",
        "{where}必须由数字组成，却是 {dtype} 数组"),
    "array_not_finite": _w(
        "{where} must hold finite numbers only",
        "{where}只能包含有限的数"),
    "ragged_number": _w(
        "{where} is ragged: a number stands where a list should be",
        "{where}不整齐：应当是列表的地方出现了数字"),
    "ragged_list": _w(
        "{where} is ragged: a list stands where a number should be",
        "{where}不整齐：应当是数字的地方出现了列表"),
    "ragged_lengths": _w(
        "{where} is ragged: rows of length {first} and {other} at depth {depth} (row {row}); "
        "every row must have the same length",
        "{where}不整齐：第 {depth} 层有长度为 {first} 和 {other} 的行（第 {row} 行）；"
        "每一行的长度必须相同"),
    "empty_list": _w(
        "{where} has an empty list; tensors need at least one element",
        "{where}里有空列表；张量至少要有一个元素"),
    "labels_rank": _w(
        "{where} holds class labels: a list of whole numbers, not {shape:shape}",
        "{where}是类别标签：应当是整数列表，而不是{shape:shape}"),
    "labels_not_whole": _w(
        "{where} holds class labels, which must be whole numbers",
        "{where}是类别标签，必须是整数"),
    "labels_too_large": _w(
        "{where} holds class labels, which must be class indices; {value} is far too large",
        "{where}是类别标签，必须是类别编号；{value} 太大了"),
    "labels_out_of_range": _w(
        "the labels {b} must be class indices in [0, {classes}), one per row of the scores "
        "{a}; got {low}..{high}",
        "标签 {b} 必须是 [0, {classes}) 里的类别编号，分数 {a} 的每一行一个；实际是 {low}..{high}"),
}

_SHAPES: dict[str, Words] = {
    "shape_mismatch": _w(
        "{a} is {a_shape:shape} and {b} is {b_shape:shape}: '{op}' needs shapes that "
        "broadcast (from the right, each pair of sizes equal or one of them 1)",
        "{a} 是{a_shape:shape}，{b} 是{b_shape:shape}：'{op}' 要求两者的形状能广播"
        "（从右往左，每一对维度相等或其中一个是 1）"),
    "matmul_rank": _w(
        "'{op}' needs vectors or matrices: {a} is {a_shape:shape} and {b} is {b_shape:shape}",
        "'{op}' 只能用于向量或矩阵：{a} 是{a_shape:shape}，{b} 是{b_shape:shape}"),
    "matmul_inner": _w(
        "{a} is {a_shape:shape} and {b} is {b_shape:shape}: {a} {op} {b} needs {a}'s "
        "{a_dim} ({a_size}) to equal {b}'s {b_dim} ({b_size})",
        "{a} 是{a_shape:shape}，{b} 是{b_shape:shape}：{a} {op} {b} 要求 {a} 的{a_dim}"
        "（{a_size}）等于 {b} 的{b_dim}（{b_size}）"),
    "needs_vector_or_matrix": _w(
        "{function} needs a vector or a matrix: {a} is {a_shape:shape}",
        "{function} 只能用于向量或矩阵：{a} 是{a_shape:shape}"),
    "loss_scores_rank": _w(
        "the scores {a} must be (N, C), one row per example; {a} is {a_shape:shape}",
        "分数 {a} 必须是 (N, C)，每个样本一行；{a} 是{a_shape:shape}"),
    "loss_labels_count": _w(
        "labels must hold one class per example: the scores {a} are {a_shape:shape} and the "
        "labels {b} are {b_shape:shape}",
        "每个样本要有一个标签：分数 {a} 是{a_shape:shape}，标签 {b} 是{b_shape:shape}"),
    "seed_shape": _w(
        "seed_grad is {seed:shape} but the output is {output:shape}; they must match",
        "seed_grad 是{seed:shape}，输出却是{output:shape}；两者必须一致"),
    "shapes_unsatisfiable": _w(
        "no values can make this circuit work: {reason}",
        "任何输入值都无法让这个电路成立：{reason}"),
}

_LIMITS: dict[str, Words] = {
    "source_too_long": _w(
        "the expression is {length:,} characters long; the limit is {limit:,}",
        "表达式长 {length:,} 个字符，超过了上限 {limit:,}"),
    "nesting_too_deep": _w(
        "parentheses nest more than {limit:,} deep, the limit",
        "括号嵌套超过了 {limit:,} 层的上限"),
    "too_many_nodes": _w(
        "the circuit has more than {limit:,} nodes, the limit",
        "电路的节点超过了 {limit:,} 个的上限"),
    "too_many_dimensions": _w(
        "{where} has more than {limit} dimensions, the limit",
        "{where}的维数超过了 {limit} 的上限"),
    "too_many_elements": _w(
        "{where} has more than {limit:,} elements, the limit",
        "{where}的元素超过了 {limit:,} 个的上限"),
    "tensor_too_large": _w(
        "'{op}' would make a tensor of shape {shape:shape}; the limit is {limit:,} elements "
        "per tensor and {total_limit:,} in all",
        "'{op}' 会产生{shape:shape}；每个张量最多 {limit:,} 个元素，总共最多 {total_limit:,} 个"),
    "response_too_large": _w(
        "the answer would hold {count:,} numbers; the limit is {limit:,} (use smaller tensors)",
        "结果会包含 {count:,} 个数，超过了上限 {limit:,}（请用更小的张量）"),
}

# Sentences a learner reads beside a result: warnings and hints.
_NOTICES: dict[str, Words] = {
    "unused_value": _w(
        "the value given for '{name}' is not used by the expression; ignored",
        "给 '{name}' 的值没有被表达式用到，已忽略"),
    "more_unused_values": _w(
        "and {count:,} more values are not used by the expression; ignored",
        "另有 {count:,} 个值没有被表达式用到，已忽略"),
    "not_finite": _w(
        "not finite (inf or NaN): {nodes:list}",
        "不是有限的数（inf 或 NaN）：{nodes:list}"),
    "gradient_not_finite": _w(
        "gradient not finite (inf or NaN) at: {nodes:list}",
        "梯度不是有限的数（inf 或 NaN）：{nodes:list}"),
    "joined_name": _w(
        "{name} is a new input; did you mean {suggestion}?",
        "{name} 是一个新的输入；你是想写 {suggestion} 吗？"),
    "function_case_input": _w(
        "{name} is a new input; did you mean the function {suggestion}(...)?",
        "{name} 是一个新的输入；你是想用函数 {suggestion}(...) 吗？"),
    "constant_case": _w(
        "{name} is a new input; did you mean the constant {suggestion}?",
        "{name} 是一个新的输入；你是想写常数 {suggestion} 吗？"),
}

# Errors raised with a ready-made sentence (a call site without a code of its own yet).
_GENERIC: dict[str, Words] = {
    code: _w("{message}", "{message}") for code in (
        "error", "syntax_error", "name_error", "arity_error", "input_error", "shape_error",
        "limit_error")
}

MESSAGES: dict[str, Words] = {
    **_SYNTAX, **_NAMES, **_VALUES, **_SHAPES, **_LIMITS, **_NOTICES, **_GENERIC}

# Parts of sentences, worded per language: a param `{"phrase": NAME, ...}` reads as these.
PHRASES: dict[str, Words] = {
    "token_eof": _w("the end of the input", "输入的末尾"),
    "token_end_line": _w("the end of the line", "行尾"),
    "token_end_statement": _w("the end of the statement", "语句的末尾"),
    "token_number": _w("the number {text}", "数字 {text}"),
    "token_name": _w("the name '{text}'", "名字 '{text}'"),
    "token_op": _w("'{text}'", "'{text}'"),
    "value_of": _w("the value of '{name}'", "输入 '{name}' 的值"),
    "element_of": _w("every element of {of}", "{of}中的每个元素"),
    "seed_grad": _w("seed_grad", "seed_grad"),
    "got_boolean": _w("a boolean", "布尔值"),
    "got_null": _w("nothing (null)", "空值（null）"),
    "got_text": _w("the text \"{text}\"", "文本 \"{text}\""),
    "got_list": _w("a list", "列表"),
    "got_object": _w("an object", "对象"),
    "got_other": _w("a {kind}", "{kind}"),
    "columns": _w("columns", "列数"),
    "rows": _w("rows", "行数"),
    "length": _w("length", "长度"),
    "left_operand": _w("the left operand", "左边的操作数"),
    "right_operand": _w("the right operand", "右边的操作数"),
    "operand": _w("the operand", "操作数"),
    "hint_brackets": _w("use ( and ) to group", "请用 ( 和 ) 分组"),
    "hint_abs": _w("write abs(x) for an absolute value", "绝对值请写 abs(x)"),
    "hint_sum": _w("write sum(x) for the sum of a tensor's elements",
                   "张量元素之和请写 sum(x)"),
    "hint_root": _w("write x^(1/3) for a cube root", "立方根请写 x^(1/3)"),
    "hint_infinity": _w("infinity cannot be typed; use a large number such as 1e300",
                        "不能直接写无穷大；请用一个很大的数，例如 1e300"),
    "hint_factorial": _w("there is no factorial; write the product out",
                         "没有阶乘；请把乘积写出来"),
    "hint_quote": _w("names and numbers are written without quotes",
                     "名字和数字不需要加引号"),
    "hint_comparison": _w("there are no comparisons; max(a, b) and relu(x) choose by value",
                          "不支持比较运算；max(a, b) 和 relu(x) 可以按大小取值"),
    "hint_prime": _w("there is no derivative mark: circuitgrad finds every gradient itself",
                     "没有求导符号：circuitgrad 会自己算出每个梯度"),
    "hint_mod": _w("there is no remainder operator", "不支持取余运算"),
    "hint_sqrt_index": _w("write x^(1/n) for an n-th root", "n 次方根请写 x^(1/n)"),
    "hint_latex_abs": _w("write abs(x) for |x|", "|x| 请写 abs(x)"),
    "hint_latex_sum": _w("write sum(x) for the sum of a tensor's elements",
                         "张量元素之和请写 sum(x)"),
    "hint_latex_braces": _w("write max(a, b) or use ( and ) to group",
                            "请写 max(a, b)，或用 ( 和 ) 分组"),
    "scalar": _w("a scalar", "标量"),
    "vector": _w("a vector of {n}", "长度为 {n} 的向量"),
    "matrix": _w("a {dims} matrix", "{dims} 矩阵"),
    "tensor": _w("a tensor of shape {dims}", "形状为 {dims} 的张量"),
    "some_shape": _w("some shape", "某种形状"),
}

_SEPARATORS: dict[Lang, tuple[str, str]] = {"en": (", ", " or "), "zh-CN": ("、", " 或 ")}


class _Formatter(string.Formatter):
    """str.format with the specs above, and phrases worded in one language."""

    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key in kwargs:
            return kwargs[key]
        return "{" + str(key) + "}"  # a param the error did not give: shown, never a crash

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, dict):
            return render_phrase(value, self.lang)
        kind, _, rest = format_spec.partition(":")
        if kind == "shape":
            return shape_words(value, self.lang)
        if kind in ("list", "or") and isinstance(value, list):
            separator = _SEPARATORS[self.lang][0 if kind == "list" else 1]
            return separator.join(self.format_field(item, "") for item in value)
        if kind == "plural":
            singular, _, plural = rest.partition(":")
            return singular if value == 1 else plural
        try:
            return str(super().format_field(value, format_spec))
        except (ValueError, TypeError):
            return str(value)


def render_phrase(phrase: Mapping[str, Any], lang: Lang) -> str:
    """A phrase param `{"phrase": NAME, ...}` worded in `lang`."""
    words = PHRASES.get(str(phrase.get("phrase")))
    if words is None:  # words that read the same in every language
        return str(phrase.get("text", ""))
    return _fill(words[lang], phrase, lang)


def shape_words(shape: Any, lang: Lang) -> str:
    """A shape as words: "a scalar", "a vector of 3", "a 3×2 matrix"."""
    if not isinstance(shape, list | tuple):
        return render_phrase({"phrase": "some_shape"}, lang)
    dims = "×".join("?" if size is None else str(size) for size in shape)
    if len(shape) == 0:
        return render_phrase({"phrase": "scalar"}, lang)
    if len(shape) == 1:
        return render_phrase({"phrase": "vector", "n": dims}, lang)
    kind = "matrix" if len(shape) == 2 else "tensor"
    return render_phrase({"phrase": kind, "dims": dims}, lang)


def _fill(template: str, params: Mapping[str, Any], lang: Lang) -> str:
    try:
        text = _Formatter(lang).vformat(template, (), params)
    except (ValueError, IndexError, KeyError, AttributeError):  # a malformed template
        text = template
    return _space_chinese(text) if lang == "zh-CN" else text


# Chinese and Latin text side by side are set apart by one space ("输入 x 的值"), and Chinese
# runs are never split by one: templates and phrases need not care where they are joined.
_HAN = "\u4e00-\u9fff"
_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef"
_GAP_IN_CHINESE = re.compile(f"(?<=[{_HAN}{_CJK_PUNCT}]) +(?=[{_HAN}{_CJK_PUNCT}])")
_HAN_THEN_LATIN = re.compile(f"([{_HAN}])([A-Za-z0-9'\"(\\[{{\\\\])")
_LATIN_THEN_HAN = re.compile(f"([A-Za-z0-9'\")\\]}}])([{_HAN}])")


def _space_chinese(text: str) -> str:
    text = _GAP_IN_CHINESE.sub("", text)
    text = _HAN_THEN_LATIN.sub(r"\1 \2", text)
    return _LATIN_THEN_HAN.sub(r"\1 \2", text)


def render_message(code: str, params: Mapping[str, Any], lang: Lang) -> str:
    """The message of `code` in `lang`, its params filled in."""
    words = MESSAGES.get(code)
    if words is None:
        return str(params.get("message", code))
    return _fill(words[lang], params, lang)


def jsonable(value: Any) -> Any:
    """A param as plain JSON data: tuples and numpy numbers become lists and Python numbers."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    item = getattr(value, "item", None)  # a numpy scalar
    if callable(item):
        return jsonable(item())
    return str(value)
