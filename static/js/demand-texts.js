// The text of demands (body and amendments), read when a screen shows a demand.
//
// The snapshot and events carry each demand's summary (state.demands: title, status,
// figures, an excerpt, its amendments' count and the pending ones' ids), never every body.
// A screen asks for the text of the demands it shows (`demands.list` with `ids`, a few at a
// time) and keeps it here, across snapshots: a reconnect reads again only what changed.
// Events carry what changed, never every amendment (docs/demands.md, "Events"): a new body
// (`text`), one `amendment`, the ids of the amendments `rebased` onto a new body and the
// `closed` ones' new status. What they leave unknown (a rebased amendment's new diff) is
// read again when the demand is shown; its body meanwhile is the new one.

const BATCH = 20; // ids per demands.list (its page holds up to 100)
const RETRY_MS = 2000;
// A text an event made stale (a rebased amendment's diff) is read again within this long, at
// a random moment: a hall of phones showing that demand do not all ask in the same instant,
// and a burst of changes to it is read once.
const SPREAD_MS = 1500;

/** What a demand's text depends on: a text read for another key is stale. */
export function textKey(d) {
  return `${d.version}|${d.amendment_count}|${(d.pending_amendments || []).join(",")}`;
}

/** Whether `amendments` are what `d` (a summary) says its amendments are. */
function matches(d, amendments) {
  const pending = amendments.filter((a) => a.status === "pending").map((a) => a.id);
  return amendments.length === d.amendment_count && pending.join(",") === (d.pending_amendments || []).join(",");
}

/** Conflicts are mutual and only between pending amendments: make every list say so. */
function mutualConflicts(amendments, changed) {
  const pending = new Set(amendments.filter((a) => a.status === "pending").map((a) => a.id));
  const partners = new Set(changed && changed.status === "pending" ? changed.conflicts_with || [] : []);
  return amendments.map((a) => {
    if (!pending.has(a.id)) return { ...a, conflicts_with: [] };
    if (changed && a.id === changed.id) return a;
    let ids = (a.conflicts_with || []).filter((id) => pending.has(id));
    if (partners.has(a.id) && !ids.includes(changed.id)) ids = [...ids, changed.id].sort((x, y) => x - y);
    return { ...a, conflicts_with: ids };
  });
}

export class DemandTexts {
  constructor(live) {
    this.live = live;
    // demand id → {key, version, body, body_html, amendments}: `key` (textKey) when the
    // amendments are current, null when only the body (of `version`) is
    this.texts = new Map();
    this.queue = new Set(); // ids to ask for
    this.asking = new Set(); // ids asked for, not answered yet
    this.missing = new Map(); // id → key the server did not answer for (hidden, gone)
    this.waiters = new Map(); // id → [resolve]
    this.timer = null;
    this.due = 0; // when the timer fires
  }

  /** The demand in full (summary and text); its summary with the body only (`amendments`
   * left out) while only its amendments are on their way; null while its text is not here. */
  get(d) {
    const text = d && this.texts.get(d.id);
    if (!text || text.version !== d.version) return null;
    if (text.key !== textKey(d)) return { ...d, body: text.body, body_html: text.body_html };
    return { ...d, body: text.body, body_html: text.body_html, amendments: text.amendments };
  }

  /** "" (nothing here), "body" or "full": what a view drawn from get(d) depends on. */
  mark(d) {
    const got = this.get(d);
    return !got ? "" : got.amendments ? "full" : "body";
  }

  /** get(d), and the text asked for unless all of it is here. */
  want(d) {
    const got = this.get(d);
    if (!d || (got && got.amendments)) return got;
    if (this.missing.get(d.id) !== textKey(d) && !this.asking.has(d.id)) {
      this.queue.add(d.id);
      this.schedule(got ? Math.random() * SPREAD_MS : 0);
    }
    return got;
  }

  /** A promise of the demand with its body (for a form that needs its body). */
  load(d) {
    const got = this.want(d);
    if (got) return Promise.resolve(got);
    return new Promise((resolve) => {
      const list = this.waiters.get(d.id) || [];
      list.push(resolve);
      this.waiters.set(d.id, list);
    });
  }

  schedule(ms) {
    const due = Date.now() + ms;
    if (this.timer !== null) {
      if (due >= this.due) return; // asked sooner than the read already due: bring it forward
      clearTimeout(this.timer);
    }
    this.due = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, ms);
  }

  async flush() {
    if (!this.live.socket || !this.live.socket.connected) {
      if (this.queue.size) this.schedule(RETRY_MS); // asked again on reconnect, or then
      return;
    }
    const ids = [...this.queue].slice(0, BATCH);
    if (!ids.length) return;
    for (const id of ids) {
      this.queue.delete(id);
      this.asking.add(id);
    }
    if (this.queue.size) this.schedule(0);
    let result;
    try {
      result = await this.live.command("demands.list", { ids, limit: BATCH });
    } catch (error) {
      for (const id of ids) {
        this.asking.delete(id);
        this.queue.add(id);
      }
      const wait = error && error.retry_after ? error.retry_after * 1000 : RETRY_MS;
      this.schedule(wait);
      return;
    }
    const answered = new Set();
    for (const d of result.demands || []) {
      answered.add(d.id);
      this.put(d);
    }
    for (const id of ids) {
      this.asking.delete(id);
      if (answered.has(id)) continue;
      const d = (this.live.state?.demands || []).find((x) => x.id === id);
      if (d) this.missing.set(id, textKey(d)); // not for this screen (hidden) or gone
    }
    this.live.notify();
  }

  /** Keep a full demand view (a command's reply, demands.get/list). */
  put(full) {
    this.texts.set(full.id, { key: textKey(full), version: full.version, body: full.body, body_html: full.body_html, amendments: full.amendments || [] });
    this.missing.delete(full.id);
    const waiting = this.waiters.get(full.id);
    if (waiting) {
      this.waiters.delete(full.id);
      const d = (this.live.state?.demands || []).find((x) => x.id === full.id) || full;
      const now = this.get(d) || full;
      for (const resolve of waiting) resolve(now);
    }
  }

  /**
   * Apply a demand.* or amendment.* event (after live.js applied it to the state).
   * `before`: the demand's summary before the event, to know whether what is kept here was
   * current then (only then can the event's changes be applied to it).
   * @param {import("./live-state.js").LiveEvent} event
   * @param {import("./demands-state.js").Demand | null} [before]
   */
  apply(event, before = null) {
    const { type, data } = event;
    if (!data || !(type.startsWith("demand.") || type.startsWith("amendment."))) return;
    const id = data.demand_id;
    if (data.hidden && !data.demand) {
      this.texts.delete(id); // hidden from this screen
      return;
    }
    const summary = data.demand;
    if (!summary) return;
    const text = this.texts.get(id);
    if (text && text.key !== null && text.key === textKey(summary)) return; // read after it already
    const wasCurrent = Boolean(text && text.key !== null && before && text.key === textKey(before));
    let amendments = wasCurrent ? text.amendments : null;
    if (data.text) {
      // The body changed as a whole. An older server (or an old event in the log) sent every
      // amendment with it: take them as they are.
      if (Array.isArray(data.text.amendments)) amendments = data.text.amendments;
      else if (summary.amendment_count === 0) amendments = [];
      else if (amendments) amendments = (data.rebased || []).length ? null : this.changed(amendments, data);
      this.keep(id, summary, data.text, amendments);
      return;
    }
    if (!text || text.version !== summary.version) return; // stale anyway: read again when shown
    if (amendments && data.amendment) amendments = this.changed(amendments, data);
    this.keep(id, summary, text, amendments);
  }

  /** `amendments` with the event's one `amendment` and the `closed` ones applied. */
  changed(amendments, data) {
    const byId = new Map(amendments.map((a) => [a.id, a]));
    for (const c of data.closed || []) {
      const a = byId.get(c.id);
      if (a) byId.set(c.id, { ...a, ...c });
    }
    if (data.amendment) byId.set(data.amendment.id, data.amendment);
    const list = [...byId.values()].sort((a, b) => a.id - b.id);
    return mutualConflicts(list, data.amendment && !data.text ? data.amendment : null);
  }

  keep(id, summary, words, amendments) {
    const current = amendments && matches(summary, amendments);
    this.texts.set(id, {
      key: current ? textKey(summary) : null,
      version: summary.version,
      body: words.body,
      body_html: words.body_html,
      amendments: current ? amendments : null,
    });
  }
}
