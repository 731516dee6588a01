"""The OpenAPI 3.1 document of the JSON API, generated: it cannot drift from the server.

Each API route declares its operation with :func:`operation` (a summary, the command it runs,
its reply model, its status codes). The request side comes from the command's schema (the
one run_command checks: convene/services/schemas.py), the path parameters from the route,
and the replies from convene/web/api/replies/; msgspec turns both into JSON Schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import msgspec
from flask import Flask

from convene.services import schemas
from convene.services.commands import COMMANDS, OPEN_COMMANDS
from convene.web.api import replies

#: Every operation may answer these (a body that is not JSON or too deep, a field that is
#: wrong, too many requests); the others are declared per operation.
COMMON_ERRORS = (400, 422, 429)
ERROR_TEXT = {
    400: "Malformed request (not JSON, too deep, not an object).",
    401: "Missing, unknown or revoked token.",
    403: "The token's role may not do this (or a wrong passcode).",
    404: "No such convening, agenda item, participant, demand or round.",
    409: "The request does not fit the current state.",
    413: "A field or the body is too large.",
    422: "A field is missing or invalid; `field` names it.",
    429: "Too many requests: wait and try again.",
    503: "Not available on this server.",
}
TOKEN = [{"token": []}]
_PATH_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Operation:
    summary: str
    command: str | None = None
    query: type | None = None
    reply: Any = None
    status: int = 200
    errors: tuple[int, ...] = ()
    public: bool = False
    content: dict = field(default_factory=dict)
    #: other media types the request body may be sent as (besides the command's JSON)
    body_content: dict = field(default_factory=dict)


def operation(summary: str, **details: Any):
    """Declare a route's operation for the document (see :class:`Operation`)."""
    op = Operation(summary, **details)

    def declare(view):
        view.openapi_operation = op
        return view

    return declare


def _schema_of(command: str) -> type:
    entry = COMMANDS.get(command) or OPEN_COMMANDS[command]
    return entry.schema


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def build(app: Flask) -> dict:
    """The document for ``app``'s /api routes."""
    ops: list[tuple[str, str, list[tuple[str, str]], Operation]] = []
    # Every reply model (some are only referenced from raw schemas, like Event from CatchUp).
    types: set = {
        v for v in vars(replies).values() if isinstance(v, type) and issubclass(v, replies.Reply)
    } - {replies.Reply}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        op = getattr(app.view_functions[rule.endpoint], "openapi_operation", None)
        if op is None:
            raise LookupError(f"{rule.rule} declares no operation (convene/web/api/spec.py)")
        params = [(conv or "string", name) for conv, name in _PATH_PARAM.findall(rule.rule)]
        path = _PATH_PARAM.sub(r"{\2}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            ops.append((path, method.lower(), params, op))
        if op.command:
            types.add(_schema_of(op.command))
        if op.query:
            types.add(op.query)
        if op.reply is not None:
            types.add(op.reply)
    types.update(replies.EVENT_DATA)
    named, components = msgspec.json.schema_components(
        sorted(types, key=str), ref_template="#/components/schemas/{name}"
    )
    refs = dict(zip(sorted(types, key=str), named, strict=True))
    paths: dict[str, dict] = {}
    for path, method, params, op in sorted(ops, key=lambda o: (o[0], o[1])):
        paths.setdefault(path, {})[method] = _operation(method, params, op, refs, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Convene API",
            "version": "0.1.0",
            "description": (
                "Every facilitator and participant action of Convene, for scripts and "
                "integrations. Authenticate with `Authorization: Bearer <token>`: the "
                "facilitator, projector, observer or participant token. Live updates come "
                "over Socket.IO (docs/realtime.md); the same commands are available there, "
                "with the same arguments (`command` {name, args})."
            ),
        },
        "components": {
            "schemas": components,
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A facilitator, participant, projector or observer token.",
                }
            },
        },
        "security": TOKEN,
        "paths": paths,
    }


def _path_parameter(converter: str, name: str) -> dict:
    if converter == "int":
        schema = {"type": "integer", "minimum": 1, "maximum": schemas.INT_MAX}
    else:
        schema = {"type": "string", "minLength": 1, "maxLength": 40}
    parameter = {"name": name, "in": "path", "required": True, "schema": schema}
    if name == "code":
        parameter["description"] = "The convening's 6-character join code."
    return parameter


def _fields(schema: type, refs: dict, components: dict) -> dict:
    return components[refs[schema]["$ref"].rsplit("/", 1)[1]]


def _operation(method: str, params: list, op: Operation, refs: dict, components: dict) -> dict:
    result: dict = {"summary": op.summary}
    if op.public:
        result["security"] = []
    else:
        result["security"] = TOKEN
    # The convening's code in the path is never a command's argument (run_command takes it
    # apart), so a command may have a field of that name (checkins.add's badge ``code``).
    in_path = {name for _, name in params if name != "code"}
    parameters = [_path_parameter(conv, name) for conv, name in params]
    query_schemas = [op.query] if op.query else []
    body = None
    if op.command:
        if method == "get":
            query_schemas.append(_schema_of(op.command))
        else:
            body = _body(_fields(_schema_of(op.command), refs, components), in_path)
    for schema in query_schemas:
        fields = _fields(schema, refs, components)
        required = set(fields.get("required", ()))
        for name, prop in fields.get("properties", {}).items():
            if name in in_path:
                continue
            parameters.append(
                {"name": name, "in": "query", "required": name in required, "schema": prop}
            )
    if parameters:
        result["parameters"] = parameters
    if body is not None:
        body["content"].update(op.body_content)
        result["requestBody"] = body
    statuses = set(op.errors) | set(COMMON_ERRORS)
    if not op.public:
        statuses.add(401)
    if params:
        statuses.add(404)
    if body is not None:
        statuses.add(413)
    responses: dict = {}
    if op.reply is None and not op.content:
        responses[str(op.status)] = {"description": "Done."}
    else:
        content = {}
        if op.reply is not None:
            content["application/json"] = {"schema": refs[op.reply]}
        content.update(op.content)
        responses[str(op.status)] = {"description": "Done.", "content": content}
    for status in sorted(statuses):
        responses[str(status)] = _json(_ref("Error"), ERROR_TEXT[status])
    result["responses"] = responses
    return result


def _body(fields: dict, in_path: set[str]) -> dict | None:
    """The command's schema without the fields its route takes from the path."""
    properties = {k: v for k, v in fields.get("properties", {}).items() if k not in in_path}
    if not properties:
        return None
    required = [k for k in fields.get("required", ()) if k not in in_path]
    schema: dict = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    if fields.get("description"):
        schema["description"] = fields["description"]
    return {
        "required": bool(required),
        "content": {"application/json": {"schema": schema}},
    }
