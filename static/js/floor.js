// @ts-check
// The floor: speaker list, speaker timer and hand signals (docs/realtime.md, "floor").
// Shared pieces, and the floor of the phone and of the projector. The console's panel is in
// floor-console.js. Each view re-renders only when the floor itself changed; the timers and
// the signal bar update in place every second.

import { $, h, replaceChildren, setText } from "./dom.js";
import { everySecond, formatDuration } from "./timer.js";

export const SIGNALS = ["agree", "disagree", "clarify", "louder", "slower"];
export const OTHER_KINDS = ["point_of_order", "point_of_process", "clarifying_question", "direct_response"];
const URGENT = new Set(["point_of_order", "point_of_process"]);
/** The speaker's timer turns to a warning this long before the limit (every screen counts down itself). */
export const WARNING_MS = 30_000;
/** The projector counts the hand signals of the last ten seconds. */
export const SIGNAL_WINDOW_MS = 10_000;
/** The projector shows the speaker and this many after them, then "and N more". */
export const PROJECTOR_QUEUE = 5;
/** The projector shows this many of the next speakers (paged if they do not fit). */
export const PROJECTOR_QUEUE_BIG = 10;

export function kindLabel(kind, t) {
  return t(`kind_${kind}`);
}

/** Why someone stands where they do, in words; null when their kind badge says it already. */
export function reasonText(entry, t) {
  if (entry.kind !== "speak") return null;
  return t(`reason_${entry.reason}`);
}

/** 1 → "1st", 2 → "2nd" (the translation decides, per CLDR ordinal category). */
export function ordinal(n, t, locale) {
  let rule = "other";
  try {
    rule = new Intl.PluralRules(locale, { type: "ordinal" }).select(n);
  } catch {
    // an unknown locale: "other"
  }
  const key = `ordinal_${rule}`;
  const text = t(key, { n });
  return text === key ? t("ordinal_other", { n }) : text;
}

export function kindBadge(kind, t) {
  if (kind === "speak") return null;
  return h("span", { class: `kind-badge kind-${kind}`, "data-testid": "kind" }, kindLabel(kind, t));
}

export function progressiveNote(floor, t) {
  const mode = floor.settings && floor.settings.progressive;
  return mode === "item" || mode === "convening" ? t(`progressive_${mode}`) : "";
}

// -- the speaker's timer ---------------------------------------------------------------------

export function speakerTimerEl(extraClass = "") {
  return h(
    "p",
    { class: `speaker-timer ${extraClass}`.trim(), role: "timer", "data-testid": "speaker-timer" },
    h("span", { class: "speaker-timer-time" }),
    " ",
    h("span", { class: "speaker-timer-label" }),
  );
}

/**
 * Fill a speaker timer: with a limit, the time left (data-state ok | warning | over, then
 * "+0:12 over" counting up); without one, the time spoken so far (data-state ok).
 */
export function renderSpeakerTimer(el, speaker, serverNow, t) {
  if (!el) return;
  if (!speaker || !speaker.started_at) {
    el.hidden = true;
    return;
  }
  el.hidden = false;
  const started = Date.parse(speaker.started_at);
  let text;
  let label;
  let state = "ok";
  if (speaker.limit_seconds) {
    const limit = speaker.limit_seconds * 1000;
    // The clock offset is known to within the network delay: never more than the limit.
    const ms = Math.min(started + limit - serverNow, limit);
    if (ms >= 0) {
      text = formatDuration(Math.ceil(ms / 1000) * 1000);
      label = t("speaker_left");
      state = ms <= WARNING_MS ? "warning" : "ok";
    } else {
      text = `+${formatDuration(ms)}`;
      label = t("speaker_over");
      state = "over";
    }
  } else {
    text = formatDuration(Math.max(0, serverNow - started));
    label = t("speaker_elapsed");
  }
  setText(el.querySelector(".speaker-timer-time"), text);
  setText(el.querySelector(".speaker-timer-label"), label);
  if (el.dataset.state !== state) el.dataset.state = state;
}

// -- hand signals ----------------------------------------------------------------------------

/** The hand signals of the last few seconds, for the current speaker only; never names. */
export class SignalTally {
  constructor(windowMs = SIGNAL_WINDOW_MS) {
    this.windowMs = windowMs;
    this.recent = [];
  }

  add(message, now = Date.now()) {
    if (!message || !SIGNALS.includes(message.signal)) return;
    this.recent.push({ signal: message.signal, speaker: message.speaker_request_id ?? null, at: now });
    if (this.recent.length > 5000) this.recent.splice(0, this.recent.length - 5000);
  }

  /** {counts: {agree: 3, ...}, total, age (ms since the latest)} for this speaker. */
  read(speakerId, now = Date.now()) {
    const since = now - this.windowMs;
    this.recent = this.recent.filter((s) => s.at > since);
    const counts = {};
    let latest = 0;
    let total = 0;
    for (const s of this.recent) {
      if (s.speaker !== (speakerId ?? null)) continue;
      counts[s.signal] = (counts[s.signal] || 0) + 1;
      latest = Math.max(latest, s.at);
      total += 1;
    }
    return { counts, total, age: total ? now - latest : Infinity };
  }
}

export function signalBarEl(t, extraClass = "") {
  return h("div", {
    class: `signal-bar ${extraClass}`.trim(),
    "data-testid": "signal-bar",
    role: "img",
    "aria-label": t("signals_recent"),
    hidden: true,
  });
}

/** Update the bar in place: one chip per signal with a count; fades as the counts age. */
export function renderSignalBar(el, tally, speakerId, t, now = Date.now()) {
  if (!el) return;
  const { counts, total, age } = tally.read(speakerId, now);
  if (!total) {
    el.hidden = true;
    return;
  }
  el.hidden = false;
  const fade = age < 3000 ? "fresh" : age < 7000 ? "fading" : "old";
  if (el.dataset.fade !== fade) el.dataset.fade = fade;
  const key = JSON.stringify(counts);
  if (el.dataset.key === key) return;
  el.dataset.key = key;
  replaceChildren(
    el,
    SIGNALS.filter((s) => counts[s]).map((s) =>
      h(
        "span",
        { class: `signal-chip signal-${s}`, dataset: { signal: s } },
        h("span", { class: "signal-icon", "aria-hidden": "true" }),
        h("span", { class: "signal-name" }, t(`signal_${s}`)),
        " ",
        h("span", { class: "signal-count", "data-testid": `signal-count-${s}` }, String(counts[s])),
      ),
    ),
  );
}

// -- the projector -----------------------------------------------------------------------------

function projectorEntry(entry, t) {
  const reason = reasonText(entry, t);
  return h(
    "li",
    { class: `floor-entry kind-${entry.kind}`, dataset: { id: entry.id }, "data-testid": "queue-entry", "data-page-item": "" },
    h("span", { class: "floor-pos", "aria-hidden": "true" }, String(entry.position)),
    h(
      "span",
      { class: "floor-entry-text" },
      h("span", { class: "floor-name", "data-testid": "queue-name" }, entry.name),
      kindBadge(entry.kind, t),
      reason ? h("span", { class: "floor-reason", "data-testid": "reason" }, reason) : null,
    ),
  );
}

function projectorFloor(floor, t) {
  const speaker = floor.speaker;
  const shown = floor.queue.slice(0, PROJECTOR_QUEUE_BIG);
  const more = floor.queue.length - shown.length;
  return [
    h(
      "div",
      { class: "floor-speaker", "data-testid": "floor-speaker", hidden: !speaker },
      h("p", { class: "projector-eyebrow" }, t("speaking_now")),
      speaker
        ? h(
            "p",
            { class: "floor-speaker-name" },
            h("span", { "data-testid": "speaker-name" }, speaker.name),
            " ",
            kindBadge(speaker.kind, t),
          )
        : null,
      speakerTimerEl("speaker-timer-big"),
      signalBarEl(t),
    ),
    h(
      "div",
      { class: "floor-queue-head" },
      h("h2", { class: "floor-queue-title" }, t("queue_title")),
      floor.queue_open ? null : h("span", { class: "badge badge-closed", "data-testid": "queue-closed" }, t("queue_closed")),
    ),
    shown.length
      ? h("ol", { class: "floor-queue", "data-testid": "queue" }, shown.map((entry) => projectorEntry(entry, t)))
      : h("p", { class: "floor-empty" }, t("queue_empty")),
    more > 0 ? h("p", { class: "floor-more", "data-testid": "queue-more" }, t("queue_more", { n: more })) : null,
    progressiveNote(floor, t) ? h("p", { class: "floor-rule" }, progressiveNote(floor, t)) : null,
  ];
}

/** The projector's floor: the speaker with their timer and signals, the next few, why. */
export function mountProjectorFloor(live, t, el, view = () => ({ mode: "item" })) {
  const tally = new SignalTally();
  let shownKey = null;
  const panel = () => el;
  const speakerId = () => live.state?.floor?.speaker?.id ?? null;

  function render(state) {
    const floor = state.floor;
    const busy = view().mode === "item" && Boolean(floor && (floor.speaker || floor.queue.length || !floor.queue_open));
    const root = document.getElementById("live");
    if (root) root.dataset.floor = busy ? "true" : "false";
    panel().hidden = !busy;
    const key = busy ? JSON.stringify(floor) : "";
    if (key === shownKey) return;
    shownKey = key;
    replaceChildren(panel(), busy ? projectorFloor(floor, t) : []);
    tick();
  }

  function tick() {
    if (!live.state || panel().hidden) return;
    renderSpeakerTimer($(".speaker-timer", panel()), live.state.floor?.speaker, live.serverNow(), t);
    renderSignalBar($(".signal-bar", panel()), tally, speakerId(), t);
  }

  live.onSignal((message) => {
    tally.add(message);
    tick();
  });
  live.subscribe(render);
  everySecond(tick);
}

// -- the phone ---------------------------------------------------------------------------------

function mine(floor, me) {
  if (!floor) return null;
  if (floor.speaker && floor.speaker.member_id === me.id) return { ...floor.speaker, speaking: true };
  return floor.queue.find((entry) => entry.member_id === me.id) || null;
}

/** The phone's floor card: my place or my turn, raise and lower, the list, hand signals. */
export function mountPhoneFloor(live, t, locale, { card, body, status, announce }) {
  let shownKey = null;
  let lastPlace = "";
  const ui = { busy: false };
  let statusTimer = null;
  const say = (text) => {
    clearTimeout(statusTimer);
    setText(status, text);
    statusTimer = setTimeout(() => setText(status, ""), 5000);
  };

  async function send(name, args, done) {
    if (ui.busy) return;
    ui.busy = true;
    try {
      await live.command(name, args);
      if (done) say(done);
    } catch (error) {
      say(error.message || String(error));
    } finally {
      ui.busy = false;
    }
  }

  function myStatus(floor, me, request) {
    if (request && request.speaking) {
      return h(
        "div",
        { class: "floor-mine floor-mine-speaking", "data-testid": "my-floor" },
        h("p", { class: "floor-mine-title" }, t("you_speak")),
        speakerTimerEl("speaker-timer-phone"),
      );
    }
    if (request) {
      const place = request.position === 1 ? t("you_are_next") : t("you_are_place", { place: ordinal(request.position, t, locale) });
      return h(
        "div",
        { class: "floor-mine floor-mine-waiting", "data-testid": "my-floor" },
        h("p", { class: "floor-mine-title", "data-testid": "my-place" }, place),
        request.kind !== "speak" ? h("p", { class: "floor-mine-kind" }, t("your_request", { kind: kindLabel(request.kind, t) })) : null,
        h(
          "button",
          {
            type: "button",
            class: "button button-block",
            "data-key": "floor-lower",
            onclick: () => send("floor.lower", { request_id: request.id }, t("hand_lowered")),
          },
          t("lower_hand"),
        ),
      );
    }
    const open = floor.queue_open;
    const speaking = Boolean(floor.speaker);
    const kinds = OTHER_KINDS.filter((k) => k !== "direct_response" || floor.settings.allow_direct_responses);
    return h(
      "div",
      { class: "floor-mine", "data-testid": "my-floor" },
      open ? null : h("p", { class: "floor-closed-note", "data-testid": "queue-closed" }, t("queue_closed_note")),
      h(
        "button",
        {
          type: "button",
          class: "button button-primary button-block button-raise",
          "data-key": "floor-raise",
          disabled: !open,
          onclick: () => send("floor.raise", { kind: "speak" }, t("hand_raised")),
        },
        t("raise_hand"),
      ),
      h(
        "div",
        { class: "floor-kinds", role: "group", "aria-label": t("other_kinds") },
        kinds.map((kind) =>
          h(
            "button",
            {
              type: "button",
              class: `button button-small kind-button kind-${kind}`,
              "data-key": `floor-raise-${kind}`,
              disabled: (!open && !URGENT.has(kind)) || (kind === "direct_response" && !speaking),
              "aria-describedby": kind === "direct_response" && !speaking ? "floor-direct-hint" : null,
              onclick: () => send("floor.raise", { kind }, t("hand_raised")),
            },
            kindLabel(kind, t),
          ),
        ),
      ),
      kinds.includes("direct_response") && !speaking
        ? h("p", { class: "hint", id: "floor-direct-hint" }, t("direct_needs_speaker"))
        : null,
    );
  }

  function queueList(floor, me) {
    const entries = floor.queue;
    if (!entries.length) return h("p", { class: "muted floor-empty" }, t("queue_empty"));
    const shown = entries.slice(0, PROJECTOR_QUEUE);
    const myEntry = entries.find((e) => e.member_id === me.id);
    if (myEntry && !shown.includes(myEntry)) shown.push(myEntry);
    const more = entries.length - shown.length;
    return [
      h(
        "ol",
        { class: "floor-queue floor-queue-phone", "data-testid": "queue" },
        shown.map((entry) =>
          h(
            "li",
            { class: `floor-entry kind-${entry.kind} ${entry.member_id === me.id ? "is-me" : ""}`.trim(), "data-testid": "queue-entry" },
            h("span", { class: "floor-pos", "aria-hidden": "true" }, String(entry.position)),
            h(
              "span",
              { class: "floor-entry-text" },
              h("span", { class: "floor-name", "data-testid": "queue-name" }, entry.name),
              kindBadge(entry.kind, t),
            ),
          ),
        ),
      ),
      more > 0 ? h("p", { class: "floor-more muted" }, t("queue_more", { n: more })) : null,
    ];
  }

  function signals(floor, me) {
    if (!floor.speaker || floor.speaker.member_id === me.id) return null;
    return h(
      "div",
      { class: "floor-signals", role: "group", "aria-labelledby": "signals-title" },
      h("h3", { class: "section-label", id: "signals-title" }, t("signals_title")),
      h(
        "div",
        { class: "signal-buttons" },
        SIGNALS.map((s) =>
          h(
            "button",
            {
              type: "button",
              class: `button signal-button signal-${s}`,
              "data-key": `signal-${s}`,
              "data-testid": `signal-${s}`,
              onclick: async () => {
                try {
                  const reply = await live.command("floor.signal", { signal: s });
                  if (reply && reply.accepted) say(t("signal_sent", { signal: t(`signal_${s}`) }));
                } catch (error) {
                  say(error.message || String(error));
                }
              },
            },
            h("span", { class: "signal-icon", "aria-hidden": "true" }),
            t(`signal_${s}`),
          ),
        ),
      ),
      h("p", { class: "hint" }, t("signals_hint")),
    );
  }

  function render(state) {
    const floor = state.floor;
    card.hidden = !floor;
    const key = floor ? JSON.stringify([floor, state.me.id]) : "";
    if (key === shownKey) return;
    shownKey = key;
    if (!floor) {
      replaceChildren(body);
      return;
    }
    const request = mine(floor, state.me);
    // Say a change of place (or turn) once, in the polite live region.
    const place = !request ? "" : request.speaking ? t("you_speak") : request.position === 1 ? t("you_are_next") : t("you_are_place", { place: ordinal(request.position, t, locale) });
    if (place && place !== lastPlace) setText(announce, place);
    lastPlace = place;
    card.dataset.mine = request ? (request.speaking ? "speaking" : "waiting") : "none";
    replaceChildren(
      body,
      floor.speaker && !(request && request.speaking)
        ? h(
            "p",
            { class: "floor-now", "data-testid": "floor-speaker" },
            h("span", { class: "muted" }, `${t("speaking_now")}: `),
            h("strong", { "data-testid": "speaker-name" }, floor.speaker.name),
            " ",
            kindBadge(floor.speaker.kind, t),
          )
        : null,
      myStatus(floor, state.me, request),
      signals(floor, state.me),
      h("h3", { class: "section-label floor-list-title" }, t("queue_waiting")),
      queueList(floor, state.me),
      progressiveNote(floor, t) ? h("p", { class: "hint floor-rule" }, progressiveNote(floor, t)) : null,
    );
    tick();
  }

  function tick() {
    const floor = live.state?.floor;
    if (!floor) return;
    renderSpeakerTimer($(".speaker-timer", body), floor.speaker, live.serverNow(), t);
  }

  live.subscribe(render);
  everySecond(tick);
}
