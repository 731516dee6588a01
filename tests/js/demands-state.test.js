// Demands in the live state (static/js/demands-state.js; docs/demands.md, "Events").
import assert from "node:assert/strict";
import { test } from "node:test";

import { applyDemandEvent } from "../../static/js/demands-state.js";

function state() {
  return {
    seq: 0,
    agenda: [],
    me: { id: 5, caucus: null },
    members: [{ id: 5, name: "Ana", role: "participant", caucus: null }],
    demands: [
      { id: 1, position: 0, version: 1, supporters: 2 },
      { id: 2, position: 1, version: 1, supporters: 0 },
    ],
  };
}

test("a demand's summary replaces its own, in position order; a new one is added", () => {
  const s = state();
  applyDemandEvent(s, { seq: 1, type: "demand.edited", data: { demand_id: 2, demand: { id: 2, position: 1, version: 2, supporters: 0 } } });
  applyDemandEvent(s, { seq: 2, type: "demand.proposed", data: { demand_id: 3, demand: { id: 3, position: 0, version: 1 } } });
  assert.deepEqual(s.demands.map((d) => [d.id, d.version]), [[1, 1], [3, 1], [2, 2]], "same position: by id");
});

test("demands.reordered moves the demands it names", () => {
  const s = state();
  applyDemandEvent(s, { seq: 1, type: "demands.reordered", data: { order: [2, 1] } });
  assert.deepEqual(s.demands.map((d) => [d.id, d.position]), [[2, 0], [1, 1]]);
});

test("support and agreement figures merge into the demand; other keys stay out", () => {
  const s = state();
  applyDemandEvent(s, { seq: 1, type: "demand.support_changed", data: { demand_id: 1, supporters: 3, supported_by: true, title: "not this" } });
  assert.equal(s.demands[0].supporters, 3);
  assert.equal(s.demands[0].supported_by, true);
  assert.equal(s.demands[0].title, undefined);
  applyDemandEvent(s, { seq: 2, type: "demands.recounted", data: { demands: [{ demand_id: 2, supporters: 7, agreement: { share: 0.5 } }] } });
  assert.deepEqual([s.demands[1].supporters, s.demands[1].agreement], [7, { share: 0.5 }]);
});

test("a demand hidden from this screen leaves its list", () => {
  const s = state();
  applyDemandEvent(s, { seq: 1, type: "demand.hidden", data: { demand_id: 1, hidden: true } });
  assert.deepEqual(s.demands.map((d) => d.id), [2]);
});

test("an amendment that moved is the projector's spotlight", () => {
  const s = state();
  applyDemandEvent(s, { seq: 9, type: "amendment.proposed", data: { demand_id: 1, amendment_id: 4, demand: { id: 1, position: 0, version: 1 } } });
  assert.deepEqual(s.demand_spotlight, { demand_id: 1, amendment_id: 4, type: "amendment.proposed", seq: 9 });
});

test("participant.updated renames members and moves my caucus", () => {
  const s = state();
  assert.equal(applyDemandEvent(s, { seq: 1, type: "participant.updated", data: { id: 5, name: "Ana M.", role: "participant", caucus: "north" } }), true);
  assert.equal(s.members[0].name, "Ana M.");
  assert.equal(s.me.caucus, "north");
});

test("other events are not for this reducer", () => {
  const s = state();
  assert.equal(applyDemandEvent(s, { seq: 1, type: "round.opened", data: { id: 1 } }), false);
  assert.equal(applyDemandEvent(s, { seq: 1, type: "agenda.item_added", data: { id: 1 } }), false);
  assert.equal(s.demands.length, 2);
});

test("a screen without demands yet gets a list on the first demand event", () => {
  const s = { seq: 0, agenda: [] };
  applyDemandEvent(s, { seq: 1, type: "demand.proposed", data: { demand_id: 1, demand: { id: 1, position: 0 } } });
  assert.deepEqual(s.demands, [{ id: 1, position: 0 }]);
});
