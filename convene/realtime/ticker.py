"""Runs the live-round ticker as a Socket.IO background task (a greenlet under gevent or
eventlet, a thread under the development server).

It starts on first use: a round opened, a ballot cast, or a screen connecting. After a
restart the screens reconnect within seconds, so rounds whose deadline passes still close.
"""

from __future__ import annotations

from flask_socketio import SocketIO

from convene.realtime.collector import VoteTimeCollector
from convene.services.core import Services


def attach(socketio: SocketIO, services: Services) -> None:
    ticker = services.ticker
    ticker.sleep = socketio.sleep
    ticker.starter = socketio.start_background_task
    if socketio.async_mode in ("gevent", "eventlet"):
        # One event loop serves every phone: a long collection pause stalls them all. (The
        # development server's threads, and the tests, keep Python's default.)
        ticker.collector = VoteTimeCollector()
