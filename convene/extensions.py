"""Extensions created once at import, bound to an app in the factory."""

from flask_babel import Babel
from flask_socketio import SocketIO

socketio = SocketIO()
babel = Babel()
