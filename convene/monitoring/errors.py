"""Error reports to Sentry (sentry-sdk) when SENTRY_DSN is set; nothing otherwise.

Reports carry no personal data (no user, no IP, no bodies, no frame variables) and pass through
the same redaction as the logs: no token of a link, a header or a body leaves the server.
"""

from __future__ import annotations

from convene.monitoring.logs import REDACTED, redact

_DROPPED_HEADERS = {"authorization", "cookie", "x-forwarded-for", "x-real-ip"}


def scrub(value):
    """A copy of a Sentry event with every string redacted and sensitive headers gone."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            secret = isinstance(key, str) and (
                key.lower() in _DROPPED_HEADERS or "token" in key or key == "badge_code"
            )
            if secret:
                cleaned[key] = REDACTED
            else:
                cleaned[key] = scrub(item)
        return cleaned
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


def _before_send(event, _hint):
    return scrub(event)


def init(dsn: str, environment: str = "") -> None:
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        # Flask only: scanning for every library it knows would import eventlet and more.
        auto_enabling_integrations=False,
        integrations=[FlaskIntegration()],
        environment=environment or None,
        # No one's identity, no request bodies, no frame's local variables (they may hold
        # a token); what is left goes through scrub() below.
        data_collection={"user_info": False, "http_bodies": [], "stack_frame_variables": False},
        traces_sample_rate=0,
        before_send=_before_send,
        before_send_transaction=_before_send,
        before_breadcrumb=lambda crumb, _hint: scrub(crumb),
    )
