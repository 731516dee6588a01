"""JSON from clients, for both adapters: bounded depth, valid Unicode, or a clear refusal.

Python's own parser accepts a lone surrogate (``"\\ud800"``, which no database can store)
and recurses once per nesting level (a 2 KB body nested 1,000 deep is a RecursionError).
msgspec's parser refuses invalid surrogates, and the nesting depth is measured before any
parsing, in a few passes of C code over the text (each pass deletes the innermost pairs of
brackets), so a hostile body costs little more than reading it. The size is bounded
earlier: MAX_CONTENT_LENGTH for HTTP, max_http_buffer_size for Socket.IO.
"""

from __future__ import annotations

import json
import re

import msgspec

from convene.domain.errors import N_, DomainError

#: Deeper than any command needs (a socket message: {args: {options: [{label}]}} is 3).
MAX_DEPTH = 16

_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_INNERMOST = re.compile(rb"\[\]|\{\}")


class BadJson(DomainError):
    """The body (or Socket.IO message) is not JSON a command could take."""

    code = "bad_request"


def too_deep(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether ``raw`` nests arrays and objects more than ``limit`` levels deep (unbalanced
    brackets count as deep enough to refuse too: the parser would refuse them anyway)."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    brackets = _STRINGS.sub(b"", raw).translate(None, _NOT_BRACKETS)
    for _ in range(limit):
        if not brackets:
            return False
        brackets, removed = _INNERMOST.subn(b"", brackets)
        if not removed:
            return True
    return bool(brackets)


def parse_json(raw: bytes | str) -> object:
    """The JSON value of ``raw``; raises BadJson for anything else."""
    if isinstance(raw, str):
        try:
            raw = raw.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate inside the text itself
            raise BadJson(N_("The request is not valid JSON text (UTF-8).")) from None
    if too_deep(raw):
        raise BadJson(N_("The request nests too deep (at most %(depth)d levels)."), depth=MAX_DEPTH)
    try:
        return msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError, UnicodeError, ValueError):
        raise BadJson(N_("The request body must be JSON (UTF-8, no lone surrogates).")) from None


class RefusedMessage:
    """A Socket.IO message whose JSON was refused: the handler answers with ``error``
    (through the message's own acknowledgement) instead of the message going unanswered."""

    __slots__ = ("error",)

    def __init__(self, error: DomainError) -> None:
        self.error = error


_EVENT = re.compile(r'\s*\[\s*"([A-Za-z_]{1,32})"')


class SocketJson:
    """The JSON module of Socket.IO packets (python-socketio's ``json`` option): encoding as
    the standard library does; decoding by :func:`parse_json`. A refused event still reaches
    its handler (as ``[event, RefusedMessage]``), with its acknowledgement id, so that the
    client hears why instead of waiting for its own timeout."""

    @staticmethod
    def dumps(*args, **kwargs) -> str:
        return json.dumps(*args, **kwargs)

    @staticmethod
    def loads(text: str | bytes) -> object:
        try:
            return parse_json(text)
        except BadJson as error:
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            event = _EVENT.match(text)
            if event is None:
                raise ValueError(str(error)) from None
            return [event.group(1), RefusedMessage(error)]
