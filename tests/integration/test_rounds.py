"""Decision rounds through the services and the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from convene.bootstrap import build_services
from convene.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooLarge,
    TooMany,
)
from convene.domain.floor import SignalLimiter
from convene.services import convenings, demands, rounds
from convene.services.commands import run_command
from convene.store import tables
from convene.store.database import make_session_factory
from tests.integration.test_api import check
from tests.integration.test_services import assert_refused
from tests.support import TEST_SECRET, RecordingPublisher


@pytest.fixture
def room(services):
    created = convenings.create_convening(services, title="Assembly")
    facilitator = services.authenticate(created.facilitator_token)
    people, tokens = {}, {}
    for name in ("Ana", "Ben", "Cy", "Dee"):
        admission = convenings.join(services, code=created.code, name=name)
        people[name] = services.authenticate(admission.token)
        tokens[name] = admission.token
    return {"created": created, "facilitator": facilitator, "tokens": tokens, **people}


def new_round(services, room, method="irv", labels=("Rent", "Wages", "Transit"), **settings):
    created = rounds.create_round(
        services,
        room["facilitator"],
        title="What first?",
        method=method,
        options=[{"label": label} for label in labels],
        **settings,
    )
    ids = [o["id"] for o in created["options"]]
    return created["id"], ids


def test_an_irv_round_from_draft_to_decision(services, publisher, room):
    round_id, (rent, wages, transit) = new_round(services, room)
    with pytest.raises(Conflict):
        rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent])
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    receipts = [
        rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent, wages])[
            "receipt"
        ],
        rounds.cast_ballot(services, room["Ben"], round_id=round_id, ranking=[wages])["receipt"],
        rounds.cast_ballot(services, room["Cy"], round_id=round_id, ranking=[transit, wages])[
            "receipt"
        ],
        # Wages leads; whichever of the others the lot excludes first, its ballot moves on to
        # Wages, which then has a majority.
        rounds.cast_ballot(services, room["Dee"], round_id=round_id, ranking=[wages])["receipt"],
    ]
    assert len(set(receipts)) == 4
    closed = rounds.close_round(services, room["facilitator"], round_id=round_id)
    assert closed["state"] == "closed"
    assert closed["result"]["winners"] == [wages]
    assert closed["result"]["labels"][str(wages)] == "Wages"
    event = publisher.events[-1]
    assert event.type == "round.closed"
    assert event.data["decision"] == "Chosen: Wages."
    with pytest.raises(Conflict):
        rounds.cast_ballot(services, room["Dee"], round_id=round_id, ranking=[rent])
    with pytest.raises(Conflict):
        rounds.close_round(services, room["facilitator"], round_id=round_id)
    published = rounds.published_ballots(services, room["Ana"], round_id=round_id)
    assert sorted(b["receipt"] for b in published["ballots"]) == sorted(receipts)
    assert [b["receipt"] for b in published["ballots"]] == sorted(receipts)
    assert sorted(json.dumps(b["ballot"]) for b in published["ballots"]) == sorted(
        json.dumps(ballot)
        for ballot in (
            {"ranking": [rent, wages]},
            {"ranking": [wages]},
            {"ranking": [transit, wages]},
            {"ranking": [wages]},
        )
    )


def test_the_last_ballot_counts(services, room):
    round_id, (rent, wages, _) = new_round(services, room, secret=False)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent])
    rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[wages])
    closed = rounds.close_round(services, room["facilitator"], round_id=round_id)
    assert closed["result"]["winners"] == [wages]
    [ballot] = rounds.published_ballots(services, room["Ben"], round_id=round_id)["ballots"]
    assert ballot["name"] == "Ana"
    assert ballot["ballot"] == {"ranking": [wages]}


def test_a_secret_ballot_changes_only_with_its_receipt(services, engine, publisher, room):
    round_id, (rent, wages, _) = new_round(services, room)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    first = rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent])["receipt"]
    other = rounds.cast_ballot(services, room["Ben"], round_id=round_id, ranking=[rent])["receipt"]
    assert_refused(
        services,
        engine,
        publisher,
        lambda: rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[wages]),
        Conflict,
    )
    assert_refused(
        services,
        engine,
        publisher,
        lambda: rounds.cast_ballot(
            services, room["Ana"], round_id=round_id, ranking=[wages], replaces="NOPE"
        ),
        Conflict,
    )
    second = rounds.cast_ballot(
        services, room["Ana"], round_id=round_id, ranking=[wages], replaces=first
    )
    assert second["receipt"] not in (first, other)
    closed = rounds.close_round(services, room["facilitator"], round_id=round_id)
    assert closed["result"]["total"]["exact"] == "2"
    receipts = {
        b["receipt"]
        for b in rounds.published_ballots(services, room["Cy"], round_id=round_id)["ballots"]
    }
    assert receipts == {second["receipt"], other}


@pytest.mark.parametrize("secret", [True, False])
def test_a_ballot_sent_again_after_its_acknowledgement_was_lost_counts_once(
    services, engine, publisher, room, secret
):
    round_id, (rent, wages, _) = new_round(services, room, secret=secret)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    sent = rounds.cast_ballot(
        services, room["Ana"], round_id=round_id, ranking=[rent, wages], receipt="ACDEFGHJK3"
    )
    assert sent["receipt"] == "ACDEFGHJK3"
    # the phone never got that reply; it sends the same ballot with the same receipt
    again = rounds.cast_ballot(
        services, room["Ana"], round_id=round_id, ranking=[rent, wages], receipt="ACDEFGHJK3"
    )
    assert again == sent
    assert stored(engine, round_id) == (1, 1)
    changed = lambda: rounds.cast_ballot(  # noqa: E731
        services, room["Ana"], round_id=round_id, ranking=[wages], receipt="ACDEFGHJK3"
    )
    if secret:  # another ballot under that receipt is a new ballot: it needs `replaces`
        assert_refused(services, engine, publisher, changed, Conflict)
    # somebody else sending that receipt (with or without that ballot) changes nothing
    for ranking in ([rent, wages], [wages]):
        assert_refused(
            services,
            engine,
            publisher,
            lambda ranking=ranking: rounds.cast_ballot(
                services, room["Ben"], round_id=round_id, ranking=ranking, receipt="ACDEFGHJK3"
            ),
            Conflict,
        )
    for bad in ("ACDEFGHJK", "acdefghjk3", "ACDEFGHJKB", 12345, ["ACDEFGHJK3"]):
        assert_refused(
            services,
            engine,
            publisher,
            lambda bad=bad: rounds.cast_ballot(
                services, room["Cy"], round_id=round_id, ranking=[rent], receipt=bad
            ),
            InvalidInput,
        )
    closed = rounds.close_round(services, room["facilitator"], round_id=round_id)
    assert closed["result"]["total"]["exact"] == "1"


def test_no_ballot_can_be_linked_to_a_participant(services, engine, database_url, room):
    round_id, (rent, wages, transit) = new_round(services, room)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    for name, ranking in (("Ana", [rent]), ("Ben", [wages]), ("Cy", [transit])):
        rounds.cast_ballot(services, room[name], round_id=round_id, ranking=ranking)
    rounds.close_round(services, room["facilitator"], round_id=round_id)
    with engine.connect() as connection:
        ballot_rows = connection.execute(select(tables.ballots)).mappings().all()
        voter_rows = connection.execute(select(tables.round_voters)).mappings().all()
        logged = connection.execute(select(tables.events.c.type, tables.events.c.data)).all()
        if database_url.startswith("sqlite"):
            ddl = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'ballots'")
            ).scalar_one()
            assert "WITHOUT ROWID" in ddl.upper()
    assert {r["member_id"] for r in ballot_rows} == {None}
    assert set(ballot_rows[0]) == {"round_id", "receipt", "content", "weight", "member_id"}
    # the voter's mark: who, with which weight, on paper or not, in which roster seat
    assert set(voter_rows[0]) == {"round_id", "member_id", "weight", "paper", "seat_id"}
    member_ids = {room[n].member_id for n in ("Ana", "Ben", "Cy")}
    assert {r["member_id"] for r in voter_rows} == member_ids
    receipts = {r["receipt"] for r in ballot_rows}
    for event_type, data in logged:
        assert not receipts & set(json.dumps(data).split('"')), f"{event_type} names a receipt"
    assert not any(t.startswith("ballot") for t, _ in logged)


def test_ballot_refusals_change_nothing(services, engine, publisher, room):
    # Refused ballots count against the flood limit too; this test is about validation.
    services.ballot_limiter = SignalLimiter(rate=1000, burst=1000)
    round_id, (rent, wages, transit) = new_round(services, room)
    projector = services.authenticate(room["created"].projector_token)
    closed_id, _ = new_round(services, room, labels=("A", "B"))
    rounds.open_round(services, room["facilitator"], round_id=closed_id)
    rounds.close_round(services, room["facilitator"], round_id=closed_id)
    assert_refused(
        services,
        engine,
        publisher,
        lambda: rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent]),
        Conflict,
    )
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    cases = [
        (
            lambda: rounds.cast_ballot(services, room["Ana"], round_id=closed_id, ranking=[rent]),
            Conflict,
        ),
        (lambda: rounds.cast_ballot(services, room["Ana"], round_id=999, ranking=[rent]), NotFound),
        (
            lambda: rounds.cast_ballot(
                services, room["Ana"], round_id=round_id, ranking=[rent, rent]
            ),
            InvalidInput,
        ),
        (
            lambda: rounds.cast_ballot(
                services, room["Ana"], round_id=round_id, ranking=[rent, 9999]
            ),
            InvalidInput,
        ),
        (
            lambda: rounds.cast_ballot(
                services, room["Ana"], round_id=round_id, ranking=[rent, wages, transit, 1]
            ),
            InvalidInput,
        ),
        (
            lambda: rounds.cast_ballot(services, room["Ana"], round_id=round_id, approve=[rent]),
            InvalidInput,
        ),
        (
            lambda: rounds.cast_ballot(services, room["Ana"], round_id=round_id, choice="yes"),
            InvalidInput,
        ),
        (lambda: rounds.cast_ballot(services, room["Ana"], round_id=round_id), InvalidInput),
        (
            lambda: rounds.cast_ballot(services, projector, round_id=round_id, ranking=[rent]),
            Forbidden,
        ),
        (
            lambda: rounds.cast_ballot(
                services, room["facilitator"], round_id=round_id, ranking=[rent]
            ),
            Forbidden,
        ),
        (lambda: rounds.open_round(services, room["Ana"], round_id=round_id), Forbidden),
        (lambda: rounds.close_round(services, room["Ana"], round_id=round_id), Forbidden),
        (lambda: rounds.open_round(services, room["facilitator"], round_id=round_id), Conflict),
        (lambda: rounds.published_ballots(services, room["Ana"], round_id=round_id), Conflict),
    ]
    for command, error in cases:
        assert_refused(services, engine, publisher, command, error)


def test_a_removed_participant_cannot_vote(services, room):
    round_id, (rent, _, _) = new_round(services, room)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    convenings.remove_member(services, room["facilitator"], member_id=room["Dee"].member_id)
    with pytest.raises(NotAuthenticated):
        run_command(
            services,
            room["tokens"]["Dee"],
            "rounds.cast",
            {"round_id": round_id, "ranking": [rent]},
        )


def stored(engine, round_id) -> tuple[int, int]:
    """(voters, ballots) stored for a round (a secret round's ballots are sealed while it is
    open, then opened)."""
    with engine.connect() as conn:
        voters = conn.execute(
            select(func.count()).where(tables.round_voters.c.round_id == round_id)
        ).scalar_one()
        ballots = sum(
            conn.execute(select(func.count()).where(table.c.round_id == round_id)).scalar_one()
            for table in (tables.ballots, tables.sealed_ballots)
        )
    return voters, ballots


def test_a_participant_removed_after_signing_in_is_refused_by_the_ballot(services, engine, room):
    round_id, (rent, _, _) = new_round(services, room)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    dee = room["Dee"]  # authenticated before the removal, as a command in flight would be
    convenings.remove_member(services, room["facilitator"], member_id=dee.member_id)
    with pytest.raises(NotAuthenticated):
        rounds.cast_ballot(services, dee, round_id=round_id, ranking=[rent])
    assert stored(engine, round_id) == (0, 0)


def test_a_round_closed_by_another_process_takes_no_more_ballots(services, engine, room):
    """Each process keeps the form of an open round; the round's state is still read from
    the database for every ballot, so a close on another process is seen at once."""
    # a second server process, same database and secret
    other = build_services(make_session_factory(engine), ballot_secret=TEST_SECRET)
    round_id, (rent, wages, _) = new_round(services, room)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent])
    assert round_id in services.open_rounds
    rounds.close_round(other, room["facilitator"], round_id=round_id)
    with pytest.raises(Conflict, match="closed"):
        rounds.cast_ballot(services, room["Ben"], round_id=round_id, ranking=[wages])
    assert round_id not in services.open_rounds
    assert stored(engine, round_id) == (1, 1)


def test_a_flood_of_ballots_is_refused_without_breaking_the_round(services, room):
    round_id, (rent, wages, _) = new_round(services, room, secret=False)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    refused = 0
    for _ in range(20):
        try:
            rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent])
        except TooMany:
            refused += 1
    assert refused >= 10
    rounds.cast_ballot(services, room["Ben"], round_id=round_id, ranking=[wages])
    closed = rounds.close_round(services, room["facilitator"], round_id=round_id)
    assert closed["result"]["total"]["exact"] == "2", "one ballot each, however many were sent"


def test_delegates_and_proxies_weigh_their_ballots(services, room):
    facilitator = room["facilitator"]
    convenings.set_vote_weight(
        services, facilitator, member_id=room["Ana"].member_id, vote_weight=12
    )
    convenings.set_vote_weight(
        services, facilitator, member_id=room["Cy"].member_id, carried_by_id=room["Ben"].member_id
    )
    round_id, _ = new_round(
        services, room, method="yes_no", labels=("Adopt the budget",), quorum=14
    )
    rounds.open_round(services, facilitator, round_id=round_id)
    assert rounds.cast_ballot(services, room["Ana"], round_id=round_id, choice="no")["weight"] == 12
    assert rounds.cast_ballot(services, room["Ben"], round_id=round_id, choice="yes")["weight"] == 2
    with pytest.raises(Forbidden):
        rounds.cast_ballot(services, room["Cy"], round_id=round_id, choice="yes")
    view = rounds.get_round(services, facilitator, round_id=round_id)
    assert (view["turnout"]["voted"], view["turnout"]["voted_weight"]) == (2, 14)
    closed = rounds.close_round(services, facilitator, round_id=round_id)
    assert closed["result"]["passed"] is False
    for bad, error in (
        ({"vote_weight": 0}, InvalidInput),
        ({"carried_by_id": room["Cy"].member_id}, Conflict),
        ({"carried_by_id": 999}, NotFound),
    ):
        with pytest.raises(error):
            convenings.set_vote_weight(
                services, facilitator, member_id=room["Dee"].member_id, **bad
            )
    with pytest.raises(Conflict):  # Ben carries Cy: he cannot give his own vote away
        convenings.set_vote_weight(
            services,
            facilitator,
            member_id=room["Ben"].member_id,
            carried_by_id=room["Dee"].member_id,
        )


def test_the_deadline_closes_the_round(services, clock, room):
    deadline = (clock.now + timedelta(minutes=2)).isoformat()
    round_id, (rent, _, _) = new_round(services, room, closes_at=deadline)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent])
    services.ticker.tick(now=0.0)
    assert rounds.get_round(services, room["Ana"], round_id=round_id)["state"] == "open"
    clock.advance(minutes=2)
    services.ticker.tick(now=5.0)
    view = rounds.get_round(services, room["Ana"], round_id=round_id)
    assert view["state"] == "closed"
    assert view["result"]["winners"] == [rent]


def test_ballots_keep_the_collector_in_vote_mode_until_the_vote_is_quiet(services, room):
    calls = []

    class Collector:
        def voting(self):
            calls.append("voting")

        def tick(self):
            calls.append("tick")

    services.ticker.collector = Collector()
    round_id, (rent, _, _) = new_round(services, room)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent])
    services.ticker.tick(now=0.0)
    assert calls == ["voting", "voting", "tick"]


def test_the_live_count_is_coalesced(services, publisher, room):
    # named: a secret round's count moves only k ballots at a time (test_secrecy.py)
    round_id, (rent, wages, _) = new_round(services, room, live_results=True, secret=False)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    for name in ("Ana", "Ben", "Cy"):
        rounds.cast_ballot(services, room[name], round_id=round_id, ranking=[wages, rent])
    services.ticker.tick(now=100.0)
    names = [(name, audience) for _, name, _, audience in publisher.lives]
    assert names.count(("round.tally", "screens")) == 1, "one recount for three ballots"
    assert ("round.turnout", "public") in names
    tally = next(d for _, n, d, _ in publisher.lives if n == "round.tally")
    assert tally["result"]["winners"] == [wages]
    publisher.lives.clear()
    rounds.cast_ballot(services, room["Dee"], round_id=round_id, ranking=[rent])
    services.ticker.tick(now=100.3)
    names = [n for _, n, _, _ in publisher.lives]
    assert names == ["round.tally"], "turnout waits: at most once a second"
    services.ticker.tick(now=101.2)
    audiences = sorted(a for _, n, _, a in publisher.lives if n == "round.turnout")
    assert audiences == ["projector", "public", "staff"]
    turnout = next(d for _, n, d, a in publisher.lives if n == "round.turnout" and a == "public")
    assert turnout["voted"] == 4
    assert "not_voted" not in turnout
    assert "not_voted_count" not in turnout


def test_phones_get_turnout_less_often_in_a_big_convening(services, publisher, room):
    """Screens get turnout every second; phones too up to 1,000 of them, then less often
    (2,500 connected: every 2.5 s), so the fan-out stays near 1,000 messages a second."""
    for i in range(2500):
        services.presence.connect(room["Ana"].convening_id, 10_000 + i, "participant", f"s{i}")
    round_id, (rent, _, _) = new_round(services, room)
    rounds.open_round(services, room["facilitator"], round_id=round_id)

    def turnout_audiences_after(name, now):
        publisher.lives.clear()
        rounds.cast_ballot(services, room[name], round_id=round_id, ranking=[rent])
        services.ticker.tick(now=now)
        return sorted(a for _, n, _, a in publisher.lives if n == "round.turnout")

    assert turnout_audiences_after("Ana", 100.0) == ["projector", "public", "staff"]
    assert turnout_audiences_after("Ben", 101.1) == ["projector", "staff"]
    publisher.lives.clear()
    services.ticker.tick(now=102.2)
    assert publisher.lives == [], "no new ballot, no recount; the phones' turnout not due yet"
    services.ticker.tick(now=102.6)
    assert "round.tally" not in [n for _, n, _, _ in publisher.lives]
    phones = [d for _, n, d, a in publisher.lives if n == "round.turnout" and a == "public"]
    assert [(d["voted"], d["present"]) for d in phones] == [(2, 2500)], "owed, now due"
    rounds.close_round(services, room["facilitator"], round_id=round_id)
    publisher.lives.clear()
    services.ticker.tick(now=102.7)
    closing = sorted(a for _, n, _, a in publisher.lives if n == "round.turnout")
    assert closing == ["projector", "public", "staff"], "the close reaches everyone at once"


class SharedLock:
    """Redis ``SET NX PX`` between two processes, on the test's clock."""

    def __init__(self, clock: list[float]) -> None:
        self.clock = clock
        self.until: dict[str, float] = {}

    def acquire(self, key: str, seconds: float) -> bool:
        if self.until.get(key, float("-inf")) > self.clock[0]:
            return False
        self.until[key] = self.clock[0] + seconds
        return True


def test_a_process_owing_turnout_does_not_keep_the_count_from_another(services, engine, room):
    """Two processes: the one still owing the phones their turnout must not hold the count's
    lock, or the other's newest ballots reach the projector only when that turnout is due."""
    clock = [100.0]
    lock = SharedLock(clock)
    other_publisher = RecordingPublisher()
    other = build_services(
        make_session_factory(engine), publisher=other_publisher, ballot_secret=TEST_SECRET
    )
    for svc in (services, other):
        svc.ticker.lock = lock
        for i in range(2500):  # phones turnout every 2.5 s
            svc.presence.connect(room["Ana"].convening_id, 10_000 + i, "participant", f"s{i}")
    round_id, (rent, wages, _) = new_round(services, room, live_results=True, secret=False)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent])
    services.ticker.tick(now=clock[0])  # counts 1; the phones' turnout goes out
    rounds.cast_ballot(services, room["Ben"], round_id=round_id, ranking=[rent])
    clock[0] = 101.0
    services.ticker.tick(now=clock[0])  # counts 2; phones' turnout owed until 102.5
    rounds.cast_ballot(other, room["Cy"], round_id=round_id, ranking=[wages])
    for step in (101.25, 101.5):
        clock[0] = step
        services.ticker.tick(now=step)
        other.ticker.tick(now=step)
    counts = [
        d["result"]["total"]["exact"] for _, n, d, _ in other_publisher.lives if n == "round.tally"
    ]
    assert counts == ["3"], "the other process counted Cy's ballot within half a second"


def test_named_rounds_show_the_facilitator_who_has_not_voted(services, room):
    round_id, (rent, _, _) = new_round(services, room, secret=False)
    rounds.open_round(services, room["facilitator"], round_id=round_id)
    rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent])
    staff = rounds.get_round(services, room["facilitator"], round_id=round_id)["turnout"]
    assert [p["name"] for p in staff["not_voted"]] == ["Ben", "Cy", "Dee"]
    assert "not_voted" not in rounds.get_round(services, room["Ben"], round_id=round_id)["turnout"]
    secret_id, _ = new_round(services, room, labels=("X", "Y"))
    rounds.open_round(services, room["facilitator"], round_id=secret_id)
    assert (
        "not_voted"
        not in rounds.get_round(services, room["facilitator"], round_id=secret_id)["turnout"]
    )


def test_who_has_not_voted_is_counted_and_paged_not_listed_whole(services, engine, publisher, room):
    """A facilitator's turnout goes to every console each second: it counts who has not voted
    and names the first 20 (by name); rounds.not_voted pages through them all, by id."""
    code = room["created"].code
    for n in range(26):
        convenings.join(services, code=code, name=f"Participante {n:02d}")
    round_id, (rent, _, _) = new_round(services, room, secret=False)
    facilitator = room["facilitator"]
    rounds.open_round(services, facilitator, round_id=round_id)
    rounds.cast_ballot(services, room["Ana"], round_id=round_id, ranking=[rent])
    turnout = rounds.get_round(services, facilitator, round_id=round_id)["turnout"]
    assert turnout["not_voted_count"] == 29  # Ben, Cy, Dee and the 26
    names = [p["name"] for p in turnout["not_voted"]]
    assert names == sorted(names)
    assert len(names) == rounds.NOT_VOTED_SHOWN == 20
    assert names[:3] == ["Ben", "Cy", "Dee"]
    seen, after, pages = [], 0, 0
    while after is not None:
        page = rounds.not_voted(services, facilitator, round_id=round_id, after=after, limit=12)
        assert page["total"] == 29
        seen += [p["id"] for p in page["not_voted"]]
        after, pages = page["next_after"], pages + 1
    assert pages == 3
    assert seen == sorted(seen)
    assert len(set(seen)) == 29
    assert room["Ana"].member_id not in seen
    assert room["Ben"].member_id in seen
    tokens = room["tokens"]
    boss = room["created"].facilitator_token

    def refused(token, args, error):
        assert_refused(
            services,
            engine,
            publisher,
            lambda: run_command(services, token, "rounds.not_voted", args),
            error,
        )

    refused(tokens["Ben"], {"round_id": round_id}, Forbidden)  # facilitators only
    for bad in (
        {"round_id": "1"},
        {"round_id": round_id, "limit": 501},
        {"round_id": round_id, "limit": 0},
        {"round_id": round_id, "limit": "5"},
        {"round_id": round_id, "after": -1},
        {"round_id": round_id, "after": 2**63},
        {"round_id": round_id, "after": [1]},
        {"round_id": 2**63},
        {"round_id": round_id, "page": 2},
        {},
    ):
        refused(boss, bad, InvalidInput)
    other = convenings.create_convening(services, title="Other")
    other_boss = services.authenticate(other.facilitator_token)
    with pytest.raises(NotFound):  # a round of another convening
        rounds.not_voted(services, other_boss, round_id=round_id)
    secret_id, _ = new_round(services, room, labels=("X", "Y"))
    rounds.open_round(services, facilitator, round_id=secret_id)
    refused(boss, {"round_id": secret_id}, Forbidden)
    rounds.close_round(services, facilitator, round_id=round_id)
    refused(boss, {"round_id": round_id}, Conflict)


def test_a_blocked_consent_round_falls_back_to_a_supermajority(services, room):
    facilitator = room["facilitator"]
    round_id, _ = new_round(services, room, method="consent", labels=("Occupy the lobby",))
    rounds.open_round(services, facilitator, round_id=round_id)
    rounds.cast_ballot(services, room["Ana"], round_id=round_id, choice="agree")
    rounds.cast_ballot(services, room["Ben"], round_id=round_id, choice="block")
    assert rounds.close_round(services, facilitator, round_id=round_id)["result"]["passed"] is False
    with pytest.raises(InvalidInput):
        rounds.follow_up(services, facilitator, round_id=round_id, path="give up")
    fallback = rounds.follow_up(services, facilitator, round_id=round_id, path="fallback")[
        "new_round"
    ]
    assert (fallback["method"], fallback["threshold"], fallback["path"]) == (
        "yes_no",
        "3/4",
        "fallback",
    )
    assert fallback["follows_round_id"] == round_id
    assert rounds.get_round(services, facilitator, round_id=round_id)["followed_up"] == "fallback"
    rounds.follow_up(services, facilitator, round_id=round_id, path="amend")
    assert rounds.get_round(services, facilitator, round_id=round_id)["followed_up"] == "amend"
    retry = rounds.follow_up(services, facilitator, round_id=round_id, path="retry")["new_round"]
    assert retry["method"] == "consent"
    passed_id, _ = new_round(services, room, method="consent", labels=("Tea break",))
    rounds.open_round(services, facilitator, round_id=passed_id)
    rounds.cast_ballot(services, room["Ana"], round_id=passed_id, choice="agree")
    rounds.close_round(services, facilitator, round_id=passed_id)
    with pytest.raises(Conflict):
        rounds.follow_up(services, facilitator, round_id=passed_id, path="fallback")


def test_demands_and_amendments_are_decided_by_rounds(services, room):
    facilitator = room["facilitator"]
    convenings.update_convening(services, facilitator, support_required=1)
    rent = demands.propose(
        services, room["Ana"], title="Rent freeze", body="Freeze rents for two years."
    )
    transit = demands.propose(
        services, room["Ben"], title="Free transit", body="Free buses for all."
    )
    with pytest.raises(Conflict):  # still a draft
        rounds.create_round(
            services,
            facilitator,
            title="Which first?",
            method="irv",
            options=[{"demand_id": rent["id"]}, {"demand_id": transit["id"]}],
        )
    for demand in (rent, transit):
        demands.open_demand(services, facilitator, demand_id=demand["id"])
    with pytest.raises(Conflict):  # not seconded yet
        rounds.create_round(
            services,
            facilitator,
            title="Which first?",
            method="irv",
            options=[{"demand_id": rent["id"]}, {"demand_id": transit["id"]}],
        )
    demands.support(services, room["Cy"], demand_id=rent["id"])
    demands.support(services, room["Dee"], demand_id=transit["id"])
    amendment = demands.amend(
        services,
        room["Cy"],
        demand_id=rent["id"],
        body="three years",
        passage="two years",
        rationale="Longer.",
    )
    choice = rounds.create_round(
        services,
        facilitator,
        title="Which first?",
        method="irv",
        options=[{"demand_id": rent["id"]}, {"demand_id": transit["id"]}],
    )
    assert [o["label"] for o in choice["options"]] == ["Rent freeze", "Free transit"]
    on_amendment = rounds.create_round(
        services,
        facilitator,
        title="Amend?",
        method="yes_no",
        options=[{"amendment_id": amendment["id"]}],
    )
    rounds.open_round(services, facilitator, round_id=choice["id"])
    rounds.open_round(services, facilitator, round_id=on_amendment["id"])
    listing = {d["id"]: d for d in demands.list_demands(services, facilitator)["demands"]}
    assert listing[rent["id"]]["status"] == "under_vote"
    rent_option, transit_option = (o["id"] for o in choice["options"])
    for name in ("Ana", "Cy", "Dee"):
        rounds.cast_ballot(services, room[name], round_id=choice["id"], ranking=[rent_option])
        rounds.cast_ballot(services, room[name], round_id=on_amendment["id"], choice="yes")
    rounds.close_round(services, facilitator, round_id=on_amendment["id"])
    rounds.close_round(services, facilitator, round_id=choice["id"])
    listing = {d["id"]: d for d in demands.list_demands(services, facilitator)["demands"]}
    assert listing[rent["id"]]["status"] == "adopted"
    assert listing[transit["id"]]["status"] == "rejected"
    assert "three years" in listing[rent["id"]]["body"]
    assert transit_option


BLOCKED_TITLE = "Cancel all student debt within one year of taking office, in every región"


def blocked_demand(services, room, support_required=2):
    """A demand before the room, seconded, whose consent round was blocked by one person."""
    facilitator = room["facilitator"]
    convenings.update_convening(services, facilitator, support_required=support_required)
    made = demands.propose(
        services,
        room["Ana"],
        title=BLOCKED_TITLE,
        body="Cancel **all** student debt.\n\n- within a year\n- for everyone",
    )
    demands.open_demand(services, facilitator, demand_id=made["id"])
    for name in ("Ben", "Cy"):
        demands.support(services, room[name], demand_id=made["id"])
    consent = rounds.create_round(
        services,
        facilitator,
        title="Do we consent?",
        method="consent",
        options=[{"demand_id": made["id"]}],
    )
    rounds.open_round(services, facilitator, round_id=consent["id"])
    rounds.cast_ballot(services, room["Ana"], round_id=consent["id"], choice="agree")
    rounds.cast_ballot(services, room["Ben"], round_id=consent["id"], choice="block")
    closed = rounds.close_round(services, facilitator, round_id=consent["id"])
    assert closed["result"]["passed"] is False
    return made["id"], consent["id"]


def _demand(services, actor, demand_id):
    return demands.get_demand(services, actor, demand_id=demand_id)


def test_a_block_returns_the_demand_to_the_room_not_rejected(services, room):
    demand_id, _consent_id = blocked_demand(services, room)
    seen = _demand(services, room["Dee"], demand_id)
    assert seen["status"] == "open"
    assert seen["consent_block"]["round_title"] == "Do we consent?"


@pytest.mark.parametrize("path", ["fallback", "retry"])
def test_each_vote_follow_up_of_a_blocked_demand_works(services, room, path):
    facilitator = room["facilitator"]
    demand_id, consent_id = blocked_demand(services, room)
    # support dropped meanwhile: the follow-up still goes to a vote (it was seconded)
    demands.unsupport(services, room["Cy"], demand_id=demand_id)
    new = rounds.follow_up(services, facilitator, round_id=consent_id, path=path)["new_round"]
    assert new["options"][0]["demand_id"] == demand_id
    assert new["options"][0]["label"] == BLOCKED_TITLE
    if path == "fallback":
        assert (new["method"], new["threshold"]) == ("yes_no", "3/4")
    else:
        assert new["method"] == "consent"
    rounds.open_round(services, facilitator, round_id=new["id"])
    assert _demand(services, room["Dee"], demand_id)["status"] == "under_vote"
    assert _demand(services, room["Dee"], demand_id)["consent_block"] is None
    choice = "yes" if path == "fallback" else "agree"
    for name in ("Ana", "Ben", "Cy", "Dee"):
        rounds.cast_ballot(services, room[name], round_id=new["id"], choice=choice)
    assert rounds.close_round(services, facilitator, round_id=new["id"])["result"]["passed"]
    assert _demand(services, room["Dee"], demand_id)["status"] == "adopted"


def test_back_to_amendments_after_a_block_shows_its_reasons_and_allows_amending(
    services, publisher, room
):
    facilitator = room["facilitator"]
    demand_id, consent_id = blocked_demand(services, room)
    reasons = "Ben: it leaves out people who already paid their debt."
    rounds.follow_up(services, facilitator, round_id=consent_id, path="amend", reasons=reasons)
    for who in ("Dee", "facilitator"):
        block = _demand(services, room[who], demand_id)["consent_block"]
        assert (block["path"], block["reasons"]) == ("amend", reasons)
    last = publisher.events[-1]
    assert (last.type, last.data["change"]) == ("demand.updated", "followed_up")
    amendment = demands.amend(
        services,
        room["Ben"],
        demand_id=demand_id,
        passage="for everyone",
        body="for everyone, with refunds for those who paid",
    )
    demands.accept(services, room["Ana"], amendment_id=amendment["id"])
    assert "refunds" in _demand(services, room["Dee"], demand_id)["body"]
    # and later the room consents to the amended text
    again = rounds.follow_up(services, facilitator, round_id=consent_id, path="retry")
    assert again["new_round"]["method"] == "consent"


def test_follow_up_refusals_name_rounds_and_demands_by_title(services, room):
    facilitator = room["facilitator"]
    demand_id, consent_id = blocked_demand(services, room)
    for bad in ({"path": ["amend"]}, {"path": "amend", "reasons": {"a": 1}}):
        with pytest.raises(InvalidInput):
            rounds.follow_up(services, facilitator, round_id=consent_id, **bad)
    with pytest.raises(TooLarge):
        rounds.follow_up(
            services, facilitator, round_id=consent_id, path="amend", reasons="x" * 3000
        )
    with pytest.raises(Forbidden):
        rounds.follow_up(services, room["Ben"], round_id=consent_id, path="fallback")
    assert _demand(services, facilitator, demand_id)["consent_block"]["path"] is None
    # the demand is decided by the fallback vote: a follow-up cannot put it to a vote again
    fallback = rounds.follow_up(services, facilitator, round_id=consent_id, path="fallback")
    rounds.open_round(services, facilitator, round_id=fallback["new_round"]["id"])
    rounds.cast_ballot(services, room["Ben"], round_id=fallback["new_round"]["id"], choice="no")
    rounds.close_round(services, facilitator, round_id=fallback["new_round"]["id"])
    assert _demand(services, facilitator, demand_id)["status"] == "rejected"
    with pytest.raises(Conflict) as error:
        rounds.follow_up(services, facilitator, round_id=consent_id, path="retry")
    assert BLOCKED_TITLE in str(error.value)
    assert f" {demand_id} " not in str(error.value)
    with pytest.raises(Conflict) as error:
        rounds.follow_up(services, facilitator, round_id=fallback["new_round"]["id"], path="retry")
    assert "Do we consent?" in str(error.value)


# -- HTTP ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "labels", "ballots", "settings"),
    [
        ("irv", ("A", "B", "C"), [{"ranking": [0, 1]}, {"ranking": [1]}, {"ranking": [1, 0]}], {}),
        (
            "stv",
            ("A", "B", "C", "D"),
            [{"ranking": [0]}, {"ranking": [1]}, {"ranking": [0, 2]}],
            {"seats": 2},
        ),
        (
            "schulze",
            ("A", "B", "C"),
            [{"ranking": [2, 0, 1]}, {"ranking": [2, 1, 0]}, {"ranking": [0, 2]}],
            {},
        ),
        ("approval", ("A", "B", "C"), [{"approve": [0, 1]}, {"approve": [1]}, {"approve": []}], {}),
        (
            "score",
            ("A", "B", "C"),
            [{"scores": {0: 5}}, {"scores": {0: 2, 1: 5}}, {"scores": {2: 1}}],
            {},
        ),
        (
            "yes_no",
            ("Adopt",),
            [{"choice": "yes"}, {"choice": "yes"}, {"choice": "no"}],
            {"threshold": "2/3"},
        ),
        (
            "consent",
            ("Adopt",),
            [
                {"choice": "agree"},
                {"choice": "stand_aside"},
                {"choice": "agree"},
                {"choice": "agree"},
            ],
            {},
        ),
        ("gradients", ("Adopt",), [{"choice": 1}, {"choice": 3}, {"choice": 4}], {}),
    ],
)
def test_every_method_end_to_end_through_the_api(client, method, labels, ballots, settings):
    created = client.post("/api/convenings", json={"title": "Assembly"}).get_json()
    code, staff = created["code"], {"Authorization": f"Bearer {created['facilitator_token']}"}
    round_ = check(
        client.post(
            f"/api/convenings/{code}/rounds",
            json={
                "title": "Decide",
                "method": method,
                "options": [{"label": x} for x in labels],
                **settings,
            },
            headers=staff,
        ),
        "/api/convenings/{code}/rounds",
        "post",
        201,
    )
    option_ids = [o["id"] for o in round_["options"]]
    base = f"/api/convenings/{code}/rounds/{round_['id']}"
    check(
        client.post(f"{base}/open", headers=staff),
        "/api/convenings/{code}/rounds/{round_id}/open",
        "post",
        200,
    )

    def resolve(ballot):
        if "ranking" in ballot:
            return {"ranking": [option_ids[i] for i in ballot["ranking"]]}
        if "approve" in ballot:
            return {"approve": [option_ids[i] for i in ballot["approve"]]}
        if "scores" in ballot:
            return {"scores": {str(option_ids[i]): s for i, s in ballot["scores"].items()}}
        return ballot

    for number, ballot in enumerate(ballots):
        token = client.post(
            f"/api/convenings/{code}/participants", json={"name": f"P{number}"}
        ).get_json()["token"]
        phone = {"Authorization": f"Bearer {token}"}
        reply = check(
            client.post(f"{base}/ballots", json=resolve(ballot), headers=phone),
            "/api/convenings/{code}/rounds/{round_id}/ballots",
            "post",
            200,
        )
        assert reply["receipt"]
    closed = check(
        client.post(f"{base}/close", headers=staff),
        "/api/convenings/{code}/rounds/{round_id}/close",
        "post",
        200,
    )
    expected = {
        "irv": lambda: {"winners": [option_ids[1]]},
        "stv": lambda: {"winners": sorted(option_ids[:2])},
        "schulze": lambda: {"winners": [option_ids[2]]},
        "approval": lambda: {"winners": [option_ids[1]]},
        "score": lambda: {"winners": [option_ids[0]]},
        "yes_no": lambda: {"passed": True},
        "consent": lambda: {"passed": True},
        "gradients": lambda: {"passed": True},
    }[method]()
    result = closed["result"]
    if "winners" in expected:
        assert sorted(result["winners"]) == expected["winners"]
    else:
        assert result["passed"] is expected["passed"]
    assert result["rounds"], "the round-by-round detail is stored"
    check(client.get(base, headers=staff), "/api/convenings/{code}/rounds/{round_id}", "get", 200)
    published = check(
        client.get(f"{base}/ballots", headers=staff),
        "/api/convenings/{code}/rounds/{round_id}/ballots",
        "get",
        200,
    )
    assert len(published["ballots"]) == len(ballots)


def test_round_api_refusals(client):
    created = client.post("/api/convenings", json={"title": "Assembly"}).get_json()
    code, staff = created["code"], {"Authorization": f"Bearer {created['facilitator_token']}"}
    path = "/api/convenings/{code}/rounds"
    for body in (
        {"title": "x", "method": "dictator", "options": [{"label": "A"}, {"label": "B"}]},
        {"title": "x", "method": "irv", "options": [{"label": "A"}]},
        {"title": "x", "method": "irv", "options": [{"label": "A"}, {"colour": "B"}]},
        {"title": "x", "method": "irv", "options": "A,B"},
        {
            "title": "x",
            "method": "irv",
            "options": [{"label": "A"}, {"label": "B"}],
            "closes_at": "soon",
        },
        {
            "title": "x",
            "method": "irv",
            "options": [{"label": "A"}, {"label": "B"}],
            "closes_at": "2020-01-01T00:00:00",
        },
    ):
        check(
            client.post(f"/api/convenings/{code}/rounds", json=body, headers=staff),
            path,
            "post",
            422,
        )
    round_ = client.post(
        f"/api/convenings/{code}/rounds",
        json={"title": "x", "method": "irv", "options": [{"label": "A"}, {"label": "B"}]},
        headers=staff,
    ).get_json()
    base = f"/api/convenings/{code}/rounds/{round_['id']}"
    token = client.post(f"/api/convenings/{code}/participants", json={"name": "Ana"}).get_json()[
        "token"
    ]
    phone = {"Authorization": f"Bearer {token}"}
    ballots = "/api/convenings/{code}/rounds/{round_id}/ballots"
    body = check(
        client.post(
            f"{base}/ballots", json={"ranking": [round_["options"][0]["id"]]}, headers=phone
        ),
        ballots,
        "post",
        409,
    )
    assert "not open" in body["error"]["message"]
    client.post(f"{base}/open", headers=staff)
    check(
        client.post(f"{base}/ballots", json={"ranking": "A"}, headers=phone), ballots, "post", 422
    )
    check(
        client.post(f"{base}/ballots", json={"ranking": [1], "sneaky": 1}, headers=phone),
        ballots,
        "post",
        422,
    )
    check(
        client.post(
            f"{base}/ballots",
            json={"ranking": [round_["options"][0]["id"]]},
            headers={"Authorization": f"Bearer {created['projector_token']}"},
        ),
        ballots,
        "post",
        403,
    )
    check(
        client.post(f"{base}/close", headers=phone),
        "/api/convenings/{code}/rounds/{round_id}/close",
        "post",
        403,
    )


def test_the_follow_ups_of_a_blocked_demand_through_the_api(client):
    created = client.post("/api/convenings", json={"title": "Assembly"}).get_json()
    code, staff = created["code"], {"Authorization": f"Bearer {created['facilitator_token']}"}
    api = f"/api/convenings/{code}"
    phones = [
        {
            "Authorization": "Bearer "
            + client.post(f"{api}/participants", json={"name": n}).get_json()["token"]
        }
        for n in ("Ana", "Ben")
    ]
    demand = client.post(
        f"{api}/demands", json={"title": BLOCKED_TITLE, "body": "Cancel it."}, headers=phones[0]
    ).get_json()
    client.post(f"{api}/demands/{demand['id']}/open", headers=staff)
    client.post(f"{api}/demands/{demand['id']}/support", headers=phones[1])
    consent = client.post(
        f"{api}/rounds",
        json={"title": "Consent?", "method": "consent", "options": [{"demand_id": demand["id"]}]},
        headers=staff,
    ).get_json()
    base = f"{api}/rounds/{consent['id']}"
    client.post(f"{base}/open", headers=staff)
    client.post(f"{base}/ballots", json={"choice": "block"}, headers=phones[1])
    client.post(f"{base}/close", headers=staff)
    path = "/api/convenings/{code}/rounds/{round_id}/follow-up"
    check(
        client.post(f"{base}/follow-up", json={"path": "amend"}, headers=phones[0]),
        path,
        "post",
        403,
    )
    for body in ({"path": "give up"}, {"path": "amend", "reasons": 3}, {"path": "amend", "x": 1}):
        check(client.post(f"{base}/follow-up", json=body, headers=staff), path, "post", 422)
    reply = check(
        client.post(
            f"{base}/follow-up", json={"path": "amend", "reasons": "Too fast."}, headers=staff
        ),
        path,
        "post",
        200,
    )
    assert reply["reasons"] == "Too fast."
    seen = check(
        client.get(f"{api}/demands/{demand['id']}", headers=phones[1]),
        "/api/convenings/{code}/demands/{demand_id}",
        "get",
        200,
    )
    assert (seen["status"], seen["consent_block"]["reasons"]) == ("open", "Too fast.")
    fallback = check(
        client.post(f"{base}/follow-up", json={"path": "fallback"}, headers=staff),
        path,
        "post",
        200,
    )["new_round"]
    assert fallback["options"][0]["label"] == BLOCKED_TITLE
