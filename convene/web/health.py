"""GET /healthz (the process answers), GET /readyz (its database and Redis answer) and
GET /metrics (Prometheus; 404 unless METRICS_ENABLED, and with METRICS_TOKEN only for a
bearer of it). Plain routes: no token, no session, never cached."""

from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Response, current_app, jsonify, request

log = logging.getLogger(__name__)

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    return _no_store(jsonify(status="ok"))


@blueprint.get("/readyz")
def readyz():
    checks = {"database": _check(_database)}
    if current_app.config["SOCKETIO_MESSAGE_QUEUE"]:
        checks["redis"] = _check(_redis)
    failing = sorted(name for name, result in checks.items() if result != "ok")
    body = {"status": "unavailable" if failing else "ready", "checks": checks}
    if failing:
        body["failing"] = failing
        log.warning("Not ready: %s", ", ".join(f"{n} {checks[n]}" for n in failing))
    response = jsonify(body)
    response.status_code = 503 if failing else 200
    return _no_store(response)


def _check(probe) -> str:
    try:
        probe()
    except Exception as error:
        return f"unavailable ({type(error).__name__})"
    return "ok"


def _database() -> None:
    engine = current_app.extensions["convene.engine"]
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")


def _redis() -> None:
    """A client of its own with short timeouts: the shared pool makes callers wait (20 s)."""
    client = current_app.extensions.get("convene.redis_probe")
    if client is None:
        import redis

        client = redis.Redis.from_url(
            current_app.config["SOCKETIO_MESSAGE_QUEUE"],
            socket_connect_timeout=2,
            socket_timeout=2,
        )
        current_app.extensions["convene.redis_probe"] = client
    client.ping()


@blueprint.get("/metrics")
def metrics():
    config = current_app.config
    if not config["METRICS_ENABLED"]:
        return _no_store(Response("Not found\n", status=404, mimetype="text/plain"))
    expected = config["METRICS_TOKEN"]
    if expected:
        scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            offered.strip().encode(), expected.encode()
        ):
            response = Response("A bearer token is needed.\n", status=401, mimetype="text/plain")
            response.headers["WWW-Authenticate"] = "Bearer"
            return _no_store(response)
    from convene.monitoring.metrics import page

    body, content_type = page(current_app.extensions["convene.engine"])
    return _no_store(Response(body, content_type=content_type))


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
