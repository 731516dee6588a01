"""The floor: the speaker list, hands raised and lowered, the next speaker, hand signals,
speaking statistics."""

from __future__ import annotations

from convene.domain.convening import normalise_join_code
from convene.services import floor
from convene.web.api.common import bearer_token, blueprint, json_body, run, services
from convene.web.api.replies import floor as r
from convene.web.api.spec import operation


@blueprint.get("/convenings/<code>/queue")
@operation("The speaker list of the running agenda item.", reply=r.FloorReply)
def queue(code: str):
    actor = services().authenticate(bearer_token(), normalise_join_code(code))
    return floor.current_floor(services(), actor)


@blueprint.post("/convenings/<code>/queue")
@operation(
    "Raise a hand on the running item (participant or facilitator).",
    command="floor.raise",
    reply=r.FloorRequest,
    status=201,
    errors=(403, 409),
)
def raise_hand(code: str):
    return run(code, "floor.raise", json_body()), 201


@blueprint.delete("/convenings/<code>/queue/<int:request_id>")
@operation(
    "Lower one's own hand, or (facilitator) take a request off the list.",
    command="floor.lower",
    status=204,
    errors=(403, 409),
)
def lower_hand(code: str, request_id: int):
    run(code, "floor.lower", {"request_id": request_id})
    return "", 204


@blueprint.post("/convenings/<code>/queue/next")
@operation(
    "The current speaker finishes; the front of the list gets the floor (facilitator).",
    command="floor.next",
    reply=r.Floor,
    errors=(403, 409),
)
def next_speaker(code: str):
    return run(code, "floor.next", {})


@blueprint.post("/convenings/<code>/queue/reorder")
@operation(
    (
        "Put the waiting requests in a chosen order, listing each once (facilitator). Points of "
        "order and process, direct responses and clarifying questions stay first."
    ),
    command="floor.reorder",
    reply=r.Floor,
    errors=(403, 409),
)
def reorder_queue(code: str):
    return run(code, "floor.reorder", json_body())


@blueprint.post("/convenings/<code>/queue/close")
@operation(
    "Close the speaker list: only points of order and process may still be raised.",
    command="floor.close",
    reply=r.Floor,
    errors=(403, 409),
)
def close_queue(code: str):
    return run(code, "floor.close", {})


@blueprint.post("/convenings/<code>/queue/open")
@operation(
    "Reopen the speaker list (facilitator).", command="floor.open", reply=r.Floor, errors=(403, 409)
)
def open_queue(code: str):
    return run(code, "floor.open", {})


@blueprint.post("/convenings/<code>/signals")
@operation(
    (
        "Send a silent hand signal (participant). Never stored with a name; more than a few per "
        "second from one person are dropped quietly (`accepted: false`)."
    ),
    command="floor.signal",
    reply=r.SignalAccepted,
    errors=(403, 409),
)
def signal(code: str):
    return run(code, "floor.signal", json_body())


@blueprint.get("/convenings/<code>/speaking-stats")
@operation(
    "Who spoke and for how long, per agenda item and for the convening (facilitator).",
    command="floor.stats",
    reply=r.SpeakingStatistics,
    errors=(403,),
)
def speaking_stats(code: str):
    return run(code, "floor.stats", {})
