"""Minutes, action items and a closed round's files (CSV, BLT, RCTab summary, NIST CVR)."""

from __future__ import annotations

from flask import current_app, request

from convene.domain.convening import normalise_join_code
from convene.services import minutes as minutes_service
from convene.services import schemas as s
from convene.web.api.common import bearer_token, blueprint, download, json_body, run, services
from convene.web.api.replies import minutes as r
from convene.web.api.spec import operation


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
    document = run(code, "minutes.get", {"live": live_wanted})
    name = f"minutes-{document['convening']['code']}"
    if fmt == "json":
        return document
    if fmt == "md":
        return download(markdown.minutes_markdown(document), "text/markdown", f"{name}.md")
    if fmt == "html":
        return download(html.minutes_html(document), "text/html", f"{name}.html")
    try:
        data = pdf.minutes_pdf(document)
    except pdf.PdfUnavailable as error:
        current_app.logger.error("%s", error)
        message = "PDF export is not available on this server; use Markdown or HTML."
        return {"error": {"code": "pdf_unavailable", "message": message}}, 503
    return download(data, "application/pdf", f"{name}.pdf")


@blueprint.post("/convenings/<code>/minutes/notes")
@operation(
    "The facilitator's notes on an agenda item, for the minutes (replaces earlier ones).",
    command="minutes.note",
    reply=r.MinutesNote,
    errors=(403, 409),
)
def minutes_note(code: str):
    return run(code, "minutes.note", json_body())


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
    return run(code, "minutes.finalize", {})


@blueprint.get("/convenings/<code>/actions")
@operation("Every action item of the convening.", command="actions.list", reply=r.ActionList)
def list_actions(code: str):
    return run(code, "actions.list", {})


@blueprint.post("/convenings/<code>/actions")
@operation(
    "Record an action item (facilitators; participants if participants_add_actions).",
    command="actions.add",
    reply=r.NewActionItem,
    status=201,
    errors=(403, 409),
)
def add_action(code: str):
    return run(code, "actions.add", json_body()), 201


def _round_file(code: str, round_id: int, kind: str, mimetype: str):
    actor = services().authenticate(bearer_token(), normalise_join_code(code))
    name, text = minutes_service.round_export(services(), actor, round_id, kind)
    return download(text, mimetype, name)


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
