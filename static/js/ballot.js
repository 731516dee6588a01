// @ts-check
// The phone's ballot, without any DOM (rounds-phone.js and ballot-forms.js draw it): the
// draft being filled in and what it sends, the receipt the phone draws, and the ballots kept
// on the phone until they are acknowledged (docs/rounds.md, "Receipts"; a ballot cast offline
// goes out on reconnect).

import { methodOf } from "./methods.js";

/** @import { Round } from "./rounds-state.js" */

/**
 * What rounds.cast takes besides the round and the receipt: one of these keys.
 * @typedef {{ranking?: number[], approve?: number[], scores?: Record<string, number>, choice?: string | number}} Ballot
 */

/**
 * A ballot the server acknowledged, kept with its receipt (to check it after the close, and
 * to replace it when the vote is changed).
 * @typedef {{receipt: string, ballot: Ballot, weight?: number}} Receipt
 */

/**
 * A ballot not acknowledged yet, with the receipt drawn for it: sent again with the same
 * receipt, it is recognised as the same ballot.
 * @typedef {{ballot: Ballot, receipt: string}} Pending
 */

/**
 * The ballot form's state: every kind of ballot at once (the round's method reads one).
 * @typedef {{ranking: number[], approve: number[], scores: Record<string, number>, choice: string | number | null}} Draft
 */

/**
 * Receipts and pending ballots in the phone's localStorage, per convening and member. Never
 * throws: in private mode or with storage full, nothing is kept (the ballot still goes out
 * when online).
 */
export class BallotStore {
  /**
   * @param {string} code  the convening's join code
   * @param {number} memberId
   * @param {Storage} [storage]  localStorage when not given (read when used: a browser may
   *   refuse even to hand it out)
   */
  constructor(code, memberId, storage) {
    this.prefix = `convene:${code}:${memberId}:`;
    this.storage = storage;
  }

  /** @returns {Storage} */
  get area() {
    return this.storage ?? localStorage;
  }

  /**
   * @overload
   * @param {"receipt"} kind
   * @param {number} roundId
   * @returns {Receipt | null}
   */
  /**
   * @overload
   * @param {"pending"} kind
   * @param {number} roundId
   * @returns {Pending | null}
   */
  /**
   * @param {"receipt" | "pending"} kind
   * @param {number} roundId
   * @returns {Receipt | Pending | null}
   */
  get(kind, roundId) {
    try {
      return JSON.parse(this.area.getItem(`${this.prefix}${kind}:${roundId}`) || "null");
    } catch {
      return null;
    }
  }

  /**
   * Keep `value` (null removes it).
   * @param {"receipt" | "pending"} kind
   * @param {number} roundId
   * @param {Receipt | Pending | null} value
   */
  set(kind, roundId, value) {
    try {
      if (value === null) this.area.removeItem(`${this.prefix}${kind}:${roundId}`);
      else this.area.setItem(`${this.prefix}${kind}:${roundId}`, JSON.stringify(value));
    } catch {
      // private mode or full: the ballot still goes out now when online
    }
  }
}

/**
 * The form's state for `round`, filled from a kept ballot (pending or acknowledged) if any;
 * every option's score starts at 0.
 * @param {Round} round
 * @param {Receipt | Pending | null} saved
 * @returns {Draft}
 */
export function emptyDraft(round, saved) {
  /** @type {Draft} */
  const draft = { ranking: [], approve: [], scores: {}, choice: null };
  const ballot = saved && saved.ballot;
  if (ballot) {
    if (ballot.ranking) draft.ranking = [...ballot.ranking];
    if (ballot.approve) draft.approve = [...ballot.approve];
    if (ballot.scores) draft.scores = { ...ballot.scores };
    if (ballot.choice !== undefined) draft.choice = ballot.choice;
  }
  for (const option of round.options || []) if (!(option.id in draft.scores)) draft.scores[option.id] = 0;
  return draft;
}

/**
 * What rounds.cast takes for `draft` on `round` (by its method's ballot form), or null when
 * nothing was chosen (no option ranked, no choice made). An approval ballot with nothing
 * approved is sent (it abstains); a score ballot sends every option's score, 0 if not moved.
 * @param {Round} round
 * @param {Draft} draft
 * @returns {Ballot | null}
 */
export function ballotArgs(round, draft) {
  const form = methodOf(round.method).ballot.form;
  if (form === "ranking") return draft.ranking.length ? { ranking: [...draft.ranking] } : null;
  if (form === "approval") return { approve: [...draft.approve] };
  if (form === "score") {
    /** @type {Record<string, number>} */
    const scores = {};
    for (const option of round.options || []) scores[String(option.id)] = Number(draft.scores[option.id] || 0);
    return { scores };
  }
  return draft.choice === null ? null : { choice: draft.choice };
}

/**
 * A tap on an option of a ranked ballot: ranked next if it was not, out of the ranking if it
 * was. Returns its place now (1 for the first), or 0 when it left the ranking.
 * @param {Draft} draft
 * @param {number} id
 */
export function toggleRank(draft, id) {
  const at = draft.ranking.indexOf(id);
  if (at >= 0) {
    draft.ranking.splice(at, 1);
    return 0;
  }
  draft.ranking.push(id);
  return draft.ranking.length;
}

/**
 * An option dropped at `at` in the ranking as shown (before the option at that index; past
 * the last, at the end), moved there if it was ranked already. Returns its place now.
 * @param {Draft} draft
 * @param {number} id
 * @param {number} at
 */
export function placeRank(draft, id, at) {
  const was = draft.ranking.indexOf(id);
  if (was >= 0) {
    draft.ranking.splice(was, 1);
    if (was < at) at -= 1;
  }
  draft.ranking.splice(at, 0, id);
  return at + 1;
}

/**
 * An option taken out of the ranking (dragged off it).
 * @param {Draft} draft
 * @param {number} id
 */
export function unrank(draft, id) {
  draft.ranking = draft.ranking.filter((x) => x !== id);
}

/**
 * Where a dragged option lands among the rows of a ranking at height `y`: before the first
 * row whose middle is below it, else after the last.
 * @param {{top: number, height: number}[]} boxes  the rows' boxes, top to bottom
 * @param {number} y
 */
export function dropIndex(boxes, y) {
  for (let i = 0; i < boxes.length; i += 1) {
    if (y < boxes[i].top + boxes[i].height / 2) return i;
  }
  return boxes.length;
}

const RECEIPT_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"; // as the server's (domain/rounds.py)

/** A random receipt code, drawn on the phone: 10 letters of RECEIPT_ALPHABET, uniform. */
export function newReceipt() {
  let code = "";
  while (code.length < 10) {
    for (const byte of crypto.getRandomValues(new Uint8Array(10))) {
      // 250 = 10 × 25: bytes from 250 up would favour some letters, so they are skipped
      if (byte < 250 && code.length < 10) code += RECEIPT_ALPHABET[byte % 25];
    }
  }
  return code;
}

/**
 * What rounds.cast is sent for `args` on `round`, and the receipt it carries. A kept ballot
 * sent again (`fromPending`) keeps the receipt drawn for it, so the server recognises it if
 * the first acknowledgement was lost; a changed vote names the receipt it replaces.
 * @param {BallotStore} store
 * @param {number} roundId
 * @param {Ballot} args
 * @param {boolean} fromPending
 * @returns {{payload: Ballot & {round_id: number, receipt: string, replaces?: string}, receipt: string}}
 */
export function castPayload(store, roundId, args, fromPending) {
  const saved = store.get("receipt", roundId);
  const kept = fromPending ? store.get("pending", roundId) : null;
  const receipt = (kept && kept.receipt) || newReceipt();
  /** @type {Ballot & {round_id: number, receipt: string, replaces?: string}} */
  const payload = { round_id: roundId, ...args, receipt };
  if (saved && saved.receipt) payload.replaces = saved.receipt;
  return { payload, receipt };
}

/**
 * A refusal after which the ballot is kept on the phone and sent again later: no answer
 * came (offline, or the acknowledgement timed out), so it may or may not have been counted.
 * @param {{code?: string}} error
 */
export function keepsBallot(error) {
  return error.code === "offline" || error.code === "timeout";
}

/**
 * What the phone says of a round's ballot before anything is done on this page: "offline"
 * while a ballot is kept unsent, "recorded" with its receipt when this phone's ballot was
 * acknowledged and the server counts this member as voted; null otherwise.
 * @param {BallotStore} store
 * @param {number} roundId
 * @param {boolean} voted  the server counts this member as voted in the round
 * @returns {{state: "offline" | "recorded", receipt?: string} | null}
 */
export function keptState(store, roundId, voted) {
  if (store.get("pending", roundId)) return { state: "offline" };
  const saved = store.get("receipt", roundId);
  if (saved && voted) return { state: "recorded", receipt: saved.receipt };
  return null;
}

/**
 * The kept ballots to send now: those of open rounds. A kept ballot of a round that is no
 * longer open can never count: it is dropped from the store.
 * @param {BallotStore} store
 * @param {Round[]} rounds
 * @returns {{round: Round, ballot: Ballot}[]}
 */
export function pendingBallots(store, rounds) {
  const due = [];
  for (const round of rounds) {
    const pending = store.get("pending", round.id);
    if (!pending) continue;
    if (round.state !== "open") {
      store.set("pending", round.id, null);
      continue;
    }
    due.push({ round, ballot: pending.ballot });
  }
  return due;
}
