"""The console's roster card: choose a file, see what the import would do, confirm it; a bad
file shows its problems by line and column and imports nothing.

Each test drives the real server (SQLite and PostgreSQL) with Debian chromium.
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import axe_violations
from tests.e2e.conftest import ARTIFACTS, LAPTOP, PHONE
from tests.e2e.flows import api_create, expect_live

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parents[1] / "data" / "roster_300.csv"
LABEL = "Roster file (CSV or JSON)"


def roster_preview(base: str, code: str, token: str) -> dict:
    """What importing one known person would do now: how many the roster holds (its
    ``not_in_file`` are everyone else), through the API."""
    request = urllib.request.Request(  # noqa: S310 - the test server on localhost
        f"{base}/api/convenings/{code}/roster?dry_run=true",
        data=json.dumps({"rows": [{"name": "Probe", "delegation": "Nowhere"}]}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
        return json.load(response)


def open_console(new_context, base: str, title: str, viewport=LAPTOP) -> tuple[Page, dict]:
    created = api_create(base, title)
    console = new_context(viewport=viewport).new_page()
    console.goto(created["facilitator_url"])
    expect_live(console)
    return console, created


def fits(page: Page, selector: str = '[data-testid="roster"]') -> list[str]:
    """What sticks out: the page wider than the window, anything in the card past its right
    edge. A box that clips or scrolls its insides (a table region that scrolls sideways, a
    line that ends in an ellipsis) is checked, not what it keeps inside."""
    return page.evaluate(
        """(selector) => {
          const found = [];
          const root = document.documentElement;
          if (root.scrollWidth > root.clientWidth + 1) {
            found.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
          }
          const card = document.querySelector(selector);
          const edge = card.getBoundingClientRect().right;
          const clips = (el) => getComputedStyle(el).overflowX !== "visible";
          for (const el of card.querySelectorAll("*")) {
            let up = el.parentElement;
            while (up && up !== card && !clips(up)) up = up.parentElement;
            if (up && up !== card) continue;
            const r = el.getBoundingClientRect();
            if (r.width && r.right > edge + 1) {
              found.push(`${el.tagName} ${el.className} ${r.right} > ${edge}`);
            }
          }
          return found;
        }""",
        selector,
    )


def expect_figure(card, key: str, count: str, label: str) -> None:
    """One of the card's figures: its count and what it counts."""
    figure = card.get_by_test_id(f"roster-{key}")
    expect(figure.locator("dd")).to_have_text(count)
    expect(figure.locator("dt")).to_have_text(label)


def test_import_a_300_person_roster_after_its_preview(server, new_context, tmp_path):
    console, created = open_console(new_context, server.url, "Asamblea regional de delegaciones")
    card = console.get_by_test_id("roster")
    card.scroll_into_view_if_needed()
    card.get_by_label(LABEL).set_input_files(FIXTURE)

    preview = card.get_by_test_id("roster-preview")
    expect(preview.get_by_role("heading")).to_have_text(
        "Preview of “roster_300.csv”: nothing is imported yet"
    )
    expect(preview.get_by_role("heading")).to_be_focused()
    expect(preview).to_contain_text("The file lists 300 people.")
    expect_figure(card, "added", "300", "people to add")
    expect_figure(card, "updated", "0", "people to update")
    expect_figure(card, "not-in-file", "0", "on the roster, not in the file (kept)")
    expect(card.get_by_test_id("roster-not-in-file-list")).to_have_count(0)
    # one page of rows at a time, names as the server cleaned them (NFC, no zero-width space)
    rows = card.get_by_test_id("roster-row")
    expect(rows).to_have_count(50)
    expect(card.get_by_test_id("roster-page")).to_have_text("Rows 1–50 of 300")
    first = rows.first.locator("td")
    expect(first).to_have_text(
        [
            "2",
            "María José Núñez",
            re.compile(r"^The Chapter of the Lower East Side, Chinatown"),
            "delegate",
            "1",
            "To add",
        ]
    )
    expect(rows.nth(3).locator(".roster-name")).to_have_text("Łukasz Đoković")  # typed NFD
    expect(rows.nth(3).locator(".roster-weight")).to_have_text("4")
    expect(rows.nth(19).locator("td").nth(3)).to_have_text("observer")
    expect(rows.nth(42).locator(".roster-name")).to_have_text("Pat Lefèvre")
    card.get_by_role("button", name="Next rows").click()
    expect(card.get_by_test_id("roster-page")).to_contain_text("Rows 51–100 of 300")
    expect(card.get_by_role("button", name="Next rows")).to_be_focused()
    for _ in range(4):
        card.get_by_role("button", name="Next rows").click()
    expect(card.get_by_test_id("roster-page")).to_contain_text("Rows 251–300 of 300")
    expect(card.get_by_role("button", name="Next rows")).to_be_disabled()
    card.get_by_label("Show", exact=True).select_option("updated")
    expect(card.get_by_test_id("roster-rows")).to_contain_text(
        "No row of the file is in this list."
    )
    card.get_by_label("Show", exact=True).select_option("")
    expect(card.get_by_test_id("roster-page")).to_have_text("Rows 1–50 of 300")
    assert roster_preview(server.url, created["code"], created["facilitator_token"])["total"] == 1

    found = axe_violations(console)
    assert not found, "\n".join(found)
    assert not fits(console), fits(console)
    if server.backend == "sqlite":  # docs/screenshots/console-roster.png
        ARTIFACTS.mkdir(exist_ok=True)
        card.screenshot(path=str(ARTIFACTS / "console-roster.png"))

    # confirm, from the keyboard
    confirm = card.get_by_role("button", name="Import 300 people")
    confirm.focus()
    console.keyboard.press("Enter")
    done = card.get_by_test_id("roster-done")
    expect(done.get_by_role("heading")).to_have_text("The roster of “roster_300.csv” is imported")
    expect_figure(card, "added", "300", "people added")
    expect(card.get_by_test_id("roster-total")).to_have_text("The roster has 300 people.")
    expect(card.get_by_label(LABEL)).to_have_value("")
    kept = roster_preview(server.url, created["code"], created["facilitator_token"])
    assert (kept["total"], len(kept["not_in_file"])) == (301, 300)

    # again, without the last ten and one weight changed: matched by external id, the ten
    # reported and kept; Cancel forgets it
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",delegate,1,D-0001,", ",delegate,2,D-0001,")
    again = tmp_path / "roster_290.csv"
    again.write_text("\n".join(lines[:291]) + "\n", encoding="utf-8")
    card.get_by_label(LABEL).set_input_files(again)
    expect_figure(card, "added", "0", "people to add")
    expect_figure(card, "updated", "1", "person to update")
    expect_figure(card, "unchanged", "289", "people unchanged")
    expect_figure(card, "not-in-file", "10", "on the roster, not in the file (kept)")
    gone = card.get_by_test_id("roster-not-in-file-list")
    expect(gone.locator("summary")).to_have_text(
        "10 people on the roster are not in this file: kept, not removed"
    )
    gone.locator("summary").click()
    expect(gone.locator("li")).to_have_count(10)
    card.get_by_label("Show", exact=True).select_option("updated")
    expect(card.get_by_test_id("roster-row").locator("td")).to_have_text(
        ["2", "María José Núñez", re.compile("^The Chapter"), "delegate", "2", "To update"]
    )
    card.get_by_role("button", name="Cancel").click()
    expect(card.get_by_test_id("roster-view")).to_be_empty()
    expect(card.get_by_test_id("roster-status")).to_have_text("Nothing was imported.")
    expect(card.get_by_label(LABEL)).to_be_focused()


BAD = (
    "name,delegation,role,vote_weight,external_id\n"
    "Zoë Núñez,Kraków,delegate,1,D-1\n"
    "Søren Ødegård,Kraków,chair,1,D-2\n"
    "Ana-Sofía Peña,Kraków,delegate,zero,D-3\n"
    "Iñaki Etxeberria,Kraków,delegate,1,D-1\n"
    ",Kraków,delegate,1,D-5\n"
)


def test_a_bad_roster_shows_every_problem_by_line_and_imports_nothing(
    server, new_context, tmp_path
):
    console, created = open_console(new_context, server.url, "Convención de capítulos")
    card = console.get_by_test_id("roster")
    bad = tmp_path / "delegados.csv"
    bad.write_text(BAD, encoding="utf-8")
    card.get_by_label(LABEL).set_input_files(bad)
    problems = card.get_by_test_id("roster-problems")
    expect(problems.get_by_role("alert")).to_have_text(
        "The file has 4 problems: nothing was imported."
    )
    rows = card.get_by_test_id("roster-problem")
    expect(rows).to_have_count(4)
    lines = [
        (r.locator("td").nth(0).inner_text(), r.locator("td").nth(1).inner_text())
        for r in rows.all()
    ]
    assert lines == [("3", "role"), ("4", "vote_weight"), ("5", "external_id"), ("6", "name")], (
        lines
    )
    expect(rows.nth(2)).to_contain_text("The external id D-1 is also on line 2.")
    expect(card.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    found = axe_violations(console)
    assert not found, "\n".join(found)
    assert not fits(console), fits(console)
    assert roster_preview(server.url, created["code"], created["facilitator_token"])["total"] == 1

    # a file that is not UTF-8: the line of its first bad byte
    latin1 = tmp_path / "export.csv"
    latin1.write_bytes("name,delegation\nAna,Lyon\nZoë,Lyon\n".encode("latin-1"))
    card.get_by_label(LABEL).set_input_files(latin1)
    expect(card.get_by_test_id("roster-problem")).to_have_count(1)
    expect(card.get_by_test_id("roster-problem").locator("td")).to_have_text(
        ["3", "the whole line", re.compile("not UTF-8")]
    )
    # JSON that is not a roster, and a file over the limit: told without importing
    wrong = tmp_path / "people.json"
    wrong.write_text('{"people": []}', encoding="utf-8")
    card.get_by_label(LABEL).set_input_files(wrong)
    expect(problems.get_by_role("alert")).to_contain_text("“people.json” is not a roster")
    large = tmp_path / "huge.csv"
    large.write_bytes(b"name,delegation\n" + b"x" * (2 * 1024 * 1024))
    card.get_by_label(LABEL).set_input_files(large)
    expect(problems.get_by_role("alert")).to_have_text(
        "The file is too large: a roster file has at most 2 MB. Nothing was imported."
    )
    # a JSON roster is read too
    good = tmp_path / "people.json"
    good.write_text(
        json.dumps({"rows": [{"name": "Chloë Brontë", "delegation": "Leeds", "vote_weight": 3}]}),
        encoding="utf-8",
    )
    card.get_by_label(LABEL).set_input_files(good)
    expect(card.get_by_test_id("roster-row").locator("td")).to_have_text(
        ["1", "Chloë Brontë", "Leeds", "delegate", "3", "To add"]
    )
    card.get_by_role("button", name="Cancel").click()
    assert roster_preview(server.url, created["code"], created["facilitator_token"])["total"] == 1


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_roster_card_fits_a_phone_and_speaks_spanish(server, new_context):
    context = new_context(
        viewport=PHONE, locale="es-ES", extra_http_headers={"Accept-Language": "es"}
    )
    created = api_create(server.url, "Asamblea")
    console = context.new_page()
    console.goto(created["facilitator_url"])
    expect_live(console)
    card = console.get_by_test_id("roster")
    expect(card.get_by_role("heading", name="Padrón")).to_be_visible()
    card.get_by_label("Archivo del padrón (CSV o JSON)").set_input_files(FIXTURE)
    expect_figure(card, "added", "300", "personas para añadir")
    expect(card.get_by_role("button", name="Importar 300 personas")).to_be_visible()
    expect(card.get_by_test_id("roster-page")).to_have_text("Filas 1–50 de 300")
    assert not fits(console), fits(console)
    found = axe_violations(console)
    assert not found, "\n".join(found)
