// @ts-check
// What a projector shows, from the state, the time and the view its link is pinned to (if
// any). Shared by the projector (projector.js) and the console's "On the projector".

import { settledAt, shownRounds } from "./rounds.js";

/** @import { Round } from "./rounds-state.js" */
import { currentItem } from "./views.js";

/**
 * What this projector shows now: {mode, roundId, demandId}. mode is before (how to join,
 * before the first item), join, item (the item, with its floor and demands), round, demand
 * or agenda.
 */
export function chosenView(state, now, pinned = null) {
  const choice = pinned || state.projector || { show: "auto" };
  const started = Boolean(state.convening.started_at);
  switch (choice.show) {
    case "join":
      return { mode: "join" };
    case "agenda":
      return { mode: "agenda" };
    case "floor":
      return { mode: "item", demands: false };
    case "demand":
      if ((state.demands || []).some((d) => d.id === choice.demand_id)) return { mode: "demand", demandId: choice.demand_id };
      break;
    case "round":
      if (choice.round_id === null && pinned) {
        const open = (state.rounds || []).find((r) => r.state === "open");
        if (open) return { mode: "round", roundId: open.id };
      }
      if ((state.rounds || []).some((r) => r.id === choice.round_id)) return { mode: "round", roundId: choice.round_id };
      break;
    default:
      break;
  }
  // auto: an open round, or one whose count waits for a lot drawn in the room (the room
  // sees which options are tied); a closed round of this item, for result_seconds after its
  // result was settled (the close, or the last lot entered after a pause). "Back to the
  // floor" (auto chosen again) keeps results settled before it off the screen.
  const auto = state.projector || {};
  const hold = (auto.result_seconds ?? 90) * 1000;
  const since = auto.since ? Date.parse(auto.since) : 0;
  const current = state.current_item_id ?? null;
  /** @param {Round} r */
  const fresh = (r) => {
    const at = settledAt(r);
    return now - at < hold && at > since;
  };
  const round = shownRounds(state).find((r) => r.state === "open" || r.state === "paused" || ((r.agenda_item_id ?? null) === current && fresh(r)));
  if (round) return { mode: "round", roundId: round.id };
  if (!started && !currentItem(state)) return { mode: "before" };
  return { mode: "item", demands: true };
}

