// @ts-check
// A decision round on the projector: turnout, the live bars, the options a lot is drawn
// between, then the count told round by round (the story), the result's headline above the
// bars. Each region fits the screen (fit.js); the story turns its pages itself.

import { h, pageParts, replaceChildren, setText } from "./dom.js";
import { PAGE_MS } from "./fit.js";
import { methodOf } from "./methods.js";
import { markNews, roundMeta, shownRounds, stateText, storyTies, turnoutText } from "./rounds.js";
import { Bars, ONE_PROPOSAL, barRows, barScale, decisionText, num, optionLabel, roundSentence, ruleText, tieText, winLine } from "./tally-view.js";

/** The projector tells a count one round at a time (docs/using-convene.md, "What fits on the
 * projector"): a round with one page to show stays this long, */
export const STORY_STEP_MS = 2500;
/** and a round with more stays this long on each of them. */
export const STORY_PAGE_MS = 4000;

/** The projector names at most this many of the tied options, and of the transfers of a
 * round (the bars show them all). */
const NAMES_AT_MOST = 4;

/**
 * The projector's round: turnout, the live bars, then the count told round by round. The
 * result's headline (chosen, passed, not passed) and any tie broken stay above the bars.
 * @param {import("./live.js").LiveConnection} live
 * @param {(key: string, params?: object) => string} t
 * @param {string} locale
 * @param {HTMLElement} el  the round's region
 * @param {() => ({mode: string, roundId?: number | null} | null)} [view]  the projector's view (projector-view.js), null to follow the meeting
 */
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
      h("div", { class: "round-big-head" }, parts.state, parts.title, parts.verdict, parts.decision, parts.turnout, parts.waiting, parts.pool),
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
    // A tie broken is told with the round of the story where it happened (rounds.js).
    const ties = closed ? storyTies(result, index) : [];
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
    setText(parts.state, [stateText(round, t), roundMeta(round, t), closedTurnout].filter(Boolean).join(" · "));
    setText(parts.title, round.title);
    setText(parts.turnout, turnout && round.state !== "closed" ? turnoutText(turnout, t, locale) : "");
    parts.turnout.hidden = !parts.turnout.textContent;
    draw(round);
  }

  live.subscribe(render);
}
