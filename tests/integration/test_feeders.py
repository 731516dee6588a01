"""Linked convenings (issue 18 item 1): feeder invitations, a chapter's upstream, the
regional convening's feeders, unlinking from either side; services, events, hostile input
and the HTTP routes against the document."""

from __future__ import annotations

import pytest

from convene.domain.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from convene.domain.events import public_view
from convene.services import convenings, feeders, live
from convene.services.commands import run_command
from tests.integration.test_api import bearer, check
from tests.integration.test_services import assert_refused, dump


def _convening(services, title):
    created = convenings.create_convening(services, title=title)
    return {
        "code": created.code,
        "token": created.facilitator_token,
        "staff": services.authenticate(created.facilitator_token),
    }


@pytest.fixture
def tree(services):
    region = _convening(services, "Regional convening")
    north = _convening(services, "Northside chapter")
    south = _convening(services, "Southside chapter")
    invitation = feeders.invite(services, region["staff"], label="Chapters, by mail")
    return {"region": region, "north": north, "south": south, "invitation": invitation}


def _link(services, chapter, upstream, invitation):
    return feeders.link(
        services, chapter["staff"], code=upstream["code"], invitation=invitation["invitation"]
    )


def test_an_invitation_is_shown_once_and_stored_hashed(services, engine, tree):
    invitation = tree["invitation"]
    assert len(invitation["invitation"]) >= 32
    assert invitation["label"] == "Chapters, by mail"
    assert invitation["invitation"] not in str(dump(engine))
    listed = feeders.list_feeders(services, tree["region"]["staff"])
    assert listed["feeders"] == []
    assert [i["id"] for i in listed["invitations"]] == [invitation["id"]]
    assert "invitation" not in listed["invitations"][0]


def test_chapters_link_and_both_logs_say_so(services, publisher, tree):
    region, north, south = tree["region"], tree["north"], tree["south"]
    linked = _link(services, north, region, tree["invitation"])
    assert linked["already"] is False
    assert linked["upstream"]["code"] == region["code"]
    assert linked["upstream"]["title"] == "Regional convening"
    events = publisher.events[-2:]
    assert [(e.type, e.convening_id) for e in events] == [
        ("upstream.linked", north["staff"].convening_id),
        ("feeder.linked", region["staff"].convening_id),
    ]
    assert events[1].data["feeder"] == {"code": north["code"], "title": "Northside chapter"}
    assert events[1].data["feeders"] == 1
    assert events[1].actor_id is None  # no member of the region did it
    _link(services, south, region, tree["invitation"])
    listed = feeders.list_feeders(services, region["staff"])
    assert [f["title"] for f in listed["feeders"]] == ["Northside chapter", "Southside chapter"]
    assert listed["invitations"][0]["links"] == 2
    assert feeders.get_upstream(services, north["staff"])["upstream"]["code"] == region["code"]
    assert feeders.get_upstream(services, region["staff"]) == {"upstream": None}


def test_the_public_sees_the_other_convening_s_title_not_its_join_code(services, publisher, tree):
    _link(services, tree["north"], tree["region"], tree["invitation"])
    for event in publisher.events[-2:]:
        seen = public_view(event.type, event.data)
        assert tree["north"]["code"] not in str(seen)
        assert tree["region"]["code"] not in str(seen)
        assert "Northside chapter" in str(seen) or "Regional convening" in str(seen)
    invited = [e for e in publisher.events if e.type == "feeder.invited"]
    assert invited
    assert public_view("feeder.invited", invited[0].data) == {}


def test_linking_again_to_the_same_upstream_changes_nothing(services, engine, publisher, tree):
    _link(services, tree["north"], tree["region"], tree["invitation"])
    before, published = dump(engine), len(publisher.events)
    again = _link(services, tree["north"], tree["region"], tree["invitation"])
    assert again["already"] is True
    assert dump(engine) == before
    assert len(publisher.events) == published


def test_either_side_unlinks_and_the_chapter_may_link_elsewhere(services, publisher, tree):
    region, north = tree["region"], tree["north"]
    _link(services, north, region, tree["invitation"])
    feeders.unlink(services, north["staff"])
    assert [e.type for e in publisher.events[-2:]] == ["upstream.unlinked", "feeder.unlinked"]
    assert publisher.events[-1].data["by"] == "feeder"
    assert publisher.events[-1].data["feeders"] == 0
    assert feeders.get_upstream(services, north["staff"]) == {"upstream": None}
    _link(services, north, region, tree["invitation"])
    feeders.unlink_feeder(services, region["staff"], feeder_code=north["code"].lower())
    assert publisher.events[-2].data["by"] == "upstream"
    assert publisher.events[-2].actor_id is None
    assert publisher.events[-1].actor_id == region["staff"].member_id
    assert feeders.list_feeders(services, region["staff"])["feeders"] == []
    other = _convening(services, "Another region")
    elsewhere = feeders.invite(services, other["staff"])
    assert _link(services, north, other, elsewhere)["upstream"]["code"] == other["code"]


def test_a_revoked_invitation_links_no_more_and_the_links_it_made_stay(services, tree):
    region = tree["region"]
    _link(services, tree["north"], region, tree["invitation"])
    revoked = feeders.revoke(services, region["staff"], invitation_id=tree["invitation"]["id"])
    assert revoked["revoked"] is True
    assert feeders.revoke(services, region["staff"], invitation_id=tree["invitation"]["id"]) == (
        revoked
    )
    with pytest.raises(Forbidden, match="revoked"):
        _link(services, tree["south"], region, tree["invitation"])
    assert len(feeders.list_feeders(services, region["staff"])["feeders"]) == 1


def test_bad_links_are_refused_and_change_nothing(services, engine, publisher, tree):
    region, north, south = tree["region"], tree["north"], tree["south"]
    _link(services, north, region, tree["invitation"])
    north_invitation = feeders.invite(services, north["staff"])
    south_invitation = feeders.invite(services, south["staff"])

    def refused(error, match, chapter, upstream, secret):
        def attempt():
            feeders.link(services, chapter["staff"], code=upstream["code"], invitation=secret)

        assert_refused(services, engine, publisher, attempt, error)
        with pytest.raises(error, match=match):
            attempt()

    # a wrong invitation, another convening's, a chapter linking to itself
    refused(Forbidden, "not a feeder invitation", south, region, "x" * 32)
    refused(Forbidden, "another convening's", south, region, north_invitation["invitation"])
    refused(InvalidInput, "itself", south, south, south_invitation["invitation"])
    # a circle: the region would feed its own chapter
    refused(Conflict, "circle", region, north, north_invitation["invitation"])
    # one upstream at a time
    refused(Conflict, "another convening", north, south, south_invitation["invitation"])
    # a code that is no convening's
    with pytest.raises(NotFound, match="no convening with the code"):
        feeders.link(services, south["staff"], code="KKKKKK", invitation="x")
    # unlinking what is not linked
    assert_refused(
        services, engine, publisher, lambda: feeders.unlink(services, south["staff"]), Conflict
    )
    assert_refused(
        services,
        engine,
        publisher,
        lambda: feeders.unlink_feeder(services, region["staff"], feeder_code=south["code"]),
        NotFound,
    )
    assert_refused(
        services,
        engine,
        publisher,
        lambda: feeders.unlink_feeder(services, north["staff"], feeder_code=region["code"]),
        NotFound,
    )


def test_a_longer_circle_is_refused_too(services, tree):
    region, north, south = tree["region"], tree["north"], tree["south"]
    _link(services, north, region, tree["invitation"])
    _link(services, south, north, feeders.invite(services, north["staff"]))
    with pytest.raises(Conflict, match="circle"):
        _link(services, region, south, feeders.invite(services, south["staff"]))


def test_only_facilitators_of_the_convening_link(services, tree):
    region = tree["region"]
    join = convenings.join(services, code=tree["north"]["code"], name="Ana")
    ana = services.authenticate(join.token)
    observer = services.authenticate(
        convenings.invite(services, tree["north"]["staff"], role="observer").token
    )
    for actor in (ana, observer):
        for attempt in (
            lambda a=actor: _link(services, {"staff": a}, region, tree["invitation"]),
            lambda a=actor: feeders.unlink(services, a),
            lambda a=actor: feeders.get_upstream(services, a),
            lambda a=actor: feeders.invite(services, a),
            lambda a=actor: feeders.list_feeders(services, a),
        ):
            with pytest.raises(Forbidden):
                attempt()
    # another convening's facilitator token, on this convening's code
    with pytest.raises(NotFound):
        run_command(services, tree["south"]["token"], "feeders.list", {}, code=region["code"])
    with pytest.raises(NotAuthenticated):
        run_command(services, "nope", "feeders.list", {}, code=region["code"])


def test_the_regional_live_log_gets_the_link(services, tree):
    region = tree["region"]
    _link(services, tree["north"], region, tree["invitation"])
    participant = services.authenticate(
        convenings.join(services, code=region["code"], name="Bo").token
    )
    seen = live.events_since(services, participant, 0, 500)
    linked = [e for e in seen["events"] if e["type"] == "feeder.linked"]
    assert linked
    assert linked[0]["data"]["feeder"] == {"title": "Northside chapter"}
    staff = live.events_since(services, region["staff"], 0, 500)
    linked = [e for e in staff["events"] if e["type"] == "feeder.linked"]
    assert linked[0]["data"]["feeder"]["code"] == tree["north"]["code"]


# -- over HTTP ------------------------------------------------------------------------------


@pytest.fixture
def http_tree(client):
    made = {}
    for name in ("region", "north"):
        created = client.post("/api/convenings", json={"title": f"{name.title()} meeting"})
        body = created.get_json()
        made[name] = {"code": body["code"], "staff": bearer(body["facilitator_token"])}
    return made


def test_linking_over_http(client, http_tree):
    region, north = http_tree["region"], http_tree["north"]
    path = "/api/convenings/{code}/feeders/invitations"
    invitation = check(
        client.post(
            f"/api/convenings/{region['code']}/feeders/invitations",
            json={"label": "North"},
            headers=region["staff"],
        ),
        path,
        "post",
        201,
    )
    up = "/api/convenings/{code}/upstream"
    url = f"/api/convenings/{north['code']}/upstream"
    body = {"code": region["code"].lower(), "invitation": invitation["invitation"]}
    linked = check(client.put(url, json=body, headers=north["staff"]), up, "put", 200)
    assert linked["upstream"]["code"] == region["code"]
    again = check(client.put(url, json=body, headers=north["staff"]), up, "put", 200)
    assert again["already"] is True
    assert check(client.get(url, headers=north["staff"]), up, "get", 200)["upstream"]["title"]
    listed = check(
        client.get(f"/api/convenings/{region['code']}/feeders", headers=region["staff"]),
        "/api/convenings/{code}/feeders",
        "get",
        200,
    )
    assert [f["code"] for f in listed["feeders"]] == [north["code"]]
    gone = client.delete(
        f"/api/convenings/{region['code']}/feeders/{north['code']}", headers=region["staff"]
    )
    check(gone, "/api/convenings/{code}/feeders/{feeder_code}", "delete", 204)
    assert check(client.get(url, headers=north["staff"]), up, "get", 200)["upstream"] is None
    check(client.put(url, json=body, headers=north["staff"]), up, "put", 200)
    check(client.delete(url, headers=north["staff"]), up, "delete", 204)
    check(client.delete(url, headers=north["staff"]), up, "delete", 409)
    revoked = check(
        client.delete(
            f"/api/convenings/{region['code']}/feeders/invitations/{invitation['id']}",
            headers=region["staff"],
        ),
        "/api/convenings/{code}/feeders/invitations/{invitation_id}",
        "delete",
        200,
    )
    assert revoked["revoked"] is True
    refused = check(client.put(url, json=body, headers=north["staff"]), up, "put", 403)
    assert "revoked" in refused["error"]["message"]


def test_bad_link_requests_over_http(client, http_tree):
    region, north = http_tree["region"], http_tree["north"]
    up = "/api/convenings/{code}/upstream"
    url = f"/api/convenings/{north['code']}/upstream"
    secret = client.post(
        f"/api/convenings/{region['code']}/feeders/invitations", json={}, headers=region["staff"]
    ).get_json()["invitation"]
    cases = [
        ({"code": region["code"], "invitation": "wrong" * 7}, 403, None),
        ({"code": north["code"], "invitation": secret}, 422, "code"),
        ({"code": "ZZZZZZ", "invitation": secret}, 404, None),
        ({"code": region["code"]}, 422, "invitation"),
        ({"code": region["code"], "invitation": 7}, 422, "invitation"),
        ({"code": region["code"], "invitation": "x" * 201}, 413, "invitation"),
        ({"code": region["code"], "invitation": secret, "extra": 1}, 422, "extra"),
        ({"code": region["code"], "invitation": {"a": [1]}}, 422, "invitation"),
    ]
    for body, status, field in cases:
        reply = check(client.put(url, json=body, headers=north["staff"]), up, "put", status)
        if field:
            assert reply["error"]["field"] == field, body
    # the region's token on the chapter's code; no token; a deep body
    check(
        client.put(
            url, json={"code": region["code"], "invitation": secret}, headers=region["staff"]
        ),
        up,
        "put",
        404,
    )
    check(client.put(url, json={"code": region["code"], "invitation": secret}), up, "put", 401)
    deep = "[" * 100 + "]" * 100
    response = client.put(
        url, data=deep, headers={**north["staff"], "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    huge = {"code": region["code"], "invitation": "x" * 2_000_000}
    assert client.put(url, json=huge, headers=north["staff"]).status_code == 413
    # ids out of range, an unknown invitation, an unknown feeder
    base = f"/api/convenings/{region['code']}/feeders"
    assert client.delete(f"{base}/invitations/{2**31}", headers=region["staff"]).status_code == 422
    check(
        client.delete(f"{base}/invitations/99", headers=region["staff"]),
        "/api/convenings/{code}/feeders/invitations/{invitation_id}",
        "delete",
        404,
    )
    check(
        client.delete(f"{base}/{north['code']}", headers=region["staff"]),
        "/api/convenings/{code}/feeders/{feeder_code}",
        "delete",
        404,
    )
    check(
        client.delete(f"{base}/not-a-code-at-all", headers=region["staff"]),
        "/api/convenings/{code}/feeders/{feeder_code}",
        "delete",
        404,
    )
    # a participant's token
    ana = client.post(f"/api/convenings/{north['code']}/participants", json={"name": "Ana"})
    ana = bearer(ana.get_json()["token"])
    body = {"code": region["code"], "invitation": secret}
    check(client.put(url, json=body, headers=ana), up, "put", 403)
    check(client.get(url, headers=ana), up, "get", 403)
    assert check(client.get(url, headers=north["staff"]), up, "get", 200)["upstream"] is None
