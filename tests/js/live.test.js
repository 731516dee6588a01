// The live connection without a server: events in seq order, gaps detected and filled by
// resync, the snapshot's clock (static/js/live.js; docs/realtime.md). What each event does
// to the state: live-state.test.js.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { LiveConnection } from "../../static/js/live.js";

/** A Socket.IO socket that records what is emitted; the test answers with `ack`. */
function fakeSocket() {
  const emits = [];
  return {
    connected: true,
    active: true,
    emits,
    timeout: (ms) => ({ emit: (name, data, ack) => emits.push({ ms, name, data, ack }) }),
    disconnect() {
      this.connected = false;
      return this;
    },
    connect() {
      return this;
    },
  };
}

function snapshot(seq, extra = {}) {
  return { seq, server_time: new Date().toISOString(), convening: { id: 1 }, agenda: [], participants: 0, ...extra };
}

function added(seq, id, position = id) {
  return { seq, type: "agenda.item_added", data: { id, position, title: `Item ${id}` } };
}

function connection() {
  const fatal = [];
  const live = new LiveConnection({ token: "tok", t: (key) => key, onFatal: (f) => fatal.push(f) });
  live.socket = fakeSocket();
  const seen = [];
  live.subscribe((state) => seen.push(state.agenda.map((i) => i.id)));
  return { live, socket: live.socket, seen, fatal };
}

describe("events in order", () => {
  test("an event next in line is applied and the screens told once", () => {
    const { live, seen } = connection();
    live.applySnapshot(snapshot(5));
    live.receive(added(6, 10));
    live.receive(added(7, 11));
    assert.equal(live.seq, 7);
    assert.deepEqual(live.state.agenda.map((i) => i.id), [10, 11]);
    assert.deepEqual(seen, [[], [10], [10, 11]]);
  });

  test("an event already applied is ignored, and does not ask for a resync", () => {
    const { live, socket, seen } = connection();
    live.applySnapshot(snapshot(5));
    live.receive(added(6, 10));
    live.receive(added(6, 99));
    live.receive(added(4, 98));
    assert.deepEqual(live.state.agenda.map((i) => i.id), [10]);
    assert.equal(seen.length, 2);
    assert.equal(socket.emits.length, 0);
  });

  test("events that came before the first snapshot: the newer applied, the older dropped", () => {
    const { live } = connection();
    live.receive(added(5, 1));
    live.receive(added(6, 2));
    live.receive(added(7, 3));
    assert.equal(live.state, null);
    live.applySnapshot(snapshot(5));
    assert.equal(live.seq, 7);
    assert.deepEqual(live.state.agenda.map((i) => i.id), [2, 3]);
    assert.equal(live.pending.size, 0);
  });

  test("a message that is not an event, or a snapshot without seq, changes nothing", () => {
    const { live } = connection();
    live.applySnapshot({ agenda: [] });
    assert.equal(live.state, null);
    live.applySnapshot(snapshot(3));
    live.receive(null);
    live.receive({ type: "agenda.item_added", data: { id: 1, position: 0 } });
    assert.equal(live.seq, 3);
    assert.deepEqual(live.state.agenda, []);
  });
});

describe("a gap", () => {
  // Retries wait on setTimeout: the tests move the clock themselves.
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
  afterEach(() => mock.timers.reset());

  test("an event ahead of a gap is kept, and resync asks for what follows our seq", () => {
    const { live, socket } = connection();
    live.applySnapshot(snapshot(5));
    live.receive(added(8, 12));
    assert.equal(live.seq, 5);
    assert.deepEqual(live.state.agenda, []);
    assert.equal(socket.emits.length, 1);
    assert.equal(socket.emits[0].name, "resync");
    assert.deepEqual(socket.emits[0].data, { seq: 5 });
  });

  test("the missing events fill the gap, then the kept one is applied, in seq order", () => {
    const { live, socket, seen } = connection();
    live.applySnapshot(snapshot(5));
    live.receive(added(8, 12));
    socket.emits[0].ack(null, { events: [added(6, 10), added(7, 11), added(8, 12)] });
    assert.equal(live.seq, 8);
    assert.deepEqual(live.state.agenda.map((i) => i.id), [10, 11, 12]);
    assert.equal(live.pending.size, 0);
    assert.deepEqual(seen.at(-1), [10, 11, 12]);
    assert.equal(socket.emits.length, 1, "nothing more to ask for");
  });

  test("a floor change that does not fit the list we have asks for a snapshot, which replaces the state", () => {
    const { live, socket } = connection();
    const floor = { item_id: 2, queue_open: true, settings: {}, speaker: null, queue: [{ id: 1, position: 1 }] };
    live.applySnapshot(snapshot(5, { current_item_id: 2, floor }));
    const change = { item_id: 2, queue_open: true, settings: {}, speaker: null, length: 0, removed: [1], added: [], moved: [] };
    live.receive({ seq: 6, type: "floor.hand_lowered", data: { change } });
    assert.deepEqual(live.state.floor.queue, [], "a change that fits is applied");
    assert.equal(socket.emits.length, 0);
    live.receive({ seq: 7, type: "floor.request_removed", data: { change: { ...change, removed: [4] } } });
    assert.equal(live.seq, 7, "its seq still counts");
    assert.equal(live.state.floor_stale, true);
    assert.equal(socket.emits.length, 1);
    assert.equal(socket.emits[0].name, "resync");
    assert.deepEqual(socket.emits[0].data, { seq: 7, snapshot: true });
    const fresh = { ...floor, queue: [{ id: 3, position: 1 }] };
    socket.emits[0].ack(null, { snapshot: snapshot(9, { current_item_id: 2, floor: fresh }) });
    assert.equal(live.seq, 9);
    assert.equal(live.state.floor_stale, undefined);
    assert.deepEqual(live.state.floor.queue.map((e) => e.id), [3]);
    mock.timers.tick(5000);
    assert.equal(socket.emits.length, 1, "nothing more to ask for");
  });

  test("a floor change ahead of a gap waits for the missing events, then fits", () => {
    const { live, socket } = connection();
    const floor = { item_id: 2, queue_open: true, settings: {}, speaker: null, queue: [] };
    live.applySnapshot(snapshot(5, { current_item_id: 2, floor }));
    const base = { item_id: 2, queue_open: true, settings: {}, speaker: null, removed: [], moved: [] };
    const raised = (seq, id, position, length) => ({ seq, type: "floor.hand_raised", data: { change: { ...base, length, added: [{ id, position }] } } });
    live.receive(raised(7, 11, 1, 2)); // 11 raised a point of order ahead of 10
    assert.equal(live.state.floor.queue.length, 0);
    assert.deepEqual(socket.emits[0].data, { seq: 5 }, "a gap: the events, not a snapshot");
    socket.emits[0].ack(null, { events: [raised(6, 10, 1, 1)] });
    assert.deepEqual(live.state.floor.queue.map((e) => [e.id, e.position]), [[11, 1], [10, 2]]);
    assert.equal(live.state.floor_stale, undefined);
  });

  test("one resync at a time: a second gap meanwhile asks again after the answer", () => {
    const { live, socket } = connection();
    live.applySnapshot(snapshot(5));
    live.receive(added(8, 12));
    live.receive(added(10, 14));
    assert.equal(socket.emits.length, 1);
    socket.emits[0].ack(null, { events: [added(6, 10), added(7, 11)] });
    assert.equal(live.seq, 8);
    mock.timers.tick(0);
    assert.equal(socket.emits.length, 2);
    assert.deepEqual(socket.emits[1].data, { seq: 8 });
  });

  test("a bounded page of events: the next page is asked for at once", () => {
    const { live, socket } = connection();
    live.applySnapshot(snapshot(5));
    live.resync();
    socket.emits[0].ack(null, { events: [added(6, 10), added(7, 11)], next_after: 7 });
    mock.timers.tick(0);
    assert.equal(socket.emits.length, 2);
    assert.deepEqual(socket.emits[1].data, { seq: 7 });
    socket.emits[1].ack(null, { events: [added(8, 12)], next_after: null });
    mock.timers.tick(5000);
    assert.equal(socket.emits.length, 2, "the last page: done");
    assert.deepEqual(live.state.agenda.map((i) => i.id), [10, 11, 12]);
  });

  test("a resync answered by a snapshot (too far behind) replaces the state", () => {
    const { live, socket } = connection();
    live.applySnapshot(snapshot(5));
    live.receive(added(9, 13));
    socket.emits[0].ack(null, { snapshot: snapshot(9, { agenda: [{ id: 13, position: 0 }] }) });
    assert.equal(live.seq, 9);
    assert.deepEqual(live.state.agenda.map((i) => i.id), [13]);
    assert.equal(live.pending.size, 0);
  });

  test("kept events the server never sends are dropped after three fruitless resyncs", () => {
    const { live, socket } = connection();
    live.applySnapshot(snapshot(5));
    live.receive(added(9, 13));
    for (let i = 0; i < 3; i += 1) {
      assert.equal(live.pending.size, 1, `still kept before answer ${i + 1}`);
      socket.emits[i].ack(null, { events: [] });
      mock.timers.tick(5000);
    }
    assert.equal(live.pending.size, 0);
    assert.equal(live.seq, 5);
    assert.equal(socket.emits.length, 3, "nothing left to ask for");
  });

  test("a resync that timed out is tried again a second later", () => {
    const { live, socket } = connection();
    live.applySnapshot(snapshot(5));
    live.receive(added(7, 11));
    socket.emits[0].ack(new Error("timeout"));
    mock.timers.tick(999);
    assert.equal(socket.emits.length, 1);
    mock.timers.tick(1);
    assert.equal(socket.emits.length, 2);
    assert.deepEqual(socket.emits[1].data, { seq: 5 });
  });
});

describe("the server's clock", () => {
  test("serverNow is the local clock corrected by the snapshot's server_time", () => {
    const { live } = connection();
    const ahead = 90_000;
    live.applySnapshot(snapshot(1, { server_time: new Date(Date.now() + ahead).toISOString() }));
    assert.ok(Math.abs(live.serverNow() - (Date.now() + ahead)) < 1000, `offset ${live.clockOffset}`);
    live.applySnapshot(snapshot(2, { server_time: "not a time" }));
    assert.ok(Math.abs(live.clockOffset - ahead) < 1000, "a bad server_time keeps the last offset");
  });
});

describe("commands and the end of a screen", () => {
  test("a command offline is refused at once with code offline", async () => {
    const { live, socket } = connection();
    socket.connected = false;
    await assert.rejects(live.command("floor.raise_hand", {}), { code: "offline", message: "command_offline" });
    assert.equal(socket.emits.length, 0);
  });

  test("a command resolves with the server's result, rejects with its error or a timeout", async () => {
    const { live, socket } = connection();
    const ok = live.command("rounds.cast", { round_id: 3 });
    assert.deepEqual(socket.emits[0].data, { name: "rounds.cast", args: { round_id: 3 } });
    socket.emits[0].ack(null, { ok: true, result: { receipt: "ACDEFGHJKM" } });
    assert.deepEqual(await ok, { receipt: "ACDEFGHJKM" });
    const refused = live.command("rounds.cast", {});
    socket.emits[1].ack(null, { ok: false, error: { code: "conflict", message: "closed" } });
    await assert.rejects(refused, { code: "conflict", message: "closed" });
    const late = live.command("rounds.cast", {});
    socket.emits[2].ack(new Error("timeout"));
    await assert.rejects(late, { code: "timeout" });
  });

  test("an event that removes this participant ends the screen once", () => {
    const { live, socket, fatal } = connection();
    live.applySnapshot(snapshot(1, { me: { id: 7 }, participants: 2 }));
    live.receive({ seq: 2, type: "participant.removed", data: { id: 7, participants: 1 } });
    assert.deepEqual(fatal, [{ kind: "removed", message: "removed_body" }]);
    assert.equal(socket.connected, false);
    live.die("invalid", "again");
    assert.equal(fatal.length, 1);
  });
});
