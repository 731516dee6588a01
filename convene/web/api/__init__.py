"""The HTTP JSON API: every facilitator and participant action, documented at /api/openapi.json.

Routes are thin: they read JSON and the bearer token, call a service command, and shape
the reply. Errors become ``{"error": {"code", "message"}}`` in convene/web/errors.py.
"""

from __future__ import annotations

import functools
import time

from flask import Blueprint, Flask, Response, current_app, request

from convene.domain import roster as roster_rules
from convene.domain.convening import hash_token, normalise_join_code
from convene.domain.errors import N_
from convene.monitoring import metrics
from convene.services import floor, live
from convene.services import minutes as minutes_service
from convene.services import schemas as s
from convene.services.commands import cost_of, run_command, run_open_command, to_json
from convene.web.api import replies as r
from convene.web.api.spec import build, operation
from convene.web.errors import BadRequest, outcome_of
from convene.web.jsonbody import parse_json
from convene.web.links import external_url, links_for

blueprint = Blueprint("api", __name__, url_prefix="/api")


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


def _query(lists: tuple[str, ...] = ()) -> dict:
    """The query string's arguments: one value each (the first), a list for ``lists``
    (``?ids=1&ids=2``, as the document describes arrays)."""
    args = request.args.to_dict(flat=False)
    return {k: (v if k in lists else v[0]) for k, v in args.items()}


def _token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


@blueprint.before_request
def _fair_limits():
    """Each request with a token counts against that token's limit (docs/limits.md)."""
    token = _token()
    if token:
        _services().limits.hit("commands", hash_token(token))


def _run(code: str, name: str, args: dict, *, from_query: bool = False):
    started = time.perf_counter()
    error = None
    try:
        extra = cost_of(name, args) - 1  # _fair_limits counted the request once
        token = _token()
        if extra > 0 and token:
            _services().limits.hit("commands", hash_token(token), extra)
        return run_command(
            _services(), _token(), name, args, code=normalise_join_code(code), from_query=from_query
        )
    except Exception as raised:
        error = raised
        raise
    finally:
        if metrics.METRICS.enabled:
            metrics.METRICS.command(name, outcome_of(error), time.perf_counter() - started)


@functools.cache
def openapi_document() -> dict:
    """The document of this blueprint's routes (built once: they do not change)."""
    app = Flask("convene-openapi")
    app.register_blueprint(blueprint)
    return build(app)


@blueprint.get("/openapi.json")
@operation("This document.", public=True)
def openapi():
    return openapi_document()


@blueprint.post("/convenings")
@operation(
    "Create a convening. Anyone may; the reply holds the facilitator's secret link.",
    command="convenings.create",
    reply=r.CreatedConvening,
    status=201,
    public=True,
)
def create_convening():
    _services().limits.hit("create", request.remote_addr)
    created = run_open_command(_services(), "convenings.create", _body())
    return {**to_json(created), **links_for(created)}, 201


@blueprint.get("/convenings/<code>")
@operation(
    "The current state the caller's role may see, with its sequence number.", reply=r.Snapshot
)
def get_convening(code: str):
    actor = _services().authenticate(_token(), normalise_join_code(code))
    return live.snapshot(_services(), actor)


@blueprint.patch("/convenings/<code>")
@operation(
    "Change the convening's settings (facilitator).",
    command="convening.update",
    reply=r.Convening,
    errors=(403, 409),
)
def update_convening(code: str):
    return _run(code, "convening.update", _body())


@blueprint.get("/convenings/<code>/events")
@operation(
    "Events after `after` (catch up after a reconnect), or a fresh snapshot.",
    query=s.EventsQuery,
    reply=r.CatchUp,
)
def events(code: str):
    actor = _services().authenticate(_token(), normalise_join_code(code))
    query = s.parse(s.EventsQuery, _query(), strict=False)
    return live.events_since(
        _services(), actor, query.get("after", 0), query.get("limit", live.RESYNC_MAX_EVENTS)
    )


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
    _services().limits.hit("join", request.remote_addr)
    admission = run_open_command(_services(), "convenings.join", _body(), code=code)
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
    return _run(code, "members.list", _query(), from_query=True)


@blueprint.delete("/convenings/<code>/participants/<int:member_id>")
@operation(
    "Remove a participant (facilitator): their token stops working at once.",
    command="members.remove",
    status=204,
    errors=(403, 409),
)
def remove_member(code: str, member_id: int):
    _run(code, "members.remove", {"member_id": member_id})
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
    admission = _run(code, "members.invite", _body())
    return {**admission, "url": external_url("pages.enter", token=admission["token"])}, 201


@blueprint.post("/convenings/<code>/roster")
@operation(
    "Import the whole roster (facilitator): CSV as `text/csv` (a header line naming the "
    'columns, then one person a line), or JSON `{"rows": [...]}`; `?dry_run=true` says what '
    "it would do and changes nothing. Every row is checked first: one bad row and nothing is "
    "imported (422 `invalid_roster`, with every problem's line and field). A re-import updates "
    "people by external id (else by name and delegation) and lists those it no longer has in "
    "`not_in_file` without removing them. At most 5,000 people and 2 MB (docs/limits.md).",
    command="roster.import",
    query=s.RosterQuery,
    reply=r.RosterImport,
    errors=(403,),
    body_content={"text/csv": {"schema": {"type": "string"}}},
)
def import_roster(code: str):
    request.max_content_length = roster_rules.ROSTER_MAX_BYTES
    if request.mimetype == "text/csv":
        args: dict = {"csv": roster_rules.decode(request.get_data(cache=True))}
    else:
        args = _body()
    query = s.parse(s.RosterQuery, _query(), strict=False)
    if "dry_run" in query:
        args["dry_run"] = query["dry_run"] in ("1", "true")
    return _run(code, "roster.import", args)


@blueprint.post("/convenings/<code>/badges")
@operation(
    "Arrive with a roster badge (no token needed): its `badge_code` as typed, or its personal "
    "link's `token`. The first time, the badge holder becomes a member with the roster's "
    "name, delegation (as caucus), vote weight and role (delegates and alternates as "
    "participants, observers as observers); afterwards the same member, on any phone. "
    "No passcode is asked. Limited per address as joins are (docs/limits.md).",
    command="roster.redeem",
    reply=r.BadgeAdmission,
    status=201,
    public=True,
)
def redeem_badge(code: str):
    _services().limits.hit("join", request.remote_addr)
    admission = run_open_command(_services(), "roster.redeem", _body(), code=code)
    return {
        "id": admission.id,
        "token": admission.token,
        "role": str(admission.role),
        "url": external_url("pages.enter", token=admission.token),
    }, 201


def _credential_url(entry: dict) -> dict:
    return {**entry, "url": external_url("pages.enter", token=entry["token"])}


@blueprint.get("/convenings/<code>/roster")
@operation(
    "One page of the roster by id, without secrets (facilitator), or the entries whose name, "
    "delegation or external id contain `search`: to find the one whose badge to reissue.",
    command="roster.list",
    reply=r.RosterList,
    errors=(403,),
)
def list_roster(code: str):
    return _run(code, "roster.list", _query(), from_query=True)


@blueprint.get("/convenings/<code>/roster/credentials.csv")
@operation(
    "Every roster entry's credential as CSV for a mail merge (facilitator): name, "
    "delegation, role, code, link, external_id, contact; by delegation, then name (or "
    "`entry_id`'s line only). UTF-8 "
    "with a byte-order mark; a cell starting with = + - @ is written after an apostrophe. "
    "Entries without a credential yet get one. The links are secret: keep the file so.",
    command="roster.credentials",
    errors=(403, 409),
    content={"text/csv": {"schema": {"type": "string"}}},
)
def roster_credentials_csv(code: str):
    from convene.exports.credentials import credentials_csv

    listing = _run(code, "roster.credentials", _query(), from_query=True)
    text = credentials_csv(
        listing["entries"], lambda token: external_url("pages.enter", token=token)
    )
    response = _download(text, "text/csv", f"credentials-{normalise_join_code(code)}.csv")
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/convenings/<code>/roster/badges.pdf")
@operation(
    "Every roster entry's badge, 8 a page, as PDF to print (facilitator): name, delegation, "
    "role, the QR of the personal link and the badge code; `paper` a4 (the default) or "
    "letter; `entry_id`: that entry's badge only (one printed again). Long names and "
    "delegations get a smaller type and wrap, never cut. Entries "
    "without a credential yet get one. 503 when the server cannot make PDFs; 429 while "
    "as many badge PDFs as the server makes at once (2) are being made.",
    command="roster.credentials",
    query=s.BadgesQuery,
    errors=(403, 409, 503),
    content={"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
)
def roster_badges_pdf(code: str):
    from convene.exports import badges
    from convene.exports.pdf import PdfUnavailable
    from convene.i18n import gettext_in

    args = _query()
    query = s.parse(s.BadgesQuery, {k: v for k, v in args.items() if k == "paper"}, strict=False)
    args.pop("paper", None)
    try:
        with badges.rendering():  # at most RENDERS_AT_ONCE at once: 429 otherwise
            listing = _run(code, "roster.credentials", args, from_query=True)
            language = listing["language"]
            data = badges.badges_pdf(
                listing["entries"],
                lambda token: external_url("pages.enter", token=token),
                lambda role: gettext_in(language, roster_rules.ROLE_LABELS[role]),
                paper=query.get("paper", "a4"),
                title=listing["title"],
            )
    except PdfUnavailable as error:
        current_app.logger.error("%s", error)
        message = "PDF export is not available on this server; use the credentials CSV."
        return {"error": {"code": "pdf_unavailable", "message": message}}, 503
    response = _download(data, "application/pdf", f"badges-{normalise_join_code(code)}.pdf")
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/convenings/<code>/roster/<int:entry_id>/reissue")
@operation(
    "A new badge for a roster entry whose badge was lost (facilitator): a new link and code; "
    "the old ones stop working at once, and a phone that used them is told so "
    "(Socket.IO `revoked`) and disconnected.",
    command="roster.reissue",
    reply=r.RosterCredential,
    errors=(403,),
)
def reissue_badge(code: str, entry_id: int):
    return _credential_url(_run(code, "roster.reissue", {"entry_id": entry_id}))


@blueprint.post("/convenings/<code>/checkins")
@operation(
    "Check a roster entry in at the desk (desk or facilitator): `code` is the badge code "
    "typed or what its QR holds (the personal link, or its token), or `entry_id` someone "
    "found by name. Already checked in: 200 with `already` true, nothing recorded. An "
    "unknown, revoked or another convening's code is 404; a desk sending many is 429.",
    command="checkins.add",
    reply=r.Checkin,
    errors=(403, 404, 429),
)
def check_in(code: str):
    return _run(code, "checkins.add", _body())


@blueprint.delete("/convenings/<code>/checkins/<int:entry_id>")
@operation(
    "Check roster entry `entry_id` out (desk or facilitator; the entry's id, as every "
    "entry has one, whether or not its badge was used). Already out: 200 with `already`.",
    command="checkins.remove",
    reply=r.Checkin,
    errors=(403, 404),
)
def check_out(code: str, entry_id: int):
    return _run(code, "checkins.remove", {"entry_id": entry_id})


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
    return _run(code, "checkins.search", _query(), from_query=True)


@blueprint.post("/convenings/<code>/agenda")
@operation(
    "Add an agenda item at the end (facilitator).",
    command="agenda.add",
    reply=r.AgendaItem,
    status=201,
    errors=(403, 409),
)
def add_item(code: str):
    return _run(code, "agenda.add", _body()), 201


@blueprint.patch("/convenings/<code>/agenda/<int:item_id>")
@operation(
    "Edit an agenda item (facilitator).",
    command="agenda.edit",
    reply=r.AgendaItem,
    errors=(403, 409),
)
def edit_item(code: str, item_id: int):
    return _run(code, "agenda.edit", {**_body(), "item_id": item_id})


@blueprint.delete("/convenings/<code>/agenda/<int:item_id>")
@operation(
    "Remove an agenda item that is not running (facilitator).",
    command="agenda.remove",
    status=204,
    errors=(403, 409),
)
def remove_item(code: str, item_id: int):
    _run(code, "agenda.remove", {"item_id": item_id})
    return "", 204


@blueprint.post("/convenings/<code>/agenda/<int:item_id>/start")
@operation(
    "Start an agenda item; a running one is ended first (facilitator).",
    command="agenda.start",
    reply=r.AgendaItem,
    errors=(403, 409),
)
def start_item(code: str, item_id: int):
    return _run(code, "agenda.start", {"item_id": item_id})


@blueprint.post("/convenings/<code>/agenda/<int:item_id>/end")
@operation(
    "End the running agenda item (facilitator).",
    command="agenda.end",
    reply=r.AgendaItem,
    errors=(403, 409),
)
def end_item(code: str, item_id: int):
    return _run(code, "agenda.end", {"item_id": item_id})


@blueprint.post("/convenings/<code>/agenda/reorder")
@operation(
    "Put the agenda in a new order: every item id exactly once (facilitator).",
    command="agenda.reorder",
    reply=r.AgendaOrder,
    errors=(403, 409),
)
def reorder(code: str):
    return {"order": _run(code, "agenda.reorder", _body())}


# -- the floor ----------------------------------------------------------------------------------


@blueprint.get("/convenings/<code>/queue")
@operation("The speaker list of the running agenda item.", reply=r.FloorReply)
def queue(code: str):
    actor = _services().authenticate(_token(), normalise_join_code(code))
    return floor.current_floor(_services(), actor)


@blueprint.post("/convenings/<code>/queue")
@operation(
    "Raise a hand on the running item (participant or facilitator).",
    command="floor.raise",
    reply=r.FloorRequest,
    status=201,
    errors=(403, 409),
)
def raise_hand(code: str):
    return _run(code, "floor.raise", _body()), 201


@blueprint.delete("/convenings/<code>/queue/<int:request_id>")
@operation(
    "Lower one's own hand, or (facilitator) take a request off the list.",
    command="floor.lower",
    status=204,
    errors=(403, 409),
)
def lower_hand(code: str, request_id: int):
    _run(code, "floor.lower", {"request_id": request_id})
    return "", 204


@blueprint.post("/convenings/<code>/queue/next")
@operation(
    "The current speaker finishes; the front of the list gets the floor (facilitator).",
    command="floor.next",
    reply=r.Floor,
    errors=(403, 409),
)
def next_speaker(code: str):
    return _run(code, "floor.next", {})


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
    return _run(code, "floor.reorder", _body())


@blueprint.post("/convenings/<code>/queue/close")
@operation(
    "Close the speaker list: only points of order and process may still be raised.",
    command="floor.close",
    reply=r.Floor,
    errors=(403, 409),
)
def close_queue(code: str):
    return _run(code, "floor.close", {})


@blueprint.post("/convenings/<code>/queue/open")
@operation(
    "Reopen the speaker list (facilitator).", command="floor.open", reply=r.Floor, errors=(403, 409)
)
def open_queue(code: str):
    return _run(code, "floor.open", {})


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
    return _run(code, "floor.signal", _body())


@blueprint.get("/convenings/<code>/speaking-stats")
@operation(
    "Who spoke and for how long, per agenda item and for the convening (facilitator).",
    command="floor.stats",
    reply=r.SpeakingStatistics,
    errors=(403,),
)
def speaking_stats(code: str):
    return _run(code, "floor.stats", {})


# -- demands and amendments ---------------------------------------------------------------------


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
    return _run(code, "demands.list", _query(lists=("ids",)), from_query=True)


@blueprint.post("/convenings/<code>/demands")
@operation(
    "Propose a demand (participant or facilitator). It starts as a draft.",
    command="demands.propose",
    reply=r.Demand,
    status=201,
    errors=(403, 409),
)
def propose_demand(code: str):
    return _run(code, "demands.propose", _body()), 201


@blueprint.post("/convenings/<code>/demands/reorder")
@operation(
    "Put the demands in a new order: every demand id exactly once (facilitator).",
    command="demands.reorder",
    reply=r.DemandOrder,
    errors=(403, 409),
)
def reorder_demands(code: str):
    return _run(code, "demands.reorder", _body())


@blueprint.get("/convenings/<code>/demands/<int:demand_id>")
@operation("One demand.", command="demands.get", reply=r.Demand)
def get_demand(code: str, demand_id: int):
    return _run(code, "demands.get", {"demand_id": demand_id})


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
    return _run(code, "demands.edit", {**_body(), "demand_id": demand_id})


@blueprint.delete("/convenings/<code>/demands/<int:demand_id>")
@operation(
    "Withdraw a draft (its author). The demand is kept with status withdrawn.",
    command="demands.withdraw",
    reply=r.Demand,
    errors=(403, 409),
)
def withdraw_demand(code: str, demand_id: int):
    return _run(code, "demands.withdraw", {"demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/open")
@operation(
    "Put a draft before the room (facilitator): status open.",
    command="demands.open",
    reply=r.Demand,
    errors=(403, 409),
)
def open_demand(code: str, demand_id: int):
    return _run(code, "demands.open", {"demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/hide")
@operation(
    "Hide abusive content (facilitator): kept with the reason, shown only to facilitators.",
    command="demands.hide",
    reply=r.Demand,
    errors=(403, 409),
)
def hide_demand(code: str, demand_id: int):
    return _run(code, "demands.hide", {**_body(), "demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/unhide")
@operation(
    "Show a hidden demand again (facilitator).",
    command="demands.unhide",
    reply=r.Demand,
    errors=(403, 409),
)
def unhide_demand(code: str, demand_id: int):
    return _run(code, "demands.unhide", {"demand_id": demand_id})


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
    return _run(code, "demands.merge", {**_body(), "demand_id": demand_id})


@blueprint.post("/convenings/<code>/demands/<int:demand_id>/support")
@operation(
    "Support (second) a demand, once (participant or facilitator; not its authors).",
    command="demands.support",
    reply=r.SupportReply,
    errors=(403, 409),
)
def support_demand(code: str, demand_id: int):
    return _run(code, "demands.support", {"demand_id": demand_id})


@blueprint.delete("/convenings/<code>/demands/<int:demand_id>/support")
@operation(
    "Withdraw one's support.", command="demands.unsupport", reply=r.SupportReply, errors=(403, 409)
)
def unsupport_demand(code: str, demand_id: int):
    return _run(code, "demands.unsupport", {"demand_id": demand_id})


@blueprint.put("/convenings/<code>/demands/<int:demand_id>/agreement")
@operation(
    "Mark a demand agree, disagree or pass. Counted, never shown with a name.",
    command="demands.agree",
    reply=r.AgreementReply,
    errors=(403, 409),
)
def agree_demand(code: str, demand_id: int):
    return _run(code, "demands.agree", {**_body(), "demand_id": demand_id})


@blueprint.get("/convenings/<code>/demands/<int:demand_id>/supporters")
@operation(
    "One page of who supports a demand, in the order they gave their support (its summary's "
    "`supported_by` names only the first 10). Refused when the convening is anonymous.",
    command="demands.supporters",
    reply=r.SupporterList,
    errors=(403,),
)
def demand_supporters(code: str, demand_id: int):
    return _run(code, "demands.supporters", {**_query(), "demand_id": demand_id}, from_query=True)


@blueprint.get("/convenings/<code>/demands/<int:demand_id>/versions")
@operation(
    "Every version of a demand, oldest first.", command="demands.versions", reply=r.VersionList
)
def demand_versions(code: str, demand_id: int):
    return _run(code, "demands.versions", {"demand_id": demand_id})


@blueprint.get("/convenings/<code>/demands/<int:demand_id>/compare")
@operation(
    "The word-level difference between two versions of a demand.",
    command="demands.compare",
    reply=r.VersionComparison,
)
def compare_versions(code: str, demand_id: int):
    args = {**request.args.to_dict(), "demand_id": demand_id}
    return _run(code, "demands.compare", args, from_query=True)


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
    return _run(code, "demands.amend", {**_body(), "demand_id": demand_id}), 201


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
    return _run(code, "amendments.accept", {"amendment_id": amendment_id})


@blueprint.post("/convenings/<code>/amendments/<int:amendment_id>/decide")
@operation(
    "Record the room's decision on an amendment (facilitator). Returns the demand.",
    command="amendments.decide",
    reply=r.Demand,
    errors=(403, 409),
)
def decide_amendment(code: str, amendment_id: int):
    return _run(code, "amendments.decide", {**_body(), "amendment_id": amendment_id})


@blueprint.delete("/convenings/<code>/amendments/<int:amendment_id>")
@operation(
    "Withdraw one's pending amendment. Returns its demand.",
    command="amendments.withdraw",
    reply=r.Demand,
    errors=(403, 409),
)
def withdraw_amendment(code: str, amendment_id: int):
    return _run(code, "amendments.withdraw", {"amendment_id": amendment_id})


@blueprint.patch("/convenings/<code>/participants/<int:member_id>")
@operation(
    "Set or clear (null or empty) a member's caucus (facilitator).",
    command="members.set_caucus",
    reply=r.Member,
    errors=(403, 409),
)
def set_caucus(code: str, member_id: int):
    return _run(code, "members.set_caucus", {**_body(), "member_id": member_id})


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
    return _run(code, "projector.show", _body())


# -- decision rounds ----------------------------------------------------------------------------


@blueprint.post("/convenings/<code>/rounds")
@operation(
    "Create a decision round as a draft (facilitator).",
    command="rounds.create",
    reply=r.Round,
    status=201,
    errors=(403, 409),
)
def create_round(code: str):
    return _run(code, "rounds.create", _body()), 201


@blueprint.get("/convenings/<code>/rounds/<int:round_id>")
@operation(
    "A round: settings, turnout, the live tally while open (if shown), the result once closed.",
    command="rounds.get",
    reply=r.Round,
)
def get_round(code: str, round_id: int):
    return _run(code, "rounds.get", {"round_id": round_id})


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/open")
@operation(
    "Open the round for voting (facilitator).",
    command="rounds.open",
    reply=r.Round,
    errors=(403, 409),
)
def open_round(code: str, round_id: int):
    return _run(code, "rounds.open", {"round_id": round_id})


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/ballots")
@operation(
    "Cast (or change) a ballot (participant). Answered only after it is committed.",
    command="rounds.cast",
    reply=r.BallotReceipt,
    errors=(403, 409),
)
def cast_ballot(code: str, round_id: int):
    return _run(code, "rounds.cast", {**_body(), "round_id": round_id})


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
    return _run(code, "rounds.paper_ballot", {**_body(), "round_id": round_id}), 201


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
    return _run(code, "rounds.paper_roll", {**_query(), "round_id": round_id}, from_query=True)


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/ballots")
@operation(
    "After the close: every ballot with its receipt (and names in named rounds).",
    command="rounds.ballots",
    reply=r.PublishedBallots,
    errors=(409,),
)
def published_ballots(code: str, round_id: int):
    return _run(code, "rounds.ballots", {"round_id": round_id})


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/not-voted")
@operation(
    "One page of who has not voted yet in an open named round, by member id (facilitator): "
    "ask again with `after` = `next_after` until it is null.",
    command="rounds.not_voted",
    reply=r.NotVotedList,
    errors=(403, 409),
)
def not_voted(code: str, round_id: int):
    return _run(code, "rounds.not_voted", {**_query(), "round_id": round_id}, from_query=True)


@blueprint.post("/convenings/<code>/rounds/<int:round_id>/close")
@operation(
    "Close the round: count the stored ballots and record the decision (facilitator).",
    command="rounds.close",
    reply=r.Round,
    errors=(403, 409),
)
def close_round(code: str, round_id: int):
    return _run(code, "rounds.close", {"round_id": round_id})


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
    return _run(code, "rounds.draw_lot", {**_body(), "round_id": round_id})


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
    return _run(code, "rounds.follow_up", {**_body(), "round_id": round_id})


@blueprint.patch("/convenings/<code>/participants/<int:member_id>/vote")
@operation(
    "A participant's vote weight (delegates) or who carries their vote (proxies).",
    command="members.set_weight",
    reply=r.Member,
    errors=(403, 409),
)
def set_vote_weight(code: str, member_id: int):
    return _run(code, "members.set_weight", {**_body(), "member_id": member_id})


# -- minutes, action items and exports ----------------------------------------------------------


def _download(body, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blueprint.get("/convenings/<code>/minutes")
@operation(
    (
        "The minutes: the latest final version, or (facilitators, before finalizing) the live "
        "draft with final: false. Participants only once final and if the convening's "
        "minutes_public allows."
    ),
    query=s.MinutesQuery,
    reply=r.Minutes,
    errors=(403, 503),
    content={
        "text/markdown": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    },
)
def get_minutes(code: str):
    from convene.exports import html, markdown, pdf

    query = s.parse(s.MinutesQuery, request.args.to_dict(), strict=False)
    fmt = query.get("format", "json")
    live_wanted = query.get("live") in ("1", "true")
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
@operation(
    "The facilitator's notes on an agenda item, for the minutes (replaces earlier ones).",
    command="minutes.note",
    reply=r.MinutesNote,
    errors=(403, 409),
)
def minutes_note(code: str):
    return _run(code, "minutes.note", _body())


@blueprint.post("/convenings/<code>/minutes/finalize")
@operation(
    (
        "Approve the minutes as they stand: a new numbered version that never changes. 409 when "
        "nothing changed since the last final version."
    ),
    command="minutes.finalize",
    reply=r.Minutes,
    errors=(403, 409),
)
def finalize_minutes(code: str):
    return _run(code, "minutes.finalize", {})


@blueprint.get("/convenings/<code>/actions")
@operation("Every action item of the convening.", command="actions.list", reply=r.ActionList)
def list_actions(code: str):
    return _run(code, "actions.list", {})


@blueprint.post("/convenings/<code>/actions")
@operation(
    "Record an action item (facilitators; participants if participants_add_actions).",
    command="actions.add",
    reply=r.NewActionItem,
    status=201,
    errors=(403, 409),
)
def add_action(code: str):
    return _run(code, "actions.add", _body()), 201


def _round_file(code: str, round_id: int, kind: str, mimetype: str):
    actor = _services().authenticate(_token(), normalise_join_code(code))
    name, text = minutes_service.round_export(_services(), actor, round_id, kind)
    return _download(text, mimetype, name)


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/ballots.csv")
@operation(
    (
        "Every ballot of a closed round as CSV: '#' rows with the method, rule, seats, seed and "
        "candidates, then receipt, weight and the ballot (ranks, or one column per option for "
        "approval and score); name only in named rounds. `python -m convene tally FILE` "
        "recounts it to the meeting's result."
    ),
    errors=(409,),
    content={"text/csv": {"schema": {"type": "string"}}},
)
def ballots_csv(code: str, round_id: int):
    return _round_file(code, round_id, "csv", "text/csv")


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/ballots.blt")
@operation(
    (
        "A closed ranked round as a BLT file, with a '# convene' line giving the method, rule "
        "and seed: `python -m convene tally round.blt` recounts it to the meeting's result."
    ),
    errors=(409,),
    content={"text/plain": {"schema": {"type": "string"}}},
)
def ballots_blt(code: str, round_id: int):
    return _round_file(code, round_id, "blt", "text/plain")


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/summary.json")
@operation(
    "A closed IRV or STV round's count, round by round, in the summary shape RCTab writes.",
    errors=(409,),
    content={"application/json": {"schema": {"type": "object"}}},
)
def round_summary(code: str, round_id: int):
    """The round-by-round count in RCTab's summary shape (IRV, STV)."""
    return _round_file(code, round_id, "summary", "application/json")


@blueprint.get("/convenings/<code>/rounds/<int:round_id>/cvr.json")
@operation(
    (
        "A closed ranked round's ballots as NIST SP 1500-103 cast-vote records (JSON); "
        "`python -m convene tally FILE` recounts them."
    ),
    errors=(409,),
    content={"application/json": {"schema": {"type": "object"}}},
)
def round_cvr(code: str, round_id: int):
    """The ballots as NIST SP 1500-103 cast-vote records (ranked rounds)."""
    return _round_file(code, round_id, "cvr", "application/json")
