"""The cookie session keeps its signer while the keys stay the same (convene/web/sessions.py)."""

from __future__ import annotations

import pytest
from flask import Flask, session
from itsdangerous import BadSignature

from convene.web.sessions import CookieSessions


def make_app(secret: str) -> Flask:
    app = Flask("t")
    app.secret_key = secret
    app.session_interface = CookieSessions()

    @app.post("/remember/<value>")
    def remember(value):
        session["value"] = value
        return ""

    @app.get("/recall")
    def recall():
        return session.get("value", "")

    return app


def test_cookie_sessions_round_trip_with_one_signer_per_key():
    app = make_app("one")
    client = app.test_client()
    client.post("/remember/phone-7")
    assert client.get("/recall").get_data(as_text=True) == "phone-7"
    sessions = app.session_interface
    assert sessions.get_signing_serializer(app) is sessions.get_signing_serializer(app)


def test_a_new_key_gets_a_new_signer_and_old_cookies_only_through_fallbacks():
    app = make_app("one")
    old = app.session_interface.get_signing_serializer(app)
    cookie = old.dumps({"value": "phone-7"})
    app.secret_key = "two"
    new = app.session_interface.get_signing_serializer(app)
    assert new is not old
    with pytest.raises(BadSignature):
        new.loads(cookie)
    app.config["SECRET_KEY_FALLBACKS"] = ["one"]
    assert app.session_interface.get_signing_serializer(app).loads(cookie) == {"value": "phone-7"}
