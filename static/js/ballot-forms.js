// @ts-check
// The fields of the phone's ballot, one function per form kind of the methods' records
// (`ballot.form`: ranking, approval, score, choice). They edit the draft (ballot.js) in place;
// rounds-phone.js holds the form around them, sends it and drags the ranking.

import { h } from "./dom.js";
import { ordinal } from "./floor.js";
import { choicesOf, methodOf } from "./methods.js";
import { optionLabel } from "./tally-view.js";

/** @import { Draft } from "./ballot.js" */
/** @import { Round } from "./rounds-state.js" */

/**
 * What a form needs of the phone's screen.
 * @typedef {object} FormContext
 * @property {(key: string, params?: object) => string} t
 * @property {string} locale
 * @property {(optionId: number) => void} tap  an option of a ranked ballot tapped (rank it, or take it out)
 * @property {() => void} redraw  draw the ballot again: the draft changed
 */

/**
 * A ranked ballot: tap the options in order (or drag them, rounds-phone.js), the ranking
 * below them.
 * @param {Round} round
 * @param {Draft} draft
 * @param {FormContext} ctx
 */
function rankedBallot(round, draft, { t, locale, tap, redraw }) {
  const rankOf = (id) => draft.ranking.indexOf(id) + 1;
  return [
    h("p", { class: "hint", id: `rank-hint-${round.id}` }, methodOf(round.method).hint),
    h("h4", { class: "ballot-subtitle", id: `options-title-${round.id}` }, t("options_title")),
    h(
      "ul",
      { class: "rank-options", "aria-labelledby": `options-title-${round.id}`, "data-testid": "rank-options" },
      round.options.map((option) => {
        const place = rankOf(option.id);
        return h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "rank-option",
              "data-key": `rank-${round.id}-${option.id}`,
              "data-drag": "option",
              "data-option": option.id,
              "data-testid": "rank-option",
              "aria-pressed": place ? "true" : "false",
              // The accessible name starts with the visible label (axe: label-content-name-mismatch).
              "aria-label": place
                ? t("option_ranked", { option: option.label, place: ordinal(place, t, locale) })
                : t("option_not_ranked", { option: option.label }),
              "aria-describedby": `rank-hint-${round.id}`,
              onclick: () => tap(option.id),
            },
            h("span", { class: "rank-badge", "aria-hidden": "true" }, place ? String(place) : ""),
            h("span", { class: "rank-option-label" }, option.label),
          ),
        );
      }),
    ),
    h("h4", { class: "ballot-subtitle", id: `ranking-title-${round.id}` }, t("your_ranking")),
    h(
      "ol",
      { class: "rank-list", "data-dropzone": round.id, "data-testid": "ranking", "aria-labelledby": `ranking-title-${round.id}` },
      draft.ranking.length
        ? draft.ranking.map((id, index) =>
            h(
              "li",
              { class: "rank-item", "data-option": id, "data-testid": "ranked" },
              h("span", { class: "rank-num", "aria-hidden": "true" }, String(index + 1)),
              h("span", { class: "rank-item-label" }, optionLabel(round, id)),
              h("span", { class: "drag-handle", "data-drag": "ranked", "data-option": id, title: t("drag_handle", { option: optionLabel(round, id) }), "aria-hidden": "true" }, "⠿"),
            ),
          )
        : h("li", { class: "rank-empty muted" }, t("ranking_empty")),
    ),
    draft.ranking.length
      ? h(
          "button",
          {
            type: "button",
            class: "button button-small button-quiet",
            "data-key": `rank-clear-${round.id}`,
            onclick: () => {
              draft.ranking = [];
              redraw();
            },
          },
          t("clear_ranking"),
        )
      : null,
  ];
}

/**
 * An approval ballot: a box to tick for each option.
 * @param {Round} round
 * @param {Draft} draft
 * @param {FormContext} ctx
 */
function approvalBallot(round, draft, ctx) {
  return h(
    "fieldset",
    { class: "ballot-fieldset" },
    h("legend", {}, methodOf(round.method).hint),
    round.options.map((option) => {
      const id = `approve-${round.id}-${option.id}`;
      return h(
        "p",
        { class: "checkbox ballot-check" },
        h("input", {
          type: "checkbox",
          id,
          "data-key": id,
          checked: draft.approve.includes(option.id),
          onchange: (e) => {
            draft.approve = draft.approve.filter((x) => x !== option.id);
            if (e.target.checked) draft.approve.push(option.id);
          },
        }),
        h("label", { for: id }, option.label),
      );
    }),
  );
}

/**
 * A score ballot: a slider for each option, from 0 to the method's largest score.
 * @param {Round} round
 * @param {Draft} draft
 * @param {FormContext} ctx
 */
function scoreBallot(round, draft, { t }) {
  return h(
    "fieldset",
    { class: "ballot-fieldset" },
    h("legend", {}, methodOf(round.method).hint),
    round.options.map((option) => {
      const id = `score-${round.id}-${option.id}`;
      const value = Number(draft.scores[option.id] || 0);
      const out = h("output", { for: id, class: "score-value", "data-testid": "score-value" }, t("score_value", { n: value }));
      return h(
        "div",
        { class: "score-row" },
        h("label", { for: id }, option.label),
        h(
          "div",
          { class: "score-input" },
          h("input", {
            type: "range",
            id,
            "data-key": id,
            min: 0,
            max: methodOf(round.method).ballot.max,
            step: 1,
            value: String(value),
            "aria-valuetext": t("score_value", { n: value }),
            oninput: (e) => {
              const n = Number(e.target.value);
              draft.scores[option.id] = n;
              out.textContent = t("score_value", { n });
              e.target.setAttribute("aria-valuetext", t("score_value", { n }));
            },
          }),
          out,
        ),
      );
    }),
  );
}

/**
 * A ballot on one proposal: one of the method's choices (yes/no/abstain, consent, gradients).
 * @param {Round} round
 * @param {Draft} draft
 * @param {FormContext} ctx
 */
function choiceBallot(round, draft, { t }) {
  const method = round.method;
  return h(
    "fieldset",
    { class: `ballot-fieldset choices choices-${method}` },
    h("legend", {}, round.options[0] ? round.options[0].label : t("choose_hint")),
    choicesOf(method).map(({ value: choice, label, hint }) => {
      const id = `choice-${round.id}-${choice}`;
      return h(
        "p",
        { class: `choice choice-${choice}` },
        h("input", {
          type: "radio",
          id,
          name: `choice-${round.id}`,
          value: String(choice),
          "data-key": id,
          checked: draft.choice === choice,
          onchange: () => (draft.choice = choice),
        }),
        h("label", { for: id }, h("span", { class: "choice-label" }, label), hint ? h("span", { class: "choice-hint" }, hint) : null),
      );
    }),
  );
}

/** The form of each kind of ballot (a method's `ballot.form`); a kind not known here is a choice. */
export const FORMS = { ranking: rankedBallot, approval: approvalBallot, score: scoreBallot, choice: choiceBallot };

/**
 * The fields of `round`'s ballot, by its method's form.
 * @param {Round} round
 * @param {Draft} draft
 * @param {FormContext} ctx
 */
export function ballotFields(round, draft, ctx) {
  return (FORMS[methodOf(round.method).ballot.form] || choiceBallot)(round, draft, ctx);
}
