"""Convene's default settings. Every one can be overridden by an environment variable of the
same name (DATABASE_URL, SECRET_KEY, ...); tests pass their overrides last."""

# Folder for the SQLite database, the generated secret key and the first convening's link.
# Empty: instance/ beside the code.
INSTANCE_PATH = ""

# SQLAlchemy URL. Empty: SQLite (WAL) at instance/convene.db. PostgreSQL: postgresql://...
DATABASE_URL = ""
# PostgreSQL connections per server process (as many again may open under load): keep
# processes × 2 × this below the server's max_connections (100 by default).
DATABASE_POOL_SIZE = 20

# Signs the cookies that keep a phone's identity. Empty: generated once and kept in
# instance/secret_key, so a restart does not log everyone out.
SECRET_KEY = ""

# Redis URL (redis://127.0.0.1:6379/0) when several server processes serve one convening.
SOCKETIO_MESSAGE_QUEUE = ""
# The Redis channel those processes share (separate installations on one Redis need their own).
SOCKETIO_CHANNEL = "convene"

HOST = "127.0.0.1"
PORT = 5000

# Socket.IO async mode. The development server (`make run`) uses "threading"; the production
# server (`make serve`) uses an eventlet or gevent worker and sets this to match.
ASYNC_MODE = "threading"

# Connections one worker accepts (eventlet's and gunicorn's defaults stop near 1,000).
WORKER_CONNECTIONS = 5000

# SQLite durability: FULL (default) survives a power cut; NORMAL survives a process crash.
SQLITE_SYNCHRONOUS = "FULL"

# Base URL printed in links and QR codes, when the server sits behind a proxy.
PUBLIC_URL = ""

# Largest request body accepted (bytes).
MAX_CONTENT_LENGTH = 64 * 1024

BABEL_DEFAULT_LOCALE = "en"
LANGUAGES = ["en"]

# Browser sessions (a phone's identity) last a week.
PERMANENT_SESSION_LIFETIME = 7 * 24 * 3600
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True

# Logs on stderr: LOG_FORMAT "text" (one readable line each) or "json" (one JSON object per
# line); LOG_LEVEL DEBUG, INFO, WARNING or ERROR. Tokens never appear in either.
LOG_FORMAT = "text"
LOG_LEVEL = "INFO"

# Prometheus metrics at /metrics: off unless METRICS_ENABLED=1. With METRICS_TOKEN set,
# only `Authorization: Bearer <METRICS_TOKEN>` gets them (the shipped nginx configuration
# never passes /metrics on from outside).
METRICS_ENABLED = False
METRICS_TOKEN = ""

# Error reports to Sentry (or a compatible service) when set; none otherwise.
SENTRY_DSN = ""
SENTRY_ENVIRONMENT = ""
