"""A meeting seen in three places at once: the facilitator's console, phones and the projector.

Each test drives the real server (SQLite and PostgreSQL) with Debian chromium.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import axe_violations
from tests.e2e.conftest import PHONE, PROJECTOR
from tests.e2e.flows import (
    Received,
    add_item,
    api_create,
    console_for,
    create_convening,
    expect_live,
    join_by_code,
    join_direct,
    phone_context,
    start_item,
)

pytestmark = pytest.mark.browser

COUNTDOWN = re.compile(r"^\+?\d+:\d\d$")

#: Tests of the pages alone (keyboard, escaping, error pages) run on one backend: the
#: database adds nothing to them, and the suite stays fast.
pages_only = pytest.mark.parametrize("server", ["sqlite"], indirect=True)


def test_agenda_item_appears_live_on_phones_and_projector(server, new_context, shoot):
    facilitator = new_context()
    console = facilitator.new_page()
    code = create_convening(
        console, server.url, "North chapter general meeting", place="Community hall", name="Sam"
    )
    expect(console.get_by_test_id("facilitator-link")).to_have_value(re.compile(r"/t/[\w-]+$"))
    shoot(console, "created", full_page=True)
    copy = console.locator('[data-copy="facilitator-link"]')
    # The page's script marks the button once it listens: a click before that (on a loaded
    # machine the module can run well after the button shows) does nothing.
    expect(copy).to_have_attribute("data-wired", "1")
    copy.click()
    expect(console.locator("#copy-status")).to_have_text("Copied")

    # The projector, opened from the projector link in the facilitator's browser. (In its own
    # window rather than a tab: a background tab is throttled and would slow the test down.)
    link = console.get_by_test_id("projector-link")
    expect(link).to_have_attribute("href", f"/c/{code}/projector")
    projector = facilitator.new_page()
    projector.set_viewport_size(PROJECTOR)
    projector.goto(server.url + link.get_attribute("href"))
    expect_live(projector)
    expect(projector.get_by_test_id("projector-code")).to_have_text(code)
    expect(projector.get_by_test_id("projector-code")).to_be_visible()
    expect(projector.locator("#live")).to_have_attribute("data-phase", "before")
    shoot(projector, "projector-before")

    console.bring_to_front()
    console.get_by_role("link", name="Open the console").click()
    expect_live(console)

    alex = join_by_code(
        phone_context(new_context, sharp=server.backend == "sqlite"),
        server.url,
        code,
        "Alex",
        caucus="North",
    )
    robin = join_by_code(phone_context(new_context), server.url, code, "Robin")
    expect(console.get_by_test_id("presence")).to_have_text("2 connected")
    expect(projector.get_by_test_id("presence")).to_have_text("2 connected")
    expect(alex.get_by_test_id("presence")).to_have_text("2 connected")
    expect(console.get_by_test_id("members").get_by_text("Robin")).to_be_visible()

    add_item(console, "Welcome and introductions", 10, "Name and one hope for tonight.")
    add_item(console, "Spring campaign: leaflets or door-knocking?", 25)
    expect(alex.get_by_test_id("agenda")).to_contain_text("Spring campaign")
    start_item(console, "Welcome and introductions")

    for screen in (alex, robin, projector):
        expect(screen.get_by_test_id("current-title")).to_have_text("Welcome and introductions")
        countdown = screen.get_by_test_id("countdown").locator(".countdown-time")
        expect(countdown).to_be_visible()
        expect(countdown).to_have_text(COUNTDOWN)
        assert countdown.inner_text() in {"10:00", "9:59", "9:58", "9:57"}, countdown.inner_text()
    expect(alex.get_by_text("Name and one hope for tonight.")).to_be_visible()
    expect(projector.locator("#live")).to_have_attribute("data-phase", "during")
    expect(projector.get_by_test_id("projector-code")).to_be_visible()  # now small, in a corner
    expect(projector.locator("#next-up")).to_have_text(
        "Next: Spring campaign: leaflets or door-knocking?"
    )
    shoot(console, "console", full_page=True)
    shoot(projector, "projector-during")
    shoot(alex, "phone", full_page=True)

    # A reload keeps the phone's identity: same name, no join form, still live.
    alex.reload()
    expect(alex.get_by_test_id("me-name")).to_have_text("Alex")
    expect(alex.get_by_label("Your name")).to_have_count(0)
    expect(alex.get_by_test_id("current-title")).to_have_text("Welcome and introductions")
    expect_live(alex)
    expect(console.get_by_test_id("presence")).to_have_text("2 connected")

    # A facilitator may run the meeting from a phone too.
    console.set_viewport_size(PHONE)
    expect(console.get_by_test_id("current-title")).to_be_visible()
    shoot(console, "console-phone", full_page=True)


def test_phone_catches_up_after_being_offline(server, new_context):
    console, code = console_for(new_context(), server.url, "Neighbourhood assembly")
    add_item(console, "Opening", 5)
    phone_ctx = phone_context(new_context)
    phone = join_direct(phone_ctx, server.url, code, "Kim")
    expect(phone.get_by_test_id("agenda")).to_contain_text("Opening")

    phone_ctx.set_offline(True)
    expect(phone.locator("#conn-status")).to_have_attribute("data-state", "offline")
    add_item(console, "Street party budget", 15)
    start_item(console, "Street party budget")
    console.get_by_role("button", name="Move “Street party budget” up").click()
    expect(console.get_by_test_id("agenda-item").first).to_contain_text("Street party budget")
    expect(phone.get_by_test_id("agenda")).not_to_contain_text("Street party budget")

    phone_ctx.set_offline(False)
    expect_live(phone)
    expect(phone.get_by_test_id("current-title")).to_have_text("Street party budget")
    expect(phone.get_by_test_id("agenda").locator("li").first).to_contain_text(
        "Street party budget"
    )
    expect(phone.get_by_test_id("countdown").locator(".countdown-time")).to_have_text(COUNTDOWN)

    # An event lost on the way (simulated: the phone forgets it applied the last one): the
    # next event reveals the gap, and the phone asks for what it missed instead of stalling.
    phone.evaluate("() => { window.convene.seq -= 1; }")
    add_item(console, "Raffle", 5)
    expect(phone.get_by_test_id("agenda")).to_contain_text("Raffle")
    assert phone.evaluate("() => window.convene.pending.size") == 0


def test_removed_participant_sees_a_clear_message(server, new_context, shoot):
    console, code = console_for(new_context(), server.url, "Chapter meeting")
    phone = join_direct(phone_context(new_context), server.url, code, "Disruptor")
    expect(console.get_by_test_id("presence")).to_have_text("1 connected")

    console.get_by_role("button", name="Remove Disruptor").click()
    confirm = console.get_by_role("button", name="Yes, remove")
    expect(confirm).to_be_focused()
    confirm.click()
    expect(console.get_by_test_id("console-messages")).to_have_text("Disruptor was removed.")
    expect(console.get_by_test_id("members")).not_to_contain_text("Disruptor")

    expect(phone.get_by_role("heading", name="You were removed from this meeting")).to_be_visible()
    expect(phone.get_by_test_id("fatal-message")).to_contain_text("The facilitator removed you")
    expect(phone.locator("#live")).to_be_hidden()
    expect(console.get_by_test_id("presence")).to_have_text("0 connected")
    shoot(phone, "phone-removed")

    phone.reload()  # the device's identity no longer works: it is asked to join again
    expect(phone.get_by_label("Your name")).to_be_visible()

    # Removed while its Wi-Fi was down: on coming back, the phone is refused and says so.
    offline_ctx = phone_context(new_context)
    offline = join_direct(offline_ctx, server.url, code, "Away")
    offline_ctx.set_offline(True)
    expect(offline.locator("#conn-status")).to_have_attribute("data-state", "offline")
    console.get_by_role("button", name="Remove Away").click()
    confirm = console.get_by_role("button", name="Yes, remove")
    confirm.evaluate("el => { el.dataset.probe = 'kept'; }")
    # The list changes while the facilitator is about to confirm (someone joins, presence
    # moves): the row being confirmed stays the same element, so the press and the release
    # of the click land on one button (a rebuilt list once lost that click).
    join_direct(phone_context(new_context), server.url, code, "Newcomer")
    expect(console.get_by_test_id("members")).to_contain_text("Newcomer")
    expect(confirm).to_have_attribute("data-probe", "kept")
    confirm.click()
    expect(console.get_by_test_id("members")).not_to_contain_text("Away")
    offline_ctx.set_offline(False)
    expect(offline.locator("#fatal")).to_be_visible()
    expect(offline.get_by_test_id("fatal-message")).to_contain_text(
        "This access link is not valid (any more). Reload the page to join again"
    )


@pages_only
def test_bad_links_show_a_clear_error_page(server, new_context, shoot):
    page = phone_context(new_context).new_page()
    response = page.goto(server.url + "/t/not-a-real-facilitator-link")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Something is not right")).to_be_visible()
    expect(page.get_by_test_id("error-message")).to_have_text(
        "This access link is not valid (any more)."
    )
    expect(page.get_by_role("link", name="Back to the start page")).to_be_visible()
    shoot(page, "error-bad-link")

    response = page.goto(server.url + "/c/ACDEFG/console")
    assert response.status == 403
    expect(page.get_by_test_id("error-message")).to_contain_text("private facilitator link")

    page.goto(server.url + "/")
    page.get_by_label("Code shown on the screen").fill("nope")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("There is no convening with that code.")
    expect(page.get_by_label("Code shown on the screen")).to_have_attribute("aria-invalid", "true")
    shoot(page, "landing-phone-bad-code", full_page=True)


@pages_only
def test_refused_socket_connection_carries_code_and_message(server, new_context):
    """docs/realtime.md: a refused client gets err.message and err.data = {code, message}."""
    page = new_context().new_page()
    page.goto(server.url + "/")
    refusal = page.evaluate(
        """async () => {
            const { io } = await import("/static/vendor/socket.io/socket.io.esm.min.js");
            return await new Promise((resolve) => {
                const socket = io({ auth: { token: "forged" }, reconnection: false });
                socket.on("connect_error", (err) =>
                    resolve({ message: err.message, data: err.data, active: socket.active }));
            });
        }"""
    )
    assert refusal == {
        "message": "This access link is not valid (any more).",
        "data": {
            "code": "not_authenticated",
            "message": "This access link is not valid (any more).",
        },
        "active": False,
    }


@pages_only
def test_keyboard_only_agenda_editing(server, new_context):
    console, _ = console_for(new_context(), server.url, "Keyboard meeting")
    add_item(console, "First item")
    keyboard = console.keyboard

    def tab_to(selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            keyboard.press("Tab")
            if console.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    console.reload()  # start from the top of the page, as someone arriving would
    expect_live(console)
    keyboard.press("Tab")
    expect(console.get_by_role("link", name="Skip to content")).to_be_focused()
    tab_to("#add-title")
    keyboard.type("Second item")
    keyboard.press("Tab")
    expect(console.locator("#add-timebox")).to_be_focused()
    keyboard.type("7")
    keyboard.press("Enter")  # submits the form
    items = console.get_by_test_id("agenda-item")
    expect(items).to_have_count(2)
    expect(items.nth(1)).to_contain_text("Second item")
    expect(items.nth(1)).to_contain_text("7 min")
    expect(console.locator("#add-title")).to_be_focused()  # ready for the next item
    expect(console.locator("#add-title")).to_have_value("")

    # Move it up with the keyboard: focus stays on the moved item.
    tab_to('[aria-label="Move “Second item” up"]')
    keyboard.press("Enter")
    expect(items.first).to_contain_text("Second item")
    expect(console.get_by_role("button", name="Move “Second item” down")).to_be_focused()

    # Edit inline: Enter opens the form in place, Enter saves.
    tab_to('[aria-label="Edit “Second item”"]')
    keyboard.press("Enter")
    title = console.get_by_role("textbox", name="Title").first
    expect(title).to_be_focused()
    keyboard.press("ControlOrMeta+a")
    keyboard.type("Second item, renamed")
    keyboard.press("Enter")
    expect(items.first).to_contain_text("Second item, renamed")
    expect(console.get_by_role("button", name="Edit “Second item, renamed”")).to_be_focused()

    # Start it from the keyboard.
    tab_to('[aria-label="Start “Second item, renamed”"]')
    keyboard.press("Enter")
    expect(console.get_by_test_id("current-title")).to_have_text("Second item, renamed")


@pages_only
def test_agenda_titles_are_shown_as_text_never_as_html(server, new_context):
    facilitator = new_context()
    console, code = console_for(facilitator, server.url, "<b>Bold</b> assembly")
    phone_ctx = phone_context(new_context)
    phone = join_direct(phone_ctx, server.url, code, "<script>alert(2)</script>")
    evil = "<img src=x onerror=alert(1)>"
    add_item(console, evil, 3, notes='<a href="javascript:alert(3)">click</a>')
    start_item(console, evil)

    for page in (console, phone):
        expect(page.get_by_test_id("current-title")).to_have_text(evil)
        assert page.locator("img[src=x]").count() == 0
        assert page.locator('a[href^="javascript"]').count() == 0
    expect(phone.get_by_test_id("convening-title")).to_have_text("<b>Bold</b> assembly")
    expect(phone.get_by_test_id("me-name")).to_have_text("<script>alert(2)</script>")
    expect(console.get_by_test_id("members")).to_contain_text("<script>alert(2)</script>")
    console.wait_for_timeout(300)
    assert facilitator.dialogs == []
    assert phone_ctx.dialogs == []


def test_settings_passcode_and_co_facilitator(server, new_context):
    console, code = console_for(new_context(), server.url, "Draft title")
    phone = join_direct(phone_context(new_context), server.url, code, "Early bird")

    console.locator("#settings-details summary").click()
    settings = console.locator("#settings")
    settings.get_by_label("Title").fill("Spring assembly")
    settings.get_by_label("New passcode").fill("tulip")
    settings.get_by_role("button", name="Save settings").click()
    expect(console.get_by_test_id("console-messages")).to_have_text("Saved.")
    expect(phone.get_by_test_id("convening-title")).to_have_text("Spring assembly")
    expect(console.locator("#s-passcode-help")).to_contain_text("A passcode is set")

    # Someone new now needs the passcode; a wrong one is refused with a clear message.
    late = phone_context(new_context).new_page()
    late.goto(f"{server.url}/c/{code}")
    expect(late.get_by_test_id("convening-title")).to_have_text("Spring assembly")
    late.get_by_label("Your name").fill("Late comer")
    late.get_by_label("Passcode").fill("rose")
    late.get_by_role("button", name="Join the meeting").click()
    expect(late.get_by_role("alert")).to_have_text("That passcode is not right for this convening.")
    late.get_by_label("Passcode").fill("tulip")
    late.get_by_role("button", name="Join the meeting").click()
    expect(late.get_by_test_id("me-name")).to_have_text("Late comer")

    # A co-facilitator link, shown once; it opens the console on another laptop, which
    # has no projector link of its own yet and makes one.
    console.get_by_label("Their name").fill("Jo")
    console.get_by_role("button", name="Create a private link").click()
    invite = console.locator("#invite-result input")
    expect(invite).to_be_focused()
    co = new_context().new_page()
    co.goto(invite.input_value())
    expect(co).to_have_url(f"{server.url}/c/{code}/console")
    expect_live(co)
    expect(co.get_by_test_id("members")).to_contain_text("Late comer")
    co.get_by_role("button", name="Create a projector link").click()
    projector_url = co.locator("#projector-url").input_value()
    projector = co.context.new_page()
    projector.goto(projector_url)
    expect(projector).to_have_url(f"{server.url}/c/{code}/projector")
    expect(projector.get_by_test_id("presence")).to_have_text("2 connected")


@pages_only
def test_a_console_for_300_people_finds_anyone_on_one_line_each(server, new_context, shoot):
    from tests.support import crowd, seed_crowd

    created = api_create(server.url, "Regional convening of the tenant and student movements")
    seed_crowd(server.database_url, created["code"], 300)
    console = new_context(viewport={"width": 1366, "height": 768}).new_page()
    console.goto(created["facilitator_url"])
    people = console.get_by_test_id("people")
    expect(people.get_by_test_id("member").first).to_be_visible(timeout=30_000)
    count = console.get_by_test_id("people-count")
    expect(count).to_have_text(re.compile(r"^Showing 30\d of 30\d people$"))
    everyone = count.inner_text().split(" of ")[1]  # the 300 and the facilitator's screens
    # only a page of rows is built, each one line high however long the name
    rows = console.get_by_test_id("member")
    expect(rows).to_have_count(50)
    heights = console.eval_on_selector_all(
        '[data-testid="member-name"]', "els => els.map(e => e.getBoundingClientRect().height)"
    )
    line = console.eval_on_selector(
        '[data-testid="member-name"]', "e => parseFloat(getComputedStyle(e).lineHeight)"
    )
    assert max(heights) <= line * 1.2, (max(heights), line)
    long_name = console.locator('[data-testid="member-name"][title*="Núñez de Arce"]').first
    assert long_name.get_attribute("title").startswith(long_name.inner_text().split(" · ")[0][:8])
    # search by name, accents aside
    search = people.get_by_role("searchbox", name="Find a person by name or caucus")
    search.fill("nunez de arce")
    expect(count).to_contain_text(f"of {everyone}")
    names = console.get_by_test_id("member-name").all_inner_texts()
    assert names
    assert all("Núñez de Arce" in n for n in names)
    # the same name twice is told apart
    twin_name = crowd(300)[0][0]
    search.fill(twin_name)
    expect(console.get_by_test_id("namesake")).to_have_count(2)
    expect(console.get_by_test_id("namesake").first).to_contain_text("#1")
    # by caucus, and the filters
    search.fill("")
    people.get_by_label("Caucus", exact=True).select_option("Trabajadoras del hogar")
    expect(count).to_have_text(f"Showing 60 of {everyone}")
    people.get_by_label("Show", exact=True).select_option("connected")
    expect(count).to_have_text(f"Showing 0 of {everyone}")
    people.get_by_label("Show", exact=True).select_option("all")
    people.get_by_label("Caucus", exact=True).select_option("")
    people.get_by_label("Role", exact=True).select_option("facilitator")
    expect(console.get_by_test_id("member-name")).to_have_count(1)
    people.get_by_label("Role", exact=True).select_option("")
    console.get_by_role("button", name="Next").click()
    expect(console.locator("#people-page")).to_have_text(f"51–100 of {everyone.split()[0]}")
    # the agenda editor comes first, right under the current item
    order = console.eval_on_selector_all(
        ".console-main > section h2", "els => els.map(e => e.textContent.trim())"
    )
    assert order[:2] == ["Now", "Agenda"], order
    shoot(console, "console-people-1366")
    found = axe_violations(console)
    assert not found, "\n".join(found)


@pages_only
def test_a_console_for_1200_people_pages_them_in_and_keeps_up(server, new_context):
    """The snapshot carries the first 500 members; the console reads the rest page by page
    (members.list) and applies joins that happen meanwhile."""
    from tests.support import crowd, seed_crowd

    created = api_create(server.url, "Asamblea regional de inquilinas y estudiantes")
    seed_crowd(server.database_url, created["code"], 1200)
    console = new_context(viewport={"width": 1366, "height": 768}).new_page()
    received = Received(console)
    console.goto(created["facilitator_url"])
    join_direct(phone_context(new_context), server.url, created["code"], "Última en llegar")
    count = console.get_by_test_id("people-count")
    # 1,200 seeded, the late one, the facilitator's and the projector's screens
    expect(count).to_have_text("Showing 1,203 of 1,203 people", timeout=30_000)
    search = console.get_by_role("searchbox", name="Find a person by name or caucus")
    last_seeded = crowd(1200)[-1][0]  # on the third page
    search.fill(last_seeded)
    expect(console.get_by_test_id("member-name").first).to_contain_text(last_seeded)
    search.fill("ultima en llegar")
    expect(console.get_by_test_id("member-name")).to_have_text(["Última en llegar"])
    snapshot = next(p for p in received.packets() if p.startswith('42["snapshot"'))
    assert snapshot.count('"joined_at"') <= 500
    # A named round: the turnout names the first 20 who have not voted and counts the rest;
    # the "has not voted" filter reads them all (rounds.not_voted) and again as people vote.
    from tests.e2e.test_demands import api

    base, boss = f"/api/convenings/{created['code']}", created["facilitator_token"]
    voting = {"title": "¿Huelga de alquileres?", "method": "yes_no", "secret": False}
    named = api(server.url, f"{base}/rounds", {**voting, "options": [{"label": "Sí"}]}, boss)
    api(server.url, f"{base}/rounds/{named['id']}/open", {}, boss)
    search.fill("")
    expect(console.get_by_test_id("not-voted")).to_contain_text("and 1,181 more")
    assert all(p.count('"not_voted"') == 0 or len(p) < 50_000 for p in received.packets())
    console.get_by_test_id("people-status").select_option("not_voted")
    expect(count).to_have_text("Showing 1,201 of 1,203 people")
    voter = api(server.url, f"{base}/participants", {"name": "Votante"})
    expect(count).to_have_text("Showing 1,202 of 1,204 people")
    api(server.url, f"{base}/rounds/{named['id']}/ballots", {"choice": "yes"}, voter["token"])
    expect(count).to_have_text("Showing 1,201 of 1,204 people")


@pages_only
def test_landing_join_and_created_pages_pass_axe(server, new_context):
    problems = []
    phone = phone_context(new_context).new_page()
    phone.goto(server.url + "/")
    expect(phone.get_by_label("Code shown on the screen")).to_be_visible()
    problems += [f"landing (phone): {v}" for v in axe_violations(phone)]
    laptop = new_context().new_page()
    code = create_convening(laptop, server.url, "Asamblea Barrial de Peñalolén Sur", place="Sede")
    problems += [f"created: {v}" for v in axe_violations(laptop)]
    laptop.goto(server.url + "/")
    problems += [f"landing: {v}" for v in axe_violations(laptop)]
    phone.goto(f"{server.url}/c/{code}")
    expect(phone.get_by_label("Your name")).to_be_visible()
    problems += [f"join: {v}" for v in axe_violations(phone)]
    assert not problems, "\n".join(problems)
