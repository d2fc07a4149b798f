"""The CS231n losses on a batch: scores (N, C), labels N integers, averaged over N."""

from __future__ import annotations

from typing import Any

import numpy as np

from .code import PICK_CODE, SOFTMAX_LOSS_CODE, SVM_LOSS_CODE
from .core import GateBuilder, Primitive, Shape, ShapeMismatch, register
from .tensor import expand_softmax
from .words import ATOM, POSTFIX, Local, Say, Words

# Class labels are integers: no gradient flows to them, so there is nothing to word.
_NO_GRADIENT = Local("", "")


def _loss_shape(scores: Shape, labels: Shape) -> Shape:
    if len(scores) == 1 and labels in ((), (1,)):
        return ()  # one example: a score vector and a single label (or a list of one)
    if len(scores) != 2:
        raise ShapeMismatch("loss_scores_rank", a_shape=scores)
    if labels != scores[:1]:
        raise ShapeMismatch("loss_labels_count", a_shape=scores, b_shape=labels)
    return ()


def _as_batch(scores: Any, labels: Any) -> tuple[Any, Any]:
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    if scores.ndim == 1:
        scores, labels = scores[np.newaxis, :], labels.reshape(1)
    classes = scores.shape[1]
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ShapeMismatch("labels_out_of_range", value_arg=1, classes=classes,
                            low=int(labels.min()), high=int(labels.max()))
    return scores, labels


def _svm_loss(xp: Any, scores: Any, labels: Any) -> Any:
    s, y = _as_batch(scores, labels)
    rows = np.arange(s.shape[0])
    margins = np.maximum(0.0, s - s[rows, y][:, np.newaxis] + 1.0)
    margins[rows, y] = 0.0
    return float(np.sum(margins) / s.shape[0])


def _svm_loss_vjp(xp: Any, g: Any, out: Any, scores: Any, labels: Any) -> tuple[Any, None]:
    s, y = _as_batch(scores, labels)
    n = s.shape[0]
    rows = np.arange(n)
    # NOTE: a margin of exactly 0 contributes no gradient (the hinge's flat side).
    active = (s - s[rows, y][:, np.newaxis] + 1.0 > 0).astype(np.float64)
    active[rows, y] = 0.0
    grad = active
    grad[rows, y] = 0.0 - np.sum(active, axis=1)  # 0.0 - : never a -0.0 in the JSON
    return (np.reshape(grad * (g / n), np.shape(scores)), None)


def _log_softmax(s: Any) -> Any:
    shifted = s - np.max(s, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def _softmax_loss(xp: Any, scores: Any, labels: Any) -> Any:
    s, y = _as_batch(scores, labels)
    return float(-np.mean(_log_softmax(s)[np.arange(s.shape[0]), y]))


def _softmax_loss_vjp(xp: Any, g: Any, out: Any, scores: Any, labels: Any) -> tuple[Any, None]:
    s, y = _as_batch(scores, labels)
    n = s.shape[0]
    grad = np.exp(_log_softmax(s))
    grad[np.arange(n), y] -= 1.0
    return (np.reshape(grad * (g / n), np.shape(scores)), None)


def _expand_softmax_loss(b: GateBuilder, pos: int, scores: int, labels: int) -> int:
    # L = mean over the examples of -log(softmax(s)[label]).
    picked = b.gate("pick", (expand_softmax(b, pos, scores), labels), pos)
    return b.gate("neg", (b.gate("mean", (b.gate("log", (picked,), pos),), pos),), pos)


def _expand_svm_loss(b: GateBuilder, pos: int, scores: int, labels: int) -> int:
    # L = mean over the examples of Σ_j max(0, s_j - s_y + 1), minus 1: the sum also runs
    # over j = y, whose margin is always exactly 1 and whose gradient cancels (s_y - s_y).
    correct = b.gate("pick", (scores, labels), pos)
    shifted = b.gate("add", (b.gate("sub", (scores, correct), pos), b.constant(1.0, pos)), pos)
    per_example = b.gate("rowsum", (b.gate("relu", (shifted,), pos),), pos)
    return b.gate("sub", (b.gate("mean", (per_example,), pos), b.constant(1.0, pos)), pos)


SVM_LOSS = register(Primitive(
    "svm_loss", 2, "SVM",
    forward=_svm_loss,
    vjp=_svm_loss_vjp,
    code=SVM_LOSS_CODE,
    words=Words(
        Say("SVM loss", "SVM 损失"), "svm_loss($0, $1)", r"L_{\text{SVM}}($0, $1)", ATOM,
        (Local(Say("$g × (1 for each class inside the margin, minus their count at the true "
                   "class) / N",
                   "$g × (间隔内的每个类别为 1，正确类别处减去这些类别的个数) / N"),
               r"\frac{$g}{N}\Big(\mathbb{1}[s_j - s_y + 1 > 0]"
               r" - [j = y] \sum_{k \ne y} \mathbb{1}[s_k - s_y + 1 > 0]\Big)"),
         _NO_GRADIENT),
        Say("the hinge: only classes that come within the margin of the true class push "
            "back, and the true class is pulled once for each of them",
            "合页损失：只有与正确类别的差距落在间隔内的类别得到梯度，正确类别为每个这样的类别"
            "各被推一次")),
    elementwise=False, shape=_loss_shape, labels_arg=1, functions=("svm_loss",),
    expand=_expand_svm_loss,
))
SOFTMAX_LOSS = register(Primitive(
    "softmax_loss", 2, "softmax loss",
    forward=_softmax_loss,
    vjp=_softmax_loss_vjp,
    code=SOFTMAX_LOSS_CODE,
    words=Words(
        Say("softmax loss", "softmax 损失"), "softmax_loss($0, $1)",
        r"L_{\text{softmax}}($0, $1)", ATOM,
        (Local("$g × (softmax($0) - onehot($1)) / N",
               r"$g \cdot \frac{\operatorname{softmax}($0) - \operatorname{onehot}($1)}{N}"),
         _NO_GRADIENT),
        Say("cross-entropy: each score's gradient is its probability, minus 1 at the true class",
            "交叉熵：每个分数的梯度是它的概率，正确类别处再减 1")),
    elementwise=False, shape=_loss_shape, labels_arg=1, functions=("softmax_loss",),
    expand=_expand_softmax_loss,
))


def _pick_shape(values: Shape, labels: Shape) -> Shape:
    _loss_shape(values, labels)
    return (values[0], 1) if len(values) == 2 else ()  # a column: it broadcasts against rows


def _pick(xp: Any, values: Any, labels: Any) -> Any:
    v, y = _as_batch(values, labels)
    picked = v[np.arange(v.shape[0]), y]
    return picked.reshape(-1, 1) if np.ndim(values) == 2 else float(picked[0])


def _pick_vjp(xp: Any, g: Any, out: Any, values: Any, labels: Any) -> tuple[Any, None]:
    v, y = _as_batch(values, labels)
    grad = np.zeros_like(v)
    grad[np.arange(v.shape[0]), y] = np.reshape(g, -1)
    return (np.reshape(grad, np.shape(values)), None)


PICK = register(Primitive(
    "pick", 2, "pick",
    forward=_pick,
    vjp=_pick_vjp,
    code=PICK_CODE,
    words=Words(
        Say("pick", "取标签项"), "$0[row, $1]", r"$0_{i,\,$1_i}", POSTFIX,
        (Local(Say("$g placed at each row's label, 0 elsewhere",
                   "$g 放在每行的标签处，其余为 0"),
               r"$g \cdot \operatorname{onehot}(y)"),
         _NO_GRADIENT),
        Say("pick routes: each row's gradient goes to the entry at its label only",
            "取标签项路由梯度：每行的梯度只流向标签处的那一项")),
    elementwise=False, shape=_pick_shape, labels_arg=1,
    doc="each row's entry at its label, as a column: inside the expanded losses",
))
