"""Fair limits (docs/limits.md): nothing one person, address or connection sends can use up
the meeting for everyone else, and a venue's whole hall behind one address still gets in."""

from __future__ import annotations

import pytest
import requests
import time_machine

from convene.app import create_app
from convene.config import load_config
from convene.domain import demands as rules
from convene.domain.errors import Conflict, InvalidInput
from convene.extensions import socketio
from convene.i18n import gettext_in
from convene.services import convenings, demands
from convene.services.commands import cost_of
from tests.support import REDIS_URL, ServerProcess, need, redis_available

BODY = (
    "Que cada sección abra una oficina de derechos de inquilinos dos tardes por semana, "
    "con asesoría gratuita en español y en inglés. "
) * 10


def _app(tmp_path, database_url, **settings):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            "ASYNC_MODE": "threading",
            "RATELIMIT_ENABLED": True,
            **settings,
        }
    )
    return app


@pytest.fixture
def limited(tmp_path, _sqlite_template):
    """An app (SQLite) with the limits of config/default.py, except where a test sets its own."""
    apps = []

    def make(**settings):
        folder = tmp_path / str(len(apps))
        folder.mkdir()
        app = _app(folder, _sqlite_template.fresh(folder), **settings)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["convene"].ticker.stop()
        app.extensions["convene.engine"].dispose()


def _convening(client, address="192.0.2.1"):
    created = client.post(
        "/api/convenings",
        json={"title": "Asamblea regional de inquilinos"},
        environ_base={"REMOTE_ADDR": address},
    )
    assert created.status_code == 201
    return created.get_json()


def _join(client, code, name, address):
    return client.post(
        f"/api/convenings/{code}/participants",
        json={"name": name},
        environ_base={"REMOTE_ADDR": address},
    )


def _command(socket_client, name, **args):
    return socket_client.emit("command", {"name": name, "args": args}, callback=True)


# -- one Socket.IO connection floods ------------------------------------------------------------


def test_a_flooding_connection_is_refused_then_dropped_while_another_is_answered(limited):
    app = limited(RATELIMIT_SOCKET="10/second;100/minute", RATELIMIT_SOCKET_REFUSED="20/minute")
    client = app.test_client()
    created = _convening(client)
    code = created["code"]
    tokens = [
        _join(client, code, name, "192.0.2.7").get_json()["token"] for name in ("Zoë", "Iñaki")
    ]
    flooder = socketio.test_client(app, auth={"token": tokens[0]}, flask_test_client=client)
    other = socketio.test_client(app, auth={"token": tokens[1]}, flask_test_client=client)

    replies = []
    with time_machine.travel(1_800_000_000.0, tick=False):
        while flooder.is_connected() and len(replies) < 500:
            replies.append(_command(flooder, "demands.list"))
            # Every few of the flooder's messages, the other phone asks as a phone does.
            if len(replies) % 10 == 0:
                reply = _command(other, "demands.get", demand_id=1)
                assert reply["error"]["code"] == "not_found"  # answered, not throttled

    answered = [r for r in replies if r and r["ok"]]
    refused = [r for r in replies if r and not r["ok"]]
    # demands.list counts as five messages: two fit in a second of ten.
    assert len(answered) == 2
    assert refused
    assert all(r["error"]["code"] == "too_many_requests" for r in refused)
    assert all(isinstance(r["error"]["retry_after"], int) for r in refused)
    assert all(r["error"]["retry_after"] >= 1 for r in refused)
    assert not flooder.is_connected()  # it kept flooding after being refused
    assert len(replies) < 500
    assert other.is_connected()
    assert _command(other, "demands.list")["ok"]


def test_each_connection_has_its_own_budget(limited):
    app = limited(RATELIMIT_SOCKET="3/second;100/minute")
    client = app.test_client()
    code = _convening(client)["code"]
    token = _join(client, code, "Ana", "192.0.2.7").get_json()["token"]
    first = socketio.test_client(app, auth={"token": token}, flask_test_client=client)
    second = socketio.test_client(app, auth={"token": token}, flask_test_client=client)
    with time_machine.travel(1_800_000_000.0, tick=False):
        codes = [_command(first, "demands.get", demand_id=1)["error"]["code"] for _ in range(5)]
        assert codes[:3] == ["not_found"] * 3
        assert set(codes[3:]) == {"too_many_requests"}
        assert _command(second, "demands.get", demand_id=1)["error"]["code"] == "not_found"


def test_http_commands_are_limited_per_token(limited):
    app = limited(RATELIMIT_COMMANDS="5/second;100/minute")
    client = app.test_client()
    created = _convening(client)
    code = created["code"]
    headers = {"Authorization": f"Bearer {created['facilitator_token']}"}
    with time_machine.travel(1_800_000_000.0, tick=False):
        url = f"/api/convenings/{code}/demands?limit=20"  # a page of 20 counts as one
        statuses = [client.get(url, headers=headers) for _ in range(8)]
        assert [r.status_code for r in statuses[:5]] == [200] * 5
        refused = statuses[5]
        assert refused.status_code == 429
        assert refused.get_json()["error"]["code"] == "too_many_requests"
        assert int(refused.headers["Retry-After"]) >= 1
        # Another token is not affected.
        other = {"Authorization": f"Bearer {created['projector_token']}"}
        assert client.get(url, headers=other).status_code == 200


def test_a_page_of_demands_costs_what_it_asks_for(limited):
    """demands.list counts one message per 20 demands asked for (its limit, or fewer ids):
    the 20 texts a phone reads at a time cost what a ballot does, a page of 100 five."""
    app = limited(RATELIMIT_SOCKET="10/second;100/minute", RATELIMIT_COMMANDS="10/second")
    client = app.test_client()
    created = _convening(client)
    code = created["code"]
    token = _join(client, code, "Zoë", "192.0.2.7").get_json()["token"]

    def answered(args, tries=12):
        socket = socketio.test_client(app, auth={"token": token}, flask_test_client=client)
        with time_machine.travel(1_800_000_000.0, tick=False):
            replies = [_command(socket, "demands.list", **args) for _ in range(tries)]
        socket.disconnect()
        throttled = [
            r for r in replies if not r["ok"] and r["error"]["code"] == "too_many_requests"
        ]
        return len(replies) - len(throttled)

    assert answered({"ids": list(range(1, 21))}) == 10
    assert answered({"ids": [1], "limit": 100}) == 10
    assert answered({"limit": 40}) == 5
    assert answered({}) == 2  # a whole page of 100
    assert answered({"limit": "not a number"}) == 2  # refused (422), at the full price
    headers = {"Authorization": f"Bearer {created['facilitator_token']}"}
    with time_machine.travel(1_800_000_100.0, tick=False):
        statuses = [
            client.get(f"/api/convenings/{code}/demands?limit=100", headers=headers).status_code
            for _ in range(4)
        ]
    assert statuses == [200, 200, 429, 429]


def test_costs_are_a_small_number_whatever_the_arguments():
    for args in (None, [], "x", {"limit": True}, {"limit": 10**9}, {"ids": "1" * 10**5}):
        assert 1 <= cost_of("demands.list", args) <= 5
    assert cost_of("demands.list", {"limit": -3}) == 1
    assert cost_of("demands.list", {"ids": []}) == 1
    assert cost_of("demands.list", {"ids": [1] * 1000}) == 5
    assert cost_of(["demands.list"], {}) == cost_of(None, None) == cost_of("rounds.cast", {}) == 1
    assert cost_of("members.list", {}) == 5


# -- joins from one address ---------------------------------------------------------------------


def test_a_whole_hall_behind_one_address_joins_at_venue_pace(limited):
    """1,500 people behind the venue's NAT within five minutes, most in the first minute.

    Every join counts against the app's own join rule (the one both join routes hit);
    every 25th goes through the HTTP API for real, so the route is seen to admit them."""
    app = limited(SQLITE_SYNCHRONOUS="OFF")  # the default limits
    limits = app.extensions["convene"].limits
    client = app.test_client()
    code = _convening(client)["code"]
    hall = "198.51.100.20"
    # 900 in the first minute (15 a second, as the QR code goes up), then 600 over four.
    gaps = [1 / 15] * 900 + [240 / 600] * 600
    refused = []
    with time_machine.travel(1_800_000_000.0, tick=False) as traveller:
        for number, gap in enumerate(gaps):
            if number % 25 == 0:
                reply = _join(client, code, f"Participante {number} Muñoz", hall)
                if reply.status_code != 201:
                    refused.append((number, reply.status_code))
            elif not limits.allow("join", hall):
                refused.append((number, 429))
            traveller.shift(gap)
    assert refused == []


def test_a_scripted_flood_of_joins_from_one_address_is_limited(limited):
    app = limited(SQLITE_SYNCHRONOUS="OFF")
    client = app.test_client()
    code = _convening(client)["code"]
    settings = load_config()
    per_second = int(settings["RATELIMIT_JOIN"].split(";")[0].split("/")[0])
    with time_machine.travel(1_800_000_000.0, tick=False):
        replies = [_join(client, code, f"Bot {n}", "203.0.113.66") for n in range(per_second + 20)]
        statuses = [r.status_code for r in replies]
        assert statuses.count(201) == per_second
        assert statuses[per_second:] == [429] * 20
        body = replies[-1].get_json()["error"]
        assert body["code"] == "too_many_requests"
        assert body["retry_after"] >= 1
        # Someone at another address still gets in at once.
        assert _join(client, code, "Ana", "192.0.2.44").status_code == 201


def test_creating_convenings_is_limited_per_address(limited):
    app = limited(RATELIMIT_CREATE="3/minute")
    client = app.test_client()
    for _ in range(3):
        _convening(client, "203.0.113.9")
    refused = client.post(
        "/api/convenings", json={"title": "Spam"}, environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    _convening(client, "192.0.2.10")


# -- one participant's writes -------------------------------------------------------------------


def test_one_person_cannot_use_up_the_demands_of_a_convening(services):
    created = convenings.create_convening(services, title="Asamblea")
    facilitator = services.authenticate(created.facilitator_token)
    ana, ben = (
        services.authenticate(convenings.join(services, code=created.code, name=n).token)
        for n in ("Ana Núñez", "Ben")
    )
    mine = [
        demands.propose(services, ana, title=f"Demanda {n}: vivienda digna", body=BODY)
        for n in range(rules.DEMANDS_PER_PERSON)
    ]
    demands.withdraw(services, ana, demand_id=mine[0]["id"])  # withdrawn ones count too
    with pytest.raises(Conflict):
        demands.propose(services, ana, title="Una más", body=BODY)
    assert demands.propose(services, ben, title="La de Ben", body=BODY)["author"]["id"] == (
        ben.member_id
    )
    # A facilitator entering what chapters sent on paper is not capped.
    for n in range(rules.DEMANDS_PER_PERSON + 1):
        demands.propose(services, facilitator, title=f"De la sección {n}", body=BODY)

    target = mine[1]
    demands.open_demand(services, facilitator, demand_id=target["id"])
    for n in range(rules.AMENDMENTS_PER_PERSON):
        demands.amend(services, ben, demand_id=target["id"], body=f"{BODY} Enmienda {n}.")
    with pytest.raises(Conflict):
        demands.amend(services, ben, demand_id=target["id"], body=f"{BODY} Otra.")
    assert demands.amend(services, ana, demand_id=target["id"], body=f"{BODY} De Ana.")


def test_a_participant_proposing_too_fast_is_refused(limited):
    app = limited(RATELIMIT_PROPOSALS="3/minute")
    client = app.test_client()
    code = _convening(client)["code"]
    token = _join(client, code, "Ana", "192.0.2.7").get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/convenings/{code}/demands"
    statuses = [
        client.post(url, json={"title": f"Demanda {n}", "body": BODY}, headers=headers).status_code
        for n in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    assert client.get(url, headers=headers).status_code == 200  # reading is not a proposal


# -- paged reads --------------------------------------------------------------------------------


def test_the_demands_list_comes_in_pages(services):
    created = convenings.create_convening(services, title="Asamblea")
    facilitator = services.authenticate(created.facilitator_token)
    for n in range(rules.PAGE_MAX + 5):
        demands.propose(services, facilitator, title=f"Demanda {n}", body=BODY)
    first = demands.list_demands(services, facilitator)
    assert len(first["demands"]) == rules.PAGE_MAX
    assert (first["total"], first["next_offset"]) == (rules.PAGE_MAX + 5, rules.PAGE_MAX)
    rest = demands.list_demands(services, facilitator, offset=first["next_offset"], limit=50)
    assert [d["title"] for d in rest["demands"]] == [
        f"Demanda {n}" for n in range(rules.PAGE_MAX, rules.PAGE_MAX + 5)
    ]
    assert rest["next_offset"] is None
    for bad in ({"limit": 0}, {"limit": rules.PAGE_MAX + 1}, {"offset": -1}, {"limit": "10"}):
        with pytest.raises(InvalidInput):
            demands.list_demands(services, facilitator, **bad)


# -- limits shared by two processes -------------------------------------------------------------


def test_two_processes_count_joins_from_one_address_together(tmp_path, request, redis_channel):
    need(redis_available(REDIS_URL), f"Redis is not reachable at {REDIS_URL}")
    env = {
        "DATABASE_URL": request.getfixturevalue("_sqlite_template").fresh(tmp_path),
        "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
        # This run's own keys: two test runs on one Redis never share a count.
        "SOCKETIO_CHANNEL": redis_channel,
        "SECRET_KEY": "shared-secret",
        "INSTANCE_PATH": str(tmp_path),
        "ASYNC_MODE": "gevent",
        "RATELIMIT_JOIN": "6/minute",
    }
    servers = [ServerProcess(env, log_dir=tmp_path) for _ in range(2)]
    try:
        for server in servers:
            server.wait_until_ready(timeout=120)  # a loaded CI machine boots slowly
        first, second = servers
        code = requests.post(f"{first.url}/api/convenings", json={"title": "A"}, timeout=10).json()[
            "code"
        ]
        statuses = [
            requests.post(
                f"{server.url}/api/convenings/{code}/participants",
                json={"name": f"P{n}"},
                timeout=10,
            ).status_code
            for n, server in enumerate([first, second] * 4)
        ]
    finally:
        for server in servers:
            server.stop()
    assert statuses == [201] * 6 + [429] * 2


# -- the edges: CSP and cookies -----------------------------------------------------------------


def test_websockets_may_only_go_to_this_server_and_public_url(limited):
    app = limited(PUBLIC_URL="https://asamblea.example.org/convene")
    client = app.test_client()
    policy = client.get("/").headers["Content-Security-Policy"]
    connect = next(p for p in policy.split("; ") if p.startswith("connect-src"))
    assert connect.split()[1:] == [
        "'self'",
        "http://localhost",
        "ws://localhost",
        "https://asamblea.example.org",
        "wss://asamblea.example.org",
    ]
    assert "ws:" not in connect.split()
    assert "wss:" not in connect.split()


def _session_cookie(response) -> str:
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_session_cookies_are_httponly_lax_and_secure_over_https(limited):
    app = limited(TRUSTED_PROXIES=1)
    client = app.test_client()
    plain = _session_cookie(client.get("/"))
    assert "HttpOnly" in plain
    assert "SameSite=Lax" in plain
    assert "Secure" not in plain
    proxied = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    cookie = _session_cookie(proxied)
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "wss://localhost" in proxied.headers["Content-Security-Policy"]


def test_forwarded_headers_count_only_behind_a_trusted_proxy(limited):
    app = limited(RATELIMIT_JOIN="2/minute")  # TRUSTED_PROXIES = 0: headers are ignored
    client = app.test_client()
    code = _convening(client)["code"]
    forged = [
        client.post(
            f"/api/convenings/{code}/participants",
            json={"name": f"P{n}"},
            headers={"X-Forwarded-For": f"10.0.0.{n}", "X-Forwarded-Proto": "https"},
        )
        for n in range(3)
    ]
    assert [r.status_code for r in forged] == [201, 201, 429]
    assert all("Secure" not in c for r in forged for c in r.headers.getlist("Set-Cookie"))


def test_a_demand_holds_a_bounded_number_of_amendments(services, monkeypatch):
    """However many people amend one demand, it holds at most AMENDMENTS_MAX amendments
    (withdrawn and decided ones included; facilitators too): the next is refused (409, in
    the convening's language), so no rewrite of it carries more than that many."""
    monkeypatch.setattr(rules, "AMENDMENTS_MAX", 3)
    created = convenings.create_convening(services, title="Asamblea")
    facilitator = services.authenticate(created.facilitator_token)
    people = [
        services.authenticate(convenings.join(services, code=created.code, name=n).token)
        for n in ("Ana Núñez", "Ben", "Cy", "Dolores")
    ]
    demand = demands.propose(services, people[0], title="Vivienda digna", body=BODY)
    demands.open_demand(services, facilitator, demand_id=demand["id"])
    first = demands.amend(services, people[1], demand_id=demand["id"], body=f"{BODY} Una.")
    demands.amend(services, people[2], demand_id=demand["id"], body=f"{BODY} Dos.")
    demands.withdraw_amendment(services, people[1], amendment_id=first["id"])
    demands.amend(services, facilitator, demand_id=demand["id"], body=f"{BODY} Tres.")
    for who in (people[3], facilitator):
        with pytest.raises(Conflict) as refused:
            demands.amend(services, who, demand_id=demand["id"], body=f"{BODY} Cuatro.")
        assert refused.value.params == {"max": 3}
    assert gettext_in("es", refused.value.message, max=3) == (
        "Una demanda tiene como máximo 3 enmiendas."
    )
    full = demands.get_demand(services, facilitator, demand_id=demand["id"])
    assert len(full["amendments"]) == 3
