/**
 * Sharing and exporting: the copy-link button, the SVG/PNG/DOT downloads, and the notice
 * line that reports on them.
 * @module share-export
 */

import { fetchExport } from "./api.js";
import { t } from "./i18n.js";
import { encodeUrlState, getState } from "./state.js";
import { htmlElement } from "./svg.js";

/**
 * Offer a file for download.
 * @param {Blob} blob
 * @param {string} filename
 */
export function downloadBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = htmlElement("a", { href: url, download: filename });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Wire the export buttons (`[data-export="svg"]`…) and the copy-link button.
 * @param {{copyLink: HTMLButtonElement, exportButtons: Iterable<HTMLButtonElement>,
 *   notice: (text: string) => void}} parts
 */
export function bindShareExport({ copyLink, exportButtons, notice }) {
  for (const button of exportButtons) {
    button.addEventListener("click", async () => {
      const format = /** @type {"svg" | "png" | "dot"} */ (button.dataset.export);
      const s = getState();
      const body = { expression: s.expression, values: s.values, expand: s.expand, lang: s.lang };
      try {
        downloadBlob(await fetchExport(format, body), `circuit.${format}`);
        notice(t("core.downloaded", { file: `circuit.${format}` }));
      } catch (error) {
        notice(t("core.export_failed", { reason: error?.message ?? error }));
      }
    });
  }
  copyLink.addEventListener("click", async () => {
    history.replaceState(null, "", encodeUrlState(getState()));
    try {
      await navigator.clipboard.writeText(location.href);
      notice(t("core.link_copied"));
    } catch {
      notice(t("core.copy_address"));
    }
  });
}
