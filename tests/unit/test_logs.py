"""Log lines: plain or JSON, one request id each, levels by setting, and never a token."""

from __future__ import annotations

import json
import logging

import pytest

from convene.monitoring import logs
from convene.monitoring.errors import scrub

TOKEN = "Xq3_fA9-kLm2pQ7rS8tU1vW4yZ5bC6dE"  # the shape of a real one (token_urlsafe(24))


@pytest.mark.parametrize(
    "line",
    [
        f'127.0.0.1 "GET /t/{TOKEN} HTTP/1.1" 302 0',
        f"GET /t/{TOKEN}?lang=es",
        f"Referer: https://convene.example.org/t/{TOKEN}",
        f"Authorization: Bearer {TOKEN}",
        f"headers={{'Authorization': 'Bearer {TOKEN}'}}",
        f"authorization={TOKEN}",
        f'{{"token": "{TOKEN}", "name": "Ana"}}',
        f"{{'facilitator_token': '{TOKEN}'}}",
        f"/socket.io/?token={TOKEN}&EIO=4",
    ],
)
def test_no_token_survives_redaction(line):
    redacted = logs.redact(line)
    assert TOKEN not in redacted
    assert logs.REDACTED in redacted


def test_what_is_not_a_secret_stays_readable():
    line = 'POST /api/convenings/ABC-DEF/rounds/12/open 200 "Mozilla/5.0" Niños ñandú'
    assert logs.redact(line) == line


def _log_through(handler, *args, exc=False):
    logger = logging.getLogger("convene.test.logs")
    logger.handlers, logger.propagate, logger.level = [handler], False, logging.DEBUG
    try:
        if exc:
            try:
                raise RuntimeError(f"could not open /t/{TOKEN}")
            except RuntimeError:
                logger.exception(*args)
        else:
            logger.warning(*args)
    finally:
        logger.handlers, logger.propagate = [], True


def test_plain_lines_carry_the_request_id_and_no_token(capsys):
    handler = logs.make_handler("text")
    with logs.message_id() as request_id:
        _log_through(handler, "Joined with %s", f"/t/{TOKEN}")
        _log_through(handler, "Failed", exc=True)
    err = capsys.readouterr().err
    assert TOKEN not in err
    lines = [line for line in err.splitlines() if "WARNING" in line or "ERROR" in line]
    assert len(lines) == 2
    assert all(f"[{request_id}]" in line for line in lines)
    assert "RuntimeError: could not open /t/[redacted]" in err, "the traceback, redacted"


def test_json_lines_are_one_object_each(capsys):
    handler = logs.make_handler("json")
    with logs.message_id() as request_id:
        _log_through(handler, "Ballot from %s", {"token": TOKEN, "name": "José Ñúñez"})
        _log_through(handler, "Failed", exc=True)
    lines = capsys.readouterr().err.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["level"] for r in records] == ["WARNING", "ERROR"]
    assert {r["request_id"] for r in records} == {request_id}
    assert "José Ñúñez" in records[0]["message"]
    assert "/t/[redacted]" in records[1]["exc_info"]
    assert TOKEN not in "\n".join(lines)


def test_the_level_is_a_setting(capsys):
    root = logging.getLogger()
    before = root.level
    try:
        logs.configure("WARNING", "text")
        logging.getLogger("convene.test.level").info("not shown")
        logging.getLogger("convene.test.level").warning("shown")
        err = capsys.readouterr().err
        assert "shown" in err
        assert "not shown" not in err
        with pytest.raises(ValueError, match="LOG_LEVEL"):
            logs.configure("LOUD", "text")
        with pytest.raises(ValueError, match="LOG_FORMAT"):
            logs.configure("INFO", "xml")
    finally:
        logs.configure("INFO", "text")
        root.setLevel(before)


def test_a_proxy_request_id_is_kept_when_it_looks_like_one():
    nginx_id = "4f1c2a9e0b7d4c3f9a8e7d6c5b4a3f2e"
    assert logs.new_request_id(nginx_id) == nginx_id
    made = logs.new_request_id("bad id\nwith a new line")
    assert len(made) == 16
    assert "\n" not in made
    assert logs.new_request_id("x" * 65) != "x" * 65


@pytest.mark.parametrize(
    "line",
    [
        '{"badge_code": "K7PQ-MX3A"}',
        "{'badge_code': 'K7PQ-MX3A', 'token': None}",
        "badge_code=K7PQ-MX3A&csrf=x",
    ],
)
def test_no_badge_code_survives_redaction(line):
    redacted = logs.redact(line)
    assert "K7PQ" not in redacted
    assert logs.REDACTED in redacted
    assert "K7PQ" not in json.dumps(scrub({"data": {"badge_code": "K7PQ-MX3A"}}))


def test_error_reports_are_scrubbed_like_the_logs():
    event = {
        "request": {
            "url": f"https://convene.example.org/t/{TOKEN}",
            "headers": {"Authorization": f"Bearer {TOKEN}", "Cookie": "session=abc"},
            "data": {"token": TOKEN, "name": "Ana"},
        },
        "exception": {"values": [{"value": f"bad token {TOKEN!r} in /t/{TOKEN}"}]},
        "breadcrumbs": [{"message": f"GET /t/{TOKEN}"}],
    }
    cleaned = scrub(event)
    assert TOKEN not in json.dumps(cleaned)
    assert "abc" not in json.dumps(cleaned["request"]["headers"])
    assert cleaned["request"]["data"]["name"] == "Ana"


def test_a_token_quoted_alone_is_redacted_but_not_a_uuid():
    assert logs.redact(f"unknown token {TOKEN!r}") == f"unknown token '{logs.REDACTED}'"
    uuid_hex = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
    assert logs.redact(f"server {uuid_hex}") == f"server {uuid_hex}"
