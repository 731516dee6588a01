"""axe-core in the page under test (static/vendor/axe-core, served by the app itself, so the
page's Content-Security-Policy allows it): what it finds against WCAG 2.1 A and AA."""

from __future__ import annotations

from playwright.sync_api import Page

AXE = "/static/vendor/axe-core/axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page: Page, disable: tuple[str, ...] = ()) -> list[str]:
    """Every rule axe finds broken on the page, with where ("rule: selector"); empty if none."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(url=AXE)
        page.wait_for_function("() => Boolean(window.axe)")
    result = page.evaluate(
        """async ([tags, disable]) => {
          const rules = Object.fromEntries(disable.map((id) => [id, { enabled: false }]));
          const only = { type: "tag", values: tags };
          const r = await window.axe.run(document, { runOnly: only, rules });
          return r.violations.flatMap((v) =>
            v.nodes.map((n) => `${v.id}: ${n.target.join(" ")} (${v.help})`),
          );
        }""",
        [TAGS, list(disable)],
    )
    return result
