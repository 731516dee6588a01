// @ts-check
// Decision rounds in the live state (docs/realtime.md, "round.*"): applied by live-state.js,
// without any DOM, so every screen keeps `state.rounds` the same way. `round.turnout` and
// `round.tally` carry no seq: each replaces the last one of its round.

/** @import { LiveEvent, LiveState } from "./live-state.js" */

/**
 * A decision round as the snapshot and the round.* events carry it (docs/rounds.md); only
 * what the screens read is named here.
 * @typedef {object} Round
 * @property {number} id
 * @property {string} [title]
 * @property {string} [method]  irv, stv, schulze, approval, score, yes_no, consent, gradients
 * @property {"draft" | "open" | "paused" | "closed" | string} [state]
 * @property {{id: number, label: string}[]} [options]
 * @property {number} [seats]
 * @property {boolean} [secret]
 * @property {boolean} [live_results]  the count is shown while voting
 * @property {PendingLot | null} [pending_lot]  paused: the lot the count waits for
 * @property {RoundTurnout | null} [turnout]  the latest round.turnout message
 * @property {RoundTally | null} [tally]  the latest round.tally message (while open)
 * @property {any} [result]  the count after the close (docs/voting-methods.md)
 * @property {string | null} [closed_at]  when voting closed
 * @property {string | null} [settled_at]  when the result became final: the close, or the last
 *   lot entered after a pause (null in older rounds: their closed_at)
 * @property {number | null} [agenda_item_id]
 * @property {string} [followed_up]
 */

/**
 * A tie the count cannot break by its rule: a lot drawn in the room decides (docs/rounds.md).
 * @typedef {object} PendingLot
 * @property {number} draw
 * @property {number} round  the round of the count where the tie is
 * @property {string} purpose  exclude, elect, surplus or rank
 * @property {number[]} tied  the tied options' ids
 * @property {number[]} pool  those the lot chooses among
 * @property {string} [side]
 */

/**
 * @typedef {object} RoundTurnout
 * @property {number} round_id
 * @property {number} voted
 * @property {number} [present]
 * @property {number} [voted_weight]
 * @property {number} [paper]  how many of those who voted did so on paper (a teller entered it)
 * @property {number} [not_voted_count]  named rounds, to facilitators: how many have not voted
 */

/**
 * @typedef {object} RoundTally
 * @property {number} round_id
 * @property {any} [result]
 */

/** @param {LiveState} state */
function ensure(state) {
  if (!Array.isArray(state.rounds)) state.rounds = [];
  return state.rounds;
}

/**
 * @param {LiveState} state
 * @param {number} id
 * @returns {Round | null}
 */
export function findRound(state, id) {
  return (state.rounds || []).find((r) => r.id === id) || null;
}

/**
 * @param {LiveState} state
 * @param {Round} data
 * @returns {Round}
 */
function putRound(state, data) {
  const rounds = ensure(state);
  const i = rounds.findIndex((r) => r.id === data.id);
  if (i >= 0) rounds[i] = { ...rounds[i], ...data };
  else rounds.push({ turnout: null, tally: null, ...data });
  rounds.sort((a, b) => a.id - b.id);
  return /** @type {Round} */ (rounds.find((r) => r.id === data.id));
}

/**
 * Apply a round.* event (and the vote weights of participant.updated). Returns true when the
 * event was a round event (handled here), false otherwise (participant.updated goes on to
 * the other handlers too).
 * @param {LiveState} state
 * @param {LiveEvent} event
 * @returns {boolean}
 */
export function applyRoundEvent(state, event) {
  const { type, data } = event;
  if (type === "participant.updated") {
    if (state.members && data && data.vote_weight !== undefined) {
      const member = state.members.find((m) => m.id === data.id);
      if (member) Object.assign(member, { vote_weight: data.vote_weight, carried_by_id: data.carried_by_id });
    }
    return false;
  }
  if (!type.startsWith("round.") || !data) return false;
  switch (type) {
    case "round.created":
    case "round.opened":
      putRound(state, data);
      break;
    case "round.paused": // voting is over; the count waits for a lot drawn in the room
    case "round.closed": {
      const round = putRound(state, data);
      round.tally = null; // the result replaces the live count
      break;
    }
    case "round.paper_ballot": {
      // a teller entered a paper ballot: the count of them moves at once (turnout follows)
      const round = findRound(state, data.round_id);
      if (round && round.turnout) round.turnout.paper = Math.max(round.turnout.paper ?? 0, data.paper ?? 0);
      break;
    }
    case "round.followed_up": {
      const round = findRound(state, data.round_id);
      if (round) round.followed_up = data.path;
      if (data.new_round) putRound(state, data.new_round);
      break;
    }
    default:
      break;
  }
  return true;
}

/**
 * A `round.turnout` or `round.tally` socket message: keep it on its round. Returns true when
 * the state changed.
 * @param {LiveState | null} state
 * @param {string} name
 * @param {RoundTurnout | RoundTally | null} message
 * @returns {boolean}
 */
export function applyRoundMessage(state, name, message) {
  if (!state || !message) return false;
  const round = findRound(state, message.round_id);
  if (!round) return false;
  if (name === "round.turnout") {
    // The projector gets turnout both as a screen and with the phones, sent apart: an older
    // count may arrive after a newer one. While a round is open its count only grows.
    const turnout = /** @type {RoundTurnout} */ (message);
    if (round.state === "open" && round.turnout && turnout.voted < round.turnout.voted) return false;
    round.turnout = turnout;
  } else if (name === "round.tally") {
    if (round.state !== "open") return false; // a late count after the close
    round.tally = message;
  }
  return true;
}
