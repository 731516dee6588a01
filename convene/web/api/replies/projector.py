"""The projector's reply: what it shows."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from convene.web.api.replies.common import Reply


class ProjectorView(Reply, kw_only=True):
    """What the projector shows (every projector link not pinned to a view with ?show=)."""

    show: Literal["auto", "join", "agenda", "floor", "demand", "round"]
    demand_id: int | None
    round_id: int | None
    since: Annotated[
        str | None,
        Meta(
            description="auto: when it was chosen; results closed before it are not shown again.",
            extra_json_schema={"format": "date-time"},
        ),
    ]
    result_seconds: Annotated[
        int,
        Meta(description="In auto, how long a closed round's result stays before the floor."),
    ]
