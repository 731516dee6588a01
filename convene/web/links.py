"""The links handed to a facilitator: one place builds them for the API and the pages."""

from __future__ import annotations

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    base = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def links_for(created) -> dict:
    return {
        "join_url": external_url("pages.convening", code=created.code),
        "facilitator_url": external_url("pages.enter", token=created.facilitator_token),
        "projector_url": external_url("pages.enter", token=created.projector_token),
        "qr_url": external_url("pages.qr", code=created.code),
    }
