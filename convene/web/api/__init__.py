"""The HTTP JSON API: every facilitator and participant action, documented at /api/openapi.json.

Routes are thin: they read JSON and the bearer token, call a service command, and shape
the reply. Errors become ``{"error": {"code", "message"}}`` in convene/web/errors.py.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, request

from convene.domain.convening import normalise_join_code
from convene.domain.errors import N_, InvalidInput
from convene.services import floor, live
from convene.services import minutes as minutes_service
from convene.services.commands import run_command, run_open_command, to_json
from convene.web.api.openapi import openapi_document
from convene.web.errors import BadRequest
from convene.web.jsonbody import parse_json
from convene.web.links import external_url, links_for

blueprint = Blueprint("api", __name__, url_prefix="/api")
_DIGITS = re.compile(r"[0-9]{1,10}")


def _services():
    return current_app.extensions["convene"]


def _body() -> dict:
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    data = parse_json(raw)  # bounded depth, no lone surrogates; BadRequest otherwise
    if not isinstance(data, dict):
        raise BadRequest(N_("The request body must be a JSON object."))
    return data


def _token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _run(code: str, name: str, args: dict, *, from_query: bool = False):
    return run_command(
        _services(), _token(), name, args, code=normalise_join_code(code), from_query=from_query
    )


@blueprint.get("/openapi.json")
def openapi():
    return openapi_document()


@blueprint.post("/convenings")
def create_convening():
    created = run_open_command(_services(), "convenings.create", _body())
    return {**to_json(created), **links_for(created)}, 201


@blueprint.get("/convenings/<code>")
def get_convening(code: str):
    actor = _services().authenticate(_token(), normalise_join_code(code))
    return live.snapshot(_services(), actor)


@blueprint.patch("/convenings/<code>")
def update_convening(code: str):
    return _run(code, "convening.update", _body())


@blueprint.get("/convenings/<code>/events")
def events(code: str):
    actor = _services().authenticate(_token(), normalise_join_code(code))
    after = request.args.get("after", "0")
    if not _DIGITS.fullmatch(after):
        raise InvalidInput(N_("seq must be a whole number."), field="after")
    return live.events_since(_services(), actor, int(after))


@blueprint.post("/convenings/<code>/participants")
def join(code: str):
    admission = run_open_command(_services(), "convenings.join", _body(), code=code)
    return {"id": admission.id, "token": admission.token}, 201


@blueprint.get("/convenings/<code>/participants")
def members(code: str):
    actor = _services().authenticate(_token(), normalise_join_code(code))
    return {"members": live.members(_services(), actor)}


@blueprint.delete("/convenings/<code>/participants/<int:member_id>")
def remove_member(code: str, member_id: int):
    _run(code, "members.remove", {"member_id": member_id})
    return "", 204


@blueprint.post("/convenings/<code>/invitations")
def invite(code: str):
    admission = _run(code, "members.invite", _body())
    return {**admission, "url": external_url("pages.enter", token=admission["token"])}, 201


@blueprint.post("/convenings/<code>/agenda")
def add_item(code: str):
    return _run(code, "agenda.add", _body()), 201


@blueprint.patch("/convenings/<code>/agenda/<int:item_id>")
def edit_item(code: str, item_id: int):
    return _run(code, "agenda.edit", {**_body(), "item_id": item_id})


@blueprint.delete("/convenings/<code>/agenda/<int:item_id>")
def remove_item(code: str, item_id: int):
    _run(code, "agenda.remove", {"item_id": item_id})
    return "", 204


@blueprint.post("/convenings/<code>/agenda/<int:item_id>/start")
def start_item(code: str, item_id: int):
    return _run(code, "agenda.start", {"item_id": item_id})


@blueprint.post("/convenings/<code>/agenda/<int:item_id>/end")
def end_item(code: str, item_id: int):
    return _run(code, "agenda.end", {"item_id": item_id})


@blueprint.post("/convenings/<code>/agenda/reorder")
def reorder(code: str):
    return {"order": _run(code, "agenda.reorder", _body())}


# -- the floor ----------------------------------------------------------------------------------


@blueprint.get("/convenings/<code>/queue")
def queue(code: str):
    actor = _services().authenticate(_token(), normalise_join_code(code))
    return floor.current_floor(_services(), actor)


@blueprint.post("/convenings/<code>/queue")
def raise_hand(code: str):
    return _run(code, "floor.raise", _body()), 201


@blueprint.delete("/convenings/<code>/queue/<int:request_id>")
def lower_hand(code: str, request_id: int):
    _run(code, "floor.lower", {"request_id": request_id})
    return "", 204


@blueprint.post("/convenings/<code>/queue/next")
def next_speaker(code: str):
    return _run(code, "floor.next", {})


@blueprint.post("/convenings/<code>/queue/reorder")
def reorder_queue(code: str):
    return _run(code, "floor.reorder", _body())


@blueprint.post("/convenings/<code>/queue/close")
def close_queue(code: str):
    return _run(code, "floor.close", {})


@blueprint.post("/convenings/<code>/queue/open")
def open_queue(code: str):
    return _run(code, "floor.open", {})


@blueprint.post("/convenings/<code>/signals")
def signal(code: str):
    return _run(code, "floor.signal", _body())


@blueprint.get("/convenings/<code>/speaking-stats")
def speaking_stats(code: str):
    return _run(code, "floor.stats", {})


# -- demands and amendments ---------------------------------------------------------------------


@blueprint.get("/convenings/<code>/demands")
def list_demands(code: str):
    return _run(code, "demands.list", request.args.to_dict(), from_query=True)


@blueprint.post("/convenings/<code>/demands")
def propose_demand(code: str):
    return _run(code, "demands.propose", _body()), 201


@blueprint.post("/convenings/<code>/demands/reorder")
def reorder_demands(code: str):
    return _run(code, "demands.reorder", _body())


@blueprint.get("/convenings/<code>/demands/<int:demand_id>")
def get_demand(code: str, demand_id: int):
    return _run(code, "demands.get", {"demand_id": demand_id})


@blueprint.patch("/convenings/<code>/demands/<int:demand_id>")
def edit_demand(code: str, demand_id: int):
    return _run(code, "demands.edit", {**_body(), "demand_id": demand_id})


@blueprint.delete("/convenings/<code>/demands/<int:demand_id>")
def withdraw_demand(code: str, demand_id: int):
    return _run(code, "demands.withdraw", {"demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/open")
def open_demand(code: str, demand_id: int):
    return _run(code, "demands.open", {"demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/hide")
def hide_demand(code: str, demand_id: int):
    return _run(code, "demands.hide", {**_body(), "demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/unhide")
def unhide_demand(code: str, demand_id: int):
    return _run(code, "demands.unhide", {"demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/merge")
def merge_demand(code: str, demand_id: int):
    return _run(code, "demands.merge", {**_body(), "demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/support")
def support_demand(code: str, demand_id: int):
    return _run(code, "demands.support", {"demand_id": demand_id})


@blueprint.delete("/convenings/<code>/demands/<int:demand_id>/support")
def unsupport_demand(code: str, demand_id: int):
    return _run(code, "demands.unsupport", {"demand_id": demand_id})


@blueprint.put("/convenings/<code>/demands/<int:demand_id>/agreement")
def agree_demand(code: str, demand_id: int):
    return _run(code, "demands.agree", {**_body(), "demand_id": demand_id})


@blueprint.get("/convenings/<code>/demands/<int:demand_id>/versions")
def demand_versions(code: str, demand_id: int):
    return _run(code, "demands.versions", {"demand_id": demand_id})


@blueprint.get("/convenings/<code>/demands/<int:demand_id>/compare")
def compare_versions(code: str, demand_id: int):
    args = {**request.args.to_dict(), "demand_id": demand_id}
    return _run(code, "demands.compare", args, from_query=True)


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/amendments")
def amend_demand(code: str, demand_id: int):
    return _run(code, "demands.amend", {**_body(), "demand_id": demand_id}), 201


@blueprint.post("/convenings/<code>/amendments/<int:amendment_id>/accept")
def accept_amendment(code: str, amendment_id: int):
    return _run(code, "amendments.accept", {"amendment_id": amendment_id})


@blueprint.post("/convenings/<code>/amendments/<int:amendment_id>/decide")
def decide_amendment(code: str, amendment_id: int):
    return _run(code, "amendments.decide", {**_body(), "amendment_id": amendment_id})


@blueprint.delete("/convenings/<code>/amendments/<int:amendment_id>")
def withdraw_amendment(code: str, amendment_id: int):
    return _run(code, "amendments.withdraw", {"amendment_id": amendment_id})


@blueprint.patch("/convenings/<code>/participants/<int:member_id>")
def set_caucus(code: str, member_id: int):
    return _run(code, "members.set_caucus", {**_body(), "member_id": member_id})


# -- decision rounds ----------------------------------------------------------------------------


@blueprint.post("/convenings/<code>/rounds")
def create_round(code: str):
    return _run(code, "rounds.create", _body()), 201


@blueprint.get("/convenings/<code>/rounds/<int:round_id>")
def get_round(code: str, round_id: int):
    return _run(code, "rounds.get", {"round_id": round_id})


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/open")
def open_round(code: str, round_id: int):
    return _run(code, "rounds.open", {"round_id": round_id})


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/ballots")
def cast_ballot(code: str, round_id: int):
    return _run(code, "rounds.cast", {**_body(), "round_id": round_id})


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/ballots")
def published_ballots(code: str, round_id: int):
    return _run(code, "rounds.ballots", {"round_id": round_id})


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/close")
def close_round(code: str, round_id: int):
    return _run(code, "rounds.close", {"round_id": round_id})


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/follow-up")
def follow_up(code: str, round_id: int):
    return _run(code, "rounds.follow_up", {**_body(), "round_id": round_id})


@blueprint.patch("/convenings/<code>/participants/<int:member_id>/vote")
def set_vote_weight(code: str, member_id: int):
    return _run(code, "members.set_weight", {**_body(), "member_id": member_id})


# -- minutes, action items and exports ----------------------------------------------------------

MINUTES_FORMATS = ("json", "md", "html", "pdf")


def _download(body, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blueprint.get("/convenings/<code>/minutes")
def get_minutes(code: str):
    from convene.exports import html, markdown, pdf

    fmt = request.args.get("format", "json")
    if fmt not in MINUTES_FORMATS:
        raise InvalidInput(N_("format is json, md, html or pdf."), field="format")
    live_wanted = request.args.get("live") in ("1", "true")
    document = _run(code, "minutes.get", {"live": live_wanted})
    name = f"minutes-{document['convening']['code']}"
    if fmt == "json":
        return document
    if fmt == "md":
        return _download(markdown.minutes_markdown(document), "text/markdown", f"{name}.md")
    if fmt == "html":
        return _download(html.minutes_html(document), "text/html", f"{name}.html")
    try:
        data = pdf.minutes_pdf(document)
    except pdf.PdfUnavailable as error:
        current_app.logger.error("%s", error)
        message = "PDF export is not available on this server; use Markdown or HTML."
        return {"error": {"code": "pdf_unavailable", "message": message}}, 503
    return _download(data, "application/pdf", f"{name}.pdf")


@blueprint.post("/convenings/<code>/minutes/notes")
def minutes_note(code: str):
    return _run(code, "minutes.note", _body())


@blueprint.post("/convenings/<code>/minutes/finalize")
def finalize_minutes(code: str):
    return _run(code, "minutes.finalize", {})


@blueprint.get("/convenings/<code>/actions")
def list_actions(code: str):
    return _run(code, "actions.list", {})


@blueprint.post("/convenings/<code>/actions")
def add_action(code: str):
    return _run(code, "actions.add", _body()), 201


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/ballots.csv")
def ballots_csv(code: str, round_id: int):
    from convene.exports.ballots_csv import ballots_csv as render_csv

    actor = _services().authenticate(_token(), normalise_join_code(code))
    round_, ballots = minutes_service.closed_round_ballots(_services(), actor, round_id)
    return _download(render_csv(round_, ballots), "text/csv", f"round-{round_id}-ballots.csv")


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/ballots.blt")
def ballots_blt(code: str, round_id: int):
    from convene.exports.ballots_blt import ballots_blt as render_blt

    actor = _services().authenticate(_token(), normalise_join_code(code))
    round_, ballots = minutes_service.closed_round_ballots(_services(), actor, round_id)
    text = render_blt(round_, minutes_service.ranked_profile(round_, ballots))
    return _download(text, "text/plain", f"round-{round_id}.blt")
