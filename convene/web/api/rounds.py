"""Decision rounds: create, open, ballots by phone and on paper, close, the lot drawn in the
room, follow-up, who has not voted, the published ballots."""

from __future__ import annotations

from convene.web.api.common import blueprint, json_body, query_args, run
from convene.web.api.replies import rounds as r
from convene.web.api.spec import operation


@blueprint.post("/convenings/<code>/rounds")
@operation(
    "Create a decision round as a draft (facilitator).",
    command="rounds.create",
    reply=r.Round,
    status=201,
    errors=(403, 409),
)
def create_round(code: str):
    return run(code, "rounds.create", json_body()), 201


@blueprint.get("/convenings/<code>/rounds/<int:round_id>")
@operation(
    "A round: settings, turnout, the live tally while open (if shown), the result once closed.",
    command="rounds.get",
    reply=r.Round,
)
def get_round(code: str, round_id: int):
    return run(code, "rounds.get", {"round_id": round_id})


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/open")
@operation(
    "Open the round for voting (facilitator).",
    command="rounds.open",
    reply=r.Round,
    errors=(403, 409),
)
def open_round(code: str, round_id: int):
    return run(code, "rounds.open", {"round_id": round_id})


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/ballots")
@operation(
    "Cast (or change) a ballot (participant). Answered only after it is committed.",
    command="rounds.cast",
    reply=r.BallotReceipt,
    errors=(403, 409),
)
def cast_ballot(code: str, round_id: int):
    return run(code, "rounds.cast", {**json_body(), "round_id": round_id})


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/paper-ballots")
@operation(
    "Enter a participant's paper ballot (teller or facilitator): `member_id` and the "
    "ballot's fields as for a phone ballot. Counted once per seat and final: 409 when they "
    "already voted (by phone or on paper) or a proxy carries their vote.",
    command="rounds.paper_ballot",
    reply=r.PaperBallotReceipt,
    status=201,
    errors=(403, 409),
)
def paper_ballot(code: str, round_id: int):
    return run(code, "rounds.paper_ballot", {**json_body(), "round_id": round_id}), 201


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/paper-roll")
@operation(
    "Those whose paper ballot may still be entered in an open round, whose name holds "
    "`search`, by name, at most `limit` (teller or facilitator). A named round leaves out "
    "everyone who voted, a secret round those who voted on paper.",
    command="rounds.paper_roll",
    reply=r.PaperRoll,
    errors=(403, 409, 413),
)
def paper_roll(code: str, round_id: int):
    return run(code, "rounds.paper_roll", {**query_args(), "round_id": round_id}, from_query=True)


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/ballots")
@operation(
    "After the close: every ballot with its receipt (and names in named rounds).",
    command="rounds.ballots",
    reply=r.PublishedBallots,
    errors=(409,),
)
def published_ballots(code: str, round_id: int):
    return run(code, "rounds.ballots", {"round_id": round_id})


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/not-voted")
@operation(
    "One page of who has not voted yet in an open named round, by member id (facilitator): "
    "ask again with `after` = `next_after` until it is null.",
    command="rounds.not_voted",
    reply=r.NotVotedList,
    errors=(403, 409),
)
def not_voted(code: str, round_id: int):
    return run(code, "rounds.not_voted", {**query_args(), "round_id": round_id}, from_query=True)


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/close")
@operation(
    "Close the round: count the stored ballots and record the decision (facilitator).",
    command="rounds.close",
    reply=r.Round,
    errors=(403, 409),
)
def close_round(code: str, round_id: int):
    return run(code, "rounds.close", {"round_id": round_id})


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/lot")
@operation(
    (
        "The count paused on a tie (tie-break `room`): enter the tied option that the lot "
        "drawn in the room chose (facilitator). The count runs again and closes the round, or "
        "pauses on the next tie."
    ),
    command="rounds.draw_lot",
    reply=r.Round,
    errors=(403, 409),
)
def draw_lot(code: str, round_id: int):
    return run(code, "rounds.draw_lot", {**json_body(), "round_id": round_id})


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/follow-up")
@operation(
    (
        "After a blocked consent round: `amend` (back to amendments), `retry` (a new consent "
        "round) or `fallback` (a yes/no vote at the convening's supermajority)."
    ),
    command="rounds.follow_up",
    reply=r.FollowUpReply,
    errors=(403, 409),
)
def follow_up(code: str, round_id: int):
    return run(code, "rounds.follow_up", {**json_body(), "round_id": round_id})
