// Decision rounds in the live state: round.* events and the turnout/tally messages that
// carry no seq (static/js/rounds-state.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { applyRoundEvent, applyRoundMessage, findRound } from "../../static/js/rounds-state.js";

const options = [
  { id: 1, label: "Rent strike" },
  { id: 2, label: "Petition" },
];

function withRound(state = "open") {
  const s = { seq: 0, agenda: [], members: [{ id: 5, name: "Ana", vote_weight: 1, carried_by_id: null }] };
  applyRoundEvent(s, { seq: 1, type: "round.created", data: { id: 3, state: "draft", method: "irv", options } });
  if (state !== "draft") applyRoundEvent(s, { seq: 2, type: "round.opened", data: { id: 3, state: "open" } });
  return s;
}

test("rounds are kept in id order, an event merges into its round", () => {
  const s = { seq: 0, agenda: [] };
  applyRoundEvent(s, { seq: 1, type: "round.created", data: { id: 8, state: "draft", title: "B", options } });
  applyRoundEvent(s, { seq: 2, type: "round.created", data: { id: 3, state: "draft", title: "A", options } });
  applyRoundEvent(s, { seq: 3, type: "round.opened", data: { id: 8, state: "open" } });
  assert.deepEqual(s.rounds.map((r) => [r.id, r.state, r.title]), [[3, "draft", "A"], [8, "open", "B"]]);
  assert.equal(findRound(s, 8).turnout, null, "a new round has no turnout yet");
  assert.equal(findRound(s, 99), null);
});

test("turnout: an older count of an open round never replaces a newer one", () => {
  const s = withRound();
  assert.equal(applyRoundMessage(s, "round.turnout", { round_id: 3, voted: 10, present: 40 }), true);
  assert.equal(applyRoundMessage(s, "round.turnout", { round_id: 3, voted: 8, present: 40 }), false);
  assert.equal(findRound(s, 3).turnout.voted, 10);
  assert.equal(applyRoundMessage(s, "round.turnout", { round_id: 3, voted: 12, present: 41 }), true);
  assert.equal(findRound(s, 3).turnout.voted, 12);
});

test("turnout of a closed round is taken as it comes (a changed vote, a recount)", () => {
  const s = withRound();
  applyRoundMessage(s, "round.turnout", { round_id: 3, voted: 10 });
  applyRoundEvent(s, { seq: 3, type: "round.closed", data: { id: 3, state: "closed", result: { winners: ["1"] } } });
  assert.equal(applyRoundMessage(s, "round.turnout", { round_id: 3, voted: 9 }), true);
  assert.equal(findRound(s, 3).turnout.voted, 9);
});

test("the live count is kept while open, dropped at the close, and a late one ignored", () => {
  const s = withRound();
  assert.equal(applyRoundMessage(s, "round.tally", { round_id: 3, result: { rounds: [] } }), true);
  assert.ok(findRound(s, 3).tally);
  applyRoundEvent(s, { seq: 3, type: "round.closed", data: { id: 3, state: "closed", result: { winners: ["2"] } } });
  assert.equal(findRound(s, 3).tally, null);
  assert.deepEqual(findRound(s, 3).result, { winners: ["2"] });
  assert.equal(applyRoundMessage(s, "round.tally", { round_id: 3, result: { rounds: [] } }), false);
  assert.equal(findRound(s, 3).tally, null);
});

test("a paused round (waiting for a lot drawn in the room) drops the live count too", () => {
  const s = withRound();
  applyRoundMessage(s, "round.tally", { round_id: 3, result: {} });
  applyRoundEvent(s, { seq: 3, type: "round.paused", data: { id: 3, state: "paused", pending_lot: { pool: ["1", "2"] } } });
  assert.equal(findRound(s, 3).state, "paused");
  assert.equal(findRound(s, 3).tally, null);
});

test("messages for an unknown round, or before any state, change nothing", () => {
  const s = withRound();
  assert.equal(applyRoundMessage(s, "round.turnout", { round_id: 77, voted: 1 }), false);
  assert.equal(applyRoundMessage(null, "round.turnout", { round_id: 3, voted: 1 }), false);
  assert.equal(applyRoundMessage(s, "round.turnout", null), false);
  assert.equal(findRound(s, 3).turnout, null);
});

test("a follow-up marks its round and adds the new one", () => {
  const s = withRound();
  const handled = applyRoundEvent(s, { seq: 3, type: "round.followed_up", data: { round_id: 3, path: "new_round", new_round: { id: 4, state: "draft", options } } });
  assert.equal(handled, true);
  assert.equal(findRound(s, 3).followed_up, "new_round");
  assert.equal(findRound(s, 4).state, "draft");
});

test("participant.updated carries vote weights to the members, and goes on to the other reducers", () => {
  const s = withRound();
  const handled = applyRoundEvent(s, { seq: 3, type: "participant.updated", data: { id: 5, vote_weight: 2, carried_by_id: 9 } });
  assert.equal(handled, false);
  assert.deepEqual(s.members[0], { id: 5, name: "Ana", vote_weight: 2, carried_by_id: 9 });
  assert.equal(applyRoundEvent(s, { seq: 4, type: "demand.proposed", data: {} }), false);
});

test("a paper ballot entered moves the round's count of paper ballots", () => {
  const s = withRound();
  applyRoundEvent(s, { seq: 3, type: "round.paper_ballot", data: { round_id: 3, paper: 1 } });
  assert.equal(findRound(s, 3).turnout, null, "no turnout yet: the next round.turnout brings it");
  applyRoundMessage(s, "round.turnout", { round_id: 3, voted: 4, present: 9, paper: 1 });
  applyRoundEvent(s, { seq: 4, type: "round.paper_ballot", data: { round_id: 3, paper: 2 } });
  assert.equal(findRound(s, 3).turnout.paper, 2);
  applyRoundEvent(s, { seq: 5, type: "round.paper_ballot", data: { round_id: 99, paper: 7 } });
  assert.equal(findRound(s, 3).turnout.paper, 2);
});
