// @ts-check
// The console's badges, in the roster card: download every credential (CSV, for a mail
// merge) and the badges to print (PDF, A4 or Letter); find someone whose badge was lost and
// reissue it (the old link and code stop working at once, their phone is told), then print
// that one badge. What is asked and how an entry reads: badges.js.

import { $, confirmRow, h, replaceChildren, setText } from "./dom.js";
import { apiGet, downloadFile } from "./download.js";
import { badgesUrl, credentialsUrl, entryDetails, findUrl, reissueUrl } from "./badges.js";

/** @import { RosterEntry } from "./badges.js" */

/**
 * @param {{token: string, code: string}} options
 * @param {(key: string, params?: object) => string} t
 */
export function mountConsoleBadges({ token, code }, t) {
  const status = $("#badges-status");
  const found = $("#badges-found");
  const form = /** @type {HTMLFormElement} */ ($("#badges-find"));
  const search = /** @type {HTMLInputElement} */ ($("#badges-search"));
  /** @type {RosterEntry[]} */
  let entries = [];
  /** the entry whose reissue is being confirmed, and the new codes given in this view */
  let confirming = /** @type {number | null} */ (null);
  /** @type {Map<number, string>} */
  const reissued = new Map();

  /**
   * Download `url`, saying so in the status line.
   * @param {string} url
   * @param {string} fallback
   */
  async function download(url, fallback) {
    setText(status, t("badges_preparing"));
    try {
      await downloadFile(url, token, fallback);
      setText(status, t("badges_downloaded"));
    } catch (error) {
      setText(status, t("badges_failed", { message: /** @type {Error} */ (error).message }));
    }
  }

  for (const button of document.querySelectorAll("[data-badges-file]")) {
    const el = /** @type {HTMLButtonElement} */ (button);
    el.addEventListener("click", () => {
      const file = el.dataset.badgesFile || "";
      if (file === "csv") download(credentialsUrl(code), "credentials.csv");
      else download(badgesUrl(code, file), "badges.pdf");
    });
  }

  /** @param {RosterEntry} entry */
  function row(entry) {
    const id = entry.entry_id;
    const newCode = reissued.get(id);
    const actions =
      confirming === id
        ? confirmRow(
            t("badges_reissue_question", { name: entry.name }),
            `badge-reissue-yes-${id}`,
            { yes: t("badges_reissue_yes"), cancel: t("badges_cancel") },
            () => reissue(entry),
            () => {
              confirming = null;
              draw();
            },
          )
        : h(
            "button",
            {
              type: "button",
              class: "button button-small",
              "data-key": `badge-reissue-${id}`,
              onclick: () => {
                confirming = id;
                draw();
                /** @type {HTMLElement | null} */ (found.querySelector(`[data-key="badge-reissue-yes-${id}"]`))?.focus();
              },
            },
            t("badges_reissue"),
          );
    return h(
      "li",
      { class: "badges-entry", "data-testid": "badges-entry" },
      h("div", { class: "badges-who" }, h("strong", {}, entry.name), h("span", { class: "muted" }, entryDetails(entry, t))),
      newCode
        ? h(
            "p",
            { class: "badges-new", role: "status", "data-testid": "badges-new-code" },
            t("badges_new_code", { code: newCode }),
            " ",
            ["a4", "letter"].map((paper) =>
              h(
                "button",
                { type: "button", class: "button button-small", onclick: () => download(badgesUrl(code, paper, id), "badge.pdf") },
                t(`badges_print_one_${paper}`),
              ),
            ),
          )
        : null,
      actions,
    );
  }

  function draw() {
    replaceChildren(found, entries.length ? h("ul", { class: "badges-list" }, entries.map(row)) : null);
  }

  /** @param {RosterEntry} entry */
  async function reissue(entry) {
    confirming = null;
    try {
      const response = await fetch(reissueUrl(code, entry.entry_id), {
        method: "POST",
        headers: { Authorization: `Bearer ${token}` },
      });
      const reply = await response.json().catch(() => null);
      if (!response.ok || !reply) throw new Error(reply?.error?.message || response.statusText);
      reissued.set(entry.entry_id, reply.code);
      entry.issued_at = new Date().toISOString();
      setText(status, t("badges_reissued", { name: entry.name }));
    } catch (error) {
      setText(status, t("badges_failed", { message: /** @type {Error} */ (error).message }));
    }
    draw();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const url = findUrl(code, search.value);
    if (!url) return;
    try {
      const reply = await (await apiGet(url, token)).json();
      entries = reply.entries;
      confirming = null;
      setText(status, entries.length ? t("badges_found", { n: entries.length }) : t("badges_none_found"));
    } catch (error) {
      entries = [];
      setText(status, t("badges_failed", { message: /** @type {Error} */ (error).message }));
    }
    draw();
  });
}
