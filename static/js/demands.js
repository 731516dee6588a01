// @ts-check
// Demands and amendments (docs/demands.md): the pieces every screen shares (status badges,
// support line, word diff, agreement bars) and the projector's view. The phone is in
// demands-phone.js, the facilitator's panel in demands-console.js.
//
// Safety: a demand's `body_html` is sanitized by the server (nh3) and is the only text
// inserted as HTML; every other text a person typed goes through textContent (dom.js's h()).

import { h, pageParts, replaceChildren } from "./dom.js";

export const STATUSES = ["draft", "open", "under_vote", "adopted", "rejected", "withdrawn", "merged"];
/** Statuses that take support, amendments and stances. */
export const ACTIVE = new Set(["draft", "open"]);
/** Shown only when asked for ("Show withdrawn and merged"). */
export const GONE = new Set(["withdrawn", "merged"]);
/** Bridging agreement at or above this "unites the room". */
export const UNITES = 0.75;

export function statusBadge(status, t) {
  return h("span", { class: `badge demand-status status-${status}`, "data-testid": "demand-status" }, t(`demand_status_${status}`));
}

export function amendmentBadge(amendment, t) {
  const key = amendment.status === "adopted" && amendment.friendly ? "friendly" : amendment.status;
  return h("span", { class: `badge amendment-status astatus-${amendment.status}`, "data-testid": "amendment-status" }, t(`amendment_status_${key}`));
}

/** Why an amendment was outdated, in the page's language: the server stores the English
 * sentence (convene/domain/demands/amendments.py AMENDMENT_NOTES) and the page carries each
 * one's translation as "amendment_note:<sentence>"; a note it does not know is shown as stored.
 * @param {string} note
 * @param {(key: string) => string} t
 */
export function amendmentNote(note, t) {
  const key = `amendment_note:${note}`;
  const text = t(key);
  return text === key ? note : text;
}

/** The demand's text: Markdown rendered and sanitized by the server (nh3). */
export function demandBody(demand, className = "demand-body") {
  const el = h("div", { class: className, "data-testid": "demand-body" });
  el.innerHTML = demand.body_html; // sanitized server-side; the only HTML we insert
  for (const a of el.querySelectorAll("a")) a.setAttribute("target", "_blank");
  return el;
}

/** While a demand's text is on its way: the summary's excerpt, in the body's place. */
export function demandExcerpt(demand, className = "demand-body") {
  return h("div", { class: `${className} demand-excerpt`, "data-testid": "demand-excerpt", "aria-busy": "true" }, h("p", {}, demand.excerpt || ""));
}

/** The body if the text is here (`full`), else the excerpt. */
export function bodyOrExcerpt(full, demand, className = "demand-body") {
  return full ? demandBody(full, className) : demandExcerpt(demand, className);
}

/**
 * A consent round on the demand did not pass and the room works on it again: which round,
 * what follows, and what the blocks said (everyone sees it, until the next round opens).
 */
export function blockNote(demand, t, className = "block-note") {
  const block = demand.consent_block;
  if (!block || !ACTIVE.has(demand.status)) return null;
  const next = block.path ? t(`block_next_${block.path}`) : t("block_next_none");
  return h(
    "div",
    { class: className, role: "note", "data-testid": "block-note" },
    h("p", { class: "block-note-head" }, t("block_note", { round: block.round_title || "" }), " ", h("span", { class: "block-note-next" }, next)),
    block.reasons ? h("p", { class: "block-note-reasons" }, t("block_reasons", { text: block.reasons })) : null,
  );
}

export function authorsText(demand, t) {
  const names = (demand.authors && demand.authors.length ? demand.authors : [demand.author]).map((a) => a.name);
  return t("demand_by", { names: names.join(", ") });
}

/** "3 of 2 needed" and, unless anonymous, who supports it: the first few by name (the
 * summary names at most 10), and how many more. */
export function supportLine(demand, t) {
  const enough = demand.supporters >= demand.support_required;
  const count = h(
    "span",
    { class: `support-count ${enough ? "is-enough" : ""}`.trim(), "data-testid": "support-count" },
    t("supporters_of", { n: demand.supporters, needed: demand.support_required }),
  );
  const named = demand.supported_by || [];
  const more = Math.max(0, demand.supporters - named.length);
  const list = named.map((s) => s.name).join(", ");
  const names = named.length
    ? h("span", { class: "support-names muted", "data-testid": "supporter-names" }, more ? t("supported_by_more", { names: list, n: more }) : t("supported_by", { names: list }))
    : null;
  return h("p", { class: "support-line" }, count, names ? " · " : null, names);
}

/**
 * An amendment's change as <del>/<ins> (not only colour: struck through and underlined, and
 * screen readers hear "deleted"/"inserted" from the visually hidden labels). `change` is the
 * server's `diff_html` (the rendered text, sanitized by the server with nh3: bold stays bold,
 * lists stay lists), or else a list of word operations on plain text.
 */
export function diffView(change, t, className = "diff") {
  if (typeof change === "string") {
    const el = h("div", { class: `${className} diff-rendered`, "data-testid": "diff" });
    el.innerHTML = change; // sanitized server-side (rendering.render_diff)
    for (const mark of el.querySelectorAll("del, ins")) {
      const word = mark.tagName === "DEL" ? t("diff_deleted") : t("diff_inserted");
      mark.classList.add(mark.tagName === "DEL" ? "diff-del" : "diff-ins");
      mark.prepend(h("span", { class: "visually-hidden" }, `[${word}: `));
      mark.append(h("span", { class: "visually-hidden" }, "]"));
    }
    for (const a of el.querySelectorAll("a")) a.setAttribute("target", "_blank");
    return el;
  }
  const parts = [];
  for (const op of change || []) {
    if (op.op === "equal") parts.push(op.text);
    else if (op.op === "delete") parts.push(h("del", { class: "diff-del" }, h("span", { class: "visually-hidden" }, `[${t("diff_deleted")}: `), op.text, h("span", { class: "visually-hidden" }, "]")));
    else if (op.op === "insert") parts.push(h("ins", { class: "diff-ins" }, h("span", { class: "visually-hidden" }, `[${t("diff_inserted")}: `), op.text, h("span", { class: "visually-hidden" }, "]")));
  }
  return h("p", { class: className, "data-testid": "diff" }, parts);
}

export function percent(share) {
  return share === null || share === undefined ? "–" : `${Math.round(share * 100)}%`;
}

/** A horizontal bar for a share (0..1), with its figure as text; width set through CSSOM (CSP-safe). */
export function shareBar(label, share, extraClass = "") {
  const fill = h("span", { class: "bar-fill" });
  fill.style.setProperty("--share", String(share ?? 0));
  return h(
    "div",
    { class: `bar-row ${extraClass}`.trim() },
    h("span", { class: "bar-label" }, label),
    h("span", { class: `bar ${share === null || share === undefined ? "is-empty" : ""}`.trim(), "aria-hidden": "true" }, fill),
    h("span", { class: "bar-value" }, percent(share)),
  );
}

export function unitesRoom(demand) {
  const b = demand.agreement && demand.agreement.bridging;
  return b !== null && b !== undefined && b >= UNITES;
}

export function agreementCounts(agreement, t) {
  return t("agreement_counts", { agree: agreement.agree, disagree: agreement.disagree, pass: agreement.pass });
}

/** Sort demand views like the server (rules.sort_views): highest first, none last, ties by position. */
export function sortDemands(demands, sort) {
  const list = [...demands];
  if (sort !== "agreement" && sort !== "bridging") return list.sort((a, b) => a.position - b.position);
  const key = sort === "agreement" ? "share" : "bridging";
  const value = (d) => (d.agreement ? d.agreement[key] : null);
  return list.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if ((va === null) !== (vb === null)) return va === null ? 1 : -1;
    if (va !== vb && va !== null) return vb - va;
    return a.position - b.position;
  });
}

/**
 * Keep `list`'s children equal to `nodes`, in order, without touching nodes already in
 * place (so a form someone is typing in keeps its focus and caret).
 */
export function reconcile(list, nodes) {
  nodes.forEach((node, i) => {
    if (list.children[i] !== node) list.insertBefore(node, list.children[i] || null);
  });
  while (list.children.length > nodes.length) list.lastElementChild.remove();
}

/**
 * A list of cards kept by demand id: each card is an <li> with a view (rebuilt only when
 * its key changes) and a slot for a form (left alone, so typing survives live updates).
 */
export class CardList {
  constructor(list, attrs) {
    this.list = list;
    this.attrs = attrs; // item → attributes of the <li>
    this.cards = new Map();
  }

  render(items, keyOf, viewOf) {
    const nodes = items.map((item) => {
      let card = this.cards.get(item.id);
      if (!card) {
        const view = h("div", { class: "card-view" });
        const slot = h("div", { class: "card-slot" });
        card = { el: h("li", {}, view, slot), view, slot, key: null };
        this.cards.set(item.id, card);
      }
      const { class: cls, dataset = {}, ...rest } = this.attrs(item);
      card.el.className = cls || "";
      Object.assign(card.el.dataset, dataset);
      for (const [name, value] of Object.entries(rest)) card.el.setAttribute(name, String(value));
      const key = keyOf(item);
      if (key !== card.key) {
        card.key = key;
        replaceChildren(card.view, viewOf(item, card));
      }
      return card.el;
    });
    const ids = new Set(items.map((i) => i.id));
    for (const id of [...this.cards.keys()]) if (!ids.has(id)) this.cards.delete(id);
    const active = /** @type {HTMLElement | null} */ (document.activeElement);
    reconcile(this.list, nodes);
    if (active && active !== document.activeElement && this.list.contains(active)) active.focus();
  }

  card(id) {
    return this.cards.get(id) || null;
  }
}

// -- the projector -------------------------------------------------------------------------

/**
 * The latest amendment activity still worth showing, or on a fresh load the newest pending
 * one: {demand (in full), amendment}, or null. `texts` holds the demands' text; one not
 * here yet is asked for, and the spotlight shows once it came.
 */
function spotlight(state, shown, texts) {
  const s = state.demand_spotlight;
  let target = null;
  if (s) {
    target = { demand: shown.find((d) => d.id === s.demand_id), amendmentId: s.amendment_id };
  } else {
    for (const demand of shown) {
      for (const id of demand.pending_amendments || []) {
        if (!target || id > target.amendmentId) target = { demand, amendmentId: id };
      }
    }
  }
  if (!target || !target.demand) return null;
  const full = texts.want(target.demand);
  const amendment = full && full.amendments && full.amendments.find((a) => a.id === target.amendmentId);
  if (amendment && amendment.status !== "withdrawn") return { demand: full, amendment };
  return null;
}

function projectorDemands(state) {
  const visible = (state.demands || []).filter((d) => !d.hidden && !GONE.has(d.status));
  const current = state.current_item_id;
  const ofItem = current == null ? [] : visible.filter((d) => d.item_id === current);
  return ofItem.length ? ofItem : visible.filter((d) => d.status !== "draft");
}

function spotlightView(demand, amendment, t) {
  const adopted = amendment.status === "adopted";
  const head = adopted
    ? t("proj_amendment_adopted", { title: demand.title })
    : amendment.status === "rejected"
      ? t("proj_amendment_rejected", { title: demand.title })
      : t("proj_amendment_proposed", { name: amendment.author.name, title: demand.title });
  return h(
    "div",
    { class: `proj-spotlight ${adopted ? "is-adopted" : ""}`.trim(), "data-testid": "projector-spotlight", dataset: { amendment: amendment.id, status: amendment.status } },
    h("p", { class: "projector-eyebrow" }, adopted ? t("proj_new_version", { n: demand.version }) : t("proj_amendment")),
    h("p", { class: "proj-spotlight-head", "data-page-item": "" }, head),
    adopted || amendment.status === "rejected" ? pageBlocks(demandBody(demand, "demand-body proj-body")) : projectorDiff(amendment, t),
    !adopted && amendment.rationale ? h("p", { class: "proj-rationale", "data-page-item": "" }, t("rationale_said", { text: amendment.rationale })) : null,
  );
}

function projectorRow(demand, t) {
  const a = demand.agreement;
  return h(
    "li",
    { class: "proj-demand", "data-testid": "projector-demand", "data-page-item": "", dataset: { id: demand.id } },
    h(
      "div",
      { class: "proj-demand-head" },
      h("span", { class: "proj-demand-title" }, demand.title),
      statusBadge(demand.status, t),
      unitesRoom(demand) ? h("span", { class: "badge unites", "data-testid": "unites" }, t("unites_room")) : null,
    ),
    blockNote(demand, t, "block-note proj-block-note"),
    h("p", { class: "proj-demand-support muted" }, t("supporters_of", { n: demand.supporters, needed: demand.support_required }), a.responses ? ` · ${agreementCounts(a, t)}` : ""),
    a.agree + a.disagree
      ? h(
          "div",
          { class: "proj-bars" },
          shareBar(t("agreement"), a.share),
          a.caucuses_counted > 1 ? shareBar(t("bridging"), a.bridging, "bar-bridging") : null,
        )
      : null,
  );
}

/** On the projector, unchanged text around a change keeps this many characters each side. */
const CONTEXT_CHARS = 60;

/** An amendment's diff with long unchanged stretches shortened to their ends ("…"). */
export function trimmedOps(ops, context = CONTEXT_CHARS) {
  const out = [];
  (ops || []).forEach((op, i) => {
    if (op.op !== "equal" || op.text.length <= 2 * context + 20) {
      out.push(op);
      return;
    }
    const first = i === 0;
    const last = i === ops.length - 1;
    const head = first ? "" : op.text.slice(0, context).replace(/\s+\S*$/, "");
    const tail = last ? "" : op.text.slice(-context).replace(/^\S*\s+/, "");
    out.push({ op: "equal", text: `${head}${head || !first ? " … " : "… "}${tail}`.replace(/^ /, "") });
  });
  return out;
}

/** An amendment on the projector: on the rendered text (its blocks are the pages' units),
 * or as trimmed word operations from an older server. */
function projectorDiff(amendment, t) {
  if (amendment.diff_html) return pageBlocks(changedBlocks(diffView(amendment.diff_html, t, "diff proj-diff")));
  return pageItem(diffView(trimmedOps(amendment.diff), t, "diff proj-diff"));
}

/** Only the blocks (paragraphs, list items) that hold a change: the room reads the change;
 * the whole text is one press away ("A demand" in the console's On the projector). */
function changedBlocks(el) {
  const changed = (node) => node.matches("ins, del") || node.querySelector("ins, del");
  if (!el.querySelector("ins, del")) return el;
  for (const child of [...el.children]) {
    if (child.tagName === "OL" || child.tagName === "UL") {
      [...child.children].forEach((li, i) => {
        if (child.tagName === "OL") li.value = Number(child.getAttribute("start") || 1) + i;
        if (!changed(li)) li.remove();
      });
      if (!child.children.length) child.remove();
    } else if (!changed(child)) child.remove();
  }
  return el;
}

function pageItem(el) {
  el.dataset.pageItem = "";
  return el;
}

/** Mark the blocks of a rendered body (paragraphs, list items) as the pages' units, each in
 * sentences for a page of its own if it needs more than one (fit.js). */
function pageBlocks(el) {
  const locale = document.documentElement.lang || undefined;
  const mark = (block) => {
    block.dataset.pageItem = "";
    pageParts(block, locale);
  };
  for (const child of el.children) {
    if (child.tagName === "OL" || child.tagName === "UL") for (const li of child.children) mark(li);
    else mark(child);
  }
  return el;
}

function oneDemand(summary, full, t) {
  const demand = full || summary;
  const pending = ((full && full.amendments) || []).filter((a) => a.status === "pending");
  const latest = pending[pending.length - 1] || null;
  const a = demand.agreement;
  return [
    h("p", { class: "projector-eyebrow" }, t("demands_title")),
    h(
      "div",
      { class: "proj-demand-head" },
      h("h1", { class: "proj-demand-big-title", "data-testid": "projector-demand-title" }, demand.title),
      statusBadge(demand.status, t),
    ),
    h("p", { class: "proj-demand-support muted" }, t("supporters_of", { n: demand.supporters, needed: demand.support_required }), a.responses ? ` · ${agreementCounts(a, t)}` : ""),
    latest
      ? h(
          "div",
          { class: "proj-spotlight", "data-testid": "projector-spotlight", dataset: { amendment: latest.id, status: latest.status } },
          h("p", { class: "projector-eyebrow" }, t("proj_amendment")),
          h("p", { class: "proj-spotlight-head", "data-page-item": "" }, t("proj_amendment_proposed", { name: latest.author.name, title: demand.title })),
          projectorDiff(latest, t),
        )
      : null,
    full ? pageBlocks(demandBody(full, "demand-body proj-body")) : null,
  ];
}

/**
 * The projector: the current item's demands (or every open one) and the latest amendment,
 * or the one demand the facilitator put on it.
 * @param {import("./live.js").LiveConnection} live
 * @param {(key: string, params?: object) => string} t
 * @param {HTMLElement} el
 * @param {() => {mode: string, demands?: boolean, demandId?: number}} [view]  the projector's (projector-view.js)
 */
export function mountProjectorDemands(live, t, el, view = () => ({ mode: "item", demands: true })) {
  const MAX_ROWS = 5;
  let shownKey = null;
  live.subscribe((state) => {
    const v = view();
    const root = document.getElementById("live");
    if (v.mode === "demand") {
      const demand = (state.demands || []).find((d) => d.id === v.demandId);
      const full = demand ? live.texts.want(demand) : null;
      const key = JSON.stringify(["one", demand, live.texts.mark(demand)]);
      el.hidden = !demand;
      if (root) root.dataset.demands = demand ? "true" : "false";
      if (key === shownKey) return;
      shownKey = key;
      replaceChildren(el, demand ? oneDemand(demand, full, t) : []);
      return;
    }
    const shown = v.mode === "item" && v.demands ? projectorDemands(state) : [];
    const spot = spotlight(state, shown, live.texts);
    const key = JSON.stringify([shown, spot && spot.amendment, spot && spot.demand.body_html, state.current_item_id]);
    el.hidden = shown.length === 0;
    if (root) root.dataset.demands = shown.length ? "true" : "false";
    if (key === shownKey) return;
    shownKey = key;
    const others = spot ? shown.filter((d) => d.id !== spot.demand.id) : shown;
    const rows = spot ? [spot.demand, ...others] : others;
    const limit = spot ? MAX_ROWS - 2 : MAX_ROWS;
    replaceChildren(
      el,
      h("h2", { class: "floor-queue-title proj-demands-title" }, t("demands_title")),
      spot ? spotlightView(spot.demand, spot.amendment, t) : null,
      h("ol", { class: "proj-demand-list" }, rows.slice(0, limit).map((d) => projectorRow(d, t))),
      rows.length > limit ? h("p", { class: "floor-more" }, t("queue_more", { n: rows.length - limit })) : null,
    );
  });
}
