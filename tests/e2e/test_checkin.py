"""Check-in in the browser (issue 17 item 3): the facilitator invites the credentials desk
from the console; the desk's camera (chromium's fake camera playing a video of a badge's QR,
made here with segno) checks María in, a typed badge code checks Pat in, the undo checks
him out, a search by name checks Sam in, a wrong code is refused in words; the console's
count follows live; axe finds nothing and the desk fits a phone."""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from pathlib import Path

import pytest
import segno
from playwright.sync_api import expect

from tests.e2e.a11y import axe_violations
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.e2e.flows import api_create, expect_live
from tests.e2e.test_badges import import_roster
from tests.e2e.test_roster import fits

pytestmark = pytest.mark.browser


def write_y4m(path: Path, text: str, width: int = 640, height: int = 480, frames: int = 6) -> None:
    """A short grey-scale video (YUV4MPEG2, 4:2:0) of ``text``'s QR code in the middle, on
    white: what chromium's fake camera plays in a loop."""
    qr = segno.make(text, error="m")
    scale = max(1, min(width, height) * 3 // 4 // (qr.symbol_size(scale=1, border=4)[0]))
    rows = [list(row) for row in qr.matrix_iter(scale=scale, border=4)]
    size = len(rows)
    top, left = (height - size) // 2, (width - size) // 2
    luma = bytearray([235]) * (width * height)
    for y, row in enumerate(rows):
        start = (top + y) * width + left
        luma[start : start + size] = bytes(16 if dark else 235 for dark in row)
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + bytes(luma) + chroma + chroma)


def credentials(base: str, code: str, token: str) -> dict[str, dict]:
    request = urllib.request.Request(  # noqa: S310 - the test server on localhost
        f"{base}/api/convenings/{code}/roster/credentials.csv",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
        text = response.read().decode("utf-8").lstrip("\ufeff")
    return {row["name"]: row for row in csv.DictReader(io.StringIO(text))}


@pytest.fixture
def camera_browser(browser, tmp_path):
    """Another chromium whose camera plays ``tmp_path/badge.y4m`` (written by the test
    before its first page opens the camera); only this test needs it."""
    video = tmp_path / "badge.y4m"
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    launched = []

    def launch(text: str):
        write_y4m(video, text)
        other = browser.browser_type.launch(executable_path=str(CHROMIUM), args=args)
        launched.append(other)
        return other

    yield launch
    for other in launched:
        other.close()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_desk_checks_people_in_by_camera_code_and_name(
    server, new_context, camera_browser, shoot
):
    created = api_create(server.url, "Regional convening")
    code = created["code"]
    import_roster(server.url, code, created["facilitator_token"])
    people = credentials(server.url, code, created["facilitator_token"])
    console = new_context().new_page()
    console.goto(created["facilitator_url"])
    expect_live(console)

    # The facilitator makes the desk's link in the console.
    console.get_by_label("Their role").select_option("desk")
    console.get_by_role("button", name="Create a private link").click()
    link = console.locator("#invite-result input")
    expect(link).to_have_value(re.compile(r"/t/[\w-]+$"))
    expect(console.locator("#invite-result")).to_contain_text("check anyone on the roster in")
    desk_url = link.input_value()
    count = console.get_by_test_id("checkins-count")
    expect(count).to_have_text("Checked in at the desk: 0 (0 who vote) of 3")

    # The desk's phone: its camera shows María's badge.
    other = camera_browser(people["María José Núñez"]["link"])
    context = other.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.grant_permissions(["camera"], origin=server.url)
    errors = []
    desk = context.new_page()
    desk.on("pageerror", lambda error: errors.append(str(error)))
    desk.goto(desk_url)
    expect(desk).to_have_url(f"{server.url}/c/{code}/desk")
    expect_live(desk)
    counts = desk.get_by_test_id("desk-counts")
    expect(counts).to_have_text("0 checked in (0 who vote) of 3 on the roster")
    assert axe_violations(desk) == []
    desk.get_by_test_id("desk-camera").click()
    scans = desk.get_by_test_id("desk-scan")
    expect(scans.first).to_contain_text(
        "Checked in: María José Núñez · Sindicato de la Enseñanza", timeout=30_000
    )
    expect(counts).to_have_text("1 checked in (1 who vote) of 3 on the roster")
    expect(count).to_have_text("Checked in at the desk: 1 (1 who vote) of 3", timeout=5_000)
    decoder = desk.get_by_test_id("desk-camera-box").get_attribute("data-decoder")
    assert decoder in ("jsqr", "barcode-detector")
    desk.get_by_test_id("desk-camera").click()  # stop it: the same badge stays one scan
    expect(scans).to_have_count(1)

    # Pat's code typed (lower case, a space for the dash), then undone.
    pat_code = people["Pat Lefèvre"]["code"].lower().replace("-", " ")
    desk.get_by_label("Badge code", exact=True).fill(pat_code)
    desk.get_by_test_id("desk-code-submit").click()
    expect(scans.first).to_have_text(re.compile(r"Checked in: Pat Lefèvre · Local 12"))
    expect(count).to_have_text("Checked in at the desk: 2 (1 who vote) of 3", timeout=5_000)
    desk.get_by_role("button", name="Undo: check out Pat Lefèvre").click()
    expect(scans.first).to_contain_text("Checked out: Pat Lefèvre")
    expect(counts).to_have_text("1 checked in (1 who vote) of 3 on the roster")

    # Sam has no badge: found by name.
    desk.get_by_label("Find the person by name or delegation").fill("sam")
    expect(desk.get_by_test_id("desk-person")).to_have_count(1)
    desk.get_by_role("button", name="Check in Sam Lee").click()
    expect(scans.first).to_contain_text("Checked in: Sam Lee")
    expect(count).to_have_text("Checked in at the desk: 2 (1 who vote) of 3", timeout=5_000)

    # A wrong code: refused in words, nothing changes.
    desk.get_by_label("Badge code", exact=True).fill("ZZZZ-ZZZZ")
    desk.get_by_test_id("desk-code-submit").click()
    expect(desk.get_by_test_id("desk-notice")).to_have_text(
        "Not checked in: No badge has that code in this convening."
    )
    expect(counts).to_have_text("2 checked in (1 who vote) of 3 on the roster")
    assert axe_violations(desk) == []
    assert not fits(desk, "#live"), fits(desk, "#live")
    shoot(desk, "desk", full_page=True)
    assert errors == []
    context.close()
