"""Delegations as caucuses in the browser (issue 17 item 6): delegates arrive with their
badges, their delegations (a 200-character one, a 180-character word) are their caucuses;
the console's people list shows each on one line with the whole name on hover and focus,
its per-caucus table wraps them whole, the phone wraps its own, the projector's bridging
bar counts every chapter, and nothing sticks out of its box."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PROJECTOR
from tests.e2e.fit import settled_problems
from tests.e2e.flows import api_create, expect_live, phone_context
from tests.e2e.test_checkin import credentials
from tests.e2e.test_roster import fits

pytestmark = pytest.mark.browser

LONG = ("Federación Regional de Sindicatos de Trabajadoras y Trabajadores de la Enseñanza, " * 3)[
    :200
].strip()
UNBROKEN = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" * 3
PEOPLE = [
    ("Ana Núñez", LONG),
    ("Ben Ortiz", LONG),
    ("Cy Łukasz", UNBROKEN),
    ("Di Ruiz", "Local 12"),
]


def call(base: str, path: str, body: dict, token: str | None, method: str = "POST") -> dict:
    assert base.startswith("http://127.0.0.1:")
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(  # noqa: S310 - the test server on localhost
        base + path, data=json.dumps(body).encode(), headers=headers, method=method
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
        return json.load(response)


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_long_delegations_are_caucuses_on_every_screen(server, new_context, shoot):
    created = api_create(server.url, "Convención regional")
    code, staff = created["code"], created["facilitator_token"]
    base = f"/api/convenings/{code}"
    rows = [{"name": n, "delegation": d, "external_id": n[:3]} for n, d in PEOPLE]
    call(server.url, f"{base}/roster", {"rows": rows}, staff)
    people = credentials(server.url, code, staff)

    console = new_context().new_page()
    console.goto(created["facilitator_url"])
    expect_live(console)
    console.get_by_role("button", name="Create a projector link").click()
    projector = new_context(viewport=PROJECTOR).new_page()
    projector.goto(console.get_by_test_id("projector-url").input_value())
    expect_live(projector)

    # Cy opens the badge's link on a phone; the others arrive by their badge codes.
    phone = phone_context(new_context).new_page()
    phone.goto(people["Cy Łukasz"]["link"])
    expect(phone.get_by_test_id("me-name")).to_have_text("Cy Łukasz")
    expect(phone.locator("#me-caucus")).to_have_text(f"({UNBROKEN})")
    tokens = {}
    for name, _ in PEOPLE:
        if name != "Cy Łukasz":
            badge = {"badge_code": people[name]["code"]}
            tokens[name] = call(server.url, f"{base}/badges", badge, None)["token"]
    item = call(server.url, f"{base}/agenda", {"title": "Demands of the chapters"}, staff)
    call(server.url, f"{base}/agenda/{item['id']}/start", {}, staff)
    demand = call(server.url, f"{base}/demands", {"title": "Rent freeze", "body": "Now."}, staff)
    call(server.url, f"{base}/demands/{demand['id']}/open", {}, staff)
    for name, stance in [("Ana Núñez", "agree"), ("Ben Ortiz", "disagree"), ("Di Ruiz", "agree")]:
        path = f"{base}/demands/{demand['id']}/agreement"
        call(server.url, path, {"stance": stance}, tokens[name], method="PUT")
    phone.get_by_test_id("demand").get_by_role("button", name="Agree", exact=True).click()

    # The console's people list: one line each, the whole caucus on hover and on focus.
    cy = console.get_by_test_id("member").filter(has_text="Cy Łukasz")
    expect(cy.locator(".member-caucus")).to_have_text(UNBROKEN)
    assert cy.get_by_test_id("member-name").get_attribute("title") == f"Cy Łukasz · {UNBROKEN}"
    one_line = cy.locator(".member-meta").bounding_box()["height"]
    cy.get_by_test_id("member-name").focus()
    assert cy.locator(".member-meta").bounding_box()["height"] > 2 * one_line  # wrapped whole
    assert fits(console, '[data-testid="people"]') == []
    shoot(console, "caucus-console-people")
    console.get_by_test_id("people-caucus").select_option(LONG)
    expect(console.get_by_test_id("member")).to_have_count(2)
    expect(console.get_by_test_id("people-caucus")).to_have_attribute("title", LONG)
    shoot(console, "caucus-console-filter")
    assert fits(console, '[data-testid="people"]') == []
    console.get_by_test_id("people-caucus").select_option("")

    # Its figures per caucus: every chapter, each name whole.
    row = console.get_by_test_id("console-demand").filter(has_text="Rent freeze")
    expect(row.get_by_test_id("bridging-share")).to_have_text("50%")
    row.locator(".cdemand-caucuses summary").click()
    table = row.get_by_test_id("caucus-table")
    expect(table.locator("tbody th")).to_have_text([LONG, UNBROKEN, "Local 12"])
    assert fits(console, '[data-testid="demands-panel"]') == []
    table.scroll_into_view_if_needed()
    shoot(console, "caucus-console-table")

    # The phone and the projector.
    assert fits(phone, "main") == []
    phone.locator("#me-caucus").scroll_into_view_if_needed()
    shoot(phone, "caucus-phone")
    bridging = projector.get_by_test_id("projector-demand").locator(".bar-bridging .bar-value")
    expect(bridging).to_have_text("50%")
    settled = settled_problems(projector, 12)
    assert settled["cut"] == [], settled
    assert settled["small"] == [], settled
    shoot(projector, "caucus-projector")
