"""The credentials desk's replies: an entry checked in or out, the search, the counts."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from convene.web.api.replies.common import Reply


class CheckinCounts(Reply, kw_only=True):
    checked_in: Annotated[int, Meta(description="Roster entries checked in now.")]
    voters: Annotated[
        int, Meta(description="Of them, who vote: delegates, and alternates in a seat.")
    ]
    seated: Annotated[int, Meta(description="Alternates in a delegate's seat.")]
    roster: Annotated[int, Meta(description="Entries on the roster.")]


class EntryRef(Reply, kw_only=True):
    entry_id: int
    name: str


class CheckinEntry(Reply, kw_only=True):
    entry_id: int
    member_id: Annotated[
        int | None, Meta(description="The member once their badge was first used.")
    ]
    name: str
    delegation: str
    role: Literal["delegate", "alternate", "observer"]
    checked_in: bool
    checked_in_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | None
    seat_of: Annotated[
        EntryRef | None, Meta(description="An alternate: the delegate whose seat they hold.")
    ]
    held_by: Annotated[
        EntryRef | None, Meta(description="A delegate: the alternate who holds their seat.")
    ]


class Seat(Reply, kw_only=True):
    """A delegate's seat an alternate holds."""

    entry_id: Annotated[int, Meta(description="The alternate's roster entry.")]
    member_id: int | None
    name: str
    delegation: str
    seat_of: Annotated[int, Meta(description="The delegate's roster entry.")]
    seat_member_id: int | None
    seat_name: str
    seated_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | None


class Checkin(CheckinEntry, kw_only=True):
    """A roster entry checked in or out, and the counts after it."""

    already: Annotated[
        bool, Meta(description="It was already so: nothing changed, nothing recorded.")
    ]
    counts: CheckinCounts


class CheckinSearch(Reply, kw_only=True):
    entries: Annotated[list[CheckinEntry], Meta(max_length=20)]
    more: Annotated[bool, Meta(description="More match than shown: type more.")]
    counts: CheckinCounts
