"""`convene run` (development server) and `convene serve` (production, async worker).

Production async modes (ASYNC_MODE):
- ``gevent`` (default): gunicorn with its gevent worker; WebSocket through simple-websocket.
- ``eventlet``: eventlet's own WSGI server through ``socketio.run``. gunicorn dropped its
  eventlet worker in 26.0, and eventlet itself is in maintenance only; we keep it working
  as a switch. Its server accepts 1,024 connections unless told otherwise: we pass
  WORKER_CONNECTIONS as its ``max_size``.
Both run one process; serve more with several processes behind a proxy with sticky
sessions, sharing PostgreSQL (DATABASE_URL) and Redis (SOCKETIO_MESSAGE_QUEUE).
"""

from __future__ import annotations

import os
import shutil
import sys

PRODUCTION_MODES = ("gevent", "eventlet")


def _banner(host: str, port: int, mode: str) -> str:
    base = f"http://{host}:{port}"
    return (
        f"\nConvene is running at {base}/ ({mode})\n"
        f"  1. Open {base}/ and create a convening: you get the facilitator link.\n"
        "  2. Open the projector link on the big screen; people join with the code or QR.\n"
        "  Press Ctrl+C to stop.\n"
    )


def run_dev(argv: list[str]) -> int:
    from convene.app import create_app
    from convene.extensions import socketio
    from convene.store.migrate import upgrade

    app = create_app({"ASYNC_MODE": "threading"})
    upgrade(app.extensions["convene.engine"])  # idempotent: the development server stands alone
    host, port = app.config["HOST"], int(app.config["PORT"])
    print(_banner(host, port, "development server"), flush=True)
    print(_first_convening(app, f"http://{host}:{port}"), flush=True)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False)
    return 0


def _first_convening(app, base: str) -> str:
    """A ready convening for a first look: its facilitator link is kept in instance/.

    The link is created once (and again if that convening was deleted), so every
    `make run` prints a facilitator link that works.
    """
    from pathlib import Path

    from convene.domain.errors import DomainError
    from convene.services.convenings import create_convening

    services = app.extensions["convene"]
    saved = Path(app.instance_path) / "facilitator-link.txt"
    token = saved.read_text().strip() if saved.exists() else ""
    try:
        services.authenticate(token)
    except DomainError:
        created = create_convening(services, title="My first convening")
        token = created.facilitator_token
        saved.write_text(token + "\n")
        saved.chmod(0o600)
    return f"  Facilitator link of your first convening (keep it private): {base}/t/{token}\n"


def run_production(argv: list[str]) -> int:
    mode = os.environ.get("ASYNC_MODE", "gevent")
    if mode not in PRODUCTION_MODES:
        print(
            f"ASYNC_MODE must be one of {', '.join(PRODUCTION_MODES)} for `serve`, not {mode!r}",
            file=sys.stderr,
        )
        return 2
    os.environ["ASYNC_MODE"] = mode
    return _serve_eventlet() if mode == "eventlet" else _serve_gevent()


def _serve_gevent() -> int:
    from convene.config import load_config

    settings = load_config()
    _metrics_folder(settings)
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    args = [
        gunicorn,
        # Convene's log handler (format, request ids, tokens redacted) for gunicorn's error
        # and access logs; Prometheus files of a worker that ended are let go.
        "--config",
        "python:convene.monitoring.gunicorn",
        "--worker-class",
        "gevent",
        "--workers",
        "1",
        "--worker-connections",
        str(settings["WORKER_CONNECTIONS"]),
        "--bind",
        f"{settings['HOST']}:{settings['PORT']}",
        "--graceful-timeout",
        "5",
        "wsgi:app",
    ]
    print(_banner(settings["HOST"], settings["PORT"], "gunicorn, gevent worker"), flush=True)
    os.execve(gunicorn, args, dict(os.environ))  # noqa: S606 - fixed argv, no shell
    return 0  # not reached


def _serve_eventlet() -> int:
    import eventlet

    eventlet.monkey_patch()
    import logging

    from convene.app import create_app
    from convene.config import load_config
    from convene.extensions import socketio

    _metrics_folder(load_config())
    app = create_app({"ASYNC_MODE": "eventlet"})
    host, port = app.config["HOST"], int(app.config["PORT"])
    print(_banner(host, port, "eventlet server"), flush=True)
    socketio.run(
        app,
        host=host,
        port=port,
        max_size=int(app.config["WORKER_CONNECTIONS"]),
        # eventlet's request lines through Convene's handler (tokens redacted)
        log_output=True,
        log=logging.getLogger("convene.access"),
    )
    return 0


def _metrics_folder(settings: dict) -> None:
    """With metrics on, each server process keeps its Prometheus files in a folder of its own
    (PROMETHEUS_MULTIPROC_DIR, default instance/metrics-PORT), emptied as it starts. Set before
    prometheus_client is imported anywhere."""
    if not settings["METRICS_ENABLED"]:
        return
    from convene.monitoring.metrics import prepare_multiprocess_folder

    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.path.join(
        settings["INSTANCE_PATH"], f"metrics-{settings['PORT']}"
    )
    prepare_multiprocess_folder(folder)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
