"""Demands and amendments: propose, edit, screen, support, agree; amend, accept, decide;
forward upstream (issue 18)."""

from __future__ import annotations

from flask import request

from convene.web.api.common import blueprint, json_body, query_args, run
from convene.web.api.replies import demands as r
from convene.web.api.spec import operation


@blueprint.get("/convenings/<code>/demands")
@operation(
    (
        "The demands the caller may see with support and agreement figures, and the caller's own "
        "supports and stances."
    ),
    command="demands.list",
    reply=r.DemandList,
)
def list_demands(code: str):
    return run(code, "demands.list", query_args(lists=("ids",)), from_query=True)


@blueprint.post("/convenings/<code>/demands")
@operation(
    "Propose a demand (participant or facilitator). It starts as a draft.",
    command="demands.propose",
    reply=r.Demand,
    status=201,
    errors=(403, 409),
)
def propose_demand(code: str):
    return run(code, "demands.propose", json_body()), 201


@blueprint.post("/convenings/<code>/demands/reorder")
@operation(
    "Put the demands in a new order: every demand id exactly once (facilitator).",
    command="demands.reorder",
    reply=r.DemandOrder,
    errors=(403, 409),
)
def reorder_demands(code: str):
    return run(code, "demands.reorder", json_body())


@blueprint.get("/convenings/<code>/demands/<int:demand_id>")
@operation("One demand.", command="demands.get", reply=r.Demand)
def get_demand(code: str, demand_id: int):
    return run(code, "demands.get", {"demand_id": demand_id})


@blueprint.patch("/convenings/<code>/demands/<int:demand_id>")
@operation(
    (
        "Edit a demand: its author while it is a draft, or a facilitator (recorded as a typo "
        "correction) while it is draft or open. Makes a new version."
    ),
    command="demands.edit",
    reply=r.Demand,
    errors=(403, 409),
)
def edit_demand(code: str, demand_id: int):
    return run(code, "demands.edit", {**json_body(), "demand_id": demand_id})


@blueprint.delete("/convenings/<code>/demands/<int:demand_id>")
@operation(
    "Withdraw a draft (its author). The demand is kept with status withdrawn.",
    command="demands.withdraw",
    reply=r.Demand,
    errors=(403, 409),
)
def withdraw_demand(code: str, demand_id: int):
    return run(code, "demands.withdraw", {"demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/open")
@operation(
    "Put a draft before the room (facilitator): status open.",
    command="demands.open",
    reply=r.Demand,
    errors=(403, 409),
)
def open_demand(code: str, demand_id: int):
    return run(code, "demands.open", {"demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/hide")
@operation(
    "Hide abusive content (facilitator): kept with the reason, shown only to facilitators.",
    command="demands.hide",
    reply=r.Demand,
    errors=(403, 409),
)
def hide_demand(code: str, demand_id: int):
    return run(code, "demands.hide", {**json_body(), "demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/unhide")
@operation(
    "Show a hidden demand again (facilitator).",
    command="demands.unhide",
    reply=r.Demand,
    errors=(403, 409),
)
def unhide_demand(code: str, demand_id: int):
    return run(code, "demands.unhide", {"demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/merge")
@operation(
    (
        "Merge this duplicate into another demand (facilitator): supporters carry over, its "
        "authors are credited, it becomes merged. Returns the demand merged into."
    ),
    command="demands.merge",
    reply=r.Demand,
    errors=(403, 409),
)
def merge_demand(code: str, demand_id: int):
    return run(code, "demands.merge", {**json_body(), "demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/support")
@operation(
    "Support (second) a demand, once (participant or facilitator; not its authors).",
    command="demands.support",
    reply=r.SupportReply,
    errors=(403, 409),
)
def support_demand(code: str, demand_id: int):
    return run(code, "demands.support", {"demand_id": demand_id})


@blueprint.delete("/convenings/<code>/demands/<int:demand_id>/support")
@operation(
    "Withdraw one's support.", command="demands.unsupport", reply=r.SupportReply, errors=(403, 409)
)
def unsupport_demand(code: str, demand_id: int):
    return run(code, "demands.unsupport", {"demand_id": demand_id})


@blueprint.put("/convenings/<code>/demands/<int:demand_id>/agreement")
@operation(
    "Mark a demand agree, disagree or pass. Counted, never shown with a name.",
    command="demands.agree",
    reply=r.AgreementReply,
    errors=(403, 409),
)
def agree_demand(code: str, demand_id: int):
    return run(code, "demands.agree", {**json_body(), "demand_id": demand_id})


@blueprint.get("/convenings/<code>/demands/<int:demand_id>/supporters")
@operation(
    "One page of who supports a demand, in the order they gave their support (its summary's "
    "`supported_by` names only the first 10). Refused when the convening is anonymous.",
    command="demands.supporters",
    reply=r.SupporterList,
    errors=(403,),
)
def demand_supporters(code: str, demand_id: int):
    return run(
        code, "demands.supporters", {**query_args(), "demand_id": demand_id}, from_query=True
    )


@blueprint.get("/convenings/<code>/demands/<int:demand_id>/versions")
@operation(
    "Every version of a demand, oldest first.", command="demands.versions", reply=r.VersionList
)
def demand_versions(code: str, demand_id: int):
    return run(code, "demands.versions", {"demand_id": demand_id})


@blueprint.get("/convenings/<code>/demands/<int:demand_id>/compare")
@operation(
    "The word-level difference between two versions of a demand.",
    command="demands.compare",
    reply=r.VersionComparison,
)
def compare_versions(code: str, demand_id: int):
    args = {**request.args.to_dict(), "demand_id": demand_id}
    return run(code, "demands.compare", args, from_query=True)


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/amendments")
@operation(
    (
        "Propose an amendment: the whole body, or `passage` (which must occur exactly once in the "
        "current body) replaced by `body`. `version`: the version it was written against; 409 when"
        " the demand has moved on."
    ),
    command="demands.amend",
    reply=r.Amendment,
    status=201,
    errors=(403, 409),
)
def amend_demand(code: str, demand_id: int):
    return run(code, "demands.amend", {**json_body(), "demand_id": demand_id}), 201


@blueprint.post("/convenings/<code>/amendments/<int:amendment_id>/accept")
@operation(
    (
        "Accept an amendment as friendly (the demand's author): applied at once as a new version. "
        "Returns the demand."
    ),
    command="amendments.accept",
    reply=r.Demand,
    errors=(403, 409),
)
def accept_amendment(code: str, amendment_id: int):
    return run(code, "amendments.accept", {"amendment_id": amendment_id})


@blueprint.post("/convenings/<code>/amendments/<int:amendment_id>/decide")
@operation(
    "Record the room's decision on an amendment (facilitator). Returns the demand.",
    command="amendments.decide",
    reply=r.Demand,
    errors=(403, 409),
)
def decide_amendment(code: str, amendment_id: int):
    return run(code, "amendments.decide", {**json_body(), "amendment_id": amendment_id})


@blueprint.delete("/convenings/<code>/amendments/<int:amendment_id>")
@operation(
    "Withdraw one's pending amendment. Returns its demand.",
    command="amendments.withdraw",
    reply=r.Demand,
    errors=(403, 409),
)
def withdraw_amendment(code: str, amendment_id: int):
    return run(code, "amendments.withdraw", {"amendment_id": amendment_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/forward")
@operation(
    "Forward an adopted demand to the convening this one sends its demands to (facilitator), "
    "with the chapter's `mandate` to its delegates (as written, the default; may accept "
    "friendly amendments; advisory) and a `note`. The upstream gets a demand of its own, "
    "open, whose `origin` records where it came from (`forwarded` true); the same "
    "version again changes nothing (`forwarded` false); a newer version is a new demand naming the "
    "earlier one. 409 (naming the demand) unless it was adopted, is not hidden and this "
    "convening has an upstream.",
    command="demands.forward",
    reply=r.Forwarded,
    errors=(403, 409),
)
def forward_demand(code: str, demand_id: int):
    return run(code, "demands.forward", {**json_body(), "demand_id": demand_id})
