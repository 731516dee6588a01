"""The projector fits anything: every view, at 1920×1080, 1280×720 and 1024×768, with real
content (tests/data/projector_content.json: sentence-long option labels, 60-character names
with diacritics, a 2,000-character demand, a 10-person queue, 32 STV candidates), shows every
text whole (tests/e2e/fit.py), and keeps the result's headline on screen.

One server, one browser page: the meeting is built through the API, the facilitator puts
each view on the projector (PUT /projector), and the page is resized in place.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import axe_violations
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.fit import settled_problems
from tests.e2e.flows import api_create, expect_live, phone_context

pytestmark = pytest.mark.browser

CONTENT = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "projector_content.json").read_text()
)
SIZES = [(1920, 1080), (1280, 720), (1024, 768)]
#: The STV count of the fixture's ballots (tests/data/projector_content.json) has this many rounds.
STV_ROUNDS = 30
#: The smallest text on the projector, as a share of the screen height (docs/using-convene.md).
MIN_TEXT_SHARE = 0.02
#: FIT_SHOTS=1 saves every state at every size in test-artifacts/fit/, to look at.
SHOTS = ARTIFACTS / "fit" if os.environ.get("FIT_SHOTS") else None
#: How long the projector shows each round of a count (static/js/rounds.js STORY_STEP_MS).
STORY_STEP_MS = 2500


class Api:
    def __init__(self, base: str, code: str) -> None:
        assert base.startswith("http://127.0.0.1:")
        self.base = base
        self.code = code

    def __call__(self, method: str, path: str, body: dict | None = None, token: str = ""):
        request = urllib.request.Request(  # noqa: S310 - the test server on localhost
            f"{self.base}/api/convenings/{self.code}{path}",
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                raw = response.read()
                return json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: {error.code} {error.read()[:300]!r}") from None


def build_meeting(base: str) -> tuple[Api, dict, dict]:
    """The regional convening of the fixture, with every kind of round already counted."""
    created = api_create(base, CONTENT["convening_title"], place="Centro Cultural Peñalolén")
    api = Api(base, created["code"])
    boss = created["facilitator_token"]
    items = [
        api(
            "POST",
            "/agenda",
            {"title": i["title"], "notes": i["notes"], "timebox_minutes": i["minutes"]},
            boss,
        )
        for i in CONTENT["items"]
    ]
    people = [
        api("POST", "/participants", {"name": name, "caucus": "Región Metropolitana"})["token"]
        for name in CONTENT["names"]
    ]
    people += [
        api("POST", "/participants", {"name": f"Delegada {n} de la Asamblea de Ñuñoa"})["token"]
        for n in range(13, 41)
    ]
    return api, created, {"boss": boss, "people": people, "items": items}


def vote_ranked(api: Api, round_: dict, people: list[str], seed: int, boss: str) -> None:
    """Every person ranks a few options, some more popular than others."""
    ids = [o["id"] for o in round_["options"]]
    rng = random.Random(seed)
    weights = [len(ids) - i // 2 for i in range(len(ids))]
    for token in people:
        ranking: list[int] = []
        while len(ranking) < rng.randint(3, 6):
            pick = rng.choices(ids, weights)[0]
            if pick not in ranking:
                ranking.append(pick)
        api("POST", f"/rounds/{round_['id']}/ballots", {"ranking": ranking}, token)


def new_round(api: Api, boss: str, item: dict, **fields) -> dict:
    round_ = api("POST", "/rounds", {"agenda_item_id": item["id"], "secret": True, **fields}, boss)
    api("POST", f"/rounds/{round_['id']}/open", {}, boss)
    return round_


def close(api: Api, boss: str, round_: dict) -> None:
    api("POST", f"/rounds/{round_['id']}/close", {}, boss)


def check_fits(page: Page, state: str, headline: str | None = None, axe: bool = True) -> None:
    """At every size: nothing cut off, nothing too small, the headline (if any) on screen;
    and nothing axe-core finds (at the first size)."""
    problems = []
    if axe:
        page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
        problems += [f"{state}: axe {v}" for v in axe_violations(page)]
    for width, height in SIZES:
        expect_resize(page, width, height)
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function("() => window.resized && !document.querySelector('[data-fitting]')")
        problems += fit_problems(page, state, width, height, headline)
    assert not problems, "\n".join(problems)


def expect_resize(page: Page, width: int, height: int) -> None:
    """Set ``window.resized`` once the page has had its resize event for ``width``×``height``
    (at once if it is that size already). Waiting on the size alone raced the re-fit: the
    window had its new size a moment before the resize event that marks the re-fit pending."""
    page.evaluate(
        "([w, h]) => { window.resized = innerWidth === w && innerHeight === h;"
        " addEventListener('resize', () => { window.resized = true; }, { once: true }); }",
        [width, height],
    )


def fit_problems(
    page: Page, state: str, width: int, height: int, headline: str | None = None
) -> list[str]:
    """What is cut off, too small or missing (the headline) on the page as it is now."""
    where = f"{state} at {width}×{height}"
    seen = settled_problems(page, MIN_TEXT_SHARE * height, headline)
    found = [f"{where}: {p}" for p in seen["cut"]]
    found += [f"{where}: too small {p}" for p in seen["small"]]
    if headline:
        box = seen["headline"]
        if not box or box["y"] < 0 or box["y"] + box["height"] > height:
            found.append(f"{where}: the headline ({headline}) is not on screen")
    name = re.sub(r"\W+", "-", state).strip("-")
    if found:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"projector-fit-{name}-{width}.png"))
    elif SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}x{height}.png"))
    return found


def check_every_round_of_the_story(new_context, url: str, round_: dict, rounds: int) -> None:
    """A count told round by round (one round every STORY_STEP_MS): every round of it fits
    every screen. The page's clock is paused and moved on by hand, one round at a time."""
    context = new_context(viewport={"width": 1920, "height": 1080}, reduced_motion="reduce")
    context.clock.install()
    page = context.new_page()
    page.goto(url)  # the projector's link lets this browser in, then the pinned view
    page.clock.pause_at(page.evaluate("Date.now()") + 100)
    page.goto(page.url.split("?")[0] + f"?show=round&round_id={round_['id']}")
    story = page.get_by_test_id("story-round")
    for _ in range(300):  # the page's timers run only when the clock is moved on
        page.clock.run_for(20)
        if story.count() and story.text_content() == f"Round 1 of {rounds}":
            break
        time.sleep(0.1)
    expect_live(page)
    problems = []
    for number in range(1, rounds + 1):
        assert story.text_content() == f"Round {number} of {rounds}"
        started = page.evaluate("Date.now()")
        for width, height in SIZES:
            expect_resize(page, width, height)
            page.set_viewport_size({"width": width, "height": height})
            for _ in range(100):  # the resize, then its re-fit (requestAnimationFrame)
                page.clock.run_for(50)
                if page.evaluate("resized && !document.querySelector('[data-fitting]')"):
                    break
                time.sleep(0.05)
            else:
                raise AssertionError(f"the projector did not re-fit at {width}×{height}")
            state = f"STV round {number} of {rounds}"
            problems += fit_problems(page, state, width, height, "projector-decision")
        spent = page.evaluate("Date.now()") - started
        assert spent < STORY_STEP_MS
        page.clock.run_for(STORY_STEP_MS - spent)
    assert not problems, "\n".join(problems)
    context.close()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_every_projector_view_fits_every_screen(server, new_context):
    api, created, who = build_meeting(server.url)
    boss, people, items = who["boss"], who["people"], who["items"]
    # Reduced motion: no fade between pages while axe-core measures the contrast.
    page = new_context(viewport={"width": 1920, "height": 1080}, reduced_motion="reduce").new_page()
    page.goto(created["projector_url"])
    expect_live(page)

    check_fits(page, "before the meeting")

    # The item with its notes, a speaker and a queue of ten, demands with an amendment.
    housing = items[0]
    api("POST", f"/agenda/{housing['id']}/start", {}, boss)
    for token in people[:11]:
        api("POST", "/queue", {}, token)
    api("POST", "/queue/next", {}, boss)
    demand = api(
        "POST",
        "/demands",
        {"agenda_item_id": housing["id"], **CONTENT["demand"]},
        people[0],
    )
    for n, token in enumerate(people[1:4]):
        api(
            "POST",
            "/demands",
            {
                "agenda_item_id": housing["id"],
                "title": f"{CONTENT['options'][n]}",
                "body": CONTENT["options"][n + 3],
            },
            token,
        )
    api("POST", f"/demands/{demand['id']}/open", {}, boss)
    a = CONTENT["amendment"]
    api(
        "POST",
        f"/demands/{demand['id']}/amendments",
        {"passage": a["from"], "body": a["to"], "rationale": a["rationale"]},
        people[1],
    )
    expect(page.get_by_test_id("projector-spotlight")).to_be_visible()
    expect(page.get_by_test_id("queue-entry")).to_have_count(10)
    check_fits(page, "item, floor and demand with an amendment")

    # A live ranked round with twelve sentence-long options.
    irv = new_round(
        api,
        boss,
        housing,
        title="Which campaign first? Rank the twelve proposals the chapters sent",
        method="irv",
        options=[{"label": o} for o in CONTENT["options"]],
        live_results=True,
    )
    vote_ranked(api, irv, people, 1, boss)
    expect(page.get_by_test_id("projector-turnout")).to_contain_text("40")
    check_fits(page, "IRV live")
    close(api, boss, irv)
    expect(page.get_by_test_id("projector-decision")).to_be_visible()
    check_fits(page, "IRV result", headline="projector-decision")

    # Every other method, counted; the facilitator puts each result on the projector.
    elect = items[1]
    stv = new_round(
        api,
        boss,
        elect,
        title="Coordinating committee: seven seats",
        method="stv",
        seats=7,
        options=[{"label": c} for c in CONTENT["candidates"]],
    )
    # The fixture's ballots: counted for seven seats, thirty rounds whatever the lot decides
    # (tests/unit/test_projector_content.py).
    candidates = [o["id"] for o in stv["options"]]
    for token, picks in zip(people, CONTENT["stv_ballots"], strict=True):
        ranking = [candidates[i] for i in picks]
        api("POST", f"/rounds/{stv['id']}/ballots", {"ranking": ranking}, token)
    close(api, boss, stv)
    stv_rounds = len(api("GET", f"/rounds/{stv['id']}", token=boss)["result"]["rounds"])
    assert stv_rounds == STV_ROUNDS
    rounds = [("STV result", stv, "projector-decision")]
    campaign = items[2]
    for method, extra in (("approval", {}), ("score", {}), ("schulze", {})):
        r = new_round(
            api,
            boss,
            campaign,
            title=f"Campaign of the year ({method}): which of the twelve proposals?",
            method=method,
            options=[{"label": o} for o in CONTENT["options"]],
            **extra,
        )
        rng = random.Random(method)
        for token in people:
            ids = [o["id"] for o in r["options"]]
            if method == "approval":
                ballot = {"approve": rng.sample(ids, rng.randint(1, 5))}
            elif method == "score":
                ballot = {"scores": {str(i): rng.randint(0, 5) for i in ids}}
            else:
                ballot = {"ranking": rng.sample(ids, rng.randint(2, 8))}
            api("POST", f"/rounds/{r['id']}/ballots", ballot, token)
        close(api, boss, r)
        rounds.append((f"{method} result", r, "projector-decision"))
    for method, choices in (
        ("yes_no", ["no", "yes", "no"]),
        ("consent", ["agree", "block", "stand_aside"]),
        ("gradients", [1, 2, 5]),
    ):
        r = new_round(
            api,
            boss,
            campaign,
            title=f"Adopt the demand ({method})",
            method=method,
            options=[{"label": CONTENT["demand"]["title"]}],
        )
        for n, token in enumerate(people):
            api("POST", f"/rounds/{r['id']}/ballots", {"choice": choices[n % 3]}, token)
        close(api, boss, r)
        rounds.append((f"{method} result", r, "verdict"))

    def show(body: dict) -> None:
        api("PUT", "/projector", body, boss)

    for state, round_, headline in rounds:
        show({"show": "round", "round_id": round_["id"]})
        expect(page.get_by_test_id("round-title")).to_have_text(round_["title"])
        check_fits(page, state, headline=headline)
    # A result that did not pass looks like a failure.
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-passed", "false")
    # Every round of the STV count, on a link pinned to it.
    check_every_round_of_the_story(new_context, created["projector_url"], stv, STV_ROUNDS)

    show({"show": "agenda"})
    expect(page.get_by_test_id("projector-agenda-item")).to_have_count(len(items))
    check_fits(page, "agenda")
    show({"show": "demand", "demand_id": demand["id"]})
    expect(page.get_by_test_id("projector-demand-title")).to_have_text(CONTENT["demand"]["title"])
    # its text is read when shown (and may be on the second page: not necessarily visible)
    expect(page.get_by_test_id("demand-body")).to_contain_text("Housing is a right, not a")
    check_fits(page, "one demand")
    # The author accepts the amendment: the new version, whole, beside the floor; and alone.
    [amendment] = api("GET", f"/demands/{demand['id']}", token=boss)["amendments"]
    api("POST", f"/amendments/{amendment['id']}/accept", {}, people[0])
    expect(page.get_by_test_id("projector-spotlight")).to_be_hidden()
    check_fits(page, "one demand, the new version")
    show({"show": "auto"})
    expect(page.get_by_test_id("projector-spotlight")).to_have_attribute("data-status", "adopted")
    check_fits(page, "item, floor and the adopted new version")
    # The 2,007 characters in one paragraph: paged, never smaller than the minimum.
    one = api(
        "POST",
        "/demands",
        {
            "agenda_item_id": housing["id"],
            "title": "The same demand, in one paragraph",
            "body": CONTENT["demand"]["body"].replace("\n\n", " "),
        },
        people[5],
    )
    api("POST", f"/demands/{one['id']}/open", {}, boss)
    show({"show": "demand", "demand_id": one["id"]})
    expect(page.get_by_test_id("projector-demand-title")).to_have_text(one["title"])
    check_fits(page, "one demand in one paragraph")
    show({"show": "floor"})
    expect(page.get_by_test_id("speaker-name")).to_be_visible()
    expect(page.get_by_test_id("projector-demands")).to_be_hidden()
    check_fits(page, "the floor")
    show({"show": "join"})
    expect(page.get_by_test_id("projector-code")).to_be_visible()
    check_fits(page, "how to join")

    # A projector that reconnects (reloads) keeps the choice; a second link pinned to the
    # floor does not follow it; a participant cannot steer the projector.
    page.reload()
    expect_live(page)
    expect(page.locator("#live")).to_have_attribute("data-mode", "join")
    pinned = page.context.new_page()
    pinned.goto(page.url.split("?")[0] + "?show=floor")
    expect_live(pinned)
    expect(pinned.locator("#live")).to_have_attribute("data-mode", "item")
    expect(pinned.get_by_test_id("speaker-name")).to_be_visible()
    with pytest.raises(AssertionError, match="403"):
        api("PUT", "/projector", {"show": "agenda"}, people[0])
    expect(page.locator("#live")).to_have_attribute("data-mode", "join")
    show({"show": "auto"})
    expect(page.locator("#live")).not_to_have_attribute("data-mode", "join")

    # The console and a phone with all of it, through axe-core too.
    console = new_context().new_page()
    console.goto(created["facilitator_url"])
    # A big meeting's first snapshot on a shared machine: more than the default 5 s at times.
    expect(console.locator("#conn-status")).to_have_attribute(
        "data-state", "connected", timeout=30_000
    )
    expect(console.get_by_test_id("console-round")).to_have_count(len(rounds) + 1)
    found = axe_violations(console)
    assert not found, "\n".join(found)
    phone = phone_context(new_context).new_page()
    phone.goto(f"{server.url}/c/{api.code}")
    phone.get_by_label("Your name").fill("Zoë Ødegård")
    phone.get_by_role("button", name="Join the meeting").click()
    expect(phone.get_by_test_id("me-name")).to_have_text("Zoë Ødegård", timeout=30_000)
    expect(phone.get_by_test_id("round").first).to_be_visible()
    found = axe_violations(phone)
    assert not found, "\n".join(found)
