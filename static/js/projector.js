// @ts-check
// The projector: big, calm, readable from the back of the hall. Nothing to click.
// What it shows: the facilitator's choice (state.projector: auto, join, agenda, floor, one
// demand, one round), unless this link is pinned to a view (?show=floor, ?show=agenda,
// ?show=round&round_id=12, ...). In auto it follows the meeting: the item with its floor and
// demands, an open round, a closed round's result for a while (result_seconds).
// Every region fits its content to the screen (fit.js): smaller type, then pages.

import { $, h, replaceChildren, sentenceSpans, setText } from "./dom.js";
import { fitRegions } from "./fit.js";
import { config, locale, t } from "./i18n.js";
import { mountProjectorFloor } from "./floor.js";
import { mountProjectorRounds } from "./rounds-projector.js";
import { chosenView } from "./projector-view.js";
import { mountProjectorDemands } from "./demands.js";
import { LiveConnection, showFatal } from "./live.js";
import { itemDecisions } from "./tally-view.js";
import { everySecond, renderCountdown } from "./timer.js";
import { countdownEl, currentItem, metaLine, nextItem, timeboxText } from "./views.js";

const { token, room_languages: roomLanguages = [] } = config();
const live = new LiveConnection({
  token,
  t,
  statusEl: $("#conn-status"),
  onFatal: (reason) => showFatal(reason, t),
});

/** A view pinned by this link's address, or null to follow the facilitator's choice. */
function pinnedView() {
  const params = new URLSearchParams(window.location.search);
  const show = params.get("show");
  if (!["auto", "join", "agenda", "floor", "demand", "round"].includes(show)) return null;
  const id = (name) => (/^\d+$/.test(params.get(name) || "") ? Number(params.get(name)) : null);
  return { show, demand_id: id("demand_id"), round_id: id("round_id"), since: null, result_seconds: 90 };
}
const pinned = pinnedView();

/**
 * What the projector shows now (projector-view.js's chosenView).
 * @typedef {{mode: string, roundId?: number, demandId?: number, demands?: boolean}} View
 */

/** @type {View} */
let view = { mode: "before" };
let viewKey = "";
let shownKey = null;

function nowView(state) {
  const item = currentItem(state);
  if (!item) {
    const started = Boolean(state.convening.started_at);
    return [
      h("p", { class: "projector-eyebrow" }, started ? t("nothing_running") : t("welcome")),
      h("h1", { class: "projector-item-title" }, state.convening.title),
      h("p", { class: "projector-sub" }, metaLine(state.convening, locale) || (started ? "" : t("starting_soon"))),
    ];
  }
  const notes = item.notes
    ? h(
        "div",
        { class: "notes projector-notes" },
        item.notes.split(/\n{2,}/).map((block) => h("p", {}, sentenceSpans(block, locale))),
      )
    : null;
  return [
    h("p", { class: "projector-eyebrow" }, t("state_active")),
    h("h1", { class: "projector-item-title", "data-testid": "current-title" }, item.title),
    countdownEl("countdown-huge"),
    notes,
  ];
}

function agendaView(state) {
  return [
    h("h1", { class: "projector-section-title" }, t("agenda_title")),
    state.agenda.length
      ? h(
          "ol",
          { class: "proj-agenda", "data-testid": "projector-agenda-list" },
          state.agenda.map((item, index) =>
            h(
              "li",
              { class: `proj-agenda-item is-${item.state}`, "data-page-item": "", "data-testid": "projector-agenda-item" },
              h("span", { class: "proj-agenda-pos", "aria-hidden": "true" }, String(index + 1)),
              h(
                "span",
                { class: "proj-agenda-text" },
                h("span", { class: "proj-agenda-title" }, item.title),
                h(
                  "span",
                  { class: "proj-agenda-meta" },
                  [item.state === "active" ? t("state_running") : item.state === "done" ? t("state_done") : "", timeboxText(item, t)].filter(Boolean).join(" · "),
                ),
                itemDecisions(state, item, t),
              ),
            ),
          ),
        )
      : h("p", { class: "projector-sub" }, t("agenda_empty")),
  ];
}

function decide(state) {
  view = chosenView(state, live.serverNow(), pinned);
  const root = $("#live");
  root.dataset.mode = view.mode;
  root.dataset.phase = view.mode === "before" || view.mode === "join" ? "before" : "during";
  viewKey = JSON.stringify(view);
}

function render(state) {
  // Without a language of its own, the projector speaks the convening's: reload when the
  // facilitators change it (the page's words come from the server's catalogue).
  const language = state.convening.language;
  if (roomLanguages.includes(language) && language !== locale) {
    window.location.reload();
    return;
  }
  decide(state);
  setText($("#convening-title"), state.convening.title);
  document.title = `${state.convening.title} · Convene`;

  const item = currentItem(state);
  const key = JSON.stringify([item, view.mode, state.convening.title, state.convening.place, state.convening.date, state.convening.started_at]);
  if (key !== shownKey) {
    shownKey = key;
    replaceChildren($("#now-body"), nowView(state));
  }
  const agenda = $("#projector-agenda");
  agenda.hidden = view.mode !== "agenda";
  if (!agenda.hidden) replaceChildren(agenda, agendaView(state));
  const next = nextItem(state);
  setText($("#next-up"), next ? t("next_up", { title: next.title }) : "");
  const connected = state.presence ? state.presence.participants_connected : null;
  setText($("#presence"), connected === null ? "–" : t("connected_count", { n: connected }));
  tick();
}

function tick() {
  if (!live.state) return;
  // A closed round's time on the screen runs out: the floor is back.
  if (JSON.stringify(chosenView(live.state, live.serverNow(), pinned)) !== viewKey) live.notify();
  const el = /** @type {HTMLElement | null} */ (document.querySelector("#now-body .countdown"));
  if (el) renderCountdown(el, currentItem(live.state), live.serverNow(), t);
}

live.subscribe(render);
const currentView = () => view;
mountProjectorFloor(live, t, $("#projector-floor"), currentView);
mountProjectorDemands(live, t, $("#projector-demands"), currentView);
mountProjectorRounds(live, t, locale, $("#projector-round"), currentView);
fitRegions($("#live"), (n, total) => t("page_of", { n, total }));
live.connect();
everySecond(tick);
window.convene = live;
