"""How long does importing a roster take, at 1,500 and 5,000 people?

    flock /tmp/convene-bench.lock .venv/bin/python bench/roster.py [--rows 1500 5000]
        [--repeat 3] [--database-url URL] [--profile]

In process, on a fresh SQLite database (or ``--database-url``, e.g. an empty PostgreSQL
database), with the code of this checkout. A roster in the style of
tests/data/roster_300.csv (names with diacritics, some typed decomposed; sentence-long
delegations; external ids; contacts), as CSV text. For each size, ``--repeat`` times on a new
convening each, through the service (``run_command(..., "roster.import", {"csv": ...})``:
schema, parsing, checks, the plan, the writes, the event) and through the HTTP route (Flask's
test client: the request, decoding the body, the reply's JSON too):

- **preview**: ``dry_run`` of the file on the empty roster (what the console asks first);
- **fresh**: the import itself, everyone added;
- **re-import, unchanged**: the same file again (everyone matched by external id);
- **re-import, 10% changed**: every tenth person's vote weight changed (updated).

Prints the median wall time (and CPU, process time) of each in ms, and the load before and
after. ``--profile`` prints the top of a cProfile of one fresh import of the largest size.

``--browser`` measures the console instead, as the facilitator sees it: a real server
(`python -m convene serve`, gunicorn + gevent, fresh SQLite: bench/console_people.py's) and
headless chromium at 1366×768 open the console of a new convening, ``--repeat`` times per
size; **preview**: from the file input's change to the preview drawn and the next frame
(reading the file, the dry run over HTTP, the figures and the first page of rows);
**import**: from pressing Confirm to the result drawn and the next frame.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import pstats
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST = [
    "María José", "Zoë", "Nguyễn Thị", "Łukasz", "Ana-Sofía", "Çağrı", "François", "Søren",
    "Mónica", "José Ángel", "Björn", "Renée", "Dvořák", "Ñandú", "Gülşen", "Iñaki", "Chloë",
    "Sinéad", "Aoife", "Bartholomäus", "Zoltán", "Kateřina", "Đorđe", "Anaïs", "Jürgen",
]  # fmt: skip
LAST = [
    "Núñez", "Ødegård", "Hương", "Wróbel", "O'Connor", "Öztürk", "Lefèvre", "Kierkegård",
    "Peña", "García-Márquez", "Ström", "Dubois", "Černý", "Ibáñez", "Şahin", "Etxeberria",
    "Brontë", "Ní Bhriain", "Müller", "Kovács", "Nováková", "Đoković", "Benoît", "Weiß",
]  # fmt: skip
PLACES = [
    "the Lower East Side, Chinatown and the Two Bridges neighbourhood",
    "Ciudad Nezahualcóyotl y los municipios del oriente del Estado de México",
    "the Greater Manchester and Salford tenants' and residents' associations",
    "São Paulo, Guarulhos, Osasco e os bairros da zona leste da região metropolitana",
    "the Île-de-France railway workers who organised the winter strikes together",
    "Kraków, Nowa Huta and the villages along the Vistula south of the city",
]


def roster_csv(count: int, changed_every: int = 0) -> str:
    """``count`` people as a CSV roster; ``changed_every``: every n-th one's weight differs."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "delegation", "role", "vote_weight", "external_id", "contact"])
    for i in range(count):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
        if i % 10 == 3:
            name = unicodedata.normalize("NFD", name)
        delegation = (
            f"The Chapter of {PLACES[(i // 10) % len(PLACES)]}, Local {100 + (i // 10) % 30}, "
            "as elected at its general assembly of spring 2026"
        )[:200]
        role = "observer" if i % 20 == 19 else "alternate" if i % 7 == 6 else "delegate"
        weight = 1 + i % 5
        if changed_every and i % changed_every == 0:
            weight += 1
        contact = f"person{i + 1}@chapters.example.org"
        writer.writerow([name, delegation, role, weight, f"D-{i + 1:05d}", contact])
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[1500, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--browser", action="store_true", help="time the console's card")
    args = parser.parse_args()
    if args.browser:
        browser_bench(args.rows, args.repeat)
        return

    from convene.app import create_app
    from convene.services.commands import run_command
    from convene.services.convenings import create_convening
    from convene.store.migrate import upgrade

    folder = tempfile.mkdtemp(prefix="convene-roster-")
    database_url = args.database_url or f"sqlite:///{folder}/bench.db"
    app = create_app(
        {
            "INSTANCE_PATH": folder,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    upgrade(app.extensions["convene.engine"])
    services = app.extensions["convene"]
    client = app.test_client()

    def by_service(token: str, code: str, text: str, dry_run: bool) -> dict:
        payload: dict = {"csv": text}
        if dry_run:
            payload["dry_run"] = True
        return run_command(services, token, "roster.import", payload, code=code)

    def by_http(token: str, code: str, text: str, dry_run: bool) -> dict:
        response = client.post(
            f"/api/convenings/{code}/roster" + ("?dry_run=true" if dry_run else ""),
            data=text.encode(),
            content_type="text/csv",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        return response.get_json()

    def timed(call, *call_args) -> tuple[float, float, dict]:
        started, wall = time.process_time(), time.perf_counter()
        reply = call(*call_args)
        return (
            (time.process_time() - started) * 1000,
            (time.perf_counter() - wall) * 1000,
            reply,
        )

    result: dict = {
        "database": database_url.split(":", 1)[0],
        "load_before": Path("/proc/loadavg").read_text().split()[:3],
        "figures": {},
    }
    for count in args.rows:
        text = roster_csv(count)
        changed = roster_csv(count, changed_every=10)
        for path, call in (("service", by_service), ("http", by_http)):
            runs: dict[str, list[tuple[float, float]]] = {}
            for _ in range(args.repeat):
                created = create_convening(services, title=f"Roster bench {count}")
                token, code = created.facilitator_token, created.code
                steps = (
                    ("preview", text, True, {"added": count}),
                    ("fresh", text, False, {"added": count}),
                    ("re-import, unchanged", text, False, {"unchanged": count}),
                    ("re-import, 10% changed", changed, False, {"updated": (count + 9) // 10}),
                )
                for name, body, dry_run, expected in steps:
                    cpu, wall, reply = timed(call, token, code, body, dry_run)
                    for key, value in expected.items():
                        assert reply[key] == value, (name, key, reply[key], value)
                    runs.setdefault(name, []).append((cpu, wall))
            result["figures"][f"{count} rows, {path}"] = {
                name: {
                    "wall_ms": round(statistics.median(w for _, w in times), 1),
                    "cpu_ms": round(statistics.median(c for c, _ in times), 1),
                    "walls_ms": [round(w) for _, w in times],
                }
                for name, times in runs.items()
            }
    if args.profile:
        count = max(args.rows)
        created = create_convening(services, title="Roster bench, profiled")
        profiler = cProfile.Profile()
        profiler.enable()
        by_service(created.facilitator_token, created.code, roster_csv(count), False)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    result["load_after"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps(result, indent=2))


#: Marks in the page: the file chosen, the preview drawn, Confirm pressed, the result drawn
#: (each with the next frame after it, when it was painted).
MARKS = """() => {
  const marks = (window.__roster = {});
  const frame = (name) => requestAnimationFrame(() => {
    marks[name + "_painted"] = performance.now();
  });
  document.querySelector('#roster-file').addEventListener('change', () => {
    marks.chosen = performance.now();
  }, {once: true});
  const view = document.querySelector('#roster-view');
  new MutationObserver(() => {
    for (const name of ['preview', 'done']) {
      if (!marks[name] && view.querySelector(`[data-testid="roster-${name}"]`)) {
        marks[name] = performance.now();
        frame(name);
      }
    }
  }).observe(view, {childList: true, subtree: true});
}"""

CONFIRM = """() => {
  window.__roster.confirm = performance.now();
  document.querySelector('[data-testid="roster-confirm"]').click();
}"""


def browser_bench(sizes: list[int], repeat: int) -> None:
    import shutil

    from playwright.sync_api import sync_playwright

    from bench.console_people import ARGS, CHROMIUM, Server, _post

    folder = Path(tempfile.mkdtemp(prefix="convene-roster-browser-"))
    result: dict = {"load_before": Path("/proc/loadavg").read_text().split()[:3], "figures": {}}
    server = Server(folder)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for count in sizes:
                file = folder / f"roster_{count}.csv"
                file.write_text(roster_csv(count), encoding="utf-8")
                runs: dict[str, list[float]] = {"preview": [], "import": []}
                for _ in range(repeat):
                    created = _post(server.url + "/api/convenings", {"title": f"Roster {count}"})
                    page = browser.new_page(viewport={"width": 1366, "height": 768})
                    page.set_default_timeout(120_000)
                    page.goto(created["facilitator_url"])
                    page.wait_for_selector('#conn-status[data-state="connected"]')
                    page.evaluate(MARKS)
                    page.set_input_files("#roster-file", str(file))
                    page.wait_for_function("() => window.__roster.preview_painted")
                    page.evaluate(CONFIRM)
                    page.wait_for_function("() => window.__roster.done_painted")
                    marks = page.evaluate("() => window.__roster")
                    text = page.inner_text('[data-testid="roster-total"]')
                    assert f"{count:,}" in text, text
                    runs["preview"].append(marks["preview_painted"] - marks["chosen"])
                    runs["import"].append(marks["done_painted"] - marks["confirm"])
                    page.close()
                result["figures"][f"{count} rows, console"] = {
                    name: {
                        "wall_ms": round(statistics.median(times), 1),
                        "walls_ms": [round(t) for t in times],
                    }
                    for name, times in runs.items()
                }
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    result["load_after"] = Path("/proc/loadavg").read_text().split()[:3]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
