"""WSGI entry point for gunicorn with its gevent worker: `make serve`, which runs
`python -m convene serve` (convene/serve.py: `gunicorn --worker-class gevent ... wsgi:app`).

gunicorn's gevent worker monkey-patches the standard library before loading this module;
ASYNC_MODE tells Flask-SocketIO which async mode it runs on. `ASYNC_MODE=eventlet` does not
come here: gunicorn dropped its eventlet worker, so `convene serve` runs eventlet's own
server instead.
"""

from convene.app import create_app

app = create_app()
