"""WSGI entry point for gunicorn: `gunicorn -k eventlet wsgi:app` (see `make serve`).

gunicorn's eventlet and gevent workers monkey-patch the standard library before loading
this module; ASYNC_MODE tells Flask-SocketIO which one it runs on.
"""

from convene.app import create_app

app = create_app()
