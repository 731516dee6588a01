// @ts-check
// The console's roster card: the facilitator chooses a CSV or JSON file, the page sends it
// with dry_run and shows what the import would do (the figures, the rows page by page, who
// on the roster the file no longer lists), or the file's problems by line and column; Confirm
// imports it, Cancel forgets it. What is sent and what a reply means: roster.js.

import { $, h, replaceChildren, setText } from "./dom.js";
import { formatNumber } from "./i18n.js";
import { ROSTER_MAX_BYTES, failureOf, figures, notInFileShown, previewPage, problemsNotListed, rosterRequest, tooLarge } from "./roster.js";

/** @import { Failure, Message, RosterReply, RosterRow } from "./roster.js" */

/**
 * @param {{token: string, code: string, maxBytes?: number}} options
 * @param {(key: string, params?: object) => string} t
 */
export function mountConsoleRoster({ token, code, maxBytes = ROSTER_MAX_BYTES }, t) {
  const input = /** @type {HTMLInputElement} */ ($("#roster-file"));
  const status = $("#roster-status");
  const view = $("#roster-view");
  const url = `/api/convenings/${encodeURIComponent(code)}/roster`;

  /** The file being previewed: its name and what is sent; the dry run's reply; the rows shown. */
  let chosen = /** @type {{name: string, contentType: string, body: Uint8Array<ArrayBuffer> | string} | null} */ (null);
  let preview = /** @type {RosterReply | null} */ (null);
  let shown = { action: "", page: 0 };
  let busy = false;

  /** @param {Message} m */
  const say = (m) => t(m.key, m.params);

  /** @param {boolean} on */
  function setBusy(on) {
    busy = on;
    input.disabled = on;
    for (const button of view.querySelectorAll("button")) /** @type {HTMLButtonElement} */ (button).disabled = on;
  }

  /** Forget the file: the card as it was before one was chosen. */
  function clear() {
    chosen = null;
    preview = null;
    shown = { action: "", page: 0 };
    input.value = "";
    replaceChildren(view);
    setText(status, "");
  }

  /** The heading of what was just drawn takes the focus: a screen reader reads it first. */
  function focusHeading() {
    /** @type {HTMLElement | null} */ (view.querySelector("[data-focus]"))?.focus();
  }

  /**
   * POST the chosen file; resolves to the reply, or draws why it was refused and resolves to null.
   * @param {boolean} dryRun
   * @returns {Promise<RosterReply | null>}
   */
  async function send(dryRun) {
    if (!chosen) return null;
    const { name, contentType, body } = chosen;
    let response;
    try {
      response = await fetch(dryRun ? `${url}?dry_run=true` : url, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": contentType },
        body: typeof body === "string" ? body : new Blob([body]),
      });
    } catch {
      showFailure(name, { message: { key: "roster_network", params: {} }, problems: [], count: 0 });
      return null;
    }
    let reply = null;
    try {
      reply = await response.json();
    } catch {
      /* not JSON (a proxy's page): the status says enough */
    }
    if (response.ok && reply) return reply;
    showFailure(name, failureOf(response.status, reply, maxBytes));
    return null;
  }

  /**
   * Why the file was not imported; the input is emptied so that choosing the corrected file
   * (the same name) reads it again.
   * @param {string} name
   * @param {Failure} failure
   */
  function showFailure(name, failure) {
    chosen = null;
    preview = null;
    input.value = "";
    setText(status, "");
    const extra = problemsNotListed(failure);
    replaceChildren(
      view,
      h(
        "div",
        { class: "roster-problems", "data-testid": "roster-problems" },
        h("p", { class: "form-error", role: "alert", tabindex: "-1", "data-focus": "" }, say(failure.message)),
        failure.problems.length
          ? h(
              "div",
              { class: "roster-table-wrap", tabindex: "0", role: "region", "aria-labelledby": "roster-problems-caption" },
              h(
                "table",
                { class: "roster-table" },
                h("caption", { id: "roster-problems-caption", class: "roster-caption" }, t("roster_problems_of", { name })),
                h(
                  "thead",
                  {},
                  h(
                    "tr",
                    {},
                    ["line", "field", "problem"].map((c) => h("th", { scope: "col", class: `roster-col-${c}` }, t(`roster_col_${c}`))),
                  ),
                ),
                h(
                  "tbody",
                  {},
                  failure.problems.map((p) =>
                    h(
                      "tr",
                      { "data-testid": "roster-problem" },
                      h("td", { class: "roster-line" }, p.line || "–"),
                      h("td", { class: "roster-field" }, p.field ? h("code", {}, p.field) : h("span", { class: "muted" }, t(p.line ? "roster_whole_line" : "roster_whole_file"))),
                      h("td", {}, p.message),
                    ),
                  ),
                ),
              ),
            )
          : null,
        extra ? h("p", { class: "muted", "data-testid": "roster-problems-more" }, t("roster_problems_more", { n: extra })) : null,
        failure.problems.length ? h("p", { class: "hint" }, t("roster_problems_hint")) : null,
        h("div", { class: "form-actions" }, h("button", { type: "button", class: "button", "data-key": "roster-cancel", onclick: cancel }, t("roster_cancel"))),
      ),
    );
    focusHeading();
  }

  /**
   * The figures of a reply, as a list of counts.
   * @param {RosterReply} reply
   * @param {boolean} done  said in the past (after the import)
   */
  function figureList(reply, done) {
    const f = figures(reply);
    const items = done
      ? [
          ["added", f.added, "roster_added"],
          ["updated", f.updated, "roster_updated"],
          ["unchanged", f.unchanged, "roster_unchanged"],
          ["not-in-file", f.notInFile, "roster_not_listed"],
        ]
      : [
          ["added", f.added, "roster_to_add"],
          ["updated", f.updated, "roster_to_update"],
          ["unchanged", f.unchanged, "roster_to_keep"],
          ["not-in-file", f.notInFile, "roster_not_listed"],
        ];
    return h(
      "dl",
      { class: "roster-figures", "aria-label": t(done ? "roster_figures_done" : "roster_figures"), "data-testid": "roster-figures" },
      items.map(([key, n, label]) =>
        h("div", { class: `roster-figure roster-figure-${key}`, "data-testid": `roster-${key}` }, h("dt", {}, t(String(label), { n })), h("dd", {}, formatNumber(Number(n)))),
      ),
    );
  }

  /** @param {RosterRow} row */
  function rowOf(row) {
    return h(
      "tr",
      { class: `roster-row action-${row.action}`, "data-testid": "roster-row" },
      h("td", { class: "roster-line" }, row.line),
      h("td", { class: "roster-name" }, row.name),
      h("td", { class: "roster-delegation" }, h("span", { title: row.delegation || null }, row.delegation)),
      h("td", { class: "roster-role" }, t(`roster_role_${row.role}`)),
      h("td", { class: "roster-weight" }, formatNumber(row.vote_weight)),
      h("td", {}, h("span", { class: `badge roster-action roster-action-${row.action}` }, t(`roster_action_${row.action}`))),
    );
  }

  /** The table of one page of the preview's rows, its filter and its pager. */
  function rowsTable() {
    if (!preview) return null;
    const rows = preview.rows || [];
    const page = previewPage(rows, shown.action, shown.page);
    shown.page = page.page;
    const filter = h(
      "div",
      { class: "roster-filter" },
      h("label", { for: "roster-show" }, t("roster_show")),
      h(
        "select",
        {
          id: "roster-show",
          "data-testid": "roster-show",
          onchange: (/** @type {Event} */ e) => {
            shown = { action: /** @type {HTMLSelectElement} */ (e.target).value, page: 0 };
            drawRows();
          },
        },
        ["", "added", "updated", "unchanged"].map((a) => h("option", { value: a, selected: a === shown.action }, t(a ? `roster_show_${a}` : "roster_show_all"))),
      ),
    );
    const table = h(
      "div",
      { class: "roster-table-wrap", tabindex: "0", role: "region", "aria-labelledby": "roster-rows-caption" },
      h(
        "table",
        { class: "roster-table", "data-testid": "roster-rows" },
        h("caption", { id: "roster-rows-caption", class: "roster-caption" }, t("roster_rows")),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["line", "name", "delegation", "role", "weight", "action"].map((c) => h("th", { scope: "col", class: `roster-col-${c}` }, t(`roster_col_${c}`))),
          ),
        ),
        h("tbody", {}, page.rows.length ? page.rows.map(rowOf) : h("tr", {}, h("td", { colspan: "6", class: "muted" }, t("roster_no_rows")))),
      ),
    );
    const pager =
      page.pages > 1
        ? h(
            "div",
            { class: "people-pager roster-pager" },
            h(
              "button",
              { type: "button", class: "button button-small", "data-key": "roster-prev", disabled: page.page === 0, onclick: () => turn(-1) },
              t("roster_prev"),
            ),
            h("span", { class: "muted", "data-testid": "roster-page" }, t("roster_page", { first: page.first + 1, last: page.last, n: page.count })),
            h(
              "button",
              { type: "button", class: "button button-small", "data-key": "roster-next", disabled: page.page >= page.pages - 1, onclick: () => turn(1) },
              t("roster_next"),
            ),
          )
        : h("p", { class: "muted roster-page", "data-testid": "roster-page" }, page.count ? t("roster_page", { first: page.first + 1, last: page.last, n: page.count }) : "");
    return h("div", { class: "roster-rows", id: "roster-rows" }, filter, table, pager);
  }

  /** @param {number} delta */
  function turn(delta) {
    shown.page = Math.max(0, shown.page + delta);
    drawRows();
  }

  function drawRows() {
    const old = $("#roster-rows", view);
    if (!old) return;
    const active = /** @type {HTMLElement | null} */ (document.activeElement);
    const key = active && old.contains(active) ? active.dataset.key || active.id : null;
    const fresh = rowsTable();
    if (!fresh) return;
    old.replaceWith(fresh);
    if (key) {
      const again = /** @type {HTMLElement | null} */ (fresh.querySelector(`[data-key="${key}"], #${CSS.escape(key)}`));
      if (again && !(/** @type {HTMLButtonElement} */ (again).disabled)) again.focus();
      else /** @type {HTMLElement | null} */ (fresh.querySelector("[data-key]:not([disabled])"))?.focus();
    }
  }

  /**
   * Who is on the roster and not in the file: named up to a cap, then counted.
   * @param {RosterReply} reply
   */
  function notInFileList(reply) {
    const people = Array.isArray(reply.not_in_file) ? reply.not_in_file : [];
    if (!people.length) return null;
    const { shown: named, more } = notInFileShown(people);
    return h(
      "details",
      { class: "roster-not-in-file", "data-testid": "roster-not-in-file-list" },
      h("summary", {}, t("roster_not_in_file_title", { n: people.length })),
      h(
        "ul",
        {},
        named.map((p) => h("li", {}, p.delegation ? `${p.name} · ${p.delegation}` : p.name)),
        more ? h("li", { class: "muted" }, t("roster_and_more", { n: more })) : null,
      ),
    );
  }

  /** @param {RosterReply} reply */
  function showPreview(reply) {
    preview = reply;
    shown = { action: "", page: 0 };
    setText(status, "");
    const f = figures(reply);
    const name = chosen ? chosen.name : "";
    replaceChildren(
      view,
      h(
        "div",
        { class: "roster-preview", "data-testid": "roster-preview" },
        h("h3", { tabindex: "-1", "data-focus": "" }, t("roster_preview_title", { name })),
        h("p", {}, t("roster_preview_lists", { n: f.inFile })),
        figureList(reply, false),
        rowsTable(),
        notInFileList(reply),
        h(
          "div",
          { class: "form-actions roster-actions" },
          h(
            "button",
            { type: "button", class: "button button-primary", "data-key": "roster-confirm", "data-testid": "roster-confirm", onclick: confirm },
            t("roster_confirm", { n: f.inFile }),
          ),
          h("button", { type: "button", class: "button", "data-key": "roster-cancel", onclick: cancel }, t("roster_cancel")),
        ),
      ),
    );
    focusHeading();
  }

  /** @param {RosterReply} reply */
  function showDone(reply) {
    const name = chosen ? chosen.name : "";
    chosen = null;
    preview = null;
    input.value = "";
    setText(status, "");
    replaceChildren(
      view,
      h(
        "div",
        { class: "roster-done", "data-testid": "roster-done" },
        h("h3", { tabindex: "-1", "data-focus": "" }, t("roster_done_title", { name })),
        figureList(reply, true),
        h("p", { "data-testid": "roster-total" }, t("roster_total", { n: reply.total })),
        notInFileList(reply),
      ),
    );
    focusHeading();
  }

  async function confirm() {
    if (busy || !chosen || !preview) return;
    setText(status, t("roster_importing", { n: figures(preview).inFile }));
    setBusy(true);
    try {
      const reply = await send(false);
      if (reply) showDone(reply);
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    clear();
    setText(status, t("roster_cleared"));
    input.focus();
  }

  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    chosen = null;
    preview = null;
    replaceChildren(view);
    if (!file) {
      setText(status, "");
      return;
    }
    const large = tooLarge(file.size, maxBytes);
    if (large) {
      showFailure(file.name, { message: large, problems: [], count: 0 });
      return;
    }
    setText(status, t("roster_reading", { name: file.name }));
    setBusy(true);
    try {
      const request = rosterRequest(file.name, file.type, new Uint8Array(await file.arrayBuffer()));
      if ("message" in request) {
        showFailure(file.name, { message: request.message, problems: [], count: 0 });
        return;
      }
      chosen = { name: file.name, contentType: request.contentType, body: request.body };
      const reply = await send(true);
      if (reply) showPreview(reply);
    } catch {
      showFailure(file.name, { message: { key: "roster_unreadable_file", params: { name: file.name } }, problems: [], count: 0 });
    } finally {
      setBusy(false);
    }
  });
  $("#roster-form").addEventListener("submit", (e) => e.preventDefault());
}
