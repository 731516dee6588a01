// @ts-check
// Demands on the phone: propose, edit or withdraw my drafts, support, amend (a passage or
// the whole text: demands-phone-forms.js), accept amendments to my demands as friendly, and
// say where I stand, in the list or card by card (demands-phone-cards.js). See demands.js for
// the shared pieces and the safety rule.

import { $, h, replaceChildren, setText, wireCounter } from "./dom.js";
import {
  ACTIVE,
  GONE,
  CardList,
  agreementCounts,
  amendmentBadge,
  amendmentNote,
  authorsText,
  blockNote,
  bodyOrExcerpt,
  diffView,
  statusBadge,
  supportLine,
} from "./demands.js";
import { demandCards } from "./demands-phone-cards.js";
import { demandForms } from "./demands-phone-forms.js";
import { LIMITS, STANCES } from "./demands-phone-model.js";

/**
 * What the phone's demands panels share (the list here, the forms in demands-phone-forms.js,
 * card by card in demands-phone-cards.js).
 * @typedef {object} PhoneDemands
 * @property {import("./live.js").LiveConnection} live
 * @property {(key: string, params?: object) => string} t
 * @property {{amending: Set<number>, editing: Set<number>, confirm: number | null, mode: string, cardId: number | null, itemTouched: boolean, busy: boolean}} ui
 * @property {CardList} cards
 * @property {import("./demand-texts.js").DemandTexts} texts
 * @property {(name: string, args: object, errorEl?: HTMLElement | null) => Promise<any>} run  the result, or undefined (the error shown in errorEl, else announced)
 * @property {(text: string) => void} announce
 * @property {(d: any) => string | null} stanceOf  my stance on a demand
 * @property {() => void} redraw  draw the section again
 */

/**
 * Demands on the phone.
 * @param {import("./live.js").LiveConnection} live
 * @param {(key: string, params?: object) => string} t
 */
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
          const id = Number(/** @type {HTMLElement} */ (entry.target).dataset.id);
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
  /** @type {() => any} this member as the state has it, with the supports and stances the replies bring */
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

  /** @type {PhoneDemands} */
  const screen = { live, t, ui, cards, texts, run, announce, stanceOf, redraw: () => render(live.state) };
  const { openAmend, openEdit } = demandForms(screen);
  const byCard = demandCards(screen, cardMode, stanceButtons);

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
    if (advance) byCard.nextCard(d.id);
    live.notify();
    if (advance) byCard.focusCard();
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
      a.note ? h("p", { class: "amendment-note muted" }, amendmentNote(a.note, t)) : null,
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
    $("#cards-start").hidden = byCard.answerable().length === 0 || ui.mode === "cards";
    const cardsOn = ui.mode === "cards";
    cardMode.hidden = !cardsOn;
    list.hidden = cardsOn;
    if (cardsOn) byCard.render();
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
