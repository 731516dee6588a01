"""Seats: an alternate takes a delegate's seat while the delegate is out (issue 17 item 4).

Pure Python. A *seat* is a delegate's roster entry: its vote weight is the seat's. While an
alternate of the same delegation holds it, the alternate votes in it, with its weight, and
the delegate does not; when the delegate checks in again the seat returns to them (the
alternate stays checked in, unseated), and an alternate who checks out gives it back too.

The rules, which :func:`plan_seating` and :func:`voting_seat` enforce:

- only an alternate takes a seat, only a delegate's, and only of their own delegation;
- the delegate is out (never came, or checked out), or hands over: seating checks them out;
  the alternate is checked in, or seating checks them in;
- one alternate per seat, one seat per alternate, at a time; a delegate whose vote a proxy
  carries cannot hand over (the proxy would vote the same seat);
- an alternate votes only while seated (with or without accredited voting: otherwise a
  delegation would vote with its delegates and its alternates), a delegate only while no
  alternate holds their seat;
- a round counts at most one ballot per seat: whoever holds the seat when it votes first
  votes for it, and a later holder is refused in that round (ballots record the seat on the
  voter's mark, ``round_voters.seat_id``, never on the ballot). A voter changes only a
  ballot cast in the seat they hold now.
"""

from __future__ import annotations

from dataclasses import dataclass

from convene.domain.errors import N_, Conflict, Forbidden, InvalidInput
from convene.domain.roster import RosterRole


@dataclass(frozen=True)
class SeatParty:
    """A roster entry as seating reads it."""

    id: int
    name: str
    delegation: str
    role: RosterRole
    checked_in: bool
    #: an alternate: the delegate's entry whose seat they hold (None: unseated)
    seat_of: int | None = None
    #: a delegate: whether a proxy carries their vote
    carried: bool = False


@dataclass(frozen=True)
class Seating:
    """What seating an alternate does: nothing (``already``), or seats them, checking the
    alternate in and the delegate out as needed."""

    already: bool
    check_in_alternate: bool = False
    check_out_delegate: bool = False


def plan_seating(
    alternate: SeatParty,
    delegate: SeatParty,
    *,
    holder: SeatParty | None = None,
    alternate_holds: str | None = None,
) -> Seating:
    """Whether ``alternate`` may take ``delegate``'s seat, and what it changes.

    ``holder``: the alternate who holds the delegate's seat now, if any; ``alternate_holds``:
    the name of the delegate whose seat the alternate already holds, if any. Raises
    InvalidInput (not an alternate, not a delegate, another delegation) or Conflict (the
    seat or the alternate is taken, a proxy carries the delegate's vote); changes nothing."""
    if alternate.role is not RosterRole.ALTERNATE:
        raise InvalidInput(
            N_("%(name)s is not an alternate: only an alternate takes a delegate's seat."),
            field="code",
            name=alternate.name,
        )
    if delegate.role is not RosterRole.DELEGATE:
        raise InvalidInput(
            N_("%(name)s is not a delegate: an alternate takes a delegate's seat."),
            field="seat_of",
            name=delegate.name,
        )
    if alternate.delegation.casefold() != delegate.delegation.casefold():
        raise InvalidInput(
            N_(
                "%(name)s is an alternate of %(theirs)s, not of %(delegation)s: an alternate "
                "takes a seat of their own delegation."
            ),
            field="seat_of",
            name=alternate.name,
            theirs=alternate.delegation,
            delegation=delegate.delegation,
        )
    if alternate.seat_of == delegate.id:
        return Seating(already=True)
    if alternate.seat_of is not None:
        raise Conflict(
            N_(
                "%(name)s already holds the seat of %(delegate)s: check %(delegate)s in "
                "again first, or check %(name)s out."
            ),
            name=alternate.name,
            delegate=alternate_holds or "?",
        )
    if holder is not None:
        raise Conflict(
            N_("The seat of %(delegate)s is already held by %(holder)s."),
            delegate=delegate.name,
            holder=holder.name,
        )
    if delegate.carried:
        raise Conflict(
            N_(
                "A proxy carries the vote of %(delegate)s: the proxy votes in that seat. "
                "Remove the proxy first."
            ),
            delegate=delegate.name,
        )
    return Seating(
        already=False,
        check_in_alternate=not alternate.checked_in,
        check_out_delegate=delegate.checked_in,
    )


def voting_seat(
    role: RosterRole | None,
    entry_id: int | None,
    *,
    seat_of: int | None = None,
    held_by: str | None = None,
    for_someone: bool = False,
    name: str = "",
) -> int | None:
    """The seat a voter votes in: their own entry (a delegate), the seat they hold (an
    alternate), or None (not on the roster: they vote as anyone who joined). Raises
    Forbidden for an unseated alternate or a delegate whose seat an alternate holds
    (``for_someone``: a teller's paper ballot, told with the voter's ``name``)."""
    if role is None or entry_id is None:
        return None
    if role is RosterRole.ALTERNATE:
        if seat_of is None:
            if for_someone:
                raise Forbidden(
                    N_("%(name)s is an alternate without a seat: the desk seats an alternate."),
                    name=name,
                )
            raise Forbidden(N_("An alternate votes only in a delegate's seat: the desk seats you."))
        return seat_of
    if held_by is not None:
        if for_someone:
            raise Forbidden(
                N_("%(holder)s holds the seat of %(name)s: the alternate votes in it."),
                holder=held_by,
                name=name,
            )
        raise Forbidden(
            N_("Your alternate %(holder)s holds your seat: check in at the desk to take it back."),
            holder=held_by,
        )
    return entry_id


def seat_taken_in_round(seat_name: str, voter: str | None) -> Conflict:
    """The refusal of a second ballot for one seat in one round. ``voter``: who voted in
    it, told in a named round only (a secret round says that the seat voted, never who)."""
    if voter is None:
        return Conflict(
            N_("The seat of %(seat)s has already voted in this round: a seat has one ballot."),
            seat=seat_name,
        )
    return Conflict(
        N_(
            "The seat of %(seat)s has already voted in this round (%(voter)s voted): a seat "
            "has one ballot."
        ),
        seat=seat_name,
        voter=voter,
    )


class VotedInAnotherSeat(Conflict):
    """A voter who voted in one seat and now holds another in the same round: their
    ballot stays in the seat it was cast in."""

    def __init__(self) -> None:
        super().__init__(
            N_("You voted in this round in another seat: your ballot stays in that seat.")
        )
