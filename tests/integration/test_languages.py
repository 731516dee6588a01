"""Language choice in three places: the convening's own language (settings, API, console),
each device's choice (the switch on every page), then the browser's Accept-Language."""

from __future__ import annotations

import json
import re

import pytest

from convene.domain.floor import SignalLimiter
from convene.i18n import COOKIE


@pytest.fixture
def app(_sqlite_template, tmp_path):
    from convene.app import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": _sqlite_template.fresh(tmp_path),
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            "ASYNC_MODE": "threading",
            "LANGUAGES": ["en", "es"],
        }
    )
    yield app
    app.extensions["convene"].ticker.stop()
    app.extensions["convene.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def _create(client, **extra):
    body = {"title": "Asamblea de inquilinos de Boyle Heights", **extra}
    response = client.post("/api/convenings", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_a_convening_speaks_english_until_its_facilitator_sets_another_language(client):
    created = _create(client)
    code, token = created["code"], created["facilitator_token"]
    assert (
        client.get(f"/api/convenings/{code}", headers=_auth(token)).get_json()["convening"][
            "language"
        ]
        == "en"
    )
    changed = client.patch(f"/api/convenings/{code}", json={"language": "es"}, headers=_auth(token))
    assert changed.status_code == 200, changed.get_json()
    snapshot = client.get(f"/api/convenings/{code}", headers=_auth(token)).get_json()
    assert snapshot["convening"]["language"] == "es"


def test_a_region_or_case_finds_the_offered_language(client):
    created = _create(client, language="ES-mx")
    snapshot = client.get(
        f"/api/convenings/{created['code']}", headers=_auth(created["facilitator_token"])
    ).get_json()
    assert snapshot["convening"]["language"] == "es"


@pytest.mark.parametrize("value", ["fr", "", "x" * 5000, 7, None, ["es"], {"es": True}, True])
def test_an_unknown_language_is_refused_naming_the_supported_ones(client, value):
    created = _create(client, language="es")
    code, token = created["code"], created["facilitator_token"]
    refused = client.patch(
        f"/api/convenings/{code}", json={"language": value, "title": "Otro"}, headers=_auth(token)
    )
    assert refused.status_code in (400, 413, 422)
    error = refused.get_json()["error"]
    if isinstance(value, str) and len(value) < 100:
        assert refused.status_code == 422
        assert error["field"] == "language"
        assert "en, es" in error["message"]
    snapshot = client.get(f"/api/convenings/{code}", headers=_auth(token)).get_json()
    assert snapshot["convening"]["language"] == "es"
    assert snapshot["convening"]["title"] == "Asamblea de inquilinos de Boyle Heights"


def test_participants_cannot_change_the_language(client):
    created = _create(client)
    code = created["code"]
    joined = client.post(f"/api/convenings/{code}/participants", json={"name": "Inés Peña"})
    token = joined.get_json()["token"]
    refused = client.patch(f"/api/convenings/{code}", json={"language": "es"}, headers=_auth(token))
    assert refused.status_code == 403


def test_the_device_choice_then_the_browser_then_the_convening(client):
    created = _create(client, language="es")
    code = created["code"]
    # A browser asking for a language we do not have gets the convening's.
    assert _lang(client.get(f"/c/{code}", headers={"Accept-Language": "vi"})) == "es"
    assert _lang(client.get("/", headers={"Accept-Language": "vi"})) == "en"
    # The browser's language comes before the convening's.
    assert _lang(client.get(f"/c/{code}", headers={"Accept-Language": "en-US,en"})) == "en"
    assert _lang(client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9"})) == "es"
    # The device's own choice comes first, and is remembered.
    switched = client.get(f"/language/en?next=/c/{code}", headers={"Accept-Language": "es"})
    assert switched.status_code == 303
    assert switched.headers["Location"].endswith(f"/c/{code}")
    assert COOKIE in switched.headers["Set-Cookie"]
    assert _lang(client.get(f"/c/{code}", headers={"Accept-Language": "es"})) == "en"
    # "auto" forgets it.
    client.get("/language/auto?next=/")
    assert _lang(client.get(f"/c/{code}", headers={"Accept-Language": "es"})) == "es"


def test_the_projector_follows_the_convening_unless_the_device_chose(client):
    created = _create(client, language="es")
    client.get(created["projector_url"].split("localhost", 1)[-1])
    projector = f"/c/{created['code']}/projector"
    assert _lang(client.get(projector, headers={"Accept-Language": "en-US"})) == "es"
    client.get("/language/en")
    assert _lang(client.get(projector, headers={"Accept-Language": "es"})) == "en"


def test_a_spanish_projector_carries_the_amendment_notes_in_spanish(client):
    """An outdated amendment's note is stored in English (convene/domain/demands/amendments.py
    AMENDMENT_NOTES); the live pages carry each one's translation for the browser."""
    from convene.domain.demands import AMENDMENT_NOTES

    def notes(page_path: str) -> dict[str, str]:
        page = client.get(page_path).get_data(as_text=True)
        block = re.search(
            r'<script type="application/json" id="i18n-amendment-notes" data-i18n>(.*?)</script>',
            page,
            re.S,
        )
        assert block, "the notes' strings are on the page"
        return json.loads(block.group(1))

    # An English page first, in the same process: the Spanish page must not get its strings
    # (a cache of the first page's language once did that, depending on the tests' order).
    english = _create(client, language="en")
    client.get(english["projector_url"].split("localhost", 1)[-1])
    english_notes = notes(f"/c/{english['code']}/projector")
    assert english_notes["amendment_note:The demand was withdrawn."] == "The demand was withdrawn."

    created = _create(client, language="es")
    client.get(created["projector_url"].split("localhost", 1)[-1])
    strings = notes(f"/c/{created['code']}/projector")
    assert strings["amendment_note:The demand was withdrawn."] == "La demanda fue retirada."
    assert set(strings) == {f"amendment_note:{note}" for note in AMENDMENT_NOTES}


def test_every_page_shows_the_switch_in_each_language_own_words(client):
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert 'data-testid="language-switch"' in page
    assert 'lang="en" hreflang="en"' in page
    assert ">English</a>" in page
    assert 'aria-current="true">Español</span>' in page
    assert "/language/en?next=/" in page


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "evil", "/\\\\x"])
def test_the_switch_goes_back_only_to_this_site(client, target):
    response = client.get("/language/es", query_string={"next": target})
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_the_creation_form_takes_the_page_language(client):
    page = client.get("/", headers={"Accept-Language": "es"})
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    form = {"csrf": csrf, "title": "Asamblea del Valle", "language": "es"}
    created = client.post(
        "/convenings", data=form, headers={"Accept-Language": "es"}, follow_redirects=True
    )
    assert created.status_code == 200
    code = re.search(r"/c/([A-Z0-9]{6})", created.get_data(as_text=True)).group(1)
    assert _lang(client.get(f"/c/{code}", headers={"Accept-Language": "vi"})) == "es"


# -- the minutes of a Spanish convening -----------------------------------------------------

#: English words of the minutes' own text (headings, labels, sentences) that must not remain.
ENGLISH = re.compile(
    r"\b(Minutes|Attendance|Agenda|Decisions|Method|Ballot|Turnout|Quorum|Round|Opened|closed|"
    r"Chosen|passed|Passed|Action items|Speaking|Facilitators|Date|Place|Demands|Adopted|"
    r"Proposed by|Status|Version|votes?|elected|eliminated|From|seats|Draft|Page|Who|What|By)\b"
)


@pytest.fixture
def spanish_meeting(app, monkeypatch):
    from sqlalchemy.orm import sessionmaker

    from convene.bootstrap import build_services
    from convene.services import convenings
    from tests.integration.minutes_meeting import fixed_seeds, run_meeting
    from tests.support import FakeClock

    fixed_seeds(monkeypatch)
    engine = app.extensions["convene.engine"]
    services = build_services(sessionmaker(engine, expire_on_commit=False), languages=("en", "es"))
    services.clock = clock = FakeClock()
    meeting = run_meeting(services, clock)
    convenings.update_convening(services, meeting["facilitator"], language="es")
    return services, meeting


def _spanish_document(app, spanish_meeting):
    from convene.services import minutes

    services, meeting = spanish_meeting
    with app.test_request_context(headers={"Accept-Language": "en"}):  # whoever downloads
        return minutes.get_minutes(services, meeting["facilitator"])


def test_the_markdown_minutes_of_a_spanish_convening_are_in_spanish(app, spanish_meeting):
    from convene.exports.markdown import minutes_markdown

    document = _spanish_document(app, spanish_meeting)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        text = minutes_markdown(document)

    for expected in (
        "# Acta: Tenants' assembly",
        "## Asistencia",
        "23 de noviembre de 2026",
        "Segunda vuelta instantánea",
        "Voto único transferible (VUT) (reglas escocesas), 2 puestos",
        "Elegida: Repairs.",
        "Elegidas, en orden: Ana, Cy.",
        "Rent strike from January: no aprobada.",
        "Estado: adoptada.",
        "**Boleta:** secreta",
        "| De acuerdo | 5 |",
        "| Me hago a un lado | 1 |",
        "| Agotados | 0 | 0 |",
        "### Estadísticas de intervenciones",
        "Hay consentimiento: 5 de acuerdo, 1 se hace a un lado, 0 bloqueos; nadie bloquea",
        "No aprobada con 3 votos por el sí, 2 por el no, 1 abstenciones: el sí necesitaba",
    ):
        assert expected in text, expected
    # What is left in English is what people wrote (titles, names, demands), not the minutes'.
    words = {m.group(0) for m in ENGLISH.finditer(_without_user_text(text, document))}
    assert words == set()


def _without_user_text(text: str, document: dict) -> str:
    """The minutes minus what participants wrote (it stays in their words)."""
    import json

    strings = set()

    def walk(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in (
                    "title",
                    "body",
                    "name",
                    "label",
                    "what",
                    "who",
                    "notes",
                    "text",
                    "author",
                    "passage",
                    "agenda_notes",
                    "description",
                    "place",
                    "names",
                    "options",
                    "winners",
                    "labels",
                    "agenda_item",
                ):
                    collect(inner)
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    def collect(value):
        if isinstance(value, str):
            strings.add(value)
        elif isinstance(value, dict | list):
            for inner in value.values() if isinstance(value, dict) else value:
                collect(inner)

    walk(json.loads(json.dumps(document)))
    for string in sorted(strings, key=len, reverse=True):
        if len(string) > 1:
            text = text.replace(string, " ")
    return text


def test_the_minutes_name_schulze_for_what_it_is_in_the_convening_language(app, spanish_meeting):
    """Schulze is not "ranked pairs" (that is Tideman's method, another one)."""
    from convene.exports.markdown import minutes_markdown
    from convene.services import convenings, rounds

    services, meeting = spanish_meeting
    fac, people = meeting["facilitator"], meeting["people"]
    # The meeting's people already voted in its rounds: their ballots here must not wait for
    # the per-person ballot limit (2 a second, 5 at once), which this test is not about.
    services.ballot_limiter = SignalLimiter(rate=1000, burst=1000)
    made = rounds.create_round(
        services,
        fac,
        title="Which repair first?",
        method="schulze",
        options=[{"label": "Boiler"}, {"label": "Roof"}, {"label": "Lift"}],
    )
    boiler, roof, lift = [o["id"] for o in made["options"]]
    rounds.open_round(services, fac, round_id=made["id"])
    for name, ranking in (("Ana", [roof, boiler]), ("Ben", [roof, lift]), ("Cy", [boiler])):
        rounds.cast_ballot(services, people[name], round_id=made["id"], ranking=ranking)
    rounds.close_round(services, fac, round_id=made["id"])
    texts = {}
    for language in ("es", "en"):
        convenings.update_convening(services, fac, language=language)
        document = _spanish_document(app, spanish_meeting)
        with app.test_request_context(headers={"Accept-Language": "en"}):
            texts[language] = minutes_markdown(document)
    assert "**Método:** Schulze (cara a cara)" in texts["es"]
    assert "**Method:** Schulze (head to head)" in texts["en"]
    for text in texts.values():
        assert "ranked pairs" not in text.lower()
        assert not re.search(r"\bpares\b", text)


def test_the_pdf_minutes_of_a_spanish_convening_are_in_spanish(app, spanish_meeting):
    import io

    from pypdf import PdfReader

    from convene.exports.pdf import minutes_pdf

    document = _spanish_document(app, spanish_meeting)
    with app.test_request_context():
        data = minutes_pdf(document)
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Acta: Tenants' assembly",
        "Asistencia",
        "23 de noviembre de 2026",
        "Elegidas, en orden: Ana, Cy.",
        f"Página 1 / {len(reader.pages)}",
    ):
        assert expected in text, expected
    # Every font in the PDF is a real one (DejaVu or another installed family), embedded.
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("DejaVu" in font or "Liberation" in font or "Noto" in font for font in fonts)


# -- what the record keeps in the convening's language -------------------------------------


@pytest.fixture
def bilingual(app):
    from sqlalchemy.orm import sessionmaker

    from convene.bootstrap import build_services
    from tests.support import FakeClock

    engine = app.extensions["convene.engine"]
    services = build_services(sessionmaker(engine, expire_on_commit=False), languages=("en", "es"))
    services.clock = FakeClock()
    return services


def _staff_names(services, actor) -> dict[str, list[str]]:
    from convene.services import live

    names: dict[str, list[str]] = {}
    for member in live.snapshot(services, actor)["members"]:
        names.setdefault(member["role"], []).append(member["name"])
    return {role: sorted(found) for role, found in names.items()}


def test_default_staff_names_are_in_the_convening_language_and_follow_it(bilingual):
    from convene.services import convenings

    created = convenings.create_convening(bilingual, title="Asamblea del Valle", language="es")
    fac = bilingual.authenticate(created.facilitator_token)
    convenings.invite(bilingual, fac, role="observer")
    convenings.invite(bilingual, fac, role="facilitator", name="Rosa Elena Díaz")
    convenings.invite(bilingual, fac, role="facilitator")
    assert _staff_names(bilingual, fac) == {
        "facilitator": ["Persona cofacilitadora", "Persona facilitadora", "Rosa Elena Díaz"],
        "observer": ["Persona observadora"],
        "projector": ["Proyector"],
    }
    # A default name follows the language the facilitators choose; a typed name stays.
    convenings.update_convening(bilingual, fac, language="en")
    assert _staff_names(bilingual, fac) == {
        "facilitator": ["Co-facilitator", "Facilitator", "Rosa Elena Díaz"],
        "observer": ["Observer"],
        "projector": ["Projector"],
    }
    convenings.update_convening(bilingual, fac, language="es")
    assert _staff_names(bilingual, fac)["facilitator"][1] == "Persona facilitadora"


def test_an_amendment_option_is_labelled_in_the_convening_language(bilingual):
    from convene.services import convenings, demands, rounds

    labels = {}
    for language in ("es", "en"):
        created = convenings.create_convening(bilingual, title="Asamblea", language=language)
        fac = bilingual.authenticate(created.facilitator_token)
        ines = bilingual.authenticate(
            convenings.join(bilingual, code=created.code, name="Inés Ávila").token
        )
        demand = demands.propose(
            bilingual, ines, title="Congelar los alquileres", body="Durante dos años."
        )["id"]
        demands.open_demand(bilingual, fac, demand_id=demand)
        amendment = demands.amend(
            bilingual, ines, demand_id=demand, passage="dos años", body="tres años"
        )["id"]
        made = rounds.create_round(
            bilingual,
            fac,
            title="¿Tres años?",
            method="consent",
            options=[{"amendment_id": amendment}],
        )
        labels[language] = made["options"][0]["label"]
        # Kept as made: the ballots are cast on it, whatever language comes later.
        convenings.update_convening(bilingual, fac, language="en" if language == "es" else "es")
        again = rounds.get_round(bilingual, fac, round_id=made["id"])
        assert again["options"][0]["label"] == labels[language]
    assert labels == {
        "es": "Enmienda de Inés Ávila a «Congelar los alquileres»: «tres años»",
        "en": "Amendment by Inés Ávila to “Congelar los alquileres”: “tres años”",
    }


def test_the_minutes_write_counts_and_fractions_the_language_way(app, spanish_meeting):
    """A big meeting's figures (1,500 people, weighted and fractional STV counts) in the
    Markdown, HTML and PDF minutes: 1.500 and 2.396,13639 in Spanish, 1,500 and 2,396.13639
    in English."""
    import copy
    import io

    from pypdf import PdfReader

    from convene.exports.html import minutes_html
    from convene.exports.markdown import minutes_markdown
    from convene.exports.pdf import minutes_pdf

    document = _spanish_document(app, spanish_meeting)
    document["attendance"]["joined"] = 1500
    rounds = [r for item in document["items"] for r in item["rounds"]]
    stv = next(r for r in rounds if r["method"] == "stv")
    stv["quota"] = "2842.5"
    first = stv["table"]["rows"][0]["cells"]
    first[0]["count"] = "2396.13639"
    first[-1]["count"] = "7/3"
    reason = next(r for r in stv["story"]["rounds"][0]["reasons"] if "votes" in r)
    reason["votes"] = {"exact": "1234.5"}
    consent = next(r for r in rounds if r["method"] == "consent")
    for row in consent["table"]["rows"]:
        if row["label"] == "agree":
            row["cells"][0]["count"] = "1200"
    english = copy.deepcopy(document)
    english["convening"]["language"] = "en"

    with app.test_request_context(headers={"Accept-Language": "en"}):
        texts = {
            "es": (minutes_markdown(document), minutes_html(document)),
            "en": (minutes_markdown(english), minutes_html(english)),
        }
        pdf = PdfReader(io.BytesIO(minutes_pdf(document)))
    pdf_text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    for text in (*texts["es"], pdf_text):
        assert "1.500 participantes" in text
        assert "2.842,5" in text
        assert "2.396,13639" in text
        assert "2,33333" in text
        assert "1.200 de acuerdo" in text
        assert "1.234,5 votos" in text  # a round's sentence
        for english in ("2396.13639", "7/3", "2,396"):
            assert english not in text
    for text in texts["en"]:
        assert "1,500 participants" in text
        assert "2,842.5" in text
        assert "2,396.13639" in text
        assert "2.33333" in text
        assert "1,200 agree" in text
        assert "1,234.5 votes" in text


def test_the_minutes_counted_phrases_take_the_language_plural(app, spanish_meeting):
    import copy

    from convene.exports.markdown import minutes_markdown

    document = _spanish_document(app, spanish_meeting)
    document["attendance"]["joined"] = 1
    item = next(item for item in document["items"] if item.get("speaking"))
    item["speaking"].update(speeches=1, speakers=1, first_time_speakers=1)
    english = copy.deepcopy(document)
    english["convening"]["language"] = "en"
    with app.test_request_context():
        spanish, english = minutes_markdown(document), minutes_markdown(english)
    assert "Se unió 1 participante;" in spanish
    assert "1 intervención de 1 persona (1 habló por primera vez)" in spanish
    assert "1 participant joined;" in english
    assert "1 speech by 1 speaker (1 speaking for the first time)" in english
