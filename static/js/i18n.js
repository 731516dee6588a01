// @ts-check
// Translated strings, from the page's own gettext catalogue: the template renders them with
// |tojson into <script type="application/json" data-i18n> blocks; this merges them. A counted
// string (js_ngettext in the template) arrives as {category: text}, one text per CLDR plural
// category of the page's language; t() picks one with Intl.PluralRules.

/** @type {Record<string, string | Record<string, string>>} */
const strings = {};
for (const block of document.querySelectorAll('script[type="application/json"][data-i18n], #i18n')) {
  Object.assign(strings, JSON.parse(block.textContent));
}

export const locale = document.documentElement.lang || "en";

const plurals = new Intl.PluralRules(locale);
const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 5 });

/**
 * A number as the page's language writes it (1,234.5 or 1.234,5).
 * @param {number} value
 */
export function formatNumber(value) {
  return numbers.format(value);
}

/** t("connected_count", {n: 3}) → "3 connected": {name} placeholders; numbers are written
 * in the page's language; a counted string takes its form from params.n (or the parameter
 * its template names).
 * @param {string} key
 * @param {Record<string, unknown>} [params]
 * @returns {string}
 */
export function t(key, params = {}) {
  let text = strings[key] ?? key;
  if (typeof text === "object") {
    const count = Number(params[text._count ?? "n"] ?? 0);
    text = text[plurals.select(count)] ?? text.other ?? Object.values(text)[0];
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in params)) return whole;
    const value = params[name];
    return typeof value === "number" ? numbers.format(value) : String(value);
  });
}

/**
 * The page's settings (its <script type="application/json" id="config">), or {}: each page's
 * template writes its own (token, code, role, ...).
 * @returns {any}
 */
export function config() {
  const el = document.getElementById("config");
  return el ? JSON.parse(el.textContent) : {};
}
