"""Socket.IO room names: one place that knows them."""


def staff_room(convening_id: int) -> str:
    """Facilitators of a convening: they receive the full data of every event."""
    return f"c{convening_id}:staff"


def public_room(convening_id: int) -> str:
    """Everyone else connected to a convening: participants, projectors, observers."""
    return f"c{convening_id}:public"


def projector_room(convening_id: int) -> str:
    """Projectors of a convening (also in the public room): they show the hand signals."""
    return f"c{convening_id}:projector"


def member_room(member_id: int) -> str:
    """Every connection of one member (a phone with two tabs, or two devices)."""
    return f"m{member_id}"
