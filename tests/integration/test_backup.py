"""`python -m convene db backup FILE` copies a SQLite database while a round is running;
the copy opens as a convening of its own (restore: point DATABASE_URL at it)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from convene.app import create_app
from tests.support import SqliteTemplate

ROOT = Path(__file__).resolve().parents[2]


def _app(url: str, folder: Path):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(folder / "instance"),
            "SECRET_KEY": "backup-secret",
            # 120 people join from one address at machine speed: the join limit is tested
            # on its own (test_limits.py).
            "RATELIMIT_ENABLED": False,
        }
    )


def test_a_backup_taken_while_ballots_come_in_is_whole_and_restores(tmp_path):
    url = SqliteTemplate(tmp_path).fresh(tmp_path)
    app = _app(url, tmp_path)
    client = app.test_client()
    created = client.post("/api/convenings", json={"title": "Asamblea de barrio"}).get_json()
    code, staff = created["code"], {"Authorization": f"Bearer {created['facilitator_token']}"}
    labels = [
        f"Propuesta {n}: vivienda digna y transporte público para todo el barrio" for n in range(8)
    ]
    round_ = client.post(
        f"/api/convenings/{code}/rounds",
        json={
            "title": "Prioridades",
            "method": "irv",
            "secret": False,
            "options": [{"label": label} for label in labels],
        },
        headers=staff,
    ).get_json()
    assert (
        client.post(f"/api/convenings/{code}/rounds/{round_['id']}/open", headers=staff).status_code
        == 200
    )
    tokens = [
        client.post(
            f"/api/convenings/{code}/participants", json={"name": f"Vecina Núñez {n}"}
        ).get_json()["token"]
        for n in range(120)
    ]
    options = [o["id"] for o in round_["options"]]
    cast = []

    def vote() -> None:
        voter = app.test_client()
        for n, token in enumerate(tokens):
            reply = voter.post(
                f"/api/convenings/{code}/rounds/{round_['id']}/ballots",
                json={"ranking": options[n % 8 :] + options[: n % 8]},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert reply.status_code in (200, 201), reply.get_data(as_text=True)
            cast.append(n)

    voting = threading.Thread(target=vote)
    voting.start()
    while len(cast) < 20:  # the round is well under way
        voting.join(0.01)
    before = len(cast)
    copy = tmp_path / "backups" / "convene-during-the-round.db"
    done = subprocess.run(
        [sys.executable, "-m", "convene", "db", "backup", str(copy)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "instance")},
        capture_output=True,
        text=True,
        check=True,
    )
    voting.join()
    assert "Copied" in done.stdout
    with sqlite3.connect(copy) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    app.extensions["convene"].ticker.stop()
    app.extensions["convene.engine"].dispose()

    restored = _app(f"sqlite:///{copy}", tmp_path / "restored")
    try:
        shown = (
            restored.test_client()
            .get(f"/api/convenings/{code}/rounds/{round_['id']}", headers=staff)
            .get_json()
        )
        voted = shown["turnout"]["voted"]
        assert before <= voted <= len(tokens), "the copy is one moment of the round"
        assert shown["state"] == "open"
        closed = (
            restored.test_client()
            .post(f"/api/convenings/{code}/rounds/{round_['id']}/close", headers=staff)
            .get_json()
        )
        assert closed["result"]["total"]["exact"] == str(voted), "every copied ballot counts"
    finally:
        restored.extensions["convene"].ticker.stop()
        restored.extensions["convene.engine"].dispose()
