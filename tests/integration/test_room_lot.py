"""Issue 12: a round's tie-break setting, and the count that pauses for a lot drawn in the
room (tie-break ``room``): the facilitator enters which tied option the lot chose, through
the one command ``rounds.draw_lot``; every lot is in the result, the event log and the
exports, so ``convene tally`` re-counts the round to the meeting's result."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from convene.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from convene.domain.rounds import Round
from convene.domain.times import iso
from convene.exports import archive, recount
from convene.services import convenings, rounds
from convene.services.commands import run_command
from convene.store import tables
from convene.store.rounds import published_ballots
from tests.integration.test_recount import _by_label, _installation, _recounts_exactly
from tests.integration.test_services import assert_refused

LABELS = (
    "Rent strike committee, with a lawyer on call every week",
    "Wages: a campaign for the living wage in every shop",
    "Transit: free buses for everyone under eighteen",
)


@pytest.fixture
def room(services):
    created = convenings.create_convening(services, title="Asamblea")
    facilitator = services.authenticate(created.facilitator_token)
    people = {}
    for name in ("Ana", "Ben", "Cy", "Dee", "Eli"):
        admission = convenings.join(services, code=created.code, name=name)
        people[name] = services.authenticate(admission.token)
    return {"created": created, "facilitator": facilitator, **people}


def _voted(services, room, ballots, method="irv", tie_break="room", **settings):
    """A round with ``ballots`` (lists of option indexes) cast by Ana, Ben..., then closed."""
    fac = room["facilitator"]
    made = rounds.create_round(
        services,
        fac,
        title="Which campaign first?",
        method=method,
        options=[{"label": label} for label in LABELS],
        tie_break=tie_break,
        **settings,
    )
    ids = [o["id"] for o in made["options"]]
    rounds.open_round(services, fac, round_id=made["id"])
    for name, ballot in zip(("Ana", "Ben", "Cy", "Dee", "Eli"), ballots, strict=False):
        key = "approve" if method == "approval" else "ranking"
        rounds.cast_ballot(
            services, room[name], round_id=made["id"], **{key: [ids[i] for i in ballot]}
        )
    closed = rounds.close_round(services, fac, round_id=made["id"])
    return made["id"], ids, closed


def _events(services, round_id, kind):
    with services.read() as session:
        rows = session.execute(
            select(tables.events.c.data).where(tables.events.c.type == kind)
        ).scalars()
        return [d for d in rows if d.get("round_id", d.get("id")) == round_id]


def _stored(services, round_id):
    with services.read() as session:
        round_ = session.get(Round, round_id)
        _ = list(round_.options)
        return round_, published_ballots(session, round_)


def test_the_count_pauses_for_each_lot_and_closes_with_them(services, publisher, room, tmp_path):
    # one first preference each: a three-way tie to exclude in round 1, nothing to look back to
    round_id, (rent, wages, transit), paused = _voted(services, room, [[0], [1], [2, 1]])
    assert paused["state"] == "paused"
    assert "result" not in paused
    pending = paused["pending_lot"]
    assert (pending["round"], pending["purpose"], pending["side"], pending["draw"]) == (
        1,
        "exclude",
        "fewest",
        1,
    )
    assert pending["pool"] == [rent, wages, transit]
    assert [e.type for e in publisher.events[-1:]] == ["round.paused"]
    assert _events(services, round_id, "round.paused")
    # voting is over: no ballot, no second close
    with pytest.raises(Conflict):
        rounds.cast_ballot(services, room["Dee"], round_id=round_id, ranking=[rent])
    with pytest.raises(Conflict):
        rounds.close_round(services, room["facilitator"], round_id=round_id)

    # the lot in the room drew Transit: excluded; its ballot goes to Wages, who has a majority
    done = rounds.draw_lot(services, room["facilitator"], round_id=round_id, option_id=transit)
    assert done["state"] == "closed"
    assert done["pending_lot"] is None
    assert done["lots"] == [transit]
    result = done["result"]
    assert result["rounds"][0]["eliminated"] == [str(transit)]
    assert result["winners"] == [wages]
    [tie] = result["tie_breaks"]
    assert (tie["how"], tie["chosen"], tie["pool"], tie["draw"]) == (
        "room",
        str(transit),
        [str(rent), str(wages), str(transit)],
        1,
    )
    assert result["details"]["rules"]["tie_break"] == "room"
    [drawn] = _events(services, round_id, "round.lot_drawn")
    assert drawn["chosen"] == transit
    assert drawn["pool"] == [rent, wages, transit]
    assert [e.type for e in publisher.events if e.type.startswith("round.")][-2:] == [
        "round.lot_drawn",
        "round.closed",
    ]
    # the exports carry the lots: convene tally re-counts the meeting's result exactly
    round_, ballots = _stored(services, round_id)
    _recounts_exactly(round_, ballots, tmp_path)
    blt = recount.round_files(round_, ballots)["blt"]
    meta = json.loads(blt.rsplit("# convene ", 1)[1])
    assert meta["tie_break"] == "room"
    assert meta["lots"] == [LABELS[2]]


def test_two_lots_in_one_count(services, room, tmp_path):
    # Rent 1, Wages 1, Transit 1 (then nobody): round 1 three-way tie, round 2 a tie again
    round_id, (rent, wages, transit), paused = _voted(services, room, [[0], [1], [2]])
    assert paused["pending_lot"]["draw"] == 1
    again = rounds.draw_lot(services, room["facilitator"], round_id=round_id, option_id=rent)
    assert again["state"] == "paused"
    assert again["pending_lot"]["draw"] == 2
    assert again["pending_lot"]["round"] == 2
    assert again["pending_lot"]["pool"] == [wages, transit]
    assert again["lots"] == [rent]
    done = rounds.draw_lot(services, room["facilitator"], round_id=round_id, option_id=wages)
    assert done["state"] == "closed"
    assert done["result"]["winners"] == [transit]
    assert [t["how"] for t in done["result"]["tie_breaks"]] == ["room", "room"]
    round_, ballots = _stored(services, round_id)
    _recounts_exactly(round_, ballots, tmp_path)


def test_the_result_is_settled_when_the_last_lot_is_entered(
    services, engine, publisher, clock, room, request, tmp_path
):
    # the projector holds a result from settled_at: the close, or the last lot after a pause
    round_id, (rent, wages, _transit), paused = _voted(services, room, [[0], [1], [2]])
    closed_at = clock.now
    assert paused["closed_at"] == iso(closed_at)
    assert paused["settled_at"] is None
    [pausing] = [e for e in publisher.events if e.type == "round.paused"]
    assert pausing.data["settled_at"] is None
    clock.advance(minutes=4)
    again = rounds.draw_lot(services, room["facilitator"], round_id=round_id, option_id=rent)
    assert (again["state"], again["settled_at"]) == ("paused", None), "a lot still to draw"
    clock.advance(minutes=6)
    done = rounds.draw_lot(services, room["facilitator"], round_id=round_id, option_id=wages)
    assert done["state"] == "closed"
    settled = iso(closed_at + timedelta(minutes=10))
    assert done["settled_at"] == settled
    assert done["closed_at"] == paused["closed_at"], "voting closed when it did"
    [closing] = [e for e in publisher.events if e.type == "round.closed"]
    assert closing.data["settled_at"] == settled
    with services.read() as session:
        stored = session.get(Round, round_id)
        assert (stored.closed_at, stored.settled_at) == (closed_at, clock.now)
    # the snapshot carries it (the projector reads it there after a reload)
    view = rounds.get_round(services, room["Ana"], round_id=round_id)
    assert view["settled_at"] == settled

    # a count with no lot to draw is settled at its close
    clock.advance(minutes=1)
    _, _, closed = _voted(services, room, [[0], [0], [1]])
    assert closed["state"] == "closed"
    assert closed["settled_at"] == closed["closed_at"] == iso(clock.now)

    # an archive keeps it; an archive from before settled_at was kept gives NULL (the
    # screens then read closed_at)
    archive_ = json.loads(json.dumps(archive.export_convening(engine, room["created"].code)))
    older = json.loads(json.dumps(archive_))
    for row in older["tables"]["rounds"]:
        del row["settled_at"]
    del older["sha256"]
    older["sha256"] = archive._digest(older)
    template = request.getfixturevalue("_sqlite_template")
    for name, file, want in (
        ("now", archive_, [closed_at + timedelta(minutes=10), clock.now]),
        ("older", older, [None, None]),
    ):
        (tmp_path / name).mkdir()
        there, _ = _installation(template, tmp_path / name)
        try:
            code = archive.import_convening(there, file)
            with there.connect() as connection:
                settled_ats = (
                    connection.execute(
                        select(tables.rounds.c.settled_at)
                        .join(tables.convenings)
                        .where(tables.convenings.c.code == code)
                        .order_by(tables.rounds.c.id)
                    )
                    .scalars()
                    .all()
                )
            assert settled_ats == want, name
        finally:
            there.dispose()


def test_draw_lot_refuses_hostile_input_and_changes_nothing(services, engine, publisher, room):
    round_id, (rent, wages, transit), _ = _voted(services, room, [[0, 2], [0], [1], [1]])
    # Rent 2, Wages 2, Transit 0: Transit goes without a tie; then 2-2, nobody above half:
    # Rent and Wages tie to be excluded, equal in round 1 too: a lot in the room
    with services.read() as session:
        pending = session.get(Round, round_id).pending_lot
    assert pending["pool"] == [rent, wages]
    fac = room["facilitator"]
    token = room["created"].facilitator_token
    # not tied, not in the round, someone else's round, not the facilitator
    for option_id, error in ((transit, InvalidInput), (999_999, InvalidInput)):
        assert_refused(
            services,
            engine,
            publisher,
            lambda o=option_id: rounds.draw_lot(services, fac, round_id=round_id, option_id=o),
            error,
        )
    assert_refused(
        services,
        engine,
        publisher,
        lambda: rounds.draw_lot(services, room["Ana"], round_id=round_id, option_id=rent),
        Forbidden,
    )
    other = convenings.create_convening(services, title="Another meeting")
    stranger = services.authenticate(other.facilitator_token)
    assert_refused(
        services,
        engine,
        publisher,
        lambda: rounds.draw_lot(services, stranger, round_id=round_id, option_id=rent),
        NotFound,
    )
    # wrong types and extra fields, through the catalogue (the schema refuses them)
    for args in (
        {"round_id": round_id, "option_id": str(rent)},
        {"round_id": round_id, "option_id": True},
        {"round_id": round_id, "option_id": [rent]},
        {"round_id": round_id},
        {"round_id": round_id, "option_id": rent, "extra": {"a": [1] * 1000}},
        {"round_id": round_id, "option_id": -1},
        {"round_id": round_id, "option_id": 2**40},
    ):
        assert_refused(
            services,
            engine,
            publisher,
            lambda a=args: run_command(services, token, "rounds.draw_lot", a),
            InvalidInput,
        )
    # a round that is not paused: open, closed, or counted with the seeded lot
    made = rounds.create_round(
        services, fac, title="Open one", method="irv", options=[{"label": "A"}, {"label": "B"}]
    )
    rounds.open_round(services, fac, round_id=made["id"])
    first = made["options"][0]["id"]
    assert_refused(
        services,
        engine,
        publisher,
        lambda: rounds.draw_lot(services, fac, round_id=made["id"], option_id=first),
        Conflict,
    )
    done = rounds.draw_lot(services, fac, round_id=round_id, option_id=wages)
    assert done["state"] == "closed"
    assert done["result"]["winners"] == [rent]
    assert_refused(
        services,
        engine,
        publisher,
        lambda: rounds.draw_lot(services, fac, round_id=round_id, option_id=rent),
        Conflict,
    )


def test_tie_break_settings_are_checked_shown_and_used(services, room, tmp_path):
    fac = room["facilitator"]
    for bad in ("coin", "LOT", 3):
        with pytest.raises(InvalidInput):
            rounds.create_round(
                services,
                fac,
                title="x",
                method="irv",
                options=[{"label": "A"}, {"label": "B"}],
                tie_break=bad,
            )
    with pytest.raises(InvalidInput):
        rounds.create_round(
            services, fac, title="x", method="yes_no", options=[{"label": "A"}], tie_break="room"
        )
    # the options' order: to exclude, the tied option listed last goes
    round_id, (_rent, _wages, transit), closed = _voted(
        services, room, [[0], [1], [2, 1]], tie_break="order"
    )
    assert closed["tie_break"] == "order"
    assert closed["result"]["rounds"][0]["eliminated"] == [str(transit)]
    assert closed["result"]["tie_breaks"][0]["how"] == "order"
    round_, ballots = _stored(services, round_id)
    _recounts_exactly(round_, ballots, tmp_path)
    # approval, one seat, all level: one lot in the room for the seat; the rest of the
    # ranking (it decides nothing) by the seeded lot
    round_id, ids, paused = _voted(services, room, [[0], [1], [2]], method="approval")
    assert paused["state"] == "paused"
    assert paused["pending_lot"]["purpose"] == "rank"
    done = rounds.draw_lot(services, fac, round_id=round_id, option_id=ids[1])
    assert done["result"]["winners"] == [ids[1]]
    assert [t["how"] for t in done["result"]["tie_breaks"]] == ["room", "lot"]
    round_, ballots = _stored(services, round_id)
    _recounts_exactly(round_, ballots, tmp_path)
    # the default is the seeded lot, as before
    made = rounds.create_round(
        services, fac, title="y", method="irv", options=[{"label": "A"}, {"label": "B"}]
    )
    assert made["tie_break"] == "lot"


def test_the_rctab_summary_names_the_tie_break_mode_as_rctab_does(services, room, tmp_path, capsys):
    from convene import tallycli

    modes = {}
    for tie_break in ("lot", "order", "room"):
        round_id, ids, closed = _voted(services, room, [[0], [1], [2, 1]], tie_break=tie_break)
        if closed["state"] == "paused":
            rounds.draw_lot(services, room["facilitator"], round_id=round_id, option_id=ids[2])
        round_, ballots = _stored(services, round_id)
        files = recount.round_files(round_, ballots)
        summary = json.loads(files["summary"])
        modes[tie_break] = summary["config"]["tiebreakMode"]
        _recounts_exactly(round_, ballots, tmp_path)  # and it validates against the schema
    # the values of the rule tiebreakMode in RCTab's contest configuration
    assert modes == {
        "lot": "previousRoundCountsThenRandom",
        "order": "useCandidateOrder",
        "room": "previousRoundCountsThenAsk",
    }
    # the summary holds the count, not the ballots: convene tally says which file to give it
    path = tmp_path / "summary.json"
    path.write_text(files["summary"], encoding="utf-8")
    assert tallycli.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert "round-by-round summary (RCTab)" in err
    assert "BLT, CSV or cast-vote-record" in err


def test_the_recount_without_the_lots_says_what_is_missing(services, room, tmp_path, capsys):
    from convene import tallycli

    round_id, (_rent, _wages, transit), _ = _voted(services, room, [[0], [1], [2, 1]])
    done = rounds.draw_lot(services, room["facilitator"], round_id=round_id, option_id=transit)
    assert done["state"] == "closed"
    round_, ballots = _stored(services, round_id)
    path = tmp_path / "round.blt"
    text = recount.round_files(round_, ballots)["blt"]
    head, meta = text.rsplit("# convene ", 1)
    meta = json.loads(meta)
    meta.pop("lots")
    path.write_text(head + "# convene " + json.dumps(meta) + "\n")
    assert tallycli.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert "needs lot 1" in err
    assert "--lots" in err
    assert f"1 {LABELS[0]}" in err
    # given on the command line, the lot reproduces the meeting
    # (by number: the label has a comma in it)
    got = _tally_with(path, "--lots", "3")
    assert _by_label(got, {}) == _by_label(round_.result, round_.result["labels"])


def _tally_with(path, *flags):
    import io
    from contextlib import redirect_stdout

    from convene import tallycli

    out = io.StringIO()
    with redirect_stdout(out):
        assert tallycli.main([str(path), *flags, "--format", "json"]) == 0
    return json.loads(out.getvalue())
