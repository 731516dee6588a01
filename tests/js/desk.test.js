import assert from "node:assert/strict";
import { test } from "node:test";

import { LAST_MAX, SCAN_MAX, ScanGate, addScan, countsText, markUndone, roleText, scanArgs, scanText } from "../../static/js/desk.js";

const t = (key, params) => (params ? `${key}:${JSON.stringify(params)}` : key);
const entry = (id, extra = {}) => ({ entry_id: id, name: `P${id}`, delegation: "Local 1", role: "delegate", checked_in: true, ...extra });

test("what a typed code or a scan sends: trimmed, nothing when empty or too long", () => {
  assert.deepEqual(scanArgs("  abcd-efgh \n"), { code: "abcd-efgh" });
  assert.deepEqual(scanArgs("https://x.example/t/TOKEN"), { code: "https://x.example/t/TOKEN" });
  assert.equal(scanArgs("   "), null);
  assert.equal(scanArgs("x".repeat(SCAN_MAX + 1)), null);
  assert.equal(scanArgs(42), null);
  assert.equal(scanArgs(null), null);
});

test("the camera's same badge again within the window is one scan", () => {
  const gate = new ScanGate(1000);
  assert.equal(gate.accept("A", 0), true);
  assert.equal(gate.accept("A", 500), false);
  assert.equal(gate.accept("A", 1400), false); // still held up: the window starts again
  assert.equal(gate.accept("B", 1400), true);
  assert.equal(gate.accept("A", 2500), true);
});

test("the last scans: newest first, bounded, one line per person, undo and redo", () => {
  let scans = [];
  for (let i = 1; i <= LAST_MAX + 2; i += 1) scans = addScan(scans, entry(i), i);
  assert.equal(scans.length, LAST_MAX);
  assert.equal(scans[0].entry.entry_id, LAST_MAX + 2);
  scans = addScan(scans, { ...entry(5), already: true }, 99);
  assert.equal(scans[0].entry.entry_id, 5);
  assert.equal(scans[0].already, true);
  assert.equal(scans.filter((s) => s.entry.entry_id === 5).length, 1);
  scans = markUndone(scans, 5, true);
  assert.equal(scans[0].undone, true);
  assert.equal(scans[0].entry.checked_in, false);
  assert.equal(markUndone(scans, 5, false)[0].entry.checked_in, true);
});

test("counts and scans in words", () => {
  assert.equal(countsText({ checked_in: 3, voters: 2, roster: 10 }, t), 'desk_counts:{"n":3,"voters":2,"roster":10}');
  assert.equal(countsText(null, t), "");
  const scan = { entry: entry(1), at: 0, already: false, undone: false };
  assert.equal(scanText(scan, t), 'desk_scan_in:{"who":"P1 · Local 1"}');
  assert.equal(scanText({ ...scan, already: true }, t), 'desk_scan_already:{"who":"P1 · Local 1"}');
  assert.equal(scanText({ ...scan, undone: true, entry: entry(1, { delegation: "" }) }, t), 'desk_scan_undone:{"who":"P1"}');
  assert.equal(roleText("alternate", t), "desk_role_alternate");
  assert.equal(roleText("other", t), "other");
});

test("seats: who holds whose seat, what the desk may do, whom it may choose, what it sends", async () => {
  const { seatAction, seatArgs, seatChoices, seatText } = await import("../../static/js/desk.js");
  const maria = entry(1, { name: "María", held_by: null });
  const quinn = entry(2, { name: "Quinn", held_by: { entry_id: 9, name: "Bo" } });
  const ana = entry(3, { name: "Ana", role: "alternate", seat_of: null });
  const bo = entry(9, { name: "Bo", role: "alternate", seat_of: { entry_id: 2, name: "Quinn" } });
  const sam = entry(5, { name: "Sam", delegation: "LOCAL 12" });
  const pat = entry(6, { name: "Pat", role: "alternate", delegation: "local 1", seat_of: null });
  const obi = entry(7, { name: "Obi", role: "observer" });
  assert.equal(seatText(bo, t), 'desk_in_seat_of:{"name":"Quinn"}');
  assert.equal(seatText(quinn, t), 'desk_seat_held_by:{"name":"Bo"}');
  assert.equal(seatText(maria, t), "");
  assert.deepEqual([maria, quinn, ana, bo, obi].map(seatAction), ["hand_over", null, "take", null, null]);
  const all = [maria, quinn, ana, bo, sam, pat, obi];
  assert.deepEqual(seatChoices(ana, all).map((e) => e.name), ["María"]); // Quinn's seat is held
  assert.deepEqual(seatChoices(maria, all).map((e) => e.name), ["Ana", "Pat"]); // same delegation, any case
  assert.deepEqual(seatChoices(obi, all), []);
  assert.deepEqual(seatArgs(ana, maria), { entry_id: 3, seat_of: 1 });
  assert.deepEqual(seatArgs(maria, ana), { entry_id: 3, seat_of: 1 });
});
