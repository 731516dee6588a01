"""HTML pages: landing, join, participant phone view, facilitator console, projector.

A device keeps its identity in the signed session cookie: for each convening code, the
token of each role it holds (a facilitator's laptop often holds the projector's too).
Pages hand the token to their script, which talks to the server over Socket.IO.
"""

from __future__ import annotations

import hmac
import io
import secrets

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, gettext

from convene import i18n
from convene.domain import methods
from convene.domain.convening import Role, normalise_join_code
from convene.domain.demands import STATUS_NAMES
from convene.domain.errors import N_, DomainError, NotAuthenticated, NotFound
from convene.domain.minutes import METHOD_NAMES
from convene.domain.roster import ROSTER_MAX_BYTES
from convene.services import convenings, lookup, roster
from convene.web.errors import error_body, status_of
from convene.web.links import external_url, links_for

blueprint = Blueprint("pages", __name__)

_ROLE_PAGE = {
    Role.FACILITATOR: "pages.console",
    Role.PROJECTOR: "pages.projector",
    Role.PARTICIPANT: "pages.convening",
    Role.OBSERVER: "pages.convening",
    Role.TELLER: "pages.teller",
    Role.DESK: "pages.desk",
}


def _services():
    return current_app.extensions["convene"]


# -- device identity ---------------------------------------------------------------------------


def _remember(code: str, role: Role, token: str) -> None:
    tokens = dict(session.get("tokens", {}))
    tokens[code] = {**tokens.get(code, {}), str(role): token}
    session["tokens"] = tokens
    session.permanent = True


def _forget(code: str, role: Role) -> None:
    tokens = dict(session.get("tokens", {}))
    roles = dict(tokens.get(code, {}))
    roles.pop(str(role), None)
    tokens[code] = roles
    session["tokens"] = tokens


def _actor_for(code: str, *roles: Role):
    """The first still-valid token this device holds for ``code`` in one of ``roles``."""
    for role in roles:
        token = session.get("tokens", {}).get(code, {}).get(str(role))
        if not token:
            continue
        try:
            return _services().authenticate(token, code), token
        except NotAuthenticated:
            _forget(code, role)  # removed, or the convening is gone
    return None, None


# -- CSRF for the few HTML forms (the JSON API uses bearer tokens, not cookies) ---------------


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(16)
    return session["csrf"]


def voting_methods() -> dict[str, dict]:
    """The voting methods' records for the page scripts, in the request's language."""
    return methods.browser_records(gettext)


@blueprint.app_context_processor
def _inject():
    return {"csrf_token": csrf_token, "get_locale": get_locale, "voting_methods": voting_methods}


def _check_csrf() -> None:
    sent = request.form.get("csrf", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, gettext("This form has expired. Please reload the page and try again."))


def _render_refusal(template: str, error: DomainError, **context):
    return render_template(template, error=error_body(error)["error"], **context), status_of(error)


# -- pages -------------------------------------------------------------------------------------


@blueprint.get("/language/<language>")
def language(language: str):
    """The language switch on every page: this device's choice ("auto" forgets it)."""
    return i18n.choose(language, request.args.get("next"))


@blueprint.get("/")
def index():
    return render_template("index.html")


@blueprint.post("/convenings")
def create():
    _check_csrf()
    form = request.form
    try:
        _services().limits.hit("create", request.remote_addr)
        created = convenings.create_convening(
            _services(),
            title=form.get("title"),
            description=form.get("description", ""),
            place=form.get("place", ""),
            date=form.get("date") or None,
            passcode=form.get("passcode") or None,
            facilitator_name=form.get("facilitator_name") or None,
            language=form.get("language") or None,
        )
    except DomainError as error:
        return _render_refusal("index.html", error, form=form)
    _remember(created.code, Role.FACILITATOR, created.facilitator_token)
    _remember(created.code, Role.PROJECTOR, created.projector_token)
    # Post/redirect/get: reloading the page that shows the links does not create another.
    return redirect(url_for("pages.created", code=created.code), code=303)


@blueprint.get("/c/<code>/created")
def created(code: str):
    """The links of a convening this browser just created (from the tokens it remembers)."""
    code = normalise_join_code(code)
    facilitator, facilitator_token = _actor_for(code, Role.FACILITATOR)
    if facilitator is None:
        message = gettext("Open your private facilitator link to run this convening.")
        return render_template("error.html", message=message), 403
    _, projector_token = _actor_for(code, Role.PROJECTOR)
    links = links_for(convenings.CreatedConvening(code, facilitator_token, projector_token or ""))
    if not projector_token:
        links.pop("projector_url")
    return render_template("created.html", code=code, links=links)


@blueprint.get("/join")
def join_by_code():
    try:
        code = normalise_join_code(request.args.get("code", ""))
    except DomainError as error:
        return _render_refusal("index.html", error, join_code=request.args.get("code", ""))
    return redirect(url_for("pages.convening", code=code))


def _join_form(code: str, **context):
    """The join form, or the landing page with "no such code" when nothing has that code."""
    info = lookup.join_info(_services(), code)
    if info is None:
        unknown = NotFound(N_("There is no convening with that code."))
        return _render_refusal("index.html", unknown, join_code=code)
    return render_template("join.html", code=code, info=info, **context)


@blueprint.get("/c/<code>")
def convening(code: str):
    code = normalise_join_code(code)
    actor, token = _actor_for(code, Role.PARTICIPANT, Role.OBSERVER)
    if actor is None:
        return _join_form(code)
    return render_template("participant.html", code=code, token=token, role=str(actor.role))


@blueprint.post("/c/<code>/join")
def join(code: str):
    _check_csrf()
    code = normalise_join_code(code)
    try:
        _services().limits.hit("join", request.remote_addr)
        admission = convenings.join(
            _services(),
            code=code,
            name=request.form.get("name"),
            passcode=request.form.get("passcode") or None,
            caucus=request.form.get("caucus") or None,
        )
    except DomainError as error:
        info = lookup.join_info(_services(), code) or {"code": code, "title": ""}
        return _render_refusal("join.html", error, code=code, info=info, form=request.form)
    _remember(code, Role.PARTICIPANT, admission.token)
    return redirect(url_for("pages.convening", code=code))


@blueprint.post("/c/<code>/badge")
def join_badge(code: str):
    """Join with a roster badge's code: the phone becomes that person (no name to type)."""
    _check_csrf()
    code = normalise_join_code(code)
    try:
        _services().limits.hit("join", request.remote_addr)
        admission = roster.redeem(_services(), code=code, badge_code=request.form.get("badge_code"))
    except DomainError as error:
        info = lookup.join_info(_services(), code) or {"code": code, "title": ""}
        badge_error = error_body(error)["error"]  # under the badge's form, not the name's
        page = render_template("join.html", code=code, info=info, badge_error=badge_error)
        return page, status_of(error)
    _remember(code, admission.role, admission.token)
    return redirect(url_for(_ROLE_PAGE[admission.role], code=code))


@blueprint.post("/c/<code>/leave")
def leave(code: str):
    """Forget this device's participant identity (the participant stays in the record)."""
    _check_csrf()
    code = normalise_join_code(code)
    _forget(code, Role.PARTICIPANT)
    return redirect(url_for("pages.index"))


@blueprint.get("/t/<token>")
def enter(token: str):
    """A private link (facilitator, co-facilitator, projector, observer): remember, go on."""
    try:
        actor = _services().authenticate(token)
    except NotAuthenticated:
        # A roster badge's personal link: its member is made the first time it is opened.
        try:
            _services().limits.hit("join", request.remote_addr)
            roster.redeem_link(_services(), token=token)
            actor = _services().authenticate(token)
        except DomainError as error:
            return render_template("error.html", message=error_body(error)["error"]["message"]), 404
    except DomainError as error:
        return render_template("error.html", message=error_body(error)["error"]["message"]), 404
    code = _services().code_of(actor)
    _remember(code, actor.role, token)
    return redirect(url_for(_ROLE_PAGE[actor.role], code=code))


@blueprint.get("/c/<code>/teller")
def teller(code: str):
    """The teller's screen: enter paper ballots (static/js/teller.js)."""
    code = normalise_join_code(code)
    actor, token = _actor_for(code, Role.TELLER)
    if actor is None:
        message = gettext("Open the teller link the facilitators gave you.")
        return render_template("error.html", message=message), 403
    return render_template("teller.html", code=code, token=token)


@blueprint.get("/c/<code>/desk")
def desk(code: str):
    """The credentials desk's screen: check people in (static/js/desk-screen.js)."""
    code = normalise_join_code(code)
    actor, token = _actor_for(code, Role.DESK)
    if actor is None:
        message = gettext("Open the desk link the facilitators gave you.")
        return render_template("error.html", message=message), 403
    return render_template("desk.html", code=code, token=token)


@blueprint.get("/c/<code>/console")
def console(code: str):
    code = normalise_join_code(code)
    actor, token = _actor_for(code, Role.FACILITATOR)
    if actor is None:
        message = gettext("Open your private facilitator link to run this convening.")
        return render_template("error.html", message=message), 403
    projector_actor, _ = _actor_for(code, Role.PROJECTOR)
    return render_template(
        "console.html",
        code=code,
        token=token,
        join_url=external_url("pages.convening", code=code),
        qr_url=url_for("pages.qr", code=code),
        has_projector=projector_actor is not None,
        # A secret round's live count moves only this many ballots at a time at least.
        anonymity=current_app.extensions["convene"].anonymity,
        # The console builds private links from invitation tokens with this pattern.
        enter_url_pattern=external_url("pages.enter", token="TOKEN"),  # noqa: S106 - a placeholder
        # The roster card refuses a larger file before sending it (the route would, with 413).
        roster_max_bytes=ROSTER_MAX_BYTES,
    )


@blueprint.get("/c/<code>/minutes")
def minutes(code: str):
    """The facilitator's minutes: live document, notes, action items, finalizing, downloads."""
    code = normalise_join_code(code)
    actor, token = _actor_for(code, Role.FACILITATOR)
    if actor is None:
        message = gettext("Open your private facilitator link to run this convening.")
        return render_template("error.html", message=message), 403
    return render_template(
        "minutes_console.html",
        code=code,
        token=token,
        # The document keeps these in English; the page shows them in its language.
        method_names=METHOD_NAMES,
        status_names=STATUS_NAMES,
        console_url=url_for("pages.console", code=code),
    )


@blueprint.get("/c/<code>/projector")
def projector(code: str):
    code = normalise_join_code(code)
    actor, token = _actor_for(code, Role.PROJECTOR)
    if actor is None:
        message = gettext("Open the projector link from the facilitator console.")
        return render_template("error.html", message=message), 403
    response = make_response(
        render_template(
            "projector.html",
            code=code,
            token=token,
            join_url=external_url("pages.convening", code=code),
            site_url=external_url("pages.index"),
            qr_url=url_for("pages.qr", code=code),
            # It follows the convening's language unless this device chose one.
            room_languages=[] if i18n.device_choice() else i18n.offered(),
        )
    )
    # The console shows a live preview of the projector in a frame: same origin only.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self' ws: wss:; frame-ancestors 'self'; base-uri 'none'; "
        "form-action 'self'"
    )
    return response


@blueprint.get("/c/<code>/qr.svg")
def qr(code: str):
    code = normalise_join_code(code)
    qr_code = segno.make(external_url("pages.convening", code=code), error="m")
    buffer = io.BytesIO()
    # A standalone SVG document (with its namespace, or <img> will not draw it) that scales
    # to whatever size the page gives it, with the standard four-module quiet zone.
    qr_code.save(
        buffer,
        kind="svg",
        scale=10,
        border=4,
        dark="#000",
        light="#fff",
        xmldecl=False,
        omitsize=True,
        svgclass=None,
        lineclass=None,
    )
    return Response(
        buffer.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
    )
