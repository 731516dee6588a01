// @ts-check
// Card by card on the phone: the demands one can answer, one at a time, big stance buttons,
// on to the next not answered. demands-phone.js draws the list and switches to this mode.

import { $, h, replaceChildren } from "./dom.js";
import { ACTIVE, authorsText, bodyOrExcerpt } from "./demands.js";
import { firstCard, movedCard, nextUnanswered } from "./demands-phone-model.js";

/** @import { PhoneDemands } from "./demands-phone.js" */

/**
 * Card by card, in `cardMode` (the section's own element).
 * @param {PhoneDemands} screen
 * @param {HTMLElement} cardMode
 * @param {(d: any, options: {big?: boolean, advance?: boolean}) => HTMLElement} stanceButtons  the stance buttons of a demand (demands-phone.js)
 */
export function demandCards({ live, t, ui, texts, stanceOf, redraw }, cardMode, stanceButtons) {
  /** @param {any} d */
  const answered = (d) => Boolean(stanceOf(d));
  const answerable = () => live.state.demands.filter((d) => ACTIVE.has(d.status) && !d.hidden);

  /** After an answer: the next demand not answered (none when every one is). */
  function nextCard(fromId) {
    ui.cardId = nextUnanswered(answerable(), fromId, answered);
  }

  function focusCard() {
    (document.getElementById("card-title") || document.getElementById("card-done"))?.focus();
  }

  function startCards() {
    ui.mode = "cards";
    ui.cardId = firstCard(answerable(), answered);
    redraw();
    focusCard();
  }

  function leaveCards() {
    ui.mode = "list";
    redraw();
    $("#cards-start").focus();
  }

  function moveCard(delta) {
    ui.cardId = movedCard(answerable(), ui.cardId, delta);
    redraw();
    focusCard();
  }

  function renderCards() {
    const all = answerable();
    const left = all.filter((d) => !answered(d)).length;
    const d = all.find((x) => x.id === ui.cardId);
    const back = h("button", { type: "button", class: "button button-small", "data-key": "cards-back", onclick: leaveCards }, t("cards_back"));
    if (!d) {
      replaceChildren(
        cardMode,
        h("h3", { id: "card-done", tabindex: "-1", class: "cardmode-done", "data-testid": "cards-done" }, all.length ? t("cards_all_done") : t("cards_none")),
        h("div", { class: "form-actions" }, all.length ? h("button", { type: "button", class: "button button-small", "data-key": "cards-again", onclick: () => { ui.cardId = all[0].id; redraw(); focusCard(); } }, t("cards_again")) : null, back),
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

  return { answerable, nextCard, focusCard, render: renderCards };
}
