// The phone's ballot: the draft, the receipt, and the ballots kept until acknowledged
// (static/js/ballot.js; the offline path is driven by rounds-phone.js).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mock, test } from "node:test";

import {
  BallotStore,
  ballotArgs,
  castPayload,
  dropIndex,
  emptyDraft,
  keepsBallot,
  keptState,
  newReceipt,
  pendingBallots,
  placeRank,
  toggleRank,
  unrank,
} from "../../static/js/ballot.js";
import { methods } from "../../static/js/methods.js";

// The methods' records as the pages get them (kept equal to the server's by
// tests/unit/test_browser_methods.py): a ballot's form is its method's.
methods(JSON.parse(readFileSync(new URL("./methods.json", import.meta.url), "utf8")));

/** localStorage as a Map (the browser's API: getItem, setItem, removeItem). */
function memoryStorage() {
  const items = new Map();
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
}

const round = { id: 3, state: "open", method: "score", options: [{ id: 1, label: "A" }, { id: 2, label: "B" }] };

test("the store keeps receipts and pending ballots per convening, member and round", () => {
  const storage = memoryStorage();
  const mine = new BallotStore("ABC123", 7, storage);
  const theirs = new BallotStore("ABC123", 8, storage);
  mine.set("pending", 3, { ballot: { choice: "yes" }, receipt: "ACDEFGHJKM" });
  mine.set("receipt", 3, { receipt: "NPQRTUVWXY", ballot: { choice: "no" } });
  assert.deepEqual(mine.get("pending", 3), { ballot: { choice: "yes" }, receipt: "ACDEFGHJKM" });
  assert.equal(mine.get("receipt", 3).receipt, "NPQRTUVWXY");
  assert.equal(theirs.get("pending", 3), null);
  assert.equal(mine.get("pending", 4), null);
  assert.deepEqual([...storage.items.keys()].sort(), ["convene:ABC123:7:pending:3", "convene:ABC123:7:receipt:3"]);
  mine.set("pending", 3, null);
  assert.equal(mine.get("pending", 3), null);
  assert.equal(storage.items.has("convene:ABC123:7:pending:3"), false);
});

test("a store that cannot be used (private mode, full, garbled) neither throws nor keeps", () => {
  const broken = {
    getItem: () => {
      throw new Error("SecurityError");
    },
    setItem: () => {
      throw new Error("QuotaExceededError");
    },
    removeItem: () => {
      throw new Error("SecurityError");
    },
  };
  const store = new BallotStore("ABC123", 7, broken);
  assert.doesNotThrow(() => store.set("pending", 3, { ballot: {}, receipt: "X" }));
  assert.doesNotThrow(() => store.set("pending", 3, null));
  assert.equal(store.get("pending", 3), null);
  const garbled = memoryStorage();
  garbled.setItem("convene:ABC123:7:receipt:3", "{not json");
  assert.equal(new BallotStore("ABC123", 7, garbled).get("receipt", 3), null);
});

test("a draft starts empty with every score at 0, or from a kept ballot (a copy of it)", () => {
  assert.deepEqual(emptyDraft(round, null), { ranking: [], approve: [], scores: { 1: 0, 2: 0 }, choice: null });
  const saved = { receipt: "X", ballot: { ranking: [2, 1], approve: [1], scores: { 2: 4 }, choice: "block" } };
  const draft = emptyDraft(round, saved);
  assert.deepEqual(draft, { ranking: [2, 1], approve: [1], scores: { 1: 0, 2: 4 }, choice: "block" });
  draft.ranking.push(3);
  draft.scores[2] = 5;
  assert.deepEqual(saved.ballot.ranking, [2, 1], "editing the draft leaves the kept ballot alone");
  assert.equal(saved.ballot.scores[2], 4);
  assert.equal(emptyDraft(round, { receipt: "X", ballot: { choice: 0 } }).choice, 0, "a choice of 0 is a choice");
});

test("a receipt is 10 letters of the server's alphabet", () => {
  for (let i = 0; i < 200; i += 1) assert.match(newReceipt(), /^[ACDEFGHJKMNPQRTUVWXY34679]{10}$/);
  assert.notEqual(newReceipt(), newReceipt());
});

test("a receipt skips random bytes from 250 up (they would favour some letters)", () => {
  const draws = [new Uint8Array([250, 251, 255, 0, 24, 25, 249, 252, 253, 254]), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])];
  const spy = mock.method(globalThis.crypto, "getRandomValues", (array) => {
    array.set(draws.shift());
    return array;
  });
  try {
    // 0 → A, 24 → 9, 25 → A, 249 → 9 (249 % 25 = 24), then 1, 2, 3, 4, 5, 6 → C D E F G H
    assert.equal(newReceipt(), "A9A9CDEFGH");
    assert.equal(spy.mock.callCount(), 2);
  } finally {
    spy.mock.restore();
  }
});

test("a new ballot gets a new receipt; a changed vote names the receipt it replaces", () => {
  const store = new BallotStore("ABC123", 7, memoryStorage());
  const first = castPayload(store, 3, { choice: "yes" }, false);
  assert.match(first.receipt, /^[A-Z0-9]{10}$/);
  assert.deepEqual(first.payload, { round_id: 3, choice: "yes", receipt: first.receipt });
  store.set("receipt", 3, { receipt: first.receipt, ballot: { choice: "yes" } });
  const changed = castPayload(store, 3, { choice: "no" }, false);
  assert.notEqual(changed.receipt, first.receipt);
  assert.equal(changed.payload.replaces, first.receipt);
});

test("a kept ballot sent again keeps its receipt, so a lost acknowledgement is not a second vote", () => {
  const store = new BallotStore("ABC123", 7, memoryStorage());
  store.set("pending", 3, { ballot: { ranking: [2, 1] }, receipt: "KMNPQRTUVW" });
  const again = castPayload(store, 3, { ranking: [2, 1] }, true);
  assert.equal(again.receipt, "KMNPQRTUVW");
  assert.equal(again.payload.receipt, "KMNPQRTUVW");
  const fresh = castPayload(store, 3, { ranking: [1] }, false);
  assert.notEqual(fresh.receipt, "KMNPQRTUVW", "a new vote from the form draws a new receipt");
});

test("only an unanswered command keeps the ballot to send again", () => {
  assert.equal(keepsBallot({ code: "offline" }), true);
  assert.equal(keepsBallot({ code: "timeout" }), true);
  assert.equal(keepsBallot({ code: "conflict" }), false);
  assert.equal(keepsBallot({ code: "invalid_input" }), false);
});

test("on reconnect, kept ballots of open rounds go out; those of closed rounds are dropped", () => {
  const store = new BallotStore("ABC123", 7, memoryStorage());
  const rounds = [
    { id: 1, state: "open" },
    { id: 2, state: "closed" },
    { id: 3, state: "open" },
    { id: 4, state: "paused" },
  ];
  store.set("pending", 1, { ballot: { choice: "yes" }, receipt: "A" });
  store.set("pending", 2, { ballot: { choice: "no" }, receipt: "B" });
  store.set("pending", 4, { ballot: { choice: "agree" }, receipt: "D" });
  const due = pendingBallots(store, rounds);
  assert.deepEqual(due.map(({ round: r, ballot }) => [r.id, ballot]), [[1, { choice: "yes" }]]);
  assert.equal(store.get("pending", 2), null);
  assert.equal(store.get("pending", 4), null);
  assert.deepEqual(store.get("pending", 1), { ballot: { choice: "yes" }, receipt: "A" }, "kept until acknowledged");
});

/** A draft with these fields set, the others empty. */
const draftWith = (fields) => ({ ranking: [], approve: [], scores: {}, choice: null, ...fields });

test("a ranked ballot sends its ranking (a copy), and nothing when no option is ranked", () => {
  const irv = { id: 5, method: "irv", options: [{ id: 1 }, { id: 2 }, { id: 3 }] };
  const draft = draftWith({ ranking: [3, 1], choice: "yes" });
  const args = ballotArgs(irv, draft);
  assert.deepEqual(args, { ranking: [3, 1] }, "only the key of the method's form");
  draft.ranking.push(2);
  assert.deepEqual(args.ranking, [3, 1], "what was sent does not change with the form");
  assert.equal(ballotArgs(irv, draftWith({})), null);
  assert.deepEqual(ballotArgs({ ...irv, method: "stv" }, draftWith({ ranking: [2] })), { ranking: [2] });
});

test("an approval ballot is sent even with nothing approved (it abstains)", () => {
  const approval = { id: 6, method: "approval", options: [{ id: 1 }, { id: 2 }] };
  assert.deepEqual(ballotArgs(approval, draftWith({ approve: [2] })), { approve: [2] });
  assert.deepEqual(ballotArgs(approval, draftWith({})), { approve: [] });
});

test("a score ballot sends every option's score, 0 for one not moved, keyed by id as text", () => {
  assert.deepEqual(ballotArgs(round, draftWith({ scores: { 2: 4 } })), { scores: { 1: 0, 2: 4 } });
  assert.deepEqual(Object.keys(ballotArgs(round, draftWith({ scores: { 1: 3, 2: 5 } })).scores), ["1", "2"]);
});

test("a ballot on one proposal sends its choice (0 is one), and nothing before a choice", () => {
  for (const method of ["yes_no", "consent", "gradients"]) {
    const one = { id: 7, method, options: [{ id: 9, label: "The proposal" }] };
    assert.equal(ballotArgs(one, draftWith({})), null, method);
    assert.deepEqual(ballotArgs(one, draftWith({ choice: "block" })), { choice: "block" });
    assert.deepEqual(ballotArgs(one, draftWith({ choice: 0 })), { choice: 0 });
  }
  assert.deepEqual(ballotArgs({ id: 8, method: "not_a_method", options: [] }, draftWith({ choice: "x" })), { choice: "x" }, "a method the page does not know is a choice");
});

test("a tap ranks an option next, a second tap takes it out; the others move up", () => {
  const draft = draftWith({});
  assert.equal(toggleRank(draft, 3), 1);
  assert.equal(toggleRank(draft, 1), 2);
  assert.equal(toggleRank(draft, 2), 3);
  assert.deepEqual(draft.ranking, [3, 1, 2]);
  assert.equal(toggleRank(draft, 3), 0);
  assert.deepEqual(draft.ranking, [1, 2]);
  assert.equal(toggleRank(draft, 3), 3, "ranked again, it goes last");
});

test("an option dropped in the ranking goes before the one it was dropped on, or last", () => {
  const draft = draftWith({ ranking: [1, 2, 3] });
  assert.equal(placeRank(draft, 4, 1), 2, "a new one, dropped on the second");
  assert.deepEqual(draft.ranking, [1, 4, 2, 3]);
  assert.equal(placeRank(draft, 1, 3), 3, "moved down: before the one it was dropped on");
  assert.deepEqual(draft.ranking, [4, 2, 1, 3]);
  assert.equal(placeRank(draft, 3, 0), 1, "moved up to the top");
  assert.deepEqual(draft.ranking, [3, 4, 2, 1]);
  assert.equal(placeRank(draft, 4, 4), 4, "past the last: at the end");
  assert.deepEqual(draft.ranking, [3, 2, 1, 4]);
  assert.equal(placeRank(draft, 2, 1), 2, "dropped where it is: it stays");
  assert.deepEqual(draft.ranking, [3, 2, 1, 4]);
  unrank(draft, 1);
  assert.deepEqual(draft.ranking, [3, 2, 4]);
  unrank(draft, 9);
  assert.deepEqual(draft.ranking, [3, 2, 4], "an option not ranked: nothing changes");
});

test("a drop lands before the first row whose middle is below it, else at the end", () => {
  const rows = [
    { top: 0, height: 40 },
    { top: 40, height: 40 },
    { top: 80, height: 40 },
  ];
  assert.equal(dropIndex(rows, -5), 0);
  assert.equal(dropIndex(rows, 19), 0);
  assert.equal(dropIndex(rows, 20), 1, "on the middle of the first row: after it");
  assert.equal(dropIndex(rows, 70), 2);
  assert.equal(dropIndex(rows, 119), 3);
  assert.equal(dropIndex([], 10), 0, "an empty ranking: first");
});

test("before anything is done: a kept ballot says offline, an acknowledged one its receipt", () => {
  const store = new BallotStore("ABC123", 7, memoryStorage());
  assert.equal(keptState(store, 3, false), null);
  assert.equal(keptState(store, 3, true), null, "voted from another device: no receipt here");
  store.set("receipt", 3, { receipt: "NPQRTUVWXY", ballot: { choice: "no" } });
  assert.deepEqual(keptState(store, 3, true), { state: "recorded", receipt: "NPQRTUVWXY" });
  assert.equal(keptState(store, 3, false), null, "a receipt kept here, but the server does not count this member as voted: nothing said");
  store.set("pending", 3, { ballot: { choice: "yes" }, receipt: "A" });
  assert.deepEqual(keptState(store, 3, true), { state: "offline" }, "a changed vote not yet sent");
});
