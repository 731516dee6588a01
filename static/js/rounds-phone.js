// @ts-check
// Decision rounds on the phone: the open round's ballot (its fields in ballot-forms.js; rank
// by tap, keyboard or drag), sending it with a receipt or keeping it offline (ballot.js),
// turnout, the lot the count waits for, and the result after the close with the receipt check.

import { BallotStore, ballotArgs, castPayload, dropIndex, emptyDraft, keepsBallot, keptState, pendingBallots, placeRank, toggleRank, unrank } from "./ballot.js";
import { ballotFields } from "./ballot-forms.js";
import { h, replaceChildren, setText } from "./dom.js";
import { ordinal } from "./floor.js";
import { config } from "./i18n.js";
import { ballotText, roundMeta, shownRounds, stateText, turnoutText } from "./rounds.js";
import { everySecond } from "./timer.js";
import { ONE_PROPOSAL, decisionText, namesText, optionLabel, roundTable, ruleText, storyList } from "./tally-view.js";

/** @import { Round } from "./rounds-state.js" */

/**
 * The phone's decision card: the open round's ballot, turnout, and the result after the close.
 * @param {import("./live.js").LiveConnection} live
 * @param {(key: string, params?: object) => string} t
 * @param {string} locale
 * @param {{card: HTMLElement, body: HTMLElement, announce: HTMLElement}} els
 */
export function mountPhoneRounds(live, t, locale, { card, body, announce }) {
  const { code } = config();
  /** @type {BallotStore | null} */
  let store = null;
  const cards = new Map(); // round id → {el, parts, key}
  const drafts = new Map();
  const sending = new Set();
  const status = new Map(); // round id → {state, text, receipt}
  let drag = null;
  let suppressClick = false;

  const online = () => live.socket && live.socket.connected && live.status === "connected" && navigator.onLine !== false;
  const say = (text) => {
    setText(announce, "");
    setText(announce, text);
  };

  function draftOf(round) {
    if (!drafts.has(round.id)) drafts.set(round.id, emptyDraft(round, store.get("pending", round.id) || store.get("receipt", round.id)));
    return drafts.get(round.id);
  }

  function setStatus(round, state, text, receipt = null) {
    status.set(round.id, { state, text, receipt });
    const entry = cards.get(round.id);
    if (entry) showStatus(round, entry.parts.status);
  }

  function showStatus(round, el) {
    const s = status.get(round.id);
    if (!s) {
      el.hidden = true;
      el.dataset.state = "";
      replaceChildren(el);
      return;
    }
    el.hidden = false;
    el.dataset.state = s.state;
    replaceChildren(
      el,
      h("strong", { class: "vote-status-title" }, s.text),
      s.receipt ? h("span", { class: "vote-receipt", "data-testid": "receipt" }, t("receipt", { code: s.receipt })) : null,
      s.state === "recorded" ? h("span", { class: "hint" }, t("receipt_hint")) : null,
    );
  }

  // -- sending -------------------------------------------------------------------------------

  async function send(round, args, { fromPending = false } = {}) {
    if (sending.has(round.id)) return;
    // The phone draws the receipt, and keeps it with a ballot not yet acknowledged: if the
    // acknowledgement is lost, sending it again is recognised as the same ballot.
    const { payload, receipt } = castPayload(store, round.id, args, fromPending);
    if (!online()) {
      store.set("pending", round.id, { ballot: args, receipt });
      setStatus(round, "offline", t("vote_saved_offline"));
      return;
    }
    sending.add(round.id);
    setStatus(round, "sending", fromPending ? t("vote_sending_saved") : t("sending"));
    try {
      const reply = await live.command("rounds.cast", payload);
      store.set("receipt", round.id, { receipt: reply.receipt, ballot: args, weight: reply.weight });
      store.set("pending", round.id, null);
      const voted = live.state.me.voted_rounds || (live.state.me.voted_rounds = []);
      if (!voted.includes(round.id)) voted.push(round.id);
      setStatus(round, "recorded", t("vote_recorded"), reply.receipt);
      say(t("vote_recorded"));
    } catch (error) {
      if (keepsBallot(error)) {
        store.set("pending", round.id, { ballot: args, receipt });
        setStatus(round, "offline", t("vote_saved_offline"));
      } else {
        if (fromPending) store.set("pending", round.id, null);
        setStatus(round, "error", error.message || String(error));
      }
    } finally {
      sending.delete(round.id);
      render(live.state);
    }
  }

  /** Ballots kept on the phone go out as soon as the connection is back. */
  function flushPending() {
    if (!live.state || !store || !online()) return;
    for (const { round, ballot } of pendingBallots(store, live.state.rounds || [])) send(round, ballot, { fromPending: true });
  }

  // -- ballots ---------------------------------------------------------------------------------

  function rerender(round) {
    const entry = cards.get(round.id);
    if (entry) {
      entry.key = null;
      render(live.state);
    }
  }

  /** A tap on an option of a ranked ballot (not the click that ends a drag). */
  function tapRank(round, optionId) {
    if (suppressClick) return;
    const label = optionLabel(round, optionId);
    const place = toggleRank(draftOf(round), optionId);
    say(place ? t("ranked_nth", { option: label, place: ordinal(place, t, locale) }) : t("unranked", { option: label }));
    rerender(round);
  }

  function ballotForm(round, voted) {
    const draft = draftOf(round);
    const saved = store.get("receipt", round.id);
    const fields = ballotFields(round, draft, { t, locale, tap: (id) => tapRank(round, id), redraw: () => rerender(round) });
    const carried = Boolean(live.state.me.carried_by_id);
    const elsewhere = voted && !saved;
    return h(
      "form",
      {
        class: "ballot",
        "data-testid": "ballot",
        novalidate: true,
        onsubmit: (e) => {
          e.preventDefault();
          const args = ballotArgs(round, draft);
          if (!args) {
            setStatus(round, "error", t("nothing_to_send"));
            return;
          }
          send(round, args);
        },
      },
      fields,
      carried ? h("p", { class: "warning" }, t("carried_note")) : null,
      elsewhere ? h("p", { class: "hint" }, t("voted_elsewhere"), round.secret ? ` ${t("voted_elsewhere_secret")}` : "") : null,
      h(
        "button",
        { type: "submit", class: "button button-primary button-block", "data-key": `send-${round.id}`, disabled: sending.has(round.id) },
        saved || voted ? t("change_vote") : t("send_vote"),
      ),
    );
  }

  function resultView(round) {
    const saved = store.get("receipt", round.id);
    const output = h("div", { class: "receipt-check-out", "aria-live": "polite", "data-testid": "receipt-check" });
    const details = h(
      "details",
      {
        class: "receipt-check",
        ontoggle: async () => {
          if (!details.open || details.dataset.loaded) return;
          if (!saved) {
            setText(output, t("no_receipt_here"));
            return;
          }
          setText(output, t("ballots_loading"));
          try {
            const list = await live.command("rounds.ballots", { round_id: round.id });
            details.dataset.loaded = "1";
            const mine = list.ballots.find((b) => b.receipt === saved.receipt);
            replaceChildren(
              output,
              h("p", {}, t("ballots_count", { n: list.ballots.length })),
              h(
                "p",
                { class: mine ? "receipt-ok" : "warning" },
                mine ? t("receipt_found", { code: saved.receipt, ballot: ballotText(round, mine.ballot, t) }) : t("receipt_missing", { code: saved.receipt }),
              ),
            );
          } catch (error) {
            setText(output, error.message || String(error));
          }
        },
      },
      h("summary", {}, t("check_receipt")),
      output,
    );
    const result = round.result;
    return [
      h("p", { class: `round-decision ${result.passed === false ? "is-not-passed" : ""}`.trim(), "data-testid": "round-decision" }, decisionText(round, t)),
      ONE_PROPOSAL.has(round.method) ? h("p", { class: "hint" }, ruleText(round, t)) : null,
      storyList(round, t, locale),
      h("h4", { class: "ballot-subtitle" }, t("result_story")),
      roundTable(round, t, locale),
      saved ? h("p", { class: "hint" }, t("receipt", { code: saved.receipt })) : null,
      details,
    ];
  }

  function cardFor(round) {
    let entry = cards.get(round.id);
    if (entry) return entry;
    const parts = {
      title: h("h3", { class: "round-title", "data-testid": "round-title" }),
      meta: h("p", { class: "round-meta muted" }),
      turnout: h("p", { class: "round-turnout", "data-testid": "turnout" }),
      main: h("div", { class: "round-main" }),
      status: h("p", { class: "vote-status", role: "status", "data-testid": "vote-status", hidden: true }),
    };
    const el = h(
      "article",
      { class: "round", dataset: { id: round.id }, "data-testid": "round" },
      h("p", { class: "round-state eyebrow" }),
      parts.title,
      parts.meta,
      parts.turnout,
      parts.main,
      parts.status,
    );
    entry = { el, parts, key: null };
    cards.set(round.id, entry);
    return entry;
  }

  function render(state) {
    if (!store) store = new BallotStore(code, state.me.id);
    const rounds = shownRounds(state);
    card.hidden = !rounds.length;
    for (const id of cards.keys()) if (!rounds.some((r) => r.id === id)) cards.delete(id);
    const els = rounds.map((round) => {
      const entry = cardFor(round);
      const voted = (state.me.voted_rounds || []).includes(round.id);
      const { parts } = entry;
      entry.el.dataset.state = round.state;
      setText(entry.el.querySelector(".round-state"), stateText(round, t));
      setText(parts.title, round.title);
      setText(parts.meta, roundMeta(round, t));
      const turnout = round.turnout;
      setText(parts.turnout, round.state === "closed" && turnout ? t("turnout_closed", { voted: turnout.voted }) : turnoutText(turnout, t, locale));
      const key = JSON.stringify([round.state, round.result ? round.id : null, voted, round.pending_lot]);
      if (entry.key !== key && !drag) {
        entry.key = key;
        replaceChildren(
          parts.main,
          round.state === "open"
            ? ballotForm(round, voted)
            : round.state === "paused"
              ? h("p", { class: "round-paused", "data-testid": "round-paused" }, t("paused_for_lot", { names: namesText(round, (round.pending_lot || {}).pool, t) }))
              : resultView(round),
        );
      }
      if (round.state === "open" && !status.has(round.id)) {
        const kept = keptState(store, round.id, voted);
        if (kept) status.set(round.id, { ...kept, text: kept.state === "offline" ? t("vote_saved_offline") : t("vote_recorded") });
      }
      if (round.state !== "open") status.delete(round.id);
      showStatus(round, parts.status);
      return entry.el;
    });
    const current = [...body.children];
    if (current.length !== els.length || current.some((el, i) => el !== els[i])) replaceChildren(body, els);
    flushPending();
  }

  // -- drag and drop (pointer events: mouse, pen, and touch on the handles) --------------------

  function roundOf(el) {
    const article = el.closest(".round");
    return article && live.state ? (live.state.rounds || []).find((r) => r.id === Number(article.dataset.id)) : null;
  }

  /** Where in `list` (a ranking on screen) an option dropped at height `y` goes. */
  function dropAt(list, y) {
    return dropIndex([...list.querySelectorAll(".rank-item")].map((item) => item.getBoundingClientRect()), y);
  }

  function clearMarks() {
    for (const el of /** @type {NodeListOf<HTMLElement>} */ (body.querySelectorAll("[data-drop]"))) delete el.dataset.drop;
  }

  body.addEventListener("pointerdown", (e) => {
    const source = /** @type {HTMLElement | null} */ (/** @type {Element} */ (e.target).closest("[data-drag]"));
    if (!source || e.button > 0) return;
    // Touch scrolls the page on the option buttons (tap to rank); the handles drag.
    if (source.dataset.drag === "option" && e.pointerType === "touch") return;
    const round = roundOf(source);
    if (!round || round.state !== "open") return;
    drag = { round, id: Number(source.dataset.option), from: source.dataset.drag, x: e.clientX, y: e.clientY, moving: false, source };
    if (source.dataset.drag === "ranked") e.preventDefault();
  });

  document.addEventListener("pointermove", (e) => {
    if (!drag) return;
    if (!drag.moving && Math.hypot(e.clientX - drag.x, e.clientY - drag.y) < 6) return;
    drag.moving = true;
    drag.source.closest("li").classList.add("is-dragging");
    clearMarks();
    const list = /** @type {HTMLElement | null | undefined} */ (document.elementFromPoint(e.clientX, e.clientY)?.closest(".rank-list"));
    if (list) {
      const items = /** @type {NodeListOf<HTMLElement>} */ (list.querySelectorAll(".rank-item"));
      const at = dropAt(list, e.clientY);
      if (items[at]) items[at].dataset.drop = "before";
      else list.dataset.drop = "end";
    }
  });

  document.addEventListener("pointerup", (e) => {
    if (!drag) return;
    const { round, id, from, moving, source } = drag;
    drag = null;
    source.closest("li")?.classList.remove("is-dragging");
    clearMarks();
    if (!moving) return;
    suppressClick = true;
    setTimeout(() => (suppressClick = false), 0);
    const draft = draftOf(round);
    const list = document.elementFromPoint(e.clientX, e.clientY)?.closest(".rank-list");
    const label = optionLabel(round, id);
    if (list) {
      const place = placeRank(draft, id, dropAt(list, e.clientY));
      say(t("ranked_nth", { option: label, place: ordinal(place, t, locale) }));
    } else if (from === "ranked") {
      unrank(draft, id);
      say(t("unranked", { option: label }));
    }
    rerender(round);
  });

  document.addEventListener("pointercancel", () => {
    if (drag) drag.source.closest("li")?.classList.remove("is-dragging");
    drag = null;
    clearMarks();
  });

  live.subscribe(render);
  window.addEventListener("online", () => setTimeout(flushPending, 300));
  everySecond(flushPending);
}
