"""Every operation of the generated OpenAPI document, called once with a request it accepts:
the request and the reply are both validated against the document (tests/integration/
test_api.py: check), and the tour fails if an operation is documented but never called."""

from __future__ import annotations

import pytest

from tests.integration.test_api import DOC, bearer, check

TITLES = [
    "Congelar los alquileres durante dos años en todo el distrito",
    "A community land trust for the empty lots on Calle Mayor",
    "Free transit for everyone under 25 and over 65, starting next spring",
]


class Tour:
    def __init__(self, client, code: str, staff: str) -> None:
        self.client, self.code, self.staff = client, code, staff
        self.called: set[tuple[str, str]] = set()

    def __call__(self, method: str, path: str, status: int = 200, token=None, **kwargs):
        url = "/api" + path.replace("{code}", self.code).format(**kwargs.pop("ids", {}))
        query = kwargs.pop("query", None)
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        token = self.staff if token is None else token
        headers = bearer(token) if token else {}
        response = getattr(self.client, method)(url, headers=headers, **kwargs)
        template = "/api" + path
        self.called.add((template, method))
        content = DOC["paths"][template][method]["responses"][str(status)].get("content", {})
        if "application/json" in content or not content:
            return check(response, template, method, status)
        assert response.status_code == status, response.get_data(as_text=True)
        if response.mimetype == "application/pdf":
            assert response.data.startswith(b"%PDF")
            return response.data
        return response.get_data(as_text=True)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_operation_once_with_request_and_reply_validated(client):
    created = client.post("/api/convenings", json={"title": "Asamblea regional 2027"})
    created = check(created, "/api/convenings", "post", 201)
    go = Tour(client, created["code"], created["facilitator_token"])
    go.called.add(("/api/convenings", "post"))
    go("get", "/openapi.json", token="")
    go("patch", "/convenings/{code}", json={"place": "Biblioteca", "support_required": 0})
    people = {}
    for name in ("Ana Núñez", "Ben Okafor", "Chiara Rossi"):
        people[name.split()[0]] = go(
            "post", "/convenings/{code}/participants", 201, token="", json={"name": name}
        )
    ana, ben, chi = (people[n]["token"] for n in ("Ana", "Ben", "Chiara"))
    ana_id, ben_id = people["Ana"]["id"], people["Ben"]["id"]
    go("get", "/convenings/{code}")
    go("get", "/convenings/{code}/events", query={"after": 1})
    go("get", "/convenings/{code}/participants")
    go("post", "/convenings/{code}/invitations", 201, json={"role": "observer"})
    teller = go("post", "/convenings/{code}/invitations", 201, json={"role": "teller"})["token"]
    roster = {
        "rows": [
            {"name": "Dana Ortiz", "delegation": "Norte", "external_id": "D-1", "role": "observer"}
        ]
    }
    imported = go("post", "/convenings/{code}/roster", json=roster)
    assert (imported["added"], imported["total"]) == (1, 1)
    listed = go("get", "/convenings/{code}/roster", query={"search": "ortiz"})
    dana_entry = listed["entries"][0]["entry_id"]
    sheet = go("get", "/convenings/{code}/roster/credentials.csv")
    go("get", "/convenings/{code}/roster/badges.pdf", query={"paper": "letter"})
    dana_code = sheet.splitlines()[1].split(",")[3]
    go("post", "/convenings/{code}/badges", 201, token="", json={"badge_code": dana_code})
    go(
        "post",
        "/convenings/{code}/roster/{entry_id}/reissue",
        ids={"entry_id": dana_entry},
    )
    # the credentials desk checks Dana in (by name), finds her, checks her out
    desk = go("post", "/convenings/{code}/invitations", 201, json={"role": "desk"})["token"]
    go("post", "/convenings/{code}/checkins", token=desk, json={"entry_id": dana_entry})
    go("get", "/convenings/{code}/checkins", token=desk, query={"search": "dana"})
    go("delete", "/convenings/{code}/checkins/{entry_id}", token=desk, ids={"entry_id": dana_entry})
    go(
        "patch",
        "/convenings/{code}/participants/{member_id}",
        ids={"member_id": ben_id},
        json={"caucus": "Norte"},
    )
    go(
        "patch",
        "/convenings/{code}/participants/{member_id}/vote",
        ids={"member_id": ben_id},
        json={"vote_weight": 2},
    )

    # Agenda and floor.
    items = [
        go("post", "/convenings/{code}/agenda", 201, json={"title": t, "timebox_minutes": 20})["id"]
        for t in TITLES
    ]
    first = {"item_id": items[0]}
    go(
        "patch",
        "/convenings/{code}/agenda/{item_id}",
        ids=first,
        json={"notes": "Informe del comité"},
    )
    go("post", "/convenings/{code}/agenda/reorder", json={"order": items[::-1]})
    go("delete", "/convenings/{code}/agenda/{item_id}", 204, ids={"item_id": items[2]})
    go("post", "/convenings/{code}/agenda/{item_id}/start", ids=first)
    hand = go("post", "/convenings/{code}/queue", 201, token=ana, json={"kind": "speak"})
    other = go("post", "/convenings/{code}/queue", 201, token=ben, json={})
    third = go("post", "/convenings/{code}/queue", 201, token=chi, json={})
    go("get", "/convenings/{code}/queue")
    order = [third["id"], other["id"], hand["id"]]
    go("post", "/convenings/{code}/queue/reorder", json={"order": order})
    go(
        "delete",
        "/convenings/{code}/queue/{request_id}",
        204,
        token=chi,
        ids={"request_id": third["id"]},
    )
    go("post", "/convenings/{code}/queue/next")
    go("post", "/convenings/{code}/queue/close")
    go("post", "/convenings/{code}/queue/open")
    go("post", "/convenings/{code}/signals", token=ben, json={"signal": "agree"})
    go("get", "/convenings/{code}/speaking-stats")
    assert hand["member_id"] == ana_id
    go("put", "/convenings/{code}/projector", json={"show": "agenda"})

    # Demands and amendments.
    d = [
        go(
            "post",
            "/convenings/{code}/demands",
            201,
            token=ana,
            json={"title": t, "body": f"{t}. " * 20, "agenda_item_id": items[0]},
        )["id"]
        for t in TITLES
    ]
    one, two, three = ({"demand_id": x} for x in d)
    go(
        "patch",
        "/convenings/{code}/demands/{demand_id}",
        token=ana,
        ids=one,
        json={"body": "Dos años."},
    )
    go("post", "/convenings/{code}/demands/{demand_id}/open", ids=one)
    go("post", "/convenings/{code}/demands/{demand_id}/open", ids=two)
    go("get", "/convenings/{code}/demands", query={"sort": "agreement"})
    go("get", "/convenings/{code}/demands/{demand_id}", ids=one)
    go("get", "/convenings/{code}/demands/{demand_id}/versions", ids=one)
    go("get", "/convenings/{code}/demands/{demand_id}/compare", ids=one, query={"from": 1, "to": 2})
    go("post", "/convenings/{code}/demands/reorder", json={"order": d[::-1]})
    go("post", "/convenings/{code}/demands/{demand_id}/support", token=ben, ids=one)
    supporters = "/convenings/{code}/demands/{demand_id}/supporters"
    page = go("get", supporters, token=chi, ids=one, query={"offset": 0, "limit": 5})
    assert (page["total"], page["supporters"][0]["name"]) == (1, "Ben Okafor")
    go("delete", "/convenings/{code}/demands/{demand_id}/support", token=ben, ids=one)
    go(
        "put",
        "/convenings/{code}/demands/{demand_id}/agreement",
        token=ben,
        ids=one,
        json={"stance": "agree"},
    )
    go("post", "/convenings/{code}/demands/{demand_id}/hide", ids=two, json={"reason": "Duplicado"})
    go("post", "/convenings/{code}/demands/{demand_id}/unhide", ids=two)
    go("post", "/convenings/{code}/demands/{demand_id}/merge", ids=two, json={"into": d[0]})
    go("delete", "/convenings/{code}/demands/{demand_id}", token=ana, ids=three)
    amend = "/convenings/{code}/demands/{demand_id}/amendments"
    friendly = go("post", amend, 201, token=ben, ids=one, json={"body": "Tres años."})
    go(
        "post",
        "/convenings/{code}/amendments/{amendment_id}/accept",
        token=ana,
        ids={"amendment_id": friendly["id"]},
    )
    decided = go("post", amend, 201, token=ben, ids=one, json={"body": "Cuatro años."})
    go(
        "post",
        "/convenings/{code}/amendments/{amendment_id}/decide",
        ids={"amendment_id": decided["id"]},
        json={"outcome": "rejected"},
    )
    withdrawn = go("post", amend, 201, token=chi, ids=one, json={"body": "Cinco años."})
    go(
        "delete",
        "/convenings/{code}/amendments/{amendment_id}",
        token=chi,
        ids={"amendment_id": withdrawn["id"]},
    )

    # Rounds: a ranked one through to its exports, a blocked consent round and its follow-up.
    ranked = go(
        "post",
        "/convenings/{code}/rounds",
        201,
        json={
            "title": "¿Qué campaña primero?",
            "method": "irv",
            "options": [{"label": t} for t in TITLES[1:]] + [{"demand_id": d[0]}],
        },
    )
    r = {"round_id": ranked["id"]}
    options = [o["id"] for o in ranked["options"]]
    go("post", "/convenings/{code}/rounds/{round_id}/open", ids=r)
    for token in (ana, ben):
        go(
            "post",
            "/convenings/{code}/rounds/{round_id}/ballots",
            token=token,
            ids=r,
            json={"ranking": options[:3]},
        )
    # Chiara votes on paper: a teller finds her and enters her ballot
    roll = "/convenings/{code}/rounds/{round_id}/paper-roll"
    [chiara] = go("get", roll, token=teller, ids=r, query={"search": "chia"})["people"]
    go(
        "post",
        "/convenings/{code}/rounds/{round_id}/paper-ballots",
        201,
        token=teller,
        ids=r,
        json={"member_id": chiara["id"], "ranking": options[:3]},
    )
    go("get", "/convenings/{code}/rounds/{round_id}", ids=r)
    go("post", "/convenings/{code}/rounds/{round_id}/close", ids=r)
    go("get", "/convenings/{code}/rounds/{round_id}/ballots", ids=r)
    for export in ("ballots.csv", "ballots.blt", "cvr.json", "summary.json"):
        go("get", "/convenings/{code}/rounds/{round_id}/" + export, ids=r)
    # a tie, with the tie-break "room": the count pauses for a lot drawn in the room
    tied = go(
        "post",
        "/convenings/{code}/rounds",
        201,
        json={
            "title": "¿Quién coordina?",
            "method": "irv",
            "options": [{"label": t} for t in TITLES],
            "tie_break": "room",
        },
    )
    rt = {"round_id": tied["id"]}
    tied_options = [o["id"] for o in tied["options"]]
    go("post", "/convenings/{code}/rounds/{round_id}/open", ids=rt)
    for token, top in zip((ana, ben, chi), tied_options, strict=True):
        go(
            "post",
            "/convenings/{code}/rounds/{round_id}/ballots",
            token=token,
            ids=rt,
            json={"ranking": [top]},
        )
    assert go("post", "/convenings/{code}/rounds/{round_id}/close", ids=rt)["state"] == "paused"
    # (Ben votes with weight 2: the first and the last option are tied to be eliminated)
    lot = "/convenings/{code}/rounds/{round_id}/lot"
    assert go("post", lot, ids=rt, json={"option_id": tied_options[2]})["state"] == "closed"
    consent = go(
        "post",
        "/convenings/{code}/rounds",
        201,
        json={
            "title": "Ocupar el vestíbulo",
            "method": "consent",
            "options": [{"label": "Sí"}],
            "secret": False,
        },
    )
    c = {"round_id": consent["id"]}
    go("post", "/convenings/{code}/rounds/{round_id}/open", ids=c)
    waiting = go("get", "/convenings/{code}/rounds/{round_id}/not-voted", ids=c, query={"limit": 2})
    assert (waiting["total"], len(waiting["not_voted"])) == (3, 2)
    go(
        "post",
        "/convenings/{code}/rounds/{round_id}/ballots",
        token=ana,
        ids=c,
        json={"choice": "block"},
    )
    go("post", "/convenings/{code}/rounds/{round_id}/close", ids=c)
    go("post", "/convenings/{code}/rounds/{round_id}/follow-up", ids=c, json={"path": "retry"})

    # Minutes and action items; the agenda item ends; a participant is removed.
    go(
        "post",
        "/convenings/{code}/minutes/notes",
        json={"agenda_item_id": items[0], "text": "Acuerdo."},
    )
    go(
        "post",
        "/convenings/{code}/actions",
        201,
        json={"what": "Carta al ayuntamiento", "who": "Ana"},
    )
    go("get", "/convenings/{code}/actions")
    go("post", "/convenings/{code}/agenda/{item_id}/end", ids=first)
    go("get", "/convenings/{code}/minutes", query={"live": 1})
    go("post", "/convenings/{code}/minutes/finalize")
    go(
        "delete",
        "/convenings/{code}/participants/{member_id}",
        204,
        ids={"member_id": people["Chiara"]["id"]},
    )

    # A series (issue 18): this convening feeds a regional one and forwards an adopted demand.
    region = check(
        client.post("/api/convenings", json={"title": "Región"}), "/api/convenings", "post", 201
    )
    up = Tour(client, region["code"], region["facilitator_token"])
    invitation = up("post", "/convenings/{code}/feeders/invitations", 201, json={"label": "Norte"})
    link = {"code": region["code"], "invitation": invitation["invitation"]}
    go("put", "/convenings/{code}/upstream", json=link)
    go("get", "/convenings/{code}/upstream")
    up("get", "/convenings/{code}/feeders")
    adopted = go(
        "post",
        "/convenings/{code}/demands",
        201,
        token=ana,
        json={"title": "Bus", "body": "Más buses."},
    )
    a = {"demand_id": adopted["id"]}
    go("post", "/convenings/{code}/demands/{demand_id}/open", ids=a)
    vote = go(
        "post",
        "/convenings/{code}/rounds",
        201,
        json={
            "title": "¿Más buses?",
            "method": "yes_no",
            "options": [{"demand_id": adopted["id"]}],
        },
    )
    go("post", "/convenings/{code}/rounds/{round_id}/open", ids={"round_id": vote["id"]})
    client.post(
        f"/api/convenings/{created['code']}/rounds/{vote['id']}/ballots",
        json={"choice": "yes"},
        headers=bearer(ana),
    )
    go("post", "/convenings/{code}/rounds/{round_id}/close", ids={"round_id": vote["id"]})
    sent = go(
        "post",
        "/convenings/{code}/demands/{demand_id}/forward",
        ids=a,
        json={"mandate": "advisory"},
    )
    assert sent["forwarded"] is True
    up(
        "delete",
        "/convenings/{code}/feeders/{feeder_code}",
        204,
        ids={"feeder_code": created["code"]},
    )
    go("put", "/convenings/{code}/upstream", json=link)
    go("delete", "/convenings/{code}/upstream", 204)
    up(
        "delete",
        "/convenings/{code}/feeders/invitations/{invitation_id}",
        ids={"invitation_id": invitation["id"]},
    )
    go.called |= up.called

    documented = {(path, method) for path, ops in DOC["paths"].items() for method in ops}
    assert documented - go.called == set()
