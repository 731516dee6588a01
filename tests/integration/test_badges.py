"""The badge PDF (issue 17 item 2): 8 a page on A4 and Letter, every word of every badge
inside its own badge and clear of its QR (long names with diacritics and 200-character
delegations included: smaller and wrapped, never cut), and each QR reads back as the
badge's personal link."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from html import unescape

import pytest
from pypdf import PdfReader

from convene.exports import badges
from tests.integration.test_api import bearer

LONG_NAME = "María-Ðorđe Łukasz Çağlayan Núñez de la Santísima Trinidad Ø"
LONG_DELEGATION = (
    "Sindicato Unificado de Trabajadoras y Trabajadores de la Educación Pública de la Región "
    "Metropolitana Norte y Sur, Sección Autónoma de Jubilados y Pensionados del Magisterio "
    "Rural y Urbano de la Costa"
)
UNBROKEN = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessen"
PEOPLE = [
    (LONG_NAME[:60], LONG_DELEGATION[:200], "delegate"),
    (UNBROKEN[:60], (UNBROKEN[:60] + " " + UNBROKEN * 2)[:200], "alternate"),
    ("Pat Lee", "Local 12", "observer"),
    *[(f"Delegate Number {i}", f"Chapter {i % 4}", "delegate") for i in range(7)],
]
need_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no poppler-utils")


@pytest.fixture
def room(client):
    created = client.post("/api/convenings", json={"title": "Convención regional"}).get_json()
    code, staff = created["code"], bearer(created["facilitator_token"])
    rows = [{"name": n, "delegation": d, "role": r} for n, d, r in PEOPLE]
    assert len(LONG_DELEGATION[:200]) == 200
    response = client.post(f"/api/convenings/{code}/roster", json={"rows": rows}, headers=staff)
    assert response.status_code == 200, response.get_data(as_text=True)
    ana = client.post(f"/api/convenings/{code}/participants", json={"name": "Ana"}).get_json()
    sheet = client.get(f"/api/convenings/{code}/roster/credentials.csv", headers=staff)
    people = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True).lstrip("\ufeff"))))
    return {"code": code, "staff": staff, "ana": bearer(ana["token"]), "people": people}


def _pdf(client, room, paper: str | None) -> bytes:
    query = f"?paper={paper}" if paper else ""
    response = client.get(
        f"/api/convenings/{room['code']}/roster/badges.pdf{query}", headers=room["staff"]
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    return response.data


def _words(path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (points, from the top left)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        words = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            page,
        )
        pages.append([(*map(float, w[:4]), unescape(w[4])) for w in words])
    return pages


@need_poppler
@pytest.mark.parametrize(
    ("paper", "size"), [(None, (595.3, 841.9)), ("a4", (595.3, 841.9)), ("letter", (612, 792))]
)
def test_every_badge_fits_its_place_and_nothing_is_cut(client, room, tmp_path, paper, size):
    data = _pdf(client, room, paper)
    path = tmp_path / "badges.pdf"
    path.write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2  # 10 people, 8 a page
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == pytest.approx(size, abs=1)
    sheet = badges.PAPERS[paper or "a4"]
    mm = 72 / 25.4
    width, height = (v * mm for v in sheet.badge_mm)
    margin, padding, qr = sheet.margin_mm * mm, badges.PADDING_MM * mm, badges.QR_MM * mm
    cells: dict[tuple[int, int], list[str]] = {}
    for number, words in enumerate(_words(path)):
        for x0, y0, x1, y1, text in words:
            column = int(((x0 + x1) / 2 - margin) // width)
            row = int(((y0 + y1) / 2 - margin) // height)
            left, top = margin + column * width, margin + row * height
            # inside its badge, with its padding (a little slack for the glyphs' boxes)
            assert left + padding - 1 <= x0, text
            assert x1 <= left + width - padding + 1, text
            assert top + padding - 2 <= y0, text
            assert y1 <= top + height - padding + 2, text
            # clear of the QR in the bottom left corner
            qr_right, qr_top = left + padding + qr, top + height - padding - qr
            assert x0 >= qr_right or y1 <= qr_top + 0.5, text
            cells.setdefault((number, row * 2 + column), []).append(text)
    assert len(cells) == len(PEOPLE)
    printed = ["".join(words) for words in cells.values()]
    for person in room["people"]:
        whole = "".join((person["name"] + person["delegation"]).split())
        [text] = [text for text in printed if whole in text]
        assert person["code"] in text


def test_the_qr_codes_read_back_as_the_personal_links(client, room, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("no poppler-utils")
    path = tmp_path / "badges.pdf"
    path.write_bytes(_pdf(client, room, "letter"))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "p")], check=True)
    read = set()
    for image in sorted(tmp_path.glob("p-*.png")):
        read |= {r.text for r in zxingcpp.read_barcodes(Image.open(image))}
    assert read == {p["link"] for p in room["people"]}


def test_badges_are_the_facilitators_only(client, room):
    url = f"/api/convenings/{room['code']}/roster/badges.pdf"
    other = client.post("/api/convenings", json={"title": "Other"}).get_json()
    cases = [
        (client.get(url, headers=room["ana"]), 403),
        (client.get(url), 401),
        (client.get(url + "?paper=a3", headers=room["staff"]), 422),
        (client.get(url + "?paper=", headers=room["staff"]), 422),
        (client.get(url.replace(room["code"], other["code"]), headers=room["staff"]), 404),
    ]
    for response, status in cases:
        assert response.status_code == status, response.get_data(as_text=True)[:200]
        assert "error" in response.get_json()


def test_an_empty_roster_is_one_empty_page(client):
    created = client.post("/api/convenings", json={"title": "Nobody yet"}).get_json()
    response = client.get(
        f"/api/convenings/{created['code']}/roster/badges.pdf",
        headers=bearer(created["facilitator_token"]),
    )
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1


def test_the_badges_route_is_in_the_document():
    from convene.web.api import openapi_document

    operation = openapi_document()["paths"]["/api/convenings/{code}/roster/badges.pdf"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    [paper] = [p for p in operation["parameters"] if p["name"] == "paper"]
    assert set(paper["schema"]["enum"]) == {"a4", "letter"}


def test_one_badge_printed_again(client, room):
    listed = client.get(
        f"/api/convenings/{room['code']}/roster?search=pat lee", headers=room["staff"]
    ).get_json()["entries"]
    [pat] = listed
    base = f"/api/convenings/{room['code']}/roster"
    one = client.get(
        f"{base}/badges.pdf?entry_id={pat['entry_id']}&paper=letter", headers=room["staff"]
    )
    assert one.status_code == 200
    reader = PdfReader(io.BytesIO(one.data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Pat Lee" in text
    assert "Delegate Number" not in text
    sheet = client.get(f"{base}/credentials.csv?entry_id={pat['entry_id']}", headers=room["staff"])
    assert len(sheet.get_data(as_text=True).strip().splitlines()) == 2
    other = client.post("/api/convenings", json={"title": "Other"}).get_json()
    theirs = bearer(other["facilitator_token"])
    other_base = f"/api/convenings/{other['code']}/roster"
    for response, status in [
        (client.get(f"{base}/badges.pdf?entry_id=abc", headers=room["staff"]), 422),
        (client.get(f"{base}/badges.pdf?entry_id=0", headers=room["staff"]), 422),
        (client.get(f"{base}/credentials.csv?entry_id=999999", headers=room["staff"]), 404),
        (client.get(f"{other_base}/badges.pdf?entry_id={pat['entry_id']}", headers=theirs), 404),
        (
            client.get(f"{base}/badges.pdf?entry_id={pat['entry_id']}&x=1", headers=room["staff"]),
            422,
        ),
    ]:
        assert response.status_code == status, response.get_data(as_text=True)[:200]


def test_at_most_two_badge_pdfs_are_made_at_once(client, room):
    url = f"/api/convenings/{room['code']}/roster/badges.pdf"
    with badges.rendering(), badges.rendering():  # two being made
        refused = client.get(url, headers=room["staff"])
        assert refused.status_code == 429
        assert refused.get_json()["error"]["code"] == "too_many_requests"
        assert refused.headers["Retry-After"] == "30"
    assert client.get(url, headers=room["staff"]).status_code == 200
