"""Socket.IO handlers: thin adapters from messages to service commands.

Protocol (docs/realtime.md):
- connect with ``auth={"token": ...}``; refused without a valid token.
- the server sends ``snapshot`` (state with ``seq``), then ``event`` ``{seq, type, data, at}``
  for each change, and ``presence`` (who is connected) whenever that changes.
- ``resync`` ``{seq}`` → ack with ``{events, seq}`` or ``{snapshot}``; ``{seq, snapshot: true}``
  → ``{snapshot}``.
- ``command`` ``{name, args}`` → ack with ``{ok: true, result}`` or ``{ok: false, error}``.
"""

from __future__ import annotations

import functools
import logging
import time

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, SocketIO, disconnect, emit, join_room

from convene.domain.convening import Actor, Role, hash_token
from convene.domain.errors import N_, DomainError, InvalidInput, TooMany
from convene.monitoring import logs, metrics
from convene.realtime.rooms import member_room, projector_room, public_room, staff_room
from convene.services import live
from convene.services.commands import command_label, cost_of, run_command
from convene.services.schemas import Resync, parse
from convene.web.errors import error_body, outcome_of, unexpected_error_body
from convene.web.jsonbody import RefusedMessage

log = logging.getLogger(__name__)

#: Messages waiting to go out to one connection past which its commands are refused: a
#: client that does not read its replies cannot make the server hold them in memory.
BACKLOG_MAX = 64

#: Heavy reads count as several messages: convene.services.commands.cost_of.
RESYNC_COST = 5

# sid → (token, actor) of each connection this process holds. Commands re-check the token
# every time, so a participant removed mid-meeting is refused at once; ballots check their
# voter in their own transaction, so they run on the actor resolved at connect.
_connections: dict[str, tuple[str, Actor]] = {}


def _token(sid: str) -> str | None:
    entry = _connections.get(sid)
    return entry[0] if entry else None


def _services():
    return current_app.extensions["convene"]


def _with_message_id(handler):
    """Every line logged while handling one Socket.IO message carries one id."""

    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        with logs.message_id():
            return handler(*args, **kwargs)

    return wrapper


def _admit_message(socketio: SocketIO, cost: int = 1) -> None:
    """Each message of a connection counts against its limit (docs/limits.md). Past it the
    reply is ``too_many_requests``; a connection that keeps sending is disconnected."""
    services, sid = _services(), request.sid
    if services.limits.allow("socket", sid, cost):
        if _backlog(socketio, sid) <= BACKLOG_MAX:
            return
    elif not services.limits.allow("socket_refused", sid):
        log.warning("Disconnecting %s: it kept flooding after being refused", sid)
        disconnect()
    raise TooMany(
        N_("Too many requests at once. Please wait a moment and try again."),
        retry_after=services.limits.retry_after("socket", sid),
    )


def _backlog(socketio: SocketIO, sid: str) -> int:
    """Packets queued for the connection that its client has not taken yet."""
    server = socketio.server
    try:
        eio_sid = server.manager.eio_sid_from_sid(sid, "/")
        return server.eio.sockets[eio_sid].queue.qsize()
    except (KeyError, AttributeError, NotImplementedError):  # gone, or a queue without a size
        return 0


def register(socketio: SocketIO) -> None:
    @socketio.on("connect")
    @_with_message_id
    def on_connect(auth=None):
        services = _services()
        token = auth.get("token") if isinstance(auth, dict) else None
        try:
            if isinstance(token, str) and token:
                services.limits.hit("socket_connect", hash_token(token))
            actor = services.authenticate(token)
        except DomainError as error:
            body = error_body(error)["error"]
            # Two arguments: the client's err.message is the text, err.data is {code, message}.
            raise ConnectionRefusedError(body["message"], body) from None
        # Join the room before reading the snapshot: an event committed in between is then
        # both in the snapshot and delivered, and the client drops it by its seq.
        join_room(
            staff_room(actor.convening_id) if actor.is_staff else public_room(actor.convening_id)
        )
        join_room(member_room(actor.member_id))
        if actor.role is Role.PROJECTOR:
            join_room(projector_room(actor.convening_id))
        _connections[request.sid] = (token, actor)
        metrics.METRICS.screen(str(actor.role), 1)
        services.presence.connect(actor.convening_id, actor.member_id, str(actor.role), request.sid)
        emit("snapshot", live.snapshot(services, actor))
        services.ticker.mark_presence(actor.convening_id)

    @socketio.on("disconnect")
    @_with_message_id
    def on_disconnect(*_args):
        services = _services()
        gone = _connections.pop(request.sid, None)
        if gone is not None:
            metrics.METRICS.screen(str(gone[1].role), -1)
        convening_id = services.presence.disconnect(request.sid)
        if convening_id is not None:
            services.ticker.mark_presence(convening_id)

    @socketio.on("resync")
    @_with_message_id
    def on_resync(message=None, *_extra):
        try:
            _admit_message(socketio, RESYNC_COST)
            actor = _services().authenticate(_token(request.sid))
            if isinstance(message, RefusedMessage):
                raise message.error
            if not isinstance(message, dict):
                raise InvalidInput(N_("seq must be a whole number."), field="seq")
            page = parse(Resync, message)
            if page.get("snapshot"):
                return {"snapshot": live.snapshot(_services(), actor)}
            return live.events_since(
                _services(), actor, page["seq"], page.get("limit", live.RESYNC_MAX_EVENTS)
            )
        except DomainError as error:
            return error_body(error)
        except Exception as error:
            return unexpected_error_body(error)

    @socketio.on("command")
    @_with_message_id
    def on_command(message=None, *_extra):
        token, actor = _connections.get(request.sid, (None, None))
        started = time.perf_counter()
        name = message.get("name") if isinstance(message, dict) else None
        try:
            # Every message counts, well-formed or not.
            name = message.get("name") if isinstance(message, dict) else None
            args = message.get("args") if isinstance(message, dict) else None
            _admit_message(socketio, cost_of(name, args))
            if isinstance(message, RefusedMessage):
                raise message.error
            if not isinstance(message, dict):
                raise InvalidInput(N_("A command is an object: {name, args}."), field="name")
            result = run_command(_services(), token, name, message.get("args"), connected_as=actor)
        except DomainError as error:
            _measure(name, error, started)
            return {"ok": False, **error_body(error)}
        except Exception as error:
            _measure(name, error, started)
            return {"ok": False, **unexpected_error_body(error)}
        _measure(name, None, started)
        return {"ok": True, "result": result}


def _measure(name: object, error: BaseException | None, started: float) -> None:
    if metrics.METRICS.enabled:
        metrics.METRICS.command(
            command_label(name), outcome_of(error), time.perf_counter() - started
        )
