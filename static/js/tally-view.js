// @ts-check
// Reading a count (docs/voting-methods.md, "The result structure"): labels, numbers, the
// bars the projector animates, the round-by-round table and the decision in words. Shared
// by the phone, the projector and the console.

import { h, replaceChildren, setText } from "./dom.js";
import { choicesOf, methodOf, methodsWhere } from "./methods.js";

/** The methods with ranked ballots, and those on one proposal (from their records). */
export const RANKED = methodsWhere((m) => m.ranked);
export const ONE_PROPOSAL = methodsWhere((m) => m.proposal);
/** The choices of each method on one proposal, by name. */
export const CHOICES = Object.fromEntries([...ONE_PROPOSAL].map((name) => [name, choicesOf(name).map((c) => c.value)]));

/** {exact, float} (or a plain number) → "17", "2.5", "2,378.61". */
export function num(value, locale) {
  if (value === null || value === undefined) return "0";
  const f = typeof value === "object" ? value.float : Number(value);
  const whole = Number.isInteger(f);
  return f.toLocaleString(locale, { maximumFractionDigits: whole ? 0 : 2 });
}

export function numValue(value) {
  if (value === null || value === undefined) return 0;
  return typeof value === "object" ? value.float : Number(value);
}

export function methodName(method, t) {
  return methodOf(method).label;
}

function choiceOf(method, key) {
  return choicesOf(method).find((c) => String(c.value) === String(key)) || { value: key, label: String(key), short: String(key), hint: "" };
}

/** A choice on one proposal, by its name on the ballot ("1 · Wholehearted endorsement"). */
export function choiceLabel(method, key, t) {
  return choiceOf(method, key).label;
}

/** The label of a candidate id (a string in tallies) in a round. */
export function optionLabel(round, id) {
  const labels = (round.result && round.result.labels) || (round.tally && round.tally.result && round.tally.result.labels) || {};
  if (labels[String(id)]) return labels[String(id)];
  const option = round.options.find((o) => String(o.id) === String(id));
  return option ? option.label : String(id);
}

/** "more than half", "at least 2/3", "unanimity". */
export function thresholdText(threshold, t) {
  const value = threshold || "1/2";
  if (value === "1/2") return t("threshold_half");
  if (value === "1") return t("threshold_unanimous");
  return t("threshold_at_least", { share: value });
}

/** The outcome in one translated sentence (the server's `decision`, in this screen's language). */
export function decisionText(round, t) {
  const result = round.result;
  if (!result) return "";
  if (methodOf(round.method).proposal) {
    const proposal = round.options[0] ? round.options[0].label : round.title;
    return t(result.passed ? "decision_passed" : "decision_not_passed", { proposal });
  }
  const winners = (result.winners || []).map((id) => optionLabel(round, id));
  if (!winners.length) return t("decision_none");
  if (winners.length === 1) return t("decision_chosen", { option: winners[0] });
  return t("decision_chosen_many", { options: winners.join(", ") });
}

/** Who is out (eliminated in an earlier round) and who is elected, up to round `index`. */
function statusUpTo(result, index) {
  const out = new Set();
  const elected = new Set();
  result.rounds.slice(0, index).forEach((r) => {
    (r.eliminated || []).forEach((id) => out.add(String(id)));
    (r.elected || []).forEach((id) => elected.add(String(id)));
  });
  return { out, elected };
}

/**
 * The rows of bars for round `index` of a result: every candidate (in option order) or
 * every choice, with its value and what happens to it in this round. Candidates that were
 * out before this round go last (still in option order): in round 25 of an STV count the
 * screen shows who is still in the count, not twenty rows of zeros.
 */
export function barRows(round, result, index, t, locale) {
  const r = result.rounds[Math.min(index, result.rounds.length - 1)];
  if (!r) return [];
  const method = methodOf(round.method);
  if (method.proposal) {
    return CHOICES[round.method].map((key) => ({
      key: String(key),
      label: choiceLabel(round.method, key, t),
      value: numValue(r.tallies[String(key)]),
      shown: num(r.tallies[String(key)], locale),
      mark: null,
    }));
  }
  const before = statusUpTo(result, index);
  const last = index >= result.rounds.length - 1;
  const winners = new Set((result.winners || []).map(String));
  const rows = round.options.map((option) => {
    const id = String(option.id);
    const value = r.tallies[id];
    let mark = null;
    if ((r.elected || []).map(String).includes(id) || before.elected.has(id)) mark = "elected";
    else if ((r.eliminated || []).map(String).includes(id)) mark = "eliminated";
    else if (before.out.has(id) || (value === undefined && method.exhausts)) mark = "out";
    if (last && winners.has(id) && round.state === "closed") mark = "elected";
    if (round.state !== "closed") mark = null; // while voting, nobody is out or in yet
    return { key: id, label: option.label, value: numValue(value), shown: num(value, locale), mark };
  });
  return [...rows.filter((row) => row.mark !== "out"), ...rows.filter((row) => row.mark === "out")];
}

/** The scale of the bars: the ballots counted for the share methods, else the largest value. */
export function barScale(round, result, rows) {
  const max = Math.max(0, ...rows.map((row) => row.value));
  if (methodOf(round.method).share_bars) {
    return Math.max(numValue(result.total), max, 1);
  }
  return Math.max(max, 1);
}

/** Where the "to win" line sits (IRV: half the ballots; STV: the quota), as a share, or null. */
export function winLine(round, result, index) {
  const r = result.rounds[Math.min(index, result.rounds.length - 1)];
  const total = numValue(result.total);
  if (!total || !r) return null;
  const line = methodOf(round.method).win_line;
  if (line === "majority") return Math.max(0, (total - numValue(r.exhausted)) / 2 / total);
  if (line === "quota" && r.quota) return Math.min(1, numValue(r.quota) / total);
  return null;
}

/**
 * Horizontal bars that keep their elements between updates, so the CSS transition on their
 * width animates the change (the count moving, votes transferring).
 */
export class Bars {
  constructor(container, t, { testid = "bars", pageItems = false } = {}) {
    this.t = t;
    this.pageItems = pageItems;
    this.list = h("ol", { class: "tally-bars", "data-testid": testid });
    this.line = h("p", { class: "tally-line", hidden: true });
    this.wrap = h("div", { class: "tally-bars-wrap" }, this.list, this.line);
    this.rows = new Map();
    replaceChildren(container, this.wrap);
  }

  update(rows, scale, line = null, lineLabel = "") {
    const seen = new Set();
    rows.forEach((row, index) => {
      seen.add(row.key);
      let el = this.rows.get(row.key);
      if (!el) {
        el = h(
          "li",
          { class: "tally-row", dataset: { key: row.key }, "data-testid": "tally-row", "data-page-item": this.pageItems ? "" : null },
          h("span", { class: "tally-label", "data-testid": "tally-label" }),
          h("span", { class: "tally-track" }, h("span", { class: "tally-fill" })),
          h("span", { class: "tally-value", "data-testid": "tally-value" }),
          h("span", { class: "tally-mark", "data-testid": "tally-mark" }),
        );
        this.rows.set(row.key, el);
      }
      if (this.list.children[index] !== el) this.list.insertBefore(el, this.list.children[index] || null);
      setText(el.querySelector(".tally-label"), row.label);
      setText(el.querySelector(".tally-value"), row.shown);
      const share = scale ? Math.max(0, Math.min(1, row.value / scale)) : 0;
      // CSSOM (not a style attribute): allowed by the page's Content-Security-Policy.
      el.querySelector(".tally-fill").style.width = `${(share * 100).toFixed(2)}%`;
      el.dataset.mark = row.mark || "";
      el.toggleAttribute("data-news", Boolean(row.news));
      setText(el.querySelector(".tally-mark"), row.mark ? this.t(`mark_${row.mark}`) : "");
    });
    for (const [key, el] of this.rows) {
      if (!seen.has(key)) {
        el.remove();
        this.rows.delete(key);
      }
    }
    this.line.hidden = line === null || !lineLabel;
    if (line === null) delete this.list.dataset.line;
    else {
      this.list.dataset.line = "1";
      this.list.style.setProperty("--at", `${(line * 100).toFixed(2)}%`);
      setText(this.line, lineLabel);
    }
  }
}

/** The round-by-round table: one row per option (or choice), one column per round. */
export function roundTable(round, t, locale) {
  const result = round.result;
  if (!result || !result.rounds.length) return null;
  const rounds = result.rounds;
  const method = methodOf(round.method);
  const keys = method.proposal ? CHOICES[round.method].map(String) : round.options.map((o) => String(o.id));
  const label = (key) => (method.proposal ? choiceLabel(round.method, key, t) : optionLabel(round, key));
  const cell = (r, key) => {
    if (!(key in r.tallies)) return h("td", { class: "muted" }, "–");
    const marks = [];
    if ((r.elected || []).map(String).includes(key)) marks.push(h("span", { class: "cell-mark cell-elected" }, ` ${t("mark_elected_short")}`));
    if ((r.eliminated || []).map(String).includes(key)) marks.push(h("span", { class: "cell-mark cell-eliminated" }, ` ${t("mark_eliminated_short")}`));
    return h("td", {}, num(r.tallies[key], locale), marks);
  };
  const showExhausted = method.exhausts;
  // A wide table scrolls sideways: a region that takes focus, so the keyboard scrolls it too.
  return h(
    "div",
    { class: "table-scroll", role: "region", tabindex: "0", "aria-label": t("table_caption", { title: round.title }) },
    h(
      "table",
      { class: "round-table", "data-testid": "round-table" },
      h("caption", { class: "visually-hidden" }, t("table_caption", { title: round.title })),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, method.proposal ? t("table_choice") : t("table_option")),
          rounds.map((r) => h("th", { scope: "col" }, rounds.length > 1 ? t("table_round", { n: r.number }) : t("table_votes"))),
        ),
      ),
      h(
        "tbody",
        {},
        keys.map((key) => h("tr", {}, h("th", { scope: "row" }, label(key)), rounds.map((r) => cell(r, key)))),
        showExhausted
          ? h("tr", { class: "row-exhausted" }, h("th", { scope: "row" }, t("table_exhausted")), rounds.map((r) => h("td", {}, num(r.exhausted, locale))))
          : null,
      ),
    ),
  );
}

/** For yes/no, consent and gradients: the rule the count applied, in words. */
export function ruleText(round, t) {
  const quorum = round.quorum ? t("rule_quorum", { n: round.quorum }) : "";
  const method = methodOf(round.method);
  const filled = {
    threshold: thresholdText(round.threshold || method.defaults.threshold, t),
    limit: round.stand_aside_limit || method.defaults.stand_aside_limit || "",
  };
  const rule = method.rule_sentence.replace(/\{(\w+)\}/g, (whole, name) => filled[name] ?? whole);
  return [rule, quorum].filter(Boolean).join(" ");
}

/** The names of options, as one list ("A, B and C"). */
export function namesText(round, ids, t, most = Infinity) {
  const names = (ids || []).map((id) => optionLabel(round, id));
  const others = names.length > most ? names.length - Math.max(1, most - 1) : 0;
  if (others) return t("names_and_others", { names: names.slice(0, names.length - others).join(", "), n: others });
  return names.length > 1 ? t("names_and", { names: names.slice(0, -1).join(", "), last: names[names.length - 1] }) : names.join("");
}

/** How the round breaks ties that looking back cannot (the rules used; options only). */
export function tieRuleText(round, t) {
  if (methodOf(round.method).proposal) return "";
  const mode = ["order", "room"].includes(round.tie_break) ? round.tie_break : "lot";
  return t(`tie_rule_${mode}`);
}

/** The decisions taken on an agenda item, for the agenda lists (null when none). */
export function itemDecisions(state, item, t) {
  const rounds = (state.rounds || []).filter((r) => r.state === "closed" && r.result && r.agenda_item_id === item.id);
  if (!rounds.length) return null;
  return h(
    "span",
    { class: "agenda-decisions" },
    rounds.map((r) => h("span", { class: `agenda-decision ${r.result.passed === false ? "is-not-passed" : ""}`.trim(), "data-testid": "agenda-decision" }, decisionText(r, t))),
  );
}

/** The count of a yes/no, consent or gradients round: each choice and its votes, in the
 * page's language (the engine's own sentence is English). */
function proposalCounts(round, result, r, t, locale) {
  const parts = choicesOf(round.method).map((choice) => `${choice.short}: ${num(r.tallies[String(choice.value)], locale)}`);
  const quorate = !result.details || result.details.quorate !== false;
  return `${parts.join(" · ")}${quorate ? "" : ` · ${t("quorum_missed")}`}`;
}

/**
 * What happened in round `index`, in one translated sentence built from the structure
 * (the engine's own `explanation` names options by their ids).
 */
export function roundSentence(round, result, index, t, locale, most = Infinity) {
  const r = result.rounds[Math.min(index, result.rounds.length - 1)];
  if (!r) return "";
  const story = methodOf(round.method).story;
  if (story === "counts") return proposalCounts(round, result, r, t, locale);
  const name = (id) => optionLabel(round, id);
  const votes = (id) => num(r.tallies[String(id)], locale);
  if (story === "pairwise") {
    const winner = (result.winners || [])[0];
    if (winner === undefined) return decisionText(round, t);
    const condorcet = result.details && result.details.condorcet_winner != null;
    return t(condorcet ? "story_condorcet" : "story_schulze", { name: name(winner) });
  }
  if (story !== "transfers") return decisionText(round, t);
  const parts = [];
  for (const id of r.elected || []) parts.push(t("story_elected", { name: name(id), votes: votes(id) }));
  for (const id of r.eliminated || []) parts.push(t("story_eliminated", { name: name(id), votes: votes(id) }));
  const moving = (r.transfers || []).filter((m) => numValue(m.votes) > 0);
  // The projector names at most ``most`` of the transfers (the bars show where they went).
  const named = moving.length > most ? moving.slice(0, Math.max(1, most - 1)) : moving;
  const moves = named.map((m) => (m.to === null || m.to === undefined ? t("story_exhausted", { votes: num(m.votes, locale) }) : t("story_transfer", { votes: num(m.votes, locale), name: name(m.to) })));
  const rest = moving.slice(named.length);
  if (rest.length) moves.push(t("story_transfer_others", { votes: num(rest.reduce((sum, m) => sum + numValue(m.votes), 0), locale), n: rest.length }));
  if (moves.length) {
    const from = (r.transfers[0] && r.transfers[0].from) ?? null;
    const surplus = from !== null && !(r.eliminated || []).map(String).includes(String(from));
    parts.push(t(surplus ? "story_surplus" : "story_moves", { name: from !== null ? name(from) : "", list: moves.join("; ") }));
  }
  if (!parts.length) parts.push(t("story_nobody_yet"));
  return parts.join(" ");
}

/** Every round's sentence, as a list (phone and console). */
export function storyList(round, t, locale) {
  const result = round.result;
  if (!result) return null;
  if (result.rounds.length <= 1) return h("p", { class: "round-explanation", "data-testid": "round-story" }, roundSentence(round, result, 0, t, locale));
  return h(
    "ol",
    { class: "round-story", "data-testid": "round-story" },
    result.rounds.map((r, i) => h("li", {}, h("strong", {}, `${t("table_round", { n: r.number })}: `), roundSentence(round, result, i, t, locale))),
  );
}

/**
 * A tie the count broke, in one sentence with the tied options' names and the rule used
 * (docs/voting-methods.md, "Ties"): looking back at earlier rounds, then the seeded lot, the
 * options' order or a lot drawn in the room.
 * Reads the result's tie_breaks ({round, purpose, tied, chosen, how, looked_back}).
 */
/** A tie broken, in words. ``most`` names at most that many of the tied (the projector: the
 * bars show the others), then "and 14 others". */
export function tieText(round, tie, t, most = Infinity) {
  const list = namesText(round, tie.tied, t, most);
  const how = ["lookback", "order", "room"].includes(tie.how) ? tie.how : "lot";
  const purpose = ["exclude", "elect", "surplus", "rank"].includes(tie.purpose) ? tie.purpose : "rank";
  const looked = tie.looked_back || [];
  const back = looked.length ? looked[looked.length - 1] : "";
  return t(`tie_${how}_${purpose}`, { names: list, chosen: optionLabel(round, tie.chosen), round: tie.round, back });
}
