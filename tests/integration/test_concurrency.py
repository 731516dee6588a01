"""Concurrent commands on one convening: every one recorded, seq gapless, nothing lost."""

from __future__ import annotations

import threading

from sqlalchemy import select

from convene.services import agenda, convenings, live
from convene.store import tables


def test_parallel_writers_get_gapless_ordered_sequence_numbers(services, engine):
    created = convenings.create_convening(services, title="Busy assembly")
    facilitator = services.authenticate(created.facilitator_token)
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            for step in range(5):
                agenda.add_item(services, facilitator, title=f"Item {number}.{step}")
                convenings.join(services, code=created.code, name=f"Person {number}.{step}")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    with engine.connect() as connection:
        seqs = (
            connection.execute(
                select(tables.events.c.seq)
                .where(tables.events.c.convening_id == facilitator.convening_id)
                .order_by(tables.events.c.seq)
            )
            .scalars()
            .all()
        )
    assert seqs == list(range(1, 1 + 1 + 40))
    state = live.snapshot(services, facilitator)
    assert state["seq"] == 41
    assert len(state["agenda"]) == 20
    assert sorted(i["position"] for i in state["agenda"]) == list(range(20))
    assert state["participants"] == 20
