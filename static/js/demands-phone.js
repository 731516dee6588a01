// Demands on the phone: propose, edit or withdraw my drafts, support, amend (a passage or
// the whole text), accept amendments to my demands as friendly, and say where I stand,
// in the list or card by card. See demands.js for the shared pieces and the safety rule.

import { $, h, replaceChildren, setText } from "./dom.js";
import {
  ACTIVE,
  GONE,
  CardList,
  agreementCounts,
  amendmentBadge,
  authorsText,
  blockNote,
  bodyOrExcerpt,
  diffView,
  statusBadge,
  supportLine,
} from "./demands.js";

const STANCES = ["agree", "disagree", "pass"];
const LIMITS = { title: 200, body: 5000, rationale: 2000 };

function occurrences(text, part) {
  if (!part) return 0;
  let n = 0;
  for (let i = text.indexOf(part); i >= 0 && n < 3; i = text.indexOf(part, i + 1)) n += 1;
  return n;
}

const flat = (text) => text.replace(/\s+/g, " ").trim();

/** How often a passage is in the demand: as written, or as displayed (rendered text). */
function passageCount(demand, bodyEl, part) {
  const n = occurrences(demand.body || "", part);
  if (n || !bodyEl || !part.trim()) return n;
  return occurrences(flat(bodyEl.textContent), flat(part));
}

// The words last selected in a demand's text, to amend them ("chosen as displayed").
const chosen = { demandId: null, text: "" };
document.addEventListener("selectionchange", () => {
  const selection = document.getSelection();
  const text = selection ? selection.toString() : "";
  if (!text.trim() || !selection.rangeCount) return;
  const node = selection.getRangeAt(0).commonAncestorContainer;
  const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const body = el && el.closest('[data-testid="demand-body"]');
  const card = body && body.closest("[data-id]");
  if (card) Object.assign(chosen, { demandId: Number(card.dataset.id), text });
});

/** A "12 / 200" counter under a field, updated as one types. */
export function wireCounter(field, counter, max, t) {
  const update = () => setText(counter, t("chars_of", { n: field.value.length, max }));
  field.addEventListener("input", update);
  update();
  return update;
}

export function mountPhoneDemands(live, t) {
  const section = $("#demands");
  if (!section) return;
  const list = $("#demand-list");
  const status = $("#demands-status");
  const cardMode = $("#demand-cardmode");
  const proposeForm = $("#propose-form");
  const itemSelect = $("#propose-item");
  const showGone = $("#show-gone");
  const ui = { amending: new Set(), editing: new Set(), confirm: null, mode: "list", cardId: null, itemTouched: false, busy: false };
  const cards = new CardList(list, (d) => ({
    class: `demand-card status-${d.status}`,
    dataset: { id: d.id, status: d.status },
    "data-testid": "demand",
  }));
  // A card's text is read when the card comes near the screen (demand-texts.js).
  const texts = live.texts;
  const near = new Set();
  const watched = new WeakSet();
  const observer = typeof IntersectionObserver === "function"
    ? new IntersectionObserver((entries) => {
        let more = false;
        for (const entry of entries) {
          const id = Number(entry.target.dataset.id);
          if (entry.isIntersecting) {
            more = more || !near.has(id);
            near.add(id);
          } else near.delete(id);
        }
        if (more && live.state) render(live.state);
      }, { rootMargin: "1000px 0px" })
    : null;
  const isNear = (id) => !observer || near.has(id);

  const announce = (text) => {
    setText(status, "");
    setTimeout(() => setText(status, text), 50); // a fresh change, so screen readers read it
  };
  const me = () => live.state.me;
  const isMine = (d) => d.author_id === me().id || (d.coauthor_ids || []).includes(me().id);
  const supports = (d) => (me().supports || []).includes(d.id);
  const stanceOf = (d) => (me().stances || {})[String(d.id)] || null;

  async function run(name, args, errorEl = null) {
    try {
      const result = await live.command(name, args);
      if (errorEl) errorEl.hidden = true;
      return result;
    } catch (error) {
      const text = error.message || String(error);
      if (errorEl) {
        errorEl.dataset.field = error.field || "";
        errorEl.textContent = text;
        errorEl.hidden = false;
      } else {
        announce(text);
      }
      return undefined;
    }
  }

  // -- my own picture: supports and stances come back in the command replies ------------------

  async function toggleSupport(d) {
    const name = supports(d) ? "demands.unsupport" : "demands.support";
    const result = await run(name, { demand_id: d.id });
    if (result === undefined) return;
    const mine = new Set(me().supports || []);
    if (result.supported) mine.add(d.id);
    else mine.delete(d.id);
    me().supports = [...mine];
    announce(result.supported ? t("support_given", { title: d.title }) : t("support_taken", { title: d.title }));
    live.notify();
  }

  async function takeStance(d, stance, { advance = false } = {}) {
    const result = await run("demands.agree", { demand_id: d.id, stance });
    if (result === undefined) return;
    me().stances = { ...(me().stances || {}), [String(d.id)]: result.stance };
    const target = live.state.demands.find((x) => x.id === d.id);
    if (target) target.agreement = result.agreement;
    announce(t("stance_saved", { stance: t(`stance_${stance}`), title: d.title }));
    if (advance) nextCard(d.id);
    live.notify();
    if (advance) focusCard();
  }

  // -- the propose form -----------------------------------------------------------------------

  wireCounter(proposeForm.elements.title, $("#propose-title-count"), LIMITS.title, t);
  const bodyCounter = wireCounter(proposeForm.elements.body, $("#propose-body-count"), LIMITS.body, t);
  itemSelect.addEventListener("change", () => (ui.itemTouched = true));

  function renderItemOptions(state) {
    const wanted = ui.itemTouched ? itemSelect.value : String(state.current_item_id ?? "");
    const key = JSON.stringify([state.agenda.map((i) => [i.id, i.title]), wanted]);
    if (itemSelect.dataset.key === key) return;
    itemSelect.dataset.key = key;
    replaceChildren(
      itemSelect,
      h("option", { value: "" }, t("no_item")),
      state.agenda.map((item) => h("option", { value: String(item.id) }, item.title)),
    );
    itemSelect.value = state.agenda.some((i) => String(i.id) === wanted) ? wanted : "";
  }

  proposeForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (ui.busy) return;
    const f = proposeForm.elements;
    const error = $("#propose-error");
    for (const field of [f.title, f.body]) field.removeAttribute("aria-invalid");
    const empty = [f.title, f.body].find((field) => !field.value.trim());
    if (empty) {
      empty.setAttribute("aria-invalid", "true");
      error.textContent = empty === f.title ? t("title_needed") : t("body_needed");
      error.hidden = false;
      empty.focus();
      return;
    }
    const args = { title: f.title.value.trim(), body: f.body.value };
    if (itemSelect.value) args.agenda_item_id = Number(itemSelect.value);
    ui.busy = true;
    proposeForm.setAttribute("aria-busy", "true");
    const demand = await run("demands.propose", args, error);
    ui.busy = false;
    proposeForm.removeAttribute("aria-busy");
    if (demand === undefined) {
      const field = f[error.dataset.field] || null;
      field?.focus();
      return;
    }
    proposeForm.reset();
    ui.itemTouched = false;
    itemSelect.dataset.key = "";
    bodyCounter();
    setText($("#propose-title-count"), t("chars_of", { n: 0, max: LIMITS.title }));
    $("#propose-details").open = false;
    announce(t("proposed", { title: demand.title }));
    render(live.state);
    document.getElementById(`demand-title-${demand.id}`)?.focus();
  });

  showGone.addEventListener("change", () => render(live.state));

  // -- one demand in the list -----------------------------------------------------------------

  function amendmentView(d, a) {
    const mine = a.author_id === me().id;
    const pending = a.status === "pending";
    return h(
      "li",
      { class: `amendment astatus-${a.status}`, "data-testid": "amendment", dataset: { id: a.id } },
      h(
        "p",
        { class: "amendment-head" },
        h("span", {}, t("amendment_by", { name: a.author.name })),
        " ",
        amendmentBadge(a, t),
        pending && a.conflicts_with.length ? h("span", { class: "badge badge-conflict" }, t("conflicting")) : null,
      ),
      h("p", { class: "amendment-kind muted" }, a.passage === null ? t("amend_whole") : t("amend_passage")),
      diffView(a.diff_html ?? a.diff, t),
      a.rationale ? h("p", { class: "amendment-rationale" }, t("rationale_said", { text: a.rationale })) : null,
      a.note ? h("p", { class: "amendment-note muted" }, a.note) : null,
      pending && ACTIVE.has(d.status)
        ? h(
            "div",
            { class: "form-actions" },
            isMine(d)
              ? h("button", { type: "button", class: "button button-small button-primary", "data-key": `accept-${a.id}`, onclick: async () => {
                  const ok = await run("amendments.accept", { amendment_id: a.id });
                  if (ok !== undefined) announce(t("accepted", { title: d.title }));
                } }, t("accept_friendly"))
              : null,
            mine
              ? h("button", { type: "button", class: "button button-small", "data-key": `withdraw-am-${a.id}`, onclick: async () => {
                  const ok = await run("amendments.withdraw", { amendment_id: a.id });
                  if (ok !== undefined) announce(t("amendment_withdrawn"));
                } }, t("withdraw_amendment"))
              : null,
          )
        : null,
    );
  }

  function amendmentsView(d) {
    if (!d.amendments) return null; // the text is on its way
    const pending = d.amendments.filter((a) => a.status === "pending");
    const earlier = d.amendments.filter((a) => a.status !== "pending");
    return [
      pending.length
        ? h("div", { class: "amendments" }, h("h4", { class: "amendments-title" }, t("amendments_pending", { n: pending.length })), h("ol", { class: "amendment-list" }, pending.map((a) => amendmentView(d, a))))
        : null,
      earlier.length
        ? h("details", { class: "amendments amendments-earlier" }, h("summary", {}, t("amendments_earlier", { n: earlier.length })), h("ol", { class: "amendment-list" }, earlier.map((a) => amendmentView(d, a))))
        : null,
    ];
  }

  function stanceButtons(d, { big = false, advance = false } = {}) {
    const current = stanceOf(d);
    const labelId = `stance-label-${d.id}${big ? "-card" : ""}`;
    return h(
      "div",
      { class: `stances ${big ? "stances-big" : ""}`.trim(), role: "group", "aria-labelledby": labelId, "data-testid": "stances" },
      h("p", { class: "stances-label", id: labelId }, t("where_do_you_stand"), " ", h("span", { class: "visually-hidden" }, `“${d.title}”`)),
      h(
        "div",
        { class: "stance-buttons" },
        STANCES.map((s) =>
          h(
            "button",
            {
              type: "button",
              class: `button stance-button stance-${s} ${big ? "" : "button-small"}`.trim(),
              "aria-pressed": current === s ? "true" : "false",
              "data-key": `stance-${d.id}-${s}${big ? "-card" : ""}`,
              onclick: () => takeStance(d, s, { advance }),
            },
            h("span", { class: "stance-mark", "aria-hidden": "true" }, current === s ? "✓" : ""),
            t(`stance_${s}`),
          ),
        ),
      ),
      h("p", { class: "stance-current muted", "data-testid": "my-stance" }, current ? t("your_stance", { stance: t(`stance_${current}`) }) : t("no_stance")),
    );
  }

  function itemTitle(d) {
    const item = d.item_id == null ? null : live.state.agenda.find((i) => i.id === d.item_id);
    return item ? item.title : null;
  }

  function demandView(summary) {
    const full = texts.get(summary);
    const d = full || summary;
    const active = ACTIVE.has(d.status);
    const mine = isMine(d);
    const draftOfMine = mine && d.status === "draft";
    const item = itemTitle(d);
    const merged = d.merged_into ? live.state.demands.find((x) => x.id === d.merged_into) : null;
    return [
      h(
        "div",
        { class: "demand-head" },
        h("h3", { class: "demand-title", id: `demand-title-${d.id}`, tabindex: "-1", "data-testid": "demand-title" }, d.title),
        h("p", { class: "demand-badges" }, statusBadge(d.status, t), mine ? h("span", { class: "badge badge-mine" }, t("yours")) : null),
      ),
      h("p", { class: "demand-meta muted" }, authorsText(d, t), item ? ` · ${t("under_item", { title: item })}` : "", d.version > 1 ? ` · ${t("version_n", { n: d.version })}` : ""),
      merged ? h("p", { class: "demand-note" }, t("merged_into", { title: merged.title })) : null,
      blockNote(d, t),
      bodyOrExcerpt(full, d),
      supportLine(d, t),
      active && !mine
        ? h("button", { type: "button", class: `button button-small ${supports(d) ? "" : "button-primary"}`.trim(), "data-key": `support-${d.id}`, "aria-pressed": supports(d) ? "true" : "false", onclick: () => toggleSupport(d) }, supports(d) ? t("unsupport") : t("support"))
        : null,
      active ? stanceButtons(d) : null,
      d.agreement.responses ? h("p", { class: "agreement-line muted", "data-testid": "agreement-counts" }, agreementCounts(d.agreement, t)) : null,
      amendmentsView(d),
      active
        ? h(
            "div",
            { class: "demand-actions" },
            h("button", { type: "button", class: "button button-small", "data-key": `amend-${d.id}`, "aria-expanded": ui.amending.has(d.id) ? "true" : "false", onclick: () => openAmend(d) }, t("propose_amendment")),
            draftOfMine ? h("button", { type: "button", class: "button button-small", "data-key": `edit-${d.id}`, "aria-expanded": ui.editing.has(d.id) ? "true" : "false", onclick: () => openEdit(d) }, t("edit_draft")) : null,
            draftOfMine ? h("button", { type: "button", class: "button button-small button-danger-quiet", "data-key": `withdraw-${d.id}`, "aria-expanded": ui.confirm === d.id ? "true" : "false", onclick: () => {
              ui.confirm = d.id;
              render(live.state);
              $(`[data-key="confirm-withdraw-${d.id}"]`)?.focus();
            } }, t("withdraw_demand")) : null,
          )
        : null,
      ui.confirm === d.id
        ? h(
            "div",
            { class: "confirm-row", role: "group", "aria-label": t("confirm_withdraw", { title: d.title }) },
            h("span", {}, t("confirm_withdraw", { title: d.title })),
            h("button", { type: "button", class: "button button-small button-danger", "data-key": `confirm-withdraw-${d.id}`, onclick: async () => {
              ui.confirm = null;
              const ok = await run("demands.withdraw", { demand_id: d.id });
              if (ok !== undefined) announce(t("withdrawn", { title: d.title }));
              render(live.state);
            } }, t("yes_withdraw")),
            h("button", { type: "button", class: "button button-small", onclick: () => {
              ui.confirm = null;
              render(live.state);
              $(`[data-key="withdraw-${d.id}"]`)?.focus();
            } }, t("cancel")),
          )
        : null,
    ];
  }

  // -- forms in a demand's slot (kept across live updates) ----------------------------------

  function closeForm(d, set, focusKey) {
    set.delete(d.id);
    const card = cards.card(d.id);
    card?.slot.querySelector(`[data-form="${set === ui.amending ? "amend" : "edit"}"]`)?.remove();
    render(live.state);
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
      const n = passageCount(current(), shownBody(), passage.value);
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
          const whole = form.elements.mode.value === "whole";
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
    render(live.state);
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
    render(live.state);
    title.focus();
  }

  // -- card by card ---------------------------------------------------------------------------

  const answerable = () => live.state.demands.filter((d) => ACTIVE.has(d.status) && !d.hidden);

  function nextCard(fromId) {
    const all = answerable();
    const start = all.findIndex((d) => d.id === fromId);
    for (let step = 1; step <= all.length; step += 1) {
      const d = all[(start + step) % all.length];
      if (!stanceOf(d)) {
        ui.cardId = d.id;
        return;
      }
    }
    ui.cardId = null; // every demand answered
  }

  function focusCard() {
    (document.getElementById("card-title") || document.getElementById("card-done"))?.focus();
  }

  function startCards() {
    ui.mode = "cards";
    const all = answerable();
    const first = all.find((d) => !stanceOf(d)) || all[0];
    ui.cardId = first ? first.id : null;
    render(live.state);
    focusCard();
  }

  function leaveCards() {
    ui.mode = "list";
    render(live.state);
    $("#cards-start").focus();
  }

  function moveCard(delta) {
    const all = answerable();
    const i = all.findIndex((d) => d.id === ui.cardId);
    const d = all[(Math.max(i, 0) + delta + all.length) % all.length];
    ui.cardId = d ? d.id : null;
    render(live.state);
    focusCard();
  }

  function renderCards() {
    const all = answerable();
    const left = all.filter((d) => !stanceOf(d)).length;
    const d = all.find((x) => x.id === ui.cardId);
    const back = h("button", { type: "button", class: "button button-small", "data-key": "cards-back", onclick: leaveCards }, t("cards_back"));
    if (!d) {
      replaceChildren(
        cardMode,
        h("h3", { id: "card-done", tabindex: "-1", class: "cardmode-done", "data-testid": "cards-done" }, all.length ? t("cards_all_done") : t("cards_none")),
        h("div", { class: "form-actions" }, all.length ? h("button", { type: "button", class: "button button-small", "data-key": "cards-again", onclick: () => { ui.cardId = all[0].id; render(live.state); focusCard(); } }, t("cards_again")) : null, back),
      );
      return;
    }
    const index = all.indexOf(d);
    replaceChildren(
      cardMode,
      h("p", { class: "cardmode-progress muted", "data-testid": "cards-progress" }, t("cards_progress", { i: index + 1, n: all.length }), " · ", t("cards_left", { n: left })),
      h(
        "article",
        { class: "cardmode-card", "data-testid": "demand-card", dataset: { id: d.id } },
        h("h3", { id: "card-title", tabindex: "-1", class: "demand-title" }, d.title),
        h("p", { class: "demand-meta muted" }, authorsText(d, t)),
        bodyOrExcerpt(texts.want(d), d),
        stanceButtons(d, { big: true, advance: true }),
      ),
      h(
        "div",
        { class: "cardmode-nav" },
        h("button", { type: "button", class: "button button-small", "data-key": "cards-prev", onclick: () => moveCard(-1) }, t("cards_prev")),
        h("button", { type: "button", class: "button button-small", "data-key": "cards-next", onclick: () => moveCard(1) }, t("cards_skip")),
        back,
      ),
    );
  }

  $("#cards-start").addEventListener("click", startCards);

  // -- the whole section ----------------------------------------------------------------------

  function render(state) {
    renderItemOptions(state);
    const all = state.demands || [];
    const gone = all.filter((d) => GONE.has(d.status));
    $("#show-gone-row").hidden = gone.length === 0;
    setText($("#show-gone-label"), t("show_gone", { n: gone.length }));
    const shown = showGone.checked ? all : all.filter((d) => !GONE.has(d.status));
    setText($("#demands-count"), all.length ? t("demands_count", { n: shown.length }) : "");
    $("#demands-empty").hidden = shown.length > 0;
    $("#cards-start").hidden = answerable().length === 0 || ui.mode === "cards";
    const cardsOn = ui.mode === "cards";
    cardMode.hidden = !cardsOn;
    list.hidden = cardsOn;
    if (cardsOn) renderCards();
    for (const id of [...ui.amending, ...ui.editing]) {
      const d = all.find((x) => x.id === id);
      if (!d || !ACTIVE.has(d.status)) {
        ui.amending.delete(id);
        ui.editing.delete(id);
        cards.card(id)?.slot.replaceChildren();
      }
    }
    cards.render(
      shown,
      (d) => JSON.stringify([d, texts.mark(d), state.me.id, supports(d), stanceOf(d), ui.confirm === d.id, ui.amending.has(d.id), ui.editing.has(d.id), d.item_id != null && itemTitle(d)]),
      demandView,
    );
    if (!cardsOn) {
      for (const d of shown) {
        const card = cards.card(d.id);
        if (observer && card && !watched.has(card.el)) {
          watched.add(card.el);
          observer.observe(card.el);
        }
        if (isNear(d.id)) texts.want(d);
      }
    }
  }

  live.subscribe(render);
}
