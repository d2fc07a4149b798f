/**
 * The circuit by keyboard: the diagram's name, a focused gate's words, in English and 简体中文.
 * @module messages/keyboard
 */

export default {
  en: {
    "keyboard.diagram_label": "Circuit diagram, inputs on the left and the output on the right. ↓ and ↑ visit the gates; ← → Space Home End step; Escape returns to the expression.",
    "keyboard.hint": "↓ ↑ visit the gates · ← → step · Space plays · Esc back to the expression",
    "keyboard.gate_pending": "{who}: not computed yet at this step",
    "keyboard.gate_value": "{who}: value {value}",
    "keyboard.gate_both": "{who}: value {value}, gradient {grad}",
    "keyboard.tensor": "a {shape} tensor",
    "keyboard.pending": "Not computed yet at this step.",
    "keyboard.value": "value",
    "keyboard.gradient": "gradient",
  },
  "zh-CN": {
    "keyboard.diagram_label": "电路图，输入在左，输出在右。↓ 和 ↑ 逐个访问各个门；← → 空格 Home End 单步执行；Esc 回到表达式。",
    "keyboard.hint": "↓ ↑ 访问各个门 · ← → 单步 · 空格播放 · Esc 回到表达式",
    "keyboard.gate_pending": "{who}：这一步还没有算到",
    "keyboard.gate_value": "{who}：值 {value}",
    "keyboard.gate_both": "{who}：值 {value}，梯度 {grad}",
    "keyboard.tensor": "{shape} 张量",
    "keyboard.pending": "这一步还没有算到。",
    "keyboard.value": "值",
    "keyboard.gradient": "梯度",
  },
};
