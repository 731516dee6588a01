// @ts-check
// Decision rounds on the phone (the ballot: rank by tap, keyboard or drag; consent, gradients,
// approval, scores; receipts; offline ballots) and on the projector (turnout, live bars, the
// round-by-round story). The console's panel is in rounds-console.js.

import { BallotStore, castPayload, emptyDraft, keepsBallot, pendingBallots } from "./ballot.js";
import { h, pageParts, replaceChildren, setText } from "./dom.js";
import { PAGE_MS } from "./fit.js";
import { ordinal } from "./floor.js";
import { config } from "./i18n.js";
import { choicesOf, methodOf } from "./methods.js";
import { everySecond } from "./timer.js";
import {
  Bars,
  ONE_PROPOSAL,
  barRows,
  barScale,
  choiceLabel,
  decisionText,
  methodName,
  namesText,
  num,
  optionLabel,
  roundSentence,
  roundTable,
  ruleText,
  storyList,
  tieText,
  winLine,
} from "./tally-view.js";

/** The projector tells a count one round at a time (docs/using-convene.md, "What fits on the
 * projector"): a round with one page to show stays this long, */
export const STORY_STEP_MS = 2500;
/** and a round with more stays this long on each of them. */
export const STORY_PAGE_MS = 4000;

/** In a round of the story, the rows that are news (data-news: its bar moved or its mark
 * changed since the round before; every row of the first round). A row out of the count is
 * never news: it was told in the round that eliminated it. */
function markNews(rows, before) {
  const was = new Map((before || []).map((row) => [row.key, row]));
  for (const row of rows) {
    const old = was.get(row.key);
    row.news = row.mark !== "out" && (!before || !old || old.value !== row.value || old.mark !== row.mark);
  }
}
/** The projector names at most this many of the tied options, and of the transfers of a
 * round (the bars show them all). */
const NAMES_AT_MOST = 4;

export function turnoutText(turnout, t, locale) {
  if (!turnout) return "";
  const present = Math.max(turnout.present ?? 0, turnout.voted);
  let text = t("turnout", { voted: turnout.voted, present });
  if (turnout.voted_weight !== undefined && turnout.voted_weight !== turnout.voted) {
    text += ` · ${t("turnout_weight", { weight: turnout.voted_weight })}`;
  }
  return text;
}

/** The rounds a screen shows: the open ones (and any whose count waits for a lot drawn in
 * the room), then the latest closed one. */
export function shownRounds(state) {
  const rounds = state.rounds || [];
  const open = rounds.filter((r) => r.state === "open" || r.state === "paused");
  const closed = rounds.filter((r) => r.state === "closed").sort((a, b) => Date.parse(b.closed_at) - Date.parse(a.closed_at) || b.id - a.id);
  return closed.length ? [...open, closed[0]] : open;
}

function roundMeta(round, t) {
  const parts = [methodName(round.method, t)];
  const method = methodOf(round.method);
  if (method.proportional || (method.settings.includes("seats") && round.seats > 1)) parts.push(t("seats", { n: round.seats }));
  parts.push(round.secret ? t("secret_round") : t("named_round"));
  return parts.join(" · ");
}

/** A stored ballot in words, for checking a receipt. */
export function ballotText(round, ballot, t) {
  if (!ballot) return "";
  if (ballot.ranking) return ballot.ranking.map((id) => optionLabel(round, id)).join(" > ");
  if (ballot.approve) return ballot.approve.length ? ballot.approve.map((id) => optionLabel(round, id)).join(", ") : t("ballot_abstain");
  if (ballot.scores) return Object.entries(ballot.scores).map(([id, s]) => `${optionLabel(round, id)} ${s}`).join(", ");
  if (ballot.choice !== undefined) return choiceLabel(round.method, ballot.choice, t);
  return "";
}

// -- the phone --------------------------------------------------------------------------------

/** What rounds.cast takes, from a draft; null when nothing was chosen. */
function ballotArgs(round, draft) {
  const form = methodOf(round.method).ballot.form;
  if (form === "ranking") return draft.ranking.length ? { ranking: [...draft.ranking] } : null;
  if (form === "approval") return { approve: [...draft.approve] };
  if (form === "score") {
    const scores = {};
    for (const option of round.options) scores[String(option.id)] = Number(draft.scores[option.id] || 0);
    return { scores };
  }
  return draft.choice === null ? null : { choice: draft.choice };
}

/** The phone's decision card: the open round's ballot, turnout, and the result after the close. */
export function mountPhoneRounds(live, t, locale, { card, body, announce }) {
  const { code } = config();
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

  function toggleRank(round, optionId) {
    const draft = draftOf(round);
    const label = optionLabel(round, optionId);
    const at = draft.ranking.indexOf(optionId);
    if (at >= 0) {
      draft.ranking.splice(at, 1);
      say(t("unranked", { option: label }));
    } else {
      draft.ranking.push(optionId);
      say(t("ranked_nth", { option: label, place: ordinal(draft.ranking.length, t, locale) }));
    }
    rerender(round);
  }

  function rankedBallot(round, draft) {
    const rankOf = (id) => draft.ranking.indexOf(id) + 1;
    return [
      h("p", { class: "hint", id: `rank-hint-${round.id}` }, methodOf(round.method).hint),
      h("h4", { class: "ballot-subtitle", id: `options-title-${round.id}` }, t("options_title")),
      h(
        "ul",
        { class: "rank-options", "aria-labelledby": `options-title-${round.id}`, "data-testid": "rank-options" },
        round.options.map((option) => {
          const place = rankOf(option.id);
          return h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "rank-option",
                "data-key": `rank-${round.id}-${option.id}`,
                "data-drag": "option",
                "data-option": option.id,
                "data-testid": "rank-option",
                "aria-pressed": place ? "true" : "false",
                // The accessible name starts with the visible label (axe: label-content-name-mismatch).
                "aria-label": place
                  ? t("option_ranked", { option: option.label, place: ordinal(place, t, locale) })
                  : t("option_not_ranked", { option: option.label }),
                "aria-describedby": `rank-hint-${round.id}`,
                onclick: () => {
                  if (!suppressClick) toggleRank(round, option.id);
                },
              },
              h("span", { class: "rank-badge", "aria-hidden": "true" }, place ? String(place) : ""),
              h("span", { class: "rank-option-label" }, option.label),
            ),
          );
        }),
      ),
      h("h4", { class: "ballot-subtitle", id: `ranking-title-${round.id}` }, t("your_ranking")),
      h(
        "ol",
        { class: "rank-list", "data-dropzone": round.id, "data-testid": "ranking", "aria-labelledby": `ranking-title-${round.id}` },
        draft.ranking.length
          ? draft.ranking.map((id, index) =>
              h(
                "li",
                { class: "rank-item", "data-option": id, "data-testid": "ranked" },
                h("span", { class: "rank-num", "aria-hidden": "true" }, String(index + 1)),
                h("span", { class: "rank-item-label" }, optionLabel(round, id)),
                h("span", { class: "drag-handle", "data-drag": "ranked", "data-option": id, title: t("drag_handle", { option: optionLabel(round, id) }), "aria-hidden": "true" }, "⠿"),
              ),
            )
          : h("li", { class: "rank-empty muted" }, t("ranking_empty")),
      ),
      draft.ranking.length
        ? h(
            "button",
            {
              type: "button",
              class: "button button-small button-quiet",
              "data-key": `rank-clear-${round.id}`,
              onclick: () => {
                draft.ranking = [];
                rerender(round);
              },
            },
            t("clear_ranking"),
          )
        : null,
    ];
  }

  function approvalBallot(round, draft) {
    return h(
      "fieldset",
      { class: "ballot-fieldset" },
      h("legend", {}, methodOf(round.method).hint),
      round.options.map((option) => {
        const id = `approve-${round.id}-${option.id}`;
        return h(
          "p",
          { class: "checkbox ballot-check" },
          h("input", {
            type: "checkbox",
            id,
            "data-key": id,
            checked: draft.approve.includes(option.id),
            onchange: (e) => {
              draft.approve = draft.approve.filter((x) => x !== option.id);
              if (e.target.checked) draft.approve.push(option.id);
            },
          }),
          h("label", { for: id }, option.label),
        );
      }),
    );
  }

  function scoreBallot(round, draft) {
    return h(
      "fieldset",
      { class: "ballot-fieldset" },
      h("legend", {}, methodOf(round.method).hint),
      round.options.map((option) => {
        const id = `score-${round.id}-${option.id}`;
        const value = Number(draft.scores[option.id] || 0);
        const out = h("output", { for: id, class: "score-value", "data-testid": "score-value" }, t("score_value", { n: value }));
        return h(
          "div",
          { class: "score-row" },
          h("label", { for: id }, option.label),
          h(
            "div",
            { class: "score-input" },
            h("input", {
              type: "range",
              id,
              "data-key": id,
              min: 0,
              max: methodOf(round.method).ballot.max,
              step: 1,
              value: String(value),
              "aria-valuetext": t("score_value", { n: value }),
              oninput: (e) => {
                const n = Number(e.target.value);
                draft.scores[option.id] = n;
                out.textContent = t("score_value", { n });
                e.target.setAttribute("aria-valuetext", t("score_value", { n }));
              },
            }),
            out,
          ),
        );
      }),
    );
  }

  function choiceBallot(round, draft) {
    const method = round.method;
    return h(
      "fieldset",
      { class: `ballot-fieldset choices choices-${method}` },
      h("legend", {}, round.options[0] ? round.options[0].label : t("choose_hint")),
      choicesOf(method).map(({ value: choice, label, hint }) => {
        const id = `choice-${round.id}-${choice}`;
        return h(
          "p",
          { class: `choice choice-${choice}` },
          h("input", {
            type: "radio",
            id,
            name: `choice-${round.id}`,
            value: String(choice),
            "data-key": id,
            checked: draft.choice === choice,
            onchange: () => (draft.choice = choice),
          }),
          h("label", { for: id }, h("span", { class: "choice-label" }, label), hint ? h("span", { class: "choice-hint" }, hint) : null),
        );
      }),
    );
  }

  function ballotForm(round, voted) {
    const draft = draftOf(round);
    const saved = store.get("receipt", round.id);
    const forms = { ranking: rankedBallot, approval: approvalBallot, score: scoreBallot, choice: choiceBallot };
    const fields = (forms[methodOf(round.method).ballot.form] || choiceBallot)(round, draft);
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
      setText(entry.el.querySelector(".round-state"), round.state === "open" ? t("round_open") : round.state === "paused" ? t("round_paused") : t("round_closed"));
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
        const saved = store.get("receipt", round.id);
        if (store.get("pending", round.id)) status.set(round.id, { state: "offline", text: t("vote_saved_offline") });
        else if (saved && voted) status.set(round.id, { state: "recorded", text: t("vote_recorded"), receipt: saved.receipt });
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

  function dropIndex(list, y) {
    const items = [...list.querySelectorAll(".rank-item")];
    for (let i = 0; i < items.length; i += 1) {
      const box = items[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) return i;
    }
    return items.length;
  }

  function clearMarks() {
    for (const el of body.querySelectorAll("[data-drop]")) delete el.dataset.drop;
  }

  body.addEventListener("pointerdown", (e) => {
    const source = e.target.closest("[data-drag]");
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
      const at = dropIndex(list, e.clientY);
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
      let at = dropIndex(list, e.clientY);
      const was = draft.ranking.indexOf(id);
      if (was >= 0) {
        draft.ranking.splice(was, 1);
        if (was < at) at -= 1;
      }
      draft.ranking.splice(at, 0, id);
      say(t("ranked_nth", { option: label, place: ordinal(at + 1, t, locale) }));
    } else if (from === "ranked") {
      draft.ranking = draft.ranking.filter((x) => x !== id);
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

// -- the projector ----------------------------------------------------------------------------

/** The projector's round: turnout, the live bars, then the count told round by round. The
 * result's headline (chosen, passed, not passed) and any tie broken stay above the bars. */
export function mountProjectorRounds(live, t, locale, el, view = () => null) {
  let shownId = null;
  let shownState = null;
  let bars = null;
  let parts = null;
  let step = 0;
  let timer = null;
  let story = null; // the count told: {total, fresh (its round's fit not seen yet), since}

  function build(round) {
    parts = {
      state: h("p", { class: "projector-eyebrow", "data-testid": "round-state" }),
      title: h("h1", { class: "round-big-title", "data-testid": "round-title" }),
      meta: h("p", { class: "round-big-meta" }),
      verdict: h("p", { class: "round-verdict", "data-testid": "verdict", hidden: true }),
      decision: h("p", { class: "round-big-decision", "data-testid": "projector-decision", hidden: true }),
      ties: h("ul", { class: "round-ties", "data-testid": "tie-notes", hidden: true }),
      turnout: h("p", { class: "round-big-turnout", "data-testid": "projector-turnout" }),
      waiting: h("p", { class: "round-big-waiting", hidden: true }, t("results_at_close")),
      pool: h("ul", { class: "round-lot-pool", "data-testid": "lot-pool", hidden: true }),
      story: h("p", { class: "round-story-step", "data-testid": "story-round", hidden: true }),
      bars: h("div", { class: "round-big-bars" }),
      // what the round says is news in the story (data-news), as are the bars that moved
      explanation: h("p", { class: "round-story-text", "data-testid": "story-explanation", "aria-live": "polite", "data-page-item": "", "data-page-early": "", "data-news": "", hidden: true }),
      rule: h("p", { class: "round-big-rule", hidden: true }),
    };
    // The headline, the bars below it, and what this round of the count says (ties broken,
    // the round's sentence, the rule): below the bars, or beside both (projector.css).
    replaceChildren(
      el,
      h("div", { class: "round-big-head" }, parts.state, parts.title, parts.meta, parts.verdict, parts.decision, parts.turnout, parts.waiting, parts.pool),
      h("div", { class: "round-big-main" }, parts.story, parts.bars),
      h("div", { class: "round-big-side" }, parts.ties, parts.explanation, parts.rule),
    );
    bars = new Bars(parts.bars, t, { testid: "projector-bars", pageItems: true });
  }

  function draw(round) {
    const result = round.state === "closed" ? round.result : round.tally && round.tally.result;
    const closed = round.state === "closed";
    const single = ONE_PROPOSAL.has(round.method);
    const paused = round.state === "paused";
    parts.waiting.hidden = !((round.state === "open" && !round.live_results) || paused);
    // Paused: the options between which the lot is drawn, one a line (each may be a sentence).
    setText(parts.waiting, paused ? t("paused_for_lot_list") : t("results_at_close"));
    const pool = paused ? ((round.pending_lot || {}).pool || []).map((id) => optionLabel(round, id)) : [];
    parts.pool.hidden = !pool.length;
    if (parts.pool.dataset.names !== JSON.stringify(pool)) {
      parts.pool.dataset.names = JSON.stringify(pool);
      replaceChildren(parts.pool, pool.map((name) => h("li", { "data-page-item": "", "data-testid": "lot-option" }, name)));
    }
    parts.verdict.hidden = !(closed && single && result);
    parts.decision.hidden = !(closed && result);
    setText(parts.decision, closed && result ? decisionText(round, t) : "");
    parts.decision.classList.toggle("is-not-passed", Boolean(closed && result && result.passed === false));
    if (closed && single && result) {
      parts.verdict.dataset.passed = result.passed ? "true" : "false";
      const quorate = !result.details || result.details.quorate !== false;
      setText(parts.verdict, `${result.passed ? t("passed") : t("not_passed")}${quorate ? "" : ` · ${t("quorum_missed")}`}`);
    }
    parts.rule.hidden = !single;
    setText(parts.rule, single ? ruleText(round, t) : "");
    parts.bars.hidden = !result;
    if (!result) {
      parts.story.hidden = true;
      parts.explanation.hidden = true;
      return;
    }
    // While voting: the first preferences; after the close, the count round by round from there.
    const index = closed ? step : 0;
    el.dataset.fitStep = closed ? `${round.id}:${index}` : String(round.id); // a new one: page 1
    const rows = barRows(round, result, index, t, locale);
    if (closed && result.rounds.length > 1) markNews(rows, index ? barRows(round, result, index - 1, t, locale) : null);
    const line = winLine(round, result, index);
    const r = result.rounds[Math.min(index, result.rounds.length - 1)];
    const lineLabel = methodOf(round.method).win_line === "quota" && r && r.quota ? t("quota", { n: num(r.quota, locale) }) : t("to_win");
    bars.update(rows, barScale(round, result, rows), line, lineLabel);
    // A tie broken is told with the round of the story where it happened (the number of
    // that round; Schulze and the single-proposal methods have one round).
    const number = r ? r.number : 1;
    // In a one-round count (approval, score, Schulze) only a tie that decided who won is news.
    const winners = new Set((result.winners || []).map(String));
    const decided = (tb) => (tb.tied || []).some((id) => winners.has(String(id)));
    const ties = closed ? (result.tie_breaks || []).filter((tb) => (result.rounds.length <= 1 ? decided(tb) : tb.round === number)) : [];
    parts.ties.hidden = !ties.length;
    // What this round says goes to the pages first (data-page-early): a round with many notes
    // shows them with the first bars, the others follow.
    const note = { "data-testid": "tie-note", "data-page-item": "", "data-page-early": "", "data-news": "" };
    const tieTexts = ties.map((tb) => tieText(round, tb, t, NAMES_AT_MOST));
    if (parts.ties.dataset.texts !== JSON.stringify(tieTexts)) {
      parts.ties.dataset.texts = JSON.stringify(tieTexts); // built again only when they change
      replaceChildren(parts.ties, tieTexts.map((text) => h("li", note, text)));
    }
    const many = result.rounds.length > 1;
    parts.story.hidden = !(closed && many);
    setText(parts.story, t("round_of", { n: index + 1, total: result.rounds.length }));
    parts.explanation.hidden = !closed || single;
    const sentence = closed && !single ? roundSentence(round, result, index, t, locale, NAMES_AT_MOST) : "";
    if (parts.explanation.textContent !== sentence) {
      parts.explanation.textContent = sentence;
      pageParts(parts.explanation, locale); // a long one may be paged by its sentences
    }
  }

  // The story: the rounds of the count one at a time, from the first. A round whose bars and
  // notes fit one page stays STORY_STEP_MS. A round that takes pages (fit.js) shows its
  // first page (what happened in the round, the first bars), then each page with news
  // (data-news: a bar that moved, someone elected or eliminated in this round, the rest of
  // what the round says), STORY_PAGE_MS each, or STORY_STEP_MS if it has nothing to show but
  // its first page; a page where nothing changed is not shown again. The last round, the result, then stays: all its
  // pages turn every PAGE_MS, as any other screen's. The story holds the region
  // (data-fit-held): the page clock does not turn it meanwhile.
  const pages = () => Number(el.dataset.pages || 1);
  const turnPage = (having = null) => {
    const detail = { having, turned: false };
    el.dispatchEvent(new CustomEvent("fit-turn", { bubbles: true, detail }));
    return detail.turned;
  };

  function stopStory() {
    clearTimeout(timer);
    story = null;
    el.removeAttribute("data-fit-held");
  }

  function wait(ms) {
    clearTimeout(timer);
    timer = setTimeout(tell, Math.max(0, ms));
  }

  function startStory(round) {
    stopStory();
    step = 0;
    const total = round.result ? round.result.rounds.length : 1;
    if (total <= 1) return;
    el.dataset.fitHeld = "";
    story = { total, fresh: true, since: Date.now() };
    wait(STORY_STEP_MS);
  }

  const last = () => step >= story.total - 1;

  function tell() {
    if (last()) {
      turnPage(); // the result, round and round (nothing to turn on one page)
      wait(PAGE_MS);
      return;
    }
    if (turnPage("[data-news]")) {
      wait(STORY_PAGE_MS);
      return;
    }
    step += 1;
    story.fresh = true;
    story.since = Date.now();
    const now = (live.state.rounds || []).find((r) => r.id === shownId);
    if (now) draw(now);
    wait(STORY_STEP_MS);
  }

  // Once a round of the story is fitted, on its first page: how long that page stays.
  document.addEventListener("fit-done", () => {
    if (!story || !story.fresh || el.hidden) return;
    story.fresh = false;
    const more = last() ? pages() > 1 : Boolean(el.querySelector("[data-news].off-page, [data-news] .off-page"));
    if (more) wait((last() ? PAGE_MS : STORY_PAGE_MS) - (Date.now() - story.since));
  });

  function render(state) {
    const v = view();
    let round;
    if (v) round = v.mode === "round" ? (state.rounds || []).find((r) => r.id === v.roundId) || null : null;
    else {
      const current = state.current_item_id ?? null;
      round = shownRounds(state).find((r) => r.state === "open" || r.state === "paused" || (r.agenda_item_id ?? null) === current) || null;
    }
    const root = document.getElementById("live");
    if (root) root.dataset.round = round ? "true" : "false";
    el.hidden = !round;
    if (!round) {
      shownId = null;
      stopStory();
      return;
    }
    if (round.id !== shownId) {
      shownId = round.id;
      shownState = null;
      build(round);
    }
    if (round.state !== shownState) {
      shownState = round.state;
      el.dataset.state = round.state;
      if (round.state === "closed") startStory(round);
      else stopStory();
    }
    const turnout = round.turnout;
    const closedTurnout = round.state === "closed" && turnout ? t("turnout_closed", { voted: turnout.voted }) : "";
    const stateText = round.state === "open" ? t("round_open") : round.state === "paused" ? t("round_paused") : t("round_closed");
    setText(parts.state, [stateText, roundMeta(round, t), closedTurnout].filter(Boolean).join(" · "));
    setText(parts.title, round.title);
    setText(parts.meta, round.live_results || round.state !== "open" ? "" : t("results_at_close"));
    parts.meta.hidden = !parts.meta.textContent;
    setText(parts.turnout, turnout && round.state !== "closed" ? turnoutText(turnout, t, locale) : "");
    parts.turnout.hidden = !parts.turnout.textContent;
    draw(round);
  }

  live.subscribe(render);
}
