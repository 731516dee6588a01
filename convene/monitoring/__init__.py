"""Operating Convene: logs (logs.py), Prometheus metrics (metrics.py), error reports to
Sentry (errors.py), and the gunicorn settings that route its logs through ours (gunicorn.py).
Health, readiness and the metrics page are plain routes in convene/web/health.py."""
