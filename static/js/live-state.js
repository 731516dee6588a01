// @ts-check
// The live state of a meeting and the one rule for applying an event of its log to it, the
// same on every screen (docs/realtime.md): the convening, agenda, people and floor here,
// rounds in rounds-state.js, demands in demands-state.js. No DOM, no connection (live.js).

import { applyDemandEvent } from "./demands-state.js";
import { applyRoundEvent } from "./rounds-state.js";

/**
 * One event of the convening's log, as the server sends it (docs/realtime.md): numbered
 * without gaps per convening. `data` is the event's own (a redacted view for screens that
 * are not a facilitator's).
 * @typedef {object} LiveEvent
 * @property {number} seq
 * @property {string} type
 * @property {any} data
 * @property {string} [at]
 */

/**
 * @typedef {object} Member
 * @property {number} id
 * @property {string} [name]
 * @property {string} [role]
 * @property {string | null} [caucus]
 * @property {string} [joined_at]
 * @property {number} [vote_weight]
 * @property {number | null} [carried_by_id]
 */

/**
 * What a screen knows of the meeting: the snapshot, with every event since applied to it
 * (docs/realtime.md, "Snapshot"). Only what the shared modules read is named here.
 * @typedef {object} LiveState
 * @property {number} seq
 * @property {string} [server_time]
 * @property {any} [convening]
 * @property {any[]} agenda
 * @property {number | null} [current_item_id]
 * @property {Floor | null} [floor]
 * @property {boolean} [floor_stale]  a floor change did not fit the list we have: read a snapshot
 * @property {any} [projector]
 * @property {any} [presence]
 * @property {{checked_in: number, voters: number, seated?: number, roster: number}} [checkins]
 * @property {HeldSeat[]} [seats] facilitators: the seats alternates hold (issue 17 item 4)
 * @property {number} [participants]
 * @property {Member[]} [members]  facilitators: the first page, then the others (pageMembers)
 * @property {number | null} [members_next]
 * @property {boolean} [members_loading]
 * @property {{id: number, caucus?: string | null, voted_rounds?: number[], carried_by_id?: number | null}} [me]
 * @property {boolean} [removed_me]
 * @property {import("./rounds-state.js").Round[]} [rounds]
 * @property {import("./demands-state.js").Demand[]} [demands]
 * @property {object} [demand_spotlight]
 * @property {object} [minutes_final]
 */

/**
 * One entry of the speaker list (docs/realtime.md, "floor").
 * @typedef {{id: number, position: number, reason?: string, [key: string]: any}} FloorEntry
 */

/**
 * The speaker list of the running item, as the snapshot has it.
 * @typedef {object} Floor
 * @property {number} item_id
 * @property {boolean} queue_open
 * @property {object} settings
 * @property {any} speaker
 * @property {FloorEntry[]} queue
 */

/**
 * What a floor event changed (docs/realtime.md, "floor"): the small parts whole, the list
 * by what left it, what joined it and what moved in it.
 * @typedef {object} FloorChange
 * @property {number} item_id
 * @property {boolean} queue_open
 * @property {object} settings
 * @property {any} speaker
 * @property {number} length  the list's length after the change
 * @property {number[]} removed
 * @property {FloorEntry[]} added
 * @property {{id: number, position: number, reason: string}[]} moved
 * @property {Record<string, number[]>} [reasons]  reason → ids of entries in place whose reason changed
 */

/**
 * The speaker list after a change, or null when the change does not fit this list (another
 * item's, an id we do not have, a length that does not add up): then only a snapshot can
 * tell the list. The list given is not modified.
 * @param {Floor | null | undefined} floor
 * @param {FloorChange} change
 * @returns {Floor | null}
 */
export function applyFloorChange(floor, change) {
  if (!floor || !change || floor.item_id !== change.item_id || !Array.isArray(floor.queue)) return null;
  const removed = change.removed || [];
  const added = change.added || [];
  const moved = change.moved || [];
  const have = new Map(floor.queue.map((entry) => [entry.id, entry]));
  if (removed.some((id) => !have.has(id))) return null;
  /** @type {FloorEntry[]} */
  const placed = [...added];
  for (const { id, position, reason } of moved) {
    const entry = have.get(id);
    if (!entry) return null;
    placed.push({ ...entry, position, reason });
  }
  const leaving = new Set([...removed, ...placed.map((entry) => entry.id)]);
  const queue = floor.queue.filter((entry) => !leaving.has(entry.id));
  // What stayed keeps its order: putting the others at their positions from the front
  // leaves every one where the server has it.
  placed.sort((a, b) => a.position - b.position);
  for (const entry of placed) {
    if (!(entry.position >= 1 && entry.position <= queue.length + 1)) return null;
    queue.splice(entry.position - 1, 0, entry);
  }
  if (queue.length !== change.length) return null;
  /** @type {Map<number, string>} */
  const reasons = new Map();
  for (const [reason, ids] of Object.entries(change.reasons || {})) for (const id of ids) reasons.set(id, reason);
  if ([...reasons.keys()].some((id) => !have.has(id) || leaving.has(id))) return null;
  return {
    ...floor,
    item_id: change.item_id,
    queue_open: change.queue_open,
    settings: change.settings,
    speaker: change.speaker,
    queue: queue.map((entry, index) => {
      const reason = reasons.get(entry.id) ?? entry.reason;
      return entry.position === index + 1 && reason === entry.reason ? entry : { ...entry, position: index + 1, reason };
    }),
  };
}

/**
 * Apply a member event to state.members only (replayed over a page read before it).
 * @param {LiveState & {members: Member[]}} state
 * @param {LiveEvent} event
 */
export function replayMemberEvent(state, { type, data, at }) {
  if (!data || (data.name === undefined && type !== "participant.removed")) return;
  const member = state.members.find((m) => m.id === data.id);
  if (type === "participant.removed") {
    state.members = state.members.filter((m) => m.id !== data.id);
  } else if (type === "participant.updated") {
    if (member) {
      Object.assign(member, { name: data.name, role: data.role, caucus: data.caucus });
      if (data.vote_weight !== undefined) Object.assign(member, { vote_weight: data.vote_weight, carried_by_id: data.carried_by_id });
    }
  } else if (!member) {
    state.members.push({ id: data.id, name: data.name, role: data.role, caucus: data.caucus, joined_at: at });
  }
}

/**
 * A floor.* event: the whole list (`floor`: an item started) replaces ours; a `change` is
 * applied to ours. One for another item than the running one changes nothing on the
 * screens; one that does not fit our list marks it stale (live.js reads a snapshot).
 * @param {LiveState} state
 * @param {any} data
 */
function applyFloorEvent(state, data) {
  if ("floor" in data) {
    state.floor = data.floor;
    state.floor_stale = false;
    return;
  }
  const change = data.change;
  if (!change || state.floor_stale) return;
  if (change.item_id !== state.current_item_id) return; // a hand lowered on an item not running
  const next = applyFloorChange(state.floor, change);
  if (next) state.floor = next;
  else state.floor_stale = true;
}

/**
 * Apply one event to the state (the same rules for every screen; facilitators get more data).
 * @param {LiveState} state
 * @param {LiveEvent} event
 */
export function applyEvent(state, event) {
  const { type, data } = event;
  // a roster re-import that makes a participant an observer (or back) carries the new count
  if (type === "participant.updated" && typeof data?.participants === "number") state.participants = data.participants;
  /** @param {number} id */
  const byId = (id) => state.agenda.findIndex((item) => item.id === id);
  /** @param {{id: number, position: number}} item */
  const putItem = (item) => {
    const i = byId(item.id);
    if (i >= 0) state.agenda[i] = item;
    else state.agenda.push(item);
    state.agenda.sort((a, b) => a.position - b.position);
  };
  /** @param {number[]} ids */
  const order = (ids) => {
    const items = new Map(state.agenda.map((item) => [item.id, item]));
    state.agenda = ids.filter((id) => items.has(id)).map((id, position) => ({ ...items.get(id), position }));
  };
  switch (type) {
    case "convening.created":
    case "convening.updated":
      state.convening = { ...state.convening, ...data };
      break;
    case "convening.started":
      state.convening = { ...state.convening, started_at: data.started_at };
      break;
    case "projector.shown":
      state.projector = data;
      break;
    case "checkin.in":
    case "checkin.out":
      // the desk's counts (everyone sees them; facilitators also who and which desk)
      if (data && data.counts) state.checkins = data.counts;
      break;
    case "seat.taken":
    case "seat.returned":
      // the counts for everyone; who holds which seat for the facilitators (state.seats)
      if (data && data.counts) state.checkins = data.counts;
      if (state.seats && data && data.seat_of !== undefined) state.seats = applySeatEvent(state.seats, type, data);
      break;
    case "participant.joined":
      if (typeof data.participants === "number") state.participants = data.participants;
      if (state.members && data.name !== undefined && !state.members.some((m) => m.id === data.id)) {
        state.members.push({ id: data.id, name: data.name, role: data.role, caucus: data.caucus, joined_at: event.at });
      }
      break;
    case "member.invited":
      if (state.members && data.name !== undefined && !state.members.some((m) => m.id === data.id)) {
        state.members.push({ id: data.id, name: data.name, role: data.role, caucus: data.caucus, joined_at: event.at });
      }
      break;
    case "participant.removed":
      if (typeof data.participants === "number") state.participants = data.participants;
      if (state.me && data.id === state.me.id) state.removed_me = true;
      if (state.members) state.members = state.members.filter((m) => m.id !== data.id);
      break;
    case "agenda.item_added":
    case "agenda.item_updated":
      putItem(data);
      break;
    case "agenda.item_started":
      putItem(data);
      state.current_item_id = data.id;
      break;
    case "agenda.item_ended":
      putItem(data);
      if (state.current_item_id === data.id) state.current_item_id = null;
      if (state.floor && state.floor.item_id === data.id) state.floor = null;
      break;
    case "agenda.item_removed":
      state.agenda = state.agenda.filter((item) => item.id !== data.id);
      order(data.order);
      break;
    case "agenda.reordered":
      order(data.order);
      break;
    case "floor.speaker_finished":
      if (state.floor && state.floor.speaker && state.floor.speaker.id === data.request.id) {
        state.floor = { ...state.floor, speaker: null };
      }
      break;
    case "minutes.finalized":
      state.minutes_final = { version: data.version, approved_by: data.approved_by, approved_at: data.approved_at };
      break;
    default:
      if (applyRoundEvent(state, event)) break; // round.* (rounds-state.js)
      if (applyDemandEvent(state, event)) break; // demand.*, demands.*, amendment.* (demands-state.js)
      if (type.startsWith("floor.") && data) applyFloorEvent(state, data);
      break; // an event this screen does not show (newer server): its seq still counts
  }
}

/**
 * The seats alternates hold, after a seat.taken or seat.returned (facilitators' data), by
 * delegation and the delegate's name.
 * @typedef {{entry_id: number, name: string, delegation: string, seat_of: number, seat_name: string}} HeldSeat
 * @param {HeldSeat[]} seats
 * @param {string} type
 * @param {HeldSeat} data
 * @returns {HeldSeat[]}
 */
export function applySeatEvent(seats, type, data) {
  const rest = seats.filter((s) => s.entry_id !== data.entry_id && s.seat_of !== data.seat_of);
  if (type !== "seat.taken") return rest;
  const held = {
    entry_id: data.entry_id,
    name: data.name,
    delegation: data.delegation,
    seat_of: data.seat_of,
    seat_name: data.seat_name,
  };
  return [...rest, held].sort(
    (a, b) => a.delegation.localeCompare(b.delegation) || a.seat_name.localeCompare(b.seat_name) || a.seat_of - b.seat_of,
  );
}
