// The text of demands (body and amendments), read when a screen shows a demand.
//
// The snapshot and events carry each demand's summary (state.demands: title, status,
// figures, an excerpt, its amendments' count and the pending ones' ids), never every body.
// A screen asks for the text of the demands it shows (`demands.list` with `ids`, a few at a
// time) and keeps it here, across snapshots: a reconnect reads again only what changed.
// Events that change a text carry it (`text`, or one `amendment` with the pending ones'
// `conflicts`), so open views stay current without asking again (docs/demands.md).

const BATCH = 20; // ids per demands.list (its page holds up to 100)
const RETRY_MS = 2000;

/** What a demand's text depends on: a text read for another key is stale. */
export function textKey(d) {
  return `${d.version}|${d.amendment_count}|${(d.pending_amendments || []).join(",")}`;
}

export class DemandTexts {
  constructor(live) {
    this.live = live;
    this.texts = new Map(); // demand id → {key, body, body_html, amendments}
    this.queue = new Set(); // ids to ask for
    this.asking = new Set(); // ids asked for, not answered yet
    this.missing = new Map(); // id → key the server did not answer for (hidden, gone)
    this.waiters = new Map(); // id → [resolve]
    this.timer = null;
  }

  /** The demand in full (summary and text), or null while its text is not here. */
  get(d) {
    const text = d && this.texts.get(d.id);
    if (!text || text.key !== textKey(d)) return null;
    const { key, ...words } = text;
    return { ...d, ...words };
  }

  /** The demand in full if its text is here; otherwise null, and its text is asked for. */
  want(d) {
    const full = this.get(d);
    if (full || !d) return full;
    if (this.missing.get(d.id) !== textKey(d) && !this.asking.has(d.id)) {
      this.queue.add(d.id);
      this.schedule(0);
    }
    return null;
  }

  /** A promise of the demand in full (for a form that needs its body). */
  load(d) {
    const full = this.want(d);
    if (full) return Promise.resolve(full);
    return new Promise((resolve) => {
      const list = this.waiters.get(d.id) || [];
      list.push(resolve);
      this.waiters.set(d.id, list);
    });
  }

  schedule(ms) {
    if (this.timer !== null) return;
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
    let result = null;
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
    this.texts.set(full.id, { key: textKey(full), body: full.body, body_html: full.body_html, amendments: full.amendments || [] });
    this.missing.delete(full.id);
    const waiting = this.waiters.get(full.id);
    if (waiting) {
      this.waiters.delete(full.id);
      const d = (this.live.state?.demands || []).find((x) => x.id === full.id) || full;
      const now = this.get(d) || full;
      for (const resolve of waiting) resolve(now);
    }
  }

  /** Apply a demand.* or amendment.* event (after live.js applied it to the state). */
  apply(event) {
    const { type, data } = event;
    if (!data || !(type.startsWith("demand.") || type.startsWith("amendment."))) return;
    const id = data.demand_id;
    if (data.hidden && !data.demand) {
      this.texts.delete(id); // hidden from this screen
      return;
    }
    const summary = data.demand;
    if (!summary) return;
    if (data.text) {
      this.texts.set(id, { key: textKey(summary), ...data.text });
      return;
    }
    const text = this.texts.get(id);
    if (!text || !data.amendment) return;
    // One amendment changed (proposed, rejected, withdrawn): the body did not.
    const [version] = text.key.split("|");
    if (Number(version) !== summary.version) return; // stale anyway: read again when shown
    const amendments = text.amendments.filter((a) => a.id !== data.amendment.id);
    amendments.push(data.amendment);
    amendments.sort((a, b) => a.id - b.id);
    const conflicts = new Map((data.conflicts || []).map(([aid, ids]) => [aid, ids]));
    for (const a of amendments) {
      if (a.status === "pending") a.conflicts_with = conflicts.get(a.id) || [];
    }
    this.texts.set(id, { ...text, amendments, key: textKey(summary) });
  }
}
