// @ts-check
// The phone view: follow the meeting live.

import { $, paragraphs, replaceChildren, setText } from "./dom.js";
import { config, locale, t } from "./i18n.js";
import { mountPhoneFloor } from "./floor.js";
import { mountPhoneRounds } from "./rounds-phone.js";
import { mountPhoneDemands } from "./demands-phone.js";
import { mountPhoneMinutes } from "./minutes-phone.js";
import { LiveConnection, showFatal } from "./live.js";
import { renderCountdown, everySecond } from "./timer.js";
import { agendaList, currentItem, metaLine, nowBody } from "./views.js";

const { token } = config();
const live = new LiveConnection({
  token,
  t,
  statusEl: $("#conn-status"),
  onFatal: (reason) => showFatal(reason, t),
});

let shownItemKey = null;

function render(state) {
  const { convening, me } = state;
  setText($("#convening-title"), convening.title);
  document.title = `${convening.title} · Convene`;
  setText($("#meta"), metaLine(convening, locale) ? `· ${metaLine(convening, locale)}` : "");
  const description = $("#convening-description");
  description.hidden = !convening.description;
  replaceChildren(description, paragraphs(convening.description, "description-text"));

  // Rebuild the "Now" card only when the current item changes, so the countdown does not flicker.
  const item = currentItem(state);
  const key = JSON.stringify(item);
  if (key !== shownItemKey || !state.agenda.length) {
    shownItemKey = key;
    replaceChildren($("#now-body"), nowBody(state, t, locale));
    $("#now").dataset.active = item ? "true" : "false";
  }
  replaceChildren($("#agenda"), agendaList(state, t));
  putTheVoteFirst(state);

  const connected = state.presence ? state.presence.participants_connected : null;
  setText($("#presence"), connected === null ? "–" : t("connected_count", { n: connected }));
  setText($("#joined"), `· ${t("joined_count", { n: state.participants })}`);
  setText($("#me-name"), me.name);
  setText($("#me-caucus"), me.caucus ? `(${me.caucus})` : "");
  tick();
}

/**
 * While a vote is open its ballot comes first: a phone in the hall should not have to scroll
 * past the item's notes to find it. In the document, not only on screen (CSS order), so the
 * reading and focus order follow.
 */
function putTheVoteFirst(state) {
  const voting = (state.rounds || []).some((round) => round.state === "open");
  const now = $("#now");
  const rounds = $("#rounds");
  if (voting && now.previousElementSibling !== rounds) now.before(rounds);
  else if (!voting && now.nextElementSibling !== rounds) now.after(rounds);
}

function tick() {
  if (!live.state) return;
  const el = /** @type {HTMLElement | null} */ (document.querySelector("#now-body .countdown"));
  if (el) renderCountdown(el, currentItem(live.state), live.serverNow(), t);
}

live.subscribe(render);
mountPhoneFloor(live, t, locale, { card: $("#floor"), body: $("#floor-body"), status: $("#floor-status"), announce: $("#floor-announce") });
mountPhoneDemands(live, t);
mountPhoneMinutes(live, t, config());
mountPhoneRounds(live, t, locale, { card: $("#rounds"), body: $("#rounds-body"), announce: $("#rounds-announce") });
live.connect();
everySecond(tick);
window.convene = live; // for debugging from the console, and for the browser tests
