"""What the facilitator puts on the projector.

``auto`` lets the projector follow the meeting (the item, its floor and demands; an open
round; a closed round's result for a while, then the floor again). Choosing ``auto`` again
("Back to the floor") sets ``since``: results closed before it do not come back. The other
views hold the screen until the facilitator changes them: how to join, the agenda, the
floor, one demand, one round. Pure Python: the service checks that a demand or round
belongs to the convening.
"""

from __future__ import annotations

from dataclasses import dataclass

from convene.domain.errors import N_, InvalidInput
from convene.domain.ids import parse_id

VIEWS = ("auto", "join", "agenda", "floor", "demand", "round")
#: In ``auto``, a closed round's result stays this long on the projector, then the floor is back.
RESULT_SECONDS = 90


def _id(value: object, field: str) -> int:
    return parse_id(value, field, N_("%(field)s must be a whole number."))


@dataclass(frozen=True)
class ProjectorView:
    show: str = "auto"
    demand_id: int | None = None
    round_id: int | None = None
    #: auto only: when the facilitator chose it (ISO 8601); results closed earlier stay off
    since: str | None = None

    @classmethod
    def parse(
        cls, show: object, demand_id: object = None, round_id: object = None
    ) -> ProjectorView:
        """From a command's fields; refuses an unknown view, a missing or a stray id."""
        if not isinstance(show, str) or show not in VIEWS:
            raise InvalidInput(
                N_("show must be one of: %(views)s."), field="show", views=", ".join(VIEWS)
            )
        wants = {"demand": "demand_id", "round": "round_id"}.get(show)
        given = {"demand_id": demand_id, "round_id": round_id}
        for field, value in given.items():
            if value is not None and field != wants:
                raise InvalidInput(
                    N_("%(field)s does not go with show=%(show)s."), field=field, show=show
                )
        if wants and given[wants] is None:
            raise InvalidInput(N_("%(field)s is required."), field=wants)
        return cls(
            show=show,
            demand_id=_id(demand_id, "demand_id") if show == "demand" else None,
            round_id=_id(round_id, "round_id") if show == "round" else None,
        )

    @classmethod
    def load(cls, stored: str | None) -> ProjectorView:
        """From the column (``auto``, ``floor``, ``round:12``); anything unreadable is auto."""
        if not stored:
            return cls()
        show, _, number = stored.partition(":")
        if show not in VIEWS:
            return cls()
        if show == "auto":
            return cls(since=number or None)
        if show in ("demand", "round"):
            if not number.isdigit():
                return cls()
            return cls(show, **{f"{show}_id": int(number)})
        return cls(show)

    def dump(self) -> str | None:
        if self.show == "auto":
            return f"auto:{self.since}" if self.since else None
        number = self.demand_id if self.show == "demand" else self.round_id
        return f"{self.show}:{number}" if number is not None else self.show

    def public(self) -> dict:
        return {
            "show": self.show,
            "demand_id": self.demand_id,
            "round_id": self.round_id,
            "since": self.since,
            "result_seconds": RESULT_SECONDS,
        }
