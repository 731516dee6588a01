"""Benchmark the facilitator's People panel at 100, 500 and 1,500 members.

    flock /tmp/convene-bench.lock .venv/bin/python bench/console_people.py \
        [--sizes 100,500,1500] [--repeat 7]

For each size N it starts a real server (`python -m convene serve`: gunicorn + gevent, as in
production) on 127.0.0.1 with a fresh SQLite file, creates a convening over the HTTP API and
joins N members (long names with diacritics, namesakes, caucuses: tests/support.py `crowd`)
through the services on the server's database (setup, not measured; the HTTP join is meant
for people, one at a time). A real headless chromium opens the console (1366×768) and waits
until its People panel counts everyone. Then, `--repeat` times:

- **join**: the page itself sends a join (`POST /participants`, a new person), and we time
  from just before the request to the moment the panel's count shows one person more, and to
  the next painted frame. That is the whole path: HTTP, the command's transaction, the event
  log, the Socket.IO event, `applyEvent`, filtering and sorting N members, building the page
  of rows.
- **caucus**: the console sets the caucus of the member on the first row (Socket.IO command
  `members.set_caucus`); from the command to its row showing the new caucus.
- **render**: one redraw of every panel of the console with N members (`live.notify()`), the
  browser's own work for any update (presence comes once a second).

Median and worst of the repeats are printed as a Markdown table (docs/performance.md,
"Console with many people"). Loopback only; every step has a time limit; the server is
stopped and the folder removed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

JOIN = """async ({code, name}) => {
  const el = document.querySelector('#people-count');
  const before = el.textContent;
  const changed = new Promise((resolve) => {
    const seen = new MutationObserver(() => {
      if (el.textContent !== before) { seen.disconnect(); resolve(performance.now()); }
    });
    seen.observe(el, {childList: true, characterData: true, subtree: true});
  });
  const start = performance.now();
  const reply = await fetch(`/api/convenings/${code}/participants`, {
    method: 'POST', credentials: 'omit',
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify({name}),
  });
  const replied = performance.now();
  if (!reply.ok) return {status: reply.status};
  const shown = await changed;
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return {
    status: reply.status, replied: replied - start, shown: shown - start,
    painted: performance.now() - start,
  };
}"""

CAUCUS = """async (caucus) => {
  const row = document.querySelector('[data-testid="member"]');
  const id = Number(row.dataset.id);
  const start = performance.now();
  const changed = new Promise((resolve) => {
    const seen = new MutationObserver(() => {
      const now = document.querySelector(`[data-testid="member"][data-id="${id}"]`);
      if (now && now.textContent.includes(caucus)) {
        seen.disconnect();
        resolve(performance.now());
      }
    });
    const list = document.querySelector('#members');
    seen.observe(list, {childList: true, subtree: true, characterData: true});
  });
  await window.convene.command('members.set_caucus', {member_id: id, caucus});
  return {shown: (await changed) - start};
}"""

RENDER = """() => {
  const start = performance.now();
  window.convene.notify();
  return performance.now() - start;
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _post(url: str, body: dict) -> dict:
    assert url.startswith(f"http://{HOST}:")
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310 - loopback only
        return json.load(reply)


class Server:
    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.database_url = f"sqlite:///{folder / 'bench.db'}"
        env = {
            **os.environ,
            "HOST": HOST,
            "PORT": str(self.port),
            "DATABASE_URL": self.database_url,
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "bench-" + os.urandom(8).hex(),
        }
        for name in ("PUBLIC_URL", "SOCKETIO_MESSAGE_QUEUE", "PYTHONWARNINGS"):
            env.pop(name, None)
        subprocess.run(
            [sys.executable, "-m", "convene", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.log = open(folder / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "convene", "serve"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text()[-2000:])
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.url + "/", timeout=2)  # noqa: S310 - loopback
                return
            time.sleep(0.3)
        raise RuntimeError("the server did not start within 90 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def measure(browser, server: Server, size: int, repeat: int) -> dict:
    from tests.support import seed_crowd

    created = _post(server.url + "/api/convenings", {"title": f"Convening of {size}"})
    started = time.monotonic()
    seed_crowd(server.database_url, created["code"], size)
    seeded = time.monotonic() - started
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.set_default_timeout(120_000)
    page.goto(created["facilitator_url"])
    # "Showing 1,502 of 1,502 people": the count, whatever the digit grouping
    page.wait_for_function(
        "n => Number((document.querySelector('#people-count').textContent.split(' of ')[1]"
        " || '').replace(/\\D/g, '')) >= n",
        arg=size,
    )
    rows = page.locator('[data-testid="member"]').count()
    joins, replied, painted, caucus, render = [], [], [], [], []
    for i in range(repeat):
        result = page.evaluate(JOIN, {"code": created["code"], "name": f"Late arrival {i + 1}"})
        if result["status"] != 201 and "shown" not in result:
            raise RuntimeError(f"join refused: HTTP {result['status']}")
        joins.append(result["shown"])
        replied.append(result["replied"])
        painted.append(result["painted"])
        caucus.append(page.evaluate(CAUCUS, f"Caucus {i + 1} de la Región")["shown"])
        render.append(page.evaluate(RENDER))
        time.sleep(0.3)
    page.close()
    return {
        "size": size,
        "rows": rows,
        "seeded_s": seeded,
        "replied": replied,
        "join": joins,
        "painted": painted,
        "caucus": caucus,
        "render": render,
    }


def row(result: dict) -> str:
    def cell(values: list[float]) -> str:
        return f"{statistics.median(values):.0f} ({max(values):.0f})"

    return (
        f"| {result['size']:,} | {result['rows']} | {cell(result['replied'])} | "
        f"{cell(result['join'])} | "
        f"{cell(result['painted'])} | {cell(result['caucus'])} | {cell(result['render'])} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,500,1500")
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="convene-bench-console-"))
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for size in sizes:
                    where = folder / str(size)
                    where.mkdir()
                    server = Server(where)
                    try:
                        results.append(measure(browser, server, size, options.repeat))
                    finally:
                        server.stop()
                    print(f"# {size}: {json.dumps(results[-1])}", file=sys.stderr)
            finally:
                browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"Load average at the end: {' '.join(load)} (2 cores)")
    print()
    print(
        "| Members | Rows built | Join → HTTP reply, ms | → count shown, ms | → painted, ms | "
        "Caucus set → row shown, ms | One redraw, ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(row(result))
    print()
    print(f"Median (worst) of {options.repeat} repeats.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
