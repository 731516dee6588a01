"""What a screen reads of the meeting as it is: the snapshot, and the events after a
sequence number (catching up after a reconnect)."""

from __future__ import annotations

from convene.domain.convening import normalise_join_code
from convene.services import live
from convene.services import schemas as s
from convene.web.api.common import bearer_token, blueprint, query_args, services
from convene.web.api.replies import live as r
from convene.web.api.spec import operation


@blueprint.get("/convenings/<code>")
@operation(
    "The current state the caller's role may see, with its sequence number.", reply=r.Snapshot
)
def get_convening(code: str):
    actor = services().authenticate(bearer_token(), normalise_join_code(code))
    return live.snapshot(services(), actor)


@blueprint.get("/convenings/<code>/events")
@operation(
    "Events after `after` (catch up after a reconnect), or a fresh snapshot.",
    query=s.EventsQuery,
    reply=r.CatchUp,
)
def events(code: str):
    actor = services().authenticate(bearer_token(), normalise_join_code(code))
    query = s.parse(s.EventsQuery, query_args(), strict=False)
    return live.events_since(
        services(), actor, query.get("after", 0), query.get("limit", live.RESYNC_MAX_EVENTS)
    )
