"""A Spanish-speaking chapter's meeting in the browser (locale es-ES): landing, join, the phone
during an item, the speaker list, a ballot of each method, the projector of a Spanish
convening during a round and its result, the console and the minutes page. Every screen's
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
    show = {"show": "round", "round_id": ranked["id"]}
    console.evaluate(
        """([url, token, body]) => fetch(url, {method: "PUT", body: JSON.stringify(body),
        headers: {"Content-Type": "application/json", Authorization: `Bearer ${token}`}})""",
        [f"{base}/api/convenings/{code}/projector", staff, show],
    )
    expect(projector.get_by_test_id("projector-decision")).to_have_text(
        "Elegida: Alquiler.", timeout=SLOW
    )
    projector.wait_for_timeout(800)  # the bars' transition
    assert_spanish(projector, "projector with the result")
    shoot(projector, "es-projector-result")

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
