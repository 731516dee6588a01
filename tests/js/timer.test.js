// Countdowns from the server's clock: an item's timebox and a speaker's limit
// (static/js/timer.js, static/js/floor.js; docs/realtime.md, "Timers").
import assert from "node:assert/strict";
import { mock, test } from "node:test";

import { renderSpeakerTimer } from "../../static/js/floor.js";
import { everySecond, formatDuration, remainingMs, renderCountdown } from "../../static/js/timer.js";

const START = Date.parse("2026-05-01T18:00:00Z");
const item = { timebox_minutes: 10, started_at: "2026-05-01T18:00:00Z" };

/** An element with the parts the renderers fill (querySelector by class). */
function fakeTimer(...classes) {
  const parts = Object.fromEntries(classes.map((c) => [c, { textContent: "" }]));
  return { hidden: false, dataset: {}, textContent: "", parts, querySelector: (sel) => parts[sel.slice(1)] || null };
}

test("time left of an item, from the server's clock", () => {
  assert.equal(remainingMs(item, START + 4 * 60_000), 6 * 60_000);
  assert.equal(remainingMs(item, START + 11 * 60_000), -60_000, "over time: negative");
  assert.equal(remainingMs({ timebox_minutes: null, started_at: item.started_at }, START), null);
  assert.equal(remainingMs({ timebox_minutes: 10, started_at: null }, START), null);
  assert.equal(remainingMs(null, START), null);
});

test("a clock a little behind the server's never shows more than the timebox", () => {
  assert.equal(remainingMs(item, START - 5_000), 10 * 60_000);
});

test("durations read m:ss or h:mm:ss, of the absolute value", () => {
  assert.equal(formatDuration(754_000), "12:34");
  assert.equal(formatDuration(3_723_000), "1:02:03");
  assert.equal(formatDuration(59_999), "0:59");
  assert.equal(formatDuration(-61_000), "1:01");
  assert.equal(formatDuration(0), "0:00");
});

test("the countdown rounds up while time remains: 0:00 exactly when time is up", () => {
  const el = fakeTimer("countdown-time", "countdown-label");
  const t = (key) => `[${key}]`;
  renderCountdown(el, item, START + 60_000 + 400, t);
  assert.deepEqual([el.parts["countdown-time"].textContent, el.parts["countdown-label"].textContent, el.dataset.state], ["9:00", "[left]", "ok"]);
  renderCountdown(el, item, START + 9 * 60_000 + 1, t);
  assert.deepEqual([el.parts["countdown-time"].textContent, el.dataset.state], ["1:00", "soon"]);
  renderCountdown(el, item, START + 10 * 60_000 - 1, t);
  assert.equal(el.parts["countdown-time"].textContent, "0:01");
  renderCountdown(el, item, START + 10 * 60_000, t);
  assert.deepEqual([el.parts["countdown-time"].textContent, el.dataset.state], ["0:00", "soon"]);
  renderCountdown(el, item, START + 10 * 60_000 + 65_000, t);
  assert.deepEqual([el.parts["countdown-time"].textContent, el.parts["countdown-label"].textContent, el.dataset.state], ["+1:05", "[over]", "over"]);
});

test("no timebox hides the countdown; an element without parts gets the time itself", () => {
  const el = fakeTimer();
  renderCountdown(el, { started_at: item.started_at }, START, String);
  assert.equal(el.hidden, true);
  renderCountdown(el, item, START + 30_000, String);
  assert.equal(el.hidden, false);
  assert.equal(el.textContent, "9:30");
});

test("a speaker's limit counts down, warns in the last 30 s, then counts up over", () => {
  const el = fakeTimer("speaker-timer-time", "speaker-timer-label");
  const speaker = { started_at: "2026-05-01T18:00:00Z", limit_seconds: 120 };
  const read = () => [el.parts["speaker-timer-time"].textContent, el.parts["speaker-timer-label"].textContent, el.dataset.state];
  renderSpeakerTimer(el, speaker, START + 10_500, String);
  assert.deepEqual(read(), ["1:50", "speaker_left", "ok"]);
  renderSpeakerTimer(el, speaker, START + 95_000, String);
  assert.deepEqual(read(), ["0:25", "speaker_left", "warning"]);
  renderSpeakerTimer(el, speaker, START + 127_000, String);
  assert.deepEqual(read(), ["+0:07", "speaker_over", "over"]);
  renderSpeakerTimer(el, speaker, START - 3_000, String);
  assert.equal(read()[0], "2:00", "a clock behind the server's: never more than the limit");
});

test("a speaker without a limit shows the time spoken; no speaker hides the timer", () => {
  const el = fakeTimer("speaker-timer-time", "speaker-timer-label");
  renderSpeakerTimer(el, { started_at: "2026-05-01T18:00:00Z", limit_seconds: null }, START + 75_000, String);
  assert.deepEqual([el.parts["speaker-timer-time"].textContent, el.parts["speaker-timer-label"].textContent, el.dataset.state], ["1:15", "speaker_elapsed", "ok"]);
  renderSpeakerTimer(el, null, START, String);
  assert.equal(el.hidden, true);
});

test("everySecond ticks at once, then on each second boundary, until stopped", () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 10_300 });
  try {
    let ticks = 0;
    const stop = everySecond(() => (ticks += 1));
    assert.equal(ticks, 1);
    mock.timers.tick(704);
    assert.equal(ticks, 1, "not before the boundary (+5 ms)");
    mock.timers.tick(1);
    assert.equal(ticks, 2);
    mock.timers.tick(1000);
    assert.equal(ticks, 3);
    stop();
    mock.timers.tick(5000);
    assert.equal(ticks, 3);
  } finally {
    mock.timers.reset();
  }
});
