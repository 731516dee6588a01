"""Paper ballots in the browser (issue 17 item 5): the facilitator invites a teller from the
console, the teller finds a person by name and enters their ranked ballot with the phone's
ballot form, the console's turnout moves, and a second ballot for a seat that voted is
refused; axe finds nothing on the teller's screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import axe_violations
from tests.e2e.flows import add_item, console_for, expect_live, phone_context
from tests.e2e.test_rounds import api, create_round, start

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_teller_enters_a_paper_ballot(server, new_context, shoot):
    console, code = console_for(new_context(), server.url, "Regional convening")
    add_item(console, "Campaigns", 20)
    start(console, "Campaigns")
    people = {
        name: api(server.url, f"/api/convenings/{code}/participants", {"name": name})
        for name in ("Ana Núñez", "Ben Okafor", "Chiara Rossi")
    }

    # The facilitator makes a teller's link in the console.
    console.get_by_label("Their role").select_option("teller")
    console.get_by_role("button", name="Create a private link").click()
    link = console.locator("#invite-result input")
    expect(link).to_have_value(re.compile(r"/t/[\w-]+$"))
    expect(console.locator("#invite-result")).to_contain_text("enter paper ballots")
    teller_url = link.input_value()

    round_id = create_round(console, "Which campaign first?", "irv", "Rent\nFood\nRepairs")
    turnout = console.get_by_test_id("console-round").first.get_by_test_id("console-turnout")

    teller = phone_context(new_context).new_page()
    teller.goto(teller_url)
    expect(teller).to_have_url(f"{server.url}/c/{code}/teller")
    expect_live(teller)
    expect(teller.get_by_test_id("teller-round-title")).to_have_text("Which campaign first?")
    roll = teller.get_by_test_id("teller-person")
    expect(roll).to_have_count(3)
    assert axe_violations(teller) == []

    # Find Ana by part of her name, rank her paper ballot, review, enter.
    teller.get_by_label("Find the person by name").fill("núñ")
    expect(roll).to_have_text(["Ana Núñez"])
    roll.first.click()
    expect(teller.get_by_test_id("teller-ballot-of")).to_have_text("Paper ballot of Ana Núñez")
    teller.get_by_role("button", name="Food, not ranked").click()
    teller.get_by_role("button", name="Rent, not ranked").click()
    teller.get_by_test_id("teller-review").click()
    expect(teller.get_by_test_id("teller-confirm")).to_have_text(
        "Enter this ballot for Ana Núñez: Food > Rent?"
    )
    assert axe_violations(teller) == []
    shoot(teller, "teller-confirm", full_page=True)
    teller.get_by_test_id("teller-enter").click()
    notice = teller.get_by_test_id("teller-notice")
    expect(notice).to_contain_text("Counted: the paper ballot of Ana Núñez. Receipt ")
    expect(roll).to_have_count(2)  # she is no longer on the roll (and the search was cleared)

    # The console's turnout counts it, and says it was on paper.
    expect(turnout).to_contain_text("1 of", timeout=5_000)
    expect(turnout).to_contain_text("1 on paper")
    expect(teller.get_by_test_id("teller-turnout")).to_contain_text("1 on paper", timeout=5_000)

    # Ben voted by phone: a secret round does not tell the teller so, but a paper ballot
    # for his seat is refused, naming him, and counts nothing.
    options = teller.evaluate(
        f"window.convene.state.rounds.find((r) => r.id === {round_id}).options.map((o) => o.id)"
    )
    api(
        server.url,
        f"/api/convenings/{code}/rounds/{round_id}/ballots",
        {"ranking": [options[2]]},
        people["Ben Okafor"]["token"],
    )
    expect(turnout).to_contain_text("2 of", timeout=5_000)
    teller.get_by_label("Find the person by name").fill("ben")
    expect(roll).to_have_text(["Ben Okafor"])
    roll.first.click()
    teller.get_by_role("button", name="Repairs, not ranked").click()
    teller.get_by_test_id("teller-review").click()
    teller.get_by_test_id("teller-enter").click()
    expect(notice).to_have_text("Not entered: Ben Okafor has already voted in this round.")
    expect(teller.get_by_label("Find the person by name")).to_be_visible()
    assert axe_violations(teller) == []
    expect(turnout).to_contain_text("2 of")
    expect(turnout).to_contain_text("1 on paper")
    shoot(teller, "teller-refused", full_page=True)
