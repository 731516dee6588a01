"""What every area's routes share: the blueprint, reading a request (its JSON body, its
query string, its bearer token), running a command through the catalogue with the fair
limits and metrics, and a file as a download."""

from __future__ import annotations

import time

from flask import Blueprint, Response, current_app, request

from convene.domain.convening import hash_token, normalise_join_code
from convene.domain.errors import N_
from convene.monitoring import metrics
from convene.services.commands import cost_of, run_command
from convene.web.errors import BadRequest, outcome_of
from convene.web.jsonbody import parse_json

blueprint = Blueprint("api", __name__, url_prefix="/api")


def services():
    return current_app.extensions["convene"]


def json_body() -> dict:
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    data = parse_json(raw)  # bounded depth, no lone surrogates; BadRequest otherwise
    if not isinstance(data, dict):
        raise BadRequest(N_("The request body must be a JSON object."))
    return data


def query_args(lists: tuple[str, ...] = ()) -> dict:
    """The query string's arguments: one value each (the first), a list for ``lists``
    (``?ids=1&ids=2``, as the document describes arrays)."""
    args = request.args.to_dict(flat=False)
    return {k: (v if k in lists else v[0]) for k, v in args.items()}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


@blueprint.before_request
def _fair_limits():
    """Each request with a token counts against that token's limit (docs/limits.md)."""
    token = bearer_token()
    if token:
        services().limits.hit("commands", hash_token(token))


def run(code: str, name: str, args: dict, *, from_query: bool = False):
    started = time.perf_counter()
    error = None
    try:
        extra = cost_of(name, args) - 1  # _fair_limits counted the request once
        token = bearer_token()
        if extra > 0 and token:
            services().limits.hit("commands", hash_token(token), extra)
        return run_command(
            services(),
            bearer_token(),
            name,
            args,
            code=normalise_join_code(code),
            from_query=from_query,
        )
    except Exception as raised:
        error = raised
        raise
    finally:
        if metrics.METRICS.enabled:
            metrics.METRICS.command(name, outcome_of(error), time.perf_counter() - started)


def download(body, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
