// @ts-check
// The facilitator's floor panel: call the next speaker, reorder (keyboard up/down, like the
// agenda editor), take requests off, close and reopen the list, the rules, hand signals
// and speaking statistics.

import { $, h, moved, replaceChildren, setText, smallButton } from "./dom.js";
import {
  SignalTally,
  kindBadge,
  progressiveNote,
  reasonText,
  renderSignalBar,
  renderSpeakerTimer,
  signalBarEl,
  speakerTimerEl,
} from "./floor.js";
import { everySecond, formatDuration } from "./timer.js";

/**
 * @param {import("./live.js").LiveConnection} live
 * @param {function} t  translations
 * @param {function} run  (name, args) → result or undefined (the console shows the error)
 * @param {function} say  (text) → a message in the console's live region
 */
export function mountConsoleFloor(live, t, run, say) {
  const panel = $("#floor-panel");
  const tally = new SignalTally();
  let shownKey = null;
  let lastSpeakerId = null;

  // -- the list ------------------------------------------------------------------------------

  function move(floor, entry, delta) {
    const order = moved(floor.queue.map((e) => e.id), entry.id, delta);
    if (order) run("floor.reorder", { order });
  }

  function entryRow(floor, entry, index) {
    const queue = floor.queue;
    // Points of order, direct responses and clarifying questions keep their place: only
    // plain requests to speak move, and only among themselves.
    const movable = entry.kind === "speak";
    const canUp = movable && index > 0 && queue[index - 1].kind === "speak";
    const canDown = movable && index < queue.length - 1 && queue[index + 1].kind === "speak";
    const reason = reasonText(entry, t);
    const name = entry.name;
    return h(
      "li",
      { class: `floor-row kind-${entry.kind}`, dataset: { id: entry.id }, "data-testid": "queue-entry" },
      h("span", { class: "agenda-number", "aria-hidden": "true" }, String(entry.position)),
      h(
        "span",
        { class: "floor-row-text" },
        h("span", { class: "floor-name", "data-testid": "queue-name" }, name),
        " ",
        kindBadge(entry.kind, t),
        reason ? h("span", { class: "floor-reason muted" }, reason) : null,
      ),
      h(
        "span",
        { class: "floor-row-actions" },
        movable
          ? [
              smallButton(`fup-${entry.id}`, t("move_entry_up", { name }), "↑", () => move(floor, entry, -1), {
                disabled: !canUp,
                fallback: `fdown-${entry.id}`,
                cls: "button-icon",
              }),
              smallButton(`fdown-${entry.id}`, t("move_entry_down", { name }), "↓", () => move(floor, entry, 1), {
                disabled: !canDown,
                fallback: `fup-${entry.id}`,
                cls: "button-icon",
              }),
            ]
          : null,
        smallButton(
          `fremove-${entry.id}`,
          t("remove_entry", { name }),
          t("remove"),
          async () => {
            const ok = await run("floor.lower", { request_id: entry.id });
            if (ok !== undefined) say(t("entry_removed", { name }));
            // Keep the keyboard in the list: the next row's (or the last row's) remove button.
            const rows = [...$("#floor-queue").querySelectorAll("[data-key^='fremove-']")];
            (rows[Math.min(index, rows.length - 1)] || $("[data-key='floor-next']"))?.focus();
          },
          { cls: "button-danger-quiet" },
        ),
      ),
    );
  }

  function liveArea(floor) {
    if (!floor) return [h("p", { class: "muted" }, t("floor_no_item"))];
    const speaker = floor.speaker;
    const next = floor.queue[0];
    return [
      h(
        "div",
        { class: "floor-console-speaker", "data-testid": "floor-speaker" },
        speaker
          ? [
              h(
                "p",
                { class: "floor-console-name" },
                h("span", { class: "muted" }, `${t("speaking_now")}: `),
                h("strong", { "data-testid": "speaker-name" }, speaker.name),
                " ",
                kindBadge(speaker.kind, t),
              ),
              speakerTimerEl("speaker-timer-console"),
              signalBarEl(t, "signal-bar-small"),
            ]
          : h("p", { class: "muted" }, t("nobody_speaking")),
      ),
      h(
        "div",
        { class: "now-actions" },
        next || speaker
          ? h(
              "button",
              {
                type: "button",
                class: "button button-primary",
                "data-key": "floor-next",
                onclick: async () => {
                  const state = await run("floor.next", {});
                  if (state && state.speaker) say(t("called", { name: state.speaker.name }));
                },
              },
              next ? t("call_next", { name: next.name }) : t("finish_speaker", { name: speaker.name }),
            )
          : null,
        h(
          "button",
          {
            type: "button",
            class: "button",
            "data-key": "floor-open-close",
            onclick: () => run(floor.queue_open ? "floor.close" : "floor.open", {}),
          },
          floor.queue_open ? t("close_queue") : t("open_queue"),
        ),
      ),
      floor.queue.length ? null : h("p", { class: "muted floor-empty" }, t("queue_empty")),
      progressiveNote(floor, t) ? h("p", { class: "hint" }, progressiveNote(floor, t)) : null,
    ];
  }

  function render(state) {
    const floor = state.floor;
    const badge = $("#floor-open-badge");
    badge.hidden = !floor;
    if (floor) {
      setText(badge, floor.queue_open ? t("floor_open") : t("floor_closed"));
      badge.className = `badge ${floor.queue_open ? "badge-open" : "badge-closed"}`;
    }
    renderRules(state);
    const key = JSON.stringify(floor);
    if (key === shownKey) return;
    shownKey = key;
    replaceChildren($("#floor-live"), liveArea(floor));
    replaceChildren($("#floor-queue"), floor ? floor.queue.map((entry, i) => entryRow(floor, entry, i)) : []);
    const speakerId = floor?.speaker?.id ?? null;
    if (speakerId !== lastSpeakerId) {
      lastSpeakerId = speakerId;
      if ($("#floor-stats-details").open) loadStats();
    }
    tick();
  }

  function tick() {
    const floor = live.state?.floor;
    if (!floor) return;
    renderSpeakerTimer($(".speaker-timer", panel), floor.speaker, live.serverNow(), t);
    renderSignalBar($(".signal-bar", panel), tally, floor.speaker?.id ?? null, t);
  }

  // -- rules -----------------------------------------------------------------------------------

  const rules = $("#floor-rules");
  const itemRules = $("#floor-item-rules");
  let rulesDirty = false;
  let itemRulesDirty = false;
  let itemRulesFor = null;
  rules.addEventListener("input", () => (rulesDirty = true));
  itemRules.addEventListener("input", () => (itemRulesDirty = true));

  function limitValue(input) {
    const raw = input.value.trim();
    if (raw === "") return null;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 10 || n > 3600) return undefined;
    return n;
  }

  function renderRules(state) {
    const c = state.convening;
    if (!rulesDirty) {
      rules.elements.speaker_limit_seconds.value = c.speaker_limit_seconds ?? "";
      for (const radio of rules.querySelectorAll('[name="progressive"]')) radio.checked = radio.value === (c.progressive || "off");
      rules.elements.allow_direct_responses.checked = c.allow_direct_responses !== false;
    }
    const item = state.agenda.find((i) => i.id === state.current_item_id);
    itemRules.hidden = !item;
    if (!item) return;
    if (itemRulesFor !== item.id) itemRulesDirty = false;
    itemRulesFor = item.id;
    setText($("#fir-title"), t("item_rules_title", { title: item.title }));
    if (!itemRulesDirty) {
      itemRules.elements.progressive.value = item.progressive || "";
      itemRules.elements.speaker_limit_seconds.value = item.speaker_limit_seconds ?? "";
    }
  }

  function badLimit(input) {
    input.setAttribute("aria-invalid", "true");
    say(t("limit_invalid"), "error");
    input.focus();
  }

  rules.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = rules.elements;
    const limit = limitValue(f.speaker_limit_seconds);
    if (limit === undefined) return badLimit(f.speaker_limit_seconds);
    f.speaker_limit_seconds.removeAttribute("aria-invalid");
    const checked = rules.querySelector('[name="progressive"]:checked');
    const result = await run("convening.update", {
      speaker_limit_seconds: limit,
      progressive: checked ? checked.value : "off",
      allow_direct_responses: f.allow_direct_responses.checked,
    });
    if (result !== undefined) {
      rulesDirty = false;
      say(t("rules_saved"));
      renderRules(live.state);
    }
  });

  itemRules.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = itemRules.elements;
    const limit = limitValue(f.speaker_limit_seconds);
    if (limit === undefined) return badLimit(f.speaker_limit_seconds);
    f.speaker_limit_seconds.removeAttribute("aria-invalid");
    const result = await run("agenda.edit", {
      item_id: itemRulesFor,
      progressive: f.progressive.value || null,
      speaker_limit_seconds: limit,
    });
    if (result !== undefined) {
      itemRulesDirty = false;
      say(t("rules_saved"));
      renderRules(live.state);
    }
  });

  // -- statistics ------------------------------------------------------------------------------

  const statsDetails = $("#floor-stats-details");
  const statsBox = $("#floor-stats");
  let loading = false;

  const seconds = (s) => formatDuration(s * 1000);

  function summary(stats) {
    const pair = (label, value) => [h("dt", {}, label), h("dd", {}, String(value))];
    return h(
      "dl",
      { class: "stats-summary" },
      pair(t("stats_spoke"), stats.speakers),
      pair(t("stats_first"), stats.first_time_speakers),
      pair(t("stats_turns"), stats.speeches),
      pair(t("stats_total"), seconds(stats.total_seconds)),
    );
  }

  function people(stats, caption) {
    if (!stats.per_person.length) return null;
    return h(
      "table",
      { class: "stats-table" },
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("stats_person")), h("th", { scope: "col" }, t("stats_time")))),
      h(
        "tbody",
        {},
        stats.per_person.map((p) => h("tr", {}, h("th", { scope: "row" }, p.name), h("td", {}, seconds(p.seconds)))),
      ),
    );
  }

  async function loadStats() {
    if (loading) return;
    loading = true;
    statsBox.setAttribute("aria-busy", "true");
    if (!statsBox.childElementCount) replaceChildren(statsBox, h("p", { class: "muted" }, t("stats_loading")));
    const stats = await run("floor.stats", {});
    loading = false;
    statsBox.removeAttribute("aria-busy");
    if (!stats) return;
    if (!stats.convening.speeches) {
      replaceChildren(statsBox, h("p", { class: "muted" }, t("stats_empty")));
      return;
    }
    replaceChildren(
      statsBox,
      h("h4", {}, t("stats_meeting")),
      summary(stats.convening),
      people(stats.convening, t("stats_meeting")),
      h("h4", {}, t("stats_items")),
      stats.items.map((item) =>
        h(
          "details",
          { class: "stats-item", "data-testid": "stats-item" },
          h("summary", {}, h("span", { class: "stats-item-title" }, item.title), " ", h("span", { class: "muted" }, `${t("stats_spoke")}: ${item.speakers} · ${seconds(item.total_seconds)}`)),
          summary(item),
          people(item, item.title),
        ),
      ),
    );
  }

  statsDetails.addEventListener("toggle", () => {
    if (statsDetails.open) loadStats();
  });
  $("#floor-stats-refresh").addEventListener("click", loadStats);

  live.onSignal((message) => {
    tally.add(message);
    tick();
  });
  live.subscribe(render);
  everySecond(tick);
}
