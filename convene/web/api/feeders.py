"""Routes of linked convenings (issue 18): a regional convening's feeder invitations and
feeders, a chapter's upstream (convene/services/feeders.py)."""

from __future__ import annotations

from convene.web.api.common import blueprint, json_body, run
from convene.web.api.replies import feeders as r
from convene.web.api.spec import operation


@blueprint.post("/convenings/<code>/feeders/invitations")
@operation(
    "A feeder invitation (facilitator): a secret, shown once, that chapters' "
    "facilitators link their convenings to this one with (`PUT .../upstream`). It "
    "serves any number of chapters until revoked; `label` says whom it was for.",
    command="feeders.invite",
    reply=r.NewFeederInvitation,
    status=201,
    errors=(403, 409),
)
def invite_feeder(code: str):
    return run(code, "feeders.invite", json_body()), 201


@blueprint.delete("/convenings/<code>/feeders/invitations/<int:invitation_id>")
@operation(
    "Revoke a feeder invitation (facilitator): it links no more chapters; the links "
    "made with it stay. Revoked already: the same reply, nothing changed.",
    command="feeders.revoke",
    reply=r.FeederInvitation,
    errors=(403,),
)
def revoke_feeder_invitation(code: str, invitation_id: int):
    return run(code, "feeders.revoke", {"invitation_id": invitation_id})


@blueprint.get("/convenings/<code>/feeders")
@operation(
    "The convenings that send their demands to this one now, by title, and this "
    "convening's feeder invitations without their secrets (facilitator).",
    command="feeders.list",
    reply=r.FeederList,
    errors=(403,),
)
def list_feeders(code: str):
    return run(code, "feeders.list", {})


@blueprint.delete("/convenings/<code>/feeders/<feeder_code>")
@operation(
    "Remove a feeder's link to this convening (facilitator of this one): 404 when the "
    "convening `feeder_code` does not send its demands here.",
    command="feeders.unlink",
    status=204,
    errors=(403,),
)
def unlink_feeder(code: str, feeder_code: str):
    run(code, "feeders.unlink", {"feeder_code": feeder_code})
    return "", 204


@blueprint.put("/convenings/<code>/upstream")
@operation(
    "Send this convening's demands to convening `code` (body: its join code) from now "
    "on, with its feeder `invitation` (facilitator of this one). One upstream at a "
    "time (409 while linked elsewhere), never itself (422) nor in a circle (409); a "
    "wrong, revoked or another convening's invitation is 403. Linked there already: "
    "200 with `already`, nothing changed.",
    command="upstream.link",
    reply=r.Upstream,
    errors=(403, 409),
)
def link_upstream(code: str):
    return run(code, "upstream.link", json_body())


@blueprint.get("/convenings/<code>/upstream")
@operation(
    "Where this convening sends its demands (facilitator): `upstream`, null for nowhere.",
    command="upstream.get",
    reply=r.Upstream,
    errors=(403,),
)
def get_upstream(code: str):
    return run(code, "upstream.get", {})


@blueprint.delete("/convenings/<code>/upstream")
@operation(
    "Stop sending this convening's demands upstream (facilitator): 409 when it sends them nowhere.",
    command="upstream.unlink",
    status=204,
    errors=(403, 409),
)
def unlink_upstream(code: str):
    run(code, "upstream.unlink", {})
    return "", 204
