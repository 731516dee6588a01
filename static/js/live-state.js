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
 * @property {any} [floor]
 * @property {any} [projector]
 * @property {any} [presence]
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
 * Apply one event to the state (the same rules for every screen; facilitators get more data).
 * @param {LiveState} state
 * @param {LiveEvent} event
 */
export function applyEvent(state, event) {
  const { type, data } = event;
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
      // Every other floor.* event carries the whole new speaker list: replace ours.
      if (type.startsWith("floor.") && data && "floor" in data) state.floor = data.floor;
      break; // an event this screen does not show (newer server): its seq still counts
  }
}
