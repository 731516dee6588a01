"""Issue 12: a round counted in a live meeting is re-counted exactly from its exports.

For random profiles built to tie (few distinct rankings, equal weights), for every method
with candidates (IRV, STV Scottish and Meek, Schulze, approval, score): the round is run
through the services layer as a meeting runs it, then its BLT, CSV and NIST CDF exports are
counted by ``convene tally FILE`` with no other flag. Every field of the result must be the
meeting's, round by round (tallies, elected, eliminated, transfers, exhausted, lost, quota,
reasons, tie breaks, winners, ranking, seed), options compared by label. The same after the
convening moves to another installation (``convene export``/``import``: new ids).
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from sqlalchemy import select

from convene import tallycli
from convene.bootstrap import build_services
from convene.domain.rounds import Round
from convene.exports import recount
from convene.exports.archive import export_convening, import_convening
from convene.services import convenings, minutes, rounds
from convene.services.core import Services
from convene.store import tables
from convene.store.database import make_engine, make_session_factory
from convene.store.rounds import published_ballots
from tests.integration.published_schemas import SCHEMA_DIR, check_summary
from tests.support import FakeClock, RecordingPublisher

LABELS = [
    "Réparer le chauffage de tous les logements avant l'hiver",
    "Ñandú: a community kitchen open every evening for everyone",
    "Security doors on every block, chosen with the tenants",
    "A tenants' office with paid staff and regular opening hours",
    "Free legal advice for anyone facing eviction this year",
    "Öffentliche Versammlungen jeden Monat, mit Übersetzung",
    "Lower the rent of the smallest flats by a fifth",
    "Green space: the empty lot becomes a garden",
]
METHODS = [
    ("irv", None, 1),
    ("stv", "scottish", 2),
    ("stv", "meek", 2),
    ("schulze", None, 1),
    ("approval", None, 2),
    ("score", None, 1),
]


@st.composite
def meetings(draw):
    method, rule, seats = draw(st.sampled_from(METHODS))
    n = draw(st.integers(3, 6))
    voters = draw(st.integers(2, 9))
    # few distinct ballots, so ties are common (and look-backs and lots are needed)
    if method in ("irv", "stv", "schulze"):
        ballot = st.permutations(range(n)).flatmap(
            lambda p: st.integers(1, len(p)).map(lambda k: {"ranking": list(p[:k])})
        )
    elif method == "approval":
        ballot = st.sets(st.integers(0, n - 1), max_size=n).map(lambda s: {"approve": sorted(s)})
    else:
        ballot = st.lists(st.integers(0, 5), min_size=n, max_size=n).map(
            lambda s: {"scores": dict(enumerate(s))}
        )
    pool = draw(st.lists(ballot, min_size=1, max_size=3))
    cast = [draw(st.sampled_from(pool)) for _ in range(voters)]
    weights = [draw(st.sampled_from([1, 1, 1, 2])) for _ in range(voters)]
    # how ties looking back cannot break are broken; for lots drawn in the room, which of
    # the tied options each lot chooses (the n-th of the pool)
    tie_break = draw(st.sampled_from(["lot", "lot", "order", "room"]))
    lots = draw(st.lists(st.integers(0, 5), min_size=12, max_size=12))
    return method, rule, seats, n, cast, weights, tie_break, lots


def _ballot(ballot: dict, ids: list[int]) -> dict:
    if "ranking" in ballot:
        return {"ranking": [ids[i] for i in ballot["ranking"]]}
    if "approve" in ballot:
        return {"approve": [ids[i] for i in ballot["approve"]]}
    return {"scores": {str(ids[i]): s for i, s in ballot["scores"].items()}}


def _by_label(result: dict, labels: dict[str, str]) -> dict:
    """A stored (or recounted) result with every option named by its label."""

    def name(key):
        return None if key is None else labels.get(str(key), str(key))

    def names(keys):
        return None if keys is None else [name(k) for k in keys]

    def reason(r: dict) -> dict:
        out = {**r, "options": names(r.get("options"))}
        for key in ("elected", "ranking"):
            if key in r:
                out[key] = names(r[key])
        return out

    def rekey(value):
        if isinstance(value, dict):
            return {name(k) if str(k) in labels else k: rekey(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rekey(v) for v in value]
        return value

    details = {k: v for k, v in (result.get("details") or {}).items() if k != "title"}
    if details.get("condorcet_winner") is not None:
        details["condorcet_winner"] = name(details["condorcet_winner"])
    return {
        "method": result["method"],
        "rule": result["rule"],
        "seats": result["seats"],
        "candidates": names(result["candidates"]),
        "winners": names(result["winners"]),
        "ranking": names(result.get("ranking")),
        "quota": result["quota"],
        "total": result["total"],
        "seed": str(result["seed"]),
        "reasons": [reason(r) for r in result.get("reasons") or []],
        "tie_breaks": [
            {
                **t,
                "tied": names(t["tied"]),
                "chosen": name(t["chosen"]),
                "pool": names(t.get("pool")),
            }
            for t in result["tie_breaks"]
        ],
        "rounds": [
            {
                **r,
                "tallies": {name(k): v for k, v in r["tallies"].items()},
                "elected": names(r["elected"]),
                "eliminated": names(r["eliminated"]),
                "transfers": [
                    {"from": name(t["from"]), "to": name(t["to"]), "votes": t["votes"]}
                    for t in r["transfers"]
                ],
                "reasons": [reason(x) for x in r.get("reasons") or []],
            }
            for r in result["rounds"]
        ],
        "details": rekey(details),
    }


def _tally(path: Path) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        code = tallycli.main([str(path), "--format", "json"])
    assert code == 0, path.read_text()[:2000]
    return json.loads(out.getvalue())


def _recounts_exactly(round_: Round, ballots: list, tmp: Path) -> None:
    stored = round_.result
    labels = stored["labels"]
    expected = _by_label(stored, labels)
    files = recount.round_files(round_, ballots)
    names = recount.file_names(round_.id)
    recounted = [k for k in ("blt", "csv", "cvr") if k in files]
    assert "csv" in recounted
    # the RCTab summary and the NIST records validate against the schemas written for
    # Convene from the published specifications (every field Convene writes, strictly);
    # the summary also against the published Universal RCV Tabulator schema and through
    # rcvformats, the reader RCVis uses (NIST's own schema file is on no package registry):
    # convene/exports/schemas/README.md
    for kind in ("summary", "cvr"):
        if kind in files:
            SCHEMAS[kind].validate(json.loads(files[kind]))
    if round_.method.value in ("irv", "stv"):
        assert "summary" in files
        check_summary(files["summary"], stored, tmp)
        summary = json.loads(files["summary"])
        assert [r["tally"] for r in summary["results"]] == [
            {labels[k]: v["exact"] for k, v in r["tallies"].items()} for r in stored["rounds"]
        ]
    for kind in recounted:
        path = tmp / names[kind]
        path.write_text(files[kind], encoding="utf-8")
        got = _tally(path)
        # the recount names options by label: the identity mapping
        assert _by_label(got, {}) == expected, kind


def _draw_lots(svc: Services, fac, round_id: int, lots: list[int]) -> None:
    """While the round's count is paused, enter lots drawn in the room (tie-break room)."""
    for pick in lots:
        round_ = rounds.get_round(svc, fac, round_id=round_id)
        if round_["state"] != "paused":
            return
        pool = round_["pending_lot"]["pool"]
        rounds.draw_lot(svc, fac, round_id=round_id, option_id=pool[pick % len(pool)])
    assert rounds.get_round(svc, fac, round_id=round_id)["state"] == "closed"


def _meeting(svc: Services, case, labels: list[str] = LABELS) -> tuple[str, int]:
    method, rule, seats, n, cast, weights, *more = case
    tie_break, lots = more if more else ("lot", [])
    created = convenings.create_convening(svc, title="Assemblée générale", facilitator_name="Zoë")
    fac = svc.authenticate(created.facilitator_token)
    people = []
    for i, weight in enumerate(weights):
        person = convenings.join(svc, code=created.code, name=f"Participant {i} Ñúñez")
        actor = svc.authenticate(person.token)
        if weight != 1:
            convenings.set_vote_weight(svc, fac, member_id=actor.member_id, vote_weight=weight)
        people.append(actor)
    made = rounds.create_round(
        svc,
        fac,
        title="Which campaign comes first, and who leads it?",
        method=method,
        rule=rule,
        seats=seats if method in ("stv", "approval", "score") else None,
        options=[{"label": label} for label in labels[:n]],
        tie_break=tie_break,
    )
    ids = [o["id"] for o in made["options"]]
    rounds.open_round(svc, fac, round_id=made["id"])
    for actor, ballot in zip(people, cast, strict=True):
        rounds.cast_ballot(svc, actor, round_id=made["id"], **_ballot(ballot, ids))
    rounds.close_round(svc, fac, round_id=made["id"])
    _draw_lots(svc, fac, made["id"], lots)
    _FACILITATORS[created.code] = created.facilitator_token
    return created.code, made["id"]


_FACILITATORS: dict[str, str] = {}
SCHEMAS = {
    kind: Draft202012Validator(json.loads((SCHEMA_DIR / name).read_text()))
    for kind, name in (("summary", "rctab-summary.schema.json"), ("cvr", "nist-cvr.schema.json"))
}


def _load(svc: Services, round_id: int) -> tuple[Round, list]:
    with svc.read() as session:
        round_ = session.get(Round, round_id)
        _ = list(round_.options)
        return round_, published_ballots(session, round_)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=meetings())
def test_a_live_round_is_recounted_exactly_from_every_export(services, tmp_path_factory, case):
    _, round_id = _meeting(services, case)
    round_, ballots = _load(services, round_id)
    _recounts_exactly(round_, ballots, tmp_path_factory.mktemp("recount"))


def test_the_recount_is_the_same_on_another_installation(services, engine, tmp_path, request):
    """Ties included: the lot does not depend on ids, which change on import."""
    case = (
        "stv",
        "scottish",
        2,
        5,
        [{"ranking": [0, 1]}, {"ranking": [1, 0]}, {"ranking": [2]}, {"ranking": [3, 4]}] * 2,
        [1] * 8,
    )
    code, round_id = _meeting(services, case)
    original, _ = _load(services, round_id)
    assert original.result["tie_breaks"], "the case must need a tie broken"
    (tmp_path / "other").mkdir()
    template = request.getfixturevalue("_sqlite_template")
    other = make_engine(template.fresh(tmp_path / "other"))
    try:
        elsewhere = build_services(
            make_session_factory(other), publisher=RecordingPublisher(), clock=FakeClock()
        )
        # another meeting there first, so the imported options get other ids
        _meeting(elsewhere, ("irv", None, 1, 7, [{"ranking": [0]}], [1]))
        new_code = import_convening(other, export_convening(engine, code))
        with elsewhere.read() as session:
            convening_id = session.execute(
                select(tables.convenings.c.id).where(tables.convenings.c.code == new_code)
            ).scalar_one()
            moved_id = session.execute(
                select(tables.rounds.c.id).where(tables.rounds.c.convening_id == convening_id)
            ).scalar_one()
        moved, moved_ballots = _load(elsewhere, moved_id)
        assert {o.id for o in moved.options}.isdisjoint({o.id for o in original.options})
        assert _by_label(moved.result, moved.result["labels"]) == _by_label(
            original.result, original.result["labels"]
        )
        _recounts_exactly(moved, moved_ballots, tmp_path)
        # and the imported ballots, counted afresh with the stored seed, give the same
        with elsewhere.read() as session:
            fresh = moved.tally(rounds.profile_of(session, moved), moved.seed)
        assert _by_label(moved.result_json(fresh), moved.result["labels"]) == _by_label(
            original.result, original.result["labels"]
        )
    finally:
        other.dispose()


def _add_round(svc: Services, code: str, fac, case) -> int:
    """One more round of ``case`` in the convening ``code``, voted by new participants."""
    method, rule, seats, n, cast, weights, tie_break, lots = case
    people = []
    for i, weight in enumerate(weights):
        person = convenings.join(svc, code=code, name=f"Votante {len(_JOINED)} {i} Ñúñez")
        actor = svc.authenticate(person.token)
        if weight != 1:
            convenings.set_vote_weight(svc, fac, member_id=actor.member_id, vote_weight=weight)
        people.append(actor)
    _JOINED.append(code)
    made = rounds.create_round(
        svc,
        fac,
        title=f"Round {len(_JOINED)}: which campaign comes first, and who leads it?",
        method=method,
        rule=rule,
        seats=seats if method in ("stv", "approval", "score") else None,
        options=[{"label": label} for label in LABELS[:n]],
        tie_break=tie_break,
    )
    ids = [o["id"] for o in made["options"]]
    rounds.open_round(svc, fac, round_id=made["id"])
    for actor, ballot in zip(people, cast, strict=True):
        rounds.cast_ballot(svc, actor, round_id=made["id"], **_ballot(ballot, ids))
    rounds.close_round(svc, fac, round_id=made["id"])
    _draw_lots(svc, fac, made["id"], lots)
    return made["id"]


_JOINED: list[str] = []


def _round_ids(svc: Services, code: str) -> list[int]:
    with svc.read() as session:
        convening_id = session.execute(
            select(tables.convenings.c.id).where(tables.convenings.c.code == code)
        ).scalar_one()
        return list(
            session.execute(
                select(tables.rounds.c.id)
                .where(tables.rounds.c.convening_id == convening_id)
                .order_by(tables.rounds.c.id)
            ).scalars()
        )


def _installation(template, folder: Path):
    engine = make_engine(template.fresh(folder))
    return engine, build_services(
        make_session_factory(engine), publisher=RecordingPublisher(), clock=FakeClock()
    )


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cases=st.lists(meetings(), min_size=1, max_size=3))
def test_export_then_import_elsewhere_gives_the_same_result_round_by_round(
    request, tmp_path_factory, cases
):
    """For random meetings of one to three rounds: ``convene export``, then ``import`` into
    a fresh installation (where every option id is new) gives, round by round, the same
    result (options by label), the same result when its imported ballots are counted again
    with the stored seed, and the same result from each of its exports through ``convene
    tally``."""
    template = request.getfixturevalue("_sqlite_template")
    here, svc = _installation(template, tmp_path_factory.mktemp("here"))
    tmp = tmp_path_factory.mktemp("elsewhere")
    there, elsewhere = _installation(template, tmp)
    try:
        created = convenings.create_convening(
            svc, title="Asamblea de barrio", facilitator_name="Zoë"
        )
        fac = svc.authenticate(created.facilitator_token)
        for case in cases:
            _add_round(svc, created.code, fac, case)
        originals = [_load(svc, i)[0] for i in _round_ids(svc, created.code)]
        archive = json.loads(json.dumps(export_convening(here, created.code)))  # as a file
        # a meeting there first, with more options than any round, so every id is new
        _meeting(elsewhere, ("irv", None, 1, 8, [{"ranking": [0]}], [1]))
        new_code = import_convening(there, archive)
        moved_ids = _round_ids(elsewhere, new_code)
        assert len(moved_ids) == len(originals)
        for original, moved_id in zip(originals, moved_ids, strict=True):
            moved, moved_ballots = _load(elsewhere, moved_id)
            assert {o.id for o in moved.options}.isdisjoint({o.id for o in original.options})
            expected = _by_label(original.result, original.result["labels"])
            assert _by_label(moved.result, moved.result["labels"]) == expected
            with elsewhere.read() as session:
                fresh = moved.tally(rounds.profile_of(session, moved), moved.seed)
            assert _by_label(moved.result_json(fresh), moved.result["labels"]) == expected
            _recounts_exactly(moved, moved_ballots, tmp)
    finally:
        here.dispose()
        there.dispose()


def test_the_minutes_name_tied_options_show_hashes_and_a_recount_that_works(services, tmp_path):
    """Markdown, HTML, PDF text and JSON: ties by label, each export's SHA-256, and the
    printed command, run on the downloaded file, re-counts the meeting's result."""
    import hashlib
    import os
    import shlex
    import subprocess
    import sys

    from pypdf import PdfReader

    from convene.exports.html import minutes_html
    from convene.exports.markdown import minutes_markdown
    from convene.exports.pdf import minutes_pdf

    # IRV, 4 options: the last two tie in round 1 with nothing to look back to: a lot
    case = (
        "irv",
        None,
        1,
        4,
        [{"ranking": [0]}] * 3 + [{"ranking": [1, 0]}] * 2 + [{"ranking": [2]}, {"ranking": [3]}],
        [1] * 7,
    )
    code, round_id = _meeting(services, case)
    round_, ballots = _load(services, round_id)
    labels = round_.result["labels"]
    [tie] = round_.result["tie_breaks"]
    tied = [labels[t] for t in tie["tied"]]
    assert tied == LABELS[2:4]
    fac = services.authenticate(_FACILITATORS[code])
    document = minutes.get_minutes(services, fac)
    [entry] = [r for r in document["other"]["rounds"] if r["id"] == round_id]
    exports = {e["kind"]: e for e in entry["exports"]}
    assert set(exports) == {"csv", "blt", "cvr", "summary"}
    files = recount.round_files(round_, ballots)
    for kind, e in exports.items():
        assert e["sha256"] == hashlib.sha256(files[kind].encode()).hexdigest()

    pdf = PdfReader(io.BytesIO(minutes_pdf(document)))
    texts = {
        "md": minutes_markdown(document),
        "html": minutes_html(document),
        "json": json.dumps(document, ensure_ascii=False),  # as GET …/minutes serves it
        "pdf": " ".join(" ".join(p.extract_text().split()) for p in pdf.pages),
    }
    chosen = labels[tie["chosen"]]
    for fmt, text in texts.items():
        flat = " ".join(text.split())
        if fmt == "html":
            flat = flat.replace("&#39;", "'")
        for label in tied:
            assert f"{label}" in flat, fmt
        assert "was chosen by lot" in flat, fmt
        assert chosen in flat, fmt
        if fmt != "pdf":  # PDF text breaks long hex strings across lines
            for e in exports.values():
                assert e["sha256"] in flat, (fmt, e["kind"])
                if e["command"]:
                    assert e["command"] in flat, (fmt, e["kind"])
        # no sentence names an option by its id
        for option in round_.options:
            assert f"{option.id} is eliminated" not in flat
            assert f"{option.id} was chosen" not in flat
    assert exports["blt"]["sha256"] in "".join(texts["pdf"].split())

    # run each printed command where the file was downloaded
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    expected = _by_label(round_.result, labels)
    for e in exports.values():
        if not e["command"]:
            continue
        (tmp_path / e["file"]).write_text(files[e["kind"]], encoding="utf-8")
        argv = shlex.split(e["command"])
        assert argv[:4] == ["python", "-m", "convene", "tally"]
        done = subprocess.run(
            [sys.executable, *argv[1:], "--format", "json"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert _by_label(json.loads(done.stdout), {}) == expected, e["kind"]
        # and the plain command prints the tie with the options' labels
        plain = subprocess.run(
            [sys.executable, *argv[1:]], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert plain.returncode == 0
        assert f"{tied[0]} and {tied[1]} were tied" in plain.stdout
