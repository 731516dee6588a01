// Translated strings: the template renders them with |tojson into
// <script type="application/json" data-i18n> blocks; this merges them.

const strings = {};
for (const block of document.querySelectorAll('script[type="application/json"][data-i18n], #i18n')) {
  Object.assign(strings, JSON.parse(block.textContent));
}

/** t("connected_count", {n: 3}) → "3 connected" ({name} placeholders). */
export function t(key, params = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export function config() {
  const el = document.getElementById("config");
  return el ? JSON.parse(el.textContent) : {};
}

export const locale = document.documentElement.lang || "en";
