"""Flask's signed-cookie session, with its signer built once instead of per request.

Flask builds a new itsdangerous serializer every time it opens a session, and it opens one
for every HTTP request and for every Socket.IO message (each runs in a request context).
Building it costs more than checking the cookie: with 4,000 phones voting it was 6% of the
server's time (bench/live_round.py). The keys are fixed for the life of the app, so the
serializer is kept per set of keys.
"""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CookieSessions(SecureCookieSessionInterface):
    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure whenever the phone reached us over HTTPS (directly, or through a proxy
        trusted by TRUSTED_PROXIES), or the links say https: a cookie that holds a phone's
        identity never travels in clear text once the meeting is on HTTPS."""
        return bool(
            app.config["SESSION_COOKIE_SECURE"]
            or request.is_secure
            or app.config.get("PUBLIC_URL", "").startswith("https://")
        )

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            self._serializers = {keys: serializer}  # a new key replaces the old one
        return serializer
