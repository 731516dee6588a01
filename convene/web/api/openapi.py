"""The OpenAPI 3.1 document of the JSON API, served at /api/openapi.json.

Kept beside the routes and checked by tests: every route is documented, every documented
path exists, and the replies of the API tests validate against these schemas.
"""

from __future__ import annotations

from functools import cache


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict:
    text = {
        400: "Malformed request (not JSON, not an object).",
        401: "Missing, unknown or revoked token.",
        403: "The token's role may not do this (or a wrong passcode).",
        404: "No such convening, agenda item or participant.",
        409: "The request does not fit the current state.",
        413: "A field or the body is too large.",
        422: "A field is missing or invalid; `field` names it.",
    }
    return {str(s): _json(_ref("Error"), text[s]) for s in statuses}


def _body(schema: dict, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "The convening's 6-character join code.",
    "schema": {"type": "string"},
}
ITEM_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}
MEMBER_ID = {"name": "member_id", "in": "path", "required": True, "schema": {"type": "integer"}}
ROUND_ID = {"name": "round_id", "in": "path", "required": True, "schema": {"type": "integer"}}
METHODS = ["irv", "stv", "schulze", "approval", "score", "yes_no", "consent", "gradients"]
FRACTION = {
    "type": ["string", "null"],
    "examples": ["1/2", "2/3", "3/4", "1"],
    "description": '"1/2" means more than half; any other fraction means at least that share.',
}
FACILITATOR = [{"token": []}]
ANY_TOKEN = [{"token": []}]
COMMAND_ERRORS = (400, 401, 403, 404, 409, 413, 422)

_nullable_string = {"type": ["string", "null"]}
#: `{order: [ids]}`: a new order listing every id once (agenda, demands, speaker list).
_ORDER = {
    "type": "object",
    "required": ["order"],
    "properties": {"order": {"type": "array", "items": {"type": "integer"}}},
}
PROGRESSIVE = ["off", "item", "convening"]
KINDS = ["speak", "point_of_order", "point_of_process", "clarifying_question", "direct_response"]
FLOOR_SETTINGS = {
    "progressive": {
        "enum": PROGRESSIVE,
        "description": "Progressive stack: off; item (first-time speakers on the item first); "
        "convening (then those who spoke least in the convening).",
    },
    "speaker_limit_seconds": {"type": ["integer", "null"], "minimum": 10, "maximum": 3600},
}
_floor_reply = {
    "type": "object",
    "required": ["floor"],
    "properties": {"floor": {"oneOf": [{"$ref": "#/components/schemas/Floor"}, {"type": "null"}]}},
}
_timestamp = {"type": ["string", "null"], "format": "date-time"}
STANCES = ["agree", "disagree", "pass"]
DEMAND_STATUSES = ["draft", "open", "under_vote", "adopted", "rejected", "withdrawn", "merged"]
AMENDMENT_STATUSES = ["pending", "adopted", "rejected", "withdrawn", "outdated"]
DEMAND_SETTINGS = {
    "anonymous": {
        "type": "boolean",
        "description": "Demands do not name their supporters (stances are never named).",
    },
    "support_required": {
        "type": "integer",
        "minimum": 0,
        "maximum": 1000,
        "description": "Supporters (besides its authors) a demand needs to go to a vote.",
    },
}
MINUTES_SETTINGS = {
    "minutes_public": {
        "type": "boolean",
        "description": "Participants may download the minutes once they are final.",
    },
    "participants_add_actions": {
        "type": "boolean",
        "description": "Participants may record action items too (not only facilitators).",
    },
}
_action = {
    "type": "object",
    "required": ["id", "what", "who", "due", "agenda_item_id", "agenda_item"],
    "properties": {
        "id": {"type": "integer"},
        "what": {"type": "string"},
        "who": {"type": "string"},
        "due": {"type": ["string", "null"], "format": "date"},
        "agenda_item_id": {"type": ["integer", "null"]},
        "agenda_item": {"type": ["string", "null"], "description": "The item's title."},
    },
}
_minutes = {
    "type": "object",
    "description": "The minutes document (docs/minutes.md): header, attendance, one entry per "
    "agenda item (notes, demands, rounds with their count, decisions, speaking), the adopted "
    "demands and the action items.",
    "required": [
        "document_version",
        "convening",
        "facilitators",
        "attendance",
        "items",
        "adopted_demands",
        "actions",
        "final",
        "version",
        "approved_by",
        "approved_at",
    ],
    "properties": {
        "document_version": {"type": "integer"},
        "convening": {"type": "object"},
        "facilitators": {"type": "array", "items": {"type": "string"}},
        "attendance": {"type": "object"},
        "items": {"type": "array", "items": {"type": "object"}},
        "other": {"type": "object"},
        "adopted_demands": {"type": "array", "items": {"type": "object"}},
        "actions": {"type": "array", "items": {"type": "object"}},
        "last_seq": {"type": "integer"},
        "final": {"type": "boolean", "description": "false: the live draft."},
        "version": {"type": ["integer", "null"]},
        "approved_by": _nullable_string,
        "approved_at": {"type": ["string", "null"], "format": "date-time"},
    },
}
DEMAND_ID = {"name": "demand_id", "in": "path", "required": True, "schema": {"type": "integer"}}
AMENDMENT_ID = {
    "name": "amendment_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}
_person = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}
_share = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
_diff = {"type": "array", "items": {"$ref": "#/components/schemas/DiffOp"}}
_support_properties = {
    "supporters": {"type": "integer", "description": "Members supporting it (not its authors)."},
    "support_required": {"type": "integer"},
    "can_go_to_vote": {
        "type": "boolean",
        "description": "open, not hidden, and supporters >= support_required.",
    },
    "supported_by": {
        "type": ["array", "null"],
        "items": _person,
        "description": "Who supports it, in order; null when the convening is anonymous.",
    },
}
_SUPPORT_REQUIRED = ["supporters", "support_required", "can_go_to_vote", "supported_by"]

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "examples": ["invalid_input", "forbidden"]},
                    "message": {"type": "string"},
                    "field": {"type": "string"},
                },
            }
        },
    },
    "ConveningInput": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "maxLength": 200},
            "description": {"type": "string", "maxLength": 4000},
            "place": {"type": "string", "maxLength": 200},
            "date": {"type": ["string", "null"], "format": "date"},
            "passcode": {
                "type": ["string", "null"],
                "maxLength": 64,
                "description": "Participants must give it to join; empty removes it.",
            },
            **FLOOR_SETTINGS,
            "allow_direct_responses": {"type": "boolean"},
            **DEMAND_SETTINGS,
            **MINUTES_SETTINGS,
        },
        "additionalProperties": False,
    },
    "Convening": {
        "type": "object",
        "required": ["code", "title", "description", "place", "date", "requires_passcode"],
        "properties": {
            "code": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "place": {"type": "string"},
            "date": {"type": ["string", "null"], "format": "date"},
            "requires_passcode": {"type": "boolean"},
            "started_at": _timestamp,
            "progressive": {"enum": PROGRESSIVE},
            "speaker_limit_seconds": {"type": ["integer", "null"]},
            "allow_direct_responses": {"type": "boolean"},
            **DEMAND_SETTINGS,
        },
    },
    "CreatedConvening": {
        "type": "object",
        "required": [
            "code",
            "facilitator_token",
            "projector_token",
            "join_url",
            "facilitator_url",
            "projector_url",
            "qr_url",
        ],
        "properties": {
            "code": {"type": "string"},
            "facilitator_token": {
                "type": "string",
                "description": "Secret. Shown once: only its hash is stored.",
            },
            "projector_token": {"type": "string"},
            "join_url": {"type": "string", "format": "uri"},
            "facilitator_url": {"type": "string", "format": "uri"},
            "projector_url": {"type": "string", "format": "uri"},
            "qr_url": {"type": "string", "format": "uri"},
        },
    },
    "AgendaItem": {
        "type": "object",
        "required": ["id", "title", "notes", "timebox_minutes", "position", "state"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "notes": {"type": "string"},
            "timebox_minutes": {"type": ["integer", "null"]},
            "position": {"type": "integer"},
            "state": {"enum": ["pending", "active", "done"]},
            "started_at": _timestamp,
            "ended_at": _timestamp,
            "queue_open": {"type": "boolean"},
            "progressive": {"enum": [*PROGRESSIVE, None], "description": "None: the convening's"},
            "speaker_limit_seconds": {"type": ["integer", "null"]},
        },
    },
    "AgendaItemInput": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "maxLength": 200},
            "notes": {"type": "string", "maxLength": 4000},
            "timebox_minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 1440},
            **FLOOR_SETTINGS,
        },
        "additionalProperties": False,
    },
    "Member": {
        "type": "object",
        "required": ["id", "name", "role"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "role": {"enum": ["facilitator", "participant", "projector", "observer"]},
            "caucus": _nullable_string,
            "joined_at": _timestamp,
            "supports": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "`me` only: the ids of the demands I support.",
            },
            "stances": {
                "type": "object",
                "additionalProperties": {"enum": STANCES},
                "description": "`me` only: my stance per demand id (never shown to others).",
            },
        },
    },
    "Presence": {
        "type": "object",
        "required": ["participants_connected"],
        "properties": {
            "participants_connected": {"type": "integer"},
            "connected": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "Member ids connected now (facilitators only).",
            },
        },
    },
    "Snapshot": {
        "type": "object",
        "required": [
            "seq",
            "server_time",
            "me",
            "convening",
            "agenda",
            "current_item_id",
            "participants",
            "presence",
        ],
        "properties": {
            "seq": {"type": "integer", "description": "The last event this state includes."},
            "server_time": {"type": "string", "format": "date-time"},
            "me": _ref("Member"),
            "convening": _ref("Convening"),
            "agenda": {"type": "array", "items": _ref("AgendaItem")},
            "current_item_id": {"type": ["integer", "null"]},
            "participants": {"type": "integer"},
            "presence": _ref("Presence"),
            "floor": {"oneOf": [_ref("Floor"), {"type": "null"}]},
            "demands": {
                "type": "array",
                "items": _ref("Demand"),
                "description": "In the facilitator's order; hidden ones for facilitators only.",
            },
            "members": {
                "type": "array",
                "items": _ref("Member"),
                "description": "Facilitators only.",
            },
        },
    },
    "Event": {
        "type": "object",
        "required": ["seq", "type", "data", "at"],
        "properties": {
            "seq": {"type": "integer"},
            "type": {"type": "string", "examples": ["agenda.item_started"]},
            "data": {"type": "object"},
            "at": {"type": "string", "format": "date-time"},
        },
    },
    "CatchUp": {
        "oneOf": [
            {
                "type": "object",
                "required": ["events", "seq"],
                "properties": {
                    "events": {"type": "array", "items": _ref("Event")},
                    "seq": {"type": "integer"},
                },
            },
            {
                "type": "object",
                "required": ["snapshot"],
                "properties": {"snapshot": _ref("Snapshot")},
            },
        ]
    },
    "FloorRequest": {
        "type": "object",
        "required": ["id", "item_id", "member_id", "kind", "state", "raised_at"],
        "properties": {
            "id": {"type": "integer"},
            "item_id": {"type": "integer"},
            "member_id": {"type": "integer"},
            "kind": {"enum": KINDS},
            "state": {"enum": ["waiting", "speaking", "done", "withdrawn", "removed"]},
            "raised_at": {"type": "string", "format": "date-time"},
            "started_at": _timestamp,
            "ended_at": _timestamp,
            "limit_seconds": {"type": ["integer", "null"]},
            "name": {"type": "string"},
            "reason": {
                "enum": [
                    "point_of_order",
                    "point_of_process",
                    "direct_response",
                    "clarifying_question",
                    "moved_by_facilitator",
                    "first_time_speaking",
                    "spoke_less",
                    "in_order_raised",
                ],
                "description": "Why this request stands where it does (queue entries).",
            },
            "position": {"type": "integer", "description": "1 is next (queue entries)."},
        },
    },
    "Floor": {
        "type": "object",
        "required": ["item_id", "queue_open", "settings", "speaker", "queue"],
        "properties": {
            "item_id": {"type": "integer"},
            "queue_open": {"type": "boolean"},
            "settings": {
                "type": "object",
                "properties": {
                    "progressive": {"enum": PROGRESSIVE},
                    "speaker_limit_seconds": {"type": ["integer", "null"]},
                    "allow_direct_responses": {"type": "boolean"},
                },
            },
            "speaker": {"oneOf": [_ref("FloorRequest"), {"type": "null"}]},
            "queue": {"type": "array", "items": _ref("FloorRequest")},
        },
    },
    "SpeakingStats": {
        "type": "object",
        "required": ["speakers", "speeches", "total_seconds", "first_time_speakers", "per_person"],
        "properties": {
            "item_id": {"type": "integer"},
            "title": {"type": "string"},
            "speakers": {"type": "integer"},
            "speeches": {"type": "integer"},
            "total_seconds": {"type": "number"},
            "first_time_speakers": {"type": "integer"},
            "per_person": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "member_id": {"type": "integer"},
                        "name": {"type": "string"},
                        "seconds": {"type": "number"},
                    },
                },
            },
        },
    },
    "DiffOp": {
        "type": "object",
        "required": ["op", "text"],
        "properties": {"op": {"enum": ["equal", "insert", "delete"]}, "text": {"type": "string"}},
        "description": "equal+delete texts joined are the old text; equal+insert the new one.",
    },
    "Agreement": {
        "type": "object",
        "required": [
            "agree",
            "disagree",
            "pass",
            "responses",
            "share",
            "bridging",
            "caucuses_counted",
            "caucuses",
        ],
        "description": "Counts only, never names. share = agree / (agree + disagree); bridging "
        "= the lowest share among caucus groups with at least one agree or disagree.",
        "properties": {
            "agree": {"type": "integer"},
            "disagree": {"type": "integer"},
            "pass": {"type": "integer"},
            "responses": {"type": "integer"},
            "share": _share,
            "bridging": _share,
            "caucuses_counted": {"type": "integer"},
            "caucuses": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["caucus", "agree", "disagree", "pass", "share", "counted"],
                    "properties": {
                        "caucus": {
                            "type": ["string", "null"],
                            "description": "null: participants without a caucus.",
                        },
                        "agree": {"type": "integer"},
                        "disagree": {"type": "integer"},
                        "pass": {"type": "integer"},
                        "share": _share,
                        "counted": {"type": "boolean"},
                    },
                },
            },
        },
    },
    "Amendment": {
        "type": "object",
        "required": [
            "id",
            "demand_id",
            "author",
            "passage",
            "body",
            "rationale",
            "status",
            "note",
            "friendly",
            "base_version",
            "result_version",
            "new_text",
            "diff",
            "conflicts_with",
            "created_at",
            "decided_at",
        ],
        "properties": {
            "id": {"type": "integer"},
            "demand_id": {"type": "integer"},
            "author_id": {"type": "integer"},
            "author": _person,
            "passage": {
                "type": ["string", "null"],
                "description": "The passage it replaces; null: the whole body.",
            },
            "body": {"type": "string", "description": "The replacement text."},
            "rationale": {"type": "string"},
            "status": {"enum": AMENDMENT_STATUSES},
            "note": {"type": "string", "description": "Why it is outdated, if it is."},
            "friendly": {"type": "boolean", "description": "Accepted by the demand's author."},
            "base_version": {
                "type": "integer",
                "description": "The version its diff is against (pending: the current one).",
            },
            "result_version": {"type": ["integer", "null"]},
            "new_text": {"type": "string", "description": "The whole body it proposes."},
            "diff": _diff,
            "conflicts_with": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "Pending amendments whose span overlaps this one's.",
            },
            "created_at": {"type": "string", "format": "date-time"},
            "decided_at": _timestamp,
        },
    },
    "Demand": {
        "type": "object",
        "required": [
            "id",
            "item_id",
            "title",
            "body",
            "body_html",
            "status",
            "hidden",
            "position",
            "version",
            "versions",
            "author",
            "authors",
            *_SUPPORT_REQUIRED,
            "agreement",
            "amendments",
        ],
        "properties": {
            "id": {"type": "integer"},
            "item_id": {"type": ["integer", "null"], "description": "Its agenda item, if any."},
            "title": {"type": "string"},
            "body": {"type": "string", "description": "Markdown."},
            "body_html": {"type": "string", "description": "The body rendered and sanitized."},
            "status": {"enum": DEMAND_STATUSES},
            "hidden": {"type": "boolean"},
            "hidden_reason": {"type": ["string", "null"]},
            "position": {"type": "integer"},
            "version": {"type": "integer", "description": "The current version's number."},
            "versions": {"type": "integer", "description": "How many versions it has."},
            "author_id": {"type": "integer"},
            "coauthor_ids": {"type": "array", "items": {"type": "integer"}},
            "author": _person,
            "authors": {
                "type": "array",
                "items": _person,
                "description": "The author, then those of demands merged into it.",
            },
            "merged_into": {"type": ["integer", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": _timestamp,
            **_support_properties,
            "agreement": _ref("Agreement"),
            "amendments": {"type": "array", "items": _ref("Amendment")},
        },
    },
    "DemandInput": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "maxLength": 200},
            "body": {"type": "string", "maxLength": 5000, "description": "Markdown."},
            "agenda_item_id": {"type": ["integer", "null"]},
            "version": {
                "type": ["integer", "null"],
                "description": "Edit: the version being edited; 409 if it is not current.",
            },
            "typo": {
                "type": "boolean",
                "description": "Edit: record it as a typo correction (facilitators).",
            },
        },
        "additionalProperties": False,
    },
    "SupportReply": {
        "type": "object",
        "required": ["demand_id", "hidden", *_SUPPORT_REQUIRED, "supported"],
        "properties": {
            "demand_id": {"type": "integer"},
            "hidden": {"type": "boolean"},
            **_support_properties,
            "supported": {"type": "boolean", "description": "Whether I support it now."},
        },
    },
    "DemandVersion": {
        "type": "object",
        "required": ["number", "title", "body", "kind", "created_at"],
        "properties": {
            "number": {"type": "integer"},
            "title": {"type": "string"},
            "body": {"type": "string"},
            "kind": {"enum": ["original", "edit", "typo", "amendment"]},
            "created_at": {"type": "string", "format": "date-time"},
            "author_id": {"type": ["integer", "null"]},
            "amendment_id": {"type": ["integer", "null"]},
        },
    },
    "RoundInput": {
        "type": "object",
        "required": ["title", "method", "options"],
        "properties": {
            "title": {"type": "string", "maxLength": 200},
            "method": {"enum": METHODS},
            "options": {
                "type": "array",
                "description": "yes_no, consent and gradients: exactly one (the proposal).",
                "items": {
                    "oneOf": [
                        {
                            "type": "object",
                            "required": ["label"],
                            "properties": {"label": {"type": "string", "maxLength": 200}},
                            "additionalProperties": False,
                        },
                        {
                            "type": "object",
                            "required": ["demand_id"],
                            "properties": {"demand_id": {"type": "integer"}},
                            "additionalProperties": False,
                        },
                        {
                            "type": "object",
                            "required": ["amendment_id"],
                            "properties": {"amendment_id": {"type": "integer"}},
                            "additionalProperties": False,
                        },
                    ]
                },
            },
            "seats": {"type": ["integer", "null"], "minimum": 1},
            "rule": {"enum": ["scottish", "meek", None]},
            "threshold": FRACTION,
            "quorum": {"type": ["integer", "null"], "minimum": 0},
            "stand_aside_limit": FRACTION,
            "secret": {"type": "boolean", "default": True},
            "live_results": {"type": "boolean", "default": False},
            "agenda_item_id": {"type": ["integer", "null"]},
            "closes_at": {"type": ["string", "null"], "format": "date-time"},
        },
        "additionalProperties": False,
    },
    "Round": {
        "type": "object",
        "required": ["id", "title", "method", "options", "state", "secret", "live_results"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "method": {"enum": METHODS},
            "options": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "label"],
                    "properties": {
                        "id": {"type": "integer"},
                        "label": {"type": "string"},
                        "position": {"type": "integer"},
                        "demand_id": {"type": ["integer", "null"]},
                        "amendment_id": {"type": ["integer", "null"]},
                    },
                },
            },
            "seats": {"type": "integer"},
            "rule": {"type": ["string", "null"]},
            "threshold": {"type": ["string", "null"]},
            "quorum": {"type": ["integer", "null"]},
            "stand_aside_limit": {"type": ["string", "null"]},
            "secret": {"type": "boolean"},
            "live_results": {"type": "boolean"},
            "agenda_item_id": {"type": ["integer", "null"]},
            "closes_at": _timestamp,
            "state": {"enum": ["draft", "open", "closed"]},
            "opened_at": _timestamp,
            "closed_at": _timestamp,
            "present_at_open": {"type": ["integer", "null"]},
            "present_at_close": {"type": ["integer", "null"]},
            "follows_round_id": {"type": ["integer", "null"]},
            "path": {"enum": ["retry", "fallback", None]},
            "result": {
                "type": "object",
                "description": "Once closed: the tally engine's result (docs/voting-methods.md) "
                "with `winners` as option ids, `passed`, `rounds`, `labels`.",
            },
            "seed": {"type": "string"},
            "decision": {"type": "string"},
            "followed_up": {
                "enum": ["amend", "retry", "fallback", None],
                "description": "A blocked consent round: the last path the facilitator chose.",
            },
            "turnout": _ref("Turnout"),
            "tally": {
                "type": ["object", "null"],
                "description": "While open, when live_results: the count so far "
                "(facilitators and projectors).",
            },
        },
    },
    "Turnout": {
        "type": "object",
        "required": ["round_id", "voted", "voted_weight", "present"],
        "properties": {
            "round_id": {"type": "integer"},
            "voted": {"type": "integer"},
            "voted_weight": {"type": "integer"},
            "present": {"type": "integer"},
            "present_at_open": {"type": ["integer", "null"]},
            "not_voted": {
                "type": "array",
                "description": "Named rounds, facilitators only.",
                "items": {"type": "object"},
            },
        },
    },
    "Ballot": {
        "description": "One of these, by method; `replaces` (the receipt of your last ballot) "
        "changes a ballot in a secret round. `receipt`: the receipt for this ballot, drawn "
        "by the phone (10 characters from ACDEFGHJKMNPQRTUVWXY34679; the server draws one "
        "if absent): sending the same ballot again with the same receipt, after a lost "
        "reply, is answered with the same receipt and changes nothing.",
        "type": "object",
        "properties": {
            "ranking": {"type": "array", "items": {"type": "integer"}},
            "approve": {"type": "array", "items": {"type": "integer"}},
            "scores": {"type": "object", "additionalProperties": {"type": "integer"}},
            "choice": {
                "oneOf": [
                    {"enum": ["yes", "no", "abstain", "agree", "stand_aside", "block"]},
                    {"type": "integer", "minimum": 1, "maximum": 5},
                ]
            },
            "replaces": {"type": "string"},
            "receipt": {"type": "string", "pattern": "^[ACDEFGHJKMNPQRTUVWXY34679]{10}$"},
        },
    },
    "Admission": {
        "type": "object",
        "required": ["id", "token"],
        "properties": {
            "id": {"type": "integer"},
            "token": {"type": "string", "description": "The participant's secret identity."},
        },
    },
    "Invitation": {
        "type": "object",
        "required": ["id", "token", "role", "url"],
        "properties": {
            "id": {"type": "integer"},
            "token": {"type": "string"},
            "role": {"enum": ["facilitator", "observer", "projector"]},
            "url": {"type": "string", "format": "uri"},
        },
    },
}


def _operation(summary: str, *, security=None, body=None, responses=None, params=()) -> dict:
    operation = {"summary": summary, "responses": responses or {}}
    if security is not None:
        operation["security"] = security
    if body is not None:
        operation["requestBody"] = body
    if params:
        operation["parameters"] = list(params)
    return operation


_REMOVE_MEMBER = {
    "delete": _operation(
        "Remove a participant (facilitator): their token stops working at once.",
        security=FACILITATOR,
        params=[CODE, MEMBER_ID],
        responses={"204": {"description": "Removed."}, **_errors(401, 403, 404, 409)},
    )
}

PATHS = {
    "/api/convenings": {
        "post": _operation(
            "Create a convening. Anyone may; the reply holds the facilitator's secret link.",
            security=[],
            body=_body(
                {
                    "allOf": [_ref("ConveningInput")],
                    "required": ["title"],
                    "properties": {"facilitator_name": {"type": "string", "maxLength": 60}},
                }
            ),
            responses={
                "201": _json(_ref("CreatedConvening"), "Created."),
                **_errors(400, 413, 422),
            },
        )
    },
    "/api/convenings/{code}": {
        "get": _operation(
            "The current state the caller's role may see, with its sequence number.",
            security=ANY_TOKEN,
            params=[CODE],
            responses={"200": _json(_ref("Snapshot"), "Snapshot."), **_errors(401, 404)},
        ),
        "patch": _operation(
            "Change the convening's settings (facilitator).",
            security=FACILITATOR,
            params=[CODE],
            body=_body(_ref("ConveningInput")),
            responses={"200": _json(_ref("Convening"), "Updated."), **_errors(*COMMAND_ERRORS)},
        ),
    },
    "/api/convenings/{code}/events": {
        "get": _operation(
            "Events after `after` (catch up after a reconnect), or a fresh snapshot.",
            security=ANY_TOKEN,
            params=[
                CODE,
                {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
            ],
            responses={"200": _json(_ref("CatchUp"), "Missed events."), **_errors(401, 404, 422)},
        )
    },
    "/api/convenings/{code}/participants": {
        "post": _operation(
            "Join as a participant: no account, the token is the identity.",
            security=[],
            params=[CODE],
            body=_body(
                {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "maxLength": 60},
                        "passcode": {"type": "string"},
                        "caucus": {"type": "string", "maxLength": 60},
                    },
                }
            ),
            responses={
                "201": _json(_ref("Admission"), "Joined."),
                **_errors(400, 403, 404, 413, 422),
            },
        ),
        "get": _operation(
            "Everyone holding a token for the convening (facilitator).",
            security=FACILITATOR,
            params=[CODE],
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["members"],
                        "properties": {"members": {"type": "array", "items": _ref("Member")}},
                    },
                    "Members.",
                ),
                **_errors(401, 403, 404),
            },
        ),
    },
    "/api/convenings/{code}/invitations": {
        "post": _operation(
            "A link for a co-facilitator, an observer or another projector (facilitator).",
            security=FACILITATOR,
            params=[CODE],
            body=_body(
                {
                    "type": "object",
                    "required": ["role"],
                    "properties": {
                        "role": {"enum": ["facilitator", "observer", "projector"]},
                        "name": {"type": "string", "maxLength": 60},
                    },
                }
            ),
            responses={"201": _json(_ref("Invitation"), "Invited."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/agenda": {
        "post": _operation(
            "Add an agenda item at the end (facilitator).",
            security=FACILITATOR,
            params=[CODE],
            body=_body({"allOf": [_ref("AgendaItemInput")], "required": ["title"]}),
            responses={"201": _json(_ref("AgendaItem"), "Added."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/agenda/{item_id}": {
        "patch": _operation(
            "Edit an agenda item (facilitator).",
            security=FACILITATOR,
            params=[CODE, ITEM_ID],
            body=_body(_ref("AgendaItemInput")),
            responses={"200": _json(_ref("AgendaItem"), "Edited."), **_errors(*COMMAND_ERRORS)},
        ),
        "delete": _operation(
            "Remove an agenda item that is not running (facilitator).",
            security=FACILITATOR,
            params=[CODE, ITEM_ID],
            responses={"204": {"description": "Removed."}, **_errors(401, 403, 404, 409)},
        ),
    },
    "/api/convenings/{code}/agenda/{item_id}/start": {
        "post": _operation(
            "Start an agenda item; a running one is ended first (facilitator).",
            security=FACILITATOR,
            params=[CODE, ITEM_ID],
            responses={"200": _json(_ref("AgendaItem"), "Started."), **_errors(401, 403, 404, 409)},
        )
    },
    "/api/convenings/{code}/agenda/{item_id}/end": {
        "post": _operation(
            "End the running agenda item (facilitator).",
            security=FACILITATOR,
            params=[CODE, ITEM_ID],
            responses={"200": _json(_ref("AgendaItem"), "Ended."), **_errors(401, 403, 404, 409)},
        )
    },
    "/api/convenings/{code}/agenda/reorder": {
        "post": _operation(
            "Put the agenda in a new order: every item id exactly once (facilitator).",
            security=FACILITATOR,
            params=[CODE],
            body=_body(_ORDER),
            responses={
                "200": _json(
                    _ORDER,
                    "Reordered.",
                ),
                **_errors(*COMMAND_ERRORS),
            },
        )
    },
    "/api/convenings/{code}/queue": {
        "get": _operation(
            "The speaker list of the running agenda item.",
            security=ANY_TOKEN,
            params=[CODE],
            responses={"200": _json(_floor_reply, "The floor."), **_errors(401, 404)},
        ),
        "post": _operation(
            "Raise a hand on the running item (participant or facilitator).",
            security=ANY_TOKEN,
            params=[CODE],
            body=_body(
                {
                    "type": "object",
                    "properties": {"kind": {"enum": KINDS, "default": "speak"}},
                    "additionalProperties": False,
                },
                required=False,
            ),
            responses={
                "201": _json(_ref("FloorRequest"), "Raised."),
                **_errors(*COMMAND_ERRORS),
            },
        ),
    },
    "/api/convenings/{code}/queue/{request_id}": {
        "delete": _operation(
            "Lower one's own hand, or (facilitator) take a request off the list.",
            security=ANY_TOKEN,
            params=[
                CODE,
                {
                    "name": "request_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                },
            ],
            responses={"204": {"description": "Lowered."}, **_errors(401, 403, 404, 409)},
        )
    },
    "/api/convenings/{code}/queue/next": {
        "post": _operation(
            "The current speaker finishes; the front of the list gets the floor (facilitator).",
            security=FACILITATOR,
            params=[CODE],
            responses={"200": _json(_ref("Floor"), "The floor."), **_errors(401, 403, 404, 409)},
        )
    },
    "/api/convenings/{code}/queue/reorder": {
        "post": _operation(
            "Put the waiting requests in a chosen order, listing each once (facilitator). "
            "Points of order and process, direct responses and clarifying questions stay first.",
            security=FACILITATOR,
            params=[CODE],
            body=_body(_ORDER),
            responses={"200": _json(_ref("Floor"), "The floor."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/queue/close": {
        "post": _operation(
            "Close the speaker list: only points of order and process may still be raised.",
            security=FACILITATOR,
            params=[CODE],
            responses={"200": _json(_ref("Floor"), "The floor."), **_errors(401, 403, 404, 409)},
        )
    },
    "/api/convenings/{code}/queue/open": {
        "post": _operation(
            "Reopen the speaker list (facilitator).",
            security=FACILITATOR,
            params=[CODE],
            responses={"200": _json(_ref("Floor"), "The floor."), **_errors(401, 403, 404, 409)},
        )
    },
    "/api/convenings/{code}/signals": {
        "post": _operation(
            "Send a silent hand signal (participant). Never stored with a name; more than a few "
            "per second from one person are dropped quietly (`accepted: false`).",
            security=ANY_TOKEN,
            params=[CODE],
            body=_body(
                {
                    "type": "object",
                    "required": ["signal"],
                    "properties": {
                        "signal": {"enum": ["agree", "disagree", "clarify", "louder", "slower"]}
                    },
                }
            ),
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["accepted"],
                        "properties": {"accepted": {"type": "boolean"}},
                    },
                    "Sent (or dropped by the rate limit).",
                ),
                **_errors(*COMMAND_ERRORS),
            },
        )
    },
    "/api/convenings/{code}/speaking-stats": {
        "get": _operation(
            "Who spoke and for how long, per agenda item and for the convening (facilitator).",
            security=FACILITATOR,
            params=[CODE],
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["convening", "items"],
                        "properties": {
                            "convening": _ref("SpeakingStats"),
                            "items": {"type": "array", "items": _ref("SpeakingStats")},
                        },
                    },
                    "Statistics.",
                ),
                **_errors(401, 403, 404),
            },
        )
    },
    "/api/convenings/{code}/participants/{member_id}": {
        **_REMOVE_MEMBER,
        "patch": _operation(
            "Set or clear (null or empty) a member's caucus (facilitator).",
            security=FACILITATOR,
            params=[CODE, MEMBER_ID],
            body=_body(
                {
                    "type": "object",
                    "required": ["caucus"],
                    "properties": {"caucus": {"type": ["string", "null"], "maxLength": 60}},
                    "additionalProperties": False,
                }
            ),
            responses={"200": _json(_ref("Member"), "Updated."), **_errors(*COMMAND_ERRORS)},
        ),
    },
    "/api/convenings/{code}/demands": {
        "get": _operation(
            "The demands the caller may see with support and agreement figures, and the "
            "caller's own supports and stances.",
            security=ANY_TOKEN,
            params=[
                CODE,
                {
                    "name": "sort",
                    "in": "query",
                    "schema": {"enum": ["position", "agreement", "bridging"]},
                    "description": "position (default): the facilitator's order; agreement or "
                    "bridging: highest share first, demands without responses last.",
                },
            ],
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["sort", "demands", "me"],
                        "properties": {
                            "sort": {"enum": ["position", "agreement", "bridging"]},
                            "demands": {"type": "array", "items": _ref("Demand")},
                            "me": {
                                "type": "object",
                                "required": ["supports", "stances"],
                                "properties": {
                                    "supports": {"type": "array", "items": {"type": "integer"}},
                                    "stances": {
                                        "type": "object",
                                        "additionalProperties": {"enum": STANCES},
                                    },
                                },
                            },
                        },
                    },
                    "Demands.",
                ),
                **_errors(401, 404, 422),
            },
        ),
        "post": _operation(
            "Propose a demand (participant or facilitator). It starts as a draft.",
            security=ANY_TOKEN,
            params=[CODE],
            body=_body({"allOf": [_ref("DemandInput")], "required": ["title", "body"]}),
            responses={"201": _json(_ref("Demand"), "Proposed."), **_errors(*COMMAND_ERRORS)},
        ),
    },
    "/api/convenings/{code}/demands/reorder": {
        "post": _operation(
            "Put the demands in a new order: every demand id exactly once (facilitator).",
            security=FACILITATOR,
            params=[CODE],
            body=_body(_ORDER),
            responses={
                "200": _json(
                    _ORDER,
                    "Reordered.",
                ),
                **_errors(*COMMAND_ERRORS),
            },
        )
    },
    "/api/convenings/{code}/demands/{demand_id}": {
        "get": _operation(
            "One demand.",
            security=ANY_TOKEN,
            params=[CODE, DEMAND_ID],
            responses={"200": _json(_ref("Demand"), "The demand."), **_errors(401, 404)},
        ),
        "patch": _operation(
            "Edit a demand: its author while it is a draft, or a facilitator (recorded as a "
            "typo correction) while it is draft or open. Makes a new version.",
            security=ANY_TOKEN,
            params=[CODE, DEMAND_ID],
            body=_body(_ref("DemandInput")),
            responses={"200": _json(_ref("Demand"), "Edited."), **_errors(*COMMAND_ERRORS)},
        ),
        "delete": _operation(
            "Withdraw a draft (its author). The demand is kept with status withdrawn.",
            security=ANY_TOKEN,
            params=[CODE, DEMAND_ID],
            responses={"200": _json(_ref("Demand"), "Withdrawn."), **_errors(*COMMAND_ERRORS)},
        ),
    },
    "/api/convenings/{code}/demands/{demand_id}/open": {
        "post": _operation(
            "Put a draft before the room (facilitator): status open.",
            security=FACILITATOR,
            params=[CODE, DEMAND_ID],
            responses={"200": _json(_ref("Demand"), "Opened."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/demands/{demand_id}/hide": {
        "post": _operation(
            "Hide abusive content (facilitator): kept with the reason, shown only to facilitators.",
            security=FACILITATOR,
            params=[CODE, DEMAND_ID],
            body=_body(
                {
                    "type": "object",
                    "required": ["reason"],
                    "properties": {"reason": {"type": "string", "maxLength": 500}},
                    "additionalProperties": False,
                }
            ),
            responses={"200": _json(_ref("Demand"), "Hidden."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/demands/{demand_id}/unhide": {
        "post": _operation(
            "Show a hidden demand again (facilitator).",
            security=FACILITATOR,
            params=[CODE, DEMAND_ID],
            responses={"200": _json(_ref("Demand"), "Shown."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/demands/{demand_id}/merge": {
        "post": _operation(
            "Merge this duplicate into another demand (facilitator): supporters carry over, "
            "its authors are credited, it becomes merged. Returns the demand merged into.",
            security=FACILITATOR,
            params=[CODE, DEMAND_ID],
            body=_body(
                {
                    "type": "object",
                    "required": ["into"],
                    "properties": {"into": {"type": "integer"}},
                    "additionalProperties": False,
                }
            ),
            responses={"200": _json(_ref("Demand"), "Merged."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/demands/{demand_id}/support": {
        "post": _operation(
            "Support (second) a demand, once (participant or facilitator; not its authors).",
            security=ANY_TOKEN,
            params=[CODE, DEMAND_ID],
            responses={
                "200": _json(_ref("SupportReply"), "Supported."),
                **_errors(*COMMAND_ERRORS),
            },
        ),
        "delete": _operation(
            "Withdraw one's support.",
            security=ANY_TOKEN,
            params=[CODE, DEMAND_ID],
            responses={
                "200": _json(_ref("SupportReply"), "Unsupported."),
                **_errors(*COMMAND_ERRORS),
            },
        ),
    },
    "/api/convenings/{code}/demands/{demand_id}/agreement": {
        "put": _operation(
            "Mark a demand agree, disagree or pass. Counted, never shown with a name.",
            security=ANY_TOKEN,
            params=[CODE, DEMAND_ID],
            body=_body(
                {
                    "type": "object",
                    "required": ["stance"],
                    "properties": {"stance": {"enum": STANCES}},
                    "additionalProperties": False,
                }
            ),
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["demand_id", "stance", "agreement"],
                        "properties": {
                            "demand_id": {"type": "integer"},
                            "stance": {"enum": STANCES},
                            "agreement": _ref("Agreement"),
                        },
                    },
                    "My stance and the new figures.",
                ),
                **_errors(*COMMAND_ERRORS),
            },
        )
    },
    "/api/convenings/{code}/demands/{demand_id}/versions": {
        "get": _operation(
            "Every version of a demand, oldest first.",
            security=ANY_TOKEN,
            params=[CODE, DEMAND_ID],
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["demand_id", "current", "versions"],
                        "properties": {
                            "demand_id": {"type": "integer"},
                            "current": {"type": "integer"},
                            "versions": {"type": "array", "items": _ref("DemandVersion")},
                        },
                    },
                    "Versions.",
                ),
                **_errors(401, 404),
            },
        )
    },
    "/api/convenings/{code}/demands/{demand_id}/compare": {
        "get": _operation(
            "The word-level difference between two versions of a demand.",
            security=ANY_TOKEN,
            params=[
                CODE,
                DEMAND_ID,
                {"name": "from", "in": "query", "required": True, "schema": {"type": "integer"}},
                {"name": "to", "in": "query", "required": True, "schema": {"type": "integer"}},
            ],
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["demand_id", "from", "to", "title", "diff"],
                        "properties": {
                            "demand_id": {"type": "integer"},
                            "from": {"type": "integer"},
                            "to": {"type": "integer"},
                            "title": _diff,
                            "diff": _diff,
                        },
                    },
                    "The difference.",
                ),
                **_errors(401, 404, 422),
            },
        )
    },
    "/api/convenings/{code}/demands/{demand_id}/amendments": {
        "post": _operation(
            "Propose an amendment: the whole body, or `passage` (which must occur exactly once "
            "in the current body) replaced by `body`. `version`: the version it was written "
            "against; 409 when the demand has moved on.",
            security=ANY_TOKEN,
            params=[CODE, DEMAND_ID],
            body=_body(
                {
                    "type": "object",
                    "required": ["body"],
                    "properties": {
                        "body": {"type": "string", "maxLength": 5000},
                        "rationale": {"type": "string", "maxLength": 2000},
                        "passage": {"type": ["string", "null"], "maxLength": 5000},
                        "version": {"type": ["integer", "null"]},
                    },
                    "additionalProperties": False,
                }
            ),
            responses={
                "201": _json(_ref("Amendment"), "Proposed."),
                **_errors(*COMMAND_ERRORS),
            },
        )
    },
    "/api/convenings/{code}/amendments/{amendment_id}": {
        "delete": _operation(
            "Withdraw one's pending amendment. Returns its demand.",
            security=ANY_TOKEN,
            params=[CODE, AMENDMENT_ID],
            responses={"200": _json(_ref("Demand"), "Withdrawn."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/amendments/{amendment_id}/accept": {
        "post": _operation(
            "Accept an amendment as friendly (the demand's author): applied at once as a new "
            "version. Returns the demand.",
            security=ANY_TOKEN,
            params=[CODE, AMENDMENT_ID],
            responses={"200": _json(_ref("Demand"), "Adopted."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/amendments/{amendment_id}/decide": {
        "post": _operation(
            "Record the room's decision on an amendment (facilitator). Returns the demand.",
            security=FACILITATOR,
            params=[CODE, AMENDMENT_ID],
            body=_body(
                {
                    "type": "object",
                    "required": ["outcome"],
                    "properties": {"outcome": {"enum": ["adopted", "rejected"]}},
                    "additionalProperties": False,
                }
            ),
            responses={"200": _json(_ref("Demand"), "Decided."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/rounds": {
        "post": _operation(
            "Create a decision round as a draft (facilitator).",
            security=FACILITATOR,
            params=[CODE],
            body=_body(_ref("RoundInput")),
            responses={"201": _json(_ref("Round"), "Created."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/rounds/{round_id}": {
        "get": _operation(
            "A round: settings, turnout, the live tally while open (if shown), the result once "
            "closed.",
            security=ANY_TOKEN,
            params=[CODE, ROUND_ID],
            responses={"200": _json(_ref("Round"), "The round."), **_errors(401, 404, 422)},
        )
    },
    "/api/convenings/{code}/rounds/{round_id}/open": {
        "post": _operation(
            "Open the round for voting (facilitator).",
            security=FACILITATOR,
            params=[CODE, ROUND_ID],
            responses={"200": _json(_ref("Round"), "Opened."), **_errors(401, 403, 404, 409)},
        )
    },
    "/api/convenings/{code}/rounds/{round_id}/ballots": {
        "post": _operation(
            "Cast (or change) a ballot (participant). Answered only after it is committed.",
            security=ANY_TOKEN,
            params=[CODE, ROUND_ID],
            body=_body(_ref("Ballot")),
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["receipt", "round_id", "weight"],
                        "properties": {
                            "receipt": {"type": "string"},
                            "round_id": {"type": "integer"},
                            "weight": {"type": "integer"},
                        },
                    },
                    "Recorded.",
                ),
                **_errors(*COMMAND_ERRORS),
                "429": _json(_ref("Error"), "Too many ballots too fast from one person."),
            },
        ),
        "get": _operation(
            "After the close: every ballot with its receipt (and names in named rounds).",
            security=ANY_TOKEN,
            params=[CODE, ROUND_ID],
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["round_id", "secret", "ballots"],
                        "properties": {
                            "round_id": {"type": "integer"},
                            "secret": {"type": "boolean"},
                            "ballots": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                    "The published ballot list.",
                ),
                **_errors(401, 404, 409),
            },
        ),
    },
    "/api/convenings/{code}/rounds/{round_id}/close": {
        "post": _operation(
            "Close the round: count the stored ballots and record the decision (facilitator).",
            security=FACILITATOR,
            params=[CODE, ROUND_ID],
            responses={"200": _json(_ref("Round"), "Closed."), **_errors(401, 403, 404, 409)},
        )
    },
    "/api/convenings/{code}/rounds/{round_id}/follow-up": {
        "post": _operation(
            "After a blocked consent round: `amend` (back to amendments), `retry` (a new "
            "consent round) or `fallback` (a yes/no vote at the convening's supermajority).",
            security=FACILITATOR,
            params=[CODE, ROUND_ID],
            body=_body(
                {
                    "type": "object",
                    "required": ["path"],
                    "properties": {"path": {"enum": ["amend", "retry", "fallback"]}},
                }
            ),
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["round_id", "path"],
                        "properties": {
                            "round_id": {"type": "integer"},
                            "path": {"type": "string"},
                            "new_round": _ref("Round"),
                        },
                    },
                    "Recorded.",
                ),
                **_errors(*COMMAND_ERRORS),
            },
        )
    },
    "/api/convenings/{code}/participants/{member_id}/vote": {
        "patch": _operation(
            "A participant's vote weight (delegates) or who carries their vote (proxies).",
            security=FACILITATOR,
            params=[CODE, MEMBER_ID],
            body=_body(
                {
                    "type": "object",
                    "properties": {
                        "vote_weight": {"type": "integer", "minimum": 1, "maximum": 10000},
                        "carried_by_id": {"type": ["integer", "null"]},
                    },
                    "additionalProperties": False,
                }
            ),
            responses={"200": _json(_ref("Member"), "Updated."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/minutes": {
        "get": _operation(
            "The minutes: the latest final version, or (facilitators, before finalizing) the "
            "live draft with final: false. Participants only once final and if the convening's "
            "minutes_public allows.",
            params=[
                CODE,
                {
                    "name": "format",
                    "in": "query",
                    "schema": {"enum": ["json", "md", "html", "pdf"], "default": "json"},
                },
                {
                    "name": "live",
                    "in": "query",
                    "description": "Facilitators: the live draft even after finalizing.",
                    "schema": {"enum": ["0", "1", "true", "false"]},
                },
            ],
            responses={
                "200": {
                    "description": "The minutes: JSON, or a Markdown, HTML or PDF download.",
                    "content": {
                        "application/json": {"schema": _minutes},
                        "text/markdown": {"schema": {"type": "string"}},
                        "text/html": {"schema": {"type": "string"}},
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    },
                },
                "503": _json(_ref("Error"), "PDF export is not available on this server."),
                **_errors(401, 403, 404, 422),
            },
        )
    },
    "/api/convenings/{code}/minutes/notes": {
        "post": _operation(
            "The facilitator's notes on an agenda item, for the minutes (replaces earlier ones).",
            security=FACILITATOR,
            params=[CODE],
            body=_body(
                {
                    "type": "object",
                    "required": ["agenda_item_id", "text"],
                    "properties": {
                        "agenda_item_id": {"type": "integer"},
                        "text": {"type": "string", "maxLength": 8000},
                    },
                    "additionalProperties": False,
                }
            ),
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["agenda_item_id", "text"],
                        "properties": {
                            "agenda_item_id": {"type": "integer"},
                            "text": {"type": "string"},
                        },
                    },
                    "Saved.",
                ),
                **_errors(*COMMAND_ERRORS),
            },
        )
    },
    "/api/convenings/{code}/minutes/finalize": {
        "post": _operation(
            "Approve the minutes as they stand: a new numbered version that never changes. "
            "409 when nothing changed since the last final version.",
            security=FACILITATOR,
            params=[CODE],
            responses={"200": _json(_minutes, "The final version."), **_errors(*COMMAND_ERRORS)},
        )
    },
    "/api/convenings/{code}/actions": {
        "get": _operation(
            "Every action item of the convening.",
            params=[CODE],
            responses={
                "200": _json(
                    {
                        "type": "object",
                        "required": ["actions"],
                        "properties": {"actions": {"type": "array", "items": _action}},
                    },
                    "The action items, oldest first.",
                ),
                **_errors(401, 404),
            },
        ),
        "post": _operation(
            "Record an action item (facilitators; participants if participants_add_actions).",
            params=[CODE],
            body=_body(
                {
                    "type": "object",
                    "required": ["what", "who"],
                    "properties": {
                        "what": {"type": "string", "maxLength": 1000},
                        "who": {"type": "string", "maxLength": 200},
                        "due": {"type": ["string", "null"], "format": "date"},
                        "agenda_item_id": {"type": ["integer", "null"]},
                    },
                    "additionalProperties": False,
                }
            ),
            responses={"201": _json(_action, "Recorded."), **_errors(*COMMAND_ERRORS)},
        ),
    },
    "/api/convenings/{code}/rounds/{round_id}/ballots.csv": {
        "get": _operation(
            "Every ballot of a closed round as CSV (receipt, weight, ballot; name only in "
            "named rounds: secret rounds carry receipt codes only).",
            params=[CODE, ROUND_ID],
            responses={
                "200": {
                    "description": "CSV file.",
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                },
                **_errors(401, 404, 409),
            },
        )
    },
    "/api/convenings/{code}/rounds/{round_id}/ballots.blt": {
        "get": _operation(
            "A closed ranked round as a BLT file: `python -m convene tally round.blt` "
            "recounts it (add --method schulze, --rule meek or --seed as the round used).",
            params=[CODE, ROUND_ID],
            responses={
                "200": {
                    "description": "BLT ballot file.",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
                **_errors(401, 404, 409),
            },
        )
    },
    "/api/openapi.json": {
        "get": _operation(
            "This document.",
            security=[],
            responses={"200": {"description": "The OpenAPI document."}},
        )
    },
}


@cache
def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Convene API",
            "version": "0.1.0",
            "description": (
                "Every facilitator and participant action of Convene, for scripts and "
                "integrations. Authenticate with `Authorization: Bearer <token>`: the "
                "facilitator, projector, observer or participant token. Live updates come "
                "over Socket.IO (docs/realtime.md); the same commands are available there."
            ),
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A facilitator, participant, projector or observer token.",
                }
            },
        },
        "security": ANY_TOKEN,
        "paths": PATHS,
    }
