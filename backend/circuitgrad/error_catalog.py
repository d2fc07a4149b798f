"""Every error message and warning a learner can read, in each language, by stable code.

A template names its params in braces. A param is a string, a number, a shape (a list of
ints), a list, or a *phrase*: `{"phrase": "token_name", "text": "x"}` is worded by the
PHRASES entry of that name with the rest as its params (how "the name 'x'" or "the value of
'x'" reads in each language). Format specs after a colon: `{n:,}` groups digits,
`{s:shape}` words a shape ("a scalar", "a vector of 3", "a 3×2 matrix"), `{xs:list}` and
`{xs:or}` join a list, `{n:plural:argument:arguments}` picks the English word by count,
`{x:num}` writes a number as the steps and the page do (numformat: 1e-7, 2.35e17).
A test checks that both languages of every entry use the same params. error_words.py fills
the templates.
"""

from __future__ import annotations

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

# The lab's options and the command line.
_OPTIONS: dict[str, Words] = {
    "no_trainable_input": _w(
        "the expression has no input to differentiate",
        "这个表达式没有可以求梯度的输入"),
    "not_an_input": _w(
        "'{name}' is not an input of the expression (inputs: {known:list})",
        "'{name}' 不是这个表达式的输入（输入有：{known:list}）"),
    "labels_have_no_gradient": _w(
        "'{name}' holds class labels, which have no gradient",
        "'{name}' 是类别标签，没有梯度"),
    "choose_an_input": _w(
        "choose at least one input",
        "请至少选择一个输入"),
    "needs_scalar_output": _w(
        "{what} needs a single number to minimise, but the output is {shape:shape}; wrap it "
        "in sum(...) or mean(...)",
        "{what} 需要一个数来最小化，但输出是{shape:shape}；请用 sum(...) 或 mean(...) 把它包起来"),
    "option_not_finite": _w(
        "{what} must be a finite number, got {value}",
        "{what} 必须是有限的数，却是 {value}"),
    "option_too_small": _w(
        "{what} must be at least {low:g}, got {value:g}",
        "{what} 至少要是 {low:g}，却是 {value:g}"),
    "option_not_above": _w(
        "{what} must be greater than {low:g}, got {value:g}",
        "{what} 必须大于 {low:g}，却是 {value:g}"),
    "option_too_large": _w(
        "{what} must be at most {high:g}, got {value:g}",
        "{what} 最多是 {high:g}，却是 {value:g}"),
    "option_not_whole": _w(
        "{what} must be a whole number, got {value}",
        "{what} 必须是整数，却是 {value}"),
    "count_too_small": _w(
        "{what} must be at least {low}, got {value}",
        "{what} 至少要是 {low}，却是 {value}"),
    "seed_not_whole": _w(
        "seed must be a whole number of at least 0, got {value}",
        "seed 必须是不小于 0 的整数，却是 {value}"),
    "unknown_method": _w(
        "unknown method '{method}'; choose one of: {known:list}",
        "没有 '{method}' 这种方法；请从这些里选择：{known:list}"),
    "unknown_dataset": _w(
        "unknown dataset '{name}'; choose one of: {known:list}",
        "没有 '{name}' 这个数据集；请从这些里选择：{known:list}"),
    "unknown_model": _w(
        "unknown model '{name}'; choose one of: {known:list}",
        "没有 '{name}' 这种模型；请从这些里选择：{known:list}"),
    "linear_parameter": _w(
        "'{name}' is the linear model's; a {model} network takes params {known:list}",
        "'{name}' 是线性模型的参数；{model} 网络的参数是 {known:list}"),
    "not_a_parameter": _w(
        "'{name}' is not a parameter of the {model} model (its parameters: {known:list})",
        "'{name}' 不是 {model} 模型的参数（它的参数有：{known:list}）"),
    "unknown_loss": _w(
        "unknown loss '{name}'; choose one of: {known:list}",
        "没有 '{name}' 这种损失函数；请从这些里选择：{known:list}"),
    "weights_shape": _w(
        "{name} must be {shape:shape}, got {got:shape}",
        "{name} 必须是{shape:shape}，却是{got:shape}"),
    "step_too_small": _w(
        "h={h:g} is too small for {name} = {value:g}: x + h rounds back to x in float64; "
        "use a larger h",
        "h={h:g} 对 {name} = {value:g} 来说太小：在 float64 中 x + h 会舍入回 x；请用更大的 h"),
    "cli_value": _w(
        "the value of '{name}' is not a number or a [list]: {text}",
        "'{name}' 的值不是数字或 [列表]：{text}"),
    "cli_pair": _w(
        "expected name=value, got {text}",
        "应当写成 名字=值，却是 {text}"),
}

_LIMITS: dict[str, Words] = {
    "count_over_limit": _w(
        "{what} is {value:,}; the limit is {limit:,}",
        "{what} 是 {value:,}，超过了上限 {limit:,}"),
    "time_budget_exceeded": _w(
        "{what} took longer than the {seconds:g} s budget of one request; ask for fewer "
        "elements or steps",
        "{what}超过了单个请求 {seconds:g} 秒的时间预算；请减少元素或步数"),
    "gradcheck_too_many_elements": _w(
        "checking {total:,} input elements costs {evaluations:,} evaluations; the limit is "
        "{limit:,} elements: choose fewer inputs",
        "检查 {total:,} 个输入元素需要计算 {evaluations:,} 次；上限是 {limit:,} 个元素："
        "请少选一些输入"),
    "gradcheck_too_many_wires": _w(
        "checking {count:,} wires is above the limit of {limit:,}",
        "检查 {count:,} 条连线超过了 {limit:,} 的上限"),
    "trajectory_too_large": _w(
        "the trajectory would hold {count:,} numbers; the limit is {limit:,}: ask for fewer "
        "steps",
        "轨迹会包含 {count:,} 个数，超过了上限 {limit:,}：请减少步数"),
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

# The service's own refusals: the request is fine, the server's limits or load are not.
_SERVICE: dict[str, Words] = {
    "busy": _w(
        "the server is busy with other computations; retry in {retry_after} s",
        "服务器正忙于其他计算；请 {retry_after} 秒后再试"),
    "time_budget": _w(
        "the computation took longer than its {seconds:g} s budget; try a smaller expression "
        "or smaller tensors",
        "计算超过了 {seconds:g} 秒的时间预算；请用更短的表达式或更小的张量"),
    "resources": _w(
        "the computation exceeded the server's resources; try a smaller expression or smaller "
        "tensors",
        "计算超出了服务器的资源；请用更短的表达式或更小的张量"),
    "memory": _w(
        "the computation ran out of memory (CIRCUITGRAD_WORKER_MEMORY_BYTES); try smaller "
        "tensors or a smaller expression",
        "计算用完了内存（CIRCUITGRAD_WORKER_MEMORY_BYTES）；请用更小的张量或更短的表达式"),
    "response_bytes": _w(
        "the answer would be {bytes:,} bytes; the limit is {limit:,} bytes "
        "(CIRCUITGRAD_MAX_RESPONSE_BYTES): use a smaller expression or smaller tensors",
        "结果会有 {bytes:,} 字节，超过了 {limit:,} 字节的上限（CIRCUITGRAD_MAX_RESPONSE_BYTES）："
        "请用更短的表达式或更小的张量"),
    "response_bytes_foreseen": _w(
        "the answer would be at least {bytes:,} bytes; the limit is {limit:,} bytes "
        "(CIRCUITGRAD_MAX_RESPONSE_BYTES): use a smaller expression or smaller tensors",
        "结果至少会有 {bytes:,} 字节，超过了 {limit:,} 字节的上限"
        "（CIRCUITGRAD_MAX_RESPONSE_BYTES）：请用更短的表达式或更小的张量"),
    "body_bytes": _w(
        "the request body is larger than the limit of {limit:,} bytes "
        "(CIRCUITGRAD_MAX_BODY_BYTES)",
        "请求体超过了 {limit:,} 字节的上限（CIRCUITGRAD_MAX_BODY_BYTES）"),
    "body_timeout": _w(
        "the request body did not arrive within {seconds:g} s",
        "请求体没有在 {seconds:g} 秒内送达"),
    "graphviz_failed": _w(
        "Graphviz could not draw this circuit; try a smaller one, or export DOT instead",
        "Graphviz 画不出这个电路；请换一个小一些的电路，或者导出 DOT"),
    "unsupported_media_type": _w(
        "send the body as JSON with Content-Type application/json (got Content-Type "
        "{content_type})",
        "请以 JSON 发送请求体，并带上 Content-Type application/json（收到的是 Content-Type "
        "{content_type}）"),
    "unsupported_media_type_missing": _w(
        "send the body as JSON with Content-Type application/json (got no Content-Type)",
        "请以 JSON 发送请求体，并带上 Content-Type application/json（请求没有 Content-Type）"),
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
    # The lab's runs: the gradient check, the optimizer, the classifier.
    "no_parameter_moves_examples": _w(
        "no input is a parameter (every input is data or a hyperparameter), so the "
        "optimizer moves {names:list}; choose the inputs to move (Move on the page, "
        "'optimize' in the API)",
        "没有哪个输入是参数（每个输入都是数据或超参数），所以优化器移动的是 {names:list}；"
        "请选择要移动的输入（页面上的“移动”，API 中的 'optimize'）"),
    "optimizer_stopped_early": _w(
        "stopped after step {step}: the time budget of {seconds:g} s ran out",
        "第 {step} 步后停止：{seconds:g} 秒的时间预算用完了"),
    "training_stopped_early": _w(
        "training stopped after step {step}: its time budget of {seconds:g} s ran out; "
        "continue from the parameters it reached",
        "训练在第 {step} 步后停止：{seconds:g} 秒的时间预算用完了；可以从已得到的参数继续训练"),
    "tensor_output_summed": _w(
        "the output is a tensor: checking the gradient of the sum of its elements",
        "输出是张量：检查的是它所有元素之和的梯度"),
    "kink_crossed": _w(
        "the kink of {op} at {node} was crossed by a difference (its argument is "
        "{distance:num} from it): the numerical estimates may straddle it and disagree with "
        "the analytic gradient there",
        "{node} 处 {op} 的拐点被一次差分跨过了（它的自变量离拐点 {distance:num}）：数值梯度"
        "可能跨在拐点两侧，与那里的分析梯度不一致"),
    "kink_within_h": _w(
        "the kink of {op} at {node} lies within h={h:num} (its argument is {distance:num} from "
        "it): the numerical estimates may straddle it and disagree with the analytic gradient "
        "there",
        "{node} 处 {op} 的拐点在 h={h:num} 之内（它的自变量离拐点 {distance:num}）：数值梯度"
        "可能跨在拐点两侧，与那里的分析梯度不一致"),
    "wires_unmovable": _w(
        "h={h:num} is too small to move the value on {wires:list} in float64, so those wires "
        "were not estimated; use a larger h",
        "h={h:num} 太小，在 float64 中移动不了 {wires:list} 上的值，所以没有估计这些线的梯度；"
        "请用更大的 h"),
}

# Errors raised with a ready-made sentence (a call site without a code of its own yet).
_GENERIC: dict[str, Words] = {
    code: _w("{message}", "{message}") for code in (
        "error", "syntax_error", "name_error", "arity_error", "input_error", "shape_error",
        "limit_error")
}

MESSAGES: dict[str, Words] = {
    **_SYNTAX, **_NAMES, **_VALUES, **_SHAPES, **_OPTIONS, **_LIMITS, **_SERVICE, **_NOTICES,
    **_GENERIC}

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
    "none": _w("none", "无"),
    "gradient_check": _w("the gradient check", "梯度检查"),
    "wire_check": _w("the wire check", "逐线检查"),
    "wire": _w("the wire from {source} into {target} ({value:num})",
               "从 {source} 到 {target} 的线（{value:num}）"),
}
