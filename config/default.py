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

# Reverse proxies in front of the server that set X-Forwarded-For, -Proto and -Host (nginx,
# Caddy, a load balancer): 0 trusts none of these headers. Set it to the number of proxies,
# so that limits see each phone's own address and cookies are Secure behind HTTPS.
TRUSTED_PROXIES = 0

# Largest request body accepted (bytes).
MAX_CONTENT_LENGTH = 64 * 1024

BABEL_DEFAULT_LOCALE = "en"
# The interface languages (translations/<code>/LC_MESSAGES/messages.po; docs/translating.md).
LANGUAGES = ["en", "es"]

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

# Secure cookies: always when True; otherwise whenever the request came over HTTPS (directly
# or through a trusted proxy) or PUBLIC_URL is https.
SESSION_COOKIE_SECURE = False

# Fair limits (docs/limits.md). Rates in the `limits` notation ("30/second;1500/minute");
# an empty rule is off. RATELIMIT_ENABLED=0 turns them all off (load benches only).
RATELIMIT_ENABLED = True
# Where the limits on addresses, tokens and people are counted. Empty: the Redis of
# SOCKETIO_MESSAGE_QUEUE when set (all processes count together), else this process's memory.
RATELIMIT_STORAGE_URI = ""
# Prefix of the limit keys in Redis. Empty: "<SOCKETIO_CHANNEL>:limits".
RATELIMIT_KEY_PREFIX = ""
# Per address. A venue's Wi-Fi shows one address for the whole hall: 1,500 people scanning
# the QR code within five minutes stay well inside these.
RATELIMIT_JOIN = "50/second;2000/minute;6000/hour"
RATELIMIT_CREATE = "10/minute;60/hour"
# Per token: each command over the HTTP API.
RATELIMIT_COMMANDS = "20/second;600/minute"
# Per Socket.IO connection: each message (commands and resyncs).
RATELIMIT_SOCKET = "20/second;600/minute"
# Per token: opening a Socket.IO connection (each sends a whole snapshot). A phone on bad
# Wi-Fi reconnects a few times a minute at most.
RATELIMIT_SOCKET_CONNECT = "30/minute;300/hour"
# A connection refused this often keeps flooding: it is disconnected.
RATELIMIT_SOCKET_REFUSED = "40/minute"
# Per participant: proposing demands and amendments.
RATELIMIT_PROPOSALS = "6/minute;60/hour"
# Per participant: other writes (supports, stances, edits, withdrawals, the floor, notes).
# Ballots and hand signals keep their own limits.
RATELIMIT_WRITES = "5/second;120/minute"
# Per desk (or facilitator): check-ins and check-outs (a desk scans about a badge a second),
# and the unknown badge codes it sends: past that it waits before any lookup, so codes
# cannot be guessed at the door (docs/limits.md).
RATELIMIT_CHECKINS = "5/second;240/minute"
RATELIMIT_CHECKIN_MISSES = "10/minute;60/hour"
