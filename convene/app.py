"""The application factory."""

from __future__ import annotations

import contextlib
import functools
import logging
import uuid
from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from convene import i18n
from convene.bootstrap import build_services
from convene.config import ROOT, load_config
from convene.extensions import babel, socketio
from convene.monitoring import logs, metrics
from convene.services import lookup
from convene.services.core import Services
from convene.services.presence import LocalPresence, Presence, RedisPresence
from convene.services.ratelimits import RULES, RateLimits, shared_storage
from convene.store.database import make_engine, make_session_factory
from convene.web.jsonbody import SocketJson
from convene.web.sessions import CookieSessions

log = logging.getLogger(__name__)

#: Redis connections per process (presence and publish locks); more callers wait their turn.
REDIS_CONNECTIONS = 50


def create_app(test_config: dict | None = None) -> Flask:
    settings = load_config(test_config)
    logs.configure(settings["LOG_LEVEL"], settings["LOG_FORMAT"])
    if settings["METRICS_ENABLED"]:
        metrics.enable()
    if settings["SENTRY_DSN"]:
        from convene.monitoring import errors as error_reports

        error_reports.init(settings["SENTRY_DSN"], settings["SENTRY_ENVIRONMENT"])
    app = Flask(
        "convene",
        root_path=str(ROOT),
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(settings)
    app.session_interface = CookieSessions()

    engine = make_engine(
        app.config["DATABASE_URL"],
        sqlite_synchronous=app.config["SQLITE_SYNCHRONOUS"],
        pool_size=app.config["DATABASE_POOL_SIZE"],
    )
    from convene.realtime import fanout
    from convene.realtime.publisher import SocketIOPublisher

    shared = _redis(app.config) if app.config["SOCKETIO_MESSAGE_QUEUE"] else None
    services = build_services(
        make_session_factory(engine),
        publisher=SocketIOPublisher(socketio),
        presence=_presence(app.config, shared),
        publish_lock=_publish_lock(app.config, shared),
        languages=tuple(app.config["LANGUAGES"]),
        ballot_secret=app.config["SECRET_KEY"],
        ballot_secret_fallbacks=tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()),
        limits=_rate_limits(app.config, shared),
    )
    app.extensions["convene"] = services
    app.extensions["convene.language_of"] = functools.partial(lookup.language_of, services)
    app.extensions["convene.engine"] = engine

    babel.init_app(app, locale_selector=i18n.select_locale)
    app.jinja_env.globals["js_ngettext"] = i18n.js_ngettext
    app.jinja_env.globals["language_choices"] = i18n.choices
    app.jinja_env.globals["amendment_note_strings"] = i18n.amendment_note_strings
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        # With SOCKETIO_MESSAGE_QUEUE, every emit is relayed through Redis to all processes.
        client_manager=fanout.client_manager(
            app.config["SOCKETIO_MESSAGE_QUEUE"], app.config["SOCKETIO_CHANNEL"]
        ),
        # One message of a connection at a time, in the order sent: a connection that
        # floods queues behind itself (and TCP pushes back on it) instead of spawning a task
        # per message that every other phone's reply waits behind (bench/flood.py).
        async_handlers=False,
        # Socket.IO's own defaults: a server busy with a crowd must not drop healthy phones
        # (10 s each dropped 8-84% of 1,000 phones while they connected, bench/live_round.py).
        ping_interval=25,
        ping_timeout=20,
        max_http_buffer_size=app.config["MAX_CONTENT_LENGTH"],
        # Bounded depth, no lone surrogates; a refused command is still answered.
        json=SocketJson,
    )
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Outside Socket.IO's middleware, so a socket's address and scheme are fixed as well.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )

    logs.adopt("socketio", "engineio")
    from convene.realtime import handlers, ticker
    from convene.web import api, errors, health, pages

    handlers.register(socketio)
    ticker.attach(socketio, services)
    if isinstance(services.presence, RedisPresence):
        socketio.start_background_task(_presence_heartbeat, services)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(health.blueprint)
    errors.register(app)

    @app.before_request
    def _request_id():
        request.environ["convene.request_id"] = logs.REQUEST_ID.set(
            logs.new_request_id(request.headers.get("X-Request-ID"))
        )

    @app.teardown_request
    def _forget_request_id(_error=None):
        reset = request.environ.pop("convene.request_id", None)
        if reset is not None:
            with contextlib.suppress(ValueError):  # set in another context: nothing to undo
                logs.REQUEST_ID.reset(reset)

    public_origins = _origins(app.config["PUBLIC_URL"])

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Request-ID", logs.REQUEST_ID.get())
        # WebSockets only to this server (as the browser reached it) and to PUBLIC_URL.
        connect = " ".join(dict.fromkeys(_origins(request.host_url) + public_origins))
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            f"connect-src 'self' {connect}; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'self'",
        )
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return app


def _redis(config: dict):
    """One client per process for presence and the publish locks. Its pool makes a command
    wait for a free connection instead of failing (redis-py's default pool refuses past 100
    connections, and thousands of phones may disconnect at once)."""
    import redis

    pool = redis.BlockingConnectionPool.from_url(
        config["SOCKETIO_MESSAGE_QUEUE"], max_connections=REDIS_CONNECTIONS, timeout=20
    )
    return redis.Redis(connection_pool=pool)


def _origins(url: str) -> list[str]:
    """The HTTP and WebSocket origins of ``url`` (none for an empty or odd URL)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return []
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    return [f"{parts.scheme}://{parts.netloc}", f"{socket_scheme}://{parts.netloc}"]


def _rate_limits(config: dict, client) -> RateLimits:
    """The limits of docs/limits.md, counted in Redis when the processes share one."""
    rules = {rule: config.get(f"RATELIMIT_{rule.upper()}", "") for rule in RULES}
    prefix = config["RATELIMIT_KEY_PREFIX"] or f"{config['SOCKETIO_CHANNEL']}:limits"
    uri = config["RATELIMIT_STORAGE_URI"]
    if uri:
        storage = shared_storage("" if uri.startswith("memory") else uri, prefix)
    else:
        pool = client.connection_pool if client is not None else None
        storage = shared_storage(config["SOCKETIO_MESSAGE_QUEUE"], prefix, pool)
    return RateLimits(rules, shared=storage, enabled=bool(config["RATELIMIT_ENABLED"]))


def _presence(config: dict, client) -> Presence:
    """Presence in this process, or in Redis when several processes share a message queue."""
    if client is None:
        return LocalPresence()
    return RedisPresence(client, server_id=uuid.uuid4().hex, prefix=config["SOCKETIO_CHANNEL"])


def _publish_lock(config: dict, client):
    """Several processes: one publishes each round's live count at a time (Redis lock)."""
    if client is None:
        return None
    from convene.services.ticker import RedisLock

    return RedisLock(client, prefix=config["SOCKETIO_CHANNEL"])


def _presence_heartbeat(services: Services) -> None:
    """Keep this process counted, and tell the screens when another process's phones stop
    counting (it died: no disconnect reaches this process)."""
    presence = services.presence
    while True:
        socketio.sleep(presence.HEARTBEAT_SECONDS)
        try:
            for convening_id in presence.heartbeat():
                services.ticker.mark_presence(convening_id)
        except Exception:  # Redis unreachable for a moment: try again at the next beat
            log.warning("Could not renew presence in Redis", exc_info=True)
