// The console's roster import without a page: what a file is sent as, what a reply says,
// and which rows of a large preview are shown (static/js/roster.js).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  NOT_IN_FILE_SHOWN,
  ROSTER_MAX_BYTES,
  ROSTER_PAGE_SIZE,
  failureOf,
  figures,
  isJson,
  megabytes,
  notInFileShown,
  previewPage,
  problemsNotListed,
  rosterRequest,
  rowsOf,
  tooLarge,
} from "../../static/js/roster.js";

const bytes = (text) => new TextEncoder().encode(text);
const CSV = "name,delegation\nZoë Núñez,Lower East Side\n";

describe("what a file is sent as", () => {
  test("a CSV file goes as its bytes, untouched (the server names a bad byte's line)", () => {
    const file = bytes(CSV);
    assert.deepEqual(rosterRequest("roster.csv", "text/csv", file), { ok: true, contentType: "text/csv", body: file });
    const latin1 = new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x5a, 0x6f, 0xeb, 0x0a]);
    const sent = rosterRequest("export.txt", "", latin1);
    assert.equal(sent.ok && sent.body, latin1, "not UTF-8: sent as it is, the server says where");
  });

  test("JSON is told by its name, its type or its first character; anything else is CSV", () => {
    assert.equal(isJson("people.JSON", "", bytes("name")), true);
    assert.equal(isJson("people", "application/json", bytes("name")), true);
    assert.equal(isJson("people", "", bytes('\ufeff  \n[{"name": "A"}]')), true, "a byte-order mark and spaces first");
    assert.equal(isJson("people", "", bytes('{"rows": []}')), true);
    assert.equal(isJson("people.csv", "", bytes("[odd,header]")), false, "a .csv is CSV whatever it starts with");
    assert.equal(isJson("people", "", bytes(CSV)), false);
  });

  test("a JSON file's people go as {rows}: the list alone or an object holding it", () => {
    const people = [{ name: "Łukasz Đoković", delegation: "Kraków", vote_weight: 4 }];
    for (const text of [JSON.stringify(people), JSON.stringify({ rows: people, exported: "2026-12-04" })]) {
      const sent = rosterRequest("roster.json", "", bytes(text));
      assert.deepEqual(sent, { ok: true, contentType: "application/json", body: JSON.stringify({ rows: people }) });
    }
  });

  test("an empty file, JSON that is not UTF-8, not JSON, or not a roster: told before sending", () => {
    const why = (name, data) => {
      const sent = rosterRequest(name, "", data);
      assert.equal(sent.ok, false);
      return sent.message;
    };
    assert.deepEqual(why("a.csv", new Uint8Array()), { key: "roster_empty", params: { name: "a.csv" } });
    assert.equal(why("a.json", new Uint8Array([0x5b, 0xff, 0x5d])).key, "roster_not_utf8");
    assert.equal(why("a.json", bytes('[{"name": "A"},]')).key, "roster_not_json");
    assert.equal(why("a.json", bytes('{"people": []}')).key, "roster_json_shape");
    assert.equal(why("a.json", bytes("null")).key, "roster_json_shape");
    assert.equal(why("a.json", bytes('"name"')).key, "roster_json_shape");
  });

  test("a file over the limit is refused before it is read", () => {
    assert.equal(ROSTER_MAX_BYTES, 2 * 1024 * 1024);
    assert.equal(tooLarge(ROSTER_MAX_BYTES), null);
    assert.deepEqual(tooLarge(ROSTER_MAX_BYTES + 1), { key: "roster_too_large", params: { mb: 2 } });
    assert.deepEqual(tooLarge(600, 512), { key: "roster_too_large", params: { mb: 0 } });
    assert.equal(megabytes(1.5 * 1024 * 1024), 1.5);
  });
});

const row = (line, action, extra = {}) => ({
  line,
  name: `Person ${line}`,
  delegation: "Chapter",
  role: "delegate",
  vote_weight: 1,
  external_id: `D-${line}`,
  contact: "",
  action,
  ...extra,
});

describe("a preview", () => {
  const rows = Array.from({ length: 1500 }, (_, i) => row(i + 2, i % 10 === 0 ? "updated" : i % 10 === 1 ? "unchanged" : "added"));
  const notInFile = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, external_id: null, name: `Gone ${i}`, delegation: "" }));
  const reply = { added: 1200, updated: 150, unchanged: 150, not_in_file: notInFile, total: 1525, dry_run: true, rows };

  test("its figures: each action, those not in the file, the file's people and the roster's", () => {
    assert.deepEqual(figures(reply), { added: 1200, updated: 150, unchanged: 150, notInFile: 25, inFile: 1500, total: 1525 });
    assert.equal(figures({ ...reply, not_in_file: 3 }).notInFile, 3, "a count is read as one");
  });

  test("1,500 rows: one page of ROSTER_PAGE_SIZE at a time, the last page short", () => {
    assert.equal(ROSTER_PAGE_SIZE, 50);
    const first = previewPage(rows, "", 0);
    assert.deepEqual([first.page, first.pages, first.first, first.last, first.count, first.rows.length], [0, 30, 0, 50, 1500, 50]);
    assert.equal(first.rows[0].line, 2);
    const last = previewPage(rows, "", 99);
    assert.deepEqual([last.page, last.first, last.last, last.rows.at(-1).line], [29, 1450, 1500, 1501]);
    assert.equal(previewPage(rows.slice(0, 7), "", 0).pages, 1);
  });

  test("one action's rows, paged the same", () => {
    assert.equal(rowsOf(rows, "").length, 1500);
    assert.ok(rowsOf(rows, "updated").every((r) => r.action === "updated"));
    const updated = previewPage(rows, "updated", 3);
    assert.deepEqual([updated.count, updated.pages, updated.page, updated.rows.length], [150, 3, 2, 50], "page 4 of 3: the last");
    assert.deepEqual(previewPage(rows, "nothing", 0), { page: 0, pages: 1, first: 0, rows: [], count: 0, last: 0 });
  });

  test("those not in the file: named up to a cap, then counted", () => {
    assert.equal(NOT_IN_FILE_SHOWN, 20);
    const { shown, more } = notInFileShown(notInFile);
    assert.deepEqual([shown.length, shown[0].name, more], [20, "Gone 0", 5]);
    assert.deepEqual(notInFileShown(notInFile.slice(0, 2)), { shown: notInFile.slice(0, 2), more: 0 });
  });
});

describe("a refusal", () => {
  test("a bad file: its problems by line and column, and how many there are in all", () => {
    const body = {
      error: {
        code: "invalid_roster",
        message: "The roster was not imported: it has problems (203), listed by line.",
        field: "roster",
        errors: [
          { line: 1, field: "colour", message: "Unknown column colour" },
          { line: 4, field: "vote_weight", message: "The vote weight must be a whole number from 1 to 10000." },
          { line: 9, field: null, message: "This line has 7 fields; the header names 6." },
        ],
        error_count: 203,
      },
    };
    const failure = failureOf(422, body);
    assert.deepEqual(failure.message, { key: "roster_problems", params: { n: 203 } });
    assert.deepEqual(failure.problems[1], { line: 4, field: "vote_weight", message: "The vote weight must be a whole number from 1 to 10000." });
    assert.equal(failure.problems[2].field, null);
    assert.equal(problemsNotListed(failure), 200);
    const fewer = failureOf(422, { error: { ...body.error, error_count: undefined } });
    assert.deepEqual([fewer.count, problemsNotListed(fewer)], [3, 0], "no count: the list's length");
  });

  test("too large (413), unreadable (400), the server's own message, or only a status", () => {
    const large = failureOf(413, { error: { code: "request_entity_too_large", message: "The data value transmitted exceeds the capacity limit." } });
    assert.deepEqual([large.message, large.problems, large.count], [{ key: "roster_too_large", params: { mb: 2 } }, [], 0]);
    assert.deepEqual(failureOf(413, null, 1024 * 1024).message.params, { mb: 1 }, "413 without a body (a proxy's)");
    const unreadable = failureOf(400, { error: { code: "bad_request", message: "The request could not be processed as sent." } });
    assert.deepEqual(unreadable.message, { key: "roster_unreadable", params: { message: "The request could not be processed as sent." } });
    assert.deepEqual(failureOf(403, { error: { code: "forbidden", message: "Only facilitators can do this." } }).message, {
      key: "roster_refused",
      params: { message: "Only facilitators can do this." },
    });
    assert.deepEqual(failureOf(422, { error: { code: "invalid_input", message: "Send the roster as csv or as rows.", field: "csv" } }).message.key, "roster_refused");
    assert.deepEqual(failureOf(502, null).message, { key: "roster_failed", params: { status: 502 } });
    assert.deepEqual(failureOf(500, "<html>").message, { key: "roster_failed", params: { status: 500 } });
  });
});
