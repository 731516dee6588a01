// @ts-check
// The facilitator console: the page that mounts its panels (agenda editor, people, floor,
// rounds, demands, the roster import, the projector), the one message region they share, the
// current item, invitations and settings.

import { $, h, replaceChildren, setText, wireCopyButtons } from "./dom.js";
import { config, locale, t } from "./i18n.js";
import { mountConsoleAgenda } from "./agenda-console.js";
import { mountConsoleFloor } from "./floor-console.js";
import { mountConsolePeople } from "./people-console.js";
import { mountConsoleRoster } from "./roster-console.js";
import { mountConsoleBadges } from "./badges-console.js";
import { mountConsoleRounds } from "./rounds-console.js";
import { mountProjectorControl } from "./projector-control.js";
import { mountConsoleDemands } from "./demands-console.js";
import { LiveConnection, showFatal } from "./live.js";
import { everySecond, renderCountdown } from "./timer.js";
import { currentItem, nextItem, nowBody } from "./views.js";

const cfg = config();
const live = new LiveConnection({
  token: cfg.token,
  t,
  statusEl: $("#conn-status"),
  onFatal: (reason) => showFatal(reason, t),
});

// -- messages --------------------------------------------------------------------------------

const messages = $("#messages");
let messageTimer = null;

/** A message in the panel being used (where the focus is), so that no banner covers it: the
 * one message region moves there (else it sits at the top of the console). */
const messagesHome = messages.parentElement;
const messagesNext = messages.nextSibling;

// The panel last used: a button that was pressed may be gone by the time its reply comes.
let lastPanel = null;
document.addEventListener("focusin", (event) => {
  const target = /** @type {Element} */ (event.target);
  const panel = target.closest ? target.closest("#live .card") : null;
  if (panel) lastPanel = panel;
});

/**
 * A message in the console's live region; all but errors go after 5 s.
 * @param {string} text
 * @param {string} [kind]  info, error, ...
 */
function say(text, kind = "info") {
  clearTimeout(messageTimer);
  const active = document.activeElement;
  const focused = active && active.closest ? active.closest("#live .card") : null;
  const panel = focused || (lastPanel && lastPanel.isConnected ? lastPanel : null);
  if (panel) {
    const heading = panel.querySelector(":scope > h2, :scope > details > summary");
    if (heading && messages.previousElementSibling !== heading) heading.after(messages);
    else if (!heading && messages.parentElement !== panel) panel.prepend(messages);
  } else if (messages.parentElement !== messagesHome) {
    messagesHome.insertBefore(messages, messagesNext);
  }
  replaceChildren(messages, h("p", { class: `message message-${kind}`, role: kind === "error" ? "alert" : null }, text));
  if (kind !== "error") messageTimer = setTimeout(() => replaceChildren(messages), 5000);
}

/** The field the last refused command named (the agenda's add form marks it). */
let lastErrorField = null;

/**
 * Run a command; show its error in the live region. Resolves to the result or undefined.
 * @param {string} name
 * @param {object} args
 */
async function run(name, args) {
  lastErrorField = null;
  try {
    return await live.command(name, args);
  } catch (error) {
    lastErrorField = error.field || null;
    say(error.message || String(error), "error");
    return undefined;
  }
}

// -- current item ------------------------------------------------------------------------------

let shownNowKey = null;

function renderNow(state) {
  const item = currentItem(state);
  const next = nextItem(state);
  const key = JSON.stringify([item, next && next.id, next && next.title]);
  if (key === shownNowKey) return;
  shownNowKey = key;
  const actions = h(
    "div",
    { class: "now-actions" },
    item
      ? h("button", { type: "button", class: "button", "data-key": "now-end", onclick: () => run("agenda.end", { item_id: item.id }) }, t("end_item"))
      : null,
    next
      ? h(
          "button",
          { type: "button", class: "button button-primary", "data-key": "now-next", onclick: () => run("agenda.start", { item_id: next.id }) },
          item ? t("start_next", { title: next.title }) : `${t("start")}: ${next.title}`,
        )
      : null,
  );
  replaceChildren($("#now-body"), nowBody(state, t, locale, { titleTag: "p", actions }));
}

// -- private links -----------------------------------------------------------------------------

function linkBox(id, title, url, warning) {
  const box = h(
    "div",
    { class: "link-box" },
    h("p", { class: "link-box-title" }, title),
    warning ? h("p", { class: "warning" }, warning) : null,
    h(
      "div",
      { class: "copy-field" },
      h("label", { for: id, class: "visually-hidden" }, title),
      h("input", { id, type: "text", readonly: true, value: url, "data-testid": id }),
      h("button", { type: "button", class: "button", "data-copy": id }, t("copy")),
    ),
  );
  return box;
}

const enterUrl = (token) => cfg.enter_url_pattern.replace("TOKEN", encodeURIComponent(token));

$("#make-projector")?.addEventListener("click", async (event) => {
  const button = event.currentTarget;
  const result = await run("members.invite", { role: "projector" });
  if (!result) return;
  const url = enterUrl(result.token);
  const box = $("#projector-link-box");
  replaceChildren(
    box,
    linkBox("projector-url", t("projector_link_title"), url),
    h("a", { class: "button button-primary", href: url, target: "_blank", rel: "noopener" }, t("open")),
  );
  box.hidden = false;
  button.hidden = true;
  wireCopyButtons(t, messages, box);
  box.querySelector("input").focus();
});

$("#invite").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const name = form.elements.name.value.trim();
  const chosen = form.elements.role.value;
  const role = chosen === "teller" || chosen === "desk" ? chosen : "facilitator";
  const args = { role };
  if (name) args.name = name;
  const result = await run("members.invite", args);
  if (!result) return;
  const box = $("#invite-result");
  const who = name || t(`role_${role}`);
  const warning = role === "facilitator" ? t("invite_warning") : t(`invite_warning_${role}`);
  replaceChildren(box, linkBox(`invite-url-${result.id}`, t("invite_link_title", { name: who }), enterUrl(result.token), warning));
  box.hidden = false;
  form.reset();
  wireCopyButtons(t, messages, box);
  box.querySelector("input").focus();
});

// -- settings ----------------------------------------------------------------------------------

const settings = $("#settings");
let settingsDirty = false;
settings.addEventListener("input", () => (settingsDirty = true));

function renderSettings(state) {
  const c = state.convening;
  setText($("#s-passcode-help"), c.requires_passcode ? t("passcode_set") : t("passcode_none"));
  $("#s-clear-passcode-row").hidden = !c.requires_passcode;
  if (settingsDirty) return;
  settings.elements.title.value = c.title || "";
  settings.elements.description.value = c.description || "";
  settings.elements.place.value = c.place || "";
  settings.elements.date.value = c.date || "";
  if (settings.elements.language) settings.elements.language.value = c.language || "en";
  settings.elements.passcode.value = "";
  settings.elements.clear_passcode.checked = false;
  settings.elements.accredited_voting.checked = Boolean(c.accredited_voting);
}

settings.addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = settings.elements;
  const args = {
    title: f.title.value,
    description: f.description.value,
    place: f.place.value,
    date: f.date.value || null,
  };
  if (f.language) args.language = f.language.value;
  if (f.passcode.value.trim()) args.passcode = f.passcode.value.trim();
  else if (f.clear_passcode.checked) args.passcode = "";
  args.accredited_voting = f.accredited_voting.checked;
  const result = await run("convening.update", args);
  if (result !== undefined) {
    settingsDirty = false;
    say(t("saved"));
    renderSettings(live.state);
  }
});

// -- wiring ------------------------------------------------------------------------------------

function render(state) {
  setText($("#header-title"), state.convening.title);
  document.title = `${state.convening.title} · Convene`;
  renderNow(state);
  renderSettings(state);
  renderCheckins(state);
  tick();
}

/** The desk's count, live (checkin.in / checkin.out carry it; the snapshot too). */
function renderCheckins(state) {
  const box = $("#checkins-count");
  const counts = state.checkins;
  box.hidden = !counts || !counts.roster;
  if (counts) setText(box, t("checkins_count", { n: counts.checked_in, voters: counts.voters, roster: counts.roster }));
  // who holds which seat (seat.taken / seat.returned, the snapshot's seats)
  const seats = state.seats || [];
  $("#roster-seats").hidden = seats.length === 0;
  replaceChildren(
    $("#roster-seats-list"),
    seats.map((s) => h("li", { "data-testid": "roster-seat" }, t("roster_seat", { name: s.name, seat: s.seat_name, delegation: s.delegation }))),
  );
}

function tick() {
  if (!live.state) return;
  const el = /** @type {HTMLElement | null} */ (document.querySelector("#now-body .countdown"));
  if (el) renderCountdown(el, currentItem(live.state), live.serverNow(), t);
}

wireCopyButtons(t, messages);
live.subscribe(render);
mountConsoleAgenda(live, t, run, say, () => lastErrorField);
mountConsolePeople(live, t, run, say, locale);
mountConsoleFloor(live, t, run, say);
mountConsoleRounds(live, t, run, say, locale);
mountConsoleDemands(live, t, run, say);
mountConsoleRoster({ token: cfg.token, code: cfg.code, maxBytes: cfg.roster_max_bytes }, t);
mountConsoleBadges({ token: cfg.token, code: cfg.code }, t);
mountProjectorControl(live, t, run, say);
live.connect();
everySecond(tick);
window.convene = live;
