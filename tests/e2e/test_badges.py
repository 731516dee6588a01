"""The console's badges (issue 17 item 2): download the links and codes and the badges to
print, a delegate joins by typing their badge code, the facilitator reissues a lost badge
and the phone that used the old one is told; the new code prints as one badge.

Each test drives the real server (SQLite and PostgreSQL) with Debian chromium.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.request

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.a11y import axe_violations
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.flows import api_create, expect_live, phone_context
from tests.e2e.test_roster import fits

pytestmark = pytest.mark.browser

PEOPLE = [
    {"name": "María José Núñez", "delegation": "Sindicato de la Enseñanza", "external_id": "D-1"},
    {"name": "Pat Lefèvre", "delegation": "Local 12", "role": "alternate", "external_id": "D-2"},
    {"name": "Sam Lee", "delegation": "", "role": "observer", "external_id": "D-3"},
]


def import_roster(base: str, code: str, token: str) -> None:
    request = urllib.request.Request(  # noqa: S310 - the test server on localhost
        f"{base}/api/convenings/{code}/roster",
        data=json.dumps({"rows": PEOPLE}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
        assert json.load(response)["added"] == len(PEOPLE)


def downloaded(page: Page, button) -> tuple[str, bytes]:
    # The PDF is made on demand in a child process: allow for a crowded machine.
    with page.expect_download(timeout=90_000) as info:
        button.click()
    return info.value.suggested_filename, info.value.path().read_bytes()


def test_print_join_by_code_reissue(server, new_context):
    created = api_create(server.url, "Asamblea regional de delegaciones")
    code = created["code"]
    import_roster(server.url, code, created["facilitator_token"])
    console = new_context().new_page()
    console.goto(created["facilitator_url"])
    expect_live(console)
    badges = console.get_by_test_id("badges")
    badges.scroll_into_view_if_needed()

    name, data = downloaded(
        console, badges.get_by_role("button", name="Badges to print (PDF, Letter)")
    )
    assert name == f"badges-{code}.pdf"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert round(float(reader.pages[0].mediabox.width)) == 612  # Letter
    assert "María José Núñez" in reader.pages[0].extract_text()
    expect(badges.get_by_test_id("badges-status")).to_contain_text("Downloaded")
    name, data = downloaded(console, badges.get_by_role("button", name="Badges to print (PDF, A4)"))
    assert round(float(PdfReader(io.BytesIO(data)).pages[0].mediabox.width)) == 595
    name, data = downloaded(
        console, badges.get_by_role("button", name="Links and codes (CSV, for a mail merge)")
    )
    assert name == f"credentials-{code}.csv"
    sheet = {r["name"]: r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
    assert set(sheet) == {p["name"] for p in PEOPLE}

    # Pat types the code of their badge on the join page: the phone is Pat, no name typed
    phone = phone_context(new_context).new_page()
    phone.goto(f"{server.url}/c/{code}")
    found = axe_violations(phone)
    assert not found, "\n".join(found)
    phone.get_by_label("Badge code").fill("AAAA-AAAA")
    phone.get_by_role("button", name="Join with my badge").click()
    expect(phone.get_by_role("alert")).to_have_text("No badge has that code in this convening.")
    phone.get_by_label("Badge code").fill(sheet["Pat Lefèvre"]["code"].lower())
    phone.get_by_role("button", name="Join with my badge").click()
    expect_live(phone)
    assert phone.evaluate("window.convene.state.me.name") == "Pat Lefèvre"

    # María scans the QR of hers: the personal link opens the phone as María
    maria = phone_context(new_context).new_page()
    maria.goto(sheet["María José Núñez"]["link"])
    expect(maria).to_have_url(f"{server.url}/c/{code}")
    expect_live(maria)
    assert maria.evaluate("window.convene.state.me.name") == "María José Núñez"

    # Pat lost the badge: the facilitator finds Pat and reissues it
    badges.get_by_label("A badge was lost: find the person").fill("lefèvre")
    badges.get_by_role("button", name="Find").click()
    entry = badges.get_by_test_id("badges-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Pat Lefèvre")
    expect(entry).to_contain_text("arrived")
    entry.get_by_role("button", name="Reissue the badge").click()
    expect(entry.get_by_role("button", name="Reissue", exact=True)).to_be_focused()
    found = axe_violations(console)
    assert not found, "\n".join(found)
    assert not fits(console), fits(console)
    entry.get_by_role("button", name="Reissue", exact=True).click()
    new_code = entry.get_by_test_id("badges-new-code")
    expect(new_code).to_contain_text("New code:")
    assert sheet["Pat Lefèvre"]["code"] not in new_code.inner_text()
    # the phone on the old badge is told, and stops following
    expect(phone.get_by_text("Your badge was replaced by a new one")).to_be_visible()
    if server.backend == "sqlite":  # docs/screenshots/console-badges.png, phone-badge-*.png
        ARTIFACTS.mkdir(exist_ok=True)
        badges.screenshot(path=str(ARTIFACTS / "console-badges.png"))
        phone.screenshot(path=str(ARTIFACTS / "phone-badge-replaced.png"))
    name, data = downloaded(console, entry.get_by_role("button", name="Print this badge (A4)"))
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Pat Lefèvre" in text
    assert "María" not in text
    assert new_code.inner_text().split("New code: ")[1].split(".")[0] in text
