import assert from "node:assert/strict";
import { test } from "node:test";

import { FOUND_MAX, badgesUrl, credentialsUrl, entryDetails, findUrl, reissueUrl } from "../../static/js/badges.js";

const t = (key, params) => (params ? `${key}:${JSON.stringify(params)}` : key);

test("the files' addresses: every badge or one entry's", () => {
  assert.equal(credentialsUrl("KDQ4MX"), "/api/convenings/KDQ4MX/roster/credentials.csv");
  assert.equal(credentialsUrl("KDQ4MX", 7), "/api/convenings/KDQ4MX/roster/credentials.csv?entry_id=7");
  assert.equal(badgesUrl("KDQ4MX", "letter"), "/api/convenings/KDQ4MX/roster/badges.pdf?paper=letter");
  assert.equal(badgesUrl("KDQ4MX", "a4", 12), "/api/convenings/KDQ4MX/roster/badges.pdf?paper=a4&entry_id=12");
  assert.equal(badgesUrl("KDQ4MX", "a3"), "/api/convenings/KDQ4MX/roster/badges.pdf?paper=a4");
  assert.equal(reissueUrl("KDQ4MX", 3), "/api/convenings/KDQ4MX/roster/3/reissue");
});

test("a search: trimmed, encoded, bounded; nothing to look for is no request", () => {
  assert.equal(findUrl("KDQ4MX", "   "), null);
  assert.equal(findUrl("KDQ4MX", " Núñez & co "), `/api/convenings/KDQ4MX/roster?search=N%C3%BA%C3%B1ez+%26+co&limit=${FOUND_MAX}`);
  const long = new URL(findUrl("KDQ4MX", "x".repeat(500)), "http://h");
  assert.equal(long.searchParams.get("search").length, 200);
});

test("an entry in words", () => {
  const entry = { entry_id: 1, name: "Ana", delegation: "Local 9", role: "alternate", vote_weight: 1, external_id: "D-1", member_id: null, issued_at: null };
  assert.equal(entryDetails(entry, t), "roster_role_alternate · Local 9 · D-1 · badges_not_come");
  assert.equal(entryDetails({ ...entry, delegation: "", external_id: null, member_id: 4 }, t), "roster_role_alternate · badges_came");
});
