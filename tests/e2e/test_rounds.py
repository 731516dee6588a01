"""Decision rounds in the browser: ballots from phones (tap, keyboard, drag and drop), the
projector's live bars and round-by-round story, the decision on the agenda item, a ballot
cast offline, a blocked consent round's fallback, and changing a secret ballot.
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import axe_violations
from tests.e2e.conftest import ARTIFACTS, PROJECTOR
from tests.e2e.flows import add_item, console_for, expect_live, join_direct, phone_context

pytestmark = pytest.mark.browser

#: The counting and the ballot rules are tested on both databases below the browser
#: (tests/integration); these screens add nothing database-specific, and the file stays short.
sqlite_only = pytest.mark.parametrize("server", ["sqlite"], indirect=True)


def api(base: str, path: str, body: dict, token: str | None = None) -> dict:
    """POST to the JSON API (people in the room who are not the subject of the test)."""
    assert base.startswith("http://127.0.0.1:")
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(  # noqa: S310 - the test server on localhost
        base + path, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
        return json.load(response)


def start(console: Page, title: str) -> None:
    console.get_by_role("button", name=f"Start “{title}”").click()
    expect(console.get_by_test_id("current-item").get_by_test_id("current-title")).to_have_text(
        title
    )


def create_round(
    console: Page, title: str, method: str, options: str, *, live: bool = False, secret=True
) -> int:
    """Fill the console's form, create the round and open it; returns its id."""
    details = console.locator("#round-new-details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    console.get_by_label("Question or title").fill(title)
    console.get_by_label("Method").select_option(method)
    console.get_by_label("Options, one per line").fill(options)
    console.get_by_label(re.compile("^Show the count live")).set_checked(live)
    console.get_by_label(re.compile("^Secret ballot")).set_checked(secret)
    console.get_by_role("button", name="Create the round").click()
    expect(console.get_by_test_id("console-messages")).to_contain_text(f"Round “{title}” created")
    console.get_by_role("button", name=f"Open the vote “{title}”").click()
    row = console.get_by_test_id("console-round").filter(has_text=title).first
    expect(row.get_by_test_id("round-state")).to_have_text("Voting is open")
    return int(row.get_attribute("data-id"))


def send(phone: Page) -> str:
    """Send the ballot; returns the receipt once the server acknowledged it."""
    phone.get_by_test_id("ballot").locator('button[type="submit"]').click()
    status = phone.get_by_test_id("vote-status")
    expect(status).to_have_attribute("data-state", "recorded")
    expect(status).to_contain_text("Vote recorded")
    receipt = status.get_by_test_id("receipt").inner_text()
    code = re.fullmatch(r"Receipt code: ([A-Z0-9]{10})", receipt)
    assert code, receipt
    return code.group(1)


@sqlite_only
def test_ranked_round_from_phones_to_projector(server, new_context, shoot):
    console, code = console_for(new_context(), server.url, "Tenants' union assembly")
    add_item(console, "Solidarity fund: what first?", 20)
    start(console, "Solidarity fund: what first?")
    projector = new_context(viewport=PROJECTOR).new_page()
    console.get_by_role("button", name="Create a projector link").click()
    projector.goto(console.get_by_test_id("projector-url").input_value())
    expect_live(projector)

    sharp = server.backend == "sqlite"
    alex = join_direct(phone_context(new_context, sharp=sharp), server.url, code, "Alex")
    robin = join_direct(phone_context(new_context), server.url, code, "Robin")
    kim = join_direct(phone_context(new_context), server.url, code, "Kim")
    others = [
        api(server.url, f"/api/convenings/{code}/participants", {"name": name})["token"]
        for name in ("Sam", "Noor")
    ]
    # Named ballots: a secret round's live count moves only k ballots at a time, and this
    # room has five voters (test_live_count_of_a_secret_round below).
    round_id = create_round(
        console,
        "Where does the fund go first?",
        "irv",
        "Rent\nFood\nRepairs",
        live=True,
        secret=False,
    )
    expect(projector.get_by_test_id("round-title")).to_have_text("Where does the fund go first?")
    expect(projector.get_by_test_id("projector-turnout")).to_have_text("0 of 3 present have voted")

    # Alex ranks by tapping: each tap appends, with its number; a second tap takes it out.
    for label in ("Food", "Rent", "Repairs"):
        alex.get_by_role("button", name=f"{label}, not ranked").click()
    expect(alex.get_by_test_id("rounds-announce")).to_have_text("Repairs ranked 3rd")
    alex.get_by_role("button", name="Food, ranked 1st").click()
    expect(alex.get_by_test_id("rounds-announce")).to_have_text("Food taken out of your ranking")
    alex.get_by_role("button", name="Food, not ranked").click()
    expect(alex.get_by_test_id("ranked")).to_have_text(["1Rent⠿", "2Repairs⠿", "3Food⠿"])
    shoot(alex, "rounds-phone-ranking", full_page=True)
    alex_receipt = send(alex)
    shoot(alex, "rounds-phone-recorded", full_page=True)

    # Robin uses the keyboard only: Space and Enter on the options, then on Send.
    robin.get_by_role("button", name="Food, not ranked").focus()
    robin.keyboard.press("Space")
    expect(robin.get_by_test_id("rounds-announce")).to_have_text("Food ranked 1st")
    expect(robin.get_by_role("button", name="Food, ranked 1st")).to_be_focused()
    robin.keyboard.press("Shift+Tab")
    robin.keyboard.press("Enter")
    expect(robin.get_by_test_id("rounds-announce")).to_have_text("Rent ranked 2nd")
    robin.get_by_role("button", name="Send my vote").focus()
    robin.keyboard.press("Enter")
    expect(robin.get_by_test_id("vote-status")).to_contain_text("Vote recorded")

    # Kim drags: Rent into the ranking, then Repairs above it.
    ranking = kim.get_by_test_id("ranking")
    kim.get_by_role("button", name="Rent, not ranked").drag_to(ranking)
    expect(kim.get_by_test_id("ranked")).to_have_text(["1Rent⠿"])
    kim.get_by_role("button", name="Repairs, not ranked").drag_to(
        kim.get_by_test_id("ranked").first, target_position={"x": 20, "y": 2}
    )
    expect(kim.get_by_test_id("ranked")).to_have_text(["1Repairs⠿", "2Rent⠿"])
    expect(kim.get_by_test_id("rounds-announce")).to_have_text("Repairs ranked 1st")
    send(kim)

    for token, ranking_ids in ((others[0], [0]), (others[1], [1, 0])):
        options = projector.evaluate(
            f"window.convene.state.rounds.find((r) => r.id === {round_id}).options.map((o) => o.id)"
        )
        api(
            server.url,
            f"/api/convenings/{code}/rounds/{round_id}/ballots",
            {"ranking": [options[i] for i in ranking_ids]},
            token,
        )

    # The projector: turnout and the live count (first preferences) as bars.
    expect(projector.get_by_test_id("projector-turnout")).to_have_text(
        "5 of 5 present have voted", timeout=5_000
    )
    bars = projector.get_by_test_id("projector-bars")
    expect(bars.get_by_test_id("tally-value")).to_have_text(["2", "2", "1"])
    expect(bars.get_by_test_id("tally-label")).to_have_text(["Rent", "Food", "Repairs"])
    turnout = console.get_by_test_id("console-round").first.get_by_test_id("console-turnout")
    expect(turnout).to_have_text("5 of 5 present have voted")
    projector.wait_for_timeout(1000)  # the bars' transition
    shoot(projector, "rounds-projector-live")

    # The close: the projector tells the count round by round.
    console.get_by_role("button", name="Close the vote “Where does the fund go first?”").click()
    expect(projector.get_by_test_id("story-round")).to_have_text("Round 1 of 2")
    expect(projector.get_by_test_id("story-explanation")).to_contain_text("Repairs")
    rows = bars.get_by_test_id("tally-row")
    expect(rows.nth(2)).to_have_attribute("data-mark", "eliminated")
    expect(projector.get_by_test_id("story-round")).to_have_text("Round 2 of 2", timeout=5_000)
    expect(bars.get_by_test_id("tally-value")).to_have_text(["3", "2", "0"])
    expect(rows.nth(0)).to_have_attribute("data-mark", "elected")
    expect(projector.get_by_test_id("projector-decision")).to_have_text("Chosen: Rent.")
    projector.wait_for_timeout(1000)
    shoot(projector, "rounds-projector-result")

    # The phones: the result in words and the table; the decision is on the agenda item.
    expect(alex.get_by_test_id("round-decision")).to_have_text("Chosen: Rent.")
    table = alex.get_by_test_id("round-table")
    expect(table.get_by_role("row", name=re.compile("^Rent")).get_by_role("cell")).to_have_text(
        ["2", "3 ✓"]
    )
    expect(alex.get_by_test_id("agenda").get_by_test_id("agenda-decision")).to_have_text(
        "Chosen: Rent."
    )
    expect(console.get_by_test_id("agenda").get_by_test_id("agenda-decision")).to_have_text(
        "Chosen: Rent."
    )
    # Alex checks the receipt against the published ballot list.
    alex.get_by_text("Check my ballot in the published list").click()
    expect(alex.get_by_test_id("receipt-check")).to_contain_text(
        f"Your ballot {alex_receipt} is in the list, counted as: Rent > Repairs > Food"
    )
    expect(alex.get_by_test_id("receipt-check")).to_contain_text("5 ballots published.")
    shoot(alex, "rounds-phone-result", full_page=True)
    if server.backend == "sqlite":
        console.evaluate("document.getElementById('messages').replaceChildren()")
        console.get_by_test_id("rounds-panel").screenshot(path=str(ARTIFACTS / "rounds-panel.png"))


@sqlite_only
def test_ballot_cast_offline_is_sent_on_reconnect(server, new_context):
    console, code = console_for(new_context(), server.url, "Food co-op general meeting")
    add_item(console, "New supplier")
    start(console, "New supplier")
    context = phone_context(new_context)
    ben = join_direct(context, server.url, code, "Ben")
    create_round(console, "Switch to the farm collective?", "yes_no", "Switch supplier")
    expect(ben.get_by_test_id("round-title")).to_have_text("Switch to the farm collective?")

    context.set_offline(True)
    ben.get_by_text("Yes", exact=True).click()
    ben.get_by_role("button", name="Send my vote").click()
    status = ben.get_by_test_id("vote-status")
    expect(status).to_have_text("Saved on this phone — will be sent when you're back online")
    expect(status).to_have_attribute("data-state", "offline")
    turnout = console.get_by_test_id("console-round").first.get_by_test_id("console-turnout")
    expect(turnout).to_have_text(re.compile(r"^0 of \d present have voted$"))

    context.set_offline(False)
    expect(status).to_contain_text("Vote recorded", timeout=15_000)
    expect(status.get_by_test_id("receipt")).to_be_visible()
    expect(turnout).to_have_text("1 of 1 present have voted")


def lose_first_ballot_reply(context) -> list[str]:
    """Route the phone's WebSocket through the test and drop the server's reply to its first
    ballot, as a connection that fails right after the server stored it would."""
    lost: list[str] = []

    def route(ws) -> None:
        upstream = ws.connect_to_server()
        ballots: set[str] = set()

        def from_phone(message) -> None:
            cast = isinstance(message, str) and re.match(
                r'42(\d+)\["command",\{"name":"rounds\.cast"', message
            )
            if cast:
                ballots.add(cast.group(1))
            upstream.send(message)

        def from_server(message) -> None:
            reply = isinstance(message, str) and re.match(r"43(\d+)", message)
            if reply and reply.group(1) in ballots and not lost:
                lost.append(message)  # never reaches the phone
                return
            ws.send(message)

        ws.on_message(from_phone)
        upstream.on_message(from_server)

    context.route_web_socket(re.compile(r"/socket\.io/"), route)
    return lost


@sqlite_only
def test_a_ballot_whose_reply_was_lost_is_sent_again_and_counted_once(server, new_context):
    console, code = console_for(new_context(), server.url, "Tenants' union assembly")
    add_item(console, "Rent strike")
    start(console, "Rent strike")
    context = phone_context(new_context)
    lost = lose_first_ballot_reply(context)
    maya = join_direct(context, server.url, code, "Maya")
    create_round(console, "Start the rent strike in May?", "yes_no", "Strike in May")
    maya.get_by_text("Yes", exact=True).click()
    maya.get_by_role("button", name="Send my vote").click()
    status = maya.get_by_test_id("vote-status")
    # No reply within the phone's 10 s: it keeps the ballot (with the receipt it drew) and
    # sends it again; the server knows that receipt and answers as the first time.
    expect(status).to_contain_text("Vote recorded", timeout=25_000)
    receipt = re.fullmatch(
        r"Receipt code: ([A-Z0-9]{10})", status.get_by_test_id("receipt").inner_text()
    ).group(1)
    assert len(lost) == 1
    assert f'"receipt":"{receipt}"' in lost[0].replace(" ", ""), "the lost reply had it too"
    turnout = console.get_by_test_id("console-round").first.get_by_test_id("console-turnout")
    expect(turnout).to_have_text("1 of 1 present have voted")
    console.get_by_role("button", name="Close the vote “Start the rent strike in May?”").click()
    expect(
        console.get_by_test_id("console-round").first.get_by_test_id("console-decision")
    ).to_have_text("Strike in May: passed.")


@sqlite_only
def test_blocked_consent_round_offers_a_fallback_vote(server, new_context):
    console, code = console_for(new_context(), server.url, "Housing coop assembly")
    add_item(console, "Garden rules")
    start(console, "Garden rules")
    eva = join_direct(phone_context(new_context), server.url, code, "Eva")
    create_round(console, "Quiet hours after 10 pm", "consent", "Quiet hours after 10 pm")
    expect(eva.get_by_text("I believe this harms the group", exact=False)).to_be_visible()
    # While the vote is open, the ballot comes before the item (and its notes) on the phone.
    cards = "[...document.querySelectorAll('#live > section:not([hidden])')].map((s) => s.id)"
    assert eva.evaluate(cards)[:2] == ["rounds", "now"]
    eva.get_by_text("Block", exact=True).click()
    send(eva)
    console.get_by_role("button", name="Close the vote “Quiet hours after 10 pm”").click()
    blocked = console.get_by_test_id("console-round").first
    expect(blocked.get_by_test_id("console-decision")).to_have_text(
        "Quiet hours after 10 pm: not passed."
    )
    expect(eva.get_by_test_id("round-decision")).to_have_text(
        "Quiet hours after 10 pm: not passed."
    )
    assert eva.evaluate(cards)[:2] == ["now", "rounds"], "once closed, the item is first again"
    follow = blocked.get_by_test_id("follow-up")
    expect(follow.get_by_role("button")).to_have_text(
        ["Back to amendments", "New consent round", "Fallback vote (at least 3/4)"]
    )
    follow.get_by_role("button", name="Fallback vote (at least 3/4)").click()
    expect(console.get_by_test_id("console-messages")).to_contain_text(
        "Followed up: a fallback vote."
    )
    fallback = console.get_by_test_id("console-round").first
    expect(fallback).to_contain_text("Yes / no / abstain")
    expect(fallback.get_by_test_id("round-state")).to_have_text("Draft")
    expect(console.get_by_test_id("followed-up")).to_have_text("Followed up: a fallback vote.")


@sqlite_only
def test_changing_a_secret_ballot_reuses_the_receipt(server, new_context):
    console, code = console_for(new_context(), server.url, "Climate camp plenary")
    add_item(console, "Workshops")
    start(console, "Workshops")
    lea = join_direct(phone_context(new_context), server.url, code, "Lea")
    create_round(console, "Which workshops?", "approval", "Banners\nLegal\nCooking")
    lea.get_by_label("Banners").check()
    first = send(lea)
    lea.get_by_label("Banners").uncheck()
    lea.get_by_label("Legal").check()
    lea.get_by_label("Cooking").check()
    lea.get_by_role("button", name="Send my changed vote").click()
    status = lea.get_by_test_id("vote-status")
    expect(status.get_by_test_id("receipt")).not_to_have_text(f"Receipt code: {first}")
    second = status.get_by_test_id("receipt").inner_text().removeprefix("Receipt code: ")
    turnout = console.get_by_test_id("console-round").first.get_by_test_id("console-turnout")
    expect(turnout).to_have_text("1 of 1 present have voted")
    console.get_by_role("button", name="Close the vote “Which workshops?”").click()
    expect(lea.get_by_test_id("round-decision")).to_have_text(
        re.compile(r"^Chosen: (Legal|Cooking)\.$")
    )
    lea.get_by_text("Check my ballot in the published list").click()
    check = lea.get_by_test_id("receipt-check")
    expect(check).to_contain_text("1 ballot published.")
    expect(check).to_contain_text(
        f"Your ballot {second} is in the list, counted as: Legal, Cooking"
    )


DEBT = "Cancel all student debt within one year of taking office, for everyone in the región"


@sqlite_only
def test_each_follow_up_of_a_blocked_demand_and_an_amendment_chosen_on_its_text(
    server, new_context, shoot
):
    """A consent block on a demand: back to amendments (the blocks' reasons on every phone;
    a phone amends words selected in the rendered text), a new consent round, blocked again,
    then the fallback vote adopts it."""
    created = api(server.url, "/api/convenings", {"title": "Regional student assembly"})
    code, staff = created["code"], created["facilitator_token"]
    base = f"/api/convenings/{code}"
    ana, ben = (api(server.url, f"{base}/participants", {"name": n})["token"] for n in "AB")
    demand = api(
        server.url,
        f"{base}/demands",
        {"title": DEBT, "body": "Cancel **all** student debt.\n\n- within a year\n- for everyone"},
        ana,
    )
    api(server.url, f"{base}/demands/{demand['id']}/open", {}, staff)
    api(server.url, f"{base}/demands/{demand['id']}/support", {}, ben)

    def blocked_round(method_path: str = "") -> int:
        if not method_path:
            round_ = api(
                server.url,
                f"{base}/rounds",
                {
                    "title": "Do we consent?",
                    "method": "consent",
                    "options": [{"demand_id": demand["id"]}],
                },
                staff,
            )
            round_id = round_["id"]
        else:
            round_id = int(method_path)
        api(server.url, f"{base}/rounds/{round_id}/open", {}, staff)
        api(server.url, f"{base}/rounds/{round_id}/ballots", {"choice": "block"}, ben)
        api(server.url, f"{base}/rounds/{round_id}/close", {}, staff)
        return round_id

    first = blocked_round()
    console = new_context(viewport={"width": 1366, "height": 768}).new_page()
    console.goto(created["facilitator_url"])
    expect_live(console)
    follow = console.locator(f'[data-testid="console-round"][data-id="{first}"]').get_by_test_id(
        "follow-up"
    )
    follow.get_by_label("What the blocks said").fill("Ben: people who already paid get nothing.")
    follow.get_by_role("button", name="Back to amendments").click()
    expect(console.get_by_test_id("console-messages")).to_contain_text("back to amendments")
    shoot(console, "consent-follow-up-console-1366")

    # every phone shows the block and its reasons; the demand can be amended again
    robin = join_direct(phone_context(new_context), server.url, code, "Robin")
    card = robin.get_by_test_id("demand").filter(has_text=DEBT)
    note = card.get_by_test_id("block-note")
    expect(note).to_contain_text("Blocked in the consent round “Do we consent?”")
    expect(note).to_contain_text("people who already paid get nothing")
    expect(card.get_by_test_id("demand-status")).to_have_text(re.compile("open", re.I))
    # Robin selects "all student debt" as it reads (bold "all"), and amends it
    card.get_by_test_id("demand-body").evaluate(
        """body => {
          const strong = body.querySelector('strong');
          const range = document.createRange();
          range.setStart(strong.firstChild, 0);
          range.setEnd(strong.nextSibling, ' student debt'.length);
          const selection = document.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        }"""
    )
    card.get_by_role("button", name=re.compile("Propose an amendment")).click()
    form = card.locator('[data-form="amend"]')
    expect(form.get_by_label("The words to replace, as you read them in the text")).to_have_value(
        "all student debt"
    )
    expect(form.locator(".passage-check")).to_have_text("Found in the text.")
    form.get_by_label("Replace them with").fill("all student and medical debt, with refunds")
    form.get_by_role("button", name="Propose the amendment").click()
    diff = card.get_by_test_id("diff").first
    expect(diff.locator("ins")).to_contain_text(["and medical"])
    assert "**" not in diff.inner_text()
    expect(diff.locator("li")).to_have_count(2)  # the list is shown as a list
    shoot(robin, "amendment-on-rendered-text-phone")

    # a new consent round from the console; blocked again; then the fallback vote
    follow = console.get_by_test_id("follow-up").first
    follow.get_by_role("button", name="New consent round").click()
    expect(console.get_by_test_id("console-messages")).to_contain_text("a new consent round")
    assert api_get(server.url, f"{base}/demands/{demand['id']}", staff)["status"] == "open"
    second = max(r["id"] for r in list_rounds(server.url, code, staff))
    blocked_round(str(second))
    fallback_button = console.locator(f'[data-key="follow-fallback-{second}"]')
    fallback_button.click()
    expect(console.get_by_test_id("console-messages")).to_contain_text("a fallback vote")
    third = max(r["id"] for r in list_rounds(server.url, code, staff))
    api(server.url, f"{base}/rounds/{third}/open", {}, staff)
    for token in (ana, ben):
        api(server.url, f"{base}/rounds/{third}/ballots", {"choice": "yes"}, token)
    api(server.url, f"{base}/rounds/{third}/close", {}, staff)
    expect(card.get_by_test_id("demand-status")).to_have_text(re.compile("adopted", re.I))
    console.set_viewport_size({"width": 1920, "height": 1080})
    shoot(console, "consent-follow-up-console-1920")


def api_get(base: str, path: str, token: str) -> dict:
    request = urllib.request.Request(  # noqa: S310 - the test server on localhost
        base + path, headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
        return json.load(response)


def list_rounds(base: str, code: str, token: str) -> list[dict]:
    events = api_get(base, f"/api/convenings/{code}/events?after=0", token)["events"]
    return [e["data"] for e in events if e["type"] == "round.created"]


@sqlite_only
def test_options_already_out_go_below_those_still_in_the_count(server, new_context):
    """In a long count the screen shows who is still in it: an option eliminated in an
    earlier round moves below the others (the one eliminated in this round stays put)."""
    console, code = console_for(new_context(), server.url, "Chapter meeting")
    add_item(console, "Campaign")
    start(console, "Campaign")
    round_id = create_round(
        console, "First campaign", "irv", "Transit\nClinics\nHousing\nWages", secret=False
    )
    projector = new_context(viewport=PROJECTOR).new_page()
    console.get_by_role("button", name="Create a projector link").click()
    projector.goto(console.get_by_test_id("projector-url").input_value())
    expect_live(projector)
    options = projector.evaluate(
        f"window.convene.state.rounds.find((r) => r.id === {round_id}).options.map((o) => o.id)"
    )
    transit, clinics, housing, wages = options
    # Transit goes out first (1 vote, to Housing), then Clinics (2, to Wages): Wages 5, Housing 4.
    ballots = [[transit, housing]] + [[clinics, wages]] * 2 + [[housing]] * 3 + [[wages]] * 3
    for n, ranking in enumerate(ballots):
        token = api(server.url, f"/api/convenings/{code}/participants", {"name": f"P{n}"})
        api(
            server.url,
            f"/api/convenings/{code}/rounds/{round_id}/ballots",
            {"ranking": ranking},
            token["token"],
        )
    console.get_by_role("button", name="Close the vote “First campaign”").click()
    labels = projector.get_by_test_id("projector-bars").get_by_test_id("tally-label")
    expect(projector.get_by_test_id("story-round")).to_have_text("Round 1 of 3")
    expect(labels).to_have_text(["Transit", "Clinics", "Housing", "Wages"])
    expect(projector.get_by_test_id("story-round")).to_have_text("Round 2 of 3", timeout=10_000)
    expect(labels).to_have_text(["Clinics", "Housing", "Wages", "Transit"])
    expect(projector.get_by_test_id("story-round")).to_have_text("Round 3 of 3", timeout=10_000)
    expect(labels).to_have_text(["Housing", "Wages", "Transit", "Clinics"])
    expect(projector.get_by_test_id("projector-decision")).to_have_text("Chosen: Wages.")


#: A ballot of every method, as its options are written on the console's form.
BALLOTS = {
    "irv": "Rent freeze now\nRight to counsel for every tenant\nPublic housing on city land",
    "stv": "Ana María Núñez\nBjörn Þórsson\nNguyễn Thị Hương\nZoë Ødegård",
    "schulze": "Rent freeze now\nRight to counsel for every tenant\nPublic housing on city land",
    "approval": "Banners\nLegal support\nCooking for the camp",
    "score": "Banners\nLegal support\nCooking for the camp",
    "yes_no": "Start the rent strike in May",
    "consent": "Quiet hours after 10 pm",
    "gradients": "Adopt the regional demand on displacement",
}


@sqlite_only
def test_a_ballot_of_every_method_passes_axe(server, new_context):
    console, code = console_for(new_context(), server.url, "Asamblea de Peñalolén")
    add_item(console, "Decisions")
    start(console, "Decisions")
    phone = join_direct(phone_context(new_context), server.url, code, "Zoë Ødegård")
    problems = []
    for method, options in BALLOTS.items():
        title = f"The {method} question of the evening"
        create_round(console, title, method, options)
        ballot = phone.get_by_test_id("ballot")
        expect(ballot).to_be_visible()
        expect(phone.get_by_test_id("round").filter(has_text=title)).to_be_visible()
        problems += [f"{method}: {v}" for v in axe_violations(phone)]
        console.get_by_role("button", name=f"Close the vote “{title}”").click()
        expect(ballot).to_have_count(0)
    assert not problems, "\n".join(problems)
