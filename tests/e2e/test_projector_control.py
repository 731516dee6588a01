"""The facilitator steers the projector from the console, by clicking: "On the projector"
(each of its choices) and "Back to the floor" under a result; the projector follows, keeps
the choice when it reconnects, and a participant's phone cannot steer it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import axe_violations
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.flows import api_create, expect_live, join_direct, phone_context
from tests.e2e.test_projector_fit import Api

pytestmark = pytest.mark.browser

DEMAND = "A rent freeze in every building with more than four units, for two years"
ROUND = "Which campaign first: the rent freeze, the right to counsel or public housing?"


def meeting(base: str) -> tuple[dict, dict]:
    created = api_create(base, "Asamblea de Inquilinas de Peñalolén")
    api = Api(base, created["code"])
    boss = created["facilitator_token"]
    item = api("POST", "/agenda", {"title": "Housing: the regional demand"}, boss)
    api("POST", f"/agenda/{item['id']}/start", {}, boss)
    ana = api("POST", "/participants", {"name": "Ana María Núñez"})["token"]
    body = "Rents are frozen for two years; after that they rise by inflation at most."
    demand = api(
        "POST", "/demands", {"agenda_item_id": item["id"], "title": DEMAND, "body": body}, ana
    )
    api("POST", f"/demands/{demand['id']}/open", {}, boss)
    round_ = api(
        "POST",
        "/rounds",
        {
            "agenda_item_id": item["id"],
            "title": ROUND,
            "method": "irv",
            "options": [{"label": "Rent freeze"}, {"label": "Counsel"}, {"label": "Housing"}],
        },
        boss,
    )
    api("POST", f"/rounds/{round_['id']}/open", {}, boss)
    api("POST", f"/rounds/{round_['id']}/ballots", {"ranking": [round_["options"][0]["id"]]}, ana)
    api("POST", f"/rounds/{round_['id']}/close", {}, boss)
    return created, {"boss": boss, "item": item, "demand": demand, "round": round_}


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_console_steers_the_projector(server, new_context, shoot):
    created, what = meeting(server.url)
    projector = new_context(viewport={"width": 1280, "height": 720}).new_page()
    projector.goto(created["projector_url"])
    expect_live(projector)
    mode = projector.locator("#live")
    # auto: the result just closed is on the projector for a while
    expect(mode).to_have_attribute("data-mode", "round")

    # The console in the browser that holds the projector's link: it shows a live preview.
    console = projector.context.new_page()
    console.set_viewport_size({"width": 1366, "height": 900})
    console.goto(created["facilitator_url"])
    expect_live(console)
    control = console.get_by_test_id("projector-control")
    showing = control.get_by_test_id("projector-showing")
    messages = console.get_by_test_id("console-messages")
    expect(showing).to_contain_text("Following the meeting")

    # "Back to the floor", right under the result
    card = console.locator(f'[data-testid="console-round"][data-id="{what["round"]["id"]}"]')
    card.get_by_role("button", name="Back to the floor").click()
    expect(mode).to_have_attribute("data-mode", "item")
    expect(projector.get_by_test_id("current-title")).to_have_text("Housing: the regional demand")
    expect(messages).to_contain_text("The projector is back on the floor.")
    # the result closed before "Back to the floor" does not come back; it can be put back
    put_back = card.get_by_role("button", name=f"Put “{ROUND}” on the projector")
    put_back.click()
    expect(mode).to_have_attribute("data-mode", "round")
    expect(projector.get_by_test_id("round-title")).to_have_text(ROUND)
    expect(card.get_by_role("button", name="Back to the floor")).to_be_visible()
    expect(showing).to_have_text(f"Showing the round “{ROUND}”, until you change it.")
    control.scroll_into_view_if_needed()  # the preview loads when it is on screen
    preview = control.frame_locator('[data-testid="projector-preview"]')
    expect(preview.get_by_test_id("round-title")).to_have_text(ROUND, timeout=30_000)
    if server.backend == "sqlite":  # docs/screenshots/console-projector.png
        ARTIFACTS.mkdir(exist_ok=True)
        console.wait_for_timeout(500)
        control.screenshot(path=str(ARTIFACTS / "console-projector.png"))

    # every choice of "On the projector"
    select = control.get_by_label("Show")
    put = control.get_by_role("button", name="Put on the projector")
    choices = [
        ("The agenda", "agenda", "Showing the agenda, until you change it."),
        ("How to join", "join", "Showing how to join, until you change it."),
        (DEMAND, "demand", f"Showing the demand “{DEMAND}”, until you change it."),
        ("The item and the speaker list", "item", "Showing the item and the speaker list"),
        (ROUND, "round", f"Showing the round “{ROUND}”, until you change it."),
        ("Follow the meeting", "item", "Following the meeting"),
    ]
    for label, projector_mode, said in choices:
        select.select_option(label=label)
        put.click()
        expect(mode).to_have_attribute("data-mode", projector_mode)
        expect(showing).to_contain_text(said)
        expect(messages).to_contain_text("The projector shows it now.")
        if projector_mode == "demand":
            expect(projector.get_by_test_id("projector-demand-title")).to_have_text(DEMAND)
        if projector_mode == "agenda":
            expect(projector.get_by_test_id("projector-agenda-item")).to_have_count(1)
        if label == "The item and the speaker list":
            expect(projector.get_by_test_id("projector-demands")).to_be_hidden()
        if label == "Follow the meeting":
            expect(projector.get_by_test_id("projector-demands")).to_be_visible()

    # a projector that reconnects keeps the choice
    select.select_option(label="The agenda")
    put.click()
    expect(mode).to_have_attribute("data-mode", "agenda")
    projector.reload()
    expect_live(projector)
    expect(mode).to_have_attribute("data-mode", "agenda")
    expect(select).to_have_value("agenda")
    shoot(console, "console-projector-control")
    found = axe_violations(console)
    assert not found, "\n".join(found)

    # a participant cannot steer it, even by sending the command from their phone
    phone = join_direct(phone_context(new_context), server.url, created["code"], "Bea")
    refused = phone.evaluate(
        """() => window.convene.command("projector.show", { show: "join" })
              .then(() => "accepted", (error) => error.code)"""
    )
    assert refused == "forbidden"
    projector.wait_for_timeout(300)
    expect(mode).to_have_attribute("data-mode", "agenda")
    expect(showing).to_have_text("Showing the agenda, until you change it.")
