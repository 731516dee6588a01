// The tally view's model: the rows of bars, their scale and win line, and the count in words
// (static/js/tally-view.js; docs/voting-methods.md, "The result structure").
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { methods } from "../../static/js/methods.js";

// The methods' records as the pages get them (tests/unit/test_browser_methods.py keeps this
// file equal to the server's), given before tally-view.js reads them at import.
methods(JSON.parse(readFileSync(new URL("./methods.json", import.meta.url), "utf8")));
const { barRows, barScale, decisionText, namesText, num, optionLabel, roundSentence, tieText, winLine } = await import("../../static/js/tally-view.js");

/** Translations that show the key and its parameters, so the tests read what was chosen. */
const t = (key, params = {}) => (Object.keys(params).length ? `${key}(${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(", ")})` : key);

const v = (float) => ({ exact: String(float), float });

// Burlington-like IRV: four options, two rounds of elimination.
const irv = {
  id: 1,
  title: "Mayor",
  method: "irv",
  state: "closed",
  options: [
    { id: 1, label: "Kiss" },
    { id: 2, label: "Wright" },
    { id: 3, label: "Montroll" },
    { id: 4, label: "Simpson" },
  ],
  result: {
    winners: ["1"],
    total: v(100),
    rounds: [
      { number: 1, tallies: { 1: v(35), 2: v(30), 3: v(25), 4: v(10) }, eliminated: ["4"], elected: [], exhausted: v(0), transfers: [{ from: "4", to: "3", votes: v(6) }, { from: "4", to: null, votes: v(4) }] },
      { number: 2, tallies: { 1: v(35), 2: v(30), 3: v(31) }, eliminated: ["2"], elected: [], exhausted: v(4), transfers: [{ from: "2", to: "1", votes: v(20) }, { from: "2", to: "3", votes: v(10) }] },
      { number: 3, tallies: { 1: v(55), 3: v(41) }, eliminated: [], elected: ["1"], exhausted: v(4), transfers: [] },
    ],
  },
};

const yesNo = {
  id: 2,
  title: "Adopt the budget",
  method: "yes_no",
  state: "closed",
  options: [{ id: 9, label: "The 2027 budget" }],
  result: { passed: true, winners: [], total: v(40), rounds: [{ number: 1, tallies: { yes: v(30), no: v(8), abstain: v(2) } }], details: { quorate: true } },
};

describe("numbers", () => {
  test("exact values are shown from their float, whole numbers without decimals", () => {
    assert.equal(num(v(17), "en"), "17");
    assert.equal(num(v(2.5), "en"), "2.5");
    assert.equal(num(v(2378.6149), "en"), "2,378.61");
    assert.equal(num(v(2378.6149), "es"), "2378,61");
    assert.equal(num(null, "en"), "0");
    assert.equal(num(4, "en"), "4");
  });
});

describe("bars", () => {
  test("the first round: every option in option order with its votes, none marked while voting", () => {
    const open = { ...irv, state: "open" };
    const rows = barRows(open, irv.result, 0, t, "en");
    assert.deepEqual(rows.map((r) => [r.key, r.label, r.value, r.shown, r.mark]), [
      ["1", "Kiss", 35, "35", null],
      ["2", "Wright", 30, "30", null],
      ["3", "Montroll", 25, "25", null],
      ["4", "Simpson", 10, "10", null],
    ]);
  });

  test("after the close: who is eliminated in a round, and those out before it go last", () => {
    const second = barRows(irv, irv.result, 1, t, "en");
    assert.deepEqual(second.map((r) => [r.key, r.mark]), [["1", null], ["2", "eliminated"], ["3", null], ["4", "out"]]);
    const last = barRows(irv, irv.result, 2, t, "en");
    assert.deepEqual(last.map((r) => [r.key, r.value, r.mark]), [["1", 55, "elected"], ["3", 41, null], ["2", 0, "out"], ["4", 0, "out"]]);
  });

  test("an index past the last round shows the last round", () => {
    assert.deepEqual(barRows(irv, irv.result, 99, t, "en"), barRows(irv, irv.result, 2, t, "en"));
  });

  test("a yes/no round shows its three choices", () => {
    const rows = barRows(yesNo, yesNo.result, 0, t, "en");
    assert.deepEqual(rows.map((r) => [r.key, r.label, r.value]), [["yes", "Yes", 30], ["no", "No", 8], ["abstain", "Abstain", 2]]);
  });

  test("the scale: the ballots counted for share methods, the largest value otherwise", () => {
    assert.equal(barScale(irv, irv.result, barRows(irv, irv.result, 0, t, "en")), 100);
    const approval = { ...irv, method: "approval", result: { ...irv.result, total: v(100) } };
    assert.equal(barScale(approval, approval.result, barRows(approval, approval.result, 0, t, "en")), 35);
    assert.equal(barScale(approval, approval.result, []), 1, "never 0");
  });

  test("the win line: half of the ballots still counting (IRV), the quota (STV), else none", () => {
    assert.equal(winLine(irv, irv.result, 0), 0.5);
    assert.equal(winLine(irv, irv.result, 1), 0.48);
    const stv = { ...irv, method: "stv", result: { ...irv.result, rounds: [{ ...irv.result.rounds[0], quota: v(34) }] } };
    assert.equal(winLine(stv, stv.result, 0), 0.34);
    assert.equal(winLine(yesNo, yesNo.result, 0), null);
    assert.equal(winLine(irv, { ...irv.result, total: v(0) }, 0), null);
  });
});

describe("the count in words", () => {
  test("the decision names the winner, or says the proposal passed", () => {
    assert.equal(decisionText(irv, t), "decision_chosen(option=Kiss)");
    assert.equal(decisionText(yesNo, t), "decision_passed(proposal=The 2027 budget)");
    assert.equal(decisionText({ ...irv, result: { ...irv.result, winners: [] } }, t), "decision_none");
    assert.equal(decisionText({ ...irv, result: null }, t), "");
  });

  test("each round: who is eliminated and where their votes went", () => {
    assert.equal(
      roundSentence(irv, irv.result, 0, t, "en"),
      "story_eliminated(name=Simpson, votes=10) story_moves(name=Simpson, list=story_transfer(votes=6, name=Montroll); story_exhausted(votes=4))",
    );
    assert.equal(roundSentence(irv, irv.result, 2, t, "en"), "story_elected(name=Kiss, votes=55)");
  });

  test("the projector names at most a few transfers, then the others in one", () => {
    const many = {
      ...irv.result,
      rounds: [{ ...irv.result.rounds[0], transfers: [1, 2, 3].map((to) => ({ from: "4", to: String(to), votes: v(to) })) }],
    };
    assert.equal(
      roundSentence(irv, many, 0, t, "en", 2),
      "story_eliminated(name=Simpson, votes=10) story_moves(name=Simpson, list=story_transfer(votes=1, name=Kiss); story_transfer_others(votes=5, n=2))",
    );
  });

  test("a single-proposal round reads its counts, and says when the quorum was missed", () => {
    assert.equal(roundSentence(yesNo, yesNo.result, 0, t, "en"), "Yes: 30 · No: 8 · Abstain: 2");
    const missed = { ...yesNo.result, details: { quorate: false } };
    assert.equal(roundSentence(yesNo, missed, 0, t, "en"), "Yes: 30 · No: 8 · Abstain: 2 · quorum_missed");
  });

  test("names: one, two, several, and at most a few then 'and N others'", () => {
    assert.equal(namesText(irv, ["1"], t), "Kiss");
    assert.equal(namesText(irv, ["1", "2", "3"], t), "names_and(names=Kiss, Wright, last=Montroll)");
    assert.equal(namesText(irv, ["1", "2", "3", "4"], t, 3), "names_and_others(names=Kiss, Wright, n=2)");
    assert.equal(optionLabel(irv, 99), "99", "an unknown id is shown as it is");
  });

  test("a tie broken names the tied, the chosen and the rule; unknown rules read as a lot", () => {
    const tie = { round: 1, purpose: "exclude", tied: ["3", "4"], chosen: "4", how: "lookback", looked_back: [1] };
    assert.equal(tieText(irv, tie, t), "tie_lookback_exclude(names=names_and(names=Montroll, last=Simpson), chosen=Simpson, round=1, back=1)");
    assert.equal(tieText(irv, { ...tie, how: "dice", purpose: "x", looked_back: [] }, t), "tie_lot_rank(names=names_and(names=Montroll, last=Simpson), chosen=Simpson, round=1, back=)");
  });
});
