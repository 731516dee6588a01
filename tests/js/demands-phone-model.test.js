// What the phone's demands screen decides without a page: where a passage to amend is found,
// and the order of card by card (static/js/demands-phone-model.js).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { LIMITS, STANCES, firstCard, movedCard, nextUnanswered, occurrences, passageCount } from "../../static/js/demands-phone-model.js";

test("the limits are the server's, the stances in the order of their buttons", () => {
  assert.deepEqual(LIMITS, { title: 200, body: 5000, rationale: 2000 });
  assert.deepEqual(STANCES, ["agree", "disagree", "pass"]);
});

describe("a passage to amend", () => {
  test("occurrences: none, one, two, and three for three or more; overlapping ones count", () => {
    assert.equal(occurrences("a rent cap", "rent"), 1);
    assert.equal(occurrences("a rent cap", "wage"), 0);
    assert.equal(occurrences("rent, rent", "rent"), 2);
    assert.equal(occurrences("rent rent rent rent rent", "rent"), 3);
    assert.equal(occurrences("aaaa", "aa"), 3);
    assert.equal(occurrences("anything", ""), 0, "an empty passage is nowhere");
  });

  test("found as written first, else as shown (spaces and line breaks aside)", () => {
    const demand = { body: "Cap **rents** at\n\n3% a year." };
    assert.equal(passageCount(demand, "Cap rents at 3% a year.", "**rents**"), 1, "in the Markdown");
    assert.equal(passageCount(demand, "Cap rents at\n3% a year.", "rents at 3%"), 1, "as displayed");
    assert.equal(passageCount(demand, "Cap rents at 3% a year.", "rents  at\n 3%"), 1, "the selection's own spaces aside");
    assert.equal(passageCount(demand, null, "rents at 3%"), 0, "not on screen: as written only");
    assert.equal(passageCount(demand, "Cap rents at 3% a year.", "  "), 0, "blank: nowhere");
    assert.equal(passageCount({}, "a b a b", "a b"), 2, "a summary without its body yet");
  });
});

describe("card by card", () => {
  const all = [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }];
  const answeredOf = (...ids) => (d) => ids.includes(d.id);

  test("starts on the first not answered, else on the first of all; none: nothing", () => {
    assert.equal(firstCard(all, answeredOf()), 1);
    assert.equal(firstCard(all, answeredOf(1, 2)), 3);
    assert.equal(firstCard(all, answeredOf(1, 2, 3, 4)), 1);
    assert.equal(firstCard([], answeredOf()), null);
  });

  test("after an answer, the next not answered, round the end; none left: nothing", () => {
    assert.equal(nextUnanswered(all, 1, answeredOf(1)), 2);
    assert.equal(nextUnanswered(all, 2, answeredOf(2, 3)), 4);
    assert.equal(nextUnanswered(all, 4, answeredOf(3, 4)), 1, "round the end");
    assert.equal(nextUnanswered(all, 3, answeredOf(1, 2, 3, 4)), null);
    assert.equal(nextUnanswered(all, 9, answeredOf()), 1, "from a demand gone: from the first");
    assert.equal(nextUnanswered([], 1, answeredOf()), null);
  });

  test("back and skip go round the ends; from a card gone, from the first", () => {
    assert.equal(movedCard(all, 2, 1), 3);
    assert.equal(movedCard(all, 4, 1), 1);
    assert.equal(movedCard(all, 1, -1), 4);
    assert.equal(movedCard(all, 9, 1), 2);
    assert.equal(movedCard(all, null, -1), 4);
    assert.equal(movedCard([], 1, 1), null);
  });
});
