// Copy the third-party files the page loads from node_modules into vendor/ (git-ignored).
// Run by `npm run vendor` (the Makefile does it after `npm ci`); no bundler, no CDN.
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Each file the page needs: [source under node_modules, target under vendor]. */
const FILES = [
  // Graphviz compiled to WebAssembly, as one ES module with the WASM inlined.
  ["@viz-js/viz/dist/viz.js", "viz.js"],
];

mkdirSync(join(root, "vendor"), { recursive: true });
for (const [source, target] of FILES) {
  const from = join(root, "node_modules", source);
  const to = join(root, "vendor", target);
  copyFileSync(from, to);
  const kib = Math.round(statSync(to).size / 1024);
  console.log(`vendor: ${source} -> vendor/${target} (${kib} KiB)`);
}
