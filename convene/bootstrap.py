"""The services, wired: their live ticker and the handlers of one aggregate's events.

The one place that knows which module reacts to which: the commands import neither the
ticker nor each other's hooks. The application factory (convene/app.py) builds its services
here, and so do the tests and scripts that run commands.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from convene.services import demands, rounds
from convene.services.core import Services
from convene.services.ticker import LiveTicker, PublishLock


def build_services(
    session_factory: sessionmaker[Session],
    *,
    publish_lock: PublishLock | None = None,
    **options,
) -> Services:
    """:class:`Services` (``options``: its keyword arguments) with the live ticker
    (``publish_lock``: shared by several processes, convene/services/ticker.py) and the
    in-transaction handlers (convene/services/core.py: Handlers) registered."""
    services = Services(session_factory, **options)
    services.ticker = LiveTicker(services, publish_lock, rounds=rounds)
    demands.register(services.handlers)
    return services
