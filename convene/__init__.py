"""Convene: run deliberative meetings live.

The package is kept light to import: `python -m convene tally` must not load Flask.
The web application is built by :func:`convene.app.create_app`.
"""


def create_app(test_config=None):
    """Build the Flask application (see :mod:`convene.app`)."""
    from convene.app import create_app as _create_app

    return _create_app(test_config)
