// @ts-check
// The console's people list without any DOM (people-console.js draws it): who the filters
// keep and in what order, one page of them, the namesakes told apart, the caucuses to filter
// by, and who may not have voted in the open round. A 1,500-person meeting: filtering and
// sorting in memory is cheap; only one page of rows is built.

/** @import { Member } from "./live-state.js" */
/** @import { Round } from "./rounds-state.js" */

/** Rows on one page of the list. */
export const PAGE_SIZE = 50;

/** @type {Record<string, number>} */
const ROLE_ORDER = { facilitator: 0, projector: 1, observer: 2, teller: 3, participant: 4 };

/**
 * What the console's filters ask for: a search, a status (all, connected, not_connected,
 * not_voted), a role and a caucus ("" for any), and the page shown (0 for the first).
 * @typedef {{query: string, status: string, role: string, caucus: string, page: number}} PeopleFilter
 */

/**
 * Text as the search compares it: accents and case aside ("Ánä" finds "ana").
 * @param {string | null | undefined} text
 */
export function fold(text) {
  return (text || "").normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

/**
 * The members the filter keeps, in the list's order: facilitators, projectors, observers,
 * then participants; by name within each (the collator's, numbers in order), then by id.
 * @param {Member[]} members
 * @param {PeopleFilter} filter
 * @param {{connected: Set<number>, notVoted: Set<number> | null, collator: Intl.Collator}} context
 *   `notVoted`: who has not voted in the open round (null until read, or in a secret round)
 * @returns {Member[]}
 */
export function shownMembers(members, filter, { connected, notVoted, collator }) {
  const query = fold(filter.query).trim();
  const shown = members.filter((m) => {
    if (filter.role && m.role !== filter.role) return false;
    if (filter.caucus && m.caucus !== filter.caucus) return false;
    if (filter.status === "connected" && !connected.has(m.id)) return false;
    if (filter.status === "not_connected" && connected.has(m.id)) return false;
    if (filter.status === "not_voted" && !(notVoted && notVoted.has(m.id))) return false;
    return !query || fold(m.name).includes(query) || fold(m.caucus).includes(query);
  });
  return shown.sort((a, b) => (ROLE_ORDER[String(a.role)] ?? 9) - (ROLE_ORDER[String(b.role)] ?? 9) || collator.compare(String(a.name), String(b.name)) || a.id - b.id);
}

/**
 * One page of a list: the page asked for, or the last one when the list got shorter.
 * @template T
 * @param {T[]} shown
 * @param {number} page  0 for the first
 * @param {number} [size]
 * @returns {{page: number, pages: number, first: number, rows: T[]}}  `first`: the index of its first row
 */
export function pageOf(shown, page, size = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(shown.length / size));
  const at = Math.min(page, pages - 1);
  const first = at * size;
  return { page: at, pages, first, rows: shown.slice(first, first + size) };
}

/**
 * Members who share a name (case and accents aside): member id → their number among them,
 * by id (1 for the one who joined first), so "#2, joined 19:04" tells them apart. A name
 * nobody else has is not in the map.
 * @param {Member[]} members
 * @returns {Map<number, number>}
 */
export function namesakes(members) {
  /** @type {Map<string, Member[]>} */
  const groups = new Map();
  for (const m of members) {
    const key = fold(m.name).trim();
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  /** @type {Map<number, number>} */
  const result = new Map();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => a.id - b.id).forEach((m, i) => result.set(m.id, i + 1));
  }
  return result;
}

/**
 * The caucuses to filter by: each once, in the collator's order.
 * @param {Member[]} members
 * @param {Intl.Collator} collator
 * @returns {string[]}
 */
export function caucusNames(members, collator) {
  const names = /** @type {string[]} */ (members.map((m) => m.caucus).filter(Boolean));
  return [...new Set(names)].sort(collator.compare);
}

/**
 * The open round, and whether the server tells facilitators who has not voted in it (a
 * named round: its turnout counts them).
 * @param {{rounds?: Round[]}} state
 * @returns {{open: Round | null, named: boolean}}
 */
export function openRoundOf(state) {
  const open = (state.rounds || []).find((r) => r.state === "open") || null;
  const turnout = open && open.turnout;
  return { open, named: Boolean(turnout && typeof turnout.not_voted_count === "number") };
}

/**
 * What the list of who has not voted depends on: who voted, and who may (someone joined or
 * left): read again when it changes.
 * @param {{participants?: number}} state
 * @param {{voted: number, not_voted_count?: number}} turnout
 */
export function turnoutKey(state, turnout) {
  return `${turnout.voted}|${turnout.not_voted_count}|${state.participants}`;
}
