// One live connection per screen: snapshot, then events strictly in seq order (docs/realtime.md).

import { io } from "../vendor/socket.io/socket.io.esm.min.js";
import { DemandTexts } from "./demand-texts.js";
import { applyDemandEvent } from "./demands-state.js";
import { applyRoundEvent, applyRoundMessage } from "./rounds-state.js";

const COMMAND_TIMEOUT_MS = 10_000;
const RESYNC_TIMEOUT_MS = 10_000;
const MEMBERS_PAGE = 500; // the server's largest page of members.list
const MEMBER_EVENTS = new Set(["participant.joined", "member.invited", "participant.removed", "participant.updated"]);

/** Apply a member event to state.members only (replayed over a page read before it). */
function replayMemberEvent(state, { type, data, at }) {
  if (!data || (data.name === undefined && type !== "participant.removed")) return;
  const member = state.members.find((m) => m.id === data.id);
  if (type === "participant.removed") {
    state.members = state.members.filter((m) => m.id !== data.id);
  } else if (type === "participant.updated") {
    if (member) {
      Object.assign(member, { name: data.name, role: data.role, caucus: data.caucus });
      if (data.vote_weight !== undefined) Object.assign(member, { vote_weight: data.vote_weight, carried_by_id: data.carried_by_id });
    }
  } else if (!member) {
    state.members.push({ id: data.id, name: data.name, role: data.role, caucus: data.caucus, joined_at: at });
  }
}

/** Apply one event to the state (the same rules for every screen; facilitators get more data). */
export function applyEvent(state, event) {
  const { type, data } = event;
  const byId = (id) => state.agenda.findIndex((item) => item.id === id);
  const putItem = (item) => {
    const i = byId(item.id);
    if (i >= 0) state.agenda[i] = item;
    else state.agenda.push(item);
    state.agenda.sort((a, b) => a.position - b.position);
  };
  const order = (ids) => {
    const items = new Map(state.agenda.map((item) => [item.id, item]));
    state.agenda = ids.filter((id) => items.has(id)).map((id, position) => ({ ...items.get(id), position }));
  };
  switch (type) {
    case "convening.created":
    case "convening.updated":
      state.convening = { ...state.convening, ...data };
      break;
    case "convening.started":
      state.convening = { ...state.convening, started_at: data.started_at };
      break;
    case "projector.shown":
      state.projector = data;
      break;
    case "participant.joined":
      if (typeof data.participants === "number") state.participants = data.participants;
      if (state.members && data.name !== undefined && !state.members.some((m) => m.id === data.id)) {
        state.members.push({ id: data.id, name: data.name, role: data.role, caucus: data.caucus, joined_at: event.at });
      }
      break;
    case "member.invited":
      if (state.members && data.name !== undefined && !state.members.some((m) => m.id === data.id)) {
        state.members.push({ id: data.id, name: data.name, role: data.role, caucus: data.caucus, joined_at: event.at });
      }
      break;
    case "participant.removed":
      if (typeof data.participants === "number") state.participants = data.participants;
      if (state.me && data.id === state.me.id) state.removed_me = true;
      if (state.members) state.members = state.members.filter((m) => m.id !== data.id);
      break;
    case "agenda.item_added":
    case "agenda.item_updated":
      putItem(data);
      break;
    case "agenda.item_started":
      putItem(data);
      state.current_item_id = data.id;
      break;
    case "agenda.item_ended":
      putItem(data);
      if (state.current_item_id === data.id) state.current_item_id = null;
      if (state.floor && state.floor.item_id === data.id) state.floor = null;
      break;
    case "agenda.item_removed":
      state.agenda = state.agenda.filter((item) => item.id !== data.id);
      order(data.order);
      break;
    case "agenda.reordered":
      order(data.order);
      break;
    case "floor.speaker_finished":
      if (state.floor && state.floor.speaker && state.floor.speaker.id === data.request.id) {
        state.floor = { ...state.floor, speaker: null };
      }
      break;
    case "minutes.finalized":
      state.minutes_final = { version: data.version, approved_by: data.approved_by, approved_at: data.approved_at };
      break;
    default:
      if (applyRoundEvent(state, event)) break; // round.* (rounds-state.js)
      if (applyDemandEvent(state, event)) break; // demand.*, demands.*, amendment.* (demands-state.js)
      // Every other floor.* event carries the whole new speaker list: replace ours.
      if (type.startsWith("floor.") && data && "floor" in data) state.floor = data.floor;
      break; // an event this screen does not show (newer server): its seq still counts
  }
}

export class LiveConnection {
  /**
   * @param {object} options
   * @param {string} options.token  the bearer token of this screen
   * @param {function} options.t    translations (i18n.js)
   * @param {HTMLElement} [options.statusEl]  gets data-state and text: connecting/connected/reconnecting/offline
   * @param {function} [options.onFatal]  ({kind: "removed"|"invalid", message}) when this screen can no longer follow
   */
  constructor({ token, t, statusEl = null, onFatal = () => {} }) {
    this.token = token;
    this.t = t;
    this.statusEl = statusEl;
    this.onFatal = onFatal;
    this.state = null;
    this.seq = 0;
    this.clockOffset = 0; // server time − local time, in ms
    this.pending = new Map(); // seq → event received ahead of a gap
    this.listeners = new Set();
    this.signalListeners = new Set();
    this.resyncing = false;
    this.resyncAgain = false;
    this.fatal = false;
    this.status = "connecting";
    this.texts = new DemandTexts(this); // demands' bodies and amendments, read when shown
    this.paging = null; // {events} while the members after the snapshot's first page come in
  }

  connect() {
    const socket = io({
      auth: { token: this.token },
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      timeout: 8000,
    });
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

  die(kind, message) {
    if (this.fatal) return;
    this.fatal = true;
    if (this.statusEl) this.statusEl.hidden = true; // "reconnecting" would promise too much
    this.socket.disconnect();
    this.onFatal({ kind, message });
  }

  subscribe(fn) {
    this.listeners.add(fn);
    if (this.state) fn(this.state);
    return () => this.listeners.delete(fn);
  }

  /** Hand signals (projector and facilitators only): fn({signal, speaker_request_id, at}). */
  onSignal(fn) {
    this.signalListeners.add(fn);
    return () => this.signalListeners.delete(fn);
  }

  notify() {
    for (const fn of this.listeners) {
      try {
        fn(this.state);
      } catch (error) {
        console.error(error); // one broken view must not stop the others
      }
    }
  }

  /** Local clock corrected to the server's, in ms since the epoch. */
  serverNow() {
    return Date.now() + this.clockOffset;
  }

  setStatus(status) {
    this.status = status;
    const el = this.statusEl;
    if (!el) return;
    el.dataset.state = status;
    const text = this.t(`status_${status}`);
    if (el.textContent !== text) el.textContent = text;
  }

  applySnapshot(snapshot) {
    if (!snapshot || typeof snapshot.seq !== "number") return;
    this.state = snapshot;
    if (!this.state.presence && this.earlyPresence) this.state.presence = this.earlyPresence;
    this.seq = snapshot.seq;
    const serverTime = Date.parse(snapshot.server_time);
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
   */
  async pageMembers(after) {
    const paging = { events: [] };
    this.paging = paging;
    this.state.members_loading = true;
    while (after != null && this.paging === paging && !this.fatal) {
      let page;
      try {
        page = await this.command("members.list", { after, limit: MEMBERS_PAGE });
      } catch (error) {
        const wait = error && error.retry_after ? error.retry_after * 1000 : 1000;
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      if (this.paging !== paging) return; // a new snapshot started over
      const ids = new Set(page.members.map((m) => m.id));
      this.state.members = this.state.members.filter((m) => !ids.has(m.id)).concat(page.members);
      for (const event of paging.events) {
        if (event.seq > page.seq && ids.has(event.data && event.data.id)) replayMemberEvent(this.state, event);
      }
      after = page.next_after;
      this.notify();
    }
    if (this.paging === paging) {
      this.paging = null;
      this.state.members_loading = false;
      this.notify();
    }
  }

  receive(event) {
    if (!event || typeof event.seq !== "number") return;
    if (!this.state) {
      this.pending.set(event.seq, event); // before the first snapshot: keep, sort out later
      return;
    }
    if (event.seq <= this.seq) return; // already applied
    this.pending.set(event.seq, event);
    const applied = this.drain();
    if (this.pending.size) this.resync(); // a gap: something is missing
    if (applied) this.notify();
    if (this.state.removed_me) this.die("removed", this.t("removed_body"));
  }

  /** Apply kept events that are next in line; drop the stale ones. Returns how many applied. */
  drain() {
    let applied = 0;
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

  resync() {
    if (!this.socket || !this.state || this.fatal) return;
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    this.resyncing = true;
    const before = this.seq;
    this.socket.timeout(RESYNC_TIMEOUT_MS).emit("resync", { seq: this.seq }, (err, reply) => {
      this.resyncing = false;
      if (!err && reply) {
        if (reply.snapshot) {
          this.applySnapshot(reply.snapshot);
        } else if (Array.isArray(reply.events)) {
          for (const event of reply.events) if (event.seq > this.seq) this.pending.set(event.seq, event);
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
      const again = this.resyncAgain || this.pending.size > 0 || more;
      this.resyncAgain = false;
      const pause = err ? 1000 : more && this.seq > before ? 0 : this.stalls * 1000;
      if (again && this.socket.connected) setTimeout(() => this.resync(), pause);
    });
  }

  /** Run a command; resolves with its result, rejects with {code, message, field?}. */
  command(name, args = {}) {
    return new Promise((resolve, reject) => {
      if (this.fatal || !this.socket || !this.socket.connected) {
        reject({ code: "offline", message: this.t("command_offline") });
        return;
      }
      this.socket.timeout(COMMAND_TIMEOUT_MS).emit("command", { name, args }, (err, reply) => {
        if (err) reject({ code: "timeout", message: this.t("command_timeout") });
        else if (reply && reply.ok) resolve(reply.result);
        else reject((reply && reply.error) || { code: "server_error", message: this.t("command_timeout") });
      });
    });
  }
}

/** Show the "this screen can no longer follow" panel instead of the live view. */
export function showFatal({ kind, message }, t) {
  const live = document.getElementById("live");
  const panel = document.getElementById("fatal");
  if (live) live.hidden = true;
  if (!panel) return;
  panel.querySelector("#fatal-title").textContent = kind === "removed" ? t("removed_title") : t("invalid_title");
  panel.querySelector("#fatal-body").textContent =
    kind === "removed" ? message : `${message} ${t("invalid_hint")}`;
  panel.hidden = false;
  panel.focus?.();
}
