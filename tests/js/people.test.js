// The console's people list without a page: who the filters keep and in what order, a page
// of them, namesakes, the caucuses, and the open round's voters (static/js/people.js).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { PAGE_SIZE, caucusNames, fold, namesakes, openRoundOf, pageOf, shownMembers, turnoutKey } from "../../static/js/people.js";

const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
const all = { query: "", status: "all", role: "", caucus: "", page: 0 };
const members = [
  { id: 1, name: "Zoë", role: "participant", caucus: "north" },
  { id: 2, name: "Ana", role: "facilitator", caucus: null },
  { id: 3, name: "Álvaro", role: "participant", caucus: "south" },
  { id: 4, name: "Projector", role: "projector", caucus: null },
  { id: 5, name: "ana", role: "participant", caucus: "Northern Hills" },
  { id: 6, name: "Room 10", role: "participant", caucus: "north" },
  { id: 7, name: "Room 9", role: "observer", caucus: null },
];
const ids = (list) => list.map((m) => m.id);
const shown = (filter, { connected = new Set(), notVoted = null } = {}) => ids(shownMembers(members, { ...all, ...filter }, { connected, notVoted, collator }));

describe("the filters", () => {
  test("everyone: facilitators, projectors, observers, then participants by name, then id", () => {
    assert.deepEqual(shown({}), [2, 4, 7, 3, 5, 6, 1]);
    const twins = [{ id: 9, name: "Bo", role: "participant" }, { id: 8, name: "bo", role: "participant" }];
    assert.deepEqual(ids(shownMembers(twins, all, { connected: new Set(), notVoted: null, collator })), [8, 9], "the same name: by id");
  });

  test("the search finds names and caucuses, accents and case aside", () => {
    assert.equal(fold("Ánä Zoë"), "ana zoe");
    assert.equal(fold(null), "");
    assert.deepEqual(shown({ query: "ALVARO" }), [3]);
    assert.deepEqual(shown({ query: " ana " }), [2, 5]);
    assert.deepEqual(shown({ query: "north" }), [5, 6, 1], "by caucus");
    assert.deepEqual(shown({ query: "nobody" }), []);
  });

  test("role, caucus, connected or not, and who has not voted", () => {
    assert.deepEqual(shown({ role: "participant" }), [3, 5, 6, 1]);
    assert.deepEqual(shown({ caucus: "north" }), [6, 1]);
    const connected = new Set([1, 2]);
    assert.deepEqual(shown({ status: "connected" }, { connected }), [2, 1]);
    assert.deepEqual(shown({ status: "not_connected" }, { connected }), [4, 7, 3, 5, 6]);
    assert.deepEqual(shown({ status: "not_voted" }, { notVoted: new Set([5, 6]) }), [5, 6]);
    assert.deepEqual(shown({ status: "not_voted" }), [], "not read yet: nobody");
    assert.deepEqual(shown({ role: "participant", caucus: "north", query: "room", status: "connected" }, { connected: new Set([6]) }), [6], "every filter at once");
  });
});

describe("a page of the list", () => {
  const list = Array.from({ length: 120 }, (_, i) => i);

  test("pages of PAGE_SIZE rows; the page asked for, or the last when the list got shorter", () => {
    assert.equal(PAGE_SIZE, 50);
    assert.deepEqual({ ...pageOf(list, 0), rows: pageOf(list, 0).rows.length }, { page: 0, pages: 3, first: 0, rows: 50 });
    const last = pageOf(list, 2);
    assert.deepEqual([last.page, last.first, last.rows[0], last.rows.length], [2, 100, 100, 20]);
    assert.equal(pageOf(list, 9).page, 2);
    assert.equal(pageOf(list.slice(0, 30), 2).page, 0);
  });

  test("an empty list is one empty page", () => {
    assert.deepEqual(pageOf([], 3), { page: 0, pages: 1, first: 0, rows: [] });
  });
});

describe("telling people apart", () => {
  test("namesakes, case and accents aside, are numbered by id; a unique name is not", () => {
    const twins = namesakes([...members, { id: 8, name: "Zoe ", role: "participant" }]);
    assert.deepEqual([...twins].sort((a, b) => a[0] - b[0]), [[1, 1], [2, 1], [5, 2], [8, 2]]);
  });

  test("the caucuses to filter by: each once, in order, none empty", () => {
    assert.deepEqual(caucusNames([...members, { id: 8, name: "X", caucus: "" }, { id: 9, name: "Y", caucus: "south" }], collator), ["north", "Northern Hills", "south"]);
  });
});

describe("the open round's voters", () => {
  test("a named round (its turnout counts who has not voted) is read; a secret one is not", () => {
    assert.deepEqual(openRoundOf({ rounds: [{ id: 1, state: "closed" }] }), { open: null, named: false });
    assert.deepEqual(openRoundOf({}), { open: null, named: false });
    const named = { id: 2, state: "open", turnout: { round_id: 2, voted: 3, not_voted_count: 0 } };
    assert.deepEqual(openRoundOf({ rounds: [{ id: 1, state: "closed" }, named] }), { open: named, named: true });
    const secret = { id: 3, state: "open", turnout: { round_id: 3, voted: 3 } };
    assert.deepEqual(openRoundOf({ rounds: [secret] }), { open: secret, named: false });
    assert.deepEqual(openRoundOf({ rounds: [{ id: 4, state: "open" }] }).named, false, "no turnout yet");
  });

  test("the list is read again when someone votes, joins or leaves", () => {
    const key = turnoutKey({ participants: 30 }, { voted: 12, not_voted_count: 18 });
    assert.equal(key, turnoutKey({ participants: 30 }, { voted: 12, not_voted_count: 18 }));
    assert.notEqual(key, turnoutKey({ participants: 30 }, { voted: 13, not_voted_count: 17 }));
    assert.notEqual(key, turnoutKey({ participants: 31 }, { voted: 12, not_voted_count: 18 }));
  });
});
