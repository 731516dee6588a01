"""The OpenAPI 3.1 document of the JSON API (served at /api/openapi.json). Placeholder."""


def openapi_document() -> dict:
    return {"openapi": "3.1.0", "info": {"title": "Convene API", "version": "0.1.0"}, "paths": {}}
