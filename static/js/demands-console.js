// @ts-check
// The facilitator's demands panel: the whole list (hidden ones too), sorted by position,
// agreement or bridging; screening (open, fix typos, hide with a reason / unhide, merge,
// reorder with the keyboard), deciding amendments, per-caucus figures, the demand settings,
// and setting a participant's caucus from the people list (caucusControl).

import { $, h, moved, setText, smallButton, wireCounter } from "./dom.js";
import {
  ACTIVE,
  GONE,
  CardList,
  agreementCounts,
  amendmentBadge,
  amendmentNote,
  authorsText,
  blockNote,
  bodyOrExcerpt,
  diffView,
  percent,
  sortDemands,
  statusBadge,
  supportLine,
  unitesRoom,
} from "./demands.js";

let shared = null; // {live, t, run, say} once mounted

// -- the caucus of a member, from the people list (people-console.js calls this per row) ------------

const caucusUi = { editing: null, draft: "" };

/** The member whose caucus form is open (or null): part of what the people list shows. */
export function caucusEditing() {
  return caucusUi.editing;
}

/** A "Caucus" button, or the inline form to set it; null before the panel is mounted. */
export function caucusControl(member) {
  if (!shared) return null;
  const { live, t, run, say } = shared;
  const rerender = () => live.notify();
  if (caucusUi.editing !== member.id) {
    return h(
      "button",
      {
        type: "button",
        class: "button button-small",
        "data-key": `caucus-${member.id}`,
        "aria-label": t("set_caucus_label", { name: member.name }),
        onclick: () => {
          caucusUi.editing = member.id;
          caucusUi.draft = member.caucus || "";
          rerender();
          document.getElementById(`caucus-input-${member.id}`)?.focus();
        },
      },
      t("caucus_button"),
    );
  }
  const close = () => {
    caucusUi.editing = null;
    rerender();
    $(`[data-key="caucus-${member.id}"]`)?.focus();
  };
  const input = h("input", {
    id: `caucus-input-${member.id}`,
    "data-key": `caucus-input-${member.id}`,
    type: "text",
    maxlength: 200,
    autocomplete: "off",
    value: caucusUi.draft,
    oninput: (e) => (caucusUi.draft = e.target.value),
  });
  return h(
    "form",
    {
      class: "caucus-form",
      "data-testid": "caucus-form",
      onkeydown: (e) => {
        if (e.key === "Escape") close();
      },
      onsubmit: async (e) => {
        e.preventDefault();
        const result = await run("members.set_caucus", { member_id: member.id, caucus: caucusUi.draft.trim() || null });
        if (result !== undefined) {
          say(t("caucus_set", { name: member.name }));
          close();
        }
      },
    },
    h("label", { for: input.id }, t("caucus_of", { name: member.name })),
    input,
    h("button", { type: "submit", class: "button button-small button-primary" }, t("save")),
    h("button", { type: "button", class: "button button-small", onclick: close }, t("cancel")),
  );
}

// -- the panel -------------------------------------------------------------------------------

export function mountConsoleDemands(live, t, run, say) {
  shared = { live, t, run, say };
  const panel = $("#demands-panel");
  if (!panel) return;
  const list = $("#console-demands");
  const sortSelect = $("#demand-sort");
  const showGone = $("#c-show-gone");
  const ui = { forms: new Map(), open: new Map() }; // forms: demand id → "hide" | "merge" | "edit"; open: id → its text shown
  const texts = live.texts; // a demand's text is read when its "Text and amendments" opens
  const cards = new CardList(list, (d) => ({
    class: `cdemand status-${d.status} ${d.hidden ? "is-hidden" : ""}`.trim(),
    dataset: { id: d.id, status: d.status, hidden: d.hidden ? "true" : "false" },
    "data-testid": "console-demand",
  }));

  const byPosition = () => sortDemands(live.state.demands || [], "position");

  function move(d, delta) {
    const order = moved(byPosition().map((x) => x.id), d.id, delta);
    if (order) run("demands.reorder", { order });
  }

  const small = smallButton;

  // -- forms in the slot --------------------------------------------------------------------

  function closeForm(d, focusKey) {
    ui.forms.delete(d.id);
    cards.card(d.id)?.slot.replaceChildren();
    render(live.state);
    if (focusKey) $(`[data-key="${focusKey}"]`)?.focus();
  }

  function inlineForm(d, kind, label, fields, submitText, onsubmit, cancelKey) {
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const form = h(
      "form",
      {
        class: `form cdemand-form cdemand-${kind}`,
        "data-form": kind,
        "aria-label": label,
        novalidate: true,
        onkeydown: (e) => {
          if (e.key === "Escape") closeForm(d, cancelKey);
        },
        onsubmit: async (e) => {
          e.preventDefault();
          const ok = await onsubmit(form, error);
          if (ok) closeForm(d, null);
        },
      },
      h("h4", {}, label),
      fields,
      error,
      h(
        "div",
        { class: "form-actions" },
        h("button", { type: "submit", class: "button button-small button-primary" }, submitText),
        h("button", { type: "button", class: "button button-small", onclick: () => closeForm(d, cancelKey) }, t("cancel")),
      ),
    );
    return form;
  }

  async function command(name, args, error) {
    try {
      const result = await live.command(name, args);
      return result;
    } catch (e) {
      error.textContent = e.message || String(e);
      error.hidden = false;
      return undefined;
    }
  }

  async function openForm(summary, kind) {
    if (!cards.card(summary.id)) return;
    ui.forms.set(summary.id, kind);
    const d = kind === "edit" ? await texts.load(summary) : summary; // the typo form holds the body
    const card = cards.card(d.id);
    if (!card || ui.forms.get(d.id) !== kind) return;
    let form;
    if (kind === "hide") {
      const id = `hide-reason-${d.id}`;
      form = inlineForm(d, kind, t("hide_form", { title: d.title }), [h("label", { for: id }, t("hide_reason")), h("input", { id, name: "reason", type: "text", maxlength: 500, required: true, autocomplete: "off" }), h("p", { class: "hint" }, t("hide_hint"))], t("hide"), async (f, error) => {
        const ok = await command("demands.hide", { demand_id: d.id, reason: f.elements.reason.value.trim() }, error);
        if (ok !== undefined) say(t("hidden_done", { title: d.title }));
        return ok !== undefined;
      }, `hide-${d.id}`);
    } else if (kind === "merge") {
      const id = `merge-into-${d.id}`;
      const targets = byPosition().filter((x) => x.id !== d.id && ACTIVE.has(x.status));
      form = inlineForm(d, kind, t("merge_form", { title: d.title }), [
        h("label", { for: id }, t("merge_into")),
        h("select", { id, name: "into" }, targets.map((x) => h("option", { value: String(x.id) }, x.title))),
        h("p", { class: "hint" }, t("merge_hint")),
      ], t("merge"), async (f, error) => {
        if (!f.elements.into.value) return false;
        const ok = await command("demands.merge", { demand_id: d.id, into: Number(f.elements.into.value) }, error);
        if (ok !== undefined) say(t("merged_done", { title: d.title }));
        return ok !== undefined;
      }, `merge-${d.id}`);
    } else {
      const ids = { title: `cedit-title-${d.id}`, body: `cedit-body-${d.id}`, count: `cedit-count-${d.id}` };
      const body = h("textarea", { id: ids.body, name: "body", rows: 5, maxlength: 5000, "aria-describedby": ids.count }, d.body);
      const count = h("p", { class: "hint", id: ids.count });
      wireCounter(body, count, 5000, t);
      form = inlineForm(d, kind, t("typo_form", { title: d.title }), [
        h("p", { class: "hint" }, t("typo_hint")),
        h("label", { for: ids.title }, t("demand_title_label")),
        h("input", { id: ids.title, name: "title", type: "text", maxlength: 200, value: d.title }),
        h("label", { for: ids.body }, t("demand_body_label")),
        body,
        count,
      ], t("save"), async (f, error) => {
        const current = live.state.demands.find((x) => x.id === d.id) || d;
        const ok = await command("demands.edit", { demand_id: d.id, title: f.elements.title.value.trim(), body: f.elements.body.value, version: current.version, typo: true }, error);
        if (ok !== undefined) say(t("saved_demand_typo"));
        return ok !== undefined;
      }, `typo-${d.id}`);
    }
    card.slot.replaceChildren(form);
    render(live.state);
    form.querySelector("input, select, textarea")?.focus();
  }

  // -- one demand ---------------------------------------------------------------------------

  function caucusTable(d) {
    const rows = d.agreement.caucuses || [];
    if (!rows.length) return null;
    return h(
      "details",
      { class: "cdemand-caucuses" },
      h("summary", {}, t("per_caucus", { n: d.agreement.caucuses_counted })),
      h(
        "table",
        { class: "stats-table caucus-table", "data-testid": "caucus-table" },
        h("thead", {}, h("tr", {}, [t("caucus"), t("stance_agree"), t("stance_disagree"), t("stance_pass"), t("agreement")].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          rows.map((c) =>
            h(
              "tr",
              { class: c.counted ? "" : "muted" },
              h("th", { scope: "row" }, c.caucus ?? t("no_caucus")),
              h("td", {}, String(c.agree)),
              h("td", {}, String(c.disagree)),
              h("td", {}, String(c.pass)),
              h("td", {}, c.counted ? percent(c.share) : t("not_counted")),
            ),
          ),
        ),
      ),
    );
  }

  function amendmentRow(d, a) {
    const pending = a.status === "pending";
    return h(
      "li",
      { class: `amendment astatus-${a.status}`, "data-testid": "amendment", dataset: { id: a.id } },
      h("p", { class: "amendment-head" }, h("span", {}, t("amendment_by", { name: a.author.name })), " ", amendmentBadge(a, t), pending && a.conflicts_with.length ? h("span", { class: "badge badge-conflict" }, t("conflicting")) : null),
      diffView(a.diff_html ?? a.diff, t),
      a.rationale ? h("p", { class: "amendment-rationale" }, t("rationale_said", { text: a.rationale })) : null,
      a.note ? h("p", { class: "amendment-note muted" }, amendmentNote(a.note, t)) : null,
      pending && ACTIVE.has(d.status)
        ? h(
            "div",
            { class: "form-actions" },
            small(`adopt-${a.id}`, t("adopt_label", { name: a.author.name }), t("adopt"), async () => {
              if ((await run("amendments.decide", { amendment_id: a.id, outcome: "adopted" })) !== undefined) say(t("amendment_adopted_msg"));
            }, { cls: "button-primary", fallback: `typo-${d.id}` }),
            small(`reject-${a.id}`, t("reject_label", { name: a.author.name }), t("reject"), async () => {
              if ((await run("amendments.decide", { amendment_id: a.id, outcome: "rejected" })) !== undefined) say(t("amendment_rejected_msg"));
            }, { fallback: `typo-${d.id}` }),
          )
        : null,
    );
  }

  function textShown(d) {
    return ui.open.has(d.id) ? ui.open.get(d.id) : (d.pending_amendments || []).length > 0;
  }

  function demandView(summary, index, count, ordered, number) {
    const full = texts.get(summary);
    const d = full || summary;
    const a = d.agreement;
    const active = ACTIVE.has(d.status);
    const pending = (d.pending_amendments || []).length;
    const form = ui.forms.get(d.id);
    const title = d.title;
    return [
      h(
        "div",
        { class: "editor-row" },
        h("span", { class: "agenda-number", "aria-hidden": "true" }, String(number)),
        h(
          "div",
          { class: "editor-text" },
          h("span", { class: "agenda-title", "data-testid": "demand-title" }, title),
          h(
            "span",
            { class: "editor-meta" },
            statusBadge(d.status, t),
            d.hidden ? [" ", h("span", { class: "badge badge-hidden", "data-testid": "hidden-badge" }, t("hidden_badge"))] : null,
            d.can_go_to_vote ? [" ", h("span", { class: "badge badge-ready" }, t("can_go_to_vote"))] : null,
            unitesRoom(d) ? [" ", h("span", { class: "badge unites" }, t("unites_room"))] : null,
            " ",
            h("span", { class: "muted" }, authorsText(d, t), d.version > 1 ? ` · ${t("version_n", { n: d.version })}` : ""),
          ),
          d.hidden && d.hidden_reason ? h("span", { class: "hidden-reason" }, t("hidden_because", { reason: d.hidden_reason })) : null,
          blockNote(d, t),
          supportLine(d, t),
          h(
            "span",
            { class: "figures", "data-testid": "figures" },
            h("span", {}, t("agreement"), " ", h("strong", { "data-testid": "agreement-share" }, percent(a.share))),
            h("span", {}, t("bridging"), " ", h("strong", { "data-testid": "bridging-share" }, percent(a.bridging))),
            h("span", { class: "muted" }, agreementCounts(a, t)),
          ),
        ),
        h(
          "div",
          { class: "editor-actions" },
          ordered
            ? [
                small(`dup-${d.id}`, t("dmove_up_label", { title }), "↑", () => move(d, -1), { disabled: index === 0, fallback: `ddown-${d.id}`, cls: "button-icon" }),
                small(`ddown-${d.id}`, t("dmove_down_label", { title }), "↓", () => move(d, 1), { disabled: index === count - 1, fallback: `dup-${d.id}`, cls: "button-icon" }),
              ]
            : null,
          d.status === "draft" && !d.hidden
            ? small(`open-${d.id}`, t("open_label", { title }), t("open_demand"), async () => {
                if ((await run("demands.open", { demand_id: d.id })) !== undefined) say(t("opened", { title }));
              }, { cls: "button-primary", fallback: `typo-${d.id}` })
            : null,
          active ? small(`typo-${d.id}`, t("typo_label", { title }), t("fix_typos"), () => openForm(d, "edit"), { expanded: form === "edit" ? "true" : "false" }) : null,
          d.hidden
            ? small(`unhide-${d.id}`, t("unhide_label", { title }), t("unhide"), async () => {
                if ((await run("demands.unhide", { demand_id: d.id })) !== undefined) say(t("unhidden_done", { title }));
              }, { fallback: `hide-${d.id}` })
            : small(`hide-${d.id}`, t("hide_label", { title }), t("hide"), () => openForm(d, "hide"), { cls: "button-danger-quiet", expanded: form === "hide" ? "true" : "false", fallback: `unhide-${d.id}` }),
          active ? small(`merge-${d.id}`, t("merge_label", { title }), t("merge"), () => openForm(d, "merge"), { expanded: form === "merge" ? "true" : "false" }) : null,
        ),
      ),
      h(
        "details",
        {
          class: "cdemand-details",
          open: textShown(d) ? true : null,
          ontoggle: (e) => {
            if (e.target.open === textShown(d)) return;
            ui.open.set(d.id, e.target.open);
            render(live.state);
          },
        },
        h("summary", { "data-key": `text-${d.id}` }, pending ? t("text_and_pending", { n: pending }) : t("text_and_amendments", { n: d.amendment_count })),
        bodyOrExcerpt(full, d),
        full && full.amendments && full.amendments.length ? h("ol", { class: "amendment-list" }, [...full.amendments].reverse().map((x) => amendmentRow(d, x))) : null,
      ),
      caucusTable(d),
    ];
  }

  // -- settings -----------------------------------------------------------------------------

  const settings = $("#demand-settings");
  let dirty = false;
  settings.addEventListener("input", () => (dirty = true));
  settings.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = settings.elements.support_required.value.trim();
    const needed = Number(value);
    if (!/^\d+$/.test(value) || needed > 1000) {
      settings.elements.support_required.setAttribute("aria-invalid", "true");
      say(t("support_required_invalid"), "error");
      settings.elements.support_required.focus();
      return;
    }
    settings.elements.support_required.removeAttribute("aria-invalid");
    const result = await run("convening.update", { anonymous: settings.elements.anonymous.checked, support_required: needed });
    if (result !== undefined) {
      dirty = false;
      say(t("demand_settings_saved"));
    }
  });

  function renderSettings(state) {
    if (dirty) return;
    settings.elements.anonymous.checked = Boolean(state.convening.anonymous);
    settings.elements.support_required.value = String(state.convening.support_required ?? 1);
  }

  // -- the list -----------------------------------------------------------------------------

  sortSelect.addEventListener("change", () => render(live.state));
  showGone.addEventListener("change", () => render(live.state));

  function render(state) {
    renderSettings(state);
    const all = state.demands || [];
    const gone = all.filter((d) => GONE.has(d.status)).length;
    $("#c-show-gone-row").hidden = gone === 0;
    setText($("#c-show-gone-label"), t("show_gone", { n: gone }));
    const sort = sortSelect.value;
    const ordered = sort === "position";
    const shown = sortDemands(showGone.checked ? all : all.filter((d) => !GONE.has(d.status)), sort);
    const hiddenCount = all.filter((d) => d.hidden).length;
    setText($("#c-demands-count"), all.length ? t("c_demands_count", { n: all.length, hidden: hiddenCount }) : "");
    $("#c-demands-empty").hidden = all.length > 0;
    $("#c-sort-note").hidden = ordered || shown.length < 2;
    for (const id of [...ui.forms.keys()]) {
      if (!all.some((d) => d.id === id)) ui.forms.delete(id);
    }
    const rank = new Map(sortDemands(all, "position").map((d, i) => [d.id, i + 1]));
    const titles = all.map((d) => [d.id, d.title, d.status]); // the merge form lists them
    cards.render(
      shown,
      (d) => JSON.stringify([d, texts.mark(d), textShown(d), shown.indexOf(d), shown.length, ordered, rank.get(d.id), ui.forms.get(d.id), ui.forms.get(d.id) === "merge" ? titles : null]),
      (d) => demandView(d, shown.indexOf(d), shown.length, ordered, rank.get(d.id)),
    );
    for (const d of shown) if (textShown(d)) texts.want(d);
  }

  live.subscribe(render);
}
