"""Times as every screen receives them: ISO 8601 in UTC with a Z."""

from __future__ import annotations

from datetime import datetime


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")
