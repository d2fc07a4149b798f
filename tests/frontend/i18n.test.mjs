import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { CATALOGS, LANGUAGES, preferredLang, t } from "../../frontend/js/i18n.js";

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe("the catalogs", () => {
  it("give every key in every language, with the same placeholders", () => {
    for (const catalog of CATALOGS) {
      const english = catalog.en;
      for (const { code } of LANGUAGES) {
        const words = catalog[code];
        assert.deepEqual(Object.keys(words).sort(), Object.keys(english).sort(), `keys of ${code}`);
        for (const [key, text] of Object.entries(english)) {
          assert.deepEqual(placeholders(words[key]), placeholders(text), `${code} ${key}`);
          assert.ok(words[key].trim().length > 0, `${code} ${key} is empty`);
        }
      }
    }
  });

  it("prefix each key with its concern, and no key is in two catalogs", () => {
    const seen = new Set();
    for (const catalog of CATALOGS) {
      const prefixes = new Set(Object.keys(catalog.en).map((key) => key.split(".")[0]));
      assert.equal(prefixes.size, 1, `one concern per catalog: ${[...prefixes]}`);
      for (const key of Object.keys(catalog.en)) {
        assert.ok(!seen.has(key), `${key} twice`);
        seen.add(key);
      }
    }
  });
});

describe("t", () => {
  it("fills placeholders and falls back to English, then to the key", () => {
    assert.equal(t("core.progress_forward", { index: 2, total: 5 }, "en"), "Forward 2 / 5");
    assert.equal(t("core.progress_forward", { index: 2, total: 5 }, "zh-CN"), "前向传播 2 / 5");
    assert.equal(t("core.no_such_key", {}, "zh-CN"), "core.no_such_key");
    assert.equal(t("core.done", { out: "f" }, "en"), "Done: f = {value}");
  });

  it("does not read placeholders from Object's members", () => {
    assert.equal(t("core.downloaded", /** @type {any} */ ({}), "en"), "Downloaded {file}");
  });
});

describe("preferredLang", () => {
  it("reads any Chinese as 简体中文 and defaults to English", () => {
    assert.equal(preferredLang(["zh-TW", "en"]), "zh-CN");
    assert.equal(preferredLang(["fr-FR", "en-GB"]), "en");
    assert.equal(preferredLang(["fr-FR"]), "en");
    assert.equal(preferredLang([]), "en");
  });
});
