"""`convene run` (development server) and `convene serve` (gunicorn with an async worker)."""

from __future__ import annotations

import os
import shutil
import sys

WORKERS = {"eventlet": "eventlet", "gevent": "gevent"}


def _banner(host: str, port: int) -> str:
    base = f"http://{host}:{port}"
    return (
        f"\nConvene is running at {base}/\n"
        f"  1. Open {base}/ and create a convening: you get the facilitator link.\n"
        "  2. Open the projector link on the big screen; people join with the code or QR.\n"
        "  Press Ctrl+C to stop.\n"
    )


def run_dev(argv: list[str]) -> int:
    from convene.app import create_app
    from convene.extensions import socketio

    app = create_app({"ASYNC_MODE": "threading"})
    host, port = app.config["HOST"], int(app.config["PORT"])
    print(_banner(host, port), flush=True)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False)
    return 0


def run_production(argv: list[str]) -> int:
    from convene.config import load_config

    settings = load_config()
    mode = os.environ.get("ASYNC_MODE", "eventlet")
    if mode not in WORKERS:
        print(f"ASYNC_MODE must be eventlet or gevent for `serve`, not {mode!r}", file=sys.stderr)
        return 2
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    env = {**os.environ, "ASYNC_MODE": mode}
    args = [
        gunicorn,
        "--worker-class",
        WORKERS[mode],
        "--workers",
        "1",  # Socket.IO needs sticky sessions: scale out with processes behind a proxy + Redis
        "--worker-connections",
        str(settings["WORKER_CONNECTIONS"]),
        "--bind",
        f"{settings['HOST']}:{settings['PORT']}",
        "wsgi:app",
    ]
    print(_banner(settings["HOST"], settings["PORT"]), flush=True)
    os.execve(gunicorn, args, env)  # noqa: S606 - fixed argv, no shell
    return 0  # not reached
