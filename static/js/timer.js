// @ts-check
// Countdowns from the server's clock (see docs/realtime.md, "Timers").

/**
 * An agenda item's clock: its timebox and when it started (the server's time, ISO 8601).
 * @typedef {{timebox_minutes?: number | null, started_at?: string | null}} TimedItem
 */

/**
 * Milliseconds left of a running item, negative when over time; null without a timebox.
 * @param {TimedItem | null | undefined} item
 * @param {number} serverNow  the server's clock (LiveConnection.serverNow), ms since the epoch
 * @returns {number | null}
 */
export function remainingMs(item, serverNow) {
  if (!item || !item.timebox_minutes || !item.started_at) return null;
  const timebox = item.timebox_minutes * 60_000;
  const end = Date.parse(item.started_at) + timebox;
  // The clock offset is measured to within the network delay: never show more than the timebox.
  return Math.min(end - serverNow, timebox);
}

/**
 * 754_000 → "12:34", 3_723_000 → "1:02:03"; always of the absolute value.
 * @param {number} ms
 */
export function formatDuration(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, "0");
  if (hours) return `${hours}:${String(minutes).padStart(2, "0")}:${ss}`;
  return `${minutes}:${ss}`;
}

/**
 * Fill a countdown element: text "12:34", data-state ok | soon (last minute) | over.
 * Rounds up while time remains so "0:00" appears exactly when time is up.
 * @param {HTMLElement} el  with .countdown-time and .countdown-label inside, or the time itself
 * @param {TimedItem | null | undefined} item
 * @param {number} serverNow
 * @param {(key: string) => string} t
 */
export function renderCountdown(el, item, serverNow, t) {
  const ms = remainingMs(item, serverNow);
  if (ms === null) {
    el.hidden = true;
    return;
  }
  el.hidden = false;
  const shown = ms > 0 ? Math.ceil(ms / 1000) * 1000 : ms;
  const time = el.querySelector(".countdown-time") || el;
  const label = el.querySelector(".countdown-label");
  const text = (ms < 0 ? "+" : "") + formatDuration(shown);
  if (time.textContent !== text) time.textContent = text;
  if (label) label.textContent = ms < 0 ? t("over") : t("left");
  el.dataset.state = ms < 0 ? "over" : ms <= 60_000 ? "soon" : "ok";
}

/**
 * Call fn about every second, aligned to the second boundary, while the page is open.
 * Returns the function that stops it.
 * @param {() => void} fn
 */
export function everySecond(fn) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const tick = () => {
    fn();
    timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  };
  tick();
  return () => clearTimeout(timer);
}

/**
 * "14:05" in the page's language; "" without a time.
 * @param {string | null | undefined} iso
 * @param {string} [locale]
 */
export function clockTime(iso, locale) {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
}
