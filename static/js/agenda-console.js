// @ts-check
// The console's agenda editor: add an item, edit it in place, move it up or down, start or
// end it, remove it after a confirmation. Each item shows the decisions taken under it.

import { $, confirmRow, h, moved, replaceChildren, smallButton } from "./dom.js";
import { itemDecisions } from "./tally-view.js";
import { timeboxText } from "./views.js";

/**
 * The fields of an item's form (add and edit).
 * @typedef {HTMLFormControlsCollection & {title: HTMLInputElement, notes: HTMLTextAreaElement, timebox_minutes: HTMLInputElement}} ItemFields
 */

/**
 * @param {import("./live.js").LiveConnection} live
 * @param {(key: string, params?: object) => string} t
 * @param {(name: string, args: object) => Promise<any>} run  resolves to the result, or undefined (the console shows the error)
 * @param {(text: string, kind?: string) => void} say  a message in the console's live region
 * @param {() => string | null} errorField  the field the last refused command named, if any
 */
export function mountConsoleAgenda(live, t, run, say, errorField) {
  // What only this panel knows: which item is being edited, which removal awaits confirmation.
  const ui = { editing: null, confirmItem: null };

  function move(state, item, delta) {
    const order = moved(state.agenda.map((i) => i.id), item.id, delta);
    if (order) run("agenda.reorder", { order });
  }

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
          smallButton(`up-${item.id}`, t("move_up_label", { title }), "↑", () => move(state, item, -1), {
            disabled: index === 0,
            fallback: `down-${item.id}`,
          }),
          smallButton(`down-${item.id}`, t("move_down_label", { title }), "↓", () => move(state, item, 1), {
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
      confirming ? confirmRow(t("confirm_remove_item", { title }), `confirm-remove-${item.id}`, { yes: t("yes_remove"), cancel: t("cancel") }, async () => {
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
          const fields = /** @type {ItemFields} */ (form.elements);
          const title = fields.title.value.trim();
          if (!title) {
            say(t("title_required"), "error");
            fields.title.focus();
            return;
          }
          const timebox = fields.timebox_minutes.value.trim();
          const result = await run("agenda.edit", {
            item_id: item.id,
            title,
            notes: fields.notes.value,
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
    const keepFocus = openForm && openForm.contains(active) ? /** @type {HTMLElement} */ (active) : null;
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
      const field = form.elements[errorField() === "timebox" ? "timebox_minutes" : errorField()];
      if (field) {
        field.setAttribute("aria-invalid", "true");
        field.focus();
      }
    }
  });

  live.subscribe(renderAgenda);
}
