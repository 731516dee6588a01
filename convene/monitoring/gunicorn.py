"""gunicorn settings for `convene serve` (``-c python:convene.monitoring.gunicorn``).

Its error and access logs go through Convene's handler (same format, request ids, tokens
redacted); the access line names the request id that nginx or the app gave the request.
"""

from __future__ import annotations

import os

from gunicorn.glogging import Logger as _GunicornLogger

from convene.monitoring import logs

accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" id=%({x-request-id}o)s'


class Logger(_GunicornLogger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        handler = logs.configure(
            os.environ.get("LOG_LEVEL", "INFO"), os.environ.get("LOG_FORMAT", "text")
        )
        for log in (self.error_log, self.access_log):
            log.handlers = [handler]
            log.propagate = False

    def access(self, resp, req, environ, request_time) -> None:
        """The access line carries the request's id (the response's X-Request-ID)."""
        request_id = next(
            (value for name, value in resp.headers if name.lower() == "x-request-id"), "-"
        )
        reset = logs.REQUEST_ID.set(request_id)
        try:
            super().access(resp, req, environ, request_time)
        finally:
            logs.REQUEST_ID.reset(reset)


logger_class = Logger


def child_exit(_server, worker) -> None:
    """Prometheus in multiprocess mode: forget the gauges of a worker that ended."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# gunicorn 27's control socket has one default path per user: several servers on one host
# (two processes behind nginx, two test runs) would take it from each other. Not used.
control_socket_disable = True
