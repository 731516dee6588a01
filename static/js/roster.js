// @ts-check
// The console's roster import without any DOM (roster-console.js draws it): what a chosen
// file is sent as (CSV as it is, JSON as {"rows": [...]}), what the server's reply says (a
// preview, an import, the problems of a bad file, a refusal), and which rows of a preview of
// 1,500 people are on screen. Strings are keys of the page's catalogue with their
// parameters: the screen module translates them.

import { pageOf } from "./people.js";

/** Rows of a preview on one page. */
export const ROSTER_PAGE_SIZE = 50;
/** People not in the file named one by one (the count says how many more). */
export const NOT_IN_FILE_SHOWN = 20;
/** A roster file's bytes at most, as the server's limit (convene/domain/roster.py). */
export const ROSTER_MAX_BYTES = 2 * 1024 * 1024;

/** @typedef {"added" | "updated" | "unchanged"} RosterAction */

/**
 * One row of a dry run's reply: a person of the file and what the import does with them.
 * @typedef {{line: number, name: string, delegation: string, role: string, vote_weight: number, external_id: string | null, contact: string, action: RosterAction}} RosterRow
 */

/**
 * A person kept on the roster whom the file does not list.
 * @typedef {{id: number, external_id: string | null, name: string, delegation: string}} NotInFile
 */

/**
 * The reply of POST …/roster (with dry_run, `rows` too).
 * @typedef {{added: number, updated: number, unchanged: number, not_in_file: NotInFile[], total: number, dry_run: boolean, rows?: RosterRow[]}} RosterReply
 */

/**
 * A message of the page's catalogue and its parameters.
 * @typedef {{key: string, params: Record<string, unknown>}} Message
 */

/**
 * One problem of a refused file: its line (a CSV's header is 1; a JSON row's position, from
 * 1), its column (null for the whole line) and what is wrong, in the page's language.
 * @typedef {{line: number, field: string | null, message: string}} Problem
 */

/**
 * What a refused import tells the facilitator: a message, and for a bad file its problems
 * (the first 200) and how many it has in all.
 * @typedef {{message: Message, problems: Problem[], count: number}} Failure
 */

/**
 * What a file is sent as, or why it cannot be.
 * @typedef {{ok: true, contentType: string, body: Uint8Array<ArrayBuffer> | string} | {ok: false, message: Message}} RosterRequest
 */

/**
 * @param {string} key
 * @param {Record<string, unknown>} [params]
 * @returns {Message}
 */
const message = (key, params = {}) => ({ key, params });

/**
 * How big the limit is, for a message: "2 MB".
 * @param {number} bytes
 */
export function megabytes(bytes) {
  return Math.round((bytes / (1024 * 1024)) * 10) / 10;
}

/**
 * A file too large to send, told before it is read (the server would refuse it with 413).
 * @param {number} size
 * @param {number} [max]
 * @returns {Message | null}
 */
export function tooLarge(size, max = ROSTER_MAX_BYTES) {
  return size > max ? message("roster_too_large", { mb: megabytes(max) }) : null;
}

/**
 * Whether a file is a JSON roster: its name or type says so, or its text starts as JSON
 * does; anything else is read as CSV (a spreadsheet's export is often named .txt).
 * @param {string} name
 * @param {string} type  the browser's MIME type for it ("" when it does not know)
 * @param {Uint8Array<ArrayBuffer>} bytes
 */
export function isJson(name, type, bytes) {
  if (/\.json$/i.test(name) || type === "application/json") return true;
  if (/\.(csv|tsv|txt)$/i.test(name) || type === "text/csv") return false;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[i])) i += 1;
  return bytes[i] === 0x5b || bytes[i] === 0x7b; // [ or {
}

/**
 * What a chosen file is sent as: a CSV's bytes as they are (the server finds a byte that is
 * not UTF-8 and names its line), a JSON file's people as {"rows": [...]} (the file may be
 * that object, or the list alone).
 * @param {string} name
 * @param {string} type
 * @param {Uint8Array<ArrayBuffer>} bytes
 * @returns {RosterRequest}
 */
export function rosterRequest(name, type, bytes) {
  if (!bytes.length) return { ok: false, message: message("roster_empty", { name }) };
  if (!isJson(name, type, bytes)) return { ok: true, contentType: "text/csv", body: bytes };
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: message("roster_not_utf8", { name }) };
  }
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, message: message("roster_not_json", { name }) };
  }
  const rows = Array.isArray(data) ? data : data && typeof data === "object" && Array.isArray(data.rows) ? data.rows : null;
  if (!rows) return { ok: false, message: message("roster_json_shape", { name }) };
  return { ok: true, contentType: "application/json", body: JSON.stringify({ rows }) };
}

/**
 * The figures of a reply: added, updated, unchanged and not in the file (counted), the file's
 * people and the roster's after the import.
 * @param {RosterReply} reply
 */
export function figures(reply) {
  const notInFile = Array.isArray(reply.not_in_file) ? reply.not_in_file.length : Number(reply.not_in_file) || 0;
  return {
    added: reply.added,
    updated: reply.updated,
    unchanged: reply.unchanged,
    notInFile,
    inFile: reply.added + reply.updated + reply.unchanged,
    total: reply.total,
  };
}

/**
 * Which rows the preview lists: all, or those of one action.
 * @param {RosterRow[]} rows
 * @param {string} action  "" for every row
 */
export function rowsOf(rows, action) {
  return action ? rows.filter((r) => r.action === action) : rows;
}

/**
 * One page of the preview's rows (of the action chosen), and where it is.
 * @param {RosterRow[]} rows
 * @param {string} action
 * @param {number} page  0 for the first
 * @param {number} [size]
 */
export function previewPage(rows, action, page, size = ROSTER_PAGE_SIZE) {
  const shown = rowsOf(rows, action);
  const at = pageOf(shown, page, size);
  return { ...at, count: shown.length, last: at.first + at.rows.length };
}

/**
 * The people not in the file, named up to `cap`, and how many more.
 * @param {NotInFile[]} people
 * @param {number} [cap]
 */
export function notInFileShown(people, cap = NOT_IN_FILE_SHOWN) {
  return { shown: people.slice(0, cap), more: Math.max(0, people.length - cap) };
}

/**
 * What a refused request tells the facilitator, from its status and JSON body (null when it
 * had none): the problems of a bad file (422 invalid_roster), a file too large (413), a body
 * the server could not read (400), or the server's own message (a role, a limit, ...).
 * @param {number} status
 * @param {any} body
 * @param {number} [max]
 * @returns {Failure}
 */
export function failureOf(status, body, max = ROSTER_MAX_BYTES) {
  const error = body && typeof body === "object" && body.error && typeof body.error === "object" ? body.error : {};
  const text = typeof error.message === "string" ? error.message : "";
  if (status === 413) return { message: message("roster_too_large", { mb: megabytes(max) }), problems: [], count: 0 };
  if (error.code === "invalid_roster" && Array.isArray(error.errors)) {
    const problems = error.errors.map((/** @type {any} */ p) => ({
      line: Number(p.line) || 0,
      field: typeof p.field === "string" ? p.field : null,
      message: String(p.message ?? ""),
    }));
    const count = Math.max(Number(error.error_count) || 0, problems.length);
    return { message: message("roster_problems", { n: count }), problems, count };
  }
  if (status === 400) return { message: message("roster_unreadable", { message: text }), problems: [], count: 0 };
  if (text) return { message: message("roster_refused", { message: text }), problems: [], count: 0 };
  return { message: message("roster_failed", { status }), problems: [], count: 0 };
}

/**
 * The problems beyond those listed (the server lists the first 200).
 * @param {Failure} failure
 */
export function problemsNotListed(failure) {
  return Math.max(0, failure.count - failure.problems.length);
}
