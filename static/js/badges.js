// @ts-check
// What the console's badges section asks the server and how it words an entry, without DOM
// (badges-console.js draws it): the credentials CSV, the badge PDFs (A4, Letter; every badge
// or one entry's), finding entries to reissue, and one entry in words.

/** The papers the badge PDF is made for, in the order the buttons show them. */
export const PAPERS = /** @type {const} */ (["a4", "letter"]);
/** How many entries one search shows (the route gives up to 500 a page). */
export const FOUND_MAX = 20;

/** @typedef {{entry_id: number, name: string, delegation: string, role: string, vote_weight: number, external_id: string | null, member_id: number | null, issued_at: string | null}} RosterEntry */

/** @param {string} code */
function base(code) {
  return `/api/convenings/${encodeURIComponent(code)}/roster`;
}

/**
 * The credentials CSV (a mail merge of every link and code), or one entry's line.
 * @param {string} code
 * @param {number} [entryId]
 */
export function credentialsUrl(code, entryId) {
  return `${base(code)}/credentials.csv${entryId ? `?entry_id=${entryId}` : ""}`;
}

/**
 * The badge PDF on `paper` ("a4" or "letter"): every badge, or one entry's.
 * @param {string} code
 * @param {string} paper
 * @param {number} [entryId]
 */
export function badgesUrl(code, paper, entryId) {
  const query = new URLSearchParams({ paper: PAPERS.includes(/** @type {any} */ (paper)) ? paper : "a4" });
  if (entryId) query.set("entry_id", String(entryId));
  return `${base(code)}/badges.pdf?${query}`;
}

/**
 * Entries whose name, delegation or external id contain `words` (the first FOUND_MAX);
 * null when there is nothing to look for.
 * @param {string} code
 * @param {string} words
 */
export function findUrl(code, words) {
  const search = words.trim();
  if (!search) return null;
  return `${base(code)}?${new URLSearchParams({ search: search.slice(0, 200), limit: String(FOUND_MAX) })}`;
}

/**
 * @param {string} code
 * @param {number} entryId
 */
export function reissueUrl(code, entryId) {
  return `${base(code)}/${entryId}/reissue`;
}

/**
 * One found entry in words: its role and delegation, and whether they already came in.
 * @param {RosterEntry} entry
 * @param {(key: string, params?: object) => string} t
 */
export function entryDetails(entry, t) {
  const parts = [t(`roster_role_${entry.role}`)];
  if (entry.delegation) parts.push(entry.delegation);
  if (entry.external_id) parts.push(entry.external_id);
  parts.push(entry.member_id === null ? t("badges_not_come") : t("badges_came"));
  return parts.join(" · ");
}
