// The projector: big, calm, readable from the back of the hall. Nothing to click.

import { $, h, paragraphs, replaceChildren, setText } from "./dom.js";
import { config, locale, t } from "./i18n.js";
import { mountProjectorFloor } from "./floor.js";
import { mountProjectorRounds } from "./rounds.js";
import { mountProjectorDemands } from "./demands.js";
import { LiveConnection, showFatal } from "./live.js";
import { everySecond, renderCountdown } from "./timer.js";
import { countdownEl, currentItem, metaLine, nextItem } from "./views.js";

const { token, room_languages: roomLanguages = [] } = config();
const live = new LiveConnection({
  token,
  t,
  statusEl: $("#conn-status"),
  onFatal: (reason) => showFatal(reason, t),
});

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
  return [
    h("p", { class: "projector-eyebrow" }, t("state_active")),
    h("h1", { class: "projector-item-title", "data-testid": "current-title" }, item.title),
    countdownEl("countdown-huge"),
    paragraphs(item.notes, "notes projector-notes"),
  ];
}

function render(state) {
  // Without a language of its own, the projector speaks the convening's: reload when the
  // facilitators change it (the page's words come from the server's catalogue).
  const language = state.convening.language;
  if (roomLanguages.includes(language) && language !== locale) {
    window.location.reload();
    return;
  }
  const phase = state.convening.started_at ? "during" : "before";
  $("#live").dataset.phase = phase;
  setText($("#convening-title"), state.convening.title);
  document.title = `${state.convening.title} · Convene`;

  const item = currentItem(state);
  const key = JSON.stringify([item, phase, state.convening.title, state.convening.place, state.convening.date]);
  if (key !== shownKey) {
    shownKey = key;
    replaceChildren($("#now-body"), nowView(state));
  }
  const next = nextItem(state);
  setText($("#next-up"), next ? t("next_up", { title: next.title }) : "");
  const connected = state.presence ? state.presence.participants_connected : null;
  setText($("#presence"), connected === null ? "–" : t("connected_count", { n: connected }));
  tick();
}

function tick() {
  if (!live.state) return;
  const el = document.querySelector("#now-body .countdown");
  if (el) renderCountdown(el, currentItem(live.state), live.serverNow(), t);
}

live.subscribe(render);
mountProjectorFloor(live, t, $("#projector-floor"));
mountProjectorDemands(live, t, $("#projector-demands"));
mountProjectorRounds(live, t, locale, $("#projector-round"));
live.connect();
everySecond(tick);
window.convene = live;
