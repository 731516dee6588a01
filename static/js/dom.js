// @ts-check
// Safe DOM building: text always goes through textContent, never innerHTML.

/**
 * What h() and replaceChildren() take as children: nodes, text (numbers too), lists of
 * children; null, undefined and false are skipped.
 * @typedef {Node | string | number | boolean | null | undefined | Child[]} Child
 */

/**
 * h("li", {class: "item", dataset: {id: 3}, onclick: fn, hidden: true}, "text", child, [more])
 * Attributes: `class`, `dataset`, `on<event>` handlers, booleans (true → present, false/null → absent),
 * anything else through setAttribute. Children: strings (as text), nodes, arrays, null/false (skipped).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any> | null} [attrs]
 * @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "value") /** @type {HTMLInputElement} */ (el).value = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/**
 * @param {Node} el
 * @param {Child[]} children
 */
function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/**
 * Replace every child of `el` with `children`, keeping focus on the element with the same data-key.
 * @param {Element} el
 * @param {Child[]} children
 */
export function replaceChildren(el, ...children) {
  const active = /** @type {HTMLElement | null} */ (document.activeElement);
  const inside = active && el.contains(active);
  const keys = /** @type {string[]} */ (inside ? [active.dataset.key, active.dataset.fallback].filter(Boolean) : []);
  el.replaceChildren();
  append(el, children);
  for (const key of keys) {
    const again = /** @type {HTMLButtonElement | null} */ (el.querySelector(`[data-key="${CSS.escape(key)}"]`));
    if (again && !again.disabled && !again.hidden) {
      again.focus();
      break;
    }
  }
}

/**
 * The first element that matches, or null. Typed `any`: the screens know what they look up
 * (a form, an input, a dialog) and use it as such.
 * @param {string} selector
 * @param {ParentNode} [root]
 * @returns {any}
 */
export function $(selector, root = document) {
  return root.querySelector(selector);
}

/**
 * Set the text of `el` (when it differs: no needless mutation for screen readers).
 * @param {Node | null | undefined} el
 * @param {string} text
 */
export function setText(el, text) {
  if (el && el.textContent !== text) el.textContent = text;
}

/**
 * Notes are plain text; keep the author's line breaks as separate paragraphs.
 * @param {string | null | undefined} text
 * @param {string} [className]
 */
export function paragraphs(text, className = "notes") {
  if (!text) return null;
  return h(
    "div",
    { class: className },
    text.split(/\n{2,}/).map((block) => h("p", {}, ...lines(block))),
  );
}

/** @param {string} block */
function lines(block) {
  /** @type {Child[]} */
  const out = [];
  block.split("\n").forEach((line, i) => {
    if (i) out.push(h("br"));
    out.push(line);
  });
  return out;
}

/**
 * Copy the value of an input to the clipboard, selecting it as a fallback.
 * @param {HTMLInputElement} input
 */
export async function copyFrom(input) {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}

/**
 * Wire every [data-copy=inputId] button on the page (or in `root`).
 * @param {(key: string) => string} t
 * @param {HTMLElement | null} status
 * @param {ParentNode} [root]
 */
export function wireCopyButtons(t, status, root = document) {
  for (const button of root.querySelectorAll("[data-copy]")) {
    if (!(button instanceof HTMLElement) || button.dataset.wired) continue;
    button.dataset.wired = "1";
    button.addEventListener("click", async () => {
      const input = /** @type {HTMLInputElement} */ (document.getElementById(button.dataset.copy ?? ""));
      const ok = await copyFrom(input);
      const label = button.textContent;
      button.textContent = ok ? t("copied") : label;
      if (status) status.textContent = ok ? t("copied") : t("copy_failed");
      if (ok) setTimeout(() => (button.textContent = label), 2000);
    });
  }
}

/**
 * `ids` with `id` moved `delta` places (−1 up, +1 down), or null when it would leave the list.
 * @template T
 * @param {T[]} ids
 * @param {T} id
 * @param {number} delta
 * @returns {T[] | null}
 */
export function moved(ids, id, delta) {
  const order = [...ids];
  const from = order.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= order.length) return null;
  [order[from], order[to]] = [order[to], order[from]];
  return order;
}

/** A small button. `label` names it for screen readers (an icon like ↑ needs one); it is also
 * the tooltip when it says more than the visible text.
 * @param {string} key  its data-key (focus stays on it across renders)
 * @param {string} label
 * @param {string} text
 * @param {(event: MouseEvent) => void} onclick
 * @param {{disabled?: boolean, fallback?: string | null, cls?: string, expanded?: boolean | string | null}} [options]
 */
export function smallButton(key, label, text, onclick, { disabled = false, fallback = null, cls = "", expanded = null } = {}) {
  return h(
    "button",
    {
      type: "button",
      class: `button button-small ${cls}`.trim(),
      "data-key": key,
      "data-fallback": fallback,
      "aria-label": label,
      title: label === text ? null : label,
      disabled,
      "aria-expanded": expanded,
      onclick,
    },
    text,
  );
}

/**
 * A "12 / 200" counter under a field, updated as one types. Returns the update (to call
 * when the field is changed from code).
 * @param {HTMLInputElement | HTMLTextAreaElement} field
 * @param {Element} counter
 * @param {number} max
 * @param {(key: string, params?: object) => string} t
 */
export function wireCounter(field, counter, max, t) {
  const update = () => setText(counter, t("chars_of", { n: field.value.length, max }));
  field.addEventListener("input", update);
  update();
  return update;
}

/**
 * A question asked in place (a removal to confirm), with a yes and a cancel button; Escape
 * cancels. The yes button carries `key`, so the focus can go to it.
 * @param {string} question
 * @param {string} key
 * @param {{yes: string, cancel: string}} words  the buttons' text
 * @param {() => void} onYes
 * @param {() => void} onNo
 */
export function confirmRow(question, key, words, onYes, onNo) {
  return h(
    "div",
    {
      class: "confirm-row",
      role: "group",
      "aria-label": question,
      onkeydown: (/** @type {KeyboardEvent} */ e) => {
        if (e.key === "Escape") onNo();
      },
    },
    h("span", {}, question),
    h("button", { type: "button", class: "button button-small button-danger", "data-key": key, onclick: onYes }, words.yes),
    h("button", { type: "button", class: "button button-small", onclick: onNo }, words.cancel),
  );
}

/**
 * ``text`` as one span per sentence, each a unit of the projector's pages (fit.js).
 * @param {string} text
 * @param {string} [locale]
 */
export function sentenceSpans(text, locale) {
  const parts = typeof Intl.Segmenter === "function" ? [...new Intl.Segmenter(locale, { granularity: "sentence" }).segment(text)].map((s) => s.segment) : [text];
  return parts.map((part) => h("span", { "data-page-item": "" }, part));
}

/** Longer sentences than this are cut at a comma or a space into pieces about PIECE long. */
const LONG_SENTENCE = 320;
const PIECE = 220;

/** Where the text of ``block`` (its text, markup aside) can go to another page: its sentences,
 * and long sentences at a comma or a space.
 * @param {string} text
 * @param {string} [locale]
 * @returns {number[]}
 */
function breakPoints(text, locale) {
  const starts = typeof Intl.Segmenter === "function" ? [...new Intl.Segmenter(locale, { granularity: "sentence" }).segment(text)].map((s) => s.index) : [0];
  /** @type {number[]} */
  const points = [];
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    points.push(start);
    let from = start;
    while (end - from > LONG_SENTENCE) {
      const window = text.slice(from + PIECE / 2, from + PIECE);
      const comma = Math.max(window.lastIndexOf(", "), window.lastIndexOf("; "));
      const space = window.lastIndexOf(" ");
      const cut = comma >= 0 ? comma + 2 : space >= 0 ? space + 1 : PIECE / 2;
      from += PIECE / 2 + cut;
      points.push(from);
    }
  });
  return points.filter((p, i) => p < text.length && (i === 0 || p > points[i - 1]));
}

/**
 * Wrap the text of ``block`` in one span[data-page-part] per sentence (long sentences in
 * pieces), keeping its markup (bold, links, <ins>/<del> of a diff): the projector's pages can
 * then split a paragraph too long for one page (fit.js). Returns ``block``.
 * @template {Element} E
 * @param {E} block
 * @param {string} [locale]
 * @returns {E}
 */
export function pageParts(block, locale) {
  const text = block.textContent ?? "";
  const points = breakPoints(text, locale);
  if (points.length < 2) return block;
  /** @type {{node: Text, at: number}[]} */
  const nodes = [];
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  let at = 0;
  for (let node = /** @type {Text | null} */ (walker.nextNode()); node; node = /** @type {Text | null} */ (walker.nextNode())) {
    nodes.push({ node, at });
    at += node.data.length;
  }
  /**
   * The text node and the offset in it of `offset` in the block's text.
   * @param {number} offset
   * @returns {[Text, number]}
   */
  const where = (offset) => {
    let i = nodes.length - 1;
    while (i > 0 && nodes[i].at > offset) i -= 1;
    return [nodes[i].node, Math.min(offset - nodes[i].at, nodes[i].node.data.length)];
  };
  const pieces = points.map((start, i) => {
    const range = document.createRange();
    range.setStart(...where(start));
    if (i + 1 < points.length) range.setEnd(...where(points[i + 1]));
    else range.setEndAfter(/** @type {ChildNode} */ (block.lastChild));
    return h("span", { "data-page-part": "" }, range.cloneContents());
  });
  block.replaceChildren(...pieces);
  return block;
}
