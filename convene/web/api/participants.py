"""Participants and invitations: join, the members' list, removing a member, links for
co-facilitators, observers, projectors, tellers and desks, a member's caucus and vote weight."""

from __future__ import annotations

from flask import request

from convene.services.commands import run_open_command
from convene.web.api.common import blueprint, json_body, query_args, run, services
from convene.web.api.replies import participants as r
from convene.web.api.spec import operation
from convene.web.links import external_url


@blueprint.post("/convenings/<code>/participants")
@operation(
    "Join as a participant: no account, the token is the identity.",
    command="convenings.join",
    reply=r.Admission,
    status=201,
    errors=(403,),
    public=True,
)
def join(code: str):
    services().limits.hit("join", request.remote_addr)
    admission = run_open_command(services(), "convenings.join", json_body(), code=code)
    return {"id": admission.id, "token": admission.token}, 201


@blueprint.get("/convenings/<code>/participants")
@operation(
    "One page of everyone holding a token for the convening, by id (facilitator): ask again "
    "with `after` = `next_after` until it is null.",
    command="members.list",
    reply=r.MemberList,
    errors=(403,),
)
def members(code: str):
    return run(code, "members.list", query_args(), from_query=True)


@blueprint.delete("/convenings/<code>/participants/<int:member_id>")
@operation(
    "Remove a participant (facilitator): their token stops working at once.",
    command="members.remove",
    status=204,
    errors=(403, 409),
)
def remove_member(code: str, member_id: int):
    run(code, "members.remove", {"member_id": member_id})
    return "", 204


@blueprint.post("/convenings/<code>/invitations")
@operation(
    "A link for a co-facilitator, an observer, another projector or a teller, who enters "
    "paper ballots (facilitator).",
    command="members.invite",
    reply=r.Invitation,
    status=201,
    errors=(403, 409),
)
def invite(code: str):
    admission = run(code, "members.invite", json_body())
    return {**admission, "url": external_url("pages.enter", token=admission["token"])}, 201


@blueprint.patch("/convenings/<code>/participants/<int:member_id>")
@operation(
    "Set or clear (null or empty) a member's caucus (facilitator).",
    command="members.set_caucus",
    reply=r.Member,
    errors=(403, 409),
)
def set_caucus(code: str, member_id: int):
    return run(code, "members.set_caucus", {**json_body(), "member_id": member_id})


@blueprint.patch("/convenings/<code>/participants/<int:member_id>/vote")
@operation(
    "A participant's vote weight (delegates) or who carries their vote (proxies).",
    command="members.set_weight",
    reply=r.Member,
    errors=(403, 409),
)
def set_vote_weight(code: str, member_id: int):
    return run(code, "members.set_weight", {**json_body(), "member_id": member_id})
