"""Big rooms get timer messages in slices (convene/realtime/fanout.py)."""

from __future__ import annotations

import socketio

from convene.realtime.fanout import SLICE, SLICE_PAUSE, PacedFanOut, PacedRedisFanOut


def server_with_room(size: int, *, run_tasks: bool = True):
    manager = PacedFanOut()
    server = socketio.Server(client_manager=manager, async_mode="threading")
    log: list = []
    tasks: list = []
    server._send_eio_packet = lambda eio_sid, pkt: log.append(("send", eio_sid, pkt.data))
    server.sleep = lambda seconds: log.append(("yield", seconds, None))

    def start(task, *args):
        if run_tasks:
            task(*args)
        else:
            tasks.append((task, args))

    server.start_background_task = start
    for i in range(size):
        sid = manager.connect(f"eio{i}", "/")
        manager.enter_room(sid, "/", "public")
    return server, log, tasks


def sends(log: list) -> list:
    return [eio_sid for kind, eio_sid, _ in log if kind == "send"]


def test_timer_messages_to_a_big_room_go_out_in_slices_with_a_yield_between():
    size = 2 * SLICE + 7
    server, log, _ = server_with_room(size)
    server.emit("round.turnout", {"voted": 3}, to="public")
    assert sorted(sends(log)) == sorted(f"eio{i}" for i in range(size)), "each phone once"
    yields = [i for i, (kind, _, _) in enumerate(log) if kind == "yield"]
    assert yields == [SLICE, 2 * SLICE + 1], "a pause after each full slice"
    assert {log[i][1] for i in yields} == {SLICE_PAUSE}


def test_a_newer_timer_message_replaces_one_still_waiting():
    server, log, tasks = server_with_room(SLICE + 1, run_tasks=False)
    for voted in (1, 2, 3):
        server.emit("round.turnout", {"voted": voted}, to="public")
    assert len(tasks) == 1, "one sender at a time for one kind of message"
    assert log == []
    task, args = tasks.pop()
    task(*args)
    payloads = {data for kind, _, data in log if kind == "send"}
    assert len(sends(log)) == SLICE + 1
    assert len(payloads) == 1
    assert '"voted":3' in payloads.pop().replace(" ", ""), "only the latest went out"
    server.emit("round.turnout", {"voted": 4}, to="public")
    assert len(tasks) == 1, "finished: the next message starts a new sender"


def test_small_rooms_and_stream_events_go_out_at_once_in_one_go():
    server, log, tasks = server_with_room(SLICE, run_tasks=False)
    server.emit("round.turnout", {"voted": 1}, to="public")
    assert len(sends(log)) == SLICE
    assert tasks == []
    log.clear()
    big, big_log, big_tasks = server_with_room(3 * SLICE, run_tasks=False)
    big.emit("event", {"seq": 1}, to="public")
    assert [kind for kind, _, _ in big_log] == ["send"] * (3 * SLICE), "in order, no yield"
    assert big_tasks == []


def test_the_redis_manager_slices_what_it_sends_to_its_own_phones():
    order = [cls.__name__ for cls in PacedRedisFanOut.__mro__]
    assert order.index("PubSubManager") < order.index("PacedFanOut") < order.index("Manager")


def test_a_failed_send_does_not_stop_the_next_messages(caplog):
    server, log, _ = server_with_room(SLICE + 1)
    sent = server._send_eio_packet

    def broken(eio_sid, pkt):
        raise OSError("socket gone")

    server._send_eio_packet = broken
    server.emit("round.turnout", {"voted": 1}, to="public")
    assert "Could not send round.turnout" in caplog.text
    server._send_eio_packet = sent
    server.emit("round.turnout", {"voted": 2}, to="public")
    assert len(sends(log)) == SLICE + 1, "the next message reaches every phone"
