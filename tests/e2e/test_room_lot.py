"""Issue 12: the count that pauses for a lot drawn in the room, in the browser. The
facilitator sets the tie-break in the round form; at the close the count meets a tie that
earlier rounds cannot break and pauses; the console shows the tied options by label and
takes the option the lot chose; phones and the projector say what the room waits for; the
result names the lot and the rule used."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from convene.store import tables
from convene.store.database import make_engine
from tests.e2e.a11y import axe_violations
from tests.e2e.conftest import ARTIFACTS, PROJECTOR
from tests.e2e.flows import api_create, console_for, expect_live, join_direct, phone_context
from tests.e2e.test_rounds import api

pytestmark = pytest.mark.browser

OPTIONS = [
    "Réparer le chauffage de tous les logements avant l'hiver",
    "Ñandú: a community kitchen open every evening",
    "Security doors on every block, chosen with the tenants",
]


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_count_pauses_and_the_facilitator_enters_the_lot(server, new_context):
    console, code = console_for(new_context(), server.url, "Asamblea de inquilinas")
    projector = new_context(viewport=PROJECTOR).new_page()
    console.get_by_role("button", name="Create a projector link").click()
    projector.goto(console.get_by_test_id("projector-url").input_value())
    expect_live(projector)
    phone = join_direct(phone_context(new_context), server.url, code, "Alex")
    voters = [
        api(server.url, f"/api/convenings/{code}/participants", {"name": name})["token"]
        for name in ("Sam", "Noor", "Inés")
    ]

    details = console.locator("#round-new-details")
    details.locator("summary").click()
    console.get_by_label("Question or title").fill("Which campaign comes first this winter?")
    console.get_by_label("Method").select_option("irv")
    console.get_by_label("Options, one per line").fill("\n".join(OPTIONS))
    tie = console.get_by_label("Ties that earlier rounds do not separate")
    expect(tie).to_be_visible()
    tie.select_option("room")
    console.get_by_role("button", name="Create the round").click()
    title = "Which campaign comes first this winter?"
    expect(console.get_by_test_id("console-messages")).to_contain_text(f"Round “{title}” created")
    console.get_by_role("button", name=f"Open the vote “{title}”").click()
    row = console.get_by_test_id("console-round").filter(has_text=title).first
    expect(row.get_by_test_id("round-state")).to_have_text("Voting is open")
    expect(row.get_by_test_id("tie-rule")).to_have_text(
        "Ties: looking back at earlier rounds, then a lot drawn in the room."
    )
    round_id = int(row.get_attribute("data-id"))
    ids = console.evaluate(
        f"window.convene.state.rounds.find((r) => r.id === {round_id}).options.map((o) => o.id)"
    )
    # one first preference each: three tied to be eliminated, nothing earlier to look at
    for token, ranking in zip(voters, ([0], [1], [2, 1]), strict=True):
        api(
            server.url,
            f"/api/convenings/{code}/rounds/{round_id}/ballots",
            {"ranking": [ids[i] for i in ranking]},
            token,
        )
    expect(row.get_by_test_id("console-turnout")).to_contain_text(
        re.compile(r"^3 of \d+ present have voted")
    )
    console.get_by_role("button", name=f"Close the vote “{title}”").click()

    # Paused: the console names the tied options and asks what the lot chose
    expect(row.get_by_test_id("round-state")).to_have_text("Count paused: a lot is needed")
    form = row.get_by_test_id("lot-form")
    expect(form).to_contain_text(
        f"The count is paused in round 1: {OPTIONS[0]}, {OPTIONS[1]} and {OPTIONS[2]} are tied"
    )
    expect(form.get_by_role("group", name="Which option did the lot choose to be eliminated?"))
    expect(form.get_by_test_id("lot-choice")).to_have_count(3)
    expect(phone.get_by_test_id("round-paused")).to_contain_text(
        "The count waits for a lot drawn in the room between"
    )
    # the projector: the options between which the lot is drawn, one a line
    expect(projector.locator(".round-big-waiting")).to_have_text(
        "Voting is over. The count waits for a lot drawn in the room between:"
    )
    expect(projector.get_by_test_id("lot-option")).to_have_text(OPTIONS)
    assert axe_violations(console) == []
    ARTIFACTS.mkdir(exist_ok=True)
    form.screenshot(path=str(ARTIFACTS / "room-lot-console-paused.png"))  # docs/using-convene.md

    # nothing chosen: the console says so, and nothing is sent
    form.get_by_role("button", name="Enter the lot's result").click()
    expect(console.get_by_test_id("console-messages")).to_contain_text(
        "Choose the option the lot drew."
    )
    expect(row.get_by_test_id("round-state")).to_have_text("Count paused: a lot is needed")
    # the lot in the room drew the third option (by keyboard: the radio, then the button)
    form.get_by_label(OPTIONS[2]).check()
    form.get_by_role("button", name="Enter the lot's result").focus()
    console.keyboard.press("Enter")
    expect(console.get_by_test_id("console-messages")).to_contain_text(
        f"Lot entered: {OPTIONS[2]}."
    )
    expect(row.get_by_test_id("round-state")).to_have_text("Closed")
    expect(row.get_by_test_id("console-decision")).to_have_text(f"Chosen: {OPTIONS[1]}.")
    expect(row.get_by_test_id("tie-note")).to_contain_text(
        f"A lot drawn in the room chose {OPTIONS[2]}, who is eliminated."
    )
    expect(phone.get_by_test_id("round-decision")).to_have_text(f"Chosen: {OPTIONS[1]}.")
    expect(projector.get_by_test_id("projector-decision")).to_have_text(f"Chosen: {OPTIONS[1]}.")
    assert axe_violations(console) == []


def _backdate(server, round_id: int, **ago: timedelta) -> None:
    """Move a round's closed_at / settled_at into the past, as if the pause had been long
    (the server's clock is real: waiting minutes in a test is not)."""
    engine = make_engine(server.database_url)
    try:
        with engine.begin() as connection:
            row = connection.execute(
                select(tables.rounds.c.closed_at, tables.rounds.c.settled_at).where(
                    tables.rounds.c.id == round_id
                )
            ).one()
            values = {column: getattr(row, column) - delta for column, delta in ago.items()}
            connection.execute(
                update(tables.rounds).where(tables.rounds.c.id == round_id).values(**values)
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_projector_in_auto_mode_waits_with_the_room_then_holds_the_result(server, new_context):
    """Following the meeting by itself, the projector shows a round paused for a lot however
    long the pause, with the tied options; once the lot is entered, the result for 90 s from
    then (not from the close, minutes before)."""
    created = api_create(server.url, "Asamblea de inquilinas")
    code, boss = created["code"], created["facilitator_token"]
    projector = new_context(viewport=PROJECTOR).new_page()
    projector.goto(created["projector_url"])
    expect_live(projector)
    live = projector.locator("#live")
    base = f"/api/convenings/{code}"
    voters = [
        api(server.url, f"{base}/participants", {"name": name})["token"]
        for name in ("Sam", "Noor", "Inés")
    ]
    made = api(
        server.url,
        f"{base}/rounds",
        {
            "title": "Which campaign comes first this winter?",
            "method": "irv",
            "options": [{"label": o} for o in OPTIONS],
            "tie_break": "room",
        },
        boss,
    )
    round_id, ids = made["id"], [o["id"] for o in made["options"]]
    api(server.url, f"{base}/rounds/{round_id}/open", {}, boss)
    expect(live).to_have_attribute("data-mode", "round")
    for token, ranking in zip(voters, ([0], [1], [2, 1]), strict=True):
        api(
            server.url,
            f"{base}/rounds/{round_id}/ballots",
            {"ranking": [ids[i] for i in ranking]},
            token,
        )
    paused = api(server.url, f"{base}/rounds/{round_id}/close", {}, boss)
    assert (paused["state"], paused["settled_at"]) == ("paused", None)
    expect(projector.get_by_test_id("lot-option")).to_have_text(OPTIONS)

    # the room has been drawing the lot for five minutes: still on the projector
    _backdate(server, round_id, closed_at=timedelta(minutes=5))
    projector.reload()
    expect_live(projector)
    expect(live).to_have_attribute("data-mode", "round")
    expect(projector.locator(".round-big-waiting")).to_have_text(
        "Voting is over. The count waits for a lot drawn in the room between:"
    )
    expect(projector.get_by_test_id("lot-option")).to_have_text(OPTIONS)

    # the facilitator enters the lot: the result, though voting closed five minutes ago
    done = api(server.url, f"{base}/rounds/{round_id}/lot", {"option_id": ids[2]}, boss)
    assert done["state"] == "closed"
    assert done["settled_at"] > done["closed_at"]
    expect(projector.get_by_test_id("projector-decision")).to_have_text(f"Chosen: {OPTIONS[1]}.")
    expect(live).to_have_attribute("data-mode", "round")
    expect(projector.get_by_test_id("lot-option")).to_have_count(0)

    # 90 s after the result was settled, the screen is the meeting's again (no item has
    # started here: how to join)
    _backdate(server, round_id, settled_at=timedelta(seconds=91))
    projector.reload()
    expect_live(projector)
    expect(live).to_have_attribute("data-mode", "before")
    expect(projector.get_by_test_id("projector-decision")).to_be_hidden()
