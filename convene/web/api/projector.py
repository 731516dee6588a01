"""The projector: what every projector link not pinned to a view shows."""

from __future__ import annotations

from convene.web.api.common import blueprint, json_body, run
from convene.web.api.replies import projector as r
from convene.web.api.spec import operation


@blueprint.put("/convenings/<code>/projector")
@operation(
    "Put a view on the projector (facilitator): auto (follow the meeting; a closed round's "
    "result stays result_seconds, then the floor is back), join, agenda, floor, one demand "
    "(demand_id) or one round (round_id). Every projector link not pinned to a view "
    "(?show=...) follows it; it is in the snapshot (projector) and the log (projector.shown), "
    "so a projector that reconnects shows it.",
    command="projector.show",
    reply=r.ProjectorView,
    errors=(403, 422),
)
def show_on_projector(code: str):
    return run(code, "projector.show", json_body())
