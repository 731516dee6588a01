// Countdowns from the server's clock (see docs/realtime.md, "Timers").

/** Milliseconds left of a running item, negative when over time; null without a timebox. */
export function remainingMs(item, serverNow) {
  if (!item || !item.timebox_minutes || !item.started_at) return null;
  const timebox = item.timebox_minutes * 60_000;
  const end = Date.parse(item.started_at) + timebox;
  // The clock offset is measured to within the network delay: never show more than the timebox.
  return Math.min(end - serverNow, timebox);
}

/** 754_000 → "12:34", 3_723_000 → "1:02:03"; always of the absolute value. */
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

/** Call fn about every second, aligned to the second boundary, while the page is open. */
export function everySecond(fn) {
  let timer = null;
  const tick = () => {
    fn();
    timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  };
  tick();
  return () => clearTimeout(timer);
}

export function clockTime(iso, locale) {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
}
