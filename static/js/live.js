// @ts-check
// One live connection per screen: snapshot, then events strictly in seq order, gaps filled
// by resync, commands and their replies (docs/realtime.md). What an event does to the state
// is live-state.js's applyEvent.

import { io } from "../vendor/socket.io/socket.io.esm.min.js";
import { DemandTexts } from "./demand-texts.js";
import { applyEvent, replayMemberEvent } from "./live-state.js";
import { applyRoundMessage } from "./rounds-state.js";

/** @import { LiveEvent, LiveState, Member } from "./live-state.js" */

const COMMAND_TIMEOUT_MS = 10_000;
const RESYNC_TIMEOUT_MS = 10_000;
const MEMBERS_PAGE = 500; // the server's largest page of members.list
const MEMBER_EVENTS = new Set(["participant.joined", "member.invited", "participant.removed", "participant.updated"]);

/**
 * What this module uses of a Socket.IO client socket (the vendored socket.io-client 4).
 * @typedef {object} Socket
 * @property {boolean} connected
 * @property {boolean} active  false once the server refused the connection
 * @property {(name: string, fn: (...args: any[]) => void) => void} on
 * @property {(ms: number) => {emit: (name: string, data: object, ack: (err: any, reply: any) => void) => void}} timeout
 * @property {() => Socket} connect
 * @property {() => Socket} disconnect
 * @property {{on: (name: string, fn: (...args: any[]) => void) => void}} io  the manager
 */

/**
 * A command's refusal (docs/realtime.md, "Commands"), or "offline"/"timeout" from here.
 * @typedef {{code: string, message: string, field?: string, retry_after?: number}} CommandError
 */

export class LiveConnection {
  /**
   * @param {object} options
   * @param {string} options.token  the bearer token of this screen
   * @param {(key: string, params?: object) => string} options.t    translations (i18n.js)
   * @param {HTMLElement | null} [options.statusEl]  gets data-state and text: connecting/connected/reconnecting/offline
   * @param {(fatal: {kind: "removed" | "invalid", message: string}) => void} [options.onFatal]  when this screen can no longer follow
   */
  constructor({ token, t, statusEl = null, onFatal = () => {} }) {
    this.token = token;
    this.t = t;
    this.statusEl = statusEl;
    this.onFatal = onFatal;
    /** @type {LiveState | null} */
    this.state = null;
    this.seq = 0;
    this.clockOffset = 0; // server time − local time, in ms
    /** @type {Map<number, any>} seq → event received ahead of a gap */
    this.pending = new Map();
    /** @type {Set<(state: LiveState) => void>} */
    this.listeners = new Set();
    /** @type {Set<(signal: object) => void>} */
    this.signalListeners = new Set();
    this.resyncing = false;
    this.resyncAgain = false;
    this.stalls = 0; // resyncs in a row that brought nothing while events wait
    this.fatal = false;
    this.status = "connecting";
    /** @type {Socket | null} the Socket.IO client (connect) */
    this.socket = null;
    /** @type {any} presence that came before the first snapshot */
    this.earlyPresence = null;
    this.texts = new DemandTexts(this); // demands' bodies and amendments, read when shown
    /** @type {{events: LiveEvent[]} | null} while the members after the snapshot's first page come in */
    this.paging = null;
  }

  connect() {
    const socket = /** @type {Socket} */ (io({
      auth: { token: this.token },
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      timeout: 8000,
    }));
    this.socket = socket;
    let everConnected = false;

    socket.on("connect", () => {
      this.setStatus("connected");
      // The server sends a fresh snapshot on every connect; after a reconnect also ask for
      // what was missed straight away (docs/realtime.md). Either path is idempotent by seq.
      if (everConnected && this.state) this.resync();
      everConnected = true;
    });
    socket.on("snapshot", (snapshot) => this.applySnapshot(snapshot));
    socket.on("event", (event) => this.receive(event));
    socket.on("presence", (presence) => {
      if (this.state) {
        this.state.presence = presence;
        this.notify();
      } else {
        this.earlyPresence = presence;
      }
    });
    // Live turnout and count of a decision round: no seq, each replaces the last (rounds-state.js).
    for (const name of ["round.turnout", "round.tally"]) {
      socket.on(name, (message) => {
        if (applyRoundMessage(this.state, name, message)) this.notify();
      });
    }
    socket.on("signal", (signal) => {
      for (const fn of this.signalListeners) fn(signal);
    });
    socket.on("removed", () => this.die("removed", this.t("removed_body")));
    // A roster badge reissued: this phone's link was replaced by the new badge's.
    socket.on("revoked", () => this.die("invalid", this.t("revoked_body")));
    socket.on("disconnect", (reason) => {
      if (this.fatal) return;
      // "io server disconnect": the server closed us on purpose (removed); no auto-reconnect.
      if (reason === "io server disconnect") socket.connect();
      this.setStatus(navigator.onLine === false ? "offline" : "reconnecting");
    });
    socket.on("connect_error", (err) => {
      if (this.fatal) return;
      // socket.active is false when the server itself refused us (a bad, revoked or
      // removed token): retrying will not help. Otherwise the client retries on its own.
      if (!socket.active) {
        const data = (err && err.data) || {};
        this.die(this.state?.removed_me ? "removed" : "invalid", this.state?.removed_me ? this.t("removed_body") : data.message || this.t("invalid_link"));
        return;
      }
      this.setStatus(navigator.onLine === false ? "offline" : "reconnecting");
    });
    socket.io.on("reconnect_attempt", () => {
      if (!this.fatal) this.setStatus(navigator.onLine === false ? "offline" : "reconnecting");
    });

    // Phones drop Wi-Fi and sleep: on coming back, reconnect at once and catch up.
    window.addEventListener("offline", () => this.setStatus("offline"));
    window.addEventListener("online", () => this.wake());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.wake();
    });
    return this;
  }

  wake() {
    if (this.fatal || !this.socket) return;
    if (this.socket.connected) {
      this.setStatus("connected");
      this.resync();
    } else {
      // Back online: try now rather than at the end of the reconnection back-off.
      this.setStatus("reconnecting");
      this.socket.disconnect().connect();
    }
  }

  /**
   * @param {"removed" | "invalid"} kind
   * @param {string} message
   */
  die(kind, message) {
    if (this.fatal) return;
    this.fatal = true;
    if (this.statusEl) this.statusEl.hidden = true; // "reconnecting" would promise too much
    this.socket?.disconnect();
    this.onFatal({ kind, message });
  }

  /**
   * Call fn with the state now (if any) and after every change. Returns the unsubscribe.
   * @param {(state: LiveState) => void} fn
   */
  subscribe(fn) {
    this.listeners.add(fn);
    if (this.state) fn(this.state);
    return () => this.listeners.delete(fn);
  }

  /**
   * Hand signals (projector and facilitators only): fn({signal, speaker_request_id, at}).
   * @param {(signal: object) => void} fn
   */
  onSignal(fn) {
    this.signalListeners.add(fn);
    return () => this.signalListeners.delete(fn);
  }

  notify() {
    const state = this.state;
    if (!state) return;
    for (const fn of this.listeners) {
      try {
        fn(state);
      } catch (error) {
        console.error(error); // one broken view must not stop the others
      }
    }
  }

  /** Local clock corrected to the server's, in ms since the epoch. */
  serverNow() {
    return Date.now() + this.clockOffset;
  }

  /** @param {"connecting" | "connected" | "reconnecting" | "offline"} status */
  setStatus(status) {
    this.status = status;
    const el = this.statusEl;
    if (!el) return;
    el.dataset.state = status;
    const text = this.t(`status_${status}`);
    if (el.textContent !== text) el.textContent = text;
  }

  /** @param {LiveState} snapshot */
  applySnapshot(snapshot) {
    if (!snapshot || typeof snapshot.seq !== "number") return;
    this.state = snapshot;
    if (!snapshot.presence && this.earlyPresence) snapshot.presence = this.earlyPresence;
    this.seq = snapshot.seq;
    const serverTime = Date.parse(snapshot.server_time ?? "");
    if (!Number.isNaN(serverTime)) this.clockOffset = serverTime - Date.now();
    this.paging = null;
    if (Array.isArray(snapshot.members) && snapshot.members_next != null) this.pageMembers(snapshot.members_next);
    this.drain();
    this.notify();
  }

  /**
   * A big meeting's snapshot carries the first page of members (facilitators): read the
   * others, page by page. Each page is as of its `seq`: member events after it, applied
   * while it was on its way, are applied again over it, so nothing is lost or undone.
   * @param {number | null} after
   */
  async pageMembers(after) {
    const state = this.state;
    if (!state) return;
    /** @type {{events: LiveEvent[]}} */
    const paging = { events: [] };
    this.paging = paging;
    state.members_loading = true;
    while (after != null && this.paging === paging && !this.fatal) {
      let page;
      try {
        page = await this.command("members.list", { after, limit: MEMBERS_PAGE });
      } catch (error) {
        const refusal = /** @type {CommandError | undefined} */ (error);
        const wait = refusal && refusal.retry_after ? refusal.retry_after * 1000 : 1000;
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      if (this.paging !== paging) return; // a new snapshot started over
      /** @type {Set<number>} */
      const ids = new Set(page.members.map((/** @type {Member} */ m) => m.id));
      const paged = /** @type {LiveState & {members: Member[]}} */ (state);
      paged.members = paged.members.filter((m) => !ids.has(m.id)).concat(page.members);
      for (const event of paging.events) {
        if (event.seq > page.seq && ids.has(event.data && event.data.id)) replayMemberEvent(paged, event);
      }
      after = page.next_after;
      this.notify();
    }
    if (this.paging === paging) {
      this.paging = null;
      state.members_loading = false;
      this.notify();
    }
  }

  /**
   * An event as it comes: applied when it is next in line, kept when it comes ahead of a gap
   * (then resync asks for what is missing), ignored when already applied.
   * @param {LiveEvent} event
   */
  receive(event) {
    if (!event || typeof event.seq !== "number") return;
    if (!this.state) {
      this.pending.set(event.seq, event); // before the first snapshot: keep, sort out later
      return;
    }
    if (event.seq <= this.seq) return; // already applied
    this.pending.set(event.seq, event);
    const applied = this.drain();
    // A gap: something is missing. A floor change that did not fit: only a snapshot helps.
    if (this.pending.size || this.state.floor_stale) this.resync({ snapshot: Boolean(this.state.floor_stale) });
    if (applied) this.notify();
    if (this.state.removed_me) this.die("removed", this.t("removed_body"));
  }

  /** Apply kept events that are next in line; drop the stale ones. Returns how many applied. */
  drain() {
    let applied = 0;
    if (!this.state) return applied;
    for (const seq of [...this.pending.keys()]) if (seq <= this.seq) this.pending.delete(seq);
    while (this.pending.has(this.seq + 1)) {
      const event = this.pending.get(this.seq + 1);
      this.pending.delete(this.seq + 1);
      const id = event.data && event.data.demand_id;
      const before = id == null ? null : (this.state.demands || []).find((d) => d.id === id) || null;
      applyEvent(this.state, event);
      this.texts.apply(event, before);
      if (this.paging && MEMBER_EVENTS.has(event.type)) this.paging.events.push(event);
      this.seq = event.seq;
      applied += 1;
    }
    return applied;
  }

  /**
   * Ask the server for the events after ours (a gap, a reconnect, a wake-up), or for a whole
   * snapshot (`snapshot`: the state went stale, as a floor change that did not fit): one at a time.
   * @param {{snapshot?: boolean}} [options]
   */
  resync({ snapshot = false } = {}) {
    const socket = this.socket;
    if (!socket || !this.state || this.fatal) return;
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    this.resyncing = true;
    const before = this.seq;
    const message = snapshot ? { seq: this.seq, snapshot: true } : { seq: this.seq };
    socket.timeout(RESYNC_TIMEOUT_MS).emit("resync", message, (err, reply) => {
      this.resyncing = false;
      if (!err && reply) {
        if (reply.snapshot) {
          this.applySnapshot(reply.snapshot);
        } else if (Array.isArray(reply.events)) {
          for (const event of /** @type {LiveEvent[]} */ (reply.events)) if (event.seq > this.seq) this.pending.set(event.seq, event);
          if (this.drain()) this.notify();
        }
      }
      // Kept events the server does not know yet (should not happen): retry a few times
      // with a pause, then drop them; the next event or reconnect snapshot heals the rest.
      this.stalls = this.seq > before || this.pending.size === 0 ? 0 : (this.stalls || 0) + 1;
      if (this.stalls >= 3) {
        this.pending.clear();
        this.stalls = 0;
      }
      // A bounded page of events: ask for the next one until they reach the latest.
      const more = !err && reply && Array.isArray(reply.events) && reply.next_after != null;
      const stale = Boolean(this.state?.floor_stale);
      const again = this.resyncAgain || this.pending.size > 0 || more || stale;
      this.resyncAgain = false;
      // Stale again straight after a snapshot (should not happen): not in a tight loop.
      const pause = err ? 1000 : stale ? (snapshot ? 1000 : 0) : more && this.seq > before ? 0 : this.stalls * 1000;
      if (again && socket.connected) setTimeout(() => this.resync({ snapshot: Boolean(this.state?.floor_stale) }), pause);
    });
  }

  /**
   * Run a command; resolves with its result, rejects with {code, message, field?}.
   * @param {string} name
   * @param {object} [args]
   * @returns {Promise<any>} rejects with a {@link CommandError}
   */
  command(name, args = {}) {
    return new Promise((resolve, reject) => {
      const socket = this.socket;
      if (this.fatal || !socket || !socket.connected) {
        reject({ code: "offline", message: this.t("command_offline") });
        return;
      }
      socket.timeout(COMMAND_TIMEOUT_MS).emit("command", { name, args }, (err, reply) => {
        if (err) reject({ code: "timeout", message: this.t("command_timeout") });
        else if (reply && reply.ok) resolve(reply.result);
        else reject((reply && reply.error) || { code: "server_error", message: this.t("command_timeout") });
      });
    });
  }
}

/**
 * Show the "this screen can no longer follow" panel instead of the live view.
 * @param {{kind: "removed" | "invalid", message: string}} fatal
 * @param {(key: string) => string} t
 */
export function showFatal({ kind, message }, t) {
  const live = document.getElementById("live");
  const panel = document.getElementById("fatal");
  if (live) live.hidden = true;
  if (!panel) return;
  const title = panel.querySelector("#fatal-title");
  const body = panel.querySelector("#fatal-body");
  if (title) title.textContent = kind === "removed" ? t("removed_title") : t("invalid_title");
  if (body) body.textContent = kind === "removed" ? message : `${message} ${t("invalid_hint")}`;
  panel.hidden = false;
  panel.focus?.();
}
