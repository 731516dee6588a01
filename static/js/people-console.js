// @ts-check
// The console's people list: search and filters (status, role, caucus), one page of rows at
// a time, who is connected, who has not voted in the open round (named rounds), namesakes
// told apart, each member's caucus, and removing a member after a confirmation. What it
// shows is chosen in people.js; this module draws it.

import { $, confirmRow, h, replaceChildren, setText } from "./dom.js";
import { caucusControl, caucusEditing } from "./demands-console.js";
import { reconcile } from "./demands.js";
import { caucusNames, namesakes, openRoundOf, pageOf, shownMembers, turnoutKey } from "./people.js";

/** @import { Member } from "./live-state.js" */
/** @import { Round } from "./rounds-state.js" */

// Who has not voted in the open round: the turnout counts them (named rounds) and names the
// first 20; the filter reads them all (rounds.not_voted, 500 a page) while it is chosen, again
// when the count moves, at most every NOT_VOTED_EVERY_MS.
const NOT_VOTED_EVERY_MS = 2000;

/**
 * @param {import("./live.js").LiveConnection} live
 * @param {(key: string, params?: object) => string} t
 * @param {(name: string, args: object) => Promise<any>} run  resolves to the result, or undefined (the console shows the error)
 * @param {(text: string, kind?: string) => void} say  a message in the console's live region
 * @param {string} locale
 */
export function mountConsolePeople(live, t, run, say, locale) {
  /** @type {import("./people.js").PeopleFilter} */
  const people = { query: "", status: "all", role: "", caucus: "", page: 0 };
  const collator = new Intl.Collator(locale, { sensitivity: "base", numeric: true });
  /** The removal that awaits confirmation (a member id). */
  let confirmMember = null;
  /** @type {{round: number | null, voted: string | null, ids: Set<number> | null, busy: boolean, at: number, timer: ReturnType<typeof setTimeout> | null}} */
  const notVotedRead = { round: null, voted: null, ids: null, busy: false, at: 0, timer: null };

  /**
   * @param {Round} round
   * @param {string} key  what the list depends on (turnoutKey)
   */
  async function readNotVoted(round, key) {
    if (notVotedRead.busy) return;
    const wait = notVotedRead.at + NOT_VOTED_EVERY_MS - Date.now();
    if (wait > 0) {
      if (notVotedRead.timer === null) {
        notVotedRead.timer = setTimeout(() => {
          notVotedRead.timer = null;
          if (live.state) renderMembers(live.state);
        }, wait);
      }
      return;
    }
    notVotedRead.busy = true;
    notVotedRead.at = Date.now();
    const ids = new Set();
    let after = 0;
    try {
      while (after != null) {
        const page = await live.command("rounds.not_voted", { round_id: round.id, after, limit: 500 });
        for (const p of page.not_voted) ids.add(p.id);
        after = page.next_after;
      }
      Object.assign(notVotedRead, { round: round.id, voted: key, ids });
    } catch (error) {
      notVotedRead.at = Date.now() + (error && error.retry_after ? error.retry_after * 1000 : 0);
    } finally {
      notVotedRead.busy = false;
    }
    if (live.state) renderMembers(live.state);
  }

  /** Who has not voted in the open round, when the server tells facilitators (named rounds):
   * `notVoted` is the set of their ids once read (null until then, or in a secret round). */
  function openRoundVoters(state) {
    const { open, named } = openRoundOf(state);
    if (!open || !named) return { open, named, notVoted: null };
    const key = turnoutKey(state, open.turnout);
    if (people.status === "not_voted" && (notVotedRead.round !== open.id || notVotedRead.voted !== key)) {
      readNotVoted(open, key);
    }
    return { open, named, notVoted: notVotedRead.round === open.id ? notVotedRead.ids : null };
  }

  /** @param {Date | string | undefined} joined */
  function joinedTime(joined) {
    const at = joined ? new Date(joined) : null;
    return at && !Number.isNaN(at.getTime()) ? at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }) : "";
  }

  /** @param {Member[]} members */
  function caucusOptions(members) {
    const select = $("#people-caucus");
    const names = caucusNames(members, collator);
    const key = JSON.stringify(names);
    if (select.dataset.key === key) return;
    select.dataset.key = key;
    const chosen = select.value;
    replaceChildren(select, h("option", { value: "" }, t("any_caucus")), names.map((n) => h("option", { value: n, title: n }, n)));
    select.value = names.includes(chosen) ? chosen : "";
    if (select.value !== chosen) people.caucus = "";
    showChosenCaucus(select);
  }

  /** A caucus can be a chapter's whole name, longer than the field: its title holds it all. */
  function showChosenCaucus(select) {
    select.title = select.value;
  }

  /**
   * Show whether the member of row `li` is connected (changed in place, see renderMembers).
   * @param {HTMLElement} li
   * @param {boolean} on
   */
  function showPresence(li, on) {
    li.classList.toggle("is-connected", on);
    const text = on ? t("connected") : t("not_connected");
    const dot = /** @type {HTMLElement} */ (li.querySelector(".presence-dot"));
    if (dot.title !== text) dot.title = text;
    setText(li.querySelector(".presence-text"), text);
  }

  /**
   * @param {Member} m
   * @param {number} me  this facilitator's member id
   * @param {number | undefined} twin  their number among namesakes
   */
  function memberRow(m, me, twin) {
    const confirming = confirmMember === m.id;
    const full = m.caucus ? `${m.name} · ${m.caucus}` : m.name;
    return h(
      "li",
      { class: "member", dataset: { id: m.id }, "data-testid": "member" },
      h(
        "div",
        { class: "member-row" },
        h("span", { class: "presence-dot" }),
        h("span", { class: "visually-hidden presence-text" }),
        h(
          "span",
          { class: "member-who" },
          // One line each: the full name shows on hover (title) and on focus (tabindex, CSS).
          h(
            "span",
            { class: "member-name", title: full, tabindex: "0", "data-testid": "member-name" },
            m.name,
            m.id === me ? h("span", { class: "muted" }, ` (${t("you")})`) : null,
          ),
          twin || m.caucus
            ? h(
                "span",
                { class: "member-meta muted", title: full },
                m.caucus ? h("span", { class: "member-caucus" }, m.caucus) : null,
                twin && m.caucus ? " · " : null,
                twin ? h("span", { class: "member-twin", "data-testid": "namesake" }, t("namesake", { n: twin, time: joinedTime(m.joined_at) })) : null,
              )
            : null,
        ),
        m.role === "participant" ? null : h("span", { class: "badge badge-role" }, t(`role_${m.role}`)),
        m.role === "participant" || m.role === "facilitator" ? caucusControl(m) : null,
        m.id === me
          ? null
          : h(
              "button",
              {
                type: "button",
                class: "button button-small button-danger-quiet",
                "data-key": `remove-member-${m.id}`,
                "aria-label": t("remove_member_label", { name: m.name }),
                "aria-expanded": confirming ? "true" : "false",
                title: t("remove_member_label", { name: m.name }),
                onclick: () => {
                  confirmMember = m.id;
                  renderMembers(live.state);
                  $(`[data-key="confirm-member-${m.id}"]`)?.focus();
                },
              },
              "✕",
            ),
      ),
      confirming
        ? confirmRow(t("confirm_remove_member", { name: m.name }), `confirm-member-${m.id}`, { yes: t("yes_remove"), cancel: t("cancel") }, async () => {
            confirmMember = null;
            const ok = await run("members.remove", { member_id: m.id });
            if (ok !== undefined) say(t("member_removed", { name: m.name }));
            renderMembers(live.state);
          }, () => {
            confirmMember = null;
            renderMembers(live.state);
            $(`[data-key="remove-member-${m.id}"]`)?.focus();
          })
        : null,
    );
  }

  /** The rows of the people list on screen: member id → {key: what the row shows, el}. */
  const memberRows = new Map();
  const emptyRows = new Map();

  /** @param {string} message */
  function emptyRow(message) {
    if (!emptyRows.has(message)) emptyRows.set(message, h("li", { class: "muted member-empty" }, t(message)));
    return emptyRows.get(message);
  }

  function renderMembers(state) {
    const connected = new Set((state.presence && state.presence.connected) || []);
    const me = state.me.id;
    const all = state.members || [];
    caucusOptions(all);
    const { open, named, notVoted } = openRoundVoters(state);
    const notVotedOption = $('#people-status option[value="not_voted"]');
    notVotedOption.disabled = !named;
    setText(notVotedOption, named ? t("not_voted_filter") : open ? t("not_voted_secret") : t("no_open_round"));
    if (!named && people.status === "not_voted") {
      people.status = "all";
      $("#people-status").value = "all";
    }
    const shown = shownMembers(all, people, { connected, notVoted, collator });
    const { page: at, pages, first, rows: page } = pageOf(shown, people.page);
    people.page = at;
    const twins = namesakes(all);
    const list = $("#members");
    // Rows are kept by member and rebuilt only when what they show changes; presence changes
    // in place. (Rebuilding the whole list on every presence update lost the facilitator's
    // clicks: a press on "Yes, remove" and its release landed on two different buttons.)
    const active = /** @type {HTMLElement | null} */ (document.activeElement);
    const activeKey = active && list.contains(active) ? active.dataset.key : null;
    const rows = page.map((m) => {
      const key = JSON.stringify([m.name, m.caucus, m.role, m.id === me, twins.get(m.id), confirmMember === m.id, caucusEditing() === m.id]);
      let row = memberRows.get(m.id);
      if (!row || row.key !== key) {
        row = { key, el: memberRow(m, me, twins.get(m.id)) };
        memberRows.set(m.id, row);
      }
      showPresence(row.el, connected.has(m.id));
      return row.el;
    });
    const onPage = new Set(page.map((m) => m.id));
    for (const id of [...memberRows.keys()]) if (!onPage.has(id)) memberRows.delete(id);
    if (!all.some((m) => m.role === "participant")) rows.push(emptyRow("no_members"));
    else if (!shown.length) rows.push(emptyRow("no_match"));
    reconcile(list, rows);
    if (activeKey && !list.contains(document.activeElement)) {
      list.querySelector(`[data-key="${CSS.escape(activeKey)}"]`)?.focus();
    }
    setText($("#people-count"), t("people_count", { shown: shown.length, n: all.length }));
    $("#people-pager").hidden = pages < 2;
    setText($("#people-page"), t("people_page", { first: shown.length ? first + 1 : 0, last: first + page.length, n: shown.length }));
    $("#people-prev").disabled = people.page === 0;
    $("#people-next").disabled = people.page >= pages - 1;
    const count = state.presence ? state.presence.participants_connected : null;
    setText($("#presence"), count === null ? "–" : t("connected_count", { n: count }));
    setText($("#joined"), `· ${t("joined_count", { n: state.participants })}`);
  }

  /** @param {Partial<import("./people.js").PeopleFilter>} patch */
  function peopleChanged(patch) {
    Object.assign(people, patch, { page: patch.page ?? 0 });
    if (live.state) renderMembers(live.state);
  }
  $("#people-find").addEventListener("submit", (e) => e.preventDefault());
  $("#people-search").addEventListener("input", (e) => peopleChanged({ query: e.target.value }));
  $("#people-status").addEventListener("change", (e) => peopleChanged({ status: e.target.value }));
  $("#people-role").addEventListener("change", (e) => peopleChanged({ role: e.target.value }));
  $("#people-caucus").addEventListener("change", (e) => {
    showChosenCaucus(e.target);
    peopleChanged({ caucus: e.target.value });
  });
  $("#people-prev").addEventListener("click", () => peopleChanged({ page: Math.max(0, people.page - 1) }));
  $("#people-next").addEventListener("click", () => peopleChanged({ page: people.page + 1 }));

  live.subscribe(renderMembers);
}
