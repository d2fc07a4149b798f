"""The built-in examples the page offers: each a lesson of the CS231n notes or the seed."""

from __future__ import annotations

from typing import Any

_X = [[1.0, 2.0, -1.0], [0.5, -1.5, 2.0], [-2.0, 0.0, 1.0]]  # 3 examples, 3 features
_W = [[0.2, -0.5, 0.1, 2.0], [1.5, 1.3, 2.1, 0.0], [0.0, 0.25, 0.2, -0.3]]  # 3 -> 4 classes
_B = [0.1, -0.2, 0.0, 0.3]
_LABELS = [0, 2, 1]

EXAMPLES: list[dict[str, Any]] = [
    {
        "id": "add-mul",
        "title": "(x + y) z",
        "lesson": "An add gate hands its gradient to both inputs; a mul gate swaps its "
                  "inputs' values.",
        "expression": "(x+y)z",
        "values": {"x": -2, "y": 5, "z": -4},
        "expand": False,
    },
    {
        "id": "sigmoid-neuron",
        "title": "A sigmoid neuron",
        "lesson": "One sigmoid gate: its local gradient is σ(1 − σ), here 0.7311 × 0.2689.",
        "expression": "sigmoid(w0*x0 + w1*x1 + w2)",
        "values": {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3},
        "expand": False,
    },
    {
        "id": "sigmoid-neuron-expanded",
        "title": "A sigmoid neuron, gate by gate",
        "lesson": "The same neuron with sigmoid drawn as 1/(1 + e^−u): more gates, the "
                  "same gradients.",
        "expression": "sigmoid(w0*x0 + w1*x1 + w2)",
        "values": {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3},
        "expand": True,
    },
    {
        "id": "staged",
        "title": "A staged computation",
        "lesson": "Break a big formula into named stages; where x is used twice, its "
                  "gradients add up.",
        "expression": "sigy = sigmoid(y)\nnum = x + sigy\nsigx = sigmoid(x)\nxpy = x + y\n"
                      "xpysqr = xpy^2\nden = sigx + xpysqr\nf = num / den",
        "values": {"x": 3, "y": -4},
        "expand": False,
    },
    {
        "id": "max-gate",
        "title": "Add, mul and max",
        "lesson": "A max gate routes the whole gradient to its larger input and none to the "
                  "other.",
        "expression": "2 * (x*y + max(z, w))",
        "values": {"x": 3, "y": -4, "z": 2, "w": -1},
        "expand": False,
    },
    {
        "id": "fan-out",
        "title": "Fan-out: x·x + x",
        "lesson": "One input on three wires: its gradient is the sum of theirs, 2x + 1.",
        "expression": "x*x + x",
        "values": {"x": 3},
        "expand": False,
    },
    {
        "id": "ratio",
        "title": "(x + y) / (2x + 3y)",
        "lesson": "x reaches the output along two paths; its gradient is the sum of both.",
        "expression": "(x+y)/(2x+3y)",
        "values": {"x": 1, "y": 2},
        "expand": False,
    },
    {
        "id": "polynomial",
        "title": "3x² + 6x",
        "lesson": "At x = 2 the gradient is 6x + 6 = 18, assembled gate by gate.",
        "expression": "3x^2+6x",
        "values": {"x": 2},
        "expand": False,
    },
    {
        "id": "two-layer-tanh",
        "title": "A two-layer tanh network",
        "lesson": "Two hidden tanh units feed an output unit; x1 and x2 fan out to both "
                  "hidden units.",
        "expression": "h1 = tanh(a11*x1 + a12*x2 + b1)\nh2 = tanh(a21*x1 + a22*x2 + b2)\n"
                      "f = tanh(c1*h1 + c2*h2 + c0)",
        "values": {"x1": 0.5, "x2": -1.0, "a11": 1.2, "a12": -0.7, "b1": 0.1,
                   "a21": -0.4, "a22": 0.9, "b2": -0.2, "c1": 1.5, "c2": -1.1, "c0": 0.05},
        "expand": False,
    },
    {
        "id": "matmul-sum",
        "title": "sum(W @ x)",
        "lesson": "A matrix product's gradient is another product: dW = g xᵀ, dx = Wᵀ g.",
        "expression": "sum(W@x)",
        "values": {"W": [[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]], "x": [2.0, -1.0, 4.0]},
        "expand": False,
        "hints": {"W": [2, 3], "x": [3]},
    },
    {
        "id": "svm-loss",
        "title": "SVM loss on a batch",
        "lesson": "The hinge sends gradient only through classes within the margin: +1 to "
                  "them, minus their count to the true class.",
        "expression": "svm_loss(X@W + b, y)",
        "values": {"X": _X, "W": _W, "b": _B, "y": _LABELS},
        "expand": False,
        "hints": {"X": [3, 3], "W": [3, 4], "b": [4], "y": [3]},
    },
    {
        "id": "softmax-loss",
        "title": "Softmax loss on a batch",
        "lesson": "The scores' gradient is softmax minus one-hot, averaged over the "
                  "3 examples.",
        "expression": "softmax_loss(X@W + b, y)",
        "values": {"X": _X, "W": _W, "b": _B, "y": _LABELS},
        "expand": False,
        "hints": {"X": [3, 3], "W": [3, 4], "b": [4], "y": [3]},
    },
]

# The titles and lessons in 简体中文, by example id (the CS231n Chinese notes' terms).
ZH_CN: dict[str, tuple[str, str]] = {
    "add-mul": ("(x + y) z",
                "加法门把梯度原样分给两个输入；乘法门的局部梯度是交换后的另一个输入的值。"),
    "sigmoid-neuron": ("一个 sigmoid 神经元",
                       "一个 sigmoid 门：局部梯度是 (1 − σ)σ，这里是 0.2689 × 0.7311。"),
    "sigmoid-neuron-expanded": ("逐门展开的 sigmoid 神经元",
                                "同一个神经元，把 sigmoid 画成 1/(1 + e^−u)：门更多，梯度相同。"),
    "staged": ("分段计算",
               "把大公式拆成有名字的几段；x 被用了两次的地方，它的梯度相加。"),
    "max-gate": ("加法、乘法和取最大值",
                 "取最大值门把全部梯度传给较大的输入，另一个输入得到 0。"),
    "fan-out": ("扇出：x·x + x",
                "一个输入连出三条线：它的梯度是三条线上梯度之和，即 2x + 1。"),
    "ratio": ("(x + y) / (2x + 3y)",
              "x 沿两条路径到达输出；它的梯度是两条路径之和。"),
    "polynomial": ("3x² + 6x",
                   "在 x = 2 处梯度是 6x + 6 = 18，一个门一个门地算出来。"),
    "two-layer-tanh": ("两层 tanh 网络",
                       "两个隐藏的 tanh 单元连到一个输出单元；x1 和 x2 都连向两个隐藏单元。"),
    "matmul-sum": ("sum(W @ x)",
                   "矩阵乘法的梯度还是矩阵乘法：dW = g xᵀ，dx = Wᵀ g。"),
    "svm-loss": ("一批数据上的 SVM 损失",
                 "合页损失只让间隔内的类别得到梯度：它们各得 +1，正确类别减去它们的个数。"),
    "softmax-loss": ("一批数据上的 softmax 损失",
                     "分数的梯度是 softmax 减去 one-hot，再在 3 个样本上取平均。"),
}


def examples_in(lang: str) -> list[dict[str, Any]]:
    """The examples with their titles and lessons in `lang` (English where none is written)."""
    if lang != "zh-CN":
        return [dict(example) for example in EXAMPLES]
    worded = []
    for example in EXAMPLES:
        title, lesson = ZH_CN.get(example["id"], (example["title"], example["lesson"]))
        worded.append({**example, "title": title, "lesson": lesson})
    return worded
