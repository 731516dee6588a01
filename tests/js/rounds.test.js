// Decision rounds in words, as the phone, the projector and the console show them: which
// rounds a screen shows, state, method and turnout, a stored ballot, and what the story of a
// count tells in each round (static/js/rounds.js).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { methods } from "../../static/js/methods.js";

// The methods' records as the pages get them, given before tally-view.js reads them at import.
const records = JSON.parse(readFileSync(new URL("./methods.json", import.meta.url), "utf8"));
methods(records);
const { ballotText, markNews, roundMeta, shownRounds, stateText, storyTies, turnoutText } = await import("../../static/js/rounds.js");

/** Translations that show the key and its parameters, so the tests read what was chosen. */
const t = (key, params = {}) => (Object.keys(params).length ? `${key}(${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(", ")})` : key);

const options = [
  { id: 1, label: "Kiss" },
  { id: 2, label: "Wright" },
  { id: 3, label: "Montroll" },
];

describe("which rounds a screen shows", () => {
  test("the open and paused ones in their order, then only the latest closed", () => {
    const state = {
      rounds: [
        { id: 1, state: "closed", closed_at: "2026-12-03T10:00:00Z" },
        { id: 2, state: "open" },
        { id: 3, state: "closed", closed_at: "2026-12-03T11:00:00Z" },
        { id: 4, state: "draft" },
        { id: 5, state: "paused" },
        { id: 6, state: "closed", closed_at: "2026-12-03T09:00:00Z" },
      ],
    };
    assert.deepEqual(shownRounds(state).map((r) => r.id), [2, 5, 3]);
  });

  test("two closed at the same moment: the newer round; none at all: nothing", () => {
    const at = "2026-12-03T10:00:00Z";
    assert.deepEqual(shownRounds({ rounds: [{ id: 7, state: "closed", closed_at: at }, { id: 8, state: "closed", closed_at: at }] }).map((r) => r.id), [8]);
    assert.deepEqual(shownRounds({ rounds: [{ id: 1, state: "draft" }] }), []);
    assert.deepEqual(shownRounds({}), []);
  });
});

describe("a round in words", () => {
  test("its state: open, paused for a lot, closed", () => {
    assert.equal(stateText({ id: 1, state: "open" }, t), "round_open");
    assert.equal(stateText({ id: 1, state: "paused" }, t), "round_paused");
    assert.equal(stateText({ id: 1, state: "closed" }, t), "round_closed");
  });

  test("its method, seats when proportional or more than one, secret or named", () => {
    assert.equal(roundMeta({ id: 1, method: "irv", secret: true }, t), `${records.irv.label} · secret_round`);
    assert.equal(roundMeta({ id: 1, method: "stv", seats: 1, secret: false }, t), `${records.stv.label} · seats(n=1) · named_round`);
    assert.equal(roundMeta({ id: 1, method: "approval", seats: 1, secret: true }, t), `${records.approval.label} · secret_round`);
    assert.equal(roundMeta({ id: 1, method: "approval", seats: 3, secret: true }, t), `${records.approval.label} · seats(n=3) · secret_round`);
    assert.equal(roundMeta({ id: 1, method: "yes_no", seats: 3, secret: false }, t), `${records.yes_no.label} · named_round`, "a method without seats");
  });

  test("turnout: who voted of those present (never fewer present than voted), and the weight", () => {
    assert.equal(turnoutText(null, t), "");
    assert.equal(turnoutText({ round_id: 1, voted: 12, present: 30 }, t), "turnout(voted=12, present=30)");
    assert.equal(turnoutText({ round_id: 1, voted: 12, present: 8 }, t), "turnout(voted=12, present=12)");
    assert.equal(turnoutText({ round_id: 1, voted: 4 }, t), "turnout(voted=4, present=4)");
    assert.equal(turnoutText({ round_id: 1, voted: 12, present: 30, voted_weight: 12 }, t), "turnout(voted=12, present=30)");
    assert.equal(turnoutText({ round_id: 1, voted: 12, present: 30, voted_weight: 15 }, t), "turnout(voted=12, present=30) · turnout_weight(weight=15)");
    assert.equal(turnoutText({ round_id: 1, voted: 12, present: 30, paper: 0 }, t), "turnout(voted=12, present=30)");
    assert.equal(turnoutText({ round_id: 1, voted: 12, present: 30, paper: 3 }, t), "turnout(voted=12, present=30) · turnout_paper(n=3)");
  });

  test("a stored ballot, for checking a receipt: ranking, approval, scores, a choice", () => {
    const round = { id: 1, method: "irv", options };
    assert.equal(ballotText(round, { ranking: [3, 1] }, t), "Montroll > Kiss");
    assert.equal(ballotText(round, { approve: [1, 2] }, t), "Kiss, Wright");
    assert.equal(ballotText(round, { approve: [] }, t), "ballot_abstain");
    assert.equal(ballotText(round, { scores: { 1: 5, 2: 0 } }, t), "Kiss 5, Wright 0");
    const consent = { id: 2, method: "consent", options: [{ id: 9, label: "The proposal" }] };
    const block = records.consent.ballot.choices.find((c) => c.value === "block");
    assert.equal(ballotText(consent, { choice: "block" }, t), block.label);
    assert.equal(ballotText(round, null, t), "");
    assert.equal(ballotText(round, {}, t), "");
  });

  test("a ballot names options by the count's labels when it has them, by id when unknown", () => {
    const round = { id: 1, method: "irv", options, result: { labels: { 1: "Kiss (elected)" } } };
    assert.equal(ballotText(round, { ranking: [1, 99] }, t), "Kiss (elected) > 99");
  });
});

describe("the story of a count", () => {
  test("news: every row of the first round; then the bars that moved or changed mark", () => {
    const first = [
      { key: "1", value: 35, mark: null },
      { key: "2", value: 10, mark: "eliminated" },
    ];
    markNews(first, null);
    assert.deepEqual(first.map((r) => r.news), [true, true]);
    const second = [
      { key: "1", value: 35, mark: "elected" },
      { key: "3", value: 20, mark: null },
      { key: "4", value: 5, mark: null },
      { key: "2", value: 0, mark: "out" },
    ];
    markNews(second, [
      { key: "1", value: 35, mark: null },
      { key: "3", value: 20, mark: null },
      { key: "4", value: 2, mark: null },
      { key: "2", value: 10, mark: "eliminated" },
    ]);
    assert.deepEqual(second.map((r) => [r.key, r.news]), [["1", true], ["3", false], ["4", true], ["2", false]], "an option out is not news again");
    const fresh = [{ key: "5", value: 1, mark: null }];
    markNews(fresh, []);
    assert.equal(fresh[0].news, true, "a row the round before did not have");
  });

  const tie = (round, tied) => ({ round, tied, chosen: tied[0], rule: "lot" });

  test("a tie broken is told in the round of the count where it was broken", () => {
    const result = { winners: ["1"], rounds: [{ number: 1 }, { number: 2 }, { number: 3 }], tie_breaks: [tie(1, ["2", "3"]), tie(3, ["1", "4"]), tie(1, ["4", "5"])] };
    assert.deepEqual(storyTies(result, 0), [result.tie_breaks[0], result.tie_breaks[2]]);
    assert.deepEqual(storyTies(result, 1), []);
    assert.deepEqual(storyTies(result, 2), [result.tie_breaks[1]]);
    assert.deepEqual(storyTies(result, 7), [result.tie_breaks[1]], "past the last round: the last");
    assert.deepEqual(storyTies({ rounds: [{ number: 1 }, { number: 2 }] }, 0), [], "no ties at all");
  });

  test("in a one-round count only a tie that decided who won is told", () => {
    const result = { winners: [2], rounds: [{ number: 1 }], tie_breaks: [tie(1, [3, 4]), tie(1, ["2", "5"])] };
    assert.deepEqual(storyTies(result, 0), [result.tie_breaks[1]]);
    assert.deepEqual(storyTies({ winners: [], rounds: [], tie_breaks: [tie(1, ["1", "2"])] }, 0), [], "no winner: no tie decided one");
  });
});
