"""The roster: import it, list it, its credentials (CSV and badge PDFs), arriving with a
badge, reissuing a lost one."""

from __future__ import annotations

from flask import current_app, request

from convene.domain import roster as roster_rules
from convene.domain.convening import normalise_join_code
from convene.services import schemas as s
from convene.services.commands import run_open_command
from convene.web.api.common import blueprint, download, json_body, query_args, run, services
from convene.web.api.replies import roster as r
from convene.web.api.spec import operation
from convene.web.links import external_url


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
        args = json_body()
    query = s.parse(s.RosterQuery, query_args(), strict=False)
    if "dry_run" in query:
        args["dry_run"] = query["dry_run"] in ("1", "true")
    return run(code, "roster.import", args)


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
    services().limits.hit("join", request.remote_addr)
    admission = run_open_command(services(), "roster.redeem", json_body(), code=code)
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
    errors=(403, 413),
)
def list_roster(code: str):
    return run(code, "roster.list", query_args(), from_query=True)


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

    listing = run(code, "roster.credentials", query_args(), from_query=True)
    text = credentials_csv(
        listing["entries"], lambda token: external_url("pages.enter", token=token)
    )
    response = download(text, "text/csv", f"credentials-{normalise_join_code(code)}.csv")
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

    args = query_args()
    query = s.parse(s.BadgesQuery, {k: v for k, v in args.items() if k == "paper"}, strict=False)
    args.pop("paper", None)
    try:
        with badges.rendering():  # at most RENDERS_AT_ONCE at once: 429 otherwise
            listing = run(code, "roster.credentials", args, from_query=True)
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
    response = download(data, "application/pdf", f"badges-{normalise_join_code(code)}.pdf")
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
    return _credential_url(run(code, "roster.reissue", {"entry_id": entry_id}))
