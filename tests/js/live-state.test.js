// The live state: what each event of the log does to it, the same on every screen
// (static/js/live-state.js; docs/realtime.md, "Events").
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import { applyEvent, applyFloorChange, replayMemberEvent } from "../../static/js/live-state.js";

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

  test("check-ins: the desk's counts follow checkin.in and checkin.out", () => {
    const counts = { checked_in: 1, voters: 1, roster: 4 };
    applyEvent(state, { seq: 1, type: "checkin.in", data: { counts } });
    assert.deepEqual(state.checkins, counts);
    applyEvent(state, { seq: 2, type: "checkin.out", data: { counts: { ...counts, checked_in: 0, voters: 0 } } });
    assert.equal(state.checkins.checked_in, 0);
  });

  test("seats: a facilitator's list of held seats follows seat.taken and seat.returned", () => {
    state.seats = [];
    const counts = { checked_in: 2, voters: 2, seated: 1, roster: 7 };
    const ana = { entry_id: 3, name: "Ana", delegation: "Local 1", seat_of: 1, seat_name: "María", counts };
    const bo = { entry_id: 9, name: "Bo", delegation: "Local 1", seat_of: 2, seat_name: "Ada", counts };
    applyEvent(state, { seq: 1, type: "seat.taken", data: ana });
    applyEvent(state, { seq: 2, type: "seat.taken", data: bo });
    assert.deepEqual(state.seats.map((s) => s.name), ["Bo", "Ana"]); // by the delegate's name
    assert.equal(state.checkins.seated, 1);
    applyEvent(state, { seq: 3, type: "seat.returned", data: { ...ana, reason: "delegate_back" } });
    assert.deepEqual(state.seats.map((s) => s.name), ["Bo"]);
    // the public's view (counts only) leaves the list alone
    applyEvent(state, { seq: 4, type: "seat.returned", data: { counts } });
    assert.deepEqual(state.seats.map((s) => s.name), ["Bo"]);
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
    applyEvent(state, { seq: 3, type: "participant.updated", data: { id: 6, name: "Beatriz", role: "observer", caucus: "south", participants: 2 } });
    assert.equal(state.participants, 2);
    assert.equal(state.members[1].role, "observer");
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

describe("the floor: a change applied to the list we have", () => {
  const settings = { progressive: "off", speaker_limit_seconds: null, allow_direct_responses: true };
  const entry = (id, position, reason = "in_order_raised", kind = "speak") => ({ id, item_id: 2, member_id: 100 + id, kind, state: "waiting", name: `Nombre ${id}`, reason, position });
  const floorOf = (...ids) => ({ item_id: 2, queue_open: true, settings, speaker: null, queue: ids.map((id, i) => entry(id, i + 1)) });
  const change = (parts) => ({ item_id: 2, queue_open: true, settings, speaker: null, removed: [], added: [], moved: [], ...parts });
  const ids = (floor) => floor.queue.map((e) => e.id);
  const positions = (floor) => floor.queue.map((e) => e.position);

  test("a hand raised joins at its place; positions follow", () => {
    const floor = floorOf(1, 2, 3);
    const next = applyFloorChange(floor, change({ length: 4, added: [entry(9, 2, "point_of_order", "point_of_order")] }));
    assert.deepEqual(ids(next), [1, 9, 2, 3]);
    assert.deepEqual(positions(next), [1, 2, 3, 4]);
    assert.deepEqual(ids(floor), [1, 2, 3], "the list given is not changed");
  });

  test("a hand lowered leaves; the speaker called leaves the list and speaks", () => {
    const lowered = applyFloorChange(floorOf(1, 2, 3), change({ length: 2, removed: [2] }));
    assert.deepEqual(ids(lowered), [1, 3]);
    assert.deepEqual(positions(lowered), [1, 2]);
    const speaker = { ...entry(1, 1), state: "speaking", started_at: "2026-12-04T22:00:00Z" };
    const called = applyFloorChange(lowered, change({ length: 1, removed: [1], speaker }));
    assert.deepEqual(ids(called), [3]);
    assert.equal(called.speaker.id, 1);
  });

  test("moved entries go to their places, the others keep their order; reasons change", () => {
    // The facilitator moved 4 to the front; 2 became "moved by the facilitator".
    const next = applyFloorChange(
      floorOf(1, 2, 3, 4, 5),
      change({ length: 5, moved: [{ id: 4, position: 1, reason: "moved_by_facilitator" }, { id: 2, position: 3, reason: "moved_by_facilitator" }] }),
    );
    assert.deepEqual(ids(next), [4, 1, 2, 3, 5]);
    assert.deepEqual(next.queue.map((e) => e.reason), ["moved_by_facilitator", "in_order_raised", "moved_by_facilitator", "in_order_raised", "in_order_raised"]);
    assert.equal(next.queue[0].name, "Nombre 4", "a moved entry keeps what we knew of it");
  });

  test("reasons change in place by id (a facilitator's first reorder: everyone moved by hand)", () => {
    const next = applyFloorChange(floorOf(1, 2, 3), change({ length: 3, moved: [{ id: 3, position: 1, reason: "moved_by_facilitator" }], reasons: { moved_by_facilitator: [1, 2] } }));
    assert.deepEqual(ids(next), [3, 1, 2]);
    assert.deepEqual(next.queue.map((e) => e.reason), ["moved_by_facilitator", "moved_by_facilitator", "moved_by_facilitator"]);
    assert.equal(applyFloorChange(floorOf(1, 2), change({ length: 2, reasons: { spoke_less: [7] } })), null, "an id we do not have");
  });

  test("every change of a random list by removals, additions and moves gives the server's list", () => {
    let seed = 7;
    const random = (n) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round += 1) {
      const before = Array.from({ length: random(12) }, (_, i) => i + 1);
      let after = before.filter(() => random(4) !== 0);
      for (let i = 0; i < random(4); i += 1) after.splice(random(after.length + 1), 0, 100 + round * 10 + i);
      for (let i = 0; i < random(3) && after.length; i += 1) {
        const [id] = after.splice(random(after.length), 1);
        after.splice(random(after.length + 1), 0, id);
      }
      // The simplest change the server may send: everything kept counts as moved.
      const kept = new Set(before);
      const delta = change({
        length: after.length,
        removed: before.filter((id) => !after.includes(id)),
        added: after.filter((id) => !kept.has(id)).map((id) => entry(id, after.indexOf(id) + 1)),
        moved: after.filter((id) => kept.has(id) && random(2) === 0).map((id) => ({ id, position: after.indexOf(id) + 1, reason: "in_order_raised" })),
      });
      // Those not listed as moved must keep their order: move the rest as well when not.
      const still = after.filter((id) => kept.has(id) && !delta.moved.some((m) => m.id === id));
      const order = before.filter((id) => still.includes(id));
      if (order.join() !== still.join()) {
        delta.moved = after.filter((id) => kept.has(id)).map((id) => ({ id, position: after.indexOf(id) + 1, reason: "in_order_raised" }));
      }
      const next = applyFloorChange(floorOf(...before), delta);
      assert.deepEqual(ids(next), after, `from ${before} to ${after}`);
    }
  });

  test("a change that does not fit is refused: another item, an unknown id, a wrong length", () => {
    assert.equal(applyFloorChange(floorOf(1, 2), { ...change({ length: 2 }), item_id: 3 }), null);
    assert.equal(applyFloorChange(floorOf(1, 2), change({ length: 1, removed: [7] })), null);
    assert.equal(applyFloorChange(floorOf(1, 2), change({ length: 2, moved: [{ id: 8, position: 1, reason: "in_order_raised" }] })), null);
    assert.equal(applyFloorChange(floorOf(1, 2), change({ length: 3 })), null);
    assert.equal(applyFloorChange(floorOf(1, 2), change({ length: 3, added: [entry(5, 9)] })), null);
    assert.equal(applyFloorChange(null, change({ length: 0 })), null);
  });

  test("through applyEvent: applied in order; one that does not fit marks the floor stale; a whole floor heals it", () => {
    const state = { seq: 0, agenda: [], current_item_id: 2, floor: floorOf(1, 2) };
    applyEvent(state, { seq: 1, type: "floor.hand_raised", data: { request: entry(3, 3), change: change({ length: 3, added: [entry(3, 3)] }) } });
    applyEvent(state, { seq: 2, type: "floor.hand_lowered", data: { request: entry(1, 1), change: change({ length: 2, removed: [1] }) } });
    assert.deepEqual(ids(state.floor), [2, 3]);
    assert.equal(state.floor_stale, undefined);
    // A hand lowered on an item that is not running: not our list, nothing changes.
    applyEvent(state, { seq: 3, type: "floor.hand_lowered", data: { change: { ...change({ length: 0 }), item_id: 1 } } });
    assert.deepEqual(ids(state.floor), [2, 3]);
    assert.equal(state.floor_stale, undefined);
    applyEvent(state, { seq: 4, type: "floor.request_removed", data: { change: change({ length: 1, removed: [9] }) } });
    assert.equal(state.floor_stale, true);
    assert.deepEqual(ids(state.floor), [2, 3], "a stale list is kept as it was until a snapshot comes");
    applyEvent(state, { seq: 5, type: "floor.hand_raised", data: { change: change({ length: 3, added: [entry(4, 3)] }) } });
    assert.deepEqual(ids(state.floor), [2, 3], "nothing more is applied to a stale list");
    applyEvent(state, { seq: 6, type: "floor.changed", data: { floor: floorOf(5) } });
    assert.equal(state.floor_stale, false);
    assert.deepEqual(ids(state.floor), [5]);
  });
});
