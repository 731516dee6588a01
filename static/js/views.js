// @ts-check
// Pieces every live screen shares: the current item card and the agenda list.

import { h, paragraphs } from "./dom.js";
import { clockTime } from "./timer.js";
import { itemDecisions } from "./tally-view.js";

export function currentItem(state) {
  if (state.current_item_id == null) return null;
  return state.agenda.find((item) => item.id === state.current_item_id) || null;
}

export function nextItem(state) {
  const current = currentItem(state);
  const after = current ? state.agenda.filter((i) => i.position > current.position) : state.agenda;
  return after.find((i) => i.state === "pending") || null;
}

export function countdownEl(extraClass = "") {
  return h(
    "p",
    { class: `countdown ${extraClass}`.trim(), role: "timer", "data-testid": "countdown", hidden: true },
    h("span", { class: "countdown-time" }),
    " ",
    h("span", { class: "countdown-label" }),
  );
}

export function timeboxText(item, t) {
  return item.timebox_minutes ? t("minutes", { n: item.timebox_minutes }) : "";
}

/**
 * The "Now" card body: the current item's title, countdown and notes, or a calm empty state.
 * @param {any} state
 * @param {(key: string, params?: object) => string} t
 * @param {string} locale
 * @param {{titleTag?: keyof HTMLElementTagNameMap, actions?: any}} [options]
 */
export function nowBody(state, t, locale, { titleTag = "h3", actions = null } = {}) {
  const item = currentItem(state);
  if (!item) {
    return [
      h("p", { class: "now-empty" }, t("nothing_running")),
      state.agenda.length ? h("p", { class: "hint" }, t("nothing_running_hint")) : null,
      actions,
    ];
  }
  return [
    h(titleTag, { class: "now-title", "data-testid": "current-title" }, item.title),
    h(
      "p",
      { class: "now-meta muted" },
      t("started_at", { time: clockTime(item.started_at, locale) }),
      item.timebox_minutes ? ` · ${timeboxText(item, t)}` : "",
    ),
    countdownEl(),
    paragraphs(item.notes),
    actions,
  ];
}

/** A read-only agenda list with states, for phones. */
export function agendaList(state, t) {
  if (!state.agenda.length) return [h("li", { class: "agenda-empty muted" }, t("agenda_empty"))];
  return state.agenda.map((item, index) =>
    h(
      "li",
      { class: `agenda-item state-${item.state}`, dataset: { id: item.id } },
      h("span", { class: "agenda-number", "aria-hidden": "true" }, String(index + 1)),
      h(
        "span",
        { class: "agenda-text" },
        h("span", { class: "agenda-title" }, item.title),
        item.timebox_minutes ? h("span", { class: "agenda-timebox muted" }, timeboxText(item, t)) : null,
        itemDecisions(state, item, t),
      ),
      h("span", { class: `badge badge-${item.state}` }, t(`state_${item.state}`)),
    ),
  );
}

export function metaLine(convening, locale) {
  const parts = [];
  if (convening.place) parts.push(convening.place);
  if (convening.date) {
    const date = new Date(`${convening.date}T12:00:00`);
    parts.push(date.toLocaleDateString(locale, { weekday: "short", day: "numeric", month: "short" }));
  }
  return parts.join(" · ");
}
