"""The floor: who speaks next, for how long, and who has spoken.

Pure Python. The order of the speaker queue is a function of the waiting requests, the
item's floor settings and who has spoken before; it is recomputed, never stored, except
for the facilitator's own moves (``manual_rank``), which always win over the rules.

Order, from the front:
1. points of order and points of process, in the order raised;
2. direct responses (only when the facilitator allows them): right after the speaker;
3. clarifying questions;
4. requests the facilitator moved by hand, in the order they set;
5. everyone else. With the progressive stack, people who have not yet spoken on this item
   go first; with the convening-wide option, then those who have spoken least in the whole
   convening; ties in the order raised.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from convene.domain.errors import N_, Conflict, InvalidInput
from convene.domain.times import iso

SPEAKER_LIMIT_MAX_SECONDS = 60 * 60


class RequestKind(enum.StrEnum):
    SPEAK = "speak"
    POINT_OF_ORDER = "point_of_order"
    POINT_OF_PROCESS = "point_of_process"
    CLARIFYING_QUESTION = "clarifying_question"
    DIRECT_RESPONSE = "direct_response"


class RequestState(enum.StrEnum):
    WAITING = "waiting"
    SPEAKING = "speaking"
    DONE = "done"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"


class Progressive(enum.StrEnum):
    OFF = "off"
    #: those who have not spoken on this item go first
    ITEM = "item"
    #: and then those who have spoken least in the whole convening
    CONVENING = "convening"


class Signal(enum.StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    CLARIFY = "clarify"
    LOUDER = "louder"
    SLOWER = "slower"


class Reason(enum.StrEnum):
    """Why a request stands where it does: the projector says it in words."""

    POINT_OF_ORDER = "point_of_order"
    POINT_OF_PROCESS = "point_of_process"
    DIRECT_RESPONSE = "direct_response"
    CLARIFYING_QUESTION = "clarifying_question"
    MOVED = "moved_by_facilitator"
    FIRST_TIME = "first_time_speaking"
    SPOKE_LESS = "spoke_less"
    IN_ORDER = "in_order_raised"


_TIER = {
    RequestKind.POINT_OF_ORDER: 0,
    RequestKind.POINT_OF_PROCESS: 0,
    RequestKind.DIRECT_RESPONSE: 1,
    RequestKind.CLARIFYING_QUESTION: 2,
    RequestKind.SPEAK: 4,
}


@dataclass(frozen=True)
class FloorSettings:
    """The floor rules in force for one agenda item (the item's own, else the convening's)."""

    progressive: Progressive = Progressive.OFF
    speaker_limit_seconds: int | None = None
    allow_direct_responses: bool = True

    def public(self) -> dict:
        return {
            "progressive": str(self.progressive),
            "speaker_limit_seconds": self.speaker_limit_seconds,
            "allow_direct_responses": self.allow_direct_responses,
        }


@dataclass(eq=False)
class FloorRequest:
    """A raised hand."""

    convening_id: int
    item_id: int
    member_id: int
    kind: RequestKind
    raised_at: datetime
    state: RequestState = RequestState.WAITING
    manual_rank: int | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    limit_seconds: int | None = None
    id: int | None = None

    @property
    def seconds_spoken(self) -> float:
        if self.started_at is None or self.ended_at is None:
            return 0.0
        return (self.ended_at - self.started_at).total_seconds()

    def public(self) -> dict:
        return {
            "id": self.id,
            "item_id": self.item_id,
            "member_id": self.member_id,
            "kind": str(self.kind),
            "state": str(self.state),
            "raised_at": iso(self.raised_at),
            "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
            "limit_seconds": self.limit_seconds,
        }


@dataclass(frozen=True)
class Place:
    request: FloorRequest
    reason: Reason


def parse_kind(value: object) -> RequestKind:
    try:
        return RequestKind(value)
    except ValueError:
        raise InvalidInput(
            N_("There is no kind of request called %(kind)s."), field="kind", kind=str(value)[:40]
        ) from None


def parse_signal(value: object) -> Signal:
    try:
        return Signal(value)
    except ValueError:
        raise InvalidInput(
            N_("There is no hand signal called %(signal)s."),
            field="signal",
            signal=str(value)[:40],
        ) from None


def parse_progressive(value: object) -> Progressive:
    try:
        return Progressive(value)
    except ValueError:
        raise InvalidInput(
            N_("The progressive stack is off, item or convening."), field="progressive"
        ) from None


def parse_speaker_limit(value: object) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            N_("The speaking time must be a whole number of seconds."),
            field="speaker_limit_seconds",
        )
    if not 10 <= value <= SPEAKER_LIMIT_MAX_SECONDS:
        raise InvalidInput(
            N_("The speaking time must be between 10 and %(max)d seconds."),
            field="speaker_limit_seconds",
            max=SPEAKER_LIMIT_MAX_SECONDS,
        )
    return value


def queue_order(
    waiting: Iterable[FloorRequest],
    settings: FloorSettings,
    spoke_on_item: set[int],
    seconds_in_convening: Mapping[int, float],
) -> list[Place]:
    """The waiting requests from the front of the queue to the back, each with its reason."""
    places: list[tuple[tuple, Place]] = []
    for request in waiting:
        if request.state is not RequestState.WAITING:
            continue
        tier = _TIER[request.kind]
        if tier == 4 and request.manual_rank is not None:
            key = (3, request.manual_rank, request.raised_at, request.id or 0)
            places.append((key, Place(request, Reason.MOVED)))
            continue
        if tier < 4:
            key = (tier, request.raised_at, request.id or 0)
            places.append((key, Place(request, Reason(str(request.kind)))))
            continue
        first_time = request.member_id not in spoke_on_item
        spoken = seconds_in_convening.get(request.member_id, 0.0)
        if settings.progressive is Progressive.OFF:
            key, reason = (4, 0, 0.0, request.raised_at, request.id or 0), Reason.IN_ORDER
        elif settings.progressive is Progressive.ITEM:
            key = (4, 0 if first_time else 1, 0.0, request.raised_at, request.id or 0)
            reason = Reason.FIRST_TIME if first_time else Reason.IN_ORDER
        else:
            key = (4, 0 if first_time else 1, spoken, request.raised_at, request.id or 0)
            reason = Reason.FIRST_TIME if first_time else Reason.SPOKE_LESS
        places.append((key, Place(request, reason)))
    places.sort(key=lambda pair: pair[0])
    ordered = [place for _, place in places]
    if settings.progressive is Progressive.CONVENING:
        # "spoke less" only means something when someone after them spoke more.
        ordered = _plain_where_no_difference(ordered, seconds_in_convening)
    return ordered


def _plain_where_no_difference(places: list[Place], seconds: Mapping[int, float]) -> list[Place]:
    result = []
    for index, place in enumerate(places):
        if place.reason is Reason.SPOKE_LESS:
            mine = seconds.get(place.request.member_id, 0.0)
            later = [
                seconds.get(p.request.member_id, 0.0)
                for p in places[index + 1 :]
                if p.reason is Reason.SPOKE_LESS
            ]
            if not any(other > mine for other in later):
                place = Place(place.request, Reason.IN_ORDER)
        result.append(place)
    return result


def floor_change(before: Sequence[tuple[int, str]], after: dict) -> dict:
    """What a floor event tells every screen: the speaker list ``after`` (as ``floor_state``
    gives it) against the one the screens have, ``before`` (its requests' ``(id, reason)``
    from the front), as a change bounded by what moved, not by the list's length.

    ``removed``: the ids no longer waiting; ``added``: the new entries, whole; ``moved``:
    ``{id, position, reason}`` of the others that changed place (those outside one longest
    run kept in order); ``reasons``: ``{reason: [ids]}`` of those in place whose reason
    changed (a facilitator's first reorder makes every plain request "moved by the
    facilitator": ids only). The small parts (``item_id``, ``queue_open``,
    ``settings``, ``speaker``) are whole; ``length`` is the list's new length. A screen
    drops the removed, moved and added ids from its list, then puts the moved and added
    entries at their positions, from the front, and sets the new reasons (``applyFloorChange`` in
    static/js/live-state.js); what stayed keeps its order, so that gives ``after``.
    """
    queue = after["queue"]
    where = {entry["id"]: index for index, entry in enumerate(queue)}
    reasons = dict(before)
    kept = [where[request_id] for request_id, _ in before if request_id in where]
    in_place = {queue[index]["id"] for index in _longest_increasing(kept)}
    added, moved, renamed = [], [], {}
    for entry in queue:
        request_id, reason = entry["id"], entry["reason"]
        if request_id not in reasons:
            added.append(entry)
        elif request_id not in in_place:
            moved.append({"id": request_id, "position": entry["position"], "reason": reason})
        elif reasons[request_id] != reason:
            renamed.setdefault(reason, []).append(request_id)
    return {
        "item_id": after["item_id"],
        "queue_open": after["queue_open"],
        "settings": after["settings"],
        "speaker": after["speaker"],
        "length": len(queue),
        "removed": [request_id for request_id, _ in before if request_id not in where],
        "added": added,
        "moved": moved,
        "reasons": renamed,
    }


def _longest_increasing(values: Sequence[int]) -> list[int]:
    """One longest strictly increasing subsequence of ``values`` (O(n log n))."""
    tails: list[int] = []  # tails[k]: index in values of the smallest end of a run of k + 1
    before: list[int] = [-1] * len(values)
    for index, value in enumerate(values):
        k = _bisect(values, tails, value)
        if k > 0:
            before[index] = tails[k - 1]
        if k == len(tails):
            tails.append(index)
        else:
            tails[k] = index
    run = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(values[index])
        index = before[index]
    return run[::-1]


def _bisect(values: Sequence[int], tails: list[int], value: int) -> int:
    low, high = 0, len(tails)
    while low < high:
        middle = (low + high) // 2
        if values[tails[middle]] < value:
            low = middle + 1
        else:
            high = middle
    return low


def check_can_raise(
    kind: RequestKind,
    member_id: int,
    open_requests: Iterable[FloorRequest],
    settings: FloorSettings,
    queue_open: bool,
    has_speaker: bool,
) -> None:
    """Refuse a hand that may not be raised now (raises; returns nothing)."""
    if any(
        r.member_id == member_id and r.state in (RequestState.WAITING, RequestState.SPEAKING)
        for r in open_requests
    ):
        raise Conflict(N_("Your hand is already raised on this item."))
    urgent = kind in (RequestKind.POINT_OF_ORDER, RequestKind.POINT_OF_PROCESS)
    if not queue_open and not urgent:
        raise Conflict(N_("The speaker list is closed for this item."))
    if kind is RequestKind.DIRECT_RESPONSE:
        if not settings.allow_direct_responses:
            raise Conflict(N_("Direct responses are not allowed on this item."))
        if not has_speaker:
            raise Conflict(N_("There is nobody speaking to respond to."))


@dataclass
class SpeakingStats:
    """Speaking time per person and how many spoke (for the minutes and the facilitator)."""

    speakers: int = 0
    speeches: int = 0
    total_seconds: float = 0.0
    first_time_speakers: int = 0
    per_person: dict[int, float] = field(default_factory=dict)

    def public(self) -> dict:
        return {
            "speakers": self.speakers,
            "speeches": self.speeches,
            "total_seconds": round(self.total_seconds, 1),
            "first_time_speakers": self.first_time_speakers,
            "per_person": [
                {"member_id": member, "seconds": round(seconds, 1)}
                for member, seconds in sorted(self.per_person.items(), key=lambda kv: -kv[1])
            ],
        }


def speaking_stats(
    speeches: Iterable[FloorRequest],
) -> tuple[SpeakingStats, dict[int, SpeakingStats]]:
    """(whole convening, per agenda item) from every finished or running speech.

    A "first-time speaker" of an item is someone whose first speech in the whole convening
    was on that item; at convening level it is everyone who spoke.
    """
    finished = sorted(
        (s for s in speeches if s.started_at is not None),
        key=lambda s: (s.started_at, s.id or 0),
    )
    overall = SpeakingStats()
    per_item: dict[int, SpeakingStats] = {}
    seen: set[int] = set()
    for speech in finished:
        stats = per_item.setdefault(speech.item_id, SpeakingStats())
        for target in (overall, stats):
            target.speeches += 1
            target.total_seconds += speech.seconds_spoken
            if speech.member_id not in target.per_person:
                target.per_person[speech.member_id] = 0.0
                target.speakers += 1
            target.per_person[speech.member_id] += speech.seconds_spoken
        if speech.member_id not in seen:
            seen.add(speech.member_id)
            stats.first_time_speakers += 1
            overall.first_time_speakers += 1
    return overall, per_item


class SignalLimiter:
    """At most ``rate`` hand signals per second per person, with a small burst; the rest
    are dropped quietly (a signal is a mood, not a command)."""

    def __init__(self, rate: float = 2.0, burst: int = 4) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[int, tuple[float, float]] = {}

    def allow(self, member_id: int, now: float) -> bool:
        tokens, last = self._buckets.get(member_id, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self._buckets[member_id] = (tokens, now)
            return False
        self._buckets[member_id] = (tokens - 1, now)
        if len(self._buckets) > 10_000:  # forget the quiet ones
            self._buckets = {m: b for m, b in self._buckets.items() if now - b[1] < 60}
        return True
