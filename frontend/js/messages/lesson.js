/**
 * The lesson's words on the page: the chain rule drawn on the circuit, the step panel's
 * typeset formula and tensors, the Done line. Terms follow the CS231n Chinese note:
 * 上游梯度 (upstream gradient), 局部梯度 (local gradient), 链式法则 (chain rule).
 * @module messages/lesson
 */

export default {
  en: {
    "lesson.upstream": "upstream",
    "lesson.local": "local {value}",
    "lesson.legend_upstream": "upstream gradient (solid box)",
    "lesson.legend_local": "local gradient (dashed box)",
    "lesson.legend_product": "local × upstream (underlined)",
    "lesson.chain_rule": "The chain rule of this step",
    "lesson.full_values": "Full values of the tensors in this step",
    "lesson.tensor_value": "{name}: value {shape}",
    "lesson.tensor_grad": "{name}: gradient {shape}",
    "lesson.summary_tensor": "Show the values of {what}",
    "lesson.preview": "As a formula",
  },
  "zh-CN": {
    "lesson.upstream": "上游梯度",
    "lesson.local": "局部梯度 {value}",
    "lesson.legend_upstream": "上游梯度（实线框）",
    "lesson.legend_local": "局部梯度（虚线框）",
    "lesson.legend_product": "局部梯度 × 上游梯度（下划线）",
    "lesson.chain_rule": "这一步的链式法则",
    "lesson.full_values": "这一步中张量的完整数值",
    "lesson.tensor_value": "{name}：值 {shape}",
    "lesson.tensor_grad": "{name}：梯度 {shape}",
    "lesson.summary_tensor": "显示 {what} 的数值",
    "lesson.preview": "公式",
  },
};
