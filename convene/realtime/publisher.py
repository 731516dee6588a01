"""The one publisher: turns committed events into Socket.IO messages to the right rooms.

With SOCKETIO_MESSAGE_QUEUE set, Flask-SocketIO relays every emit through Redis, so a
command handled by one server process reaches screens connected to any other.
"""

from __future__ import annotations

from flask_socketio import SocketIO

from convene.realtime.rooms import member_room, projector_room, public_room, staff_room
from convene.store.eventlog import LoggedEvent


class SocketIOPublisher:
    def __init__(self, socketio: SocketIO) -> None:
        self.socketio = socketio

    def publish(self, events: list[LoggedEvent]) -> None:
        for event in events:
            self.socketio.emit(
                "event", event.message(staff=True), to=staff_room(event.convening_id)
            )
            self.socketio.emit(
                "event", event.message(staff=False), to=public_room(event.convening_id)
            )

    def presence(self, convening_id: int, staff: dict, public: dict) -> None:
        self.socketio.emit("presence", staff, to=staff_room(convening_id))
        self.socketio.emit("presence", public, to=public_room(convening_id))

    def signal(self, convening_id: int, data: dict) -> None:
        # Hand signals go to the big screen and the facilitators, not to every phone: they
        # are frequent, and the room sees them on the projector.
        self.socketio.emit("signal", data, to=staff_room(convening_id))
        self.socketio.emit("signal", data, to=projector_room(convening_id))

    def live(self, convening_id: int, name: str, data: dict, *, audience: str) -> None:
        """Ephemeral messages (turnout, live tally): no seq; the next one replaces them."""
        rooms = {
            "staff": [staff_room(convening_id)],
            "public": [public_room(convening_id)],
            "screens": [staff_room(convening_id), projector_room(convening_id)],
            "projector": [projector_room(convening_id)],
        }[audience]
        for room in rooms:
            self.socketio.emit(name, data, to=room)

    def member_removed(self, member_id: int) -> None:
        # Every screen of the member (on any server process) shows "you were removed"; this
        # process closes the connections it holds. Their token no longer works anywhere, so a
        # reconnect or a command elsewhere is refused as well.
        self._leave(member_id, "removed")

    def member_revoked(self, member_id: int) -> None:
        # A badge reissued: the old link's screens show "this link was replaced" and are
        # closed; the token they hold no longer works (the member now has the new one's).
        self._leave(member_id, "revoked")

    def _leave(self, member_id: int, message: str) -> None:
        room = member_room(member_id)
        self.socketio.emit(message, {}, to=room)
        for sid, _ in list(self.socketio.server.manager.get_participants("/", room)):
            self.socketio.server.disconnect(sid, namespace="/")
