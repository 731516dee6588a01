// @ts-check
// The facilitator's decision rounds: create (method, options or demands, settings), open,
// close, turnout and who has not voted (named rounds), the live count, the result, the
// follow-up of a blocked consent round, and vote weights and proxies.

import { $, h, replaceChildren, setText } from "./dom.js";
import { currentItem } from "./views.js";
import { turnoutText } from "./rounds.js";
import { Bars, ONE_PROPOSAL, barRows, barScale, decisionText, methodName, namesText, optionLabel, roundTable, ruleText, storyList, thresholdText, tieRuleText, tieText } from "./tally-view.js";
import { chosenView } from "./projector-view.js";
import { methodOf, takes } from "./methods.js";

/**
 * @param {import("./live.js").LiveConnection} live
 * @param {(key: string, params?: object) => string} t  translations
 * @param {function} run  (name, args) → result or undefined (the console shows the error)
 * @param {function} say  (text, kind) → a message in the console's live region
 */
export function mountConsoleRounds(live, t, run, say, locale = "en") {
  const list = $("#rounds-list");
  const form = $("#round-new");
  let shownKey = null;
  const bars = new Map();
  let weightsKey = null;

  // -- the list of rounds ---------------------------------------------------------------------

  function followedPath(state, round) {
    if (round.followed_up) return round.followed_up;
    const next = (state.rounds || []).find((r) => r.follows_round_id === round.id);
    return next ? next.path : null;
  }

  // What the facilitator typed as the blocks' reasons, kept across live updates.
  const reasonsTyped = new Map();

  function followUp(state, round) {
    if (round.method !== "consent" || round.state !== "closed" || !round.result || round.result.passed) return null;
    const done = followedPath(state, round);
    // Back to amendments is not the end: once amended, the room consents again or votes.
    if (done && done !== "amend") return h("p", { class: "hint", "data-testid": "followed-up" }, t(`followed_${done}`));
    const threshold = thresholdText(state.convening.fallback_threshold || "3/4", t);
    const reasonsId = `follow-reasons-${round.id}`;
    const reasons = h("textarea", {
      id: reasonsId,
      rows: 2,
      maxlength: 2000,
      "data-key": reasonsId,
      "data-testid": "follow-reasons",
      oninput: (e) => reasonsTyped.set(round.id, e.target.value),
    });
    reasons.value = reasonsTyped.get(round.id) || "";
    const button = (path, text) =>
      h(
        "button",
        {
          type: "button",
          class: `button button-small ${path === "fallback" ? "button-primary" : ""}`.trim(),
          "data-key": `follow-${path}-${round.id}`,
          onclick: async () => {
            const result = await run("rounds.follow_up", { round_id: round.id, path, reasons: reasons.value });
            if (result !== undefined) {
              reasonsTyped.delete(round.id);
              say(t(`followed_${path}`));
            }
          },
        },
        text,
      );
    return h(
      "div",
      { class: "follow-up", role: "group", "aria-labelledby": `follow-title-${round.id}`, "data-testid": "follow-up" },
      h("p", { class: "follow-up-title", id: `follow-title-${round.id}` }, done ? t("follow_up_amended") : t("follow_up_title")),
      done ? null : h("label", { for: reasonsId }, t("follow_reasons"), " ", h("span", { class: "optional" }, t("follow_reasons_hint"))),
      done ? null : reasons,
      h("div", { class: "form-actions" }, done ? null : button("amend", t("follow_amend")), button("retry", t("follow_retry")), button("fallback", t("follow_fallback", { threshold }))),
    );
  }

  // The count paused on a tie (tie-break "room"): the tied options by label, and the one
  // the lot drawn in the room chose, entered here (rounds.draw_lot).
  function lotForm(round) {
    const pending = round.pending_lot;
    if (round.state !== "paused" || !pending) return null;
    const name = `lot-${round.id}-${pending.draw}`;
    const purpose = ["exclude", "elect", "surplus", "rank"].includes(pending.purpose) ? pending.purpose : "rank";
    const titleId = `${name}-title`;
    const choices = pending.pool.map((id) => {
      const inputId = `${name}-${id}`;
      return h("p", { class: "checkbox" }, h("input", { type: "radio", name, id: inputId, value: String(id), "data-testid": "lot-choice" }), h("label", { for: inputId }, optionLabel(round, id)));
    });
    const form = h(
      "form",
      {
        class: "lot-form",
        "data-testid": "lot-form",
        "aria-labelledby": titleId,
        onsubmit: async (event) => {
          event.preventDefault();
          const picked = /** @type {HTMLInputElement | null} */ (form.querySelector("input:checked"));
          if (!picked) {
            say(t("lot_pick_one"), "error");
            form.querySelector("input")?.focus();
            return;
          }
          const id = Number(picked.value);
          const button = form.querySelector("button");
          button.disabled = true;
          const result = await run("rounds.draw_lot", { round_id: round.id, option_id: id });
          button.disabled = false;
          if (result !== undefined) say(t("lot_entered", { label: optionLabel(round, id) }));
        },
      },
      h("p", { class: "lot-title", id: titleId }, t("lot_title", { round: pending.round, names: namesText(round, pending.pool, t) })),
      h("fieldset", { class: "radio-group" }, h("legend", {}, t(`lot_do_${purpose}`)), choices),
      h("button", { type: "submit", class: "button button-small button-primary", "data-key": `${name}-enter` }, t("lot_enter")),
    );
    return form;
  }

  function roundRow(state, round) {
    const title = round.title;
    const actions = [];
    if (round.state === "draft") {
      actions.push(
        h(
          "button",
          {
            type: "button",
            class: "button button-small button-primary",
            "data-key": `open-round-${round.id}`,
            "aria-label": t("open_round_label", { title }),
            onclick: async () => {
              const result = await run("rounds.open", { round_id: round.id });
              if (result !== undefined) say(t("round_opened", { title }));
              $(`[data-key="close-round-${round.id}"]`)?.focus();
            },
          },
          t("open_round"),
        ),
      );
    } else if (round.state === "open") {
      actions.push(
        h(
          "button",
          {
            type: "button",
            class: "button button-small button-danger",
            "data-key": `close-round-${round.id}`,
            "aria-label": t("close_round_label", { title }),
            onclick: async () => {
              const result = await run("rounds.close", { round_id: round.id });
              if (result !== undefined) say(t(result.state === "paused" ? "round_paused_msg" : "round_closed_msg", { title }));
            },
          },
          t("close_round"),
        ),
      );
    }
    const item = state.agenda.find((i) => i.id === round.agenda_item_id);
    const meta = [methodName(round.method, t), round.secret ? t("secret_round") : t("named_round")];
    if (item) meta.push(item.title);
    const barsBox = h("div", { class: "round-console-bars" });
    return h(
      "article",
      { class: `round-console state-${round.state}`, dataset: { id: round.id }, "data-testid": "console-round" },
      h(
        "div",
        { class: "round-console-head" },
        h(
          "div",
          { class: "round-console-text" },
          h("h3", { class: "round-console-title" }, title),
          h("p", { class: "muted round-console-meta" }, h("span", { class: `badge badge-round-${round.state}`, "data-testid": "round-state" }, t(`badge_${round.state}`)), " ", meta.join(" · ")),
        ),
        h("div", { class: "round-console-actions" }, actions),
      ),
      ONE_PROPOSAL.has(round.method) ? null : h("p", { class: "hint round-tie-rule", "data-testid": "tie-rule" }, tieRuleText(round, t)),
      round.state !== "draft" ? h("p", { class: "round-console-turnout", "data-testid": "console-turnout" }) : null,
      round.state === "open" && !round.secret ? h("p", { class: "round-not-voted muted", "data-testid": "not-voted" }) : null,
      round.state === "open" && round.live_results ? barsBox : null,
      lotForm(round),
      round.state === "closed"
        ? [
            h("p", { class: `round-decision ${round.result && round.result.passed === false ? "is-not-passed" : ""}`.trim(), "data-testid": "console-decision" }, decisionText(round, t)),
            h("div", { class: "round-console-projector", "data-testid": "round-projector" }),
            round.result && (round.result.tie_breaks || []).length
              ? h("ul", { class: "round-ties-console", "data-testid": "tie-notes" }, round.result.tie_breaks.map((tb) => h("li", { "data-testid": "tie-note" }, tieText(round, tb, t))))
              : null,
            ONE_PROPOSAL.has(round.method) ? h("p", { class: "hint" }, ruleText(round, t)) : null,
            storyList(round, t, locale),
            h("details", { class: "round-console-details" }, h("summary", {}, t("round_details")), roundTable(round, t, locale)),
            followUp(state, round),
          ]
        : null,
    );
  }

  function stripLive(round) {
    const { turnout, tally, ...rest } = round;
    return rest;
  }

  function renderList(state) {
    const rounds = [...(state.rounds || [])].sort((a, b) => b.id - a.id);
    const key = JSON.stringify([rounds.map(stripLive), state.agenda.map((i) => [i.id, i.title]), state.convening.fallback_threshold]);
    if (key !== shownKey) {
      shownKey = key;
      bars.clear();
      replaceChildren(list, rounds.length ? rounds.map((r) => roundRow(state, r)) : h("p", { class: "muted" }, t("no_rounds")));
    }
    for (const round of rounds) {
      const el = list.querySelector(`[data-id="${round.id}"]`);
      if (!el) continue;
      const turnoutEl = el.querySelector(".round-console-turnout");
      if (turnoutEl) setText(turnoutEl, round.state === "closed" && round.turnout ? t("turnout_closed", { voted: round.turnout.voted }) : turnoutText(round.turnout, t, locale));
      const slot = el.querySelector(".round-console-projector");
      if (slot) {
        const view = chosenView(state, live.serverNow());
        const on = view.mode === "round" && view.roundId === round.id ? "on" : "off";
        if (slot.dataset.on !== on) {
          slot.dataset.on = on;
          const title = round.title;
          replaceChildren(
            slot,
            on === "on"
              ? h(
                  "button",
                  {
                    type: "button",
                    class: "button button-small button-primary",
                    "data-key": `floor-back-${round.id}`,
                    onclick: async () => {
                      if ((await run("projector.show", { show: "auto" })) !== undefined) say(t("back_to_floor_done"));
                    },
                  },
                  t("back_to_floor"),
                )
              : h(
                  "button",
                  {
                    type: "button",
                    class: "button button-small",
                    "data-key": `on-projector-${round.id}`,
                    onclick: async () => {
                      if ((await run("projector.show", { show: "round", round_id: round.id })) !== undefined) say(t("pv_done"));
                    },
                  },
                  t("on_projector", { title }),
                ),
          );
        }
      }
      const notVoted = el.querySelector(".round-not-voted");
      if (notVoted && round.turnout && round.turnout.not_voted) {
        // the first 20 by name, and how many more (the people list's filter shows them all)
        const names = round.turnout.not_voted.map((m) => m.name).join(", ");
        const more = Math.max(0, (round.turnout.not_voted_count ?? 0) - round.turnout.not_voted.length);
        setText(notVoted, !names ? t("everyone_voted") : more ? t("not_voted_more", { names, n: more }) : t("not_voted", { names }));
      }
      const box = el.querySelector(".round-console-bars");
      const result = round.tally && round.tally.result;
      if (box && result) {
        if (!bars.has(round.id)) bars.set(round.id, new Bars(box, t, { testid: "console-bars" }));
        const index = 0; // first preferences while voting
        const rows = barRows(round, result, index, t, locale);
        bars.get(round.id).update(rows, barScale(round, result, rows));
      }
    }
  }

  // -- creating a round ---------------------------------------------------------------------

  const methodSelect = form.elements.method;

  // A field shows for the methods whose record takes its setting (data-setting: any of them).
  function showFields() {
    const method = methodSelect.value;
    for (const el of form.querySelectorAll("[data-setting]")) {
      el.hidden = !el.dataset.setting.split(" ").some((setting) => takes(method, setting));
    }
  }
  methodSelect.addEventListener("change", showFields);
  showFields();

  let demandsKey = null;
  function renderDemands(state) {
    const demands = (state.demands || []).filter((d) => !d.hidden && d.status === "open" && d.can_go_to_vote);
    const amendments = (state.demands || []).flatMap((d) => (d.pending_amendments || []).map((id) => ({ a: { id }, d })));
    const key = JSON.stringify([demands.map((d) => [d.id, d.title]), amendments.map(({ a }) => a.id)]);
    if (key === demandsKey) return;
    demandsKey = key;
    const box = $("#rn-demands");
    box.hidden = !demands.length && !amendments.length;
    const checked = new Set([...form.querySelectorAll("#rn-demands-list input:checked")].map((i) => i.value));
    replaceChildren(
      $("#rn-demands-list"),
      demands.map((d) => {
        const id = `rn-demand-${d.id}`;
        return h("p", { class: "checkbox" }, h("input", { type: "checkbox", id, value: `demand:${d.id}`, checked: checked.has(`demand:${d.id}`) }), h("label", { for: id }, d.title));
      }),
      amendments.map(({ a, d }) => {
        const id = `rn-amendment-${a.id}`;
        return h(
          "p",
          { class: "checkbox" },
          h("input", { type: "checkbox", id, value: `amendment:${a.id}`, checked: checked.has(`amendment:${a.id}`) }),
          h("label", { for: id }, t("amendment_option", { id: a.id, title: d.title })),
        );
      }),
    );
  }

  function renderItemNote(state) {
    const item = currentItem(state);
    setText($("#rn-item-note"), item ? t("for_item", { title: item.title }) : t("no_item"));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = form.elements;
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const method = f.method.value;
    const title = f.title.value.trim();
    if (!title) {
      f.title.setAttribute("aria-invalid", "true");
      say(t("title_missing"), "error");
      f.title.focus();
      return;
    }
    const options = f.options.value
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
      .map((label) => ({ label }));
    for (const input of form.querySelectorAll("#rn-demands-list input:checked")) {
      const [kind, id] = input.value.split(":");
      options.push(kind === "demand" ? { demand_id: Number(id) } : { amendment_id: Number(id) });
    }
    if (!options.length || (!methodOf(method).proposal && options.length < 2)) {
      f.options.setAttribute("aria-invalid", "true");
      say(t("options_required"), "error");
      f.options.focus();
      return;
    }
    const args = { title, method, options, secret: f.secret.checked, live_results: f.live_results.checked };
    if (takes(method, "seats") && f.seats.value) args.seats = Number(f.seats.value);
    if (takes(method, "rule")) args.rule = f.rule.value;
    if (takes(method, "tie_break") && f.tie_break.value !== "lot") args.tie_break = f.tie_break.value;
    if (takes(method, "threshold") && f.threshold.value) args.threshold = f.threshold.value;
    if (takes(method, "stand_aside_limit") && f.stand_aside_limit.value) args.stand_aside_limit = f.stand_aside_limit.value;
    if (takes(method, "quorum") && f.quorum.value.trim()) args.quorum = Number(f.quorum.value);
    if (f.deadline.value.trim()) args.closes_at = new Date(live.serverNow() + Number(f.deadline.value) * 60_000).toISOString();
    const item = currentItem(live.state);
    if (item) args.agenda_item_id = item.id;
    const button = form.querySelector('[type="submit"]');
    button.disabled = true;
    const round = await run("rounds.create", args);
    button.disabled = false;
    if (round === undefined) return;
    say(t("round_created", { title: round.title }));
    f.title.value = "";
    f.options.value = "";
    for (const input of form.querySelectorAll("#rn-demands-list input")) input.checked = false;
    // Ready to open: the new round's button takes the focus once the event arrives.
    const focusOpen = () => $(`[data-key="open-round-${round.id}"]`)?.focus();
    setTimeout(focusOpen, 300);
  });

  // -- vote weights and proxies ---------------------------------------------------------------

  // 1,500 participants: only while the panel is open, one page of rows (search for others),
  // and each proxy list is filled when it is used (a list of everyone in every row was N²).
  const WEIGHT_ROWS = 30;
  const weightsDetails = $("#round-weights-details");
  const weightsSearch = $("#weights-search");
  const fold = (text) => (text || "").normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
  weightsDetails.addEventListener("toggle", () => live.state && renderWeights(live.state));
  weightsSearch.addEventListener("input", () => live.state && renderWeights(live.state));

  function proxyChooser(id, member, people) {
    const carrier = people.find((p) => p.id === member.carried_by_id);
    const select = h(
      "select",
      { id },
      h("option", { value: "" }, t("nobody")),
      carrier ? h("option", { value: String(carrier.id), selected: true }, carrier.name) : null,
    );
    const fill = () => {
      if (select.dataset.filled) return;
      select.dataset.filled = "1";
      const chosen = select.value;
      replaceChildren(
        select,
        h("option", { value: "" }, t("nobody")),
        people.filter((p) => p.id !== member.id).map((p) => h("option", { value: String(p.id) }, p.name)),
      );
      select.value = chosen;
    };
    select.addEventListener("focus", fill);
    select.addEventListener("pointerdown", fill);
    return select;
  }

  function renderWeights(state) {
    if (!weightsDetails.open) return;
    const people = (state.members || []).filter((m) => m.role === "participant");
    const query = fold(weightsSearch.value).trim();
    const matching = query ? people.filter((m) => fold(m.name).includes(query)) : people;
    const shown = matching.slice(0, WEIGHT_ROWS);
    const key = JSON.stringify([people.length, matching.length, shown.map((m) => [m.id, m.name, m.vote_weight ?? 1, m.carried_by_id ?? null])]);
    if (key === weightsKey) return;
    const box = $("#round-weights");
    if (box.contains(document.activeElement) && document.activeElement.tagName !== "BUTTON") return; // typing
    weightsKey = key;
    setText($("#weights-count"), matching.length > shown.length ? t("weights_count", { shown: shown.length, n: matching.length }) : "");
    if (!people.length) {
      replaceChildren(box, h("li", { class: "muted member-empty" }, t("no_participants")));
      return;
    }
    replaceChildren(
      box,
      shown.map((m) => {
        const wid = `weight-${m.id}`;
        const pid = `proxy-${m.id}`;
        const weight = h("input", { id: wid, type: "number", min: 1, max: 10000, step: 1, inputmode: "numeric", value: String(m.vote_weight ?? 1), class: "weight-input" });
        const proxy = proxyChooser(pid, m, people);
        return h(
          "li",
          { class: "member weight-row", "data-testid": "weight-row", dataset: { id: m.id } },
          h("span", { class: "member-name" }, m.name),
          h("span", { class: "weight-field" }, h("label", { for: wid }, t("weight")), weight),
          h("span", { class: "weight-field" }, h("label", { for: pid }, t("carried_by")), proxy),
          h(
            "button",
            {
              type: "button",
              class: "button button-small",
              "data-key": `save-weight-${m.id}`,
              "aria-label": t("save_weight_label", { name: m.name }),
              onclick: async () => {
                const result = await run("members.set_weight", {
                  member_id: m.id,
                  vote_weight: Number(weight.value) || 1,
                  carried_by_id: proxy.value ? Number(proxy.value) : null,
                });
                if (result !== undefined) {
                  const member = (live.state.members || []).find((x) => x.id === m.id);
                  if (member) Object.assign(member, { vote_weight: result.vote_weight, carried_by_id: result.carried_by_id });
                  say(t("weight_saved", { name: m.name }));
                }
              },
            },
            t("save_weight"),
          ),
        );
      }),
    );
  }

  function render(state) {
    renderList(state);
    renderDemands(state);
    renderItemNote(state);
    renderWeights(state);
  }

  live.subscribe(render);
}
