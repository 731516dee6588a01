// The live state: what each event of the log does to it, the same on every screen
// (static/js/live-state.js; docs/realtime.md, "Events").
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import { applyEvent, replayMemberEvent } from "../../static/js/live-state.js";

describe("applyEvent", () => {
  let state;
  beforeEach(() => {
    state = {
      seq: 0,
      convening: { title: "Assembly" },
      agenda: [
        { id: 1, position: 0, title: "Budget" },
        { id: 2, position: 1, title: "Elections" },
      ],
      current_item_id: null,
      floor: null,
      participants: 2,
      members: [{ id: 5, name: "Ana", role: "participant", caucus: null }],
      me: { id: 5 },
    };
  });

  test("agenda: added, updated in place, reordered, removed", () => {
    applyEvent(state, { seq: 1, type: "agenda.item_added", data: { id: 3, position: 2, title: "Rent" } });
    applyEvent(state, { seq: 2, type: "agenda.item_updated", data: { id: 1, position: 0, title: "Budget 2027" } });
    assert.deepEqual(state.agenda.map((i) => [i.id, i.title]), [[1, "Budget 2027"], [2, "Elections"], [3, "Rent"]]);
    applyEvent(state, { seq: 2, type: "agenda.reordered", data: { order: [2, 1, 3] } });
    assert.deepEqual(state.agenda.map((i) => [i.id, i.position]), [[2, 0], [1, 1], [3, 2]]);
    applyEvent(state, { seq: 3, type: "agenda.item_removed", data: { id: 1, order: [2, 3] } });
    assert.deepEqual(state.agenda.map((i) => [i.id, i.position]), [[2, 0], [3, 1]]);
  });

  test("an item started is current; ended, it is not and its floor closes", () => {
    applyEvent(state, { seq: 1, type: "agenda.item_started", data: { id: 2, position: 1, started_at: "2026-01-01T10:00:00Z" } });
    assert.equal(state.current_item_id, 2);
    state.floor = { item_id: 2, speaker: null };
    applyEvent(state, { seq: 2, type: "agenda.item_ended", data: { id: 2, position: 1 } });
    assert.equal(state.current_item_id, null);
    assert.equal(state.floor, null);
  });

  test("people: joined counted and listed once, renamed, removed", () => {
    const joined = { seq: 1, type: "participant.joined", data: { id: 6, name: "Bea", role: "participant", caucus: "north", participants: 3 }, at: "t" };
    applyEvent(state, joined);
    applyEvent(state, { ...joined, seq: 2 });
    assert.equal(state.participants, 3);
    assert.deepEqual(state.members.map((m) => m.name), ["Ana", "Bea"]);
    applyEvent(state, { seq: 3, type: "participant.updated", data: { id: 6, name: "Beatriz", role: "participant", caucus: "south" } });
    assert.equal(state.members[1].name, "Beatriz");
    applyEvent(state, { seq: 4, type: "participant.removed", data: { id: 5, participants: 2 } });
    assert.deepEqual(state.members.map((m) => m.id), [6]);
    assert.equal(state.removed_me, true);
  });

  test("round.*, demand.* and floor.* events reach their reducers; an unknown one changes nothing", () => {
    applyEvent(state, { seq: 1, type: "round.created", data: { id: 4, state: "draft", options: [] } });
    assert.deepEqual(state.rounds.map((r) => r.id), [4]);
    applyEvent(state, { seq: 2, type: "demand.proposed", data: { demand_id: 9, demand: { id: 9, position: 0 } } });
    assert.deepEqual(state.demands.map((d) => d.id), [9]);
    applyEvent(state, { seq: 3, type: "floor.hand_raised", data: { floor: { item_id: 1, queue: [1] } } });
    assert.deepEqual(state.floor, { item_id: 1, queue: [1] });
    const before = JSON.stringify(state);
    applyEvent(state, { seq: 4, type: "something.new", data: { id: 1 } });
    assert.equal(JSON.stringify(state), before);
  });
});

describe("a member event replayed over a page of members", () => {
  const members = () => ({ seq: 0, agenda: [], members: [{ id: 5, name: "Ana", role: "participant", caucus: null, vote_weight: 1, carried_by_id: null }] });

  test("joined or invited adds the member once; renamed changes them; removed drops them", () => {
    const state = members();
    const joined = { seq: 7, type: "participant.joined", data: { id: 6, name: "Bea", role: "participant", caucus: "north" }, at: "t" };
    replayMemberEvent(state, joined);
    replayMemberEvent(state, joined);
    replayMemberEvent(state, { seq: 8, type: "member.invited", data: { id: 5, name: "Ana", role: "participant", caucus: null } });
    assert.deepEqual(state.members.map((m) => [m.id, m.name, m.joined_at]), [[5, "Ana", undefined], [6, "Bea", "t"]]);
    replayMemberEvent(state, { seq: 9, type: "participant.updated", data: { id: 5, name: "Ana M.", role: "facilitator", caucus: "south" } });
    assert.deepEqual(state.members[0], { id: 5, name: "Ana M.", role: "facilitator", caucus: "south", vote_weight: 1, carried_by_id: null }, "the weight stays when the event does not say it");
    replayMemberEvent(state, { seq: 10, type: "participant.updated", data: { id: 5, name: "Ana M.", role: "facilitator", caucus: "south", vote_weight: 0, carried_by_id: 6 } });
    assert.deepEqual([state.members[0].vote_weight, state.members[0].carried_by_id], [0, 6]);
    replayMemberEvent(state, { seq: 11, type: "participant.removed", data: { id: 6 } });
    assert.deepEqual(state.members.map((m) => m.id), [5]);
  });

  test("an event without the member's name (a redacted view) changes nothing, but a removal counts", () => {
    const state = members();
    replayMemberEvent(state, { seq: 7, type: "participant.joined", data: { id: 6, participants: 2 } });
    replayMemberEvent(state, { seq: 8, type: "participant.updated", data: { id: 5 } });
    assert.deepEqual(state.members, members().members);
    replayMemberEvent(state, { seq: 9, type: "participant.removed", data: { id: 5 } });
    assert.deepEqual(state.members, []);
  });
});
