// The facilitator console: agenda editor, current item, people, invitations and settings.

import { $, h, moved, replaceChildren, setText, smallButton, wireCopyButtons } from "./dom.js";
import { config, locale, t } from "./i18n.js";
import { mountConsoleFloor } from "./floor-console.js";
import { mountConsoleRounds } from "./rounds-console.js";
import { mountProjectorControl } from "./projector-control.js";
import { itemDecisions } from "./tally-view.js";
import { caucusControl, mountConsoleDemands } from "./demands-console.js";
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

function say(text, kind = "info") {
  clearTimeout(messageTimer);
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

function renderMembers(state) {
  const connected = new Set((state.presence && state.presence.connected) || []);
  const me = state.me.id;
  const members = [...(state.members || [])].sort((a, b) => {
    const rank = (m) => (m.role === "participant" ? 1 : 0);
    return rank(a) - rank(b) || a.id - b.id;
  });
  const rows = members.map((m) => {
    const on = connected.has(m.id);
    const confirming = ui.confirmMember === m.id;
    return h(
      "li",
      { class: `member ${on ? "is-connected" : ""}`, dataset: { id: m.id }, "data-testid": "member" },
      h(
        "div",
        { class: "member-row" },
        h("span", { class: "presence-dot", title: on ? t("connected") : t("not_connected") }),
        h("span", { class: "visually-hidden" }, on ? t("connected") : t("not_connected")),
        h(
          "span",
          { class: "member-name" },
          m.name,
          m.id === me ? h("span", { class: "muted" }, ` (${t("you")})`) : null,
          m.caucus ? h("span", { class: "muted member-caucus" }, m.caucus) : null,
        ),
        h("span", { class: "badge badge-role" }, t(`role_${m.role}`)),
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
                onclick: () => {
                  ui.confirmMember = m.id;
                  renderMembers(live.state);
                  $(`[data-key="confirm-member-${m.id}"]`)?.focus();
                },
              },
              t("remove"),
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
  });
  if (!members.some((m) => m.role === "participant")) rows.push(h("li", { class: "muted member-empty" }, t("no_members")));
  replaceChildren($("#members"), rows);
  const count = state.presence ? state.presence.participants_connected : null;
  setText($("#presence"), count === null ? "–" : t("connected_count", { n: count }));
  setText($("#joined"), `· ${t("joined_count", { n: state.participants })}`);
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
