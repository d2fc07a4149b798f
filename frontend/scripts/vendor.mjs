// Copy the third-party files the page loads from node_modules into vendor/ (git-ignored).
// Run by `npm run vendor` (the Makefile does it after `npm ci`); no bundler, no CDN.
import { copyFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Each file the page needs: [source under node_modules, target under vendor]. */
const FILES = [
  // KaTeX typesets the steps' formulas: its ES module, its stylesheet, and the fonts that
  // stylesheet asks for (woff2 only: every browser that runs ES modules reads woff2 first).
  ["katex/dist/katex.mjs", "katex/katex.mjs"],
  ["katex/dist/katex.min.css", "katex/katex.min.css"],
  ...readdirSync(join(root, "node_modules/katex/dist/fonts"))
    .filter((name) => name.endsWith(".woff2"))
    .map((name) => [`katex/dist/fonts/${name}`, `katex/fonts/${name}`]),
];

for (const [source, target] of FILES) {
  const from = join(root, "node_modules", source);
  const to = join(root, "vendor", target);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  const kib = Math.round(statSync(to).size / 1024);
  console.log(`vendor: ${source} -> vendor/${target} (${kib} KiB)`);
}
