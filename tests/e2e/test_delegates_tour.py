"""The delegates' flow of docs/using-convene.md, as the screenshots there show it (issue 17):
a 1,500-person roster imported in the console (its preview, then what it did), a delegate
checked in at the desk by the camera (chromium's fake camera playing their badge's QR), and
quorum and turnout counting the checked-in delegates with accredited voting, in the console
and on the projector. Saves test-artifacts/delegates-*.png (copied to docs/screenshots)."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from bench.roster import roster_csv
from tests.e2e.conftest import ARTIFACTS, PHONE, PROJECTOR
from tests.e2e.flows import api_create, expect_live
from tests.e2e.test_checkin import camera_browser, credentials  # noqa: F401 - a fixture
from tests.e2e.test_roster import fits

pytestmark = pytest.mark.browser

ROWS = 1500
#: delegates checked in through the API before the camera's (the desk's earlier work)
AHEAD = 40


def call(base: str, path: str, body: dict, token: str, method: str = "POST") -> dict:
    assert base.startswith("http://127.0.0.1:")
    request = urllib.request.Request(  # noqa: S310 - the test server on localhost
        base + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - localhost
        return json.load(response)


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_delegates_flow_at_1500(server, new_context, camera_browser, tmp_path):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    created = api_create(server.url, "Convención regional de delegaciones")
    code, staff = created["code"], created["facilitator_token"]
    base = f"/api/convenings/{code}"
    console = new_context().new_page()
    console.goto(created["facilitator_url"])
    expect_live(console)

    # 1. The roster: its preview, then what the import did.
    roster_file = tmp_path / "delegados-1500.csv"
    roster_file.write_text(roster_csv(ROWS), encoding="utf-8")
    card = console.get_by_test_id("roster")
    card.scroll_into_view_if_needed()
    card.get_by_label("Roster file (CSV or JSON)").set_input_files(roster_file)
    preview = card.get_by_test_id("roster-preview")
    expect(preview).to_contain_text("The file lists 1,500 people.")
    assert not fits(console), fits(console)
    card.screenshot(path=str(ARTIFACTS / "delegates-import-preview.png"))
    card.get_by_test_id("roster-confirm").click()
    expect(card.get_by_test_id("roster-done")).to_be_visible()
    assert not fits(console), fits(console)
    card.screenshot(path=str(ARTIFACTS / "delegates-import-result.png"))

    # 2. Accredited voting, a round with a quorum, the desk's earlier check-ins.
    call(server.url, base, {"accredited_voting": True}, staff, method="PATCH")
    people = credentials(server.url, code, staff)
    delegates = [p for p in people.values() if p["role"] == "delegate"]
    desk = call(server.url, f"{base}/invitations", {"role": "desk"}, staff)
    for person in delegates[:AHEAD]:
        call(server.url, f"{base}/checkins", {"code": person["code"]}, desk["token"])
    motion = {"title": "¿Aprobamos el plan de vivienda?", "method": "yes_no", "quorum": 30}
    motion["options"] = [{"label": "El plan de vivienda de las delegaciones"}]
    round_ = call(server.url, f"{base}/rounds", motion, staff)
    call(server.url, f"{base}/rounds/{round_['id']}/open", {}, staff)
    projector = new_context(viewport=PROJECTOR).new_page()
    projector.goto(created["projector_url"])
    expect_live(projector)

    # 3. The desk's camera reads the next delegate's badge.
    arriving = delegates[AHEAD]
    other = camera_browser(arriving["link"])
    context = other.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.grant_permissions(["camera"], origin=server.url)
    phone = context.new_page()
    phone.goto(desk["url"])
    expect_live(phone)
    phone.get_by_test_id("desk-camera").click()
    scans = phone.get_by_test_id("desk-scan")
    expect(scans.first).to_contain_text(f"Checked in: {arriving['name']}", timeout=30_000)
    expect(phone.get_by_test_id("desk-counts")).to_contain_text(f"{AHEAD + 1} checked in")
    phone.wait_for_timeout(300)  # a frame of the video behind the scan
    phone.screenshot(path=str(ARTIFACTS / "delegates-desk-camera.png"), full_page=True)
    phone.get_by_test_id("desk-camera").click()

    # 4. Quorum and turnout from the checked-in delegates.
    count = console.get_by_test_id("checkins-count")
    expect(count).to_contain_text(f"Checked in at the desk: {AHEAD + 1}")
    turnout = console.get_by_test_id("console-turnout")
    expect(turnout).to_contain_text(re.compile(rf"of {AHEAD + 1} present"))
    panel = console.get_by_test_id("rounds-panel")
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(ARTIFACTS / "delegates-console-round.png"))
    expect(projector.get_by_test_id("projector-turnout")).to_contain_text(f"of {AHEAD + 1} present")
    # said once, under the turnout (it was said under the question too)
    expect(projector.get_by_text("Results are shown when the vote closes.")).to_have_count(1)
    projector.screenshot(path=str(ARTIFACTS / "delegates-projector-turnout.png"))
