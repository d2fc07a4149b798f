/**
 * Typeset LaTeX with KaTeX (vendored from npm, loaded on first use; the browser's module map
 * keeps the one copy). What a step says in words stays in its text; this only adds the math.
 * @module typeset
 */

const KATEX_URL = "/vendor/katex/katex.mjs";

/**
 * Typeset `latex` into `element` once KaTeX has loaded (skipped if the element was replaced
 * meanwhile). The element keeps the source in `data-latex`, for tests and copy-paste.
 * @param {HTMLElement} element
 * @param {string} latex
 * @param {{display?: boolean}} [options]
 * @returns {Promise<void>}
 */
export async function typeset(element, latex, options = {}) {
  element.dataset.latex = latex;
  if (!latex) return;
  const { default: katex } = await import(KATEX_URL);
  if (!element.isConnected || element.dataset.latex !== latex) return;
  // throwOnError false: a formula KaTeX cannot read shows as red source, never breaks the page.
  katex.render(latex, element, { displayMode: Boolean(options.display), throwOnError: false, output: "htmlAndMathml" });
  element.dataset.typeset = "1";
}
