"""The application factory."""

from __future__ import annotations

from flask import Flask, current_app, request

from convene.config import ROOT, load_config
from convene.extensions import babel, socketio
from convene.services.core import Services
from convene.store.database import make_engine, make_session_factory


def create_app(test_config: dict | None = None) -> Flask:
    settings = load_config(test_config)
    app = Flask(
        "convene",
        root_path=str(ROOT),
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(settings)

    engine = make_engine(
        app.config["DATABASE_URL"], sqlite_synchronous=app.config["SQLITE_SYNCHRONOUS"]
    )
    from convene.realtime.publisher import SocketIOPublisher

    services = Services(make_session_factory(engine), publisher=SocketIOPublisher(socketio))
    app.extensions["convene"] = services
    app.extensions["convene.engine"] = engine

    babel.init_app(app, locale_selector=_select_locale)
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"] or None,
        ping_interval=10,
        ping_timeout=10,
        max_http_buffer_size=app.config["MAX_CONTENT_LENGTH"],
    )

    from convene.realtime import handlers
    from convene.web import api, errors, pages

    handlers.register(socketio)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(pages.blueprint)
    errors.register(app)

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'self'",
        )
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return app


def _select_locale() -> str | None:
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


def services_of(app: Flask) -> Services:
    return app.extensions["convene"]
