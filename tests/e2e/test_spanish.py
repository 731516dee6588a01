"""A Spanish-speaking chapter's meeting in the browser (locale es-ES): landing, join, the phone
during an item, the speaker list, a ballot of each method, the projector of a Spanish
convening during a round and its result, a consent round run and closed on screen (a
stand-aside and a block from two phones, the projector during it and with its result, the
console's follow-ups), the console and the minutes page. Every screen's
visible text (and its labels for screen readers) is scanned for English words of the
interface. Everything people type is in Spanish here, so what is left in English is ours.

One server (SQLite) and one flow, to add as little time as possible."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, PROJECTOR
from tests.e2e.flows import api_create
from tests.e2e.test_rounds import api

pytestmark = pytest.mark.parametrize("server", ["sqlite"], indirect=True)

ES = {"locale": "es-ES"}
#: The machine may be busy: waits are generous (they end as soon as the text is there).
SLOW = 20_000

#: English words of the interface (whole words; none is also Spanish: not "final", "min").
ENGLISH = re.compile(
    r"\b(the|and|of|to|your|you|vote|votes|voted|voting|ballot|ballots|round|rounds|join|joined|"
    r"agenda|speaker|speakers|minutes|save|open|close|closed|connected|connecting|loading|live|"
    r"raise|hand|send|item|items|meeting|convening|demand|demands|amendment|amendments|support|"
    r"result|chosen|passed|participants|people|settings|link|next|now|done|coming|nothing|"
    r"nobody|waiting|start|remove|copy|download|approval|score|consent|block|stand|agree|"
    r"disagree|abstain|yes|rank|ranked|seats|quota|turnout|present|elected|eliminated|notes|"
    r"action|caucus|passcode|title|description|place|date|language|edit|draft|tap|drag|"
    r"receipt|recorded|secret|method|options|option|create|add|back|room|floor|list|point|"
    r"order|question|clarifying|response|left|over|seconds|gradients|runoff|transferable)\b",
    re.IGNORECASE,
)

_TEXT = """() => {
  const switches = [...document.querySelectorAll('[data-testid="language-switch"]')];
  switches.forEach((el) => (el.style.display = "none"));  // "English" is meant to be there
  const parts = [document.body.innerText];
  for (const el of document.querySelectorAll("[aria-label], [placeholder], [title], img[alt]")) {
    if (el.closest('[data-testid="language-switch"]') || !el.getClientRects().length) continue;
    for (const name of ["aria-label", "placeholder", "title", "alt"]) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  switches.forEach((el) => (el.style.display = ""));
  return parts.join("\\n");
}"""


def english_words(page: Page) -> list[str]:
    """The English words on the screen, with the line each is on (for the failure message)."""
    found = []
    for line in page.evaluate(_TEXT).splitlines():
        words = ENGLISH.findall(line)
        if words:
            found.append(f"{words} in {line.strip()!r}")
    return found


def expect_live(page: Page) -> None:
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "connected", timeout=SLOW)


def assert_spanish(page: Page, screen: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es", timeout=SLOW)
    assert english_words(page) == [], screen


def make_steer(page: Page, base: str, code: str, staff: str):
    """What the projector shows, as the console's buttons set it (PUT …/projector)."""

    def steer(body: dict) -> None:
        status = page.evaluate(
            """([url, token, body]) => fetch(url, {method: "PUT", body: JSON.stringify(body),
            headers: {"Content-Type": "application/json", Authorization: `Bearer ${token}`}})
            .then((response) => response.status)""",
            [f"{base}/api/convenings/{code}/projector", staff, body],
        )
        assert status == 200, (body, status)

    return steer


def create_round_es(console: Page, title: str, method: str, options: str) -> int:
    """The console's round form, in Spanish: create the round and open it; returns its id."""
    details = console.locator("#round-new-details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    console.get_by_label("Pregunta o título").fill(title)
    console.get_by_label("Método").select_option(method)
    console.get_by_label("Opciones, una por línea").fill(options)
    console.get_by_role("button", name="Crear la votación").click()
    console.get_by_role("button", name=f"Abrir la votación «{title}»").click()
    row = console.get_by_test_id("console-round").filter(has_text=title).first
    expect(row.get_by_test_id("round-state")).to_have_text("La votación está abierta", timeout=SLOW)
    return int(row.get_attribute("data-id"))


def send_es(phone: Page) -> None:
    """Send the ballot and wait for the server's acknowledgement."""
    phone.get_by_test_id("ballot").locator('button[type="submit"]').click()
    status = phone.locator('[data-testid="vote-status"]:not([hidden])')  # the open round's
    expect(status).to_have_attribute("data-state", "recorded", timeout=SLOW)
    expect(status).to_contain_text("Voto registrado")


def test_a_spanish_meeting_has_no_english_word(server, new_context, shoot):
    base = server.url
    landing = new_context(**ES).new_page()
    landing.goto(base + "/")
    expect(landing.get_by_role("button", name="Crear la asamblea")).to_be_visible(timeout=SLOW)
    assert_spanish(landing, "landing")

    created = api_create(
        base,
        "Asamblea regional de inquilinos del Valle del Río Grande",
        place="Salón de la Unión, McAllen",
        language="es",
    )
    code, staff = created["code"], created["facilitator_token"]
    item = api(base, f"/api/convenings/{code}/agenda", {"title": "Fondo de solidaridad"}, staff)
    api(base, f"/api/convenings/{code}/agenda/{item['id']}/start", {}, staff)

    console = new_context(**ES).new_page()
    console.goto(created["facilitator_url"])
    expect_live(console)
    expect(console.get_by_test_id("current-title")).to_have_text(
        "Fondo de solidaridad", timeout=SLOW
    )
    assert_spanish(console, "console")

    # The projector follows the convening's language, whatever its browser asks for.
    projector = new_context(viewport=PROJECTOR, locale="en-US").new_page()
    projector.goto(created["projector_url"])
    expect_live(projector)
    assert_spanish(projector, "projector during an item")

    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True, **ES).new_page()
    phone.goto(f"{base}/c/{code}")
    assert_spanish(phone, "join")
    phone.get_by_label("Tu nombre").fill("María José Peña")
    phone.get_by_role("button", name="Unirse a la reunión").click()
    expect(phone.get_by_test_id("me-name")).to_have_text("María José Peña", timeout=SLOW)
    expect_live(phone)
    phone.get_by_role("button", name="Levantar la mano").click()
    expect(phone.get_by_test_id("floor")).to_contain_text("María José Peña", timeout=SLOW)
    assert_spanish(phone, "phone during an item, on the speaker list")

    voters = [
        api(base, f"/api/convenings/{code}/participants", {"name": name})["token"]
        for name in ("Inés Ávila", "Ñusta Quispe", "Óscar Núñez")
    ]
    options = [{"label": label} for label in ("Alquiler", "Comida", "Reparaciones")]
    ranked = api(
        base,
        f"/api/convenings/{code}/rounds",
        {"title": "¿A dónde va primero el fondo?", "method": "irv", "options": options},
        staff,
    )
    api(base, f"/api/convenings/{code}/rounds/{ranked['id']}/open", {}, staff)
    expect(phone.get_by_test_id("ballot")).to_be_visible(timeout=SLOW)
    expect(projector.get_by_test_id("round-title")).to_have_text(
        "¿A dónde va primero el fondo?", timeout=SLOW
    )
    assert_spanish(phone, "ranked ballot")
    assert_spanish(projector, "projector during a round")
    ids = [option["id"] for option in ranked["options"]]
    for token, order in zip(voters, ([0, 1], [0, 2], [1, 0]), strict=True):
        api(
            base,
            f"/api/convenings/{code}/rounds/{ranked['id']}/ballots",
            {"ranking": [ids[i] for i in order]},
            token,
        )
    api(base, f"/api/convenings/{code}/rounds/{ranked['id']}/close", {}, staff)
    steer = make_steer(console, base, code, staff)
    steer({"show": "round", "round_id": ranked["id"]})
    expect(projector.get_by_test_id("projector-decision")).to_have_text(
        "Elegida: Alquiler.", timeout=SLOW
    )
    projector.wait_for_timeout(800)  # the bars' transition
    assert_spanish(projector, "projector with the result")
    shoot(projector, "es-projector-result")

    # A consent round run on screen: created and opened from the console's form, a stand-aside
    # and a block from two phones, closed from the console; the projector during the round
    # and with its result; the follow-ups the console offers after a block.
    steer({"show": "auto"})
    proposal = "Pedir una reunión con la administración del edificio"
    consent = create_round_es(console, proposal, "consent", proposal)
    expect(projector.get_by_test_id("round-title")).to_have_text(proposal, timeout=SLOW)
    expect(phone.get_by_test_id("ballot")).to_be_visible(timeout=SLOW)
    assert_spanish(phone, "consent ballot")
    phone.get_by_text("Me hago a un lado", exact=True).click()
    send_es(phone)
    second = new_context(viewport=PHONE, is_mobile=True, has_touch=True, **ES).new_page()
    second.goto(f"{base}/c/{code}")
    second.get_by_label("Tu nombre").fill("Ñandú Benítez")
    second.get_by_role("button", name="Unirse a la reunión").click()
    expect_live(second)
    second.get_by_text("Bloqueo", exact=True).click()
    send_es(second)
    for token in voters[:2]:
        api(base, f"/api/convenings/{code}/rounds/{consent}/ballots", {"choice": "agree"}, token)
    expect(projector.get_by_test_id("round-title")).to_have_text(proposal, timeout=SLOW)
    assert_spanish(projector, "projector during a consent round")
    assert_spanish(console, "console during a consent round")
    console.get_by_role("button", name=f"Cerrar la votación «{proposal}»").click()
    row = console.get_by_test_id("console-round").filter(has_text=proposal).first
    expect(row.get_by_test_id("console-decision")).to_have_text(
        f"{proposal}: no aprobada.", timeout=SLOW
    )
    expect(second.get_by_test_id("round-decision")).to_have_text(
        f"{proposal}: no aprobada.", timeout=SLOW
    )
    steer({"show": "round", "round_id": consent})
    expect(projector.get_by_test_id("projector-decision")).to_have_text(
        f"{proposal}: no aprobada.", timeout=SLOW
    )
    projector.wait_for_timeout(800)  # the bars' transition
    assert_spanish(projector, "projector with a blocked consent round")
    assert_spanish(second, "phone with a blocked consent round")
    follow = row.get_by_test_id("follow-up")
    expect(follow.get_by_role("button")).to_have_count(3, timeout=SLOW)
    assert_spanish(console, "console with a blocked consent round and its follow-ups")
    follow.get_by_role("button", name=re.compile("^Votación de respaldo")).click()
    expect(console.get_by_test_id("followed-up")).to_be_visible(timeout=SLOW)
    assert_spanish(console, "console after the follow-up")
    second.context.close()

    # A ballot of every other method, open at once on the phone.
    for title, method, extra in (
        ("Comité de vivienda", "stv", {"seats": 2}),
        ("Orden de las campañas", "schulze", {}),
        ("Lugares para la próxima asamblea", "approval", {}),
        ("Prioridades del año", "score", {}),
    ):
        body = {"title": title, "method": method, "options": options, **extra}
        made = api(base, f"/api/convenings/{code}/rounds", body, staff)
        api(base, f"/api/convenings/{code}/rounds/{made['id']}/open", {}, staff)
    for title, method in (
        ("¿Hacemos huelga de alquileres en enero?", "yes_no"),
        ("Adoptar la carta al propietario", "consent"),
        ("Cambiar el horario de las reuniones", "gradients"),
    ):
        body = {"title": title, "method": method, "options": [{"label": title}]}
        made = api(base, f"/api/convenings/{code}/rounds", body, staff)
        api(base, f"/api/convenings/{code}/rounds/{made['id']}/open", {}, staff)
    expect(phone.get_by_test_id("ballot")).to_have_count(7, timeout=SLOW)
    assert_spanish(phone, "a ballot of each method")
    shoot(phone, "es-phone-ballots", full_page=True)
    assert_spanish(console, "console with open rounds")

    minutes = console.context.new_page()
    minutes.goto(f"{base}/c/{code}/minutes")
    expect(minutes.get_by_text("Fondo de solidaridad").first).to_be_visible(timeout=SLOW)
    expect(minutes.get_by_text("Elegida: Alquiler.").first).to_be_visible(timeout=SLOW)
    assert_spanish(minutes, "minutes page")
    shoot(minutes, "es-minutes", full_page=True)
