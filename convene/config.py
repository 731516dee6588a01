"""Settings: config/default.py, then environment variables, then test overrides."""

from __future__ import annotations

import os
import re
import runpy
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = ROOT / "config" / "default.py"
INSTANCE = ROOT / "instance"

_INT_SETTINGS = {
    "PORT",
    "WORKER_CONNECTIONS",
    "MAX_CONTENT_LENGTH",
    "PERMANENT_SESSION_LIFETIME",
    "DATABASE_POOL_SIZE",
    "TRUSTED_PROXIES",
}
_BOOL_SETTINGS = {"METRICS_ENABLED", "RATELIMIT_ENABLED", "SESSION_COOKIE_SECURE"}


def load_config(overrides: dict | None = None, environ: dict | None = None) -> dict:
    environ = os.environ if environ is None else environ
    settings = {key: value for key, value in runpy.run_path(str(DEFAULTS)).items() if key.isupper()}
    for key in settings:
        if key in environ and key != "LANGUAGES":
            value = environ[key]
            settings[key] = int(value) if key in _INT_SETTINGS else value
    for key in _BOOL_SETTINGS:
        if isinstance(settings.get(key), str):
            settings[key] = settings[key].strip().lower() in {"1", "true", "yes", "on"}
    settings.update(overrides or {})
    instance = Path(settings.get("INSTANCE_PATH") or INSTANCE)
    settings["INSTANCE_PATH"] = str(instance)
    # Whatever the database: instance/ keeps the secret key and the first convening's link.
    instance.mkdir(parents=True, exist_ok=True)
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{instance / 'convene.db'}"
    _make_sqlite_folder(settings["DATABASE_URL"])
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = _instance_secret(instance)
    return settings


def _make_sqlite_folder(url: str) -> None:
    """SQLite creates its file but not the folders above it: make them, for any path."""
    match = re.match(r"sqlite(\+\w+)?:///([^?]*)", url)
    if match is None:
        return
    path = match.group(2)
    if path and path != ":memory:" and not path.startswith("file:"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _instance_secret(instance: Path) -> str:
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
