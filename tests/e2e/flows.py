"""What people do in the browser, shared by the e2e tests."""

from __future__ import annotations

import json
import re
import urllib.request

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE


def create_convening(page: Page, base: str, title: str, **fields: str) -> str:
    """On the landing page, create a convening; returns its join code (page stays on 'created')."""
    page.goto(base + "/")
    page.get_by_label("Title").fill(title)
    for label, value in fields.items():
        page.locator(f"#c-{label}").fill(value)
    page.get_by_role("button", name="Create the convening").click()
    expect(page.get_by_role("heading", name="Your convening is ready")).to_be_visible()
    code = page.get_by_test_id("join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code), code
    return code


def api_create(base: str, title: str, **fields: str) -> dict:
    """Create a convening through the JSON API (faster than the form when that is not the test)."""
    assert base.startswith("http://127.0.0.1:")
    request = urllib.request.Request(  # noqa: S310 - the test server on localhost
        base + "/api/convenings",
        data=json.dumps({"title": title, **fields}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
        return json.load(response)


def console_for(context, base: str, title: str) -> tuple[Page, str]:
    """A facilitator's console, entered through the private link; returns (page, code)."""
    created = api_create(base, title)
    page = context.new_page()
    page.goto(created["facilitator_url"])
    expect(page).to_have_url(f"{base}/c/{created['code']}/console")
    expect_live(page)
    return page, created["code"]


def join_direct(context, base: str, code: str, name: str) -> Page:
    """A phone opens the join link (as from the QR code) and joins."""
    page = context.new_page()
    page.goto(f"{base}/c/{code}")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join the meeting").click()
    expect(page.get_by_test_id("me-name")).to_have_text(name)
    expect_live(page)
    return page


def open_console(page: Page, code: str, base: str) -> None:
    page.goto(f"{base}/c/{code}/console")
    expect_live(page)


def expect_live(page: Page) -> None:
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "connected")


def join_by_code(context, base: str, code: str, name: str, caucus: str = "") -> Page:
    """A phone types the code on the landing page (in lower case) and joins with a name."""
    page = context.new_page()
    page.goto(base + "/")
    code_field = page.get_by_label("Code shown on the screen")
    code_field.type(code.lower())
    expect(code_field).to_have_value(code)  # upper-cased as typed
    page.get_by_role("button", name="Join", exact=True).click()
    page.get_by_label("Your name").fill(name)
    if caucus:
        page.get_by_label("Chapter or city").fill(caucus)
    page.get_by_role("button", name="Join the meeting").click()
    expect(page.get_by_test_id("me-name")).to_have_text(name)
    expect_live(page)
    return page


def add_item(console: Page, title: str, minutes: int | None = None, notes: str = "") -> None:
    form = console.locator("#add-item")
    form.get_by_label("Title").fill(title)
    if minutes is not None:
        form.get_by_label("Minutes").fill(str(minutes))
    if notes:
        form.get_by_label("Notes").fill(notes)
    form.get_by_role("button", name="Add to the agenda").click()
    expect(console.get_by_test_id("agenda").get_by_text(title, exact=True)).to_be_visible()
    expect(form).not_to_have_attribute("aria-busy", "true")


def start_item(console: Page, title: str) -> None:
    console.get_by_role("button", name=f"Start “{title}”").click()
    expect(console.get_by_test_id("current-item").get_by_test_id("current-title")).to_have_text(
        title
    )


def phone_context(new_context, sharp: bool = False):
    """A 360 px phone; ``sharp`` renders at 2x for screenshots worth keeping (slower)."""
    return new_context(
        viewport=PHONE, device_scale_factor=2 if sharp else 1, is_mobile=True, has_touch=True
    )


class Received:
    """The Socket.IO packets the server sent a page, on either transport: the websocket's
    frames, and the replies to the long polls that come first, before the upgrade (on a
    loaded machine, as with parallel test workers, the snapshot often comes that way)."""

    def __init__(self, page: Page) -> None:
        self.frames: list[str] = []
        self.polls = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        page.on("requestfinished", self._finished)

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            self.frames.append(payload)

    def _finished(self, request) -> None:
        if request.method == "GET" and "/socket.io/" in request.url and "polling" in request.url:
            self.polls.append(request)

    def packets(self) -> list[str]:
        """Every packet so far (a long poll's reply holds several, split by \\x1e)."""
        polled = []
        for request in self.polls:
            response = request.response()
            if response is not None and response.ok:
                polled.extend(response.text().split("\x1e"))
        return polled + self.frames
