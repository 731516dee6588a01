"""Prometheus metrics (prometheus-client), off unless METRICS_ENABLED.

Recorded only when enabled (otherwise every call is a no-op on :data:`METRICS`). Under
`convene serve` the values live in PROMETHEUS_MULTIPROC_DIR (one folder per server process,
emptied at its start), so a gunicorn worker that is replaced neither loses nor doubles them.

- ``convene_screens_connected{role}``: Socket.IO connections to this process.
- ``convene_commands_total{command,outcome}``: commands (Socket.IO and HTTP) by name and
  outcome (``ok`` or the error code: ``invalid_input``, ``forbidden``, ...).
- ``convene_command_seconds{command}``: time to run one, ack included.
- ``convene_ballot_ack_seconds``: from a ballot's arrival to its acknowledgement.
- ``convene_live_count_lag_seconds``: from a round's first uncounted ballot to the live
  count sent to the projector.
- ``convene_fanout_lag_seconds{event}``: from a paced message (turnout, presence) being
  queued to its last slice leaving this process.
- ``convene_db_pool_in_use``: database connections checked out (read at each scrape).
"""

from __future__ import annotations

import os

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LAG_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


class NullMetrics:
    enabled = False

    def screen(self, role: str, delta: int) -> None:
        pass

    def command(self, name: str, outcome: str, seconds: float) -> None:
        pass

    def live_count_lag(self, seconds: float) -> None:
        pass

    def fanout_lag(self, event: str, seconds: float) -> None:
        pass


class PrometheusMetrics(NullMetrics):
    enabled = True

    def __init__(self) -> None:
        from prometheus_client import Counter, Gauge, Histogram

        self._screens = Gauge(
            "convene_screens_connected",
            "Socket.IO connections (phones, projectors, consoles) to this process",
            ["role"],
            multiprocess_mode="livesum",
        )
        self._commands = Counter(
            "convene_commands_total", "Commands run, by name and outcome", ["command", "outcome"]
        )
        self._command_seconds = Histogram(
            "convene_command_seconds",
            "Time to run a command and acknowledge it",
            ["command"],
            buckets=LATENCY_BUCKETS,
        )
        self._ballot_ack = Histogram(
            "convene_ballot_ack_seconds",
            "From a ballot's arrival to its acknowledgement (stored first)",
            buckets=LATENCY_BUCKETS,
        )
        self._live_count_lag = Histogram(
            "convene_live_count_lag_seconds",
            "From a round's first uncounted ballot to its live count leaving for the screens",
            buckets=LAG_BUCKETS,
        )
        self._fanout_lag = Histogram(
            "convene_fanout_lag_seconds",
            "From a paced message being queued to its last slice leaving this process",
            ["event"],
            buckets=LAG_BUCKETS,
        )
        self.db_pool_in_use = Gauge(
            "convene_db_pool_in_use",
            "Database connections checked out of this process's pool",
            multiprocess_mode="livesum",
        )

    def screen(self, role: str, delta: int) -> None:
        self._screens.labels(role).inc(delta)

    def command(self, name: str, outcome: str, seconds: float) -> None:
        self._commands.labels(name, outcome).inc()
        self._command_seconds.labels(name).observe(seconds)
        if name == "rounds.cast":
            self._ballot_ack.observe(seconds)

    def live_count_lag(self, seconds: float) -> None:
        self._live_count_lag.observe(seconds)

    def fanout_lag(self, event: str, seconds: float) -> None:
        self._fanout_lag.labels(event).observe(seconds)


#: What the code records into; replaced by :func:`enable`.
METRICS: NullMetrics = NullMetrics()
_ENABLED: PrometheusMetrics | None = None


def enable() -> PrometheusMetrics:
    """Start recording (once per process: the metrics are process-wide)."""
    global METRICS, _ENABLED
    if _ENABLED is None:
        _ENABLED = PrometheusMetrics()
    METRICS = _ENABLED
    return _ENABLED


def page(engine) -> tuple[bytes, str]:
    """The text a Prometheus scrape gets: (body, content type)."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    enabled = enable()
    pool = getattr(engine, "pool", None)
    checked_out = getattr(pool, "checkedout", None)
    if callable(checked_out):
        enabled.db_pool_in_use.set(checked_out())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST


def prepare_multiprocess_folder(folder: str) -> None:
    """An empty folder for one server process's metric files (before gunicorn starts)."""
    from pathlib import Path

    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
