"""Domain errors: what went wrong, in the meeting's own words.

Each error has a stable machine `code` and a human `message` template (English, marked for
translation with :func:`N_`). Adapters map the class to an HTTP status or a Socket.IO error
reply in one place (convene/web/errors.py) and translate the message there.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for extraction by Babel without translating it here."""
    return message


class DomainError(Exception):
    """Base class: a command was refused and nothing changed."""

    code = "refused"

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class InvalidInput(DomainError):
    """A field is missing, malformed, or out of bounds."""

    code = "invalid_input"

    def __init__(self, message: str, field: str | None = None, **params: object) -> None:
        if field is not None:
            params["field"] = field
        super().__init__(message, **params)
        self.field = field


class TooLarge(InvalidInput):
    code = "too_large"


class NotFound(DomainError):
    code = "not_found"


class NotAuthenticated(DomainError):
    """No token, an unknown token, or the token of a removed participant."""

    code = "not_authenticated"


class Forbidden(DomainError):
    """The actor's role may not run this command."""

    code = "forbidden"


class Conflict(DomainError):
    """The command does not fit the current state (e.g. ending an item that is not running)."""

    code = "conflict"


class TooMany(DomainError):
    """The same person sent too many requests too fast; nothing changed.

    ``retry_after``: whole seconds after which the same request would be accepted."""

    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int = 1, **params: object) -> None:
        super().__init__(message, **params)
        self.retry_after = retry_after
