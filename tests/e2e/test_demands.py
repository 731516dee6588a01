"""Demands and amendments in the browser: proposing, supporting, amending with a visible
word diff, accepting as friendly, common ground card by card, and the facilitator's
screening (hide, sort by bridging agreement) on phones, the projector and the console.
"""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, PHONE, PROJECTOR
from tests.e2e.flows import (
    Received,
    add_item,
    console_for,
    expect_live,
    join_direct,
    phone_context,
)

pytestmark = pytest.mark.browser

#: The rules are tested on both databases below the browser (tests/integration); these
#: screens add nothing database-specific, so they run on SQLite only.
sqlite_only = pytest.mark.parametrize("server", ["sqlite"], indirect=True)


def api(base: str, path: str, body: dict | None, token: str | None = None, method="POST") -> dict:
    """The JSON API, for people in the room who are not the subject of the test."""
    assert base.startswith("http://127.0.0.1:")
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(  # noqa: S310 - the test server on localhost
        base + path, data=json.dumps(body or {}).encode(), headers=headers, method=method
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
        return json.load(response)


def facilitator_token(console: Page) -> str:
    return console.evaluate("window.convene.token")


def open_projector(console: Page, new_context) -> Page:
    projector = new_context(viewport=PROJECTOR).new_page()
    console.get_by_role("button", name="Create a projector link").click()
    projector.goto(console.get_by_test_id("projector-url").input_value())
    expect_live(projector)
    return projector


def propose(phone: Page, title: str, body: str) -> None:
    details = phone.locator("#propose-details")
    if details.get_attribute("open") is None:
        phone.get_by_text("Propose a demand", exact=True).click()
    form = phone.get_by_test_id("propose-form")
    form.get_by_label("Title").fill(title)
    form.get_by_label("What do you demand?").fill(body)
    form.get_by_role("button", name="Propose the demand").click()
    expect(form.get_by_label("Title")).to_be_hidden()  # the form folds away once sent
    expect(demand(phone, title)).to_be_visible()


def demand(page: Page, title: str):
    return page.get_by_test_id("demand").filter(
        has=page.get_by_test_id("demand-title").get_by_text(title, exact=True)
    )


def console_demand(console: Page, title: str):
    return console.get_by_test_id("console-demand").filter(
        has=console.get_by_test_id("demand-title").get_by_text(title, exact=True)
    )


def test_propose_amend_accept_and_projector_diff(server, new_context, shoot):
    facilitator = new_context()
    console, code = console_for(facilitator, server.url, "Transit riders' assembly")
    add_item(console, "Fares", 30)
    console.get_by_role("button", name="Start “Fares”").click()
    projector = open_projector(console, new_context)

    sharp = server.backend == "sqlite"
    alex = join_direct(phone_context(new_context, sharp=sharp), server.url, code, "Alex")
    robin = join_direct(phone_context(new_context, sharp=sharp), server.url, code, "Robin")

    # Two participants propose; the agenda item is the running one by default.
    propose(
        alex,
        "Free transit for students",
        "Buses and trams are **free** for students on weekdays.\n\n"
        "- no paperwork\n- from September",
    )
    propose(robin, "Night buses", "Night buses run every *30 minutes* on weekends.")
    expect(demand(alex, "Night buses")).to_be_visible()
    card = demand(robin, "Free transit for students")
    expect(card.get_by_test_id("demand-status")).to_have_text("Draft")
    expect(card.locator(".demand-meta")).to_contain_text("by Alex · under “Fares”")
    expect(card.get_by_test_id("demand-body").locator("strong")).to_have_text("free")

    # The facilitator puts both before the room.
    for title in ("Free transit for students", "Night buses"):
        console.get_by_role("button", name=f"Put before the room: “{title}”").click()
    expect(card.get_by_test_id("demand-status")).to_have_text("Open")
    expect(projector.get_by_test_id("projector-demand")).to_have_count(2)

    # Robin amends Alex's demand: one passage, typed as in the text, with a reason.
    card.get_by_role("button", name="Propose an amendment").click()
    form = card.locator("form[data-form=amend]")
    passage = form.get_by_label("The words to replace, as you read them in the text")
    passage.fill("on weekdays")
    expect(form.locator(".passage-check")).to_have_text("Found in the text.")
    form.get_by_label("Replace them with").fill("every day, weekends too")
    form.get_by_label("Why? (optional)").fill("Students work weekend jobs.")
    form.get_by_role("button", name="Propose the amendment").click()
    expect(robin.get_by_test_id("demands-status")).to_contain_text("Your amendment")

    # Everyone sees a word diff: <del> and <ins>, not only colours.
    mine = demand(alex, "Free transit for students")
    amendment = mine.get_by_test_id("amendment")
    expect(amendment.locator("del")).to_contain_text("[deleted: on weekdays]")
    expect(amendment.locator("ins")).to_contain_text("[inserted: every day, weekends too]")
    expect(amendment).to_contain_text("Amendment by Robin")
    expect(amendment).to_contain_text("Why: Students work weekend jobs.")
    expect(card.get_by_role("button", name="Accept as friendly")).to_have_count(0)  # not Robin's

    spot = projector.get_by_test_id("projector-spotlight")
    expect(spot).to_contain_text("Robin proposes to change “Free transit for students”")
    expect(spot.locator("del")).to_contain_text("weekdays")
    expect(spot.locator("ins")).to_contain_text("every day, weekends too")
    if sharp:
        mine.scroll_into_view_if_needed()
        shoot(alex, "demands-phone-diff")
        amendment.screenshot(path=str(ARTIFACTS / "demands-phone-amendment.png"))
        shoot(projector, "demands-projector-diff")

    # The author accepts it as friendly: it applies at once, everywhere.
    mine.get_by_role("button", name="Accept as friendly").click()
    expect(mine.get_by_test_id("demand-body")).to_contain_text(
        "free for students every day, weekends too."
    )
    expect(mine.locator(".demand-meta")).to_contain_text("version 2")
    expect(card.get_by_test_id("demand-body")).to_contain_text("every day, weekends too")
    expect(spot).to_have_attribute("data-status", "adopted")
    expect(spot).to_contain_text("New version (2)")
    expect(spot.get_by_test_id("demand-body")).to_contain_text(
        "free for students every day, weekends too."
    )
    expect(spot.locator("del")).to_have_count(0)
    mine.locator(".amendments-earlier summary").click()
    expect(mine.get_by_test_id("amendment-status")).to_have_text("Accepted as friendly")
    if sharp:
        shoot(projector, "demands-projector-adopted")
        alex.evaluate("window.scrollTo(0, 0)")
        shoot(alex, "demands-phone-list", full_page=True)


INJECTION_TITLE = '<script>window.__pwned = "title"</script><img src=x onerror="window.__pwned=1">'
INJECTION_BODY = (
    "Hello <script>window.__pwned = 'body'</script>\n\n"
    '<img src="x" onerror="window.__pwned = 2">\n\n'
    "[a markdown link](javascript:window.__pwned=3) and "
    '<a href="javascript:window.__pwned=4" onclick="window.__pwned=5">a raw link</a>\n\n'
    "[a fine link](https://example.org/)"
)


def assert_inert(page: Page) -> None:
    """Nothing from the demand ran, and no live element came from it."""
    assert page.evaluate("window.__pwned === undefined")
    found = page.evaluate(
        """() => {
          const out = [];
          const where = ['demand-body', 'diff', 'demand-title', 'projector-demands']
            .map((id) => `[data-testid="${id}"] *`).join(', ');
          const live = ['SCRIPT', 'IMG', 'IFRAME', 'OBJECT', 'EMBED'];
          for (const el of document.querySelectorAll(where)) {
            if (live.includes(el.tagName)) out.push(el.tagName);
            for (const attr of el.attributes) if (attr.name.startsWith('on')) out.push(attr.name);
            const href = el.getAttribute('href');
            if (href !== null && !/^(https?:|mailto:)/i.test(href)) out.push(href);
          }
          return out;
        }"""
    )
    assert found == []


@sqlite_only
def test_injected_html_never_runs(server, new_context):
    facilitator = new_context()
    console, code = console_for(facilitator, server.url, "Safety check")
    projector = open_projector(console, new_context)
    add_item(console, "Anything", 10)
    console.get_by_role("button", name="Start “Anything”").click()
    mallory = join_direct(phone_context(new_context), server.url, code, "Mallory")
    propose(mallory, INJECTION_TITLE, INJECTION_BODY)
    sneaky = demand(mallory, INJECTION_TITLE)
    # An amendment carrying the same payload (shown as a diff, in the rationale).
    sneaky.get_by_role("button", name="Propose an amendment").click()
    form = sneaky.locator("form[data-form=amend]")
    form.get_by_label("The whole text").check()
    form.get_by_label("The new text").fill(INJECTION_BODY + "\n\n<script>window.__pwned=6</script>")
    form.get_by_label("Why? (optional)").fill('<img src=x onerror="window.__pwned=7">')
    form.get_by_role("button", name="Propose the amendment").click()
    expect(sneaky.get_by_test_id("amendment")).to_have_count(1)

    # The title is shown as text; the body's raw HTML is text and the script link is dead.
    expect(sneaky.get_by_test_id("demand-title")).to_have_text(INJECTION_TITLE)
    expect(sneaky.get_by_test_id("demand-body")).to_contain_text("<script>")
    expect(sneaky.get_by_test_id("amendment").locator("ins").first).to_contain_text("<script>")
    expect(sneaky.get_by_test_id("amendment")).to_contain_text('Why: <img src=x onerror="window')
    fine = sneaky.get_by_test_id("demand-body").get_by_role("link", name="a fine link")
    expect(fine).to_have_attribute("href", "https://example.org/")
    sneaky.get_by_test_id("demand-body").get_by_text("a markdown link").click()  # dead text
    console_row = console_demand(console, INJECTION_TITLE)
    expect(console_row).to_be_visible()
    console_row.get_by_role("button", name=f"Put before the room: “{INJECTION_TITLE}”").click()
    expect(console_row.get_by_test_id("demand-status")).to_have_text("Open")
    spot = projector.get_by_test_id("projector-spotlight")
    expect(spot).to_contain_text("Mallory proposes to change")
    expect(projector.get_by_test_id("projector-demand")).to_contain_text(INJECTION_TITLE)
    for page in (mallory, console, projector):
        assert_inert(page)
    assert not any(c.dialogs for c in [facilitator, mallory.context, projector.context])


@sqlite_only
def test_support_live_and_common_ground_card_by_card(server, new_context, shoot):
    facilitator = new_context()
    console, code = console_for(facilitator, server.url, "Neighbourhood council")
    alex = join_direct(phone_context(new_context), server.url, code, "Alex")
    robin = join_direct(phone_context(new_context, sharp=True), server.url, code, "Robin")
    propose(alex, "More benches", "Benches on every square.")
    propose(alex, "Library hours", "Open the library on Sundays.")
    propose(alex, "Bike lanes", "Protected bike lanes on Main Street.")

    # Robin supports; Alex's phone counts it live, with Robin's name.
    card = demand(robin, "More benches")
    card.get_by_role("button", name="Support", exact=True).click()
    counted = demand(alex, "More benches")
    expect(counted.get_by_test_id("support-count")).to_have_text("Support: 1 of 1 needed")
    expect(counted.get_by_test_id("supporter-names")).to_have_text("supported by Robin")
    expect(counted.get_by_role("button", name="Support", exact=True)).to_have_count(0)  # own
    card.get_by_role("button", name="Withdraw my support").click()
    expect(counted.get_by_test_id("support-count")).to_have_text("Support: 0 of 1 needed")

    # Card by card: each answer moves on to the next unanswered demand.
    robin.get_by_test_id("cards-start").click()
    mode = robin.get_by_test_id("cardmode")
    expect(mode.get_by_test_id("cards-progress")).to_have_text("Demand 1 of 3 · 3 left to answer")
    expect(mode.locator("#card-title")).to_have_text("More benches")
    expect(mode.locator("#card-title")).to_be_focused()
    mode.get_by_role("button", name="Agree", exact=True).click()
    expect(mode.locator("#card-title")).to_have_text("Library hours")
    expect(mode.get_by_test_id("my-stance")).to_contain_text("You have not answered yet")
    mode.scroll_into_view_if_needed()
    shoot(robin, "demands-phone-card")
    mode.get_by_role("button", name="Disagree").click()
    expect(mode.locator("#card-title")).to_have_text("Bike lanes")
    mode.get_by_role("button", name="Previous").click()
    expect(mode.locator("#card-title")).to_have_text("Library hours")
    expect(mode.get_by_test_id("my-stance")).to_have_text("Your answer: Disagree")
    expect(mode.get_by_role("button", name="Disagree")).to_have_attribute("aria-pressed", "true")
    mode.get_by_role("button", name="Skip").click()
    expect(mode.locator("#card-title")).to_have_text("Bike lanes")
    mode.get_by_role("button", name="Pass").click()
    expect(mode.get_by_test_id("cards-done")).to_have_text(
        "You have answered every demand. Thank you!"
    )
    shoot(robin, "demands-phone-cards-done")
    mode.get_by_role("button", name="Back to the list").click()
    expect(robin.get_by_test_id("cards-start")).to_be_focused()
    # Counts only, on every screen; the console shows the share.
    expect(demand(alex, "More benches").get_by_test_id("agreement-counts")).to_have_text(
        "1 agree · 0 disagree · 0 pass"
    )
    expect(console_demand(console, "Library hours").get_by_test_id("agreement-share")).to_have_text(
        "0%"
    )


@sqlite_only
def test_hide_from_the_room_and_sort_by_bridging(server, new_context, shoot):
    facilitator = new_context()
    console, code = console_for(facilitator, server.url, "Union delegates")
    token = facilitator_token(console)
    projector = open_projector(console, new_context)
    add_item(console, "Demands", 60)
    console.get_by_role("button", name="Start “Demands”").click()
    base = f"/api/convenings/{code}"
    people = {
        name: api(server.url, f"{base}/participants", {"name": name, "caucus": caucus})["token"]
        for name, caucus in [("Ana", "North"), ("Ben", "North"), ("Cy", "South"), ("Di", "South")]
    }
    ids = {}
    for title, body in [
        ("Split the room", "Only the North wants this."),
        ("Half and half", "Each caucus is divided."),
        ("Everyone agrees", "A shorter working week."),
    ]:
        ids[title] = api(server.url, f"{base}/demands", {"title": title, "body": body}, token)["id"]
        api(server.url, f"{base}/demands/{ids[title]}/open", {}, token)
    stances = {
        "Split the room": ["agree", "agree", "disagree", "disagree"],
        "Half and half": ["agree", "disagree", "agree", "disagree"],
        "Everyone agrees": ["agree", "agree", "agree", "agree"],
    }
    for title, answers in stances.items():
        for who, stance in zip(people.values(), answers, strict=True):
            path = f"{base}/demands/{ids[title]}/agreement"
            api(server.url, path, {"stance": stance}, who, method="PUT")
    ella = join_direct(phone_context(new_context), server.url, code, "Ella")
    expect(ella.get_by_test_id("demand")).to_have_count(3)

    rows = console.get_by_test_id("console-demand").get_by_test_id("demand-title")
    expect(rows).to_have_text(["Split the room", "Half and half", "Everyone agrees"])
    console.get_by_label("Sort by").select_option("bridging")
    expect(rows).to_have_text(["Everyone agrees", "Half and half", "Split the room"])
    console.get_by_label("Sort by").select_option("agreement")
    expect(rows).to_have_text(["Everyone agrees", "Split the room", "Half and half"])
    split = console_demand(console, "Split the room")
    expect(split.get_by_test_id("bridging-share")).to_have_text("0%")
    split.locator(".cdemand-caucuses summary").click()
    expect(split.get_by_test_id("caucus-table")).to_contain_text("North")
    expect(projector.get_by_test_id("unites")).to_have_count(1)  # "Everyone agrees"

    # Reorder with the keyboard (in the facilitator's own order).
    console.get_by_label("Sort by").select_option("position")
    up = console.get_by_role("button", name="Move “Everyone agrees” up")
    up.focus()
    console.keyboard.press("Enter")
    expect(rows).to_have_text(["Split the room", "Everyone agrees", "Half and half"])
    expect(up).to_be_focused()
    expect(ella.get_by_test_id("demand-title")).to_have_text(
        ["Split the room", "Everyone agrees", "Half and half"]
    )

    # Hide with a reason: gone from phones and the projector, marked in the console.
    split.get_by_role("button", name="Hide “Split the room”").click()
    split.get_by_label("Reason").fill("Duplicate of an earlier motion")
    split.get_by_role("button", name="Hide", exact=True).click()
    expect(split.get_by_test_id("hidden-badge")).to_have_text("Hidden")
    expect(split).to_contain_text("Hidden from the room: Duplicate of an earlier motion")
    expect(ella.get_by_test_id("demand")).to_have_count(2)
    expect(demand(ella, "Split the room")).to_have_count(0)
    expect(projector.get_by_test_id("projector-demand")).to_have_count(2)
    expect(projector.get_by_test_id("projector-demands")).not_to_contain_text("Split the room")

    # The caucus of a participant, from the people list.
    ana = console.get_by_test_id("member").filter(has_text="Ana")
    ana.get_by_role("button", name="Set the caucus of Ana").click()
    ana.get_by_label("Caucus of Ana").fill("East")
    ana.get_by_role("button", name="Save").click()
    expect(ana.locator(".member-caucus")).to_have_text("East")
    shoot(console, "demands-console", full_page=True)
    if server.backend == "sqlite":
        console.evaluate("document.getElementById('messages').replaceChildren()")
        console.get_by_test_id("demands-panel").screenshot(
            path=str(ARTIFACTS / "demands-console-panel.png")
        )

    split.get_by_role("button", name="Show “Split the room” again").click()
    expect(ella.get_by_test_id("demand")).to_have_count(3)


@sqlite_only
def test_a_phone_reads_the_text_of_the_demands_it_shows(server, new_context):
    """The snapshot carries summaries (no bodies); a card's text is read when it comes near
    the screen, and a text changed by an event is shown without asking again."""
    from tests.e2e.flows import api_create

    created = api_create(server.url, "Asamblea de vivienda")
    boss = created["facilitator_token"]
    base = f"/api/convenings/{created['code']}"
    long_text = "Cada sección abre una oficina de derechos de inquilinas. " * 35  # ~2,000
    for n in range(40):
        api(
            server.url,
            f"{base}/demands",
            {"title": f"Demanda {n}: vivienda", "body": f"{long_text} Número {n}."},
            boss,
        )
    phone_ctx = phone_context(new_context)
    phone = phone_ctx.new_page()
    frames = Received(phone)
    phone.goto(join_direct(phone_ctx, server.url, created["code"], "Pat").url)
    expect_live(phone)
    first, last = demand(phone, "Demanda 0: vivienda"), demand(phone, "Demanda 39: vivienda")
    expect(first.get_by_test_id("demand-body")).to_contain_text("Número 0.")
    # far down the list: only the excerpt until the card comes near the screen
    expect(last.get_by_test_id("demand-excerpt")).to_contain_text("Cada sección abre")
    expect(last.get_by_test_id("demand-body")).to_have_count(0)
    last.scroll_into_view_if_needed()
    expect(last.get_by_test_id("demand-body")).to_contain_text("Número 39.")
    snapshots = [f for f in frames.packets() if f.startswith('42["snapshot"')]
    assert snapshots
    assert all("body_html" not in f and "Número" not in f for f in snapshots)
    # an edit comes with its new text: shown at once, without reading it again
    reads = sum(1 for f in frames.packets() if '"demands"' in f and "Número 39" in f)
    demand_id = int(last.get_attribute("data-id"))
    api(
        server.url,
        f"{base}/demands/{demand_id}",
        {"body": "Texto **corregido**.", "typo": True},
        boss,
        method="PATCH",
    )
    expect(last.get_by_test_id("demand-body")).to_have_text("Texto corregido.")
    assert sum(1 for f in frames.packets() if '"demands"' in f and "Número 39" in f) == reads


@sqlite_only
def test_events_carry_what_changed_and_screens_read_the_rest(server, new_context):
    """An amendment adopted rewrites the demand: the event brings the new body and what
    became of the others (not every amendment). Phone, console and projector show the body
    at once, an outdated amendment without asking, a rebased one's new diff once read again;
    conflicts follow each proposal; a phone that was offline catches up to the same."""
    from tests.e2e.flows import api_create

    created = api_create(server.url, "Asamblea de vivienda")
    boss = created["facilitator_token"]
    base = f"/api/convenings/{created['code']}"
    title = "Oficina de inquilinas"
    body = "Abrir la oficina dos tardes. Asesoría en español. Cerrar los domingos."
    made = api(server.url, f"{base}/demands", {"title": title, "body": body}, boss)
    api(server.url, f"{base}/demands/{made['id']}/open", {}, boss)
    people = [
        api(server.url, f"{base}/participants", {"name": name})["token"]
        for name in ("Ana", "Bea", "Ciro")
    ]

    def amend(token, passage, words):
        path = f"{base}/demands/{made['id']}/amendments"
        return api(server.url, path, {"passage": passage, "body": words}, token)["id"]

    tardes = amend(people[0], "dos tardes", "tres tardes")
    espanol = amend(people[1], "en español", "en español y en inglés")
    api(server.url, f"{base}/projector", {"show": "demand", "demand_id": made["id"]}, boss, "PUT")

    phone_ctx = phone_context(new_context)
    phone = phone_ctx.new_page()
    frames = Received(phone)
    phone.goto(join_direct(phone_ctx, server.url, created["code"], "Pat").url)
    expect_live(phone)
    console = new_context().new_page()
    console.goto(created["facilitator_url"])
    expect_live(console)
    projector = new_context(viewport=PROJECTOR).new_page()
    projector.goto(created["projector_url"])
    expect_live(projector)

    card = demand(phone, title)
    on_console = console_demand(console, title)
    amendments = card.get_by_test_id("amendment")
    expect(amendments).to_have_count(2)
    expect(on_console.get_by_test_id("amendment")).to_have_count(2)

    def reads():
        return sum(1 for f in frames.packets() if '"demands"' in f and "body_html" in f)

    # A proposal that clashes with one already there: both are flagged, without a read.
    before = reads()
    clash = amend(people[2], "dos tardes", "cuatro tardes")
    expect(amendments).to_have_count(3)
    for aid in (tardes, clash):
        expect(
            card.locator(f'[data-testid="amendment"][data-id="{aid}"] .badge-conflict')
        ).to_be_visible()
    expect(
        card.locator(f'[data-testid="amendment"][data-id="{espanol}"] .badge-conflict')
    ).to_have_count(0)
    assert reads() == before

    # The facilitator adopts one: the clashing one is outdated (shown at once, no read), the
    # other one is rebased onto the new text (its diff read again, once).
    api(server.url, f"{base}/amendments/{tardes}/decide", {"outcome": "adopted"}, boss)
    new_body = "Abrir la oficina tres tardes."
    expect(card.get_by_test_id("demand-body")).to_contain_text(new_body)
    expect(projector.get_by_test_id("demand-body")).to_contain_text(new_body)
    expect(on_console.get_by_test_id("demand-body")).to_contain_text(new_body)
    outdated = card.locator(f'[data-testid="amendment"][data-id="{clash}"]')
    expect(outdated.get_by_test_id("amendment-status")).to_have_text("Outdated")
    expect(outdated).to_contain_text("no longer occurs")
    rebased = card.locator(f'[data-testid="amendment"][data-id="{espanol}"]')
    expect(rebased.get_by_test_id("diff")).to_contain_text("tres tardes")  # the new text around it
    expect(rebased.locator("ins")).to_contain_text("y en inglés")
    expect(rebased.locator(".badge-conflict")).to_have_count(0)
    spot = projector.get_by_test_id("projector-spotlight")
    expect(spot.get_by_test_id("diff")).to_contain_text("tres tardes")
    console_rebased = on_console.locator(f'[data-testid="amendment"][data-id="{espanol}"]')
    expect(console_rebased.get_by_test_id("diff")).to_contain_text("tres tardes")
    adopted_frames = [f for f in frames.packets() if '"amendment.adopted"' in f]
    assert adopted_frames
    assert all('"amendments"' not in f for f in adopted_frames)

    # Offline meanwhile: the rebased one is rejected and a typo fixed; back online, the phone
    # catches up (resync) to what the console shows.
    phone_ctx.set_offline(True)
    expect(phone.locator("#conn-status")).to_have_attribute("data-state", "offline")
    api(server.url, f"{base}/amendments/{espanol}/decide", {"outcome": "rejected"}, boss)
    api(
        server.url,
        f"{base}/demands/{made['id']}",
        {
            "body": "Abrir la oficina tres tardes. Asesoría en español. Cerrar los lunes.",
            "typo": True,
        },
        boss,
        method="PATCH",
    )
    expect(on_console.get_by_test_id("demand-body")).to_contain_text("Cerrar los lunes.")
    expect(card.get_by_test_id("demand-body")).not_to_contain_text("Cerrar los lunes.")
    phone_ctx.set_offline(False)
    expect_live(phone)
    expect(card.get_by_test_id("demand-body")).to_contain_text("Cerrar los lunes.")
    expect(rebased.get_by_test_id("amendment-status")).to_have_text("Rejected")
    expect(card.locator(".amendments-title")).to_have_count(0)  # nothing pending


@sqlite_only
def test_an_outdated_amendment_says_why_in_the_screen_language(server, new_context):
    """The note on an outdated amendment is stored in English; a Spanish phone shows it in
    Spanish, as it arrives in the event and after a reload."""
    from tests.e2e.flows import api_create

    created = api_create(server.url, "Asamblea de vivienda", language="es")
    boss = created["facilitator_token"]
    base = f"/api/convenings/{created['code']}"
    title = "Oficina de inquilinas"
    body = "Abrir la oficina dos tardes. Asesoría en español."
    made = api(server.url, f"{base}/demands", {"title": title, "body": body}, boss)
    api(server.url, f"{base}/demands/{made['id']}/open", {}, boss)
    ana, bea = (
        api(server.url, f"{base}/participants", {"name": name})["token"] for name in ("Ana", "Bea")
    )
    path = f"{base}/demands/{made['id']}/amendments"
    tres = api(server.url, path, {"passage": "dos tardes", "body": "tres tardes"}, ana)["id"]
    cuatro = api(server.url, path, {"passage": "dos tardes", "body": "cuatro tardes"}, bea)["id"]

    phone = new_context(locale="es-ES", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{server.url}/c/{created['code']}")
    phone.get_by_label("Tu nombre").fill("Pía Núñez")
    phone.get_by_role("button", name="Unirse a la reunión").click()
    expect_live(phone)
    card = demand(phone, title)
    expect(card.get_by_test_id("amendment")).to_have_count(2)

    api(server.url, f"{base}/amendments/{tres}/decide", {"outcome": "adopted"}, boss)
    outdated = card.locator(f'[data-testid="amendment"][data-id="{cuatro}"]')
    spanish = "El pasaje que cambia ya no aparece exactamente una vez en la demanda."
    expect(outdated.locator(".amendment-note")).to_have_text(spanish)
    phone.reload()
    expect_live(phone)
    expect(outdated.locator(".amendment-note")).to_have_text(spanish)
