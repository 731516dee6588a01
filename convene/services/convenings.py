"""Commands on a convening and its members: create, update, join, invite, remove."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from convene.domain.convening import (
    NAME_MAX,
    VOTE_WEIGHT_MAX,
    Actor,
    Admission,
    Convening,
    Member,
    Role,
    check_join_passcode,
    hash_token,
    new_join_code,
    new_token,
    normalise_join_code,
)
from convene.domain.errors import N_, Conflict, InvalidInput, NotFound
from convene.domain.events import DomainEvent
from convene.domain.ids import parse_id
from convene.domain.text import clean_line
from convene.i18n import gettext_in
from convene.services.core import Handlers, Services, convening_id_for_code, count_participants
from convene.store import tables

_CODE_ATTEMPTS = 20

#: The names staff get when none is typed, kept in the convening's language (like an option
#: label made from an amendment): the projector and the minutes show them to the whole room.
CREATOR_NAME = N_("Facilitator")
DEFAULT_NAMES = {
    Role.FACILITATOR: N_("Co-facilitator"),
    Role.OBSERVER: N_("Observer"),
    Role.PROJECTOR: N_("Projector"),
    Role.TELLER: N_("Teller"),
    Role.DESK: N_("Credentials desk"),
}


def _default_names(role: Role) -> tuple[str, ...]:
    return (
        (CREATOR_NAME, DEFAULT_NAMES[role]) if role is Role.FACILITATOR else (DEFAULT_NAMES[role],)
    )


@dataclass(frozen=True)
class CreatedConvening:
    code: str
    facilitator_token: str
    projector_token: str


def create_convening(
    svc: Services,
    *,
    title: object,
    description: object = "",
    place: object = "",
    date: object = None,
    passcode: object = None,
    facilitator_name: object = None,
    language: object = None,
) -> CreatedConvening:
    """Anyone may create a convening; they receive its facilitator and projector tokens."""
    facilitator_token, projector_token = new_token(), new_token()
    for _ in range(_CODE_ATTEMPTS):
        with svc.write() as uow:
            convening = Convening.create(
                code=new_join_code(),
                title=title,
                description=description,
                place=place,
                date=date,
                passcode=passcode,
                language=language,
                languages=svc.languages,
                now=uow.now,
            )
            if uow.session.execute(
                select(tables.convenings.c.id).where(tables.convenings.c.code == convening.code)
            ).first():
                continue  # code already taken: draw another
            uow.session.add(convening)
            uow.session.flush()
            name = clean_line(facilitator_name, "facilitator_name", NAME_MAX, required=False)
            facilitator = Member(
                convening_id=convening.id,
                role=Role.FACILITATOR,
                name=name or gettext_in(convening.language, CREATOR_NAME),
                token_hash=hash_token(facilitator_token),
                joined_at=uow.now,
            )
            projector = Member(
                convening_id=convening.id,
                role=Role.PROJECTOR,
                name=gettext_in(convening.language, DEFAULT_NAMES[Role.PROJECTOR]),
                token_hash=hash_token(projector_token),
                joined_at=uow.now,
            )
            uow.session.add_all([facilitator, projector])
            uow.session.flush()
            uow.record(convening, None, [DomainEvent("convening.created", convening.public())])
            try:
                uow.commit()
            except IntegrityError:
                continue  # a concurrent creation took the same code
            return CreatedConvening(convening.code, facilitator_token, projector_token)
    raise Conflict(N_("Could not find a free join code; please try again."))


def update_convening(svc: Services, actor: Actor, **changes: object) -> dict:
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        # and what the change does elsewhere, by the handlers of convening.updated
        # (convene/bootstrap.py): the demands' figures, the staff's default names in a new
        # language, the floor's rules
        uow.record(convening, actor, convening.update_settings(changes, svc.languages))
        uow.commit()
        return convening.public()


def _names_follow_language(uow, convening: Convening, actor, event) -> list[DomainEvent]:
    """The language changed: staff still called by a default name ("Facilitator",
    "Projector") take it in the convening's new language; a name someone typed stays as
    typed. (A handler of ``convening.updated``.)"""
    before = event.before.get("language")
    if before is None or before == convening.language:
        return []
    events = []
    staff = uow.session.execute(
        select(Member).where(
            tables.members.c.convening_id == convening.id,
            tables.members.c.role.in_(list(DEFAULT_NAMES)),
            tables.members.c.removed_at.is_(None),
        )
    ).scalars()
    for member in staff:
        for default in _default_names(member.role):
            if member.name == gettext_in(before, default):
                member.name = gettext_in(convening.language, default)
                events.append(DomainEvent("participant.updated", member.public()))
                break
    return events


def join(
    svc: Services,
    *,
    code: object,
    name: object,
    passcode: object = None,
    caucus: object = None,
) -> Admission:
    """A person joins a convening by its code. No account: the token is their identity."""
    token = new_token()
    code = normalise_join_code(code)
    clean_line(name, "name", NAME_MAX)  # a bad name is refused before the passcode is tried
    # The passcode's PBKDF2 runs before the write lock, so joins do not queue behind it.
    with svc.read() as session:
        stored = session.execute(
            select(tables.convenings.c.passcode_hash).where(tables.convenings.c.code == code)
        ).one_or_none()
    if stored is None:
        raise NotFound(N_("There is no convening with that code."))
    check_join_passcode(passcode, stored.passcode_hash)
    with svc.write() as uow:
        convening = uow.convening(convening_id_for_code(uow.session, code))
        member = convening.admit(
            name=name,
            passcode=passcode,
            caucus=caucus,
            token_hash=hash_token(token),
            now=uow.now,
            passcode_checked=stored.passcode_hash,
        )
        uow.session.add(member)
        uow.session.flush()
        data = {**member.public(), "participants": count_participants(uow.session, convening.id)}
        uow.record(convening, None, [DomainEvent("participant.joined", data)])
        uow.commit()
        return Admission(member.id, token, member.role)


def invite(svc: Services, actor: Actor, *, role: object, name: object = None) -> Admission:
    """A facilitator hands out a link for a co-facilitator, an observer, another projector,
    a teller (who enters paper ballots) or the credentials desk (who checks people in)."""
    actor.require(Role.FACILITATOR)
    try:
        invited_role = Role(role)
    except ValueError:
        invited_role = None
    if invited_role not in (
        Role.FACILITATOR,
        Role.OBSERVER,
        Role.PROJECTOR,
        Role.TELLER,
        Role.DESK,
    ):
        raise InvalidInput(
            N_(
                "An invitation is for a facilitator, an observer, a projector, a teller or "
                "the credentials desk."
            ),
            field="role",
        )
    token = new_token()
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        member = Member(
            convening_id=convening.id,
            role=invited_role,
            name=clean_line(name, "name", NAME_MAX, required=False)
            or gettext_in(convening.language, DEFAULT_NAMES[invited_role]),
            token_hash=hash_token(token),
            joined_at=uow.now,
        )
        uow.session.add(member)
        uow.session.flush()
        uow.record(convening, actor, [DomainEvent("member.invited", member.public())])
        uow.commit()
        return Admission(member.id, token, invited_role)


def remove_member(svc: Services, actor: Actor, *, member_id: object) -> None:
    """A facilitator removes someone: their token stops working at once."""
    actor.require(Role.FACILITATOR)
    member_id = parse_id(member_id, "member_id", N_("The participant id must be a number."))
    if member_id == actor.member_id:
        raise Conflict(N_("You cannot remove yourself."))
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        member = uow.session.get(Member, member_id)
        if member is None or member.convening_id != convening.id or not member.active:
            raise NotFound(N_("There is no participant %(id)s in this convening."), id=member_id)
        member.removed_at = uow.now
        uow.session.flush()
        data = {
            "id": member.id,
            "name": member.name,
            "role": str(member.role),
            "participants": count_participants(uow.session, convening.id),
        }
        # and their supports and stances stop counting, their requests leave the floor (the
        # demands' and the floor's handlers)
        uow.record(convening, actor, [DomainEvent("participant.removed", data)])
        uow.after_commit(lambda: svc.publisher.member_removed(member_id))
        uow.commit()


_UNSET = object()


def set_vote_weight(
    svc: Services,
    actor: Actor,
    *,
    member_id: object,
    vote_weight: object = _UNSET,
    carried_by_id: object = _UNSET,
) -> dict:
    """Delegates and proxies (facilitator): a participant's vote weight (a delegate for 12
    members votes with weight 12), or who carries their vote (a proxy votes for them)."""
    actor.require(Role.FACILITATOR)
    member_id = parse_id(member_id, "member_id", N_("The participant id must be a number."))
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        member = _participant(uow, convening, member_id)
        if vote_weight is not _UNSET:
            if (
                isinstance(vote_weight, bool)
                or not isinstance(vote_weight, int)
                or not 1 <= vote_weight <= VOTE_WEIGHT_MAX
            ):
                raise InvalidInput(
                    N_("The vote weight must be a whole number from 1 to %(max)d."),
                    field="vote_weight",
                    max=VOTE_WEIGHT_MAX,
                )
            member.vote_weight = vote_weight
        if carried_by_id is not _UNSET:
            if carried_by_id is None:
                member.carried_by_id = None
            else:
                if isinstance(carried_by_id, bool) or not isinstance(carried_by_id, int):
                    raise InvalidInput(
                        N_("The proxy must be a participant id."), field="carried_by_id"
                    )
                if carried_by_id == member.id:
                    raise Conflict(N_("Nobody carries their own vote."))
                proxy = _participant(uow, convening, carried_by_id)
                if proxy.carried_by_id is not None:
                    raise Conflict(N_("That proxy's own vote is carried by someone else."))
                carrying = uow.session.execute(
                    select(tables.members.c.id).where(tables.members.c.carried_by_id == member.id)
                ).first()
                if carrying:
                    raise Conflict(
                        N_("This participant carries others' votes: they cannot give theirs away.")
                    )
                member.carried_by_id = proxy.id
        uow.session.flush()
        uow.record(convening, actor, [DomainEvent("participant.updated", member.public())])
        uow.commit()
        return member.public()


def _participant(uow, convening: Convening, member_id: int) -> Member:
    member = uow.session.get(Member, member_id)
    if (
        member is None
        or member.convening_id != convening.id
        or not member.active
        or member.role is not Role.PARTICIPANT
    ):
        raise NotFound(N_("There is no participant %(id)s in this convening."), id=member_id)
    return member


def register(handlers: Handlers) -> None:
    """What a convening's own events make happen to it."""
    handlers.on("convening.updated", _names_follow_language)
