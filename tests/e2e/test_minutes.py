"""The facilitator's minutes page: live minutes, a note, an action item typed with the
keyboard only, finalizing with a confirmation, the downloads, and the phone's download
card once the minutes are final and public.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import axe_violations
from tests.e2e.flows import api_create, expect_live, join_direct, phone_context

pytestmark = pytest.mark.browser

#: What the minutes hold is tested on both databases below the browser (tests/integration);
#: this page adds nothing database-specific.
sqlite_only = pytest.mark.parametrize("server", ["sqlite"], indirect=True)

NOTE = "The landlord's letter was read out."
DECISION = "Call a rent strike"


def api(base: str, path: str, body: dict, token: str) -> dict:
    assert base.startswith("http://127.0.0.1:")
    request = urllib.request.Request(  # noqa: S310 - the test server on localhost
        base + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
        return json.load(response)


def tiny_meeting(base: str, code: str, token: str) -> dict:
    """One agenda item started and ended, with a yes/no round closed on it."""
    prefix = f"/api/convenings/{code}"
    voters = [api(base, f"{prefix}/participants", {"name": n}, token)["token"] for n in "AB"]
    item = api(base, f"{prefix}/agenda", {"title": "Rent strike"}, token)
    api(base, f"{prefix}/agenda/{item['id']}/start", {}, token)
    round_ = api(
        base,
        f"{prefix}/rounds",
        {
            "title": DECISION,
            "method": "yes_no",
            "options": [{"label": "Rent strike from January"}],
            "agenda_item_id": item["id"],
        },
        token,
    )
    api(base, f"{prefix}/rounds/{round_['id']}/open", {}, token)
    for voter in voters:
        api(base, f"{prefix}/rounds/{round_['id']}/ballots", {"choice": "yes"}, voter)
    api(base, f"{prefix}/rounds/{round_['id']}/close", {}, token)
    api(base, f"{prefix}/agenda/{item['id']}/end", {}, token)
    return {"item": item, "round": round_}


def page_item_id(page: Page) -> int:
    return page.evaluate("window.convene.state.agenda[0].id")


def downloaded(page: Page, button) -> bytes:
    # The PDF is rendered on demand (WeasyPrint): allow for a crowded machine.
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return info.value.path().read_bytes()


@sqlite_only
def test_notes_actions_finalize_and_downloads(server, new_context, shoot):
    created = api_create(server.url, "Tenants' union assembly", facilitator_name="Maria")
    code = created["code"]
    tiny_meeting(server.url, code, created["facilitator_token"])

    facilitator = new_context()
    console = facilitator.new_page()
    console.goto(created["facilitator_url"])
    expect_live(console)
    console.get_by_role("link", name="Minutes and exports").click()
    expect(console).to_have_url(f"{server.url}/c/{code}/minutes")
    page = console
    expect_live(page)
    minutes = page.get_by_test_id("live-minutes")
    expect(minutes.get_by_test_id("minutes-round")).to_contain_text(DECISION)
    expect(page.get_by_test_id("final-status")).to_have_text("Draft: not final yet.")

    phone = join_direct(phone_context(new_context), server.url, code, "Robin")
    expect(phone.get_by_test_id("phone-minutes")).to_be_hidden()

    # A note on the agenda item.
    page.get_by_label("Note on “Rent strike”").fill(NOTE)
    page.get_by_role("button", name="Save the note").click()
    expect(minutes.get_by_test_id("minutes-notes")).to_contain_text(NOTE)

    # An action item, with the keyboard only.
    page.get_by_label("What", exact=True).focus()
    page.keyboard.type("Book the hall for January")
    page.keyboard.press("Tab")
    page.keyboard.type("Ben")
    page.keyboard.press("Tab")
    page.keyboard.type("01152027")  # the date field, month/day/year in English
    for _ in range(4):  # Tab walks through the date's month, day and year, then leaves it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "action-item":
            break
    page.keyboard.press("ArrowDown")  # the agenda item: "1. Rent strike"
    expect(page.get_by_label("Agenda item")).to_have_value(str(page_item_id(page)))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("minutes-messages")).to_have_text("Action item added.")
    expect(page.get_by_test_id("actions").get_by_test_id("action")).to_contain_text(
        "Book the hall for January"
    )
    expect(minutes.get_by_test_id("minutes-actions")).to_have_text(
        "Book the hall for January — Ben, by Jan 15, 2027"
    )
    expect(minutes.get_by_test_id("minutes-item")).to_contain_text("Book the hall for January")

    # Finalize, with a confirmation step.
    page.get_by_role("button", name="Mark the minutes final").click()
    page.get_by_role("button", name="Yes, mark them final").click()
    status = page.get_by_test_id("final-status")
    expect(status).to_contain_text("Final — approved by Maria at")
    expect(status).to_contain_text("version 1")
    expect(page.get_by_test_id("final-changes")).to_contain_text("Nothing changed since version 1")
    expect(page.get_by_role("button", name="Mark the changes final (version 2)")).to_have_count(0)
    shoot(page, "minutes-page", full_page=True)
    found = axe_violations(page)
    assert not found, "\n".join(found)

    markdown = downloaded(page, page.get_by_role("button", name="Markdown")).decode()
    assert "Final minutes, version 1, approved by Maria" in markdown
    assert NOTE in markdown
    assert "Book the hall for January" in markdown
    assert DECISION in markdown
    assert downloaded(page, page.get_by_role("button", name="PDF")).startswith(b"%PDF")
    document = json.loads(downloaded(page, page.get_by_role("button", name="JSON")))
    assert document["final"] is True
    assert document["version"] == 1
    ballots = downloaded(page, page.get_by_role("button", name="Ballots CSV")).decode()
    rows = [line for line in ballots.strip().splitlines() if not line.startswith("#")]
    assert rows[0] == "receipt,weight,choice"  # the header, after the '#' recount rows
    assert sorted(row.split(",", 2)[2] for row in rows[1:]) == ["yes", "yes"]  # two ballots
    expect(page.get_by_role("button", name="BLT file")).to_have_count(0)  # not ranked

    # The phone offers the minutes only once the facilitator makes them public.
    expect(phone.get_by_test_id("phone-minutes")).to_be_hidden()
    page.get_by_label("Participants may download the final minutes").check()
    card = phone.get_by_test_id("phone-minutes")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Final minutes, version 1, approved by Maria.")
    pdf = downloaded(phone, card.get_by_role("button", name="Download the minutes (PDF)"))
    assert pdf.startswith(b"%PDF")
    found = axe_violations(phone)
    assert not found, "\n".join(found)
    page.get_by_label("Participants may download the final minutes").uncheck()
    expect(card).to_be_hidden()

    # A correction makes a new version; version 1 stays as it was.
    page.get_by_label("Note on “Rent strike”").fill(NOTE + " The hall is booked.")
    page.get_by_role("button", name="Save the note").click()
    expect(page.get_by_test_id("final-changes")).to_have_text(
        "The minutes changed since version 1."
    )
    page.get_by_role("button", name="Mark the changes final (version 2)").click()
    page.get_by_role("button", name="Yes, mark them final").click()
    expect(status).to_contain_text("version 2")
    expect(page.get_by_test_id("final-changes")).to_contain_text("Nothing changed since version 2")
