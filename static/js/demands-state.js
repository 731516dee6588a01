// @ts-check
// Demands in the live state (docs/demands.md, "Events"): applied by live-state.js's applyEvent,
// without any DOM, so every screen keeps `state.demands` the same way.

/** @import { LiveEvent, LiveState } from "./live-state.js" */

/**
 * A demand's summary as the snapshot and the events carry it (docs/demands.md); the text is
 * read apart (demand-texts.js). Only what the screens read is named here.
 * @typedef {object} Demand
 * @property {number} id
 * @property {number} position
 * @property {string} [title]
 * @property {string} [status]  draft, open, under_vote, adopted, rejected, withdrawn, merged
 * @property {boolean} [hidden]  hidden by the facilitators (with a reason)
 * @property {number | null} [item_id]  the agenda item it is under
 * @property {number} [author_id]
 * @property {number[]} [coauthor_ids]
 * @property {number | null} [merged_into]
 * @property {number} [version]
 * @property {number} [amendment_count]
 * @property {number[]} [pending_amendments]
 * @property {number} [supporters]
 * @property {number} [support_required]
 * @property {boolean} [can_go_to_vote]
 * @property {boolean} [supported_by]
 * @property {any} [agreement]
 */

/** @typedef {LiveState & {demands: Demand[]}} WithDemands */

const FIGURES = ["supporters", "support_required", "can_go_to_vote", "supported_by"];

/** @param {WithDemands} state */
function sortByPosition(state) {
  state.demands.sort((a, b) => a.position - b.position || a.id - b.id);
}

/**
 * @param {WithDemands} state
 * @param {Demand} demand
 */
function putDemand(state, demand) {
  const i = state.demands.findIndex((d) => d.id === demand.id);
  if (i >= 0) state.demands[i] = demand;
  else state.demands.push(demand);
  sortByPosition(state);
}

/**
 * @param {WithDemands} state
 * @param {number} id
 */
function dropDemand(state, id) {
  state.demands = state.demands.filter((d) => d.id !== id);
}

/**
 * @param {WithDemands} state
 * @param {number} id
 * @param {Record<string, any>} figures
 */
function mergeFigures(state, id, figures) {
  /** @type {Record<string, any> | undefined} */
  const demand = state.demands.find((d) => d.id === id);
  if (!demand) return;
  for (const key of FIGURES) if (key in figures) demand[key] = figures[key];
  if ("agreement" in figures) demand.agreement = figures.agreement;
}

/**
 * Apply a demand.*, demands.*, amendment.* or participant.updated event. Returns true when
 * the event was one of these (handled here), false otherwise.
 * @param {LiveState} state
 * @param {LiveEvent} event
 * @returns {boolean}
 */
export function applyDemandEvent(state, event) {
  const { type, data } = event;
  if (type === "participant.updated") {
    if (state.members && data && data.name !== undefined) {
      const member = state.members.find((m) => m.id === data.id);
      if (member) Object.assign(member, { name: data.name, role: data.role, caucus: data.caucus });
    }
    if (state.me && data && data.id === state.me.id && data.caucus !== undefined) state.me.caucus = data.caucus;
    return true;
  }
  const demandEvent = type.startsWith("demand.") || type.startsWith("amendment.");
  if (!demandEvent && !type.startsWith("demands.")) return false;
  if (!Array.isArray(state.demands)) state.demands = [];
  const withDemands = /** @type {WithDemands} */ (state);
  if (type === "demands.reordered") {
    /** @type {Map<number, number>} */
    const rank = new Map(data.order.map((/** @type {number} */ id, /** @type {number} */ i) => [id, i]));
    for (const d of withDemands.demands) if (rank.has(d.id)) d.position = /** @type {number} */ (rank.get(d.id));
    sortByPosition(withDemands);
    return true;
  }
  if (type === "demands.recounted") {
    for (const figures of data.demands || []) mergeFigures(withDemands, figures.demand_id, figures);
    return true;
  }
  if (!demandEvent || !data) return true;
  if (data.demand) {
    putDemand(withDemands, data.demand);
  } else if (data.hidden) {
    dropDemand(withDemands, data.demand_id); // hidden, or changed while hidden: not for this screen
    return true;
  } else if (type === "demand.support_changed" || type === "demand.agreement_changed") {
    mergeFigures(withDemands, data.demand_id, data);
  }
  if (type.startsWith("amendment.") && data.amendment_id) {
    // What the projector puts in the spotlight: the latest amendment that moved.
    state.demand_spotlight = { demand_id: data.demand_id, amendment_id: data.amendment_id, type, seq: event.seq };
  }
  return true;
}
