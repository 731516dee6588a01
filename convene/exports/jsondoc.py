"""Minutes as JSON: the document model as is (the machine-readable record)."""

from __future__ import annotations

import json


def minutes_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
