"""Creating a convening from the landing page: post, redirect, get. Reloading the page
with the links shows the same convening again and creates nothing."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from convene.store import tables


def _count(app) -> int:
    with app.extensions["convene"].read() as session:
        return session.execute(select(func.count()).select_from(tables.convenings)).scalar()


def test_reloading_the_created_page_creates_nothing(app, client):
    page = client.get("/")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    before = _count(app)
    posted = client.post("/convenings", data={"csrf": csrf, "title": "Asamblea de Ñuñoa"})
    assert posted.status_code == 303
    location = posted.headers["Location"]
    code = re.fullmatch(r"(?:http://localhost)?/c/([A-Z0-9]{6})/created", location).group(1)
    first = client.get(location)
    again = client.get(location)  # the browser's reload
    assert first.status_code == again.status_code == 200
    for response in (first, again):
        text = response.get_data(as_text=True)
        assert code in text
        assert re.search(r'id="facilitator-link"[^>]*value="http://localhost/[^"]+"', text)
    assert _count(app) == before + 1


def test_the_created_page_needs_the_facilitator_link(app, client):
    page = client.get("/")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    location = client.post("/convenings", data={"csrf": csrf, "title": "Theirs"}).headers[
        "Location"
    ]
    with app.test_client() as stranger:
        assert stranger.get(location).status_code == 403
