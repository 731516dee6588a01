// @ts-check
// The console's "On the projector": what every projector link that is not pinned shows
// (projector.show), with a live preview of the projector when this browser holds its link.

import { $, h, replaceChildren, setText } from "./dom.js";

const FIXED = ["auto", "floor", "agenda", "join"];

function valueOf(choice) {
  if (!choice || choice.show === "auto") return "auto";
  if (choice.show === "round") return `round:${choice.round_id}`;
  if (choice.show === "demand") return `demand:${choice.demand_id}`;
  return choice.show;
}

function showingText(state, t) {
  const choice = state.projector || { show: "auto" };
  if (choice.show === "round") {
    const round = (state.rounds || []).find((r) => r.id === choice.round_id);
    return t("pv_showing_round", { title: round ? round.title : "" });
  }
  if (choice.show === "demand") {
    const demand = (state.demands || []).find((d) => d.id === choice.demand_id);
    return t("pv_showing_demand", { title: demand ? demand.title : "" });
  }
  return t(`pv_showing_${choice.show}`);
}

/** The arguments of projector.show for a value of the select ("round:12"). */
export function projectorArgs(value) {
  const [show, id] = value.split(":");
  if (show === "round") return { show, round_id: Number(id) };
  if (show === "demand") return { show, demand_id: Number(id) };
  return { show };
}

export function mountProjectorControl(live, t, run, say) {
  const form = $("#projector-form");
  const select = $("#projector-show");
  const showing = $("#projector-showing");
  if (!form || !select) return;
  let shownKey = null;

  live.subscribe((state) => {
    setText(showing, showingText(state, t));
    const rounds = (state.rounds || []).filter((r) => r.state !== "draft");
    const demands = (state.demands || []).filter((d) => !d.hidden && !["withdrawn", "merged"].includes(d.status));
    const key = JSON.stringify([rounds.map((r) => [r.id, r.title]), demands.map((d) => [d.id, d.title]), valueOf(state.projector)]);
    if (key === shownKey || document.activeElement === select) return;
    shownKey = key;
    replaceChildren(
      select,
      FIXED.map((v) => h("option", { value: v }, t(`pv_${v}`))),
      rounds.length ? h("optgroup", { label: t("pv_rounds") }, rounds.map((r) => h("option", { value: `round:${r.id}` }, r.title))) : null,
      demands.length ? h("optgroup", { label: t("pv_demands") }, demands.map((d) => h("option", { value: `demand:${d.id}` }, d.title))) : null,
    );
    select.value = valueOf(state.projector);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const ok = await run("projector.show", projectorArgs(select.value));
    if (ok !== undefined && ok !== null) say(t("pv_done"));
  });
}
