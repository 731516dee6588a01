// What a projector shows (static/js/projector-view.js chosenView): in auto mode an open round,
// a round whose count waits for a lot drawn in the room, and a result for result_seconds
// after it was settled (the close, or the last lot entered after a pause).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { methods } from "../../static/js/methods.js";

const records = JSON.parse(readFileSync(new URL("./methods.json", import.meta.url), "utf8"));
methods(records);
const { chosenView } = await import("../../static/js/projector-view.js");

const at = (text) => Date.parse(text);
const closedAt = "2026-12-04T18:00:00Z";
const pendingLot = { draw: 1, round: 1, purpose: "exclude", tied: [1, 2, 3], pool: [1, 2, 3], side: "fewest" };

/** A started meeting on item 10, in auto mode (since 17:00), with ``rounds``. */
function meeting(rounds, projector = {}) {
  return {
    convening: { started_at: "2026-12-04T17:00:00Z" },
    agenda: [{ id: 10, position: 1, state: "active" }],
    current_item_id: 10,
    projector: { show: "auto", since: "2026-12-04T17:00:00Z", result_seconds: 90, ...projector },
    demands: [],
    rounds,
  };
}

describe("the projector in auto mode", () => {
  test("an open round is shown", () => {
    const state = meeting([{ id: 1, state: "open", agenda_item_id: 10 }]);
    assert.deepEqual(chosenView(state, at("2026-12-04T18:00:00Z")), { mode: "round", roundId: 1 });
  });

  test("a round paused for a lot drawn in the room stays on the screen, however long the pause", () => {
    const paused = { id: 1, state: "paused", agenda_item_id: 10, closed_at: closedAt, settled_at: null, pending_lot: pendingLot };
    assert.deepEqual(chosenView(meeting([paused]), at("2026-12-04T18:00:05Z")), { mode: "round", roundId: 1 });
    assert.deepEqual(chosenView(meeting([paused]), at("2026-12-04T18:30:00Z")), { mode: "round", roundId: 1 }, "long after result_seconds");
    // also when the meeting has moved on to another item: the room must draw the lot
    assert.deepEqual(chosenView({ ...meeting([paused]), current_item_id: 11 }, at("2026-12-04T18:30:00Z")), { mode: "round", roundId: 1 });
  });

  test("a result settled after a pause is held result_seconds from when it was settled, not from the close", () => {
    const settled = { id: 1, state: "closed", agenda_item_id: 10, closed_at: closedAt, settled_at: "2026-12-04T18:10:00Z", result: {} };
    const state = meeting([settled]);
    assert.deepEqual(chosenView(state, at("2026-12-04T18:10:01Z")), { mode: "round", roundId: 1 }, "just settled");
    assert.deepEqual(chosenView(state, at("2026-12-04T18:11:29Z")), { mode: "round", roundId: 1 }, "89 s after");
    assert.deepEqual(chosenView(state, at("2026-12-04T18:11:31Z")), { mode: "item", demands: true }, "91 s after: the floor");
  });

  test("a round from before settled_at was kept: its close counts", () => {
    const older = { id: 1, state: "closed", agenda_item_id: 10, closed_at: closedAt, result: {} };
    assert.deepEqual(chosenView(meeting([older]), at("2026-12-04T18:01:00Z")), { mode: "round", roundId: 1 });
    assert.deepEqual(chosenView(meeting([older]), at("2026-12-04T18:01:31Z")), { mode: "item", demands: true });
  });

  test("back to the floor after the result was settled keeps it off the screen", () => {
    const settled = { id: 1, state: "closed", agenda_item_id: 10, closed_at: closedAt, settled_at: "2026-12-04T18:10:00Z", result: {} };
    // auto chosen again at 18:05 (during the pause): the result settled after it is shown
    assert.deepEqual(chosenView(meeting([settled], { since: "2026-12-04T18:05:00Z" }), at("2026-12-04T18:10:30Z")), { mode: "round", roundId: 1 });
    // auto chosen again at 18:10:10, after the result: the floor
    assert.deepEqual(chosenView(meeting([settled], { since: "2026-12-04T18:10:10Z" }), at("2026-12-04T18:10:30Z")), { mode: "item", demands: true });
  });

  test("the latest result is the round settled last, not the one closed last", () => {
    // round 1 closed first, paused, and its lot was entered after round 2 closed
    const first = { id: 1, state: "closed", agenda_item_id: 10, closed_at: closedAt, settled_at: "2026-12-04T18:10:00Z", result: {} };
    const second = { id: 2, state: "closed", agenda_item_id: 10, closed_at: "2026-12-04T18:05:00Z", settled_at: "2026-12-04T18:05:00Z", result: {} };
    assert.deepEqual(chosenView(meeting([first, second]), at("2026-12-04T18:10:20Z")), { mode: "round", roundId: 1 });
  });

  test("a result of another item is not shown; before the meeting starts: how to join", () => {
    const other = { id: 1, state: "closed", agenda_item_id: 9, closed_at: closedAt, settled_at: closedAt, result: {} };
    assert.deepEqual(chosenView(meeting([other]), at("2026-12-04T18:00:10Z")), { mode: "item", demands: true });
    const before = { ...meeting([]), convening: { started_at: null }, current_item_id: null };
    assert.deepEqual(chosenView(before, at("2026-12-04T18:00:10Z")), { mode: "before" });
  });
});
