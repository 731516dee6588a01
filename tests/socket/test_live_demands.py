"""Demands live: a participant sees another's demand arrive, hidden demands stay with the
facilitators, and stances travel as counts only, never with a name or a member id."""

from __future__ import annotations

from tests.socket.test_live import connect, convening, join, received  # noqa: F401 - fixture


def command(socket_client, name: str, args: dict) -> dict:
    return socket_client.emit("command", {"name": name, "args": args}, callback=True)


def test_a_participant_sees_a_demand_proposed_by_another_live(app, client, convening):  # noqa: F811
    ana = join(client, convening, "Ana")
    ben = join(client, convening, "Ben")
    watcher = connect(app, client, ana["token"])
    [snapshot] = received(watcher, "snapshot")
    assert snapshot["demands"] == []
    assert snapshot["me"]["supports"] == []
    assert snapshot["me"]["stances"] == {}

    proposer = connect(app, client, ben["token"])
    reply = command(
        proposer, "demands.propose", {"title": "Rent freeze", "body": "Freeze *all* rents."}
    )
    assert reply["ok"] is True
    demand = reply["result"]
    [event] = received(watcher, "event")
    assert event["seq"] == snapshot["seq"] + 1
    assert event["type"] == "demand.proposed"
    assert event["data"]["demand"]["title"] == "Rent freeze"
    assert "body_html" not in event["data"]["demand"]  # the summary; the new text beside it
    assert event["data"]["text"]["body_html"] == "<p>Freeze <em>all</em> rents.</p>\n"
    assert event["data"]["demand"]["excerpt"] == "Freeze all rents."
    assert event["data"]["demand"]["author"]["name"] == "Ben"

    # A command refused over the socket has the same rules as the API.
    refused = command(watcher, "demands.edit", {"demand_id": demand["id"], "body": "Mine"})
    assert refused == {
        "ok": False,
        "error": {
            "code": "forbidden",
            "message": "Only the author of a demand may edit it.",
        },
    }


def test_stances_are_never_published_with_names(app, client, convening):  # noqa: F811
    code, headers = convening["code"], convening["headers"]
    ana = join(client, convening, "Ana")
    ben = join(client, convening, "Ben")
    staff = connect(app, client, convening["facilitator_token"])
    phone = connect(app, client, ana["token"])
    demand = client.post(
        f"/api/convenings/{code}/demands",
        json={"title": "Repairs", "body": "Within a week."},
        headers={"Authorization": f"Bearer {ben['token']}"},
    ).get_json()
    staff.get_received(), phone.get_received()

    reply = command(phone, "demands.agree", {"demand_id": demand["id"], "stance": "disagree"})
    assert reply["ok"] is True
    assert reply["result"]["stance"] == "disagree"  # my own stance comes back to me only
    for screen in (staff, phone):
        [event] = received(screen, "event")
        assert event["type"] == "demand.agreement_changed"
        assert set(event["data"]) == {"demand_id", "hidden", "agreement"}
        assert event["data"]["agreement"]["disagree"] == 1
        agreement = event["data"]["agreement"]
        assert set(agreement) == {
            "agree",
            "disagree",
            "pass",
            "responses",
            "share",
            "bridging",
            "caucuses_counted",
            "caucuses",
        }
        for group in agreement["caucuses"]:
            assert set(group) == {"caucus", "agree", "disagree", "pass", "share", "counted"}
        assert "Ana" not in str(event)

    # A fresh snapshot tells Ana her own stance, and nobody else's.
    again = connect(app, client, ana["token"])
    [snapshot] = received(again, "snapshot")
    assert snapshot["me"]["stances"] == {str(demand["id"]): "disagree"}
    other = connect(app, client, ben["token"])
    assert received(other, "snapshot")[0]["me"]["stances"] == {}

    # A hidden demand reaches the phones only as "drop it".
    client.post(
        f"/api/convenings/{code}/demands/{demand['id']}/hide",
        json={"reason": "Off topic"},
        headers=headers,
    )
    [public] = received(phone, "event")
    [full] = received(staff, "event")
    assert public["data"] == {"demand_id": demand["id"], "hidden": True}
    assert full["data"]["reason"] == "Off topic"
    assert public["seq"] == full["seq"]
