"""The sentences every step is built from, in each language. No op's own words live here:
those are in its table row (ops/); these only join them with the numbers."""

from __future__ import annotations

from .ops.words import Say

# ---- forward ----
INPUT_FORWARD = Say("input {name} = {value}", "输入 {name} = {value}")
CONSTANT_FORWARD = Say("constant {value}", "常数 {value}")
GATE_FORWARD = Say("{gate} gate: {chain}", "{gate}门：{chain}")

# ---- backward: how the gradient arrives at a node ----
SEED = Say("Start: ∂{f}/∂{f} = {value} (the seed). ", "开始：∂{f}/∂{f} = {value}（初始梯度）。")
UPSTREAM = Say("Upstream gradient ∂{f}/∂{of} = {value}. ", "上游梯度 ∂{f}/∂{of} = {value}。")
FAN_OUT = Say("{node} feeds {count} wires, so its gradient is their sum: "
              "∂{f}/∂{of} = {terms} = {value}. ",
              "{node} 连出 {count} 条线，它的梯度是这些线上梯度之和："
              "∂{f}/∂{of} = {terms} = {value}。")
# The pattern a fan-out's step teaches (its name is the part before the colon), as the op
# table's rows name theirs: a learner who misses a sum is told what to reread.
FAN_OUT_PATTERN = Say("fan-out sums: where a value feeds several wires, its gradient is the sum "
                      "of the gradients that come back along them",
                      "分支求和：一个值流向多条线时，它的梯度是沿这些线流回的梯度之和")
UNUSED = Say("Nothing downstream uses {node}, so ∂{f}/∂{of} = 0. ",
             "下游没有用到 {node}，所以 ∂{f}/∂{of} = 0。")
INPUT_BACKWARD = Say("input {name}: ∂{f}/∂{of} = {value}", "输入 {name}：∂{f}/∂{of} = {value}")

# ---- backward: nodes no gradient reaches ----
NO_GRADIENT_CONSTANT = Say("constant {node} depends on no input, so no gradient flows back to it",
                           "常数 {node} 不依赖任何输入，没有梯度流回")
NO_GRADIENT_LABELS = Say("{node} holds class labels, which get no gradient",
                         "{node} 是类别标签，不求梯度")
NO_GRADIENT_GATE = Say("{node} depends on no input, so no gradient flows back to it",
                       "{node} 不依赖任何输入，没有梯度流回")

# ---- backward: a gate, one clause per input wire ----
GATE_BACKWARD = Say("{gate} gate: {clauses}", "{gate}门：{clauses}")
CLAUSE_JOIN = Say(" ", "")
LOCAL_CLAUSE = Say(
    "{input} gets local gradient {local}; along this wire ∂{f}/∂{of} += local × upstream "
    "= {product} = {wire}.",
    "{input} 的局部梯度为 {local}；沿这条线 ∂{f}/∂{of} += 局部梯度 × 上游梯度 "
    "= {product} = {wire}。")
TENSOR_LOCAL_CLAUSE = Say(
    "{input} gets local gradient {local}, element by element; along this wire "
    "∂{f}/∂{of} += local × upstream{reduced} = {wire}.",
    "{input} 的逐元素局部梯度为 {local}；沿这条线 ∂{f}/∂{of} += 局部梯度 × 上游梯度{reduced} "
    "= {wire}。")
CONTRIBUTION_CLAUSE = Say("along the wire from {input}: ∂{f}/∂{of} += {contribution}{reduced} "
                          "= {wire}.",
                          "沿来自 {input} 的线：∂{f}/∂{of} += {contribution}{reduced} = {wire}。")
REDUCED = Say(", summed over the axes it was broadcast along", "，在广播的维度上求和")
CASE = Say("{rule}; {case}", "{rule}；{case}")
WIRE_ORDINAL = (Say("{input} (first wire)", "{input}（第一条线）"),
                Say("{input} (second wire)", "{input}（第二条线）"))
PATTERN = Say(" ({pattern})", "（{pattern}）")
UPSTREAM_WORD = Say("upstream", "上游梯度")  # `$g` in a tensor rule, written out

# ---- LaTeX words ----
LATEX_LOCAL = Say("local", "局部梯度")
LATEX_UPSTREAM = Say("upstream", "上游梯度")

# ---- the command line's table ----
OUTPUT = Say("output", "输出")
