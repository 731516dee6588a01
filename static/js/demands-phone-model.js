// @ts-check
// What the phone's demands screen decides without any DOM (demands-phone.js draws it): the
// fields' limits, where a passage to amend is found in a demand's text, and the order of
// card by card (the demands still to answer, one at a time).

/** @import { Demand } from "./demands-state.js" */

/** The stances one can take on a demand, in the order of their buttons. */
export const STANCES = ["agree", "disagree", "pass"];

/** The longest title, body and rationale the server takes (characters). */
export const LIMITS = { title: 200, body: 5000, rationale: 2000 };

/**
 * How often `part` is in `text`: 0, 1, 2, or 3 for three or more (more is never told apart).
 * @param {string} text
 * @param {string} part
 */
export function occurrences(text, part) {
  if (!part) return 0;
  let n = 0;
  for (let i = text.indexOf(part); i >= 0 && n < 3; i = text.indexOf(part, i + 1)) n += 1;
  return n;
}

/** @param {string} text */
const flat = (text) => text.replace(/\s+/g, " ").trim();

/**
 * How often a passage is in the demand: as written (its Markdown), or else as displayed (the
 * rendered text, spaces and line breaks aside), since it may have been selected on screen.
 * @param {{body?: string}} demand
 * @param {string | null} shown  the text the demand's body shows, null when not on screen
 * @param {string} part  the passage
 */
export function passageCount(demand, shown, part) {
  const n = occurrences(demand.body || "", part);
  if (n || shown === null || !part.trim()) return n;
  return occurrences(flat(shown), flat(part));
}

/**
 * Card by card, after an answer: the next demand not answered yet, going round from the one
 * answered; null when every one is.
 * @param {Demand[]} all  the demands one can answer, in order
 * @param {number} fromId
 * @param {(d: Demand) => boolean} answered
 * @returns {number | null}
 */
export function nextUnanswered(all, fromId, answered) {
  const start = all.findIndex((d) => d.id === fromId);
  for (let step = 1; step <= all.length; step += 1) {
    const d = all[(start + step) % all.length];
    if (!answered(d)) return d.id;
  }
  return null;
}

/**
 * Card by card, from the start: the first demand not answered, else the first of all.
 * @param {Demand[]} all
 * @param {(d: Demand) => boolean} answered
 * @returns {number | null}
 */
export function firstCard(all, answered) {
  const first = all.find((d) => !answered(d)) || all[0];
  return first ? first.id : null;
}

/**
 * Card by card, skipping back or on (`delta` -1 or 1) from the card shown, round the ends;
 * from the first when the card shown is gone.
 * @param {Demand[]} all
 * @param {number | null} currentId
 * @param {number} delta
 * @returns {number | null}
 */
export function movedCard(all, currentId, delta) {
  const i = all.findIndex((d) => d.id === currentId);
  const d = all[(Math.max(i, 0) + delta + all.length) % all.length];
  return d ? d.id : null;
}
