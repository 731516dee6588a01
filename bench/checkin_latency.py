"""How long from a desk's check-in to the console showing it, at a 1,500-entry roster?

The issue's aim (issue 17): a check-in visible on the console within 500 ms. A real server
(`python -m convene serve`, gunicorn + gevent, fresh SQLite: bench/console_people.py's
Server) and headless chromium: a new convening, a 1,500-entry roster imported (bench/
roster.py's file), a credentials desk invited, accredited voting on and an approval round
open, the console (1366×768) and the projector (1920×1080) open. Then ``--checkins``
delegates' badge codes, one every ``--gap`` seconds (a desk scans about one a second; its
limit is 5 a second), are sent as the desk sends them (``POST …/checkins`` with the desk's
token), each from the console page itself, so that the send and the sight are read on one
clock (``performance.timeOrigin + performance.now()``, which the projector's page shares):

- **console**: from the request sent to the Roster card's "Checked in at the desk: N"
  showing the new count, and to the next frame after it (painted);
- **projector**: from the request sent to the round's turnout ("0 of N present have
  voted") showing the new N: with accredited voting, "present" counts the checked-in
  delegates, and the ticker sends it at its next turn, not with the check-in's event;
- **reply**: the HTTP request alone, for comparison.

Median, p95 and max in ms, and the load before and after, as JSON on stdout::

    flock /tmp/convene-bench.lock .venv/bin/python bench/checkin_latency.py --checkins 100
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.console_people import ARGS, CHROMIUM, HOST, Server, _post  # noqa: E402
from bench.roster import roster_csv  # noqa: E402

#: Marks each change of an element's text, on the clock every page of the browser shares,
#: with the frame after it.
WATCH = """(selector) => {
  const now = () => performance.timeOrigin + performance.now();
  window.__seen = [];
  const el = document.querySelector(selector);
  let last = el.textContent;
  new MutationObserver(() => {
    if (el.textContent === last) return;
    last = el.textContent;
    const mark = {text: last, at: now()};
    window.__seen.push(mark);
    requestAnimationFrame(() => { mark.painted = now(); });
  }).observe(el, {childList: true, characterData: true, subtree: true});
}"""

#: The desk's request, sent from the console page: when it went, when its reply came.
SEND = """async ({code, token, badge}) => {
  const now = () => performance.timeOrigin + performance.now();
  const sent = now();
  const reply = await fetch(`/api/convenings/${code}/checkins`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', 'Authorization': `Bearer ${token}`},
    body: JSON.stringify({code: badge}),
  });
  await reply.json();
  return {sent, replied: now(), status: reply.status};
}"""


def _request(url: str, token: str, method: str = "GET", body: dict | None = None) -> bytes:
    assert url.startswith(f"http://{HOST}:")
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as reply:  # noqa: S310 - loopback only
        return reply.read()


def _figures(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median": round(statistics.median(ordered), 1),
        "p95": round(p95, 1),
        "max": round(ordered[-1], 1),
        "n": len(ordered),
    }


def checked_in(text: str) -> int:
    """The checked-in count in "Checked in at the desk: 12 (11 who vote) of 1,500" (the
    first number) or in the turnout "0 of 12 present have voted" (the number before
    "present")."""
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]
    if "present" in text:
        found = re.search(r"([\d,]+) present", text)
        return int(found.group(1).replace(",", "")) if found else -1
    return numbers[0] if numbers else -1


def first_showing(seen: list[dict], sent: float, count: int, key: str) -> float | None:
    """ms from ``sent`` to the first change after it that shows ``count`` or more."""
    for mark in seen:
        if mark["at"] >= sent and checked_in(mark["text"]) >= count and mark.get(key):
            return mark[key] - sent
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1500, help="roster entries")
    parser.add_argument("--checkins", type=int, default=100, help="check-ins measured")
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between check-ins")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    load_before = Path("/proc/loadavg").read_text().split()[:3]
    folder = Path(tempfile.mkdtemp(prefix="convene-checkin-latency-"))
    server = Server(folder)
    try:
        created = _post(server.url + "/api/convenings", {"title": "Regional convening"})
        code, staff = created["code"], created["facilitator_token"]
        api = f"{server.url}/api/convenings/{code}"
        rows = list(csv.DictReader(io.StringIO(roster_csv(args.rows))))
        rows = [{k: v for k, v in row.items() if v} for row in rows]
        imported = json.loads(_request(f"{api}/roster", staff, "POST", {"rows": rows}))
        assert imported["added"] == args.rows, imported
        text = _request(f"{api}/roster/credentials.csv", staff).decode("utf-8").lstrip("\ufeff")
        voters = [p for p in csv.DictReader(io.StringIO(text)) if p["role"] == "delegate"]
        desk = json.loads(_request(f"{api}/invitations", staff, "POST", {"role": "desk"}))
        _request(api, staff, "PATCH", {"accredited_voting": True})
        options = [{"label": "Rent"}, {"label": "Transit"}, {"label": "Schools"}]
        round_ = json.loads(
            _request(
                f"{api}/rounds",
                staff,
                "POST",
                {"title": "Which campaign first?", "method": "approval", "options": options},
            )
        )
        _request(f"{api}/rounds/{round_['id']}/open", staff, "POST", {})

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            console = browser.new_page(viewport={"width": 1366, "height": 768})
            console.set_default_timeout(60_000)
            console.goto(created["facilitator_url"])
            console.wait_for_selector("#conn-status[data-state='connected']")
            console.wait_for_function(
                "document.querySelector('[data-testid=checkins-count]').textContent.includes('of')"
            )
            projector = browser.new_page(viewport={"width": 1920, "height": 1080})
            projector.set_default_timeout(60_000)
            projector.goto(created["projector_url"])
            projector.wait_for_selector("#conn-status[data-state='connected']")
            projector.wait_for_function(
                "document.querySelector('[data-testid=projector-turnout]')"
                "?.textContent.includes('present')"
            )
            console.evaluate(WATCH, "[data-testid=checkins-count]")
            projector.evaluate(WATCH, "[data-testid=projector-turnout]")
            sends = []
            for person in voters[: args.checkins]:
                badge = {"code": code, "token": desk["token"], "badge": person["code"]}
                sends.append(console.evaluate(SEND, badge))
                time.sleep(args.gap)
            time.sleep(3)  # the ticker's last turn
            seen_console = console.evaluate("window.__seen")
            seen_projector = projector.evaluate("window.__seen")
            browser.close()

        refused = [s for s in sends if s["status"] != 200]
        assert not refused, refused
        figures: dict[str, list[float]] = {"reply": [], "shown": [], "painted": [], "turnout": []}
        for count, sent in enumerate(sends, start=1):
            figures["reply"].append(sent["replied"] - sent["sent"])
            for name, seen, key in (
                ("shown", seen_console, "at"),
                ("painted", seen_console, "painted"),
                ("turnout", seen_projector, "at"),
            ):
                value = first_showing(seen, sent["sent"], count, key)
                if value is not None:
                    figures[name].append(value)
        result = {
            "rows": args.rows,
            "checkins": len(sends),
            "gap_s": args.gap,
            "reply_ms": _figures(figures["reply"]),
            "console_shown_ms": _figures(figures["shown"]),
            "console_painted_ms": _figures(figures["painted"]),
            "projector_turnout_ms": _figures(figures["turnout"]) if figures["turnout"] else None,
            "load_before": load_before,
            "load_after": Path("/proc/loadavg").read_text().split()[:3],
        }
        print(json.dumps(result, indent=2))
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
