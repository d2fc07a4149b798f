/**
 * A quick guess at the input names of an expression, so the page can offer a field for a
 * new variable before the server has seen it. The server stays the judge: after each answer
 * the panel shows exactly the inputs the circuit has. Pure: no DOM.
 * @module names
 */

/**
 * The names the language reserves, from GET /api/meta: its functions and constants. The
 * page keeps no copy of its own; they only decide which names get no value field.
 * @param {{functions?: string[], constants?: string[]} | null | undefined} meta
 * @returns {Set<string>}
 */
export function reservedNames(meta) {
  return new Set([...(meta?.functions ?? []), ...(meta?.constants ?? [])]);
}

// One token at a time: a comment, a number (with its exponent), a name, or anything else.
const TOKEN = /#[^\n]*|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|\s+|[^]/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The names an expression probably reads as inputs, in order of first use: every name that is
 * not reserved, not assigned by a statement, and not the `T` of a postfix `.T`.
 * @param {string} source
 * @param {Set<string>} reserved  the language's function and constant names (`reservedNames`)
 * @returns {string[]}
 */
export function guessInputNames(source, reserved) {
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
      else if (previous !== "." && !reserved.has(token)) used.push(token);
    }
    atStatementStart = false;
  });
  return [...new Set(used.filter((name) => !assigned.has(name)))];
}
