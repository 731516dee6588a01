// @ts-check
// The facilitator's minutes page: the live minutes, notes per agenda item, action items,
// finalizing (with a confirmation step), the minutes_public setting and the downloads.

import { $, h, paragraphs, replaceChildren, setText } from "./dom.js";
import { config, locale, t } from "./i18n.js";
import { apiGet as fetchWithToken, downloadFile } from "./download.js";
import { LiveConnection, showFatal } from "./live.js";
import { methodOf } from "./methods.js";

const cfg = config();
const live = new LiveConnection({
  token: cfg.token,
  t,
  statusEl: $("#conn-status"),
  onFatal: (reason) => showFatal(reason, t),
});
const API = `/api/convenings/${encodeURIComponent(cfg.code)}`;

// What only this page knows: unsaved note drafts, whether finalizing awaits confirmation.
const ui = { drafts: new Map(), confirming: false, doc: null, changed: true };

// What a final version is compared on (as the server does): all but its stamp and log position.
const STAMP = new Set(["final", "version", "approved_by", "approved_at", "last_seq"]);

function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]));
  }
  return value;
}

function comparable(doc) {
  return JSON.stringify(canonical(Object.fromEntries(Object.entries(doc).filter(([key]) => !STAMP.has(key)))));
}

// -- messages ----------------------------------------------------------------------------------

const messages = $("#messages");
let messageTimer = null;

function say(text, kind = "info") {
  clearTimeout(messageTimer);
  replaceChildren(messages, h("p", { class: `message message-${kind}`, role: kind === "error" ? "alert" : null }, text));
  if (kind !== "error") messageTimer = setTimeout(() => replaceChildren(messages), 5000);
}

async function run(name, args) {
  try {
    return await live.command(name, args);
  } catch (error) {
    say(error.message || String(error), "error");
    return undefined;
  }
}

function when(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

function time(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString(locale, { timeStyle: "short" });
}

// -- the API over HTTP (the documents and the downloads) ---------------------------------------

function apiGet(path) {
  return fetchWithToken(`${API}${path}`, cfg.token);
}

async function download(path) {
  try {
    await downloadFile(`${API}${path}`, cfg.token, "minutes");
  } catch (error) {
    say(t("download_failed", { message: error.message }), "error");
  }
}

for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-download]"))) {
  button.addEventListener("click", () => download(`/minutes?format=${button.dataset.download}`));
}

// -- the live document ---------------------------------------------------------------------------

let loading = null;
let loadAgain = false;

async function refresh() {
  if (loading) {
    loadAgain = true;
    return loading;
  }
  loading = (async () => {
    try {
      const hasFinal = Boolean(live.state && live.state.minutes_final);
      const [doc, list, final] = await Promise.all([
        apiGet("/minutes?format=json&live=1").then((r) => r.json()),
        live.command("actions.list", {}),
        hasFinal ? apiGet("/minutes?format=json").then((r) => r.json()) : null,
      ]);
      ui.doc = doc;
      ui.changed = !final || !final.final || comparable(final) !== comparable(doc);
      if (live.state) renderFinal(live.state);
      renderDoc(doc);
      renderActions(list.actions);
      renderRoundDownloads(doc);
      setText($("#doc-updated"), t("updated_at", { time: time(new Date().toISOString()) }));
    } catch (error) {
      say(t("load_failed", { message: error.message || String(error) }), "error");
    } finally {
      $("#doc").setAttribute("aria-busy", "false");
      loading = null;
      if (loadAgain) {
        loadAgain = false;
        refresh();
      }
    }
  })();
  return loading;
}

$("#refresh").addEventListener("click", () => refresh());

function section(title, ...children) {
  return h("section", { class: "minutes-section" }, h("h3", {}, title), ...children);
}

/** "2026-12-01" → "1 dic 2026" / "Dec 1, 2026" (a calendar day: no time zone shift). */
function day(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  if (!y || !m || !d) return iso;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(locale, { dateStyle: "medium", timeZone: "UTC" });
}

/** A closed round's outcome in the page's language (the document's `decision` is English). */
function decision(round) {
  if (methodOf(round.method).proposal && round.options.length) {
    return t(round.passed ? "decision_passed" : "decision_not_passed", { proposal: round.options[0] });
  }
  const winners = round.winners || [];
  if (!winners.length) return t("decision_none");
  if (winners.length === 1) return t("decision_chosen", { option: winners[0] });
  return t("decision_chosen_list", { options: winners.join(", ") });
}

/** The files a closed round is exported as (its method's record: csv, blt, cvr, summary). */
function exportsOf(round) {
  return methodOf(round.method).exports;
}

function translated(prefix, key, fallback) {
  const text = t(`${prefix}_${key}`);
  return text === `${prefix}_${key}` ? fallback : text;
}

function roundBlock(round) {
  return h(
    "div",
    { class: "minutes-round", "data-testid": "minutes-round" },
    h("p", { class: "minutes-round-title" }, t("round_line", { id: round.id, title: round.title, method: translated("method", round.method, round.method_name), voted: round.voted })),
    round.state === "closed" ? h("p", { class: `minutes-decision ${round.passed === false ? "is-not-passed" : ""}`.trim() }, decision(round)) : h("p", { class: "muted" }, t("round_open")),
  );
}

function noteForm(item) {
  const id = `note-${item.id}`;
  const draft = ui.drafts.has(item.id) ? ui.drafts.get(item.id) : item.notes || "";
  const area = h("textarea", { id, name: "text", rows: 3, maxlength: 8000, "data-key": id, value: draft });
  area.addEventListener("input", () => ui.drafts.set(item.id, area.value));
  return h(
    "form",
    {
      class: "form note-form",
      "data-testid": "note-form",
      onsubmit: async (event) => {
        event.preventDefault();
        const saved = await run("minutes.note", { agenda_item_id: item.id, text: area.value });
        if (saved) {
          ui.drafts.delete(item.id);
          say(t("note_saved"));
        }
      },
    },
    h("label", { for: id }, t("note_label", { title: item.title })),
    area,
    h("button", { type: "submit", class: "button button-small", "data-key": `${id}-save` }, t("save_note")),
  );
}

function actionText(action) {
  const line = t("action_line", { what: action.what, who: action.who });
  return action.due ? `${line}, ${t("by_due", { due: day(action.due) })}` : line;
}

function itemBlock(item) {
  const times = item.started_at
    ? t("from_to", { start: when(item.started_at), end: item.ended_at ? time(item.ended_at) : t("still_running") })
    : t("not_taken_up");
  return h(
    "article",
    { class: "minutes-item", "data-testid": "minutes-item", dataset: { id: item.id } },
    h("h3", {}, `${item.number}. ${item.title}`),
    h("p", { class: "muted minutes-times" }, times),
    item.notes ? h("div", { class: "minutes-notes", "data-testid": "minutes-notes" }, h("h4", {}, t("notes")), paragraphs(item.notes)) : null,
    item.demands.length
      ? h("div", {}, h("h4", {}, t("demands")), h("ul", {}, item.demands.map((d) => h("li", {}, `${d.title} (${translated("status", d.status, d.status)})`))))
      : null,
    item.rounds.length ? h("div", {}, h("h4", {}, t("rounds")), item.rounds.map(roundBlock)) : null,
    item.actions.length
      ? h("div", {}, h("h4", {}, t("actions")), h("ul", {}, item.actions.map((a) => h("li", {}, actionText(a)))))
      : null,
    noteForm(item),
  );
}

function renderDoc(doc) {
  const c = doc.convening;
  const a = doc.attendance;
  const meta = [
    c.date ? `${t("date")}: ${day(c.date)}` : null,
    c.place ? `${t("place")}: ${c.place}` : null,
    doc.facilitators.length ? `${t("facilitators")}: ${doc.facilitators.join(", ")}` : null,
  ].filter(Boolean);
  const other = doc.other.rounds.length
    ? section(t("outside"), doc.other.rounds.map(roundBlock))
    : null;
  replaceChildren(
    $("#doc"),
    h("p", { class: "minutes-convening" }, c.title),
    meta.length ? h("p", { class: "muted" }, meta.join(" · ")) : null,
    section(t("attendance"), h("p", {}, t("attendance_line", { joined: a.joined, peak: a.peak, end: a.present_at_end }))),
    h("div", { class: "minutes-items" }, doc.items.map(itemBlock)),
    other,
    section(
      t("adopted_demands"),
      doc.adopted_demands.length
        ? h("ol", {}, doc.adopted_demands.map((d) => h("li", {}, h("strong", {}, d.title), paragraphs(d.body))))
        : h("p", { class: "muted" }, t("no_adopted")),
    ),
    section(
      t("actions"),
      doc.actions.length
        ? h("ul", { "data-testid": "minutes-actions" }, doc.actions.map((x) => h("li", {}, actionText(x))))
        : h("p", { class: "muted" }, t("no_actions")),
    ),
  );
}

function renderActions(actions) {
  replaceChildren(
    $("#actions"),
    actions.length
      ? actions.map((action) =>
          h(
            "li",
            { class: "action", "data-testid": "action" },
            h("span", { class: "action-what" }, action.what),
            h("span", { class: "muted" }, [action.who, action.due ? t("by_due", { due: day(action.due) }) : null, action.agenda_item].filter(Boolean).join(" · ")),
          ),
        )
      : h("li", { class: "muted" }, t("no_actions")),
  );
}

function renderRoundDownloads(doc) {
  const rounds = [...doc.items.flatMap((item) => item.rounds), ...doc.other.rounds].filter((r) => r.state === "closed");
  replaceChildren(
    $("#round-downloads"),
    rounds.length
      ? rounds.map((round) =>
          h(
            "li",
            {},
            h("span", {}, t("round_downloads", { id: round.id, title: round.title })),
            h(
              "span",
              { class: "download-buttons" },
              h("button", { type: "button", class: "button button-small", onclick: () => download(`/rounds/${round.id}/ballots.csv`) }, t("csv")),
              exportsOf(round).includes("blt")
                ? h("button", { type: "button", class: "button button-small", onclick: () => download(`/rounds/${round.id}/ballots.blt`) }, t("blt"))
                : null,
              exportsOf(round).includes("cvr")
                ? h("button", { type: "button", class: "button button-small", onclick: () => download(`/rounds/${round.id}/cvr.json`) }, t("cvr"))
                : null,
              exportsOf(round).includes("summary")
                ? h("button", { type: "button", class: "button button-small", onclick: () => download(`/rounds/${round.id}/summary.json`) }, t("summary"))
                : null,
            ),
          ),
        )
      : h("li", { class: "muted" }, t("no_closed_rounds")),
  );
}

// -- action items --------------------------------------------------------------------------------

const actionForm = $("#add-action");
actionForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = actionForm.elements;
  const what = f.what.value.trim();
  const who = f.who.value.trim();
  if (!what || !who) {
    say(t("what_required"), "error");
    (what ? f.who : f.what).focus();
    return;
  }
  const args = { what, who };
  if (f.due.value) args.due = f.due.value;
  if (f.agenda_item_id.value) args.agenda_item_id = Number(f.agenda_item_id.value);
  actionForm.setAttribute("aria-busy", "true");
  const added = await run("actions.add", args);
  actionForm.removeAttribute("aria-busy");
  if (added) {
    actionForm.reset();
    say(t("action_added"));
    f.what.focus();
  }
});

let shownItemsKey = null;

function renderItemChoices(state) {
  const key = JSON.stringify(state.agenda.map((item) => [item.id, item.title]));
  if (key === shownItemsKey) return;
  shownItemsKey = key;
  const select = actionForm.elements.agenda_item_id;
  const chosen = select.value || (state.current_item_id ? String(state.current_item_id) : "");
  replaceChildren(
    select,
    h("option", { value: "" }, t("no_item")),
    state.agenda.map((item) => h("option", { value: String(item.id) }, `${item.position + 1}. ${item.title}`)),
  );
  select.value = chosen;
}

// -- final versions ------------------------------------------------------------------------------

let shownFinalKey = null;

function renderFinal(state) {
  const final = state.minutes_final;
  const key = JSON.stringify([final, ui.confirming, ui.changed]);
  if (key === shownFinalKey) return;
  shownFinalKey = key;
  const status = $("#final-status");
  status.dataset.final = final ? "true" : "false";
  setText(status, final ? t("final_status", { name: final.approved_by, when: when(final.approved_at), version: final.version }) : t("draft"));
  const label = final ? t("finalize_again", { version: final.version + 1 }) : t("finalize");
  const unchanged = final && !ui.changed;
  replaceChildren(
    $("#finalize-box"),
    final ? h("p", { class: unchanged ? "hint" : "warning", "data-testid": "final-changes" }, unchanged ? t("unchanged", { version: final.version }) : t("changed", { version: final.version })) : null,
    unchanged
      ? null
      : ui.confirming
      ? h(
          "div",
          { class: "confirm-row", role: "group", "aria-label": label },
          h("span", {}, t("finalize_confirm")),
          h("button", { type: "button", class: "button button-primary", "data-key": "finalize-yes", onclick: finalize }, t("finalize_yes")),
          h("button", { type: "button", class: "button", "data-key": "finalize-cancel", onclick: () => confirmStep(false) }, t("cancel")),
        )
      : h("button", { type: "button", class: "button button-primary", "data-key": "finalize", onclick: () => confirmStep(true) }, label),
  );
}

function confirmStep(on) {
  ui.confirming = on;
  renderFinal(live.state);
  const target = $(on ? '[data-key="finalize-yes"]' : '[data-key="finalize"]');
  if (target) target.focus();
}

async function finalize() {
  const result = await run("minutes.finalize", {});
  ui.confirming = false;
  renderFinal(live.state);
  if (result) {
    ui.changed = false;
    live.state.minutes_final = { version: result.version, approved_by: result.approved_by, approved_at: result.approved_at };
    renderFinal(live.state);
    say(t("finalized", { version: result.version }));
    $("#final-status").focus();
  }
}

// -- sharing -------------------------------------------------------------------------------------

const publicBox = $("#minutes-public");
publicBox.addEventListener("change", async () => {
  const wanted = publicBox.checked;
  publicBox.disabled = true;
  const done = await run("convening.update", { minutes_public: wanted });
  publicBox.disabled = false;
  if (done === undefined) publicBox.checked = !wanted;
});

// -- following the meeting -----------------------------------------------------------------------

let shownSeq = -1;
let refreshTimer = null;

live.subscribe((state) => {
  setText($("#header-title"), state.convening.title);
  document.title = `${state.convening.title} · Convene`;
  if (!publicBox.disabled) publicBox.checked = Boolean(state.convening.minutes_public);
  renderItemChoices(state);
  renderFinal(state);
  // Every event may change the minutes (attendance, rounds, notes, action items): reload the
  // document shortly after the last of a burst.
  if (live.seq !== shownSeq) {
    shownSeq = live.seq;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, ui.doc ? 800 : 0);
  }
});
live.connect();
window.convene = live; // for the browser tests
