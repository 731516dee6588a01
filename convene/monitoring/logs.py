"""Logging, configured once by the app factory (and by gunicorn's logger class).

- One line per record on stderr: plain text (LOG_FORMAT=text, the default) or a JSON object
  per line (LOG_FORMAT=json, python-json-logger); level from LOG_LEVEL (INFO by default).
- Every line carries the id of the request or Socket.IO message it belongs to
  (``request_id``; ``-`` outside of one). An HTTP request keeps the id a proxy sent in
  X-Request-ID (nginx's $request_id) and answers with it.
- No secret reaches a line: the filter rewrites every message and traceback, replacing the
  token of a link ``/t/<token>``, of an ``Authorization`` header or a bearer, and of a
  ``token`` (or a roster badge's ``badge_code``) field or query parameter with
  ``[redacted]``. gunicorn's access and error logs, werkzeug's and eventlet's request lines
  go through the same handler.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import uuid
from contextvars import ContextVar

REQUEST_ID: ContextVar[str] = ContextVar("convene_request_id", default="-")
REDACTED = "[redacted]"

_SECRETS = [
    # the private links: /t/<token> (facilitator, projector, participant)
    (re.compile(r"(/t/)[^/\s?#\"'<>]+"), rf"\1{REDACTED}"),
    # Authorization: Bearer xyz / 'Authorization': 'xyz' / authorization=xyz
    (
        re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(?:(bearer|basic)\s+)?[^\s'\",;}]+"),
        rf"\1\2 {REDACTED}",
    ),
    (re.compile(r"(?i)\b(bearer\s+)[\w.~+/=-]+"), rf"\1{REDACTED}"),
    # "token": "xyz" in JSON or a repr, token=xyz in a query string or a form; the same for
    # a roster badge's code (badge_code), which lets its holder in as that delegate
    (
        re.compile(r"(?i)(['\"](?:\w*token|badge_code)['\"]\s*:\s*['\"])[^'\"]*"),
        rf"\1{REDACTED}",
    ),
    (re.compile(r"(?i)(\b(?:\w*token|badge_code)=)[^&\s'\"]+"), rf"\1{REDACTED}"),
]


#: A token standing alone (``secrets.token_urlsafe(24)``: 32 URL-safe characters), as in an
#: error message that quotes one; an all-hex run (a uuid, a digest) is left alone.
_BARE_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])")
_HEX = re.compile(r"[0-9a-f]{32}")


def _bare(match: re.Match) -> str:
    return match.group(0) if _HEX.fullmatch(match.group(0)) else REDACTED


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    text = _BARE_TOKEN.sub(_bare, text)
    return text.replace(" " + REDACTED + " " + REDACTED, " " + REDACTED)


class RedactSecrets(logging.Filter):
    """Rewrites the record's message without its secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: log what there is
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        return True


class _Redacting(logging.Formatter):
    """Tracebacks and stacks without their secrets (the exception itself stays on the
    record for other handlers, such as Sentry's, which scrubs its own)."""

    def formatException(self, ei) -> str:
        return redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact(super().formatStack(stack_info))


class AddRequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


def make_handler(log_format: str = "text") -> logging.Handler:
    handler = _Stderr()
    if log_format.lower() == "json":
        from pythonjsonlogger.json import JsonFormatter

        class RedactingJson(_Redacting, JsonFormatter):
            pass

        handler.setFormatter(
            RedactingJson(
                "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                timestamp=False,
            )
        )
    elif log_format.lower() == "text":
        handler.setFormatter(_Redacting(TEXT_FORMAT))
    else:
        raise ValueError(f"LOG_FORMAT must be text or json, not {log_format!r}")
    handler.addFilter(AddRequestId())
    handler.addFilter(RedactSecrets())
    handler._convene = True  # type: ignore[attr-defined]
    return handler


def configure(level: str = "INFO", log_format: str = "text") -> logging.Handler:
    """Put one Convene handler on the root logger (replacing an earlier one) at ``level``."""
    numeric = logging.getLevelName(str(level).upper())
    if not isinstance(numeric, int):
        raise ValueError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL: {level!r}")
    handler = make_handler(log_format)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_convene", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(numeric)
    return handler


def adopt(*prefixes: str) -> None:
    """Libraries that give their loggers a handler of their own (python-socketio and
    python-engineio do) log through ours instead: same format, secrets redacted."""
    names = [
        name
        for name in logging.root.manager.loggerDict
        if any(name == p or name.startswith(p + ".") for p in prefixes)
    ]
    for name in names:
        logger = logging.getLogger(name)
        for handler in [h for h in logger.handlers if not getattr(h, "_convene", False)]:
            logger.removeHandler(handler)
        logger.propagate = True


_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def new_request_id(offered: str | None = None) -> str:
    """The proxy's id if it looks like one, else a fresh one."""
    if offered and _ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex[:16]


class message_id:
    """``with message_id():`` gives the lines logged inside a fresh id (a Socket.IO
    message, a background turn)."""

    def __enter__(self) -> str:
        value = new_request_id()
        self._reset = REQUEST_ID.set(value)
        return value

    def __exit__(self, *_exc) -> None:
        with contextlib.suppress(ValueError):  # entered in another context: leave it
            REQUEST_ID.reset(self._reset)
