"""The voting methods' records that the browser modules' unit tests read (tests/js/methods.json):
the page's `methods` block (convene/web/pages.py) in English, so node's tests of
static/js/tally-view.js count with the records the server gives the pages.

After changing a record: `.venv/bin/python -m tests.unit.test_browser_methods` writes the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from convene.domain.methods import browser_records

FIXTURE = Path(__file__).resolve().parents[1] / "js" / "methods.json"


def records_json() -> str:
    return json.dumps(browser_records(lambda text: text), indent=1, ensure_ascii=False) + "\n"


def test_the_browser_tests_read_the_records_the_pages_get():
    assert FIXTURE.read_text(encoding="utf-8") == records_json(), (
        "tests/js/methods.json differs from the methods' records: "
        "run .venv/bin/python -m tests.unit.test_browser_methods"
    )


if __name__ == "__main__":
    FIXTURE.write_text(records_json(), encoding="utf-8")
