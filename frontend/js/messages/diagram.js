/**
 * The circuit drawing's words, in English and 简体中文.
 * @module messages/diagram
 */

export default {
  en: {
    "diagram.summary": "min {min} · max {max} · mean {mean}",
    "diagram.legend_title": "Heatmaps: each grid scaled to its largest |number|",
    "diagram.legend_negative": "negative",
    "diagram.legend_positive": "positive",
    "diagram.tensor_wire": "{from} → {to}: a tensor; its numbers are shown on focus",
  },
  "zh-CN": {
    "diagram.summary": "最小 {min} · 最大 {max} · 均值 {mean}",
    "diagram.legend_title": "热图：每个网格按自身最大的绝对值着色",
    "diagram.legend_negative": "负",
    "diagram.legend_positive": "正",
    "diagram.tensor_wire": "{from} → {to}：一个张量；获得焦点时显示它的数值",
  },
};
