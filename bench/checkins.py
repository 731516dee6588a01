"""How long does a check-in at the desk take, and does accredited voting slow ballots?

    flock /tmp/convene-bench.lock .venv/bin/python bench/checkins.py [--rows 1500 5000]
        [--scans 200] [--database-url URL]

In process, on a fresh SQLite database (or ``--database-url``), with the code of this
checkout, rate limits off. For each roster size: a convening with that roster
(bench/roster.py's people), its credentials exported, a desk invited, ``accredited_voting``
on and a named round open. Then through the HTTP route with the desk's token (Flask's test
client: the request, the schema, the lookup by badge code's HMAC, the write, the event, the
reply's JSON) and with a facilitator's Socket.IO test client connected (so each check-in is
published to a console as it would be):

- **check-in by code**: ``--scans`` badges, one after the other, by their typed code;
- **check-in by link**: as many again by the personal link the QR holds (other people);
- **already in**: the first badges scanned again (nothing written);
- **search**: ``GET .../checkins?search=`` of a surname (the desk's search by name);
- **ballot, accredited**: checked-in delegates' ballots (``rounds.cast``: the voter's
  entry and seat are looked up by member in the same statement as the round);
- **ballot, not accredited**: the same with the setting off (a second round).

Prints the median and 95th percentile wall time of each in ms, and the load before and after.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.roster import roster_csv  # noqa: E402


def _figures(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[1500, 5000])
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from convene.app import create_app
    from convene.store.migrate import upgrade

    folder = tempfile.mkdtemp(prefix="convene-checkins-")
    app = create_app(
        {
            "INSTANCE_PATH": folder,
            "DATABASE_URL": args.database_url or f"sqlite:///{folder}/bench.db",
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    upgrade(app.extensions["convene.engine"])
    client = app.test_client()
    print(f"load before: {os.getloadavg()[0]:.2f}")

    for rows in args.rows:
        one_size(app, client, rows, args.scans)
    print(f"\nload after: {os.getloadavg()[0]:.2f}")


def one_size(app, client, rows: int, scans: int) -> None:
    from convene.extensions import socketio

    created = client.post("/api/convenings", json={"title": "Bench"}).get_json()
    code, staff = created["code"], {"Authorization": f"Bearer {created['facilitator_token']}"}
    base = f"/api/convenings/{code}"
    imported = client.post(
        f"{base}/roster", data=roster_csv(rows).encode(), content_type="text/csv", headers=staff
    )
    assert imported.status_code == 200, imported.get_data(as_text=True)[:300]
    sheet = client.get(f"{base}/roster/credentials.csv", headers=staff).get_data(as_text=True)
    people = list(csv.DictReader(io.StringIO(sheet.lstrip("\ufeff"))))
    desk_token = client.post(
        f"{base}/invitations", json={"role": "desk"}, headers=staff
    ).get_json()["token"]
    desk = {"Authorization": f"Bearer {desk_token}"}
    console = socketio.test_client(
        app, auth={"token": created["facilitator_token"]}, flask_test_client=client
    )
    client.patch(base, json={"accredited_voting": True}, headers=staff)

    def round_(title: str) -> int:
        made = client.post(
            f"{base}/rounds",
            json={"title": title, "method": "yes_no", "options": [{"label": "Adopt"}]},
            headers=staff,
        ).get_json()
        client.post(f"{base}/rounds/{made['id']}/open", headers=staff)
        return made["id"]

    accredited_round = round_("Accredited")
    scans = min(scans, len(people) // 2)

    def check_in(body: dict) -> float:
        started = time.perf_counter()
        response = client.post(f"{base}/checkins", json=body, headers=desk)
        took = time.perf_counter() - started
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return took

    by_code = [check_in({"code": p["code"]}) for p in people[:scans]]
    by_link = [check_in({"code": p["link"]}) for p in people[scans : 2 * scans]]
    again = [check_in({"code": p["code"]}) for p in people[:scans]]
    console.get_received()
    searched = []
    for p in people[:50]:
        started = time.perf_counter()
        client.get(f"{base}/checkins", query_string={"search": p["name"][-6:]}, headers=desk)
        searched.append(time.perf_counter() - started)

    # the checked-in delegates arrive on their phones (their links) and vote (an alternate
    # votes only in a seat: convene/domain/seats.py)
    voters = []
    for p in [p for p in people[:scans] if p["role"] == "delegate"]:
        token = p["link"].rsplit("/t/", 1)[1]
        entered = client.get(f"/t/{token}")
        assert entered.status_code in (200, 302), entered.status_code
        voters.append({"Authorization": f"Bearer {token}"})

    def ballots(round_id: int) -> list[float]:
        times = []
        for headers in voters:
            started = time.perf_counter()
            response = client.post(
                f"{base}/rounds/{round_id}/ballots", json={"choice": "yes"}, headers=headers
            )
            times.append(time.perf_counter() - started)
            assert response.status_code in (200, 201), response.get_data(as_text=True)[:300]
        return times

    accredited = ballots(accredited_round)
    client.patch(base, json={"accredited_voting": False}, headers=staff)
    plain = ballots(round_("Not accredited"))
    console.disconnect()
    print(f"\nroster of {rows} ({scans} scans each)")
    print(f"  check-in by code        {_figures(by_code)}")
    print(f"  check-in by link        {_figures(by_link)}")
    print(f"  already in              {_figures(again)}")
    print(f"  search by name          {_figures(searched)}")
    print(f"  ballot, accredited      {_figures(accredited)}")
    print(f"  ballot, not accredited  {_figures(plain)}")


if __name__ == "__main__":
    main()
