"""Minutes, action items and exports, on SQLite and PostgreSQL: a scripted meeting whose
minutes must equal a hand-checked document, the PDF, BLT recounts, CSV secrecy, finalizing,
and the archive's round trip."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from convene.domain.errors import Conflict, Forbidden
from convene.exports.ballots_blt import ballots_blt
from convene.exports.ballots_csv import ballots_csv
from convene.exports.markdown import minutes_markdown
from convene.services import convenings, minutes
from convene.store import tables
from tests.integration.minutes_meeting import fixed_seeds, run_meeting
from tests.integration.test_api import bearer, check
from tests.integration.test_services import assert_refused
from tests.support import need

DATA = Path(__file__).resolve().parents[1] / "data" / "minutes"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def meeting(services, clock, monkeypatch):
    fixed_seeds(monkeypatch)
    return run_meeting(services, clock)


def test_the_minutes_of_a_scripted_meeting_are_the_expected_document(services, meeting):
    document = minutes.get_minutes(services, meeting["facilitator"])
    assert document["final"] is False
    text = minutes_markdown(document).replace(meeting["created"].code, "CODE")
    # receipts are random, so the files' hashes are too (checked against the files below)
    text = re.sub(r"SHA-256 `[0-9a-f]{64}`", "SHA-256 `HASH`", text)
    expected = (DATA / "expected.md").read_text()
    if text != expected:  # keep what we got beside the expected one, to compare
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        (ROOT / "test-artifacts" / "minutes-got.md").write_text(text)
    assert text == expected


def test_the_pdf_has_the_minutes_text_and_page_numbers(services, meeting, tmp_path):
    from pypdf import PdfReader

    from convene.exports.pdf import minutes_pdf

    document = minutes.get_minutes(services, meeting["facilitator"])
    data = minutes_pdf(document)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Minutes: Tenants' assembly",
        "Freeze rents",
        "We demand a rent freeze on every flat for three years.",
        "Chosen: Repairs.",
        "Chosen, in order: Ana, Cy.",
        "Rent strike from January: not passed.",
        "Write to the landlord",
        f"Page 1 / {len(reader.pages)}",
    ):
        assert expected in text, expected
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        need(False, "pdftoppm (Debian poppler-utils) is not installed")
    pdf_path = tmp_path / "minutes.pdf"
    pdf_path.write_bytes(data)
    subprocess.run(
        [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", pdf_path, tmp_path / "page"],
        check=True,
    )
    [png] = tmp_path.glob("page*.png")
    assert png.read_bytes().startswith(b"\x89PNG")
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    shutil.copyfile(png, artifacts / "minutes-page-1.png")


@pytest.mark.parametrize("which", [2, 3])  # the IRV and the STV round
def test_the_blt_file_recounts_to_the_published_result(services, meeting, tmp_path, which):
    round_id = meeting["rounds"][which]
    round_, ballots = minutes.closed_round_ballots(services, meeting["facilitator"], round_id)
    path = tmp_path / "round.blt"
    path.write_text(ballots_blt(round_, minutes.ranked_profile(round_, ballots)))
    done = subprocess.run(
        [sys.executable, "-m", "convene", "tally", str(path), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    recount = json.loads(done.stdout)
    stored = round_.result
    labels = stored["labels"]
    assert recount["winners"] == [labels[str(w)] for w in stored["winners"]]
    assert [{labels[k]: v["exact"] for k, v in r["tallies"].items()} for r in stored["rounds"]] == [
        {k: v["exact"] for k, v in r["tallies"].items()} for r in recount["rounds"]
    ]
    assert recount["total"] == stored["total"]


def test_the_csv_of_a_secret_round_has_receipts_and_no_names(services, meeting):
    fac = meeting["facilitator"]
    secret, ballots = minutes.closed_round_ballots(services, fac, meeting["rounds"][2])
    text = ballots_csv(secret, ballots)
    meta = [r for r in csv.reader(io.StringIO(text)) if r[0].startswith("#")]
    rows = [r for r in csv.reader(io.StringIO(text)) if not r[0].startswith("#")]
    assert ["#method", "irv"] in meta
    assert ["#seed", secret.seed] in meta
    assert ["#candidates", *(o.label for o in secret.options)] in meta
    assert rows[0] == ["receipt", "weight", "rank1", "rank2"]
    assert len(rows) == 6
    for name in ("Ana", "Ben", "Cy", "Dee", "Eve"):
        assert name not in text
    assert sorted(" > ".join(c for c in r[2:] if c) for r in rows[1:]) == sorted(
        ["Heating", "Repairs > Heating", "Repairs > Security", "Security > Repairs", "Repairs"]
    )
    named, ballots = minutes.closed_round_ballots(services, fac, meeting["rounds"][3])
    rows = [r for r in csv.reader(io.StringIO(ballots_csv(named, ballots))) if r[0][:1] != "#"]
    assert rows[0][:2] == ["receipt", "weight"]
    assert rows[0][-1] == "name"
    assert {r[-1] for r in rows[1:]} == {"Ana", "Ben", "Cy", "Dee", "Eve"}


def test_finalizing_and_who_may_read_the_minutes(services, engine, publisher, clock, meeting):
    fac, ana = meeting["facilitator"], meeting["people"]["Ana"]
    assert_refused(
        services, engine, publisher, lambda: minutes.get_minutes(services, ana), Forbidden
    )
    assert_refused(services, engine, publisher, lambda: minutes.finalize(services, ana), Forbidden)
    clock.advance(minutes=5)
    final = minutes.finalize(services, fac)
    assert (final["final"], final["version"], final["approved_by"]) == (True, 1, "Fran")
    assert final["approved_at"] == "2026-11-23T19:03:30Z"
    # Finalizing again without a change is refused and changes nothing.
    assert_refused(services, engine, publisher, lambda: minutes.finalize(services, fac), Conflict)
    # Final, but not public: participants still may not read them.
    assert_refused(
        services, engine, publisher, lambda: minutes.get_minutes(services, ana), Forbidden
    )
    convenings.update_convening(services, fac, minutes_public=True)
    assert minutes.get_minutes(services, ana) == final
    # A later change does not touch the final version; finalizing again makes version 2.
    minutes.add_note(services, fac, agenda_item_id=meeting["items"][1], text="Short item.")
    assert minutes.get_minutes(services, ana) == final
    assert minutes.get_minutes(services, fac, live=True)["final"] is False
    second = minutes.finalize(services, fac)
    assert second["version"] == 2
    assert second["items"][1]["notes"] == "Short item."
    assert minutes.get_minutes(services, ana) == second
    with engine.connect() as connection:
        stored = connection.execute(
            select(tables.minutes_versions.c.number, tables.minutes_versions.c.document).order_by(
                tables.minutes_versions.c.number
            )
        ).all()
    assert [n for n, _ in stored] == [1, 2]
    assert stored[0][1] == final


def test_action_items(services, engine, publisher, meeting):
    fac, ben = meeting["facilitator"], meeting["people"]["Ben"]
    assert_refused(
        services,
        engine,
        publisher,
        lambda: minutes.add_action(services, ben, what="Flyers", who="Ben"),
        Forbidden,
    )
    convenings.update_convening(services, fac, participants_add_actions=True)
    added = minutes.add_action(
        services,
        ben,
        what="Flyers",
        who="Ben",
        due="2026-12-05",
        agenda_item_id=meeting["items"][0],
    )
    assert added["agenda_item"] == "Rent"
    listed = minutes.list_actions(services, ben)["actions"]
    assert [(a["what"], a["who"], a["due"]) for a in listed] == [
        ("Write to the landlord", "Ana", "2026-12-01"),
        ("Book the hall for January", "Ben", None),
        ("Flyers", "Ben", "2026-12-05"),
    ]
    assert publisher.events[-1].type == "action.added"


# The round trip starts from SQLite; the target is always PostgreSQL.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_archive_moves_a_convening_to_postgresql(services, engine, meeting, request):
    """SQLite → PostgreSQL (and back into PostgreSQL under a new code): nothing is lost."""
    from convene.bootstrap import build_services
    from convene.exports.archive import ArchiveError, export_convening, import_convening
    from convene.store.database import make_engine, make_session_factory

    assert engine.dialect.name == "sqlite"
    fac = meeting["facilitator"]
    minutes.finalize(services, fac)
    code = meeting["created"].code
    archive = export_convening(engine, code)
    before = minutes.get_minutes(services, fac, live=True)

    _postgres = request.getfixturevalue("_postgres")
    url = _postgres.start()
    need(url is not None, _postgres.error or "PostgreSQL is not available")
    _postgres.empty()
    target = make_engine(url)
    try:
        assert import_convening(target, json.loads(json.dumps(archive))) == code
        with pytest.raises(ArchiveError, match="already taken"):
            import_convening(target, archive)
        with pytest.raises(ArchiveError, match="access links are already in use"):
            import_convening(target, archive, new_code="KKKKKK")
        again = export_convening(target, code)
        for name, rows in archive["tables"].items():
            assert len(again["tables"][name]) == len(rows), name
        strip = {"id", "convening_id"}
        for name in ("members", "events", "ballots", "minutes_versions", "demand_versions"):
            assert [
                {k: v for k, v in r.items() if k not in strip and not k.endswith("_id")}
                for r in again["tables"][name]
            ] == [
                {k: v for k, v in r.items() if k not in strip and not k.endswith("_id")}
                for r in archive["tables"][name]
            ], name
        moved = build_services(make_session_factory(target))
        token = meeting["created"].facilitator_token
        after = minutes.get_minutes(moved, moved.authenticate(token, code), live=True)
        assert minutes_markdown(after) == minutes_markdown(before)
        # Secret ballots stay unlinked: no member on any ballot of a secret round.
        secret_rounds = {r["id"] for r in again["tables"]["rounds"] if r["secret"]}
        assert all(
            b["member_id"] is None
            for b in again["tables"]["ballots"]
            if b["round_id"] in secret_rounds
        )
    finally:
        target.dispose()


def _counts(engine) -> dict:
    with engine.connect() as connection:
        return {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in tables.metadata.sorted_tables
        }


def test_a_damaged_or_foreign_archive_is_refused_and_writes_nothing(
    services, engine, database_url, meeting, tmp_path
):
    from convene.exports.archive import export_convening

    archive = export_convening(engine, meeting["created"].code)
    damaged = json.loads(json.dumps(archive))
    damaged["tables"]["ballots"][0]["weight"] = 99
    broken = json.loads(json.dumps(archive))
    broken["tables"]["round_options"][0]["round_id"] = 9999
    for number, member in enumerate(broken["tables"]["members"]):  # fresh links: get further
        member["token_hash"] = f"{number:064d}"
    body = {k: v for k, v in broken.items() if k != "sha256"}
    from convene.exports.archive import _digest

    broken["sha256"] = _digest(body)
    broken["code"] = "ignored"
    broken["sha256"] = _digest({k: v for k, v in broken.items() if k != "sha256"})
    before = _counts(engine)
    env = {"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    for name, content, message in (
        ("damaged.json", json.dumps(damaged), "checksum does not match"),
        ("foreign.json", json.dumps({"hello": "world"}), "not a Convene archive"),
        ("text.json", "not json at all", "not a JSON file"),
        ("taken.json", json.dumps(archive), "already taken"),
        ("broken.json", json.dumps(broken), "points at a missing row"),
    ):
        path = tmp_path / name
        path.write_text(content)
        done = subprocess.run(
            [sys.executable, "-m", "convene", "import", str(path), "--new-code", "KKKKKK"]
            if name == "broken.json"
            else [sys.executable, "-m", "convene", "import", str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 2, (name, done.stderr)
        assert message in done.stderr, (name, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert _counts(engine) == before


def test_export_and_import_on_the_command_line(services, engine, database_url, meeting, tmp_path):
    env = {"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    other = f"sqlite:///{tmp_path / 'other.db'}"
    code = meeting["created"].code
    done = subprocess.run(
        [sys.executable, "-m", "convene", "export", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    path = tmp_path / "archive.json"
    path.write_text(done.stdout)
    other_env = {**env, "DATABASE_URL": other}
    subprocess.run(
        [sys.executable, "-m", "convene", "db", "upgrade"], cwd=ROOT, env=other_env, check=True
    )
    imported = subprocess.run(
        [sys.executable, "-m", "convene", "import", str(path), "--new-code", "KKKKKK"],
        cwd=ROOT,
        env=other_env,
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr
    assert "KKKKKK" in imported.stdout
    from convene.store.database import make_engine

    target = make_engine(other)
    with target.connect() as connection:
        codes = connection.execute(select(tables.convenings.c.code)).scalars().all()
    target.dispose()
    assert codes == ["KKKKKK"]


def test_the_minutes_routes(client, app):
    created = check(
        client.post("/api/convenings", json={"title": "Assembly", "facilitator_name": "Fran"}),
        "/api/convenings",
        "post",
        201,
    )
    code, fac = created["code"], bearer(created["facilitator_token"])
    joined = client.post(f"/api/convenings/{code}/participants", json={"name": "Ana"}).get_json()
    ana = bearer(joined["token"])
    item = client.post(f"/api/convenings/{code}/agenda", json={"title": "Rent"}, headers=fac)
    item_id = item.get_json()["id"]
    path = "/api/convenings/{code}/minutes"
    assert (
        check(client.get(f"/api/convenings/{code}/minutes", headers=fac), path, "get", 200)["final"]
        is False
    )
    check(client.get(f"/api/convenings/{code}/minutes", headers=ana), path, "get", 403)
    check(
        client.post(
            f"/api/convenings/{code}/minutes/notes",
            json={"agenda_item_id": item_id, "text": "Good."},
            headers=fac,
        ),
        path + "/notes",
        "post",
        200,
    )
    action = check(
        client.post(
            f"/api/convenings/{code}/actions",
            json={"what": "Call the council", "who": "Ana", "due": "2026-12-01"},
            headers=fac,
        ),
        "/api/convenings/{code}/actions",
        "post",
        201,
    )
    assert action["due"] == "2026-12-01"
    check(
        client.post(f"/api/convenings/{code}/actions", json={"what": "x", "who": "y"}, headers=ana),
        "/api/convenings/{code}/actions",
        "post",
        403,
    )
    listed = check(
        client.get(f"/api/convenings/{code}/actions", headers=ana),
        "/api/convenings/{code}/actions",
        "get",
        200,
    )
    assert [a["what"] for a in listed["actions"]] == ["Call the council"]
    final = check(
        client.post(f"/api/convenings/{code}/minutes/finalize", headers=fac),
        path + "/finalize",
        "post",
        200,
    )
    assert final["version"] == 1
    check(
        client.post(f"/api/convenings/{code}/minutes/finalize", headers=fac),
        path + "/finalize",
        "post",
        409,
    )
    client.patch(f"/api/convenings/{code}", json={"minutes_public": True}, headers=fac)
    assert (
        check(client.get(f"/api/convenings/{code}/minutes", headers=ana), path, "get", 200) == final
    )
    md = client.get(f"/api/convenings/{code}/minutes?format=md", headers=ana)
    assert md.status_code == 200
    assert md.mimetype == "text/markdown"
    assert "Call the council" in md.get_data(as_text=True)
    html = client.get(f"/api/convenings/{code}/minutes?format=html", headers=ana)
    assert html.mimetype == "text/html"
    assert "<h1>" in html.get_data(as_text=True)
    pdf = client.get(f"/api/convenings/{code}/minutes?format=pdf", headers=ana)
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    check(client.get(f"/api/convenings/{code}/minutes?format=doc", headers=ana), path, "get", 422)
    rnd = client.post(
        f"/api/convenings/{code}/rounds",
        json={"title": "First?", "method": "irv", "options": [{"label": "A"}, {"label": "B"}]},
        headers=fac,
    ).get_json()
    client.post(f"/api/convenings/{code}/rounds/{rnd['id']}/open", headers=fac)
    client.post(
        f"/api/convenings/{code}/rounds/{rnd['id']}/ballots",
        json={"ranking": [rnd["options"][1]["id"]]},
        headers=ana,
    )
    blt_path = "/api/convenings/{code}/rounds/{round_id}/ballots.blt"
    check(
        client.get(f"/api/convenings/{code}/rounds/{rnd['id']}/ballots.blt", headers=ana),
        blt_path,
        "get",
        409,
    )
    client.post(f"/api/convenings/{code}/rounds/{rnd['id']}/close", headers=fac)
    blt = client.get(f"/api/convenings/{code}/rounds/{rnd['id']}/ballots.blt", headers=ana)
    body = blt.get_data(as_text=True)
    head, convene_line = body.rstrip("\n").rsplit("\n", 1)
    assert head == '2 1\n1 2 0\n0\n"A"\n"B"\n"First?"'
    assert json.loads(convene_line.removeprefix("# convene "))["method"] == "irv"
    for name in ("summary.json", "cvr.json"):
        got = client.get(f"/api/convenings/{code}/rounds/{rnd['id']}/{name}", headers=ana)
        assert got.status_code == 200
        assert got.mimetype == "application/json"
        assert got.get_json()
    got = client.get(f"/api/convenings/{code}/rounds/{rnd['id']}/ballots.csv", headers=ana)
    assert got.mimetype == "text/csv"
    assert "Ana" not in got.get_data(as_text=True)


def test_pdf_export_without_weasyprint_is_a_clear_503(client, monkeypatch):
    created = client.post("/api/convenings", json={"title": "Assembly"}).get_json()
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
    got = client.get(
        f"/api/convenings/{created['code']}/minutes?format=pdf",
        headers=bearer(created["facilitator_token"]),
    )
    assert got.status_code == 503
    assert got.get_json()["error"]["code"] == "pdf_unavailable"
