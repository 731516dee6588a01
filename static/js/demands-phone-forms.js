// @ts-check
// The forms a demand's card opens on the phone, kept in its slot across live updates: amend
// a passage (typed, or the words selected in the text) or the whole text, and edit a draft
// of one's own. demands-phone.js draws the list and opens them.

import { $, h, setText, wireCounter } from "./dom.js";
import { LIMITS, passageCount } from "./demands-phone-model.js";

/** @import { PhoneDemands } from "./demands-phone.js" */

// The words last selected in a demand's text, to amend them ("chosen as displayed").
const chosen = { demandId: null, text: "" };
document.addEventListener("selectionchange", () => {
  const selection = document.getSelection();
  const text = selection ? selection.toString() : "";
  if (!text.trim() || !selection.rangeCount) return;
  const node = selection.getRangeAt(0).commonAncestorContainer;
  const el = node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement;
  const body = el && el.closest('[data-testid="demand-body"]');
  const card = /** @type {HTMLElement | null} */ (body && body.closest("[data-id]"));
  if (card) Object.assign(chosen, { demandId: Number(card.dataset.id), text });
});

/**
 * The amend and edit forms of the phone's demands.
 * @param {PhoneDemands} screen
 */
export function demandForms({ live, t, ui, cards, texts, run, announce, redraw }) {
  function closeForm(d, set, focusKey) {
    set.delete(d.id);
    const card = cards.card(d.id);
    card?.slot.querySelector(`[data-form="${set === ui.amending ? "amend" : "edit"}"]`)?.remove();
    redraw();
    $(`[data-key="${focusKey}"]`)?.focus();
  }

  function field(id, label, control, hint = null) {
    return [h("label", { for: id }, label), control, hint];
  }

  function openAmend(d) {
    const card = cards.card(d.id);
    if (ui.amending.has(d.id)) {
      card.slot.querySelector('[data-form="amend"] textarea')?.focus();
      return;
    }
    ui.amending.add(d.id);
    const ids = { passage: `amend-passage-${d.id}`, body: `amend-body-${d.id}`, rationale: `amend-rationale-${d.id}`, check: `amend-check-${d.id}`, count: `amend-count-${d.id}`, rcount: `amend-rcount-${d.id}` };
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const check = h("p", { class: "hint passage-check", id: ids.check, "aria-live": "polite" });
    const passage = h("textarea", { id: ids.passage, name: "passage", rows: 2, maxlength: LIMITS.body, "aria-describedby": ids.check });
    const body = h("textarea", { id: ids.body, name: "body", rows: 3, maxlength: LIMITS.body, "aria-describedby": ids.count });
    const rationale = h("textarea", { id: ids.rationale, name: "rationale", rows: 2, maxlength: LIMITS.rationale, "aria-describedby": ids.rcount });
    const count = h("p", { class: "hint", id: ids.count });
    const rcount = h("p", { class: "hint", id: ids.rcount });
    const bodyLabel = h("label", { for: ids.body }, t("amend_new_words"));
    const useSelection = h(
      "button",
      {
        type: "button",
        class: "button button-small",
        "data-testid": "use-selection",
        // keep the selection in the text when the button is pressed
        onmousedown: (e) => e.preventDefault(),
        onclick: () => {
          if (chosen.demandId === d.id && chosen.text.trim()) {
            passage.value = chosen.text;
            checkPassage();
            body.focus();
          } else {
            setText(check, t("select_first"));
            check.dataset.state = "bad";
          }
        },
      },
      t("use_selection"),
    );
    const passageRow = h("div", { class: "form form-inner" }, field(ids.passage, t("amend_passage_label"), passage, check), useSelection);
    const current = () => {
      const now = live.state.demands.find((x) => x.id === d.id) || d;
      return texts.get(now) || now;
    };
    const shownBody = () => card.view.querySelector('[data-testid="demand-body"]');
    const checkPassage = () => {
      const shown = shownBody();
      const n = passageCount(current(), shown ? shown.textContent : null, passage.value);
      const text = !passage.value ? t("passage_hint") : n === 1 ? t("passage_found") : n === 0 ? t("passage_missing") : t("passage_many");
      setText(check, text);
      check.dataset.state = !passage.value ? "" : n === 1 ? "ok" : "bad";
    };
    passage.addEventListener("input", checkPassage);
    const mode = (whole) => {
      passageRow.hidden = whole;
      setText(bodyLabel, whole ? t("amend_new_text") : t("amend_new_words"));
      if (whole && !body.value) body.value = current().body || "";
      body.dispatchEvent(new Event("input"));
    };
    const radios = h(
      "fieldset",
      { class: "radio-group" },
      h("legend", {}, t("amend_what")),
      h("p", { class: "radio" }, h("input", { type: "radio", id: `amend-mode-p-${d.id}`, name: "mode", value: "passage", checked: true, onchange: () => mode(false) }), h("label", { for: `amend-mode-p-${d.id}` }, t("amend_mode_passage"))),
      h("p", { class: "radio" }, h("input", { type: "radio", id: `amend-mode-w-${d.id}`, name: "mode", value: "whole", onchange: () => mode(true) }), h("label", { for: `amend-mode-w-${d.id}` }, t("amend_mode_whole"))),
    );
    const form = h(
      "form",
      {
        class: "form amend-form",
        "data-form": "amend",
        "aria-label": t("amend_form_label", { title: d.title }),
        novalidate: true,
        onkeydown: (e) => {
          if (e.key === "Escape") closeForm(d, ui.amending, `amend-${d.id}`);
        },
        onsubmit: async (e) => {
          e.preventDefault();
          const whole = /** @type {RadioNodeList} */ (form.elements.namedItem("mode")).value === "whole";
          const args = { demand_id: d.id, body: body.value, rationale: rationale.value, version: current().version };
          if (!whole) {
            if (!passage.value.trim()) {
              error.textContent = t("passage_needed");
              error.hidden = false;
              passage.focus();
              return;
            }
            args.passage = passage.value;
          }
          const result = await run("demands.amend", args, error);
          if (result === undefined) {
            ({ passage, body, rationale })[error.dataset.field]?.focus?.();
            return;
          }
          announce(t("amendment_proposed", { title: d.title }));
          closeForm(d, ui.amending, `amend-${d.id}`);
        },
      },
      h("h4", {}, t("amend_form_title")),
      radios,
      passageRow,
      bodyLabel,
      body,
      count,
      field(ids.rationale, t("amend_rationale"), rationale, rcount),
      error,
      h(
        "div",
        { class: "form-actions" },
        h("button", { type: "submit", class: "button button-primary button-small" }, t("amend_submit")),
        h("button", { type: "button", class: "button button-small", onclick: () => closeForm(d, ui.amending, `amend-${d.id}`) }, t("cancel")),
      ),
    );
    wireCounter(body, count, LIMITS.body, t);
    wireCounter(rationale, rcount, LIMITS.rationale, t);
    if (chosen.demandId === d.id && chosen.text.trim()) passage.value = chosen.text;
    checkPassage();
    card.slot.append(form);
    redraw();
    if (passage.value) body.focus();
    else passage.focus();
  }

  async function openEdit(summary) {
    if (ui.editing.has(summary.id)) return;
    ui.editing.add(summary.id);
    const d = await texts.load(summary); // its body goes in the form
    const card = cards.card(d.id);
    if (!card || !ui.editing.has(d.id)) return;
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const title = h("input", { id: `edit-title-${d.id}`, name: "title", type: "text", maxlength: LIMITS.title, value: d.title });
    const body = h("textarea", { id: `edit-body-${d.id}`, name: "body", rows: 5, maxlength: LIMITS.body }, d.body);
    const form = h(
      "form",
      {
        class: "form edit-form",
        "data-form": "edit",
        "aria-label": t("edit_form_label", { title: d.title }),
        novalidate: true,
        onkeydown: (e) => {
          if (e.key === "Escape") closeForm(d, ui.editing, `edit-${d.id}`);
        },
        onsubmit: async (e) => {
          e.preventDefault();
          const current = live.state.demands.find((x) => x.id === d.id) || d;
          const result = await run("demands.edit", { demand_id: d.id, title: title.value.trim(), body: body.value, version: current.version }, error);
          if (result === undefined) return;
          announce(t("saved_demand"));
          closeForm(d, ui.editing, `edit-${d.id}`);
        },
      },
      h("h4", {}, t("edit_form_title")),
      field(title.id, t("demand_title_label"), title),
      field(body.id, t("demand_body_label"), body, h("p", { class: "hint" }, t("markdown_hint"))),
      error,
      h(
        "div",
        { class: "form-actions" },
        h("button", { type: "submit", class: "button button-primary button-small" }, t("save")),
        h("button", { type: "button", class: "button button-small", onclick: () => closeForm(d, ui.editing, `edit-${d.id}`) }, t("cancel")),
      ),
    );
    card.slot.append(form);
    redraw();
    title.focus();
  }

  return { openAmend, openEdit };
}
