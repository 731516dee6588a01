"""Seats (issue 17 item 4): who may take a delegate's seat, and who votes in it."""

from __future__ import annotations

import pytest

from convene.domain.errors import Conflict, Forbidden, InvalidInput
from convene.domain.roster import RosterRole
from convene.domain.seats import (
    Seating,
    SeatParty,
    VotedInAnotherSeat,
    plan_seating,
    seat_taken_in_round,
    voting_seat,
)

DELEGATE = SeatParty(1, "María Núñez", "Local 1", RosterRole.DELEGATE, checked_in=False)
ALTERNATE = SeatParty(2, "Ana Ruiz", "local 1", RosterRole.ALTERNATE, checked_in=True)


def _with(party: SeatParty, **changes) -> SeatParty:
    return SeatParty(**{**party.__dict__, **changes})


def test_an_alternate_takes_an_absent_delegates_seat():
    assert plan_seating(ALTERNATE, DELEGATE) == Seating(already=False)


def test_handing_over_checks_the_delegate_out_and_the_alternate_in():
    plan = plan_seating(_with(ALTERNATE, checked_in=False), _with(DELEGATE, checked_in=True))
    assert plan == Seating(already=False, check_in_alternate=True, check_out_delegate=True)


def test_the_same_seat_again_changes_nothing():
    assert plan_seating(_with(ALTERNATE, seat_of=1), DELEGATE, holder=ALTERNATE).already


@pytest.mark.parametrize(
    ("alternate", "delegate", "field"),
    [
        (_with(ALTERNATE, role=RosterRole.DELEGATE), DELEGATE, "code"),
        (_with(ALTERNATE, role=RosterRole.OBSERVER), DELEGATE, "code"),
        (ALTERNATE, _with(DELEGATE, role=RosterRole.ALTERNATE), "seat_of"),
        (ALTERNATE, _with(DELEGATE, role=RosterRole.OBSERVER), "seat_of"),
        (ALTERNATE, _with(DELEGATE, delegation="Local 12"), "seat_of"),
    ],
)
def test_only_an_alternate_of_the_delegation_takes_a_delegates_seat(alternate, delegate, field):
    with pytest.raises(InvalidInput) as refused:
        plan_seating(alternate, delegate)
    assert refused.value.field == field


def test_one_alternate_per_seat_and_one_seat_per_alternate():
    other = _with(ALTERNATE, id=3, name="Bo Lind")
    with pytest.raises(Conflict, match="already held by Bo Lind"):
        plan_seating(ALTERNATE, DELEGATE, holder=other)
    with pytest.raises(Conflict, match="already holds the seat of Quinn"):
        plan_seating(_with(ALTERNATE, seat_of=9), DELEGATE, alternate_holds="Quinn")


def test_a_delegate_whose_vote_a_proxy_carries_cannot_hand_over():
    with pytest.raises(Conflict, match="proxy"):
        plan_seating(ALTERNATE, _with(DELEGATE, carried=True))


def test_who_votes_in_which_seat():
    assert voting_seat(None, None) is None  # not on the roster: as anyone who joined
    assert voting_seat(RosterRole.DELEGATE, 1) == 1
    assert voting_seat(RosterRole.ALTERNATE, 2, seat_of=1) == 1
    with pytest.raises(Forbidden, match="only in a delegate's seat"):
        voting_seat(RosterRole.ALTERNATE, 2)
    with pytest.raises(Forbidden, match="Ana Ruiz holds your seat"):
        voting_seat(RosterRole.DELEGATE, 1, held_by="Ana Ruiz")


def test_a_tellers_refusals_name_the_voter():
    with pytest.raises(Forbidden, match="Ana Ruiz is an alternate without a seat"):
        voting_seat(RosterRole.ALTERNATE, 2, for_someone=True, name="Ana Ruiz")
    with pytest.raises(Forbidden, match="Ana Ruiz holds the seat of María"):
        voting_seat(RosterRole.DELEGATE, 1, held_by="Ana Ruiz", for_someone=True, name="María")


def test_a_seats_second_ballot_names_the_voter_only_in_a_named_round():
    assert "(María voted)" in str(seat_taken_in_round("María", "María"))
    secret = str(seat_taken_in_round("María", None))
    assert "already voted" in secret
    assert "voted)" not in secret
    assert isinstance(VotedInAnotherSeat(), Conflict)
