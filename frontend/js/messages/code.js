/**
 * The staged-code panel's words, in English and 简体中文.
 * @module messages/code
 */

export default {
  en: {
    "code.title": "Code: this circuit as staged Python/numpy",
    "code.copy": "Copy code",
    "code.copied": "Code copied.",
    "code.copy_failed": "Select the code and copy it by hand.",
    "code.loading": "Writing the code…",
  },
  "zh-CN": {
    "code.title": "代码：把这个电路写成分段计算的 Python/numpy",
    "code.copy": "复制代码",
    "code.copied": "代码已复制。",
    "code.copy_failed": "请手动选中并复制代码。",
    "code.loading": "正在生成代码…",
  },
};
