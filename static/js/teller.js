// @ts-check
// The teller's screen (issue 17 item 5): pick the open round, find the person by name
// (rounds.paper_roll: only those whose ballot may still be entered), fill their ballot with
// the phone's own ballot form (ballot-forms.js), confirm, and see it counted
// (rounds.paper_ballot). The live state only redraws the round's header and turnout; the
// ballot being entered is redrawn by the teller's own actions, so a turnout every second
// never takes the focus or the draft away.

import { $, h, replaceChildren, setText } from "./dom.js";
import { config, locale, t } from "./i18n.js";
import { ballotFields } from "./ballot-forms.js";
import { ballotArgs, emptyDraft, toggleRank } from "./ballot.js";
import { ordinal } from "./floor.js";
import { LiveConnection, showFatal } from "./live.js";
import { ballotText, roundMeta, turnoutText } from "./rounds.js";
import { optionLabel } from "./tally-view.js";

const ROLL_LIMIT = 50;
const SEARCH_DELAY_MS = 250;

const { token } = config();
const live = new LiveConnection({
  token,
  t,
  statusEl: $("#conn-status"),
  onFatal: (reason) => showFatal(reason, t),
});

/** @type {number | null} the round the teller works on */
let roundId = null;
/** @type {{id: number, name: string, weight: number} | null} whose ballot is being entered */
let person = null;
/** @type {import("./ballot.js").Draft | null} */
let draft = null;
let confirming = false;
let sending = false;
let search = "";
/** @type {ReturnType<typeof setTimeout> | undefined} */
let searchTimer;
/** the last result shown ("Counted: ..." or a refusal), kept until the next step */
let notice = /** @type {{kind: "ok" | "error", text: string} | null} */ (null);

const work = $("#teller-work");
const workBody = $("#teller-work-body");
const announce = $("#teller-status");

function openRounds(state) {
  return (state.rounds || []).filter((round) => round.state === "open");
}

function currentRound() {
  return live.state ? (live.state.rounds || []).find((r) => r.id === roundId) || null : null;
}

function say(text) {
  setText(announce, "");
  setTimeout(() => setText(announce, text), 50);
}

// -- the round: chosen among the open ones, its turnout kept live --------------------------------

function renderRound(state) {
  setText($("#convening-title"), state.convening.title);
  document.title = `${state.convening.title} · Convene`;
  const open = openRounds(state);
  const was = roundId;
  if (!open.some((r) => r.id === roundId)) roundId = open.length ? open[0].id : null;
  const body = $("#teller-round-body");
  if (!open.length) {
    replaceChildren(body, h("p", { "data-testid": "teller-no-round" }, t("teller_no_round")));
  } else {
    const round = open.find((r) => r.id === roundId);
    replaceChildren(
      body,
      open.length > 1
        ? h(
            "fieldset",
            { class: "teller-rounds" },
            h("legend", {}, t("teller_pick_round")),
            open.map((r) =>
              h(
                "label",
                { class: "choice" },
                h("input", {
                  type: "radio",
                  name: "teller-round",
                  value: String(r.id),
                  checked: r.id === roundId,
                  onchange: () => {
                    roundId = r.id;
                    startOver();
                    renderRound(live.state);
                  },
                }),
                ` ${r.title}`,
              ),
            ),
          )
        : null,
      h("h3", { class: "round-title", "data-testid": "teller-round-title" }, round.title),
      h("p", { class: "muted" }, roundMeta(round, t)),
      h("p", { class: "turnout", "data-testid": "teller-turnout" }, turnoutText(round.turnout, t, locale)),
    );
  }
  if (was !== roundId) {
    if (was !== null && person) notice = { kind: "error", text: t("teller_round_closed") };
    startOver();
  }
  work.hidden = roundId === null;
}

// -- the work: find the person, fill the ballot, confirm -----------------------------------------

function startOver() {
  person = null;
  draft = null;
  confirming = false;
  renderWork();
  if (roundId !== null) loadRoll();
}

function renderWork() {
  if (roundId === null) {
    replaceChildren(workBody);
    return;
  }
  const round = currentRound();
  const shown = notice
    ? h("p", { class: notice.kind === "ok" ? "receipt-ok" : "form-error", role: notice.kind === "ok" ? "status" : "alert", "data-testid": "teller-notice" }, notice.text)
    : null;
  if (!person || !round) {
    replaceChildren(workBody, shown, findForm());
    return;
  }
  const heading = h(
    "h3",
    { class: "ballot-subtitle", "data-testid": "teller-ballot-of" },
    t("teller_ballot_of", { name: person.name }),
    person.weight > 1 ? ` (${t("teller_weight", { weight: person.weight })})` : "",
  );
  if (confirming) {
    const args = ballotArgs(round, draft);
    replaceChildren(
      workBody,
      shown,
      heading,
      h("p", { class: "teller-confirm", "data-testid": "teller-confirm" }, t("teller_confirm", { name: person.name, ballot: ballotText(round, args, t) })),
      h(
        "p",
        { class: "button-row" },
        h("button", { type: "button", class: "button button-primary", "data-testid": "teller-enter", disabled: sending, onclick: () => enter(round, args) }, t("teller_enter")),
        h("button", { type: "button", class: "button", onclick: () => { confirming = false; notice = null; renderWork(); } }, t("teller_back")),
      ),
    );
    /** @type {HTMLElement | null} */ (workBody.querySelector("[data-testid=teller-enter]"))?.focus();
    return;
  }
  const fields = ballotFields(round, draft, {
    t,
    locale,
    tap: (id) => {
      const place = toggleRank(draft, id);
      const label = optionLabel(round, id);
      say(place ? t("ranked_nth", { option: label, place: ordinal(place, t, locale) }) : t("unranked", { option: label }));
      keepFocus(`rank-${round.id}-${id}`);
    },
    redraw: () => keepFocus(null),
  });
  replaceChildren(
    workBody,
    shown,
    heading,
    h(
      "form",
      {
        class: "ballot",
        "data-testid": "ballot",
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          if (!ballotArgs(round, draft)) {
            notice = { kind: "error", text: t("nothing_to_send") };
            renderWork();
            return;
          }
          notice = null;
          confirming = true;
          renderWork();
        },
      },
      fields,
      h(
        "p",
        { class: "button-row" },
        h("button", { type: "submit", class: "button button-primary", "data-testid": "teller-review" }, t("teller_review")),
        h("button", { type: "button", class: "button", onclick: () => { notice = null; startOver(); } }, t("teller_other_person")),
      ),
    ),
  );
}

/** Draw the ballot again after a change, keeping the focus on the control with `key`. */
function keepFocus(key) {
  const active = /** @type {HTMLElement | null} */ (document.activeElement);
  const focusKey = key || (active && active.dataset ? active.dataset.key : null);
  renderWork();
  if (focusKey) /** @type {HTMLElement | null} */ (workBody.querySelector(`[data-key="${focusKey}"]`))?.focus();
}

/** @type {HTMLElement | null} */
let rollList = null;
/** @type {HTMLElement | null} */
let rollStatus = null;

function findForm() {
  const input = h("input", {
    id: "teller-search",
    type: "search",
    autocomplete: "off",
    maxlength: 60,
    value: search,
    "aria-describedby": "teller-search-hint",
    "data-testid": "teller-search",
    oninput: (event) => {
      search = event.currentTarget.value;
      clearTimeout(searchTimer);
      searchTimer = setTimeout(loadRoll, SEARCH_DELAY_MS);
    },
  });
  rollStatus = h("p", { class: "hint", role: "status", "data-testid": "teller-roll-status" });
  rollList = h("ul", { class: "teller-roll", "data-testid": "teller-roll" });
  return h(
    "div",
    { class: "form" },
    h("label", { for: "teller-search" }, t("teller_search_label")),
    input,
    h("p", { class: "hint", id: "teller-search-hint" }, t("teller_search_hint")),
    rollStatus,
    rollList,
  );
}

let rollAsked = 0;

async function loadRoll() {
  if (roundId === null || person) return;
  const asked = ++rollAsked;
  const forRound = roundId;
  if (rollStatus) setText(rollStatus, t("teller_searching"));
  let roll;
  try {
    roll = await live.command("rounds.paper_roll", { round_id: forRound, search: search.trim(), limit: ROLL_LIMIT });
  } catch (error) {
    if (asked === rollAsked && rollStatus) setText(rollStatus, t("teller_refused", { message: error.message || String(error) }));
    return;
  }
  if (asked !== rollAsked || forRound !== roundId || person || !rollList || !rollStatus) return;
  const found = roll.people.length;
  setText(
    rollStatus,
    !found ? t("teller_none_found") : roll.total > found ? t("teller_more", { shown: found, total: roll.total }) : t("teller_matches", { n: roll.total }),
  );
  replaceChildren(
    rollList,
    roll.people.map((p) =>
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: "button button-block teller-person", "data-testid": "teller-person", onclick: () => pick(p) },
          p.name,
          p.weight > 1 ? h("span", { class: "muted" }, ` · ${t("teller_weight", { weight: p.weight })}`) : null,
        ),
      ),
    ),
  );
}

function pick(p) {
  const round = currentRound();
  if (!round) return;
  person = p;
  draft = emptyDraft(round, null);
  confirming = false;
  notice = null;
  renderWork();
  /** @type {HTMLElement | null} */ (workBody.querySelector("button, input, select"))?.focus();
}

async function enter(round, args) {
  if (sending || !person) return;
  sending = true;
  const who = person;
  renderWork();
  try {
    const reply = await live.command("rounds.paper_ballot", { round_id: round.id, member_id: who.id, ...args });
    notice = { kind: "ok", text: t("teller_counted", { name: reply.name, receipt: reply.receipt }) };
    search = "";
    sending = false;
    startOver();
    /** @type {HTMLElement | null} */ (document.getElementById("teller-search"))?.focus();
  } catch (error) {
    sending = false;
    notice = { kind: "error", text: t("teller_refused", { message: error.message || String(error) }) };
    confirming = false;
    if (error.code === "conflict" || error.code === "not_found") {
      person = null; // voted already, or no longer a participant: back to the list
      renderWork();
      loadRoll();
    } else {
      renderWork();
    }
  }
  say(notice ? notice.text : "");
}

live.subscribe(renderRound);
live.connect();
window.convene = live; // for debugging from the console, and for the browser tests
