"""A reissued roster badge over Socket.IO: the phone that used the old link is told
("revoked") and disconnected; the old token is refused, the new badge connects."""

from __future__ import annotations

from convene.extensions import socketio


def test_a_phone_on_a_reissued_badge_is_told_and_disconnected(app, client):
    created = client.post("/api/convenings", json={"title": "Assembly"}).get_json()
    code, staff = created["code"], {"Authorization": f"Bearer {created['facilitator_token']}"}
    client.post(
        f"/api/convenings/{code}/roster",
        json={"rows": [{"name": "Łukasz Đoković", "delegation": "Local 9"}]},
        headers=staff,
    )
    [entry] = client.get(f"/api/convenings/{code}/roster", headers=staff).get_json()["entries"]
    sheet = client.get(f"/api/convenings/{code}/roster/credentials.csv", headers=staff)
    badge_code = sheet.get_data(as_text=True).splitlines()[1].split(",")[3]
    old = client.post(f"/api/convenings/{code}/badges", json={"badge_code": badge_code})
    old_token = old.get_json()["token"]
    phone = socketio.test_client(app, auth={"token": old_token}, flask_test_client=client)
    assert phone.is_connected()
    console = socketio.test_client(
        app, auth={"token": created["facilitator_token"]}, flask_test_client=client
    )
    console.get_received()
    phone.get_received()
    new = client.post(f"/api/convenings/{code}/roster/{entry['entry_id']}/reissue", headers=staff)
    assert new.status_code == 200
    assert not phone.is_connected()
    events = [m["args"][0] for m in console.get_received() if m["name"] == "event"]
    assert [e["type"] for e in events] == ["roster.credential_reissued"]
    assert old_token not in str(events)
    assert not socketio.test_client(
        app, auth={"token": old_token}, flask_test_client=client
    ).is_connected()
    again = socketio.test_client(
        app, auth={"token": new.get_json()["token"]}, flask_test_client=client
    )
    assert again.is_connected()
