"""Convenings: create one (anyone may), change its settings."""

from __future__ import annotations

from flask import request

from convene.services.commands import run_open_command, to_json
from convene.web.api.common import blueprint, json_body, run, services
from convene.web.api.replies import convenings as r
from convene.web.api.spec import operation
from convene.web.links import links_for


@blueprint.post("/convenings")
@operation(
    "Create a convening. Anyone may; the reply holds the facilitator's secret link.",
    command="convenings.create",
    reply=r.CreatedConvening,
    status=201,
    public=True,
)
def create_convening():
    services().limits.hit("create", request.remote_addr)
    created = run_open_command(services(), "convenings.create", json_body())
    return {**to_json(created), **links_for(created)}, 201


@blueprint.patch("/convenings/<code>")
@operation(
    "Change the convening's settings (facilitator).",
    command="convening.update",
    reply=r.Convening,
    errors=(403, 409),
)
def update_convening(code: str):
    return run(code, "convening.update", json_body())
