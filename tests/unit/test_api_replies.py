"""The replies package names every reply model of its modules: the OpenAPI document finds
them there (convene/web/api/spec.py), some only through raw schemas (Event, from CatchUp)."""

from __future__ import annotations

import importlib
import pkgutil

from convene.web.api import replies


def test_the_replies_package_names_every_model_of_its_modules():
    for info in pkgutil.iter_modules(replies.__path__):
        module = importlib.import_module(f"{replies.__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, replies.Reply):
                assert getattr(replies, name, None) is value, f"{info.name}.{name}"
    assert set(replies.__all__) <= set(vars(replies))
