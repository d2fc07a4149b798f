/**
 * Live inputs' words (sliders, dragging an input on the diagram, the nudge readout), in
 * English and 简体中文, with the notes' terms: 数值梯度 numerical gradient, 分析梯度 analytic
 * gradient.
 * @module messages/live
 */

export default {
  en: {
    "live.slider": "Scrub {name}",
    "live.scrub_title": "Drag, or use the arrow keys (Shift: ten times as far), to change {name}: the circuit follows as it moves.",
    "live.drag_title": "Drag {name} left or right to change it (Shift: ten times as fast)",
    "live.nudge_title": "Nudge: numerical vs analytic gradient",
    "live.nudge_input": "Nudge",
    "live.nudge_h": "by h =",
    "live.change": "f({x} + h) − f({x})",
    "live.numerical": "numerical gradient",
    "live.numerical_how": "(f({x} + h) − f({x})) / h",
    "live.analytic": "analytic gradient",
    "live.analytic_how": "∂{f}/∂{x}, by backprop",
    "live.difference": "difference",
    "live.pending": "…",
    "live.hidden": "?",
    "live.hidden_title": "Practice: work this number out on the circuit first.",
    "live.explain": "Move {x} by h, run the circuit again, and divide f's change by h: the numerical gradient. Backprop gives the analytic gradient; the two agree the more closely the smaller h, until round-off takes over.",
    "live.tensor_output": "The output is a tensor: the readout compares the gradients of a single-number output.",
    "live.no_scalar": "No scalar input to nudge.",
    "live.failed": "The second evaluation failed: {reason}",
  },
  "zh-CN": {
    "live.slider": "拖动调节 {name}",
    "live.scrub_title": "拖动或用方向键（Shift：十倍步长）改变 {name}：电路随之更新。",
    "live.drag_title": "左右拖动 {name} 改变它的值（Shift：十倍速度）",
    "live.nudge_title": "微调：数值梯度与分析梯度",
    "live.nudge_input": "微调",
    "live.nudge_h": "步长 h =",
    "live.change": "f({x} + h) − f({x})",
    "live.numerical": "数值梯度",
    "live.numerical_how": "(f({x} + h) − f({x})) / h",
    "live.analytic": "分析梯度",
    "live.analytic_how": "∂{f}/∂{x}，反向传播",
    "live.difference": "差",
    "live.pending": "…",
    "live.hidden": "?",
    "live.hidden_title": "练习：请先在电路上算出这个数。",
    "live.explain": "把 {x} 增加 h，再算一遍电路，用 f 的变化除以 h：这就是数值梯度。反向传播给出分析梯度；h 越小两者越接近，直到舍入误差占了上风。",
    "live.tensor_output": "输出是张量：这里比较的是单个数字输出的梯度。",
    "live.no_scalar": "没有可以微调的标量输入。",
    "live.failed": "第二次计算失败：{reason}",
  },
};
