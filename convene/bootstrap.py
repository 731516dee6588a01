"""The services, wired: their live ticker and the handlers of one aggregate's events.

The one place that knows which module reacts to which: the commands import neither the
ticker nor each other's hooks. The application factory (convene/app.py) builds its services
here, and so do the tests and scripts that run commands.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from convene.services import convenings, demands, floor, rounds
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
    services.ballot_options = demands.BALLOT_OPTIONS
    # The events an event causes are recorded in the order of its handlers, so this order is
    # the log's: a settings change is followed by the demands' figures, then the staff's
    # names in a new language, then the floor; a removal by the figures, then the floor.
    demands.register(services.handlers)
    convenings.register(services.handlers)
    floor.register(services.handlers)
    return services
