// The texts of demands a screen keeps (static/js/demand-texts.js; docs/demands.md, "Events"):
// events bring what changed, never every amendment; what they leave unknown is read again.
import assert from "node:assert/strict";
import { test } from "node:test";

import { DemandTexts } from "../../static/js/demand-texts.js";

const amendment = (id, status, conflicts = []) => ({ id, status, conflicts_with: conflicts, diff_html: `<ins>${id}</ins>` });
const summary = (version, count, pending) => ({ id: 1, version, amendment_count: count, pending_amendments: pending });

/** Texts of a screen that read demand 1 (version 1, amendments 10 and 11 pending). */
function kept() {
  const live = { state: { demands: [] }, socket: { connected: false }, notify() {} };
  const texts = new DemandTexts(live);
  texts.schedule = () => {}; // no reads: the test looks at what is asked for (queue)
  const d = summary(1, 2, [10, 11]);
  texts.put({ ...d, body: "b1", body_html: "<p>b1</p>", amendments: [amendment(10, "pending"), amendment(11, "pending")] });
  return { texts, d };
}

test("a proposed amendment joins the others, and the ones it names conflict with it too", () => {
  const { texts, d } = kept();
  const after = summary(1, 3, [10, 11, 12]);
  texts.apply({ type: "amendment.proposed", data: { demand_id: 1, demand: after, amendment_id: 12, amendment: amendment(12, "pending", [10]) } }, d);
  const full = texts.get(after);
  assert.deepEqual(full.amendments.map((a) => [a.id, a.conflicts_with]), [[10, [12]], [11, []], [12, [10]]]);
  assert.equal(texts.mark(after), "full");
});

test("one no longer pending leaves every other's conflicts", () => {
  const { texts, d } = kept();
  const two = summary(1, 3, [10, 11, 12]);
  texts.apply({ type: "amendment.proposed", data: { demand_id: 1, demand: two, amendment_id: 12, amendment: amendment(12, "pending", [10]) } }, d);
  const three = summary(1, 3, [11, 12]);
  texts.apply({ type: "amendment.rejected", data: { demand_id: 1, demand: three, amendment_id: 10, amendment: amendment(10, "rejected") } }, two);
  assert.deepEqual(texts.get(three).amendments.map((a) => [a.id, a.status, a.conflicts_with]), [[10, "rejected", []], [11, "pending", []], [12, "pending", []]]);
});

test("an adoption brings the new body, the adopted one and the outdated ones' status: nothing to read", () => {
  const { texts, d } = kept();
  const after = summary(2, 2, []);
  const closed = [{ id: 11, status: "outdated", note: "The passage it changes no longer occurs exactly once in the demand.", decided_at: "2026-12-02T07:00:00Z" }];
  const data = { demand_id: 1, demand: after, amendment_id: 10, amendment: amendment(10, "adopted"), text: { body: "b2", body_html: "<p>b2</p>" }, rebased: [], outdated: [11], closed };
  texts.apply({ type: "amendment.adopted", data }, d);
  const full = texts.want(after);
  assert.equal(full.body_html, "<p>b2</p>");
  assert.deepEqual(full.amendments.map((a) => [a.id, a.status]), [[10, "adopted"], [11, "outdated"]]);
  assert.match(full.amendments[1].note, /no longer occurs/);
  assert.equal(texts.queue.size, 0, "nothing asked for");
});

test("a rebased amendment's new diff is read again; the new body shows meanwhile", () => {
  const { texts, d } = kept();
  const after = summary(2, 2, [10, 11]);
  texts.apply({ type: "demand.updated", data: { demand_id: 1, demand: after, change: "typo", text: { body: "b2", body_html: "<p>b2</p>" }, rebased: [10, 11], outdated: [], closed: [] } }, d);
  const shown = texts.want(after);
  assert.equal(shown.body_html, "<p>b2</p>");
  assert.equal(shown.amendments, undefined, "its amendments are on their way");
  assert.equal(texts.mark(after), "body");
  assert.deepEqual([...texts.queue], [1]);
  texts.put({ ...after, body: "b2", body_html: "<p>b2</p>", amendments: [amendment(10, "pending"), amendment(11, "pending")] });
  assert.equal(texts.mark(after), "full");
});

test("a text event for a demand never read keeps its body; one with no amendments is whole", () => {
  const { texts } = kept();
  const other = { id: 2, version: 3, amendment_count: 1, pending_amendments: [20] };
  texts.apply({ type: "demand.updated", data: { demand_id: 2, demand: other, change: "typo", text: { body: "x", body_html: "<p>x</p>" }, rebased: [20], outdated: [], closed: [] } }, null);
  assert.equal(texts.mark(other), "body");
  const fresh = { id: 3, version: 1, amendment_count: 0, pending_amendments: [] };
  texts.apply({ type: "demand.proposed", data: { demand_id: 3, demand: fresh, text: { body: "y", body_html: "<p>y</p>" } } }, null);
  assert.equal(texts.mark(fresh), "full");
});

test("an older server's text event with every amendment is taken as it is", () => {
  const { texts, d } = kept();
  const after = summary(2, 2, []);
  const text = { body: "b2", body_html: "<p>b2</p>", amendments: [amendment(10, "adopted"), amendment(11, "outdated")] };
  texts.apply({ type: "amendment.adopted", data: { demand_id: 1, demand: after, amendment_id: 10, text, conflicts: [] } }, d);
  assert.equal(texts.mark(after), "full");
});

test("a text kept from before a gap is not patched: it is read again", () => {
  const { texts } = kept();
  const unseen = summary(1, 3, [10, 11, 12]); // an amendment this screen never heard of
  const after = summary(1, 4, [10, 11, 12, 13]);
  texts.apply({ type: "amendment.proposed", data: { demand_id: 1, demand: after, amendment_id: 13, amendment: amendment(13, "pending") } }, unseen);
  assert.equal(texts.mark(after), "body");
});
