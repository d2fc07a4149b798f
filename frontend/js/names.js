/**
 * A quick guess at the input names of an expression, so the page can offer a field for a
 * new variable before the server has seen it. The server stays the judge: after each answer
 * the panel shows exactly the inputs the circuit has. Pure: no DOM.
 * @module names
 */

/**
 * Names the language reserves (functions and constants, see docs/spec language.md).
 * Only used to avoid offering a value field for them; the server reports anything else.
 */
const RESERVED = new Set([
  "exp", "log", "ln", "sqrt", "sigmoid", "tanh", "relu", "abs", "sin", "cos", "max", "min",
  "pow", "sum", "mean", "transpose", "dot", "softmax", "svm_loss", "softmax_loss", "pi", "e",
]);

// One token at a time: a comment, a number (with its exponent), a name, or anything else.
const TOKEN = /#[^\n]*|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|\s+|[^]/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The names an expression probably reads as inputs, in order of first use: every name that is
 * not reserved, not assigned by a statement, and not the `T` of a postfix `.T`.
 * @param {string} source
 * @returns {string[]}
 */
export function guessInputNames(source) {
  const tokens = (source.match(TOKEN) ?? []).filter((token) => !/^\s+$/.test(token) || token.includes("\n"));
  const assigned = new Set();
  const used = [];
  let atStatementStart = true;
  tokens.forEach((token, index) => {
    if (token.includes("\n") || token === ";") {
      atStatementStart = true;
      return;
    }
    if (token.startsWith("#")) return;
    const next = tokens[index + 1];
    const previous = tokens[index - 1];
    if (NAME.test(token)) {
      if (atStatementStart && next === "=") assigned.add(token);
      else if (previous !== "." && !RESERVED.has(token)) used.push(token);
    }
    atStatementStart = false;
  });
  return [...new Set(used.filter((name) => !assigned.has(name)))];
}
