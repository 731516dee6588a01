"""Alternates in the browser (issue 17 item 4): the desk checks a delegate in, then seats
an alternate of her delegation in her seat (the alternate's code typed, then "Take a
delegate's seat" and the delegate chosen); the console's roster card shows who holds the
seat; in the open round the alternate's phone votes with the seat's weight while the
delegate's phone is refused in words; axe finds nothing on the desk."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import axe_violations
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.flows import api_create, expect_live, phone_context
from tests.e2e.test_checkin import credentials
from tests.e2e.test_demands import api

pytestmark = pytest.mark.browser

PEOPLE = [
    {"name": "María Núñez", "delegation": "Local 1", "vote_weight": 3, "external_id": "D-1"},
    {"name": "Ana Ruiz", "delegation": "Local 1", "role": "alternate", "external_id": "A-1"},
    {"name": "Sam Lee", "delegation": "Local 12", "external_id": "D-2"},
]


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_desk_seats_an_alternate_who_votes_with_the_seats_weight(server, new_context):
    created = api_create(server.url, "Regional convening")
    code, boss = created["code"], created["facilitator_token"]
    base = f"/api/convenings/{code}"
    api(server.url, f"{base}/roster", {"rows": PEOPLE}, boss)
    api(server.url, base, {"accredited_voting": True}, boss, method="PATCH")
    people = credentials(server.url, code, boss)
    desk_link = api(server.url, f"{base}/invitations", {"role": "desk"}, boss)["url"]
    console = new_context().new_page()
    console.goto(created["facilitator_url"])
    expect_live(console)

    phones = phone_context(new_context)
    maria = phones.new_page()
    maria.goto(people["María Núñez"]["link"])
    expect_live(maria)
    ana_context = phone_context(new_context)
    ana = ana_context.new_page()
    ana.goto(people["Ana Ruiz"]["link"])
    expect_live(ana)

    errors = []
    desk = phone_context(new_context).new_page()
    desk.on("pageerror", lambda error: errors.append(str(error)))
    desk.goto(desk_link)
    expect_live(desk)
    typed = desk.get_by_label("Badge code", exact=True)
    typed.fill(people["María Núñez"]["code"])
    desk.get_by_test_id("desk-code-submit").click()
    scans = desk.get_by_test_id("desk-scan")
    expect(scans.first).to_contain_text("Checked in: María Núñez · Local 1")

    # María hands over: Ana's code, then the seat she takes.
    typed.fill(people["Ana Ruiz"]["code"])
    desk.get_by_test_id("desk-code-submit").click()
    expect(scans.first).to_contain_text("Checked in: Ana Ruiz · Local 1")
    scans.first.get_by_role("button", name="Take a delegate's seat (Ana Ruiz)").click()
    panel = desk.get_by_test_id("desk-seat")
    expect(panel.get_by_role("heading")).to_be_focused()
    expect(panel.get_by_test_id("desk-seat-choices")).to_contain_text("María Núñez")
    assert axe_violations(desk) == []
    ARTIFACTS.mkdir(exist_ok=True)  # docs/screenshots/delegates-desk-seat-choice.png
    desk.screenshot(path=str(ARTIFACTS / "delegates-desk-seat-choice.png"), full_page=True)
    panel.get_by_role("button", name="In place of María Núñez").press("Enter")
    expect(desk.get_by_test_id("desk-notice")).to_have_text(
        "Ana Ruiz now holds the seat of María Núñez."
    )
    expect(scans.first).to_contain_text("in the seat of María Núñez")
    expect(desk.get_by_test_id("desk-counts")).to_have_text(
        "1 checked in (1 who vote, 1 alternate in a seat) of 3 on the roster"
    )
    desk.get_by_label("Find the person by name or delegation").fill("maría")
    expect(desk.get_by_test_id("desk-person")).to_contain_text("seat held by Ana Ruiz")
    assert axe_violations(desk) == []
    desk.screenshot(path=str(ARTIFACTS / "delegates-desk-seated.png"), full_page=True)

    # The console's roster card shows who holds the seat, live.
    expect(console.get_by_test_id("roster-seat")).to_have_text(
        "Ana Ruiz in the seat of María Núñez (Local 1)"
    )

    # A named round: Ana votes with the seat's weight, María's phone is refused.
    made = api(
        server.url,
        f"{base}/rounds",
        {
            "title": "Adopt the platform?",
            "method": "yes_no",
            "secret": False,
            "options": [{"label": "The platform"}],
        },
        boss,
    )
    api(server.url, f"{base}/rounds/{made['id']}/open", {}, boss)
    expect(ana.get_by_test_id("round-title")).to_have_text("Adopt the platform?")
    ana.get_by_text("Yes", exact=True).click()
    ana.get_by_role("button", name="Send my vote").click()
    expect(ana.get_by_test_id("vote-status")).to_contain_text("Vote recorded", timeout=15_000)
    expect(maria.get_by_test_id("round-title")).to_have_text("Adopt the platform?")
    maria.get_by_text("No", exact=True).click()
    maria.get_by_role("button", name="Send my vote").click()
    expect(maria.get_by_test_id("vote-status")).to_contain_text(
        "Your alternate Ana Ruiz holds your seat"
    )
    state = api(server.url, f"{base}/rounds/{made['id']}", None, boss, method="GET")
    assert (state["turnout"]["voted"], state["turnout"]["voted_weight"]) == (1, 3)
    assert errors == []
