"""A convening: its settings, its members and roles, and its agenda.

Pure Python. Methods check the rules of the meeting and return the domain events that
describe what changed; the service layer records those events in the convening's log.
Times are passed in (``now``) so every rule is testable without a clock.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from convene.domain.errors import N_, Conflict, Forbidden, InvalidInput, NotFound
from convene.domain.events import DomainEvent
from convene.domain.floor import (
    FloorSettings,
    Progressive,
    parse_progressive,
    parse_speaker_limit,
)
from convene.domain.ids import is_id_list
from convene.domain.rounds import parse_fraction
from convene.domain.text import clean_block, clean_line
from convene.domain.times import iso

TITLE_MAX = 200
DESCRIPTION_MAX = 4000
PLACE_MAX = 200
NAME_MAX = 60
#: the most votes one member may carry (set by hand or by a roster)
VOTE_WEIGHT_MAX = 10_000
#: A caucus is often a roster's delegation (a chapter's full name), so it holds as much.
CAUCUS_MAX = 200
NOTES_MAX = 4000
PASSCODE_MAX = 64
TIMEBOX_MAX_MINUTES = 24 * 60
FLOOR_SETTINGS = ("progressive", "speaker_limit_seconds", "allow_direct_responses")
#: The floor settings an agenda item may set for itself (else the convening's hold).
ITEM_FLOOR_SETTINGS = ("progressive", "speaker_limit_seconds")
DEMAND_SETTINGS = ("anonymous", "support_required")
ROUND_SETTINGS = ("fallback_threshold",)
MINUTES_SETTINGS = ("minutes_public", "participants_add_actions")
#: Only checked-in delegates vote; "present", quorum and turnout count check-ins.
ACCREDITATION_SETTINGS = ("accredited_voting",)
#: The languages of the interface (config LANGUAGES passes the offered ones to the services).
DEFAULT_LANGUAGE = "en"
#: Every setting a facilitator may change with `convening.update`.
SETTINGS = (
    "title",
    "description",
    "place",
    "date",
    "passcode",
    "language",
    *FLOOR_SETTINGS,
    *DEMAND_SETTINGS,
    *ROUND_SETTINGS,
    *MINUTES_SETTINGS,
    *ACCREDITATION_SETTINGS,
)
SUPPORT_REQUIRED_MAX = 1000
AGENDA_MAX_ITEMS = 200

# Join codes avoid characters people confuse when reading a projector: 0/O, 1/I/L, 5/S, 2/Z, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


class Role(enum.StrEnum):
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    PROJECTOR = "projector"
    OBSERVER = "observer"
    #: enters paper ballots for participants without a phone, and reads what they may
    TELLER = "teller"
    #: the credentials desk: checks roster entries in and out, and reads what that needs
    DESK = "desk"
    #: a feeder convening's seat in its upstream (issue 18): the author of the demands it
    #: forwards; nobody holds its token, which is never accepted
    CHAPTER = "chapter"


class ItemState(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    DONE = "done"


def new_join_code(rng: secrets.SystemRandom | None = None) -> str:
    rng = rng or secrets.SystemRandom()
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_join_code(value: object) -> str:
    """What a person typed as a join code, upper-cased and stripped of spaces and dashes."""
    if not isinstance(value, str):
        raise InvalidInput(N_("The join code must be text."), field="code")
    code = "".join(ch for ch in value.upper() if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise NotFound(N_("There is no convening with that code."))
    return code


def new_token() -> str:
    """A secret bearer token: 192 bits, URL-safe."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """Tokens are stored hashed: a leaked database does not hand out facilitator links."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_passcode(passcode: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", passcode.encode(), salt.encode(), 100_000).hex()
    return f"{salt}${digest}"


def check_join_passcode(passcode: object, stored: str | None) -> None:
    """Refuse a participant's passcode unless it matches ``stored`` (None: no passcode).
    Costs a PBKDF2 (about 29 ms): run it before taking the convening's write lock."""
    if stored is None:
        return
    given = passcode if isinstance(passcode, str) else ""
    if not given or len(given) > PASSCODE_MAX or not check_passcode(given, stored):
        raise Forbidden(N_("That passcode is not right for this convening."))


def check_passcode(passcode: str, stored: str) -> bool:
    salt, _, _ = stored.partition("$")
    return hmac.compare_digest(hash_passcode(passcode, salt), stored)


def parse_date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidInput(N_("The date must be written as YYYY-MM-DD."), field="date")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(N_("The date must be written as YYYY-MM-DD."), field="date") from None


def parse_language(value: object, languages: tuple[str, ...]) -> str:
    """A language code among ``languages`` (``es``, ``ES``, ``es-MX`` and ``es_MX`` all give
    ``es`` when only ``es`` is offered); anything else is refused, naming what is offered."""
    if isinstance(value, str) and 0 < len(value) <= 35:
        wanted = value.strip().replace("_", "-").lower()
        for candidate in (wanted, wanted.split("-")[0]):
            if candidate in languages:
                return candidate
    raise InvalidInput(
        N_("Unknown language: the supported languages are %(supported)s."),
        field="language",
        supported=", ".join(languages),
    )


def parse_timebox(value: object) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput(N_("The timebox must be a whole number of minutes."), field="timebox")
    try:
        minutes = int(value)
    except ValueError:
        raise InvalidInput(
            N_("The timebox must be a whole number of minutes."), field="timebox"
        ) from None
    if not 1 <= minutes <= TIMEBOX_MAX_MINUTES:
        raise InvalidInput(
            N_("The timebox must be between 1 and %(max)d minutes."),
            field="timebox",
            max=TIMEBOX_MAX_MINUTES,
        )
    return minutes


@dataclass(eq=False)
class Member:
    """Anyone holding a token for a convening: facilitator, participant, projector or observer."""

    convening_id: int
    role: Role
    name: str
    token_hash: str
    joined_at: datetime
    caucus: str | None = None
    removed_at: datetime | None = None
    #: votes this member casts (a delegate for 12 members has 12)
    vote_weight: int = 1
    #: the member who carries this member's vote (a proxy); this member then does not vote
    carried_by_id: int | None = None
    id: int | None = None

    @property
    def active(self) -> bool:
        return self.removed_at is None

    def public(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "role": str(self.role),
            "caucus": self.caucus,
            "vote_weight": self.vote_weight,
            "carried_by_id": self.carried_by_id,
        }


@dataclass(frozen=True)
class Admission:
    """Someone let in (by a code, an invitation, a roster's link or badge): their member id,
    the token that is now their identity (shown once) and their role."""

    id: int
    token: str
    role: Role


@dataclass(eq=False)
class Actor:
    """Who is running a command: resolved from a token by the service layer."""

    member_id: int
    convening_id: int
    role: Role
    name: str

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden(N_("Only a facilitator may do that."))

    @property
    def is_staff(self) -> bool:
        return self.role is Role.FACILITATOR


@dataclass(eq=False)
class AgendaItem:
    title: str
    position: int
    notes: str = ""
    timebox_minutes: int | None = None
    state: ItemState = ItemState.PENDING
    started_at: datetime | None = None
    ended_at: datetime | None = None
    #: the speaker list of this item takes new hands (points of order always)
    queue_open: bool = True
    #: floor rules for this item only; None: the convening's
    progressive: str | None = None
    speaker_limit_seconds: int | None = None
    id: int | None = None
    convening_id: int | None = None

    def public(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "notes": self.notes,
            "timebox_minutes": self.timebox_minutes,
            "position": self.position,
            "state": str(self.state),
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
            "queue_open": self.queue_open,
            "progressive": self.progressive,
            "speaker_limit_seconds": self.speaker_limit_seconds,
        }


@dataclass(eq=False)
class Convening:
    code: str
    title: str
    created_at: datetime
    description: str = ""
    place: str = ""
    starts_on: date | None = None
    passcode_hash: str | None = None
    started_at: datetime | None = None
    #: the meeting's own language: the projector and the minutes speak it; a phone or laptop
    #: without a choice of its own (or whose browser asks for none we have) too
    language: str = DEFAULT_LANGUAGE
    #: floor rules for every item that does not set its own
    progressive: str = "off"
    speaker_limit_seconds: int | None = None
    allow_direct_responses: bool = True
    #: demands: supporters are not named; supporters a demand needs to go to a vote
    anonymous: bool = False
    support_required: int = 1
    #: consensus with fallback: the supermajority a fallback vote needs
    fallback_threshold: str = "3/4"
    #: minutes: participants may download them once final; participants may add action items
    minutes_public: bool = False
    participants_add_actions: bool = False
    #: only delegates checked in at the desk may vote; "present" counts check-ins
    accredited_voting: bool = False
    #: what the projector shows (ProjectorView.dump()); None: it follows the meeting
    projector: str | None = None
    agenda: list[AgendaItem] = field(default_factory=list)
    id: int | None = None

    # -- creation and settings -------------------------------------------------------------

    @classmethod
    def create(
        cls,
        *,
        code: str,
        title: object,
        now: datetime,
        description: object = "",
        place: object = "",
        date: object = None,
        passcode: object = None,
        language: object = None,
        languages: tuple[str, ...] = (DEFAULT_LANGUAGE,),
    ) -> Convening:
        convening = cls(code=code, title="", created_at=now)
        settings = {
            "title": title,
            "description": description,
            "place": place,
            "date": date,
            "passcode": passcode,
        }
        if language is not None:
            settings["language"] = language
        convening._apply_settings(settings, languages)
        return convening

    def update_settings(
        self, changes: dict, languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)
    ) -> list[DomainEvent]:
        unknown = set(changes) - set(SETTINGS)
        if unknown:
            raise InvalidInput(
                N_("Unknown field: %(name)s."), field=sorted(unknown)[0], name=sorted(unknown)[0]
            )
        before = {name: getattr(self, name, None) for name in changes}
        self._apply_settings(changes, languages)
        return [DomainEvent("convening.updated", self.public(), before)]

    def _apply_settings(self, changes: dict, languages: tuple[str, ...]) -> None:
        # Validate everything first so a refused change leaves the convening untouched.
        cleaned: dict = {}
        if "language" in changes:
            cleaned["language"] = parse_language(changes["language"], languages)
        if "title" in changes:
            cleaned["title"] = clean_line(changes["title"], "title", TITLE_MAX)
        if "description" in changes:
            cleaned["description"] = clean_block(
                changes["description"], "description", DESCRIPTION_MAX
            )
        if "place" in changes:
            cleaned["place"] = clean_line(changes["place"], "place", PLACE_MAX, required=False)
        if "date" in changes:
            cleaned["starts_on"] = parse_date(changes["date"])
        if "passcode" in changes:
            passcode = clean_line(changes["passcode"], "passcode", PASSCODE_MAX, required=False)
            cleaned["passcode_hash"] = hash_passcode(passcode) if passcode else None
        if "progressive" in changes:
            cleaned["progressive"] = str(parse_progressive(changes["progressive"]))
        if "speaker_limit_seconds" in changes:
            cleaned["speaker_limit_seconds"] = parse_speaker_limit(changes["speaker_limit_seconds"])
        if "allow_direct_responses" in changes:
            if not isinstance(changes["allow_direct_responses"], bool):
                raise InvalidInput(
                    N_("allow_direct_responses must be true or false."),
                    field="allow_direct_responses",
                )
            cleaned["allow_direct_responses"] = changes["allow_direct_responses"]
        if "anonymous" in changes:
            if not isinstance(changes["anonymous"], bool):
                raise InvalidInput(N_("anonymous must be true or false."), field="anonymous")
            cleaned["anonymous"] = changes["anonymous"]
        for name in (*MINUTES_SETTINGS, *ACCREDITATION_SETTINGS):
            if name in changes:
                if not isinstance(changes[name], bool):
                    raise InvalidInput(N_("%(field)s must be true or false."), field=name)
                cleaned[name] = changes[name]
        if "support_required" in changes:
            value = changes["support_required"]
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not 0 <= value <= SUPPORT_REQUIRED_MAX
            ):
                raise InvalidInput(
                    N_("support_required must be a whole number from 0 to %(max)d."),
                    field="support_required",
                    max=SUPPORT_REQUIRED_MAX,
                )
            cleaned["support_required"] = value
        if "fallback_threshold" in changes:
            threshold = parse_fraction(changes["fallback_threshold"], "fallback_threshold")
            if threshold is None:
                raise InvalidInput(
                    N_("fallback_threshold must not be empty."), field="fallback_threshold"
                )
            cleaned["fallback_threshold"] = threshold
        for name, value in cleaned.items():
            setattr(self, name, value)

    @property
    def requires_passcode(self) -> bool:
        return self.passcode_hash is not None

    def public(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "description": self.description,
            "place": self.place,
            "date": self.starts_on.isoformat() if self.starts_on else None,
            "requires_passcode": self.requires_passcode,
            "language": self.language,
            "started_at": iso(self.started_at),
            "progressive": self.progressive,
            "speaker_limit_seconds": self.speaker_limit_seconds,
            "allow_direct_responses": self.allow_direct_responses,
            "anonymous": self.anonymous,
            "support_required": self.support_required,
            "fallback_threshold": self.fallback_threshold,
            "minutes_public": self.minutes_public,
            "participants_add_actions": self.participants_add_actions,
            "accredited_voting": self.accredited_voting,
        }

    def floor_settings(
        self, item: AgendaItem, *, was: dict | None = None, item_was: dict | None = None
    ) -> FloorSettings:
        """The floor rules in force on ``item``: its own where it sets them, else ours. ``was``
        (ours) and ``item_was`` (the item's): settings' values before a change, to read the
        rules as they were (a handler's ``event.before``)."""
        ours = {name: getattr(self, name) for name in FLOOR_SETTINGS} | (was or {})
        its = {name: getattr(item, name) for name in ITEM_FLOOR_SETTINGS}
        its |= {name: value for name, value in (item_was or {}).items() if name in its}
        return FloorSettings(
            progressive=Progressive(its["progressive"] or ours["progressive"]),
            speaker_limit_seconds=its["speaker_limit_seconds"] or ours["speaker_limit_seconds"],
            allow_direct_responses=ours["allow_direct_responses"],
        )

    # -- members ---------------------------------------------------------------------------

    def admit(
        self,
        *,
        name: object,
        token_hash: str,
        now: datetime,
        passcode: object = None,
        caucus: object = None,
        role: Role = Role.PARTICIPANT,
        passcode_checked: str | None = None,
    ) -> Member:
        """A person joins by code or link. Checks the passcode when the convening has one.

        ``passcode_checked``: the passcode hash that ``passcode`` was already checked
        against (:func:`check_join_passcode`, outside the convening's lock); it is only
        hashed again here if the facilitator changed the passcode in between."""
        clean_name = clean_line(name, "name", NAME_MAX)
        clean_caucus = clean_line(caucus, "caucus", CAUCUS_MAX, required=False) or None
        if role is Role.PARTICIPANT and self.passcode_hash != passcode_checked:
            check_join_passcode(passcode, self.passcode_hash)
        return Member(
            convening_id=self.id,
            role=role,
            name=clean_name,
            token_hash=token_hash,
            joined_at=now,
            caucus=clean_caucus,
        )

    # -- agenda ----------------------------------------------------------------------------

    def item(self, item_id: object) -> AgendaItem:
        for item in self.agenda:
            if item.id == item_id:
                return item
        raise NotFound(N_("There is no agenda item %(id)s in this convening."), id=item_id)

    @property
    def current_item(self) -> AgendaItem | None:
        return next((item for item in self.agenda if item.state is ItemState.ACTIVE), None)

    def add_item(
        self, *, title: object, notes: object = "", timebox_minutes: object = None
    ) -> AgendaItem:
        if len(self.agenda) >= AGENDA_MAX_ITEMS:
            raise Conflict(N_("An agenda has at most %(max)d items."), max=AGENDA_MAX_ITEMS)
        item = AgendaItem(
            title=clean_line(title, "title", TITLE_MAX),
            notes=clean_block(notes, "notes", NOTES_MAX),
            timebox_minutes=parse_timebox(timebox_minutes),
            position=len(self.agenda),
        )
        self.agenda.append(item)
        return item

    def edit_item(self, item_id: object, changes: dict) -> list[DomainEvent]:
        item = self.item(item_id)
        allowed = {"title", "notes", "timebox_minutes", "progressive", "speaker_limit_seconds"}
        unknown = set(changes) - allowed
        if unknown:
            name = sorted(unknown)[0]
            raise InvalidInput(N_("Unknown field: %(name)s."), field=name, name=name)
        cleaned: dict = {}
        if "title" in changes:
            cleaned["title"] = clean_line(changes["title"], "title", TITLE_MAX)
        if "notes" in changes:
            cleaned["notes"] = clean_block(changes["notes"], "notes", NOTES_MAX)
        if "timebox_minutes" in changes:
            cleaned["timebox_minutes"] = parse_timebox(changes["timebox_minutes"])
        if "progressive" in changes:
            value = changes["progressive"]
            cleaned["progressive"] = None if value in (None, "") else str(parse_progressive(value))
        if "speaker_limit_seconds" in changes:
            cleaned["speaker_limit_seconds"] = parse_speaker_limit(changes["speaker_limit_seconds"])
        before = {name: getattr(item, name) for name in cleaned}
        for name, value in cleaned.items():
            setattr(item, name, value)
        return [DomainEvent("agenda.item_updated", item.public(), before)]

    def remove_item(self, item_id: object) -> list[DomainEvent]:
        item = self.item(item_id)
        if item.state is ItemState.ACTIVE:
            raise Conflict(N_("End this agenda item before removing it."))
        self.agenda.remove(item)
        self._renumber()
        return [DomainEvent("agenda.item_removed", {"id": item.id, "order": self.order()})]

    def reorder(self, order: object) -> list[DomainEvent]:
        if not is_id_list(order):
            raise InvalidInput(N_("The order must be a list of agenda item ids."), field="order")
        if sorted(order) != sorted(item.id for item in self.agenda):
            raise InvalidInput(
                N_("The order must list every agenda item exactly once."), field="order"
            )
        by_id = {item.id: item for item in self.agenda}
        for position, item_id in enumerate(order):
            by_id[item_id].position = position
        self.agenda.sort(key=lambda item: item.position)
        return [DomainEvent("agenda.reordered", {"order": self.order()})]

    def start_item(self, item_id: object, now: datetime) -> list[DomainEvent]:
        """Start an item. A running item is ended first: the room is on one item at a time."""
        item = self.item(item_id)
        if item.state is ItemState.ACTIVE:
            raise Conflict(N_("This agenda item is already running."))
        events: list[DomainEvent] = []
        current = self.current_item
        if current is not None:
            events += self.end_item(current.id, now)
        if self.started_at is None:
            self.started_at = now
            events.append(DomainEvent("convening.started", {"started_at": iso(now)}))
        item.state = ItemState.ACTIVE
        item.started_at = now
        item.ended_at = None
        events.append(DomainEvent("agenda.item_started", item.public()))
        return events

    def end_item(self, item_id: object, now: datetime) -> list[DomainEvent]:
        item = self.item(item_id)
        if item.state is not ItemState.ACTIVE:
            raise Conflict(N_("This agenda item is not running."))
        item.state = ItemState.DONE
        item.ended_at = now
        return [DomainEvent("agenda.item_ended", item.public())]

    def order(self) -> list[int]:
        return [item.id for item in self.agenda]

    def _renumber(self) -> None:
        for position, item in enumerate(self.agenda):
            item.position = position
