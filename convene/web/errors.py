"""Domain errors → HTTP statuses and JSON bodies (and Socket.IO error replies), in one place."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from convene.domain.demands import STATUS_NAMES
from convene.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooLarge,
    TooMany,
)
from convene.domain.roster import RosterInvalid

log = logging.getLogger(__name__)

STATUS: dict[type[DomainError], int] = {
    TooLarge: 413,
    InvalidInput: 422,
    NotFound: 404,
    NotAuthenticated: 401,
    Forbidden: 403,
    Conflict: 409,
    TooMany: 429,
}


class BadRequest(DomainError):
    """The request itself is malformed (not JSON, not an object)."""

    code = "bad_request"


STATUS[BadRequest] = 400


def status_of(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def error_body(error: DomainError) -> dict:
    """``{"error": {"code", "message", "field"?}}`` with the message translated."""
    params = dict(error.params)
    if params.get("status") in STATUS_NAMES:  # "this demand is withdrawn": the word, translated
        params["status"] = gettext(STATUS_NAMES[params["status"]])
    body = {"code": error.code, "message": gettext(error.message, **params)}
    field = getattr(error, "field", None)
    if field:
        body["field"] = field
    if isinstance(error, TooMany):
        body["retry_after"] = error.retry_after
    if isinstance(error, RosterInvalid):
        body["errors"] = [
            {"line": p.line, "field": p.field, "message": gettext(p.message, **p.params)}
            for p in error.problems
        ]
        body["error_count"] = error.count
    return {"error": body}


#: What a bad input can still raise below the schemas (a value the database cannot hold,
#: text it cannot encode, a structure too deep to walk): the client's fault, not the
#: server's, so a 400 and nothing changed, never a 500.
BAD_INPUT_ERRORS = (OverflowError, RecursionError, UnicodeError, DataError)


def outcome_of(error: BaseException | None) -> str:
    """A command's outcome as a metrics label: ok, the domain error's code, bad_request or
    server_error."""
    if error is None:
        return "ok"
    if isinstance(error, DomainError):
        return str(error.code)
    return "bad_request" if isinstance(error, BAD_INPUT_ERRORS) else "server_error"


def unexpected_error_body(error: Exception) -> dict:
    """The reply to an exception that is not a DomainError (logged with its trace)."""
    if isinstance(error, BAD_INPUT_ERRORS):
        log.warning("Bad input refused: %s", type(error).__name__)
        message = gettext("The request could not be processed as sent. Nothing was changed.")
        return {"error": {"code": "bad_request", "message": message}}
    log.exception("Unexpected error")
    message = gettext("Something went wrong on the server. Nothing was changed.")
    return {"error": {"code": "server_error", "message": message}}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        status = status_of(error)
        headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooMany) else {}
        if _wants_json():
            return error_body(error), status, headers
        message = error_body(error)["error"]["message"]
        return render_template("error.html", message=message), status, headers

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        # The exception's own response headers (a 405's Allow) are kept.
        headers = [
            (k, v)
            for k, v in error.get_headers()
            if k.lower() not in ("content-type", "content-length")
        ]
        if _wants_json():
            code = (error.name or "error").lower().replace(" ", "_")
            body = {"error": {"code": code, "message": error.description}}
            return body, error.code, headers
        return render_template("error.html", message=error.description), error.code, headers

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, BAD_INPUT_ERRORS):
            log.warning("Bad input refused on %s %s: %r", request.method, request.path, error)
            message = gettext("The request could not be processed as sent. Nothing was changed.")
            if _wants_json():
                return {"error": {"code": "bad_request", "message": message}}, 400
            return render_template("error.html", message=message), 400
        log.exception("Unexpected error on %s %s", request.method, request.path)
        message = gettext("Something went wrong on the server. Nothing was changed.")
        if _wants_json():
            return {"error": {"code": "server_error", "message": message}}, 500
        return render_template("error.html", message=message), 500
