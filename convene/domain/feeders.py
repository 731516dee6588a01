"""Convenings linked into a tree (issue 18 item 1): chapter meetings feed a regional one.

A feeder (a chapter's convening) has at most one upstream at a time (the regional
convening it sends its demands to); an upstream may have many feeders. The links never
form a circle: a convening cannot feed itself, nor a convening that (through others)
already feeds it. Linking takes the upstream's feeder invitation, a secret its facilitator
made (only its SHA-256 is kept, as for tokens); either side may remove the link.
"""

from __future__ import annotations

from collections.abc import Callable

from convene.domain.errors import N_, Conflict, InvalidInput
from convene.domain.text import clean_line

#: The longest invitation accepted (they are 32 characters; anything longer is not one).
INVITATION_MAX = 200
#: An invitation's label: which chapters it was sent to (for the facilitator only).
LABEL_MAX = 200
#: The most feeders linked to one convening at once, and invitations it keeps.
FEEDERS_MAX = 1000
INVITATIONS_MAX = 1000
#: How far up a chain of upstreams the cycle check walks: a longer chain is refused.
DEPTH_MAX = 100
#: Which side removed a link.
SIDES = ("feeder", "upstream")


def parse_invitation(value: object) -> str:
    """The invitation as sent: text, without spaces around it, at most INVITATION_MAX."""
    if not isinstance(value, str):
        raise InvalidInput(N_("%(field)s must be text."), field="invitation")
    text = value.strip()
    if not text:
        raise InvalidInput(N_("%(field)s is required."), field="invitation")
    if len(text) > INVITATION_MAX:
        raise InvalidInput(N_("This is not a feeder invitation."), field="invitation")
    return text


def parse_label(value: object) -> str:
    return clean_line(value, "label", LABEL_MAX, required=False)


def chain_above(start: int, upstream_of: Callable[[int], int | None]) -> list[int]:
    """The convenings ``start`` sends to, nearest first: its upstream, that one's, and so
    on (``upstream_of``: a convening's upstream or None). Raises Conflict on a chain longer
    than DEPTH_MAX, and stops at a convening seen before (the store never holds a circle)."""
    chain: list[int] = []
    seen = {start}
    current = upstream_of(start)
    while current is not None and current not in seen:
        if len(chain) >= DEPTH_MAX:
            raise Conflict(
                N_("Convenings may be linked at most %(max)d levels deep."), max=DEPTH_MAX
            )
        chain.append(current)
        seen.add(current)
        current = upstream_of(current)
    return chain


def check_link(
    feeder: int, upstream: int, current: int | None, upstream_of: Callable[[int], int | None]
) -> bool:
    """May ``feeder`` send its demands to ``upstream``? ``current``: its upstream now.

    Returns False when it is linked there already (nothing to do). Raises InvalidInput for
    a convening linking to itself, Conflict when it has another upstream or when the link
    would close a circle (``upstream`` already sends, directly or through others, to
    ``feeder``): the messages say which.
    """
    if feeder == upstream:
        raise InvalidInput(
            N_(
                "A convening cannot send its demands to itself: give the regional convening's code."
            ),
            field="code",
        )
    if current == upstream:
        return False
    if current is not None:
        raise Conflict(
            N_(
                "This convening already sends its demands to another convening: remove that "
                "link first (a convening has one upstream at a time)."
            )
        )
    if feeder in chain_above(upstream, upstream_of):
        raise Conflict(
            N_(
                "That convening already sends its demands to this one (directly or through "
                "others): linking it here would make a circle."
            )
        )
    return True
