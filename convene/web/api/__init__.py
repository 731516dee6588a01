"""The HTTP JSON API: every facilitator and participant action, documented at /api/openapi.json.

Routes are thin: they read JSON and the bearer token, call a service command, and shape
the reply. Errors become ``{"error": {"code", "message"}}`` in convene/web/errors.py.
One module an area, as the services are (agenda, checkins, convenings, demands, feeders,
floor, live, minutes, participants, projector, roster, rounds), each adding its routes to the one
blueprint of ``common``, which also holds what they share; an area's routes import no other
area's (tests/unit/test_import_graph.py).
"""

from __future__ import annotations

import functools

from flask import Flask

# Importing an area adds its routes to the blueprint.
from convene.web.api import (  # noqa: F401
    agenda,
    checkins,
    convenings,
    demands,
    feeders,
    floor,
    live,
    minutes,
    participants,
    projector,
    roster,
    rounds,
)
from convene.web.api.common import blueprint
from convene.web.api.spec import build, operation


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
