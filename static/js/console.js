// The facilitator console: agenda editor, current item, people, invitations and settings.

import { $, h, moved, replaceChildren, setText, smallButton, wireCopyButtons } from "./dom.js";
import { config, locale, t } from "./i18n.js";
import { mountConsoleFloor } from "./floor-console.js";
import { mountConsoleRounds } from "./rounds-console.js";
import { mountProjectorControl } from "./projector-control.js";
import { itemDecisions } from "./tally-view.js";
import { caucusControl, caucusEditing, mountConsoleDemands } from "./demands-console.js";
import { reconcile } from "./demands.js";
import { LiveConnection, showFatal } from "./live.js";
import { everySecond, renderCountdown } from "./timer.js";
import { currentItem, nextItem, nowBody, timeboxText } from "./views.js";

const cfg = config();
const live = new LiveConnection({
  token: cfg.token,
  t,
  statusEl: $("#conn-status"),
  onFatal: (reason) => showFatal(reason, t),
});

// What only this screen knows: which item is being edited, which removal awaits confirmation.
const ui = { editing: null, confirmItem: null, confirmMember: null, busy: false };

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
  const panel = event.target.closest ? event.target.closest("#live .card") : null;
  if (panel) lastPanel = panel;
});

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

/** Run a command; show its error in the live region. Resolves to the result or undefined. */
let lastErrorField = null;

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

// -- agenda editor -----------------------------------------------------------------------------

function move(state, item, delta) {
  const order = moved(state.agenda.map((i) => i.id), item.id, delta);
  if (order) run("agenda.reorder", { order });
}

const iconButton = smallButton;

function itemRow(state, item, index) {
  const last = index === state.agenda.length - 1;
  const title = item.title;
  const running = item.state === "active";
  const confirming = ui.confirmItem === item.id;
  return h(
    "li",
    { class: `editor-item state-${item.state}`, dataset: { id: item.id }, "data-testid": "agenda-item" },
    h(
      "div",
      { class: "editor-row" },
      h("span", { class: "agenda-number", "aria-hidden": "true" }, String(index + 1)),
      h(
        "div",
        { class: "editor-text" },
        h("span", { class: "agenda-title" }, title),
        h(
          "span",
          { class: "editor-meta" },
          h("span", { class: `badge badge-${item.state}` }, t(`state_${item.state}`)),
          " ",
          h("span", { class: "muted" }, item.timebox_minutes ? timeboxText(item, t) : t("no_timebox")),
        ),
        item.notes ? h("span", { class: "editor-notes muted" }, item.notes) : null,
        itemDecisions(state, item, t),
      ),
      h(
        "div",
        { class: "editor-actions" },
        iconButton(`up-${item.id}`, t("move_up_label", { title }), "↑", () => move(state, item, -1), {
          disabled: index === 0,
          fallback: `down-${item.id}`,
        }),
        iconButton(`down-${item.id}`, t("move_down_label", { title }), "↓", () => move(state, item, 1), {
          disabled: last,
          fallback: `up-${item.id}`,
        }),
        running
          ? h("button", { type: "button", class: "button button-small", "data-key": `end-${item.id}`, "aria-label": t("end_label", { title }), onclick: () => run("agenda.end", { item_id: item.id }) }, t("end"))
          : h(
              "button",
              { type: "button", class: "button button-small button-primary", "data-key": `start-${item.id}`, "aria-label": item.state === "done" ? t("restart_label", { title }) : t("start_label", { title }), onclick: () => run("agenda.start", { item_id: item.id }) },
              item.state === "done" ? t("restart") : t("start"),
            ),
        h("button", { type: "button", class: "button button-small", "data-key": `edit-${item.id}`, "aria-label": t("edit_label", { title }), onclick: () => startEditing(item.id) }, t("edit")),
        h(
          "button",
          {
            type: "button",
            class: "button button-small button-danger-quiet",
            "data-key": `remove-${item.id}`,
            "aria-label": t("remove_label", { title }),
            "aria-expanded": confirming ? "true" : "false",
            disabled: running,
            onclick: () => {
              ui.confirmItem = item.id;
              renderAgenda(live.state);
              $(`[data-key="confirm-remove-${item.id}"]`)?.focus();
            },
          },
          t("remove"),
        ),
      ),
    ),
    confirming ? confirmRow(t("confirm_remove_item", { title }), `confirm-remove-${item.id}`, async () => {
      ui.confirmItem = null;
      const ok = await run("agenda.remove", { item_id: item.id });
      if (ok !== undefined) say(t("removed_item", { title }));
      renderAgenda(live.state);
      $("#add-title").focus();
    }, () => {
      ui.confirmItem = null;
      renderAgenda(live.state);
      $(`[data-key="remove-${item.id}"]`)?.focus();
    }) : null,
  );
}

function confirmRow(question, key, onYes, onNo) {
  return h(
    "div",
    {
      class: "confirm-row",
      role: "group",
      "aria-label": question,
      onkeydown: (e) => {
        if (e.key === "Escape") onNo();
      },
    },
    h("span", {}, question),
    h("button", { type: "button", class: "button button-small button-danger", "data-key": key, onclick: onYes }, t("yes_remove")),
    h("button", { type: "button", class: "button button-small", onclick: onNo }, t("cancel")),
  );
}

function editForm(item) {
  const ids = { title: `edit-title-${item.id}`, notes: `edit-notes-${item.id}`, timebox: `edit-timebox-${item.id}` };
  const cancel = () => {
    ui.editing = null;
    renderAgenda(live.state);
    $(`[data-key="edit-${item.id}"]`)?.focus();
  };
  const form = h(
    "form",
    {
      class: "form edit-form",
      "data-edit-form": item.id,
      onkeydown: (e) => {
        if (e.key === "Escape") cancel();
      },
      onsubmit: async (e) => {
        e.preventDefault();
        const title = form.elements.title.value.trim();
        if (!title) {
          say(t("title_required"), "error");
          form.elements.title.focus();
          return;
        }
        const timebox = form.elements.timebox_minutes.value.trim();
        const result = await run("agenda.edit", {
          item_id: item.id,
          title,
          notes: form.elements.notes.value,
          timebox_minutes: timebox === "" ? null : Number(timebox),
        });
        if (result !== undefined) {
          say(t("saved"));
          cancel();
        }
      },
    },
    h("label", { for: ids.title }, t("title")),
    h("input", { id: ids.title, name: "title", type: "text", required: true, maxlength: 200, value: item.title }),
    h("label", { for: ids.timebox }, t("minutes_label")),
    h("input", { id: ids.timebox, name: "timebox_minutes", type: "number", min: 1, max: 1440, inputmode: "numeric", value: item.timebox_minutes ?? "" }),
    h("label", { for: ids.notes }, t("notes")),
    h("textarea", { id: ids.notes, name: "notes", rows: 3, maxlength: 4000 }, item.notes || ""),
    h(
      "div",
      { class: "form-actions" },
      h("button", { type: "submit", class: "button button-primary button-small" }, t("save")),
      h("button", { type: "button", class: "button button-small", onclick: cancel }, t("cancel")),
    ),
  );
  return form;
}

function startEditing(id) {
  ui.editing = id;
  ui.confirmItem = null;
  renderAgenda(live.state);
  document.getElementById(`edit-title-${id}`)?.focus();
}

function renderAgenda(state) {
  const list = $("#agenda");
  if (!state.agenda.some((i) => i.id === ui.editing)) ui.editing = null;
  const openForm = ui.editing !== null ? list.querySelector(`[data-edit-form="${ui.editing}"]`) : null;
  const rows = state.agenda.map((item, index) => {
    if (item.id !== ui.editing) return itemRow(state, item, index);
    // Keep the form the facilitator is typing in (and its focus) across live updates.
    return h("li", { class: `editor-item editing state-${item.state}`, dataset: { id: item.id } }, openForm || editForm(item));
  });
  if (!rows.length) rows.push(h("li", { class: "agenda-empty muted" }, t("agenda_empty")));
  const active = document.activeElement;
  const keepFocus = openForm && openForm.contains(active) ? active : null;
  replaceChildren(list, rows);
  if (keepFocus) keepFocus.focus();
}

$("#add-item").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const title = form.elements.title.value.trim();
  if (!title) {
    form.elements.title.setAttribute("aria-invalid", "true");
    say(t("title_required"), "error");
    form.elements.title.focus();
    return;
  }
  for (const el of form.elements) el.removeAttribute("aria-invalid");
  const sent = {
    title: form.elements.title.value,
    notes: form.elements.notes.value,
    timebox_minutes: form.elements.timebox_minutes.value,
  };
  const args = { title, notes: sent.notes };
  if (sent.timebox_minutes.trim()) args.timebox_minutes = Number(sent.timebox_minutes);
  const button = form.querySelector('[type="submit"]');
  button.disabled = true;
  form.setAttribute("aria-busy", "true");
  const item = await run("agenda.add", args);
  button.disabled = false;
  form.removeAttribute("aria-busy");
  if (item !== undefined) {
    // Clear only what was sent: the facilitator may already be typing the next item.
    for (const [name, value] of Object.entries(sent)) {
      if (form.elements[name].value === value) form.elements[name].value = "";
    }
    say(t("added", { title: item.title }));
    // Ready for the next item, unless the facilitator has already started typing it.
    const title = form.elements.title;
    if (!(document.activeElement === title && title.value)) title.focus();
  } else {
    const field = form.elements[lastErrorField === "timebox" ? "timebox_minutes" : lastErrorField];
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }
  }
});

// -- people ------------------------------------------------------------------------------------
// A 1,500-person meeting: filter and sort in memory (cheap), but build only one page of rows,
// and rebuild it only when what it shows changed (presence arrives every second).

const PAGE_SIZE = 50;
const people = { query: "", status: "all", role: "", caucus: "", page: 0 };
const fold = (text) => (text || "").normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
const ROLE_ORDER = { facilitator: 0, projector: 1, observer: 2, participant: 3 };
const collator = new Intl.Collator(locale, { sensitivity: "base", numeric: true });

// Who has not voted in the open round: the turnout counts them (named rounds) and names the
// first 20; the filter reads them all (rounds.not_voted, 500 a page) while it is chosen, again
// when the count moves, at most every NOT_VOTED_EVERY_MS.
const NOT_VOTED_EVERY_MS = 2000;
const notVotedRead = { round: null, voted: null, ids: null, busy: false, at: 0, timer: null };

async function readNotVoted(round, key) {
  if (notVotedRead.busy) return;
  const wait = notVotedRead.at + NOT_VOTED_EVERY_MS - Date.now();
  if (wait > 0) {
    if (notVotedRead.timer === null) {
      notVotedRead.timer = setTimeout(() => {
        notVotedRead.timer = null;
        if (live.state) renderMembers(live.state);
      }, wait);
    }
    return;
  }
  notVotedRead.busy = true;
  notVotedRead.at = Date.now();
  const ids = new Set();
  let after = 0;
  try {
    while (after != null) {
      const page = await live.command("rounds.not_voted", { round_id: round.id, after, limit: 500 });
      for (const p of page.not_voted) ids.add(p.id);
      after = page.next_after;
    }
    Object.assign(notVotedRead, { round: round.id, voted: key, ids });
  } catch (error) {
    notVotedRead.at = Date.now() + (error && error.retry_after ? error.retry_after * 1000 : 0);
  } finally {
    notVotedRead.busy = false;
  }
  if (live.state) renderMembers(live.state);
}

/** What the not-voted list depends on: who voted, and who may (someone joined or left). */
const turnoutKey = (state, turnout) => `${turnout.voted}|${turnout.not_voted_count}|${state.participants}`;

/** Who has not voted in the open round, when the server tells facilitators (named rounds):
 * `notVoted` is the set of their ids once read (null until then, or in a secret round). */
function openRoundVoters(state) {
  const open = (state.rounds || []).find((r) => r.state === "open");
  if (!open) return { open: null, named: false, notVoted: null };
  const turnout = open.turnout;
  const named = Boolean(turnout && typeof turnout.not_voted_count === "number");
  if (!named) return { open, named, notVoted: null };
  const key = turnoutKey(state, turnout);
  if (people.status === "not_voted" && (notVotedRead.round !== open.id || notVotedRead.voted !== key)) {
    readNotVoted(open, key);
  }
  return { open, named, notVoted: notVotedRead.round === open.id ? notVotedRead.ids : null };
}

/** Same names (case and accents aside) get "#2, joined 19:04" so they can be told apart. */
function namesakes(members) {
  const groups = new Map();
  for (const m of members) {
    const key = fold(m.name).trim();
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(m);
  }
  const result = new Map();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => a.id - b.id).forEach((m, i) => result.set(m.id, i + 1));
  }
  return result;
}

function joinedTime(m) {
  const at = m.joined_at ? new Date(m.joined_at) : null;
  return at && !Number.isNaN(at.getTime()) ? at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }) : "";
}

function caucusOptions(members) {
  const select = $("#people-caucus");
  const names = [...new Set(members.map((m) => m.caucus).filter(Boolean))].sort(collator.compare);
  const key = JSON.stringify(names);
  if (select.dataset.key === key) return;
  select.dataset.key = key;
  const chosen = select.value;
  replaceChildren(select, h("option", { value: "" }, t("any_caucus")), names.map((n) => h("option", { value: n }, n)));
  select.value = names.includes(chosen) ? chosen : "";
  if (select.value !== chosen) people.caucus = "";
}

/** Show whether the member of row ``li`` is connected (changed in place, see renderMembers). */
function showPresence(li, on) {
  li.classList.toggle("is-connected", on);
  const text = on ? t("connected") : t("not_connected");
  const dot = li.querySelector(".presence-dot");
  if (dot.title !== text) dot.title = text;
  setText(li.querySelector(".presence-text"), text);
}

function memberRow(m, me, twin) {
  const confirming = ui.confirmMember === m.id;
  const full = m.caucus ? `${m.name} · ${m.caucus}` : m.name;
  return h(
    "li",
    { class: "member", dataset: { id: m.id }, "data-testid": "member" },
    h(
      "div",
      { class: "member-row" },
      h("span", { class: "presence-dot" }),
      h("span", { class: "visually-hidden presence-text" }),
      h(
        "span",
        { class: "member-who" },
        // One line each: the full name shows on hover (title) and on focus (tabindex, CSS).
        h(
          "span",
          { class: "member-name", title: full, tabindex: "0", "data-testid": "member-name" },
          m.name,
          m.id === me ? h("span", { class: "muted" }, ` (${t("you")})`) : null,
        ),
        twin || m.caucus
          ? h(
              "span",
              { class: "member-meta muted", title: full },
              m.caucus ? h("span", { class: "member-caucus" }, m.caucus) : null,
              twin && m.caucus ? " · " : null,
              twin ? h("span", { class: "member-twin", "data-testid": "namesake" }, t("namesake", { n: twin, time: joinedTime(m) })) : null,
            )
          : null,
      ),
      m.role === "participant" ? null : h("span", { class: "badge badge-role" }, t(`role_${m.role}`)),
      m.role === "participant" || m.role === "facilitator" ? caucusControl(m) : null,
      m.id === me
        ? null
        : h(
            "button",
            {
              type: "button",
              class: "button button-small button-danger-quiet",
              "data-key": `remove-member-${m.id}`,
              "aria-label": t("remove_member_label", { name: m.name }),
              "aria-expanded": confirming ? "true" : "false",
              title: t("remove_member_label", { name: m.name }),
              onclick: () => {
                ui.confirmMember = m.id;
                renderMembers(live.state);
                $(`[data-key="confirm-member-${m.id}"]`)?.focus();
              },
            },
            "✕",
          ),
    ),
    confirming
      ? confirmRow(t("confirm_remove_member", { name: m.name }), `confirm-member-${m.id}`, async () => {
          ui.confirmMember = null;
          const ok = await run("members.remove", { member_id: m.id });
          if (ok !== undefined) say(t("member_removed", { name: m.name }));
          renderMembers(live.state);
        }, () => {
          ui.confirmMember = null;
          renderMembers(live.state);
          $(`[data-key="remove-member-${m.id}"]`)?.focus();
        })
      : null,
  );
}

/** The rows of the people list on screen: member id → {key: what the row shows, el}. */
const memberRows = new Map();
const emptyRows = new Map();

function emptyRow(message) {
  if (!emptyRows.has(message)) emptyRows.set(message, h("li", { class: "muted member-empty" }, t(message)));
  return emptyRows.get(message);
}

function renderMembers(state) {
  const connected = new Set((state.presence && state.presence.connected) || []);
  const me = state.me.id;
  const all = state.members || [];
  caucusOptions(all);
  const { open, named, notVoted } = openRoundVoters(state);
  const notVotedOption = $('#people-status option[value="not_voted"]');
  notVotedOption.disabled = !named;
  setText(notVotedOption, named ? t("not_voted_filter") : open ? t("not_voted_secret") : t("no_open_round"));
  if (!named && people.status === "not_voted") {
    people.status = "all";
    $("#people-status").value = "all";
  }
  const query = fold(people.query).trim();
  const shown = all.filter((m) => {
    if (people.role && m.role !== people.role) return false;
    if (people.caucus && m.caucus !== people.caucus) return false;
    if (people.status === "connected" && !connected.has(m.id)) return false;
    if (people.status === "not_connected" && connected.has(m.id)) return false;
    if (people.status === "not_voted" && !(notVoted && notVoted.has(m.id))) return false;
    return !query || fold(m.name).includes(query) || fold(m.caucus).includes(query);
  });
  shown.sort((a, b) => (ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9) || collator.compare(a.name, b.name) || a.id - b.id);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  people.page = Math.min(people.page, pages - 1);
  const first = people.page * PAGE_SIZE;
  const page = shown.slice(first, first + PAGE_SIZE);
  const twins = namesakes(all);
  const list = $("#members");
  // Rows are kept by member and rebuilt only when what they show changes; presence changes
  // in place. (Rebuilding the whole list on every presence update lost the facilitator's
  // clicks: a press on "Yes, remove" and its release landed on two different buttons.)
  const active = document.activeElement;
  const activeKey = active && list.contains(active) ? active.dataset.key : null;
  const rows = page.map((m) => {
    const key = JSON.stringify([m.name, m.caucus, m.role, m.id === me, twins.get(m.id), ui.confirmMember === m.id, caucusEditing() === m.id]);
    let row = memberRows.get(m.id);
    if (!row || row.key !== key) {
      row = { key, el: memberRow(m, me, twins.get(m.id)) };
      memberRows.set(m.id, row);
    }
    showPresence(row.el, connected.has(m.id));
    return row.el;
  });
  const onPage = new Set(page.map((m) => m.id));
  for (const id of [...memberRows.keys()]) if (!onPage.has(id)) memberRows.delete(id);
  if (!all.some((m) => m.role === "participant")) rows.push(emptyRow("no_members"));
  else if (!shown.length) rows.push(emptyRow("no_match"));
  reconcile(list, rows);
  if (activeKey && !list.contains(document.activeElement)) {
    list.querySelector(`[data-key="${CSS.escape(activeKey)}"]`)?.focus();
  }
  setText($("#people-count"), t("people_count", { shown: shown.length, n: all.length }));
  $("#people-pager").hidden = pages < 2;
  setText($("#people-page"), t("people_page", { first: shown.length ? first + 1 : 0, last: first + page.length, n: shown.length }));
  $("#people-prev").disabled = people.page === 0;
  $("#people-next").disabled = people.page >= pages - 1;
  const count = state.presence ? state.presence.participants_connected : null;
  setText($("#presence"), count === null ? "–" : t("connected_count", { n: count }));
  setText($("#joined"), `· ${t("joined_count", { n: state.participants })}`);
}

function peopleChanged(patch) {
  Object.assign(people, patch, { page: patch.page ?? 0 });
  if (live.state) renderMembers(live.state);
}
$("#people-find").addEventListener("submit", (e) => e.preventDefault());
$("#people-search").addEventListener("input", (e) => peopleChanged({ query: e.target.value }));
$("#people-status").addEventListener("change", (e) => peopleChanged({ status: e.target.value }));
$("#people-role").addEventListener("change", (e) => peopleChanged({ role: e.target.value }));
$("#people-caucus").addEventListener("change", (e) => peopleChanged({ caucus: e.target.value }));
$("#people-prev").addEventListener("click", () => peopleChanged({ page: Math.max(0, people.page - 1) }));
$("#people-next").addEventListener("click", () => peopleChanged({ page: people.page + 1 }));

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
  const args = { role: "facilitator" };
  if (name) args.name = name;
  const result = await run("members.invite", args);
  if (!result) return;
  const box = $("#invite-result");
  const who = name || t("role_facilitator");
  replaceChildren(box, linkBox(`invite-url-${result.id}`, t("invite_link_title", { name: who }), enterUrl(result.token), t("invite_warning")));
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
  renderAgenda(state);
  renderMembers(state);
  renderSettings(state);
  tick();
}

function tick() {
  if (!live.state) return;
  const el = document.querySelector("#now-body .countdown");
  if (el) renderCountdown(el, currentItem(live.state), live.serverNow(), t);
}

wireCopyButtons(t, messages);
live.subscribe(render);
mountConsoleFloor(live, t, run, say);
mountConsoleRounds(live, t, run, say, locale);
mountConsoleDemands(live, t, run, say);
mountProjectorControl(live, t, run, say);
live.connect();
everySecond(tick);
window.convene = live;
