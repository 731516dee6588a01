"""Domain errors → HTTP statuses and JSON bodies (and Socket.IO error replies), in one place."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

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
    body = {"code": error.code, "message": gettext(error.message, **error.params)}
    field = getattr(error, "field", None)
    if field:
        body["field"] = field
    return {"error": body}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        status = status_of(error)
        if _wants_json():
            return error_body(error), status
        return render_template("error.html", message=error_body(error)["error"]["message"]), status

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if _wants_json():
            code = (error.name or "error").lower().replace(" ", "_")
            return {"error": {"code": code, "message": error.description}}, error.code
        return render_template("error.html", message=error.description), error.code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("Unexpected error on %s %s", request.method, request.path)
        message = gettext("Something went wrong on the server. Nothing was changed.")
        if _wants_json():
            return {"error": {"code": "server_error", "message": message}}, 500
        return render_template("error.html", message=message), 500
