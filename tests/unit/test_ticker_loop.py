"""The live ticker's loop (convene/services/ticker.py: LiveTicker.run) on a loaded machine."""

from convene.services import ticker as ticker_module
from convene.services.ticker import MIN_GAP, LiveTicker


class SlowClock:
    """time.monotonic on a machine so loaded that every reading is `step` seconds after the
    last, longer than a turn: the thread is descheduled between any two lines."""

    def __init__(self, step: float) -> None:
        self.now = 1000.0
        self.step = step

    def monotonic(self) -> float:
        self.now += self.step
        return self.now


def strict_sleep(seconds: float) -> None:
    # What time.sleep (threading mode) does with a negative length.
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")


def make_ticker(monkeypatch, step: float, turns: int) -> tuple[LiveTicker, list[float]]:
    clock = SlowClock(step)
    monkeypatch.setattr(ticker_module, "time", clock)
    ticker = LiveTicker(services=None)
    ticks: list[float] = []

    def tick(now=None):
        ticks.append(clock.now)
        if len(ticks) >= turns:
            ticker._stopped = True

    ticker.tick = tick
    ticker.sleep = strict_sleep
    return ticker, ticks


def test_the_loop_goes_on_when_the_thread_is_descheduled_longer_than_a_turn(monkeypatch):
    ticker, ticks = make_ticker(monkeypatch, step=MIN_GAP * 4, turns=5)
    ticker.run()  # raised ValueError out of the loop, which then never ran again
    assert len(ticks) == 5


def test_a_loop_that_ended_starts_again_on_next_use(monkeypatch):
    started = []
    ticker, _ = make_ticker(monkeypatch, step=0.01, turns=1)
    ticker.starter = started.append
    ticker.ensure_running()
    assert started == [ticker.run]
    ticker.ensure_running()  # running: not started twice
    assert len(started) == 1
    ticker.run()  # the loop ends (here: one turn, then stopped from inside)
    ticker._stopped = False
    ticker.ensure_running()
    assert len(started) == 2
