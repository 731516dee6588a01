// @ts-check
// Decision rounds as every screen words them, without any DOM: which rounds a screen shows,
// their state, method and turnout in words, a stored ballot in words, and what the story of
// a count tells in each round. Drawn by the phone (rounds-phone.js), the projector
// (rounds-projector.js) and the console (rounds-console.js).

import { methodOf } from "./methods.js";
import { choiceLabel, methodName, optionLabel } from "./tally-view.js";

/** @import { Round, RoundTurnout } from "./rounds-state.js" */
/** @import { Ballot } from "./ballot.js" */

/** @typedef {(key: string, params?: object) => string} Translate */

/**
 * "12 of 30 have voted" (and the weight voted, when it differs from the count).
 * @param {RoundTurnout | null | undefined} turnout
 * @param {Translate} t
 * @param {string} [locale]
 */
export function turnoutText(turnout, t, locale) {
  if (!turnout) return "";
  const present = Math.max(turnout.present ?? 0, turnout.voted);
  let text = t("turnout", { voted: turnout.voted, present });
  if (turnout.voted_weight !== undefined && turnout.voted_weight !== turnout.voted) {
    text += ` · ${t("turnout_weight", { weight: turnout.voted_weight })}`;
  }
  if (turnout.paper) text += ` · ${t("turnout_paper", { n: turnout.paper })}`;
  return text;
}

/**
 * When a closed round's result became final (ms): its settled_at (the close, or the last
 * lot entered after a pause for one), or its closed_at in rounds from before settled_at.
 * @param {Round} round
 */
export function settledAt(round) {
  return Date.parse(round.settled_at || round.closed_at || "");
}

/**
 * The rounds a screen shows: the open ones (and any whose count waits for a lot drawn in
 * the room), then the latest result (the closed round settled last).
 * @param {{rounds?: Round[]}} state
 * @returns {Round[]}
 */
export function shownRounds(state) {
  const rounds = state.rounds || [];
  const open = rounds.filter((r) => r.state === "open" || r.state === "paused");
  const closed = rounds.filter((r) => r.state === "closed").sort((a, b) => settledAt(b) - settledAt(a) || b.id - a.id);
  return closed.length ? [...open, closed[0]] : open;
}

/**
 * "Voting open", "Paused for a lot", "Closed".
 * @param {Round} round
 * @param {Translate} t
 */
export function stateText(round, t) {
  return round.state === "open" ? t("round_open") : round.state === "paused" ? t("round_paused") : t("round_closed");
}

/**
 * The method, the seats when there are several, and whether the round is secret.
 * @param {Round} round
 * @param {Translate} t
 */
export function roundMeta(round, t) {
  const parts = [methodName(round.method, t)];
  const method = methodOf(round.method);
  if (method.proportional || (method.settings.includes("seats") && round.seats > 1)) parts.push(t("seats", { n: round.seats }));
  parts.push(round.secret ? t("secret_round") : t("named_round"));
  return parts.join(" · ");
}

/**
 * A stored ballot in words, for checking a receipt.
 * @param {Round} round
 * @param {Ballot | null | undefined} ballot
 * @param {Translate} t
 */
export function ballotText(round, ballot, t) {
  if (!ballot) return "";
  if (ballot.ranking) return ballot.ranking.map((id) => optionLabel(round, id)).join(" > ");
  if (ballot.approve) return ballot.approve.length ? ballot.approve.map((id) => optionLabel(round, id)).join(", ") : t("ballot_abstain");
  if (ballot.scores) return Object.entries(ballot.scores).map(([id, s]) => `${optionLabel(round, id)} ${s}`).join(", ");
  if (ballot.choice !== undefined) return choiceLabel(round.method, ballot.choice, t);
  return "";
}

/**
 * In a round of the story, mark the rows that are news (`news`: its bar moved or its mark
 * changed since the round before; every row of the first round). A row out of the count is
 * never news: it was told in the round that eliminated it.
 * @param {{key: string, value: number, mark: string | null, news?: boolean}[]} rows
 * @param {{key: string, value: number, mark: string | null}[] | null} before  the rows of the round before, null for the first
 */
export function markNews(rows, before) {
  const was = new Map((before || []).map((row) => [row.key, row]));
  for (const row of rows) {
    const old = was.get(row.key);
    row.news = row.mark !== "out" && (!before || !old || old.value !== row.value || old.mark !== row.mark);
  }
}

/**
 * The ties broken that the story tells at round `index` of a closed count: those of that
 * round (by its number); in a one-round count (approval, score, Schulze, one proposal) only
 * a tie that decided who won.
 * @param {{rounds: {number?: number}[], winners?: (string | number)[], tie_breaks?: {round?: number, tied?: (string | number)[]}[]}} result
 * @param {number} index
 */
export function storyTies(result, index) {
  const r = result.rounds[Math.min(index, result.rounds.length - 1)];
  const number = r ? r.number : 1;
  const winners = new Set((result.winners || []).map(String));
  /** @param {{tied?: (string | number)[]}} tb */
  const decided = (tb) => (tb.tied || []).some((id) => winners.has(String(id)));
  return (result.tie_breaks || []).filter((tb) => (result.rounds.length <= 1 ? decided(tb) : tb.round === number));
}
