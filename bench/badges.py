"""How long does the badge PDF of a big roster take, and how much memory?

    flock /tmp/convene-bench.lock .venv/bin/python bench/badges.py [--people 1500]
        [--paper a4|letter]

In process, on a fresh SQLite database: a roster of ``--people`` (names with diacritics and
sentence-long delegations, as tests/data/roster_300.csv, one in 50 a 60-character name and a
200-character delegation) imported, then the badge PDF made as the route makes it
(``roster.credentials``: every credential unsealed, in the server's process; the QR
codes, the HTML and WeasyPrint in the renderer's child process). Prints the wall and CPU
time of each step, the PDF's pages and size, the peak memory of this process and of the
renderer (max RSS), and the load before and after.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST = ["María José", "Nguyễn Thị", "Łukasz", "Çağrı", "Søren", "Đorđe", "Iñaki", "Zoë"]
LAST = ["Núñez", "Ødegård", "Wróbel", "Öztürk", "García-Márquez", "Černý", "Ní Bhriain"]
PLACES = [
    "Ciudad Nezahualcóyotl y los municipios del oriente del Estado de México",
    "the Greater Manchester and Salford tenants' and residents' associations",
    "São Paulo, Guarulhos, Osasco e os bairros da zona leste da região metropolitana",
]


def roster(people: int) -> list[dict]:
    rows = []
    for i in range(people):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 3) % len(LAST)]} {i}"
        delegation = f"The Chapter of {PLACES[i % len(PLACES)]}, Local {100 + i % 40}"
        if i % 50 == 7:
            name = ("Bartholomäus-Ðorđe Çağlayan Núñez de la Santísima Trinidad " * 2)[:60]
            delegation = (delegation + ", as elected at its general assembly " * 6)[:200]
        rows.append({"name": name, "delegation": delegation, "external_id": f"D-{i:05d}"})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--paper", default="a4", choices=["a4", "letter"])
    args = parser.parse_args()
    load_before = os.getloadavg()[0]

    from pypdf import PdfReader

    from convene.bootstrap import build_services
    from convene.exports import badges
    from convene.services import convenings
    from convene.services import roster as roster_service
    from convene.store.database import make_engine, make_session_factory
    from convene.store.migrate import upgrade

    folder = tempfile.mkdtemp(prefix="convene-bench-badges-")
    url = f"sqlite:///{folder}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    secret = os.urandom(32)
    services = build_services(make_session_factory(engine), ballot_secret=secret)
    created = convenings.create_convening(services, title="Regional convening")
    actor = services.authenticate(created.facilitator_token)

    started, cpu = time.perf_counter(), time.process_time()
    roster_service.import_roster(services, actor, rows=roster(args.people))
    print(
        f"import of {args.people}: {time.perf_counter() - started:.2f} s wall, "
        f"{time.process_time() - cpu:.2f} s CPU"
    )

    started, cpu = time.perf_counter(), time.process_time()
    listing = roster_service.credentials(services, actor)
    credentials_s = time.perf_counter() - started
    print(f"credentials: {credentials_s:.2f} s; CPU {time.process_time() - cpu:.2f} s")

    started = time.perf_counter()
    pdf = badges.badges_pdf(
        listing["entries"],
        lambda token: f"https://convene.example.org/t/{token}",
        str.capitalize,
        args.paper,
    )
    pdf_s = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    total = credentials_s + pdf_s
    print(
        f"PDF ({args.paper}, QR codes, layout and drawing in the child process): {pdf_s:.1f} s "
        f"wall, {children.ru_utime + children.ru_stime:.1f} s CPU; {pages} pages, "
        f"{len(pdf) / 1e6:.1f} MB"
    )
    print(f"the route's whole work: {total:.1f} s for {args.people} badges")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory: this process {own:.0f} MB, the renderer {children.ru_maxrss / 1024:.0f} MB"
    )
    print(f"load: {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    engine.dispose()


if __name__ == "__main__":
    main()
