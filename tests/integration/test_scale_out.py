"""Two production server processes (gunicorn + gevent) sharing PostgreSQL and Redis serve
one convening: a command sent to one reaches the screens connected to the other."""

from __future__ import annotations

import threading

import pytest
import requests
import socketio

from tests.support import (
    REDIS_URL,
    Nginx,
    ServerProcess,
    need,
    nginx_available,
    redis_available,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


class Via:
    """One of the two processes, as a client reaches it: directly, or through nginx with
    a sticky-session cookie that nginx's hash sends to that process."""

    def __init__(self, url: str, server: ServerProcess, cookie: str | None = None) -> None:
        self.url = url
        self.server = server
        self.headers = {"Cookie": f"convene_client={cookie}"} if cookie else {}

    def kill(self) -> None:
        self.server.kill()


def _cookie_for(proxy: Nginx, server: ServerProcess) -> str:
    """A sticky-session cookie that nginx sends to ``server``: the request id nginx gave a
    probe comes back in the app's X-Request-ID and in that server's access log line."""
    for n in range(200):
        cookie = f"probe-{n}"
        reply = requests.get(
            f"{proxy.url}/healthz", headers={"Cookie": f"convene_client={cookie}"}, timeout=10
        )
        assert reply.headers["Set-Cookie"].startswith(f"convene_client={cookie};"), "kept"
        request_id = reply.headers["X-Request-ID"]
        if f"id={request_id}" in server.log_path.read_text():
            return cookie
    raise AssertionError("no cookie reached that server")


@pytest.fixture(params=["direct", pytest.param("nginx", marks=pytest.mark.nginx)])
def two_servers(request, _postgres, tmp_path, redis_channel):
    url = _postgres.start()
    need(url is not None, _postgres.error or "PostgreSQL is not available")
    need(redis_available(REDIS_URL), f"Redis is not reachable at {REDIS_URL}")
    if request.param == "nginx":
        need(nginx_available(), "nginx is not installed (Debian: apt-get install nginx)")
    _postgres.empty()
    channel = redis_channel
    env = {
        "DATABASE_URL": url,
        "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
        "SOCKETIO_CHANNEL": channel,
        "SECRET_KEY": "shared-secret",
        "INSTANCE_PATH": str(tmp_path),
        "ASYNC_MODE": "gevent",
    }
    servers = [ServerProcess(env, log_dir=tmp_path) for _ in range(2)]
    proxy = None
    try:
        for server in servers:
            server.wait_until_ready()
        if request.param == "direct":
            yield [Via(server.url, server) for server in servers]
        else:
            proxy = Nginx(servers, tmp_path)
            proxy.wait_until_ready()
            yield [Via(proxy.url, server, _cookie_for(proxy, server)) for server in servers]
            assert "/t/" not in proxy.access_log.read_text().replace("/t/[redacted]", "")
    finally:
        if proxy is not None:
            proxy.stop()
        for server in servers:
            server.stop()


class Screen:
    """A python-socketio client that records what it receives."""

    def __init__(self, via: Via, token: str) -> None:
        self.events: list[dict] = []
        self.presence: list[dict] = []
        self.snapshot: dict | None = None
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("snapshot", self._on("snapshot"))
        self.client.on("event", self._on("event"))
        self.client.on("presence", self._on("presence"))
        self.live: list[tuple[str, dict]] = []
        for name in ("round.tally", "round.turnout"):
            self.client.on(name, self._on_live(name))
        self.client.connect(
            via.url,
            auth={"token": token},
            headers=via.headers,
            transports=["websocket"],
            wait_timeout=10,
        )

    def _on(self, kind: str):
        def handler(data):
            with self.changed:
                if kind == "snapshot":
                    self.snapshot = data
                elif kind == "event":
                    self.events.append(data)
                else:
                    self.presence.append(data)
                self.changed.notify_all()

        return handler

    def _on_live(self, name: str):
        def handler(data):
            with self.changed:
                self.live.append((name, data))
                self.changed.notify_all()

        return handler

    def wait_for(self, predicate, timeout: float = 10):
        with self.changed:
            assert self.changed.wait_for(predicate, timeout), "timed out waiting for the screen"

    def close(self) -> None:
        self.client.disconnect()


def test_a_command_on_one_process_reaches_a_screen_on_the_other(two_servers):
    first, second = two_servers
    created = requests.post(
        f"{first.url}/api/convenings", json={"title": "Regional"}, timeout=10
    ).json()
    code = created["code"]
    joined = requests.post(
        f"{second.url}/api/convenings/{code}/participants", json={"name": "Ana"}, timeout=10
    ).json()
    staff = Screen(first, created["facilitator_token"])
    phone = Screen(second, joined["token"])
    try:
        phone.wait_for(lambda: phone.snapshot is not None)
        # Presence is shared: the facilitator on the first process sees the phone on the second.
        staff.wait_for(
            lambda: any(
                p.get("participants_connected") == 1 and joined["id"] in p["connected"]
                for p in staff.presence
            )
        )
        headers = {"Authorization": f"Bearer {created['facilitator_token']}"}
        item = requests.post(
            f"{first.url}/api/convenings/{code}/agenda",
            json={"title": "Housing", "timebox_minutes": 15},
            headers=headers,
            timeout=10,
        ).json()
        requests.post(
            f"{first.url}/api/convenings/{code}/agenda/{item['id']}/start",
            headers=headers,
            timeout=10,
        )
        phone.wait_for(lambda: any(e["type"] == "agenda.item_started" for e in phone.events))
        seqs = [e["seq"] for e in phone.events]
        start = phone.snapshot["seq"]
        assert seqs == list(range(start + 1, start + 1 + len(seqs)))
        started = next(e for e in phone.events if e["type"] == "agenda.item_started")
        assert started["data"]["title"] == "Housing"
    finally:
        staff.close()
        phone.close()


def test_a_ballot_cast_on_one_process_reaches_the_projector_on_the_other(two_servers):
    first, second = two_servers
    created = requests.post(
        f"{first.url}/api/convenings", json={"title": "Regional"}, timeout=10
    ).json()
    code = created["code"]
    staff = {"Authorization": f"Bearer {created['facilitator_token']}"}
    round_ = requests.post(
        f"{first.url}/api/convenings/{code}/rounds",
        json={
            "title": "Campaign",
            "method": "irv",
            "options": [{"label": "Rent"}, {"label": "Transit"}],
            "live_results": True,
            "secret": False,  # a secret round's live count moves 5 ballots at a time
        },
        headers=staff,
        timeout=10,
    ).json()
    requests.post(
        f"{first.url}/api/convenings/{code}/rounds/{round_['id']}/open", headers=staff, timeout=10
    )
    projector = Screen(first, created["projector_token"])
    tokens = [
        requests.post(
            f"{second.url}/api/convenings/{code}/participants", json={"name": f"P{n}"}, timeout=10
        ).json()["token"]
        for n in range(3)
    ]
    phones = [Screen(second, token) for token in tokens]
    try:
        rent = round_["options"][0]["id"]
        for phone in phones:
            reply = phone.client.call(
                "command",
                {"name": "rounds.cast", "args": {"round_id": round_["id"], "ranking": [rent]}},
                timeout=10,
            )
            assert reply["ok"], reply

        def counted_all() -> bool:
            return any(
                name == "round.tally" and data["result"]["total"]["exact"] == "3"
                for name, data in projector.live
            )

        projector.wait_for(counted_all)
        projector.wait_for(
            lambda: any(n == "round.turnout" and d["voted"] == 3 for n, d in projector.live)
        )
        closed = requests.post(
            f"{first.url}/api/convenings/{code}/rounds/{round_['id']}/close",
            headers=staff,
            timeout=10,
        ).json()
        assert closed["result"]["winners"] == [rent]
        published = requests.get(
            f"{first.url}/api/convenings/{code}/rounds/{round_['id']}/ballots",
            headers=staff,
            timeout=10,
        ).json()
        assert len(published["ballots"]) == 3, "no ballot lost between processes"
    finally:
        projector.close()
        for phone in phones:
            phone.close()


def test_the_phones_of_a_process_that_died_stop_counting_as_present(two_servers):
    """One of two processes is killed: its phones leave the facilitator's count and the
    quorum's 'present' within seconds (RedisPresence.ALIVE_SECONDS + CACHE_SECONDS: 7 s,
    bench/presence_failover.py measures it), not after 45 s as before."""
    first, second = two_servers
    created = requests.post(
        f"{first.url}/api/convenings", json={"title": "Regional"}, timeout=10
    ).json()
    code = created["code"]
    staff = {"Authorization": f"Bearer {created['facilitator_token']}"}

    def join(server, n):
        return requests.post(
            f"{server.url}/api/convenings/{code}/participants", json={"name": f"P{n}"}, timeout=10
        ).json()["token"]

    console = Screen(first, created["facilitator_token"])
    phones = [Screen(first, join(first, n)) for n in range(2)]
    phones += [Screen(second, join(second, n)) for n in range(2, 5)]
    try:
        console.wait_for(lambda: any(p["participants_connected"] == 5 for p in console.presence))
        second.kill()
        console.presence.clear()
        console.wait_for(
            lambda: any(p["participants_connected"] == 2 for p in console.presence), timeout=20
        )
        round_ = requests.post(
            f"{first.url}/api/convenings/{code}/rounds",
            json={"title": "Quorum", "method": "irv", "options": [{"label": "A"}, {"label": "B"}]},
            headers=staff,
            timeout=10,
        ).json()
        opened = requests.post(
            f"{first.url}/api/convenings/{code}/rounds/{round_['id']}/open",
            headers=staff,
            timeout=10,
        )
        assert opened.status_code == 200, opened.text
        shown = requests.get(
            f"{first.url}/api/convenings/{code}/rounds/{round_['id']}", headers=staff, timeout=10
        ).json()
        assert shown["present_at_open"] == 2, "the dead process's phones are not in the quorum"
    finally:
        console.close()
        for phone in phones[:2]:
            phone.close()
