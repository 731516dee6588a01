"""The roster's replies: an import, the list, a credential, arriving with a badge."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import UNSET, Meta, UnsetType

from convene.web.api.replies.common import Reply


class RosterRow(Reply, kw_only=True):
    line: int
    name: str
    delegation: str
    role: Literal["delegate", "alternate", "observer"]
    vote_weight: int
    external_id: str | None
    contact: str
    action: Literal["added", "updated", "unchanged"]


class NotInFile(Reply, kw_only=True):
    id: int
    external_id: str | None
    name: str
    delegation: str


class RosterImport(Reply, kw_only=True):
    """What a roster import did (or, with ``dry_run``, would do)."""

    added: int
    updated: int
    unchanged: int
    not_in_file: Annotated[
        list[NotInFile],
        Meta(description="People on the roster that the file does not list: kept, not removed."),
    ]
    total: Annotated[int, Meta(description="People on the roster after the import.")]
    dry_run: bool
    rows: (
        Annotated[list[RosterRow], Meta(description="A dry run's rows, each with its action.")]
        | UnsetType
    ) = UNSET


class RosterListed(Reply, kw_only=True):
    entry_id: int
    name: str
    delegation: str
    role: Literal["delegate", "alternate", "observer"]
    vote_weight: int
    external_id: str | None
    member_id: Annotated[
        int | None, Meta(description="The member it became on first use; null until then.")
    ]
    issued_at: Annotated[
        str | None, Meta(description="When its current credential was made (null: not yet).")
    ]


class RosterList(Reply, kw_only=True):
    """One page of the roster (no secrets)."""

    entries: list[RosterListed]
    next_after: Annotated[int | None, Meta(description="Ask again with after=this; null: done.")]


class RosterCredential(Reply, kw_only=True):
    """A roster entry's credential: print it, hand it out, keep it secret."""

    entry_id: int
    name: str
    delegation: str
    role: Literal["delegate", "alternate", "observer"]
    vote_weight: int
    external_id: str | None
    contact: str
    code: Annotated[str, Meta(description="The badge code, as printed (two groups of four).")]
    token: Annotated[str, Meta(description="The personal link's secret token.")]
    url: Annotated[str, Meta(extra_json_schema={"format": "uri"})]
    member_id: Annotated[
        int | None, Meta(description="The member it became on first use; null until then.")
    ]


class BadgeAdmission(Reply, kw_only=True):
    id: int
    token: Annotated[str, Meta(description="The badge holder's secret identity (their link's).")]
    role: Literal["participant", "observer"]
    url: Annotated[str, Meta(extra_json_schema={"format": "uri"})]
