// @ts-check
// What the credentials desk decides, without any DOM (issue 17 item 3): what a scan or a
// typed code sends (checkins.add), when the camera's same QR seen again is the same scan,
// the last scans with their undo, the counts in words. The screen is desk-screen.js.

/** What a desk may send as a code (the server's limit: a scanned link is about 60). */
export const SCAN_MAX = 400;
/** How many of the last scans the desk shows. */
export const LAST_MAX = 8;
/** The camera sees one badge many times a second: the same text again within this is one scan. */
export const SAME_SCAN_MS = 4000;

/**
 * The arguments of checkins.add for what was typed or scanned, or null when there is
 * nothing to send (empty, or longer than any badge or link).
 * @param {unknown} text
 * @returns {{code: string} | null}
 */
export function scanArgs(text) {
  if (typeof text !== "string") return null;
  const code = text.trim();
  if (!code || code.length > SCAN_MAX) return null;
  return { code };
}

/**
 * Says whether a camera's reading is a new scan: not the same text as one seen in the last
 * SAME_SCAN_MS (a badge held up stays in view for seconds).
 */
export class ScanGate {
  constructor(windowMs = SAME_SCAN_MS) {
    this.windowMs = windowMs;
    /** @type {Map<string, number>} */
    this.seen = new Map();
  }

  /**
   * @param {string} text
   * @param {number} now milliseconds
   */
  accept(text, now) {
    for (const [key, at] of this.seen) if (now - at >= this.windowMs) this.seen.delete(key);
    if (this.seen.has(text)) {
      this.seen.set(text, now);
      return false;
    }
    this.seen.set(text, now);
    return true;
  }
}

/**
 * @typedef {{entry_id: number, name: string, delegation: string, role: string,
 *   checked_in: boolean, already?: boolean}} DeskEntry
 * @typedef {{entry: DeskEntry, at: number, already: boolean, undone: boolean}} Scan
 */

/**
 * The last scans, newest first, at most LAST_MAX; the same person again moves to the top.
 * @param {Scan[]} scans
 * @param {DeskEntry & {already?: boolean}} reply checkins.add's reply
 * @param {number} at
 * @returns {Scan[]}
 */
export function addScan(scans, reply, at) {
  const rest = scans.filter((s) => s.entry.entry_id !== reply.entry_id);
  return [{ entry: reply, at, already: Boolean(reply.already), undone: false }, ...rest].slice(0, LAST_MAX);
}

/**
 * A scan undone (checked out) or checked in again, by entry id.
 * @param {Scan[]} scans
 * @param {number} entryId
 * @param {boolean} undone
 * @returns {Scan[]}
 */
export function markUndone(scans, entryId, undone) {
  return scans.map((s) => (s.entry.entry_id === entryId ? { ...s, undone, entry: { ...s.entry, checked_in: !undone } } : s));
}

/**
 * @typedef {{checked_in: number, voters: number, seated?: number, roster: number}} Counts
 * @param {Counts | null | undefined} counts
 * @param {(key: string, params?: Record<string, unknown>) => string} t
 */
export function countsText(counts, t) {
  if (!counts) return "";
  if (counts.seated) return t("desk_counts_seated", { n: counts.checked_in, voters: counts.voters, seated: counts.seated, roster: counts.roster });
  return t("desk_counts", { n: counts.checked_in, voters: counts.voters, roster: counts.roster });
}

/**
 * One scan in words: who, their delegation, and what happened.
 * @param {Scan} scan
 * @param {(key: string, params?: Record<string, unknown>) => string} t
 */
export function scanText(scan, t) {
  const who = scan.entry.delegation ? `${scan.entry.name} · ${scan.entry.delegation}` : scan.entry.name;
  if (scan.undone) return t("desk_scan_undone", { who });
  if (scan.already) return t("desk_scan_already", { who });
  return t("desk_scan_in", { who });
}

/**
 * A roster role in words for the desk.
 * @param {string} role
 * @param {(key: string, params?: Record<string, unknown>) => string} t
 */
export function roleText(role, t) {
  return ["delegate", "alternate", "observer"].includes(role) ? t(`desk_role_${role}`) : role;
}

// -- seats (issue 17 item 4): an alternate in a delegate's seat ----------------------------------

/**
 * @typedef {{entry_id: number, name: string}} EntryRef
 * @typedef {DeskEntry & {seat_of?: EntryRef | null, held_by?: EntryRef | null}} SeatEntry
 */

/**
 * Who holds whose seat, in words: an alternate's seat, or who holds a delegate's ("" else).
 * @param {SeatEntry} entry
 * @param {(key: string, params?: Record<string, unknown>) => string} t
 */
export function seatText(entry, t) {
  if (entry.seat_of) return t("desk_in_seat_of", { name: entry.seat_of.name });
  if (entry.held_by) return t("desk_seat_held_by", { name: entry.held_by.name });
  return "";
}

/**
 * What the desk may do about an entry's seat: an alternate without a seat may take one
 * ("take"), a delegate whose seat nobody holds may hand it over ("hand_over"); else null.
 * @param {SeatEntry} entry
 * @returns {"take" | "hand_over" | null}
 */
export function seatAction(entry) {
  if (entry.role === "alternate" && !entry.seat_of) return "take";
  if (entry.role === "delegate" && !entry.held_by) return "hand_over";
  return null;
}

/** @param {string} text */
const fold = (text) => (text || "").toLocaleLowerCase();

/**
 * Whom ``person`` may seat with, among ``entries`` (a search of their delegation): for an
 * alternate, the delegates of their delegation whose seat nobody holds; for a delegate,
 * the alternates of their delegation without a seat. The server checks again.
 * @param {SeatEntry} person
 * @param {SeatEntry[]} entries
 * @returns {SeatEntry[]}
 */
export function seatChoices(person, entries) {
  const action = seatAction(person);
  if (!action) return [];
  const want = action === "take" ? "delegate" : "alternate";
  return entries.filter(
    (e) => e.entry_id !== person.entry_id && e.role === want && fold(e.delegation) === fold(person.delegation) && seatAction(e) !== null,
  );
}

/**
 * The arguments of checkins.add that seat the alternate of the pair in the delegate's seat.
 * @param {SeatEntry} person who the desk started from
 * @param {SeatEntry} choice whom they chose
 * @returns {{entry_id: number, seat_of: number}}
 */
export function seatArgs(person, choice) {
  const [alternate, delegate] = person.role === "alternate" ? [person, choice] : [choice, person];
  return { entry_id: alternate.entry_id, seat_of: delegate.entry_id };
}

