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

from convene.services.sealing import ANONYMITY
from tests.e2e.a11y import axe_violations
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.fit import CHECKS, settled_problems
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
#: How long the projector shows a round of a count that fits one page, and each page of one
#: that does not (static/js/rounds-projector.js STORY_STEP_MS, STORY_PAGE_MS).
STORY_STEP_MS = 2500
STORY_PAGE_MS = 4000
#: How long any other page stays (static/js/fit.js PAGE_MS).
PAGE_MS = 8000


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


def expect_live_count(page: Page, round_: dict, voted: int = 40) -> None:
    """The open round on the projector: its title, the turnout of ``voted`` people, and the
    live count of all its ballots but the last few (a secret round's ballots are opened in
    batches of at least ANONYMITY, so none can be told apart: fewer than twice that many wait
    for the close, and the count moves no more)."""
    expect(page.get_by_test_id("round-title")).to_have_text(round_["title"])
    expect(page.get_by_test_id("projector-turnout")).to_contain_text(
        re.compile(rf"^{voted} of \d+ present have voted")
    )
    page.wait_for_function(
        """([id, least]) => {
            const r = window.convene.state.rounds.find((x) => x.id === id);
            const total = r && r.tally && r.tally.result.total;
            return (typeof total === "object" ? total.float : total) >= least;
        }""",
        arg=[round_["id"], voted - 2 * ANONYMITY + 1],
    )
    rows = {"yes_no": 3, "consent": 3, "gradients": 5}.get(round_["method"], len(round_["options"]))
    expect(page.get_by_test_id("projector-bars").get_by_test_id("tally-row")).to_have_count(rows)


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
    page: Page,
    state: str,
    width: int,
    height: int,
    headline: str | None = None,
    seen: list[str] | None = None,
) -> list[str]:
    """What is cut off, too small or missing (the headline) on the page as it is now; or
    ``seen``, the same found by the caller."""
    where = f"{state} at {width}×{height}"
    if seen is None:
        settled = settled_problems(page, MIN_TEXT_SHARE * height, headline)
        seen = settled["cut"] + [f"too small {p}" for p in settled["small"]]
        box = settled["headline"]
        if headline and (not box or box["y"] < 0 or box["y"] + box["height"] > height):
            seen.append(f"the headline ({headline}) is not on screen")
    found = [f"{where}: {p}" for p in seen]
    name = re.sub(r"\W+", "-", state).strip("-")
    if found:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"projector-fit-{name}-{width}.png"))
    elif SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}x{height}.png"))
    return found


def news_of(result: dict, options: list[dict]) -> list[set[str]]:
    """For each round of a count, the options whose row on the projector is news: its votes
    or its mark (elected, eliminated) changed since the round before; every option still in
    the count in the first round. An option out of the count (eliminated before) is not."""

    def value(number) -> float:
        return float(number["float"] if isinstance(number, dict) else number)

    news, before, out, elected = [], None, set(), set()
    for r in result["rounds"]:
        now_elected = {str(i) for i in r.get("elected") or []}
        now_out = {str(i) for i in r.get("eliminated") or []}
        elected |= now_elected
        rows = {}
        for option in options:
            key = str(option["id"])
            mark = "elected" if key in elected else "eliminated" if key in now_out else None
            if mark is None and (key in out or key not in r["tallies"]):
                continue  # out of the count
            rows[key] = (value(r["tallies"].get(key, 0)), mark)
        news.append({k for k, row in rows.items() if before is None or before.get(k) != row})
        before, out = rows, out | now_out
    return news


class PageClock:
    """The page's clock, paused and moved on by hand: its time is known here, no call needed.
    A jump (fast_forward) fires what falls due once; a short run (run_for) plays every timer
    and animation frame on the way, so what a timer changed is fitted by its end."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.now = page.evaluate("Date.now()")

    def run_to(self, when: int) -> None:
        if when > self.now:
            self.page.clock.fast_forward(when - self.now)
            self.now = when

    def run_for(self, ms: int) -> None:
        self.page.clock.run_for(ms)
        self.now += ms


STORY_STATE = f"""(minPx) => {{
    const region = document.getElementById("projector-round");
    const rows = [...region.querySelectorAll("[data-testid=tally-row]")];
    // what the round says: its ties broken and its sentence (or the sentence's parts, when
    // it is paged by them)
    const said = region.querySelectorAll("[data-testid=tie-note], [data-testid=story-explanation]");
    const notes = [...said].filter((note) => !note.closest("[hidden]")).flatMap((note) => {{
        const parts = [...note.querySelectorAll("[data-page-part]")];
        return parts.length ? parts : [note];
    }});
    const checks = {CHECKS};
    const decision = document.querySelector("[data-testid=projector-decision]");
    const headline = decision.getBoundingClientRect();
    return {{
        fitting: Boolean(document.querySelector("[data-fitting]")),
        round: region.querySelector("[data-testid=story-round]").textContent,
        page: Number(region.dataset.page),
        pages: Number(region.dataset.pages),
        rows: rows.filter((row) => row.checkVisibility()).map((row) => row.dataset.key),
        notes: notes.filter((note) => note.checkVisibility()).map((note) => notes.indexOf(note)),
        all_notes: notes.length,
        // with minPx: what is cut off or too small, and whether the headline is on screen
        problems: minPx === null ? [] : [
            ...checks.cutOff(1),
            ...checks.tooSmall(minPx).map((p) => `too small ${{p}}`),
            ...(headline.height && headline.top >= 0 && headline.bottom <= innerHeight
                ? [] : ["the headline (projector-decision) is not on screen"]),
        ],
    }};
}}"""


def story_state(
    page: Page, clock: PageClock, fitted: bool = True, height: int | None = None
) -> dict:
    """The round, page and rows the story shows; ``fitted``: once the page has fitted what
    changed (the clock moved on in frames: a countdown elsewhere re-fits every second); with
    the screen's ``height``, its "problems" too (fit_problems: one call for both)."""
    min_px = MIN_TEXT_SHARE * height if height else None
    for _ in range(20):
        state = page.evaluate(STORY_STATE, min_px)
        if min_px is None:
            del state["problems"]
        if not state.pop("fitting") or not fitted:
            return state
        clock.run_for(16)
    raise AssertionError("the projector did not fit its regions")


def check_every_round_of_the_story(new_context, url: str, round_: dict) -> dict:
    """A count told round by round, at every size, on the page's clock: every page shown fits
    the screen; a round with one page to show stays STORY_STEP_MS, a round with more stays
    STORY_PAGE_MS on each: its first page, then each page with news (a bar that moved,
    someone elected or eliminated in that round, the rest of what the round says), so every
    row that is news in a round, and all the round says, is on the screen in that round, and
    no page without news is; the last round (the result) then stays, all its pages turning
    every PAGE_MS. Returns, for each size, how many pages the
    story showed before the result and how long that took (ms)."""
    result = round_["result"]
    rounds = len(result["rounds"])
    news = news_of(result, round_["options"])
    context = new_context(viewport={"width": 1920, "height": 1080}, reduced_motion="reduce")
    context.clock.install()
    page = context.new_page()
    page.goto(url)  # the projector's link lets this browser in, then the pinned view
    page.clock.pause_at(page.evaluate("Date.now()") + 100)
    pinned = page.url.split("?")[0] + f"?show=round&round_id={round_['id']}"
    story = page.get_by_test_id("story-round")
    problems, told = [], {}
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(pinned)
        for _ in range(300):  # the page's timers run only when the clock is moved on
            page.clock.run_for(20)
            if story.count() and story.text_content() == f"Round 1 of {rounds}":
                break
            time.sleep(0.1)
        expect_live(page)
        clock = PageClock(page)
        shown = start = clock.now  # when what is on the screen came (within 20 ms)
        now = story_state(page, clock, height=height)
        number, seen, heard, pages = 1, set(), set(), 0
        while number < rounds:
            where = f"at {width}×{height}, round {number}, page {now['page']} of {now['pages']}"
            assert now["round"] == f"Round {number} of {rounds}", where
            new = news[number - 1] & set(now["rows"]) or set(now["notes"]) - heard
            assert now["page"] == 1 or new, f"{where}: nothing new"
            seen |= set(now["rows"])
            heard |= set(now["notes"])
            pages += 1
            state = f"STV round {number} of {rounds} page {now['page']}"
            problems += fit_problems(page, state, width, height, seen=now.pop("problems"))
            # A first page stays STORY_STEP_MS when it is all the round has to show, else (as
            # every other page) STORY_PAGE_MS; then the next page with news, or the next round.
            stay = STORY_STEP_MS
            if now["page"] > 1 or not news[number - 1] <= seen or len(heard) < now["all_notes"]:
                stay = STORY_PAGE_MS
            clock.run_to(shown + stay - 50)
            still = story_state(page, clock, fitted=False)
            assert still == now, f"{where}: moved on before {stay} ms"
            clock.run_for(100)  # its time is up: the next page or round, fitted
            shown += stay
            after = story_state(page, clock, height=height)
            if after["round"] != now["round"]:
                missing = news[number - 1] - seen
                assert not missing, f"{where}: news never on the screen: {sorted(missing)}"
                assert len(heard) == now["all_notes"], f"{where}: not all the round says shown"
                assert after["page"] == 1, where
                number, seen, heard = number + 1, set(), set()
            else:
                assert after["page"] > now["page"], f"{where}: then page {after['page']}"
            now = after
        told[f"{width}×{height}"] = (pages, shown - start)
        # The last round, the result: every page in turn, PAGE_MS each, then the first again.
        for n in range(1, now["pages"] + 1):
            where = f"at {width}×{height}, the last round, page {n} of {now['pages']}"
            assert now["round"] == f"Round {rounds} of {rounds}", where
            assert now["page"] == n, where
            state = f"STV round {rounds} of {rounds} page {n}"
            problems += fit_problems(page, state, width, height, seen=now.pop("problems"))
            stay = PAGE_MS if now["pages"] > 1 else STORY_STEP_MS
            clock.run_to(shown + stay - 50)
            still = story_state(page, clock, fitted=False)
            assert still == now, f"{where}: moved on before {stay} ms"
            clock.run_for(100)
            shown += stay
            now = story_state(page, clock, height=height)
        assert now["round"] == f"Round {rounds} of {rounds}"
        assert now["page"] == 1, now
        assert page.evaluate("Date.now()") == clock.now
    assert not problems, "\n".join(problems)
    context.close()
    return told


# Every state, every page of two told counts, at three sizes: 68-96 s on a quiet machine, over
# the suite's 300 s per-test limit in a clean-clone run at load 12-24.
@pytest.mark.timeout(900)
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

    # A live ranked round with twelve sentence-long options, whose count meets a tie that
    # only a lot drawn in the room breaks (tie-break "room"): at the close it pauses.
    irv = new_round(
        api,
        boss,
        housing,
        title="Which campaign first? Rank the twelve proposals the chapters sent",
        method="irv",
        options=[{"label": o} for o in CONTENT["options"]],
        live_results=True,
        tie_break="room",
    )
    vote_ranked(api, irv, people, 1, boss)
    expect_live_count(page, irv)
    check_fits(page, "IRV live")
    close(api, boss, irv)
    expect(page.get_by_test_id("round-state")).to_contain_text("a lot is drawn in the room")
    paused = api("GET", f"/rounds/{irv['id']}", token=boss)
    assert paused["state"] == "paused"
    names = [o["label"] for o in irv["options"] if o["id"] in paused["pending_lot"]["pool"]]
    assert len(names) >= 3
    expect(page.get_by_test_id("lot-option")).to_have_text(names)
    check_fits(page, "IRV paused for a lot")
    # The lots drawn in the room (the first of the tied, each time): then the result.
    while paused["state"] == "paused":
        paused = api(
            "POST",
            f"/rounds/{irv['id']}/lot",
            {"option_id": paused["pending_lot"]["pool"][0]},
            boss,
        )
    expect(page.get_by_test_id("projector-decision")).to_be_visible()
    check_fits(page, "IRV result", headline="projector-decision")

    # Every other method, live while people vote, then counted; the facilitator puts each
    # result on the projector.
    elect = items[1]
    stv = new_round(
        api,
        boss,
        elect,
        title="Coordinating committee: seven seats",
        method="stv",
        seats=7,
        options=[{"label": c} for c in CONTENT["candidates"]],
        live_results=True,
    )
    # The fixture's ballots: counted for seven seats, thirty rounds whatever the lot decides
    # (tests/unit/test_projector_content.py).
    candidates = [o["id"] for o in stv["options"]]
    for token, picks in zip(people, CONTENT["stv_ballots"], strict=True):
        ranking = [candidates[i] for i in picks]
        api("POST", f"/rounds/{stv['id']}/ballots", {"ranking": ranking}, token)
    expect_live_count(page, stv)
    check_fits(page, "STV live", axe=False)
    close(api, boss, stv)
    stv = api("GET", f"/rounds/{stv['id']}", token=boss)
    assert len(stv["result"]["rounds"]) == STV_ROUNDS
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
            live_results=True,
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
        expect_live_count(page, r)
        check_fits(page, f"{method} live", axe=False)
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
            live_results=True,
        )
        for n, token in enumerate(people):
            api("POST", f"/rounds/{r['id']}/ballots", {"choice": choices[n % 3]}, token)
        expect_live_count(page, r)
        check_fits(page, f"{method} live", axe=False)
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
    check_every_round_of_the_story(new_context, created["projector_url"], stv)

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
