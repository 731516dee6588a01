"""Check-in at the credentials desk: check a roster entry in or out, the desk's search."""

from __future__ import annotations

from convene.web.api.common import blueprint, json_body, query_args, run
from convene.web.api.replies import checkins as r
from convene.web.api.spec import operation


@blueprint.post("/convenings/<code>/checkins")
@operation(
    "Check a roster entry in at the desk (desk or facilitator): `code` is the badge code "
    "typed or what its QR holds (the personal link, or its token), or `entry_id` someone "
    "found by name. Already checked in: 200 with `already` true, nothing recorded. An "
    "unknown, revoked or another convening's code is 404; a desk sending many is 429. "
    "With `seat_of` (a delegate's roster entry id) the alternate takes that delegate's "
    "seat (docs/using-convene.md, 'Alternates'): checked in if need be, the delegate "
    "checked out if still in; not an alternate, not a delegate or another delegation is "
    "422, a seat or an alternate already taken 409.",
    command="checkins.add",
    reply=r.Checkin,
    errors=(403, 404, 409, 429),
)
def check_in(code: str):
    return run(code, "checkins.add", json_body())


@blueprint.delete("/convenings/<code>/checkins/<int:entry_id>")
@operation(
    "Check roster entry `entry_id` out (desk or facilitator; the entry's id, as every "
    "entry has one, whether or not its badge was used). Already out: 200 with `already`.",
    command="checkins.remove",
    reply=r.Checkin,
    errors=(403, 404),
)
def check_out(code: str, entry_id: int):
    return run(code, "checkins.remove", {"entry_id": entry_id})


@blueprint.get("/convenings/<code>/checkins")
@operation(
    "The roster entries the desk reads (desk or facilitator): name, delegation, role, "
    "checked in or not; those whose name or delegation holds `search`, by name, at most "
    "20; and the counts.",
    command="checkins.search",
    reply=r.CheckinSearch,
    errors=(403, 413),
)
def search_checkins(code: str):
    return run(code, "checkins.search", query_args(), from_query=True)
