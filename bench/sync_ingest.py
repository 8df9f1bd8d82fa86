"""Benchmark: ingesting phone outbox batches of 50 items on SQLite. Goal: ≥ 2,000 entries/s.

Sets up one village (the 丰盛镇 rules, 300 households in one grid, a grid worker with a
registered phone), then sends batches of 50 new events (a realistic mix: some with a
member, some with a photo hash, one inspection in ten batches) two ways:

- service: `ingest_batch` + commit, as the blueprint does after authenticating;
- http: POST /api/v1/sync/batch through the Flask test client (JSON, token lookup, commit);

and a replay of every batch (all duplicates). With --url (PostgreSQL, or a SQLite file), instead:
over HTTP against the production server (`jifen serve`, several workers, loopback), several phones
posting their batches at once, each phone its own device token (`http_rates`, which bench/county
uses). Prints the figures; nothing is asserted.

    python bench/sync_ingest.py [--batches 60] [--households 300]
    python bench/sync_ingest.py --url postgresql+psycopg://postgres@127.0.0.1:5432/jifen_sync [--phones 4]
                                [--workers 4] [--rounds 5]    # the database is emptied first
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: the tests' server helper

import requests

from tests.worlds.server import production_server
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.fieldwork.services.devices import register_device
from webapp.fieldwork.services.ingest import ingest_batch
from webapp.people.models.geo import Grid, Town, Village
from webapp.people.models.household import Household, Member
from webapp.people.services.users import create_user
from webapp.points.services.schemes import import_scheme

RULES = Path(__file__).resolve().parent.parent / "webapp" / "demo" / "fengsheng.yaml"
EVENTS = ["J1", "J2", "J3a", "J4", "K2", "K5"]


def setup(households: int):
    town = Town(code="B", name="基准镇")
    village = Village(town=town, code="BV", name="基准村")
    grid = Grid(village=village, code="G1", name="第一网格")
    db.session.add_all([town, village, grid])
    db.session.flush()
    version, _ = import_scheme(village, RULES.read_text(encoding="utf-8"), effective_from=date(2026, 1, 1))
    members: dict[str, int] = {}
    for n in range(households):
        hh = Household(code=f"B{n:05d}", village_id=village.id, grid_id=grid.id, head_name=f"户主{n}")
        head = Member(household=hh, name=hh.head_name, is_head=True)
        db.session.add_all([hh, head])
        db.session.flush()
        members[hh.code] = head.id
    scorer = create_user("bench", "password123", "scorer", grid_id=grid.id)
    device, token = register_device(scorer, "bench phone")
    db.session.commit()
    return version.id, members, scorer, device, token


def make_batches(count: int, version_id: int, members: dict[str, int], rng: random.Random) -> list[dict]:
    codes = list(members)
    batches = []
    for b in range(count):
        items = []
        for i in range(50):
            code = rng.choice(codes)
            if b % 10 == 0 and i == 0:
                items.append({"uuid": str(uuid.uuid4()), "type": "inspection", "household": code,
                              "period": f"2026-{1 + b // 10:02d}", "scheme_version_id": version_id,
                              "occurred_at": "2026-11-22T09:00:00+08:00", "items": {"B1": False}, "note": "",
                              "place": "", "photos": [], "item_photos": {}})
                continue
            item = rng.choice(EVENTS)
            items.append({
                "uuid": str(uuid.uuid4()), "type": "event", "household": code,
                "member_id": members[code] if item.startswith("K") else None, "item": item,
                "scheme_version_id": version_id, "quantity": "1",
                "occurred_at": f"2026-11-{rng.randint(1, 21):02d}T{rng.randint(8, 18):02d}:15:00+08:00",
                "note": "", "place": "", "photos": [f"{rng.getrandbits(256):064x}"] if rng.random() < 0.2 else [],
            })
        batches.append({"protocol": 1, "items": items})
    return batches


def timed(label: str, batches: list[dict], send) -> None:
    """Wall-clock throughput, and per CPU second of this process (steadier on a busy machine)."""
    times = []
    cpu = time.process_time()
    for payload in batches:
        start = time.perf_counter()
        send(payload)
        times.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu
    items = 50 * len(batches)
    print(f"{label:<22} {items / sum(times):6.0f} items/s   median batch {statistics.median(times) * 1000:5.1f} ms"
          f"   p90 {sorted(times)[int(len(times) * 0.9)] * 1000:5.1f} ms   {items / cpu:6.0f} items per CPU s")


def http_rates(url: str, batches: int, households: int, clients: int, workers: int, rounds: int) -> list[float]:
    """Items/s over HTTP, one figure a round (after an uncounted one): `clients` phones (threads, each its own device token) post
    `batches` batches of 50 new items at once to `jifen serve --workers N` on the database at `url`
    (emptied first). Every answer must be 200 with every item accepted."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": tempfile.mkdtemp()})
    rng = random.Random(7)
    with app.app_context():
        db.drop_all()
        db.create_all()
        version_id, members, scorer, _, _ = setup(households)
        tokens = [register_device(scorer, f"phone {c}")[1] for c in range(clients)]
        db.session.commit()
        # A first round warms the workers (imports, connections, the rules' cache) and is not counted.
        plans = [[make_batches(batches, version_id, members, rng) for _ in range(clients)] for _ in range(rounds + 1)]
        db.session.remove()
        db.engine.dispose()
    codes = list(members)
    inspected = 0
    now = datetime.now(timezone(timedelta(hours=8)))
    for batch in (b for plan in plans for phone in plan for b in phone):
        for item in batch["items"]:
            if item["type"] == "inspection":  # this month's, one household each across phones and rounds
                item["household"], inspected = codes[inspected % len(codes)], inspected + 1
                item["period"], item["occurred_at"] = f"{now:%Y-%m}", now.isoformat(timespec="seconds")

    def phone(token: str, payloads: list[dict]) -> None:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {token}"
            for payload in payloads:
                answer = session.post(f"{base}/api/v1/sync/batch", json=payload, timeout=120)
                assert answer.status_code == 200, answer.status_code
                results = answer.json()["results"]
                assert all(r["status"] == "accepted" for r in results), results[:2]

    rates = []
    with production_server(url, Path(tempfile.mkdtemp()), workers=workers, timeout=120) as base:
        for plan in plans:
            started = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                list(pool.map(phone, tokens, plan))
            rates.append(50 * batches * clients / (time.perf_counter() - started))
    return rates[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=60)
    parser.add_argument("--households", type=int, default=300)
    parser.add_argument("--url", help="over HTTP against jifen serve on this database (emptied first)")
    parser.add_argument("--phones", type=int, default=4, help="with --url: phones posting at once")
    parser.add_argument("--workers", type=int, default=4, help="with --url: the server's worker processes")
    parser.add_argument("--rounds", type=int, default=5, help="with --url: rounds of every phone's batches")
    args = parser.parse_args()
    if args.url:
        rates = http_rates(args.url, args.batches, args.households, args.phones, args.workers, args.rounds)
        print(f"{args.url.split(':')[0]}: {args.phones} phones × {args.batches} batches of 50 a round, "
              f"jifen serve --workers {args.workers}: best {max(rates):.0f} items/s, "
              f"median {statistics.median(rates):.0f} items/s over {len(rates)} rounds (goal ≥ 2,000)")
        return
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "DATA_DIR": folder})
        with app.app_context():
            db.create_all()
            version_id, members, scorer, device, token = setup(args.households)
            service = make_batches(args.batches, version_id, members, rng)
            http = make_batches(args.batches, version_id, members, rng)

            def via_service(payload):
                body = ingest_batch(scorer, device, payload)
                db.session.commit()
                assert all(r["status"] == "accepted" for r in body["results"]), body["results"][:2]

            client = app.test_client()
            headers = {"Authorization": f"Bearer {token}"}

            def via_http(payload):
                response = client.post("/api/v1/sync/batch", json=payload, headers=headers)
                assert response.status_code == 200, response.status_code

            print(f"SQLite, batches of 50, {args.batches} batches each, {args.households} households")
            timed("service ingest_batch", service, via_service)
            timed("service replay (dup)", service, lambda p: (ingest_batch(scorer, device, p), db.session.commit()))
            timed("http POST batch", http, via_http)
            timed("http replay (dup)", http, via_http)


if __name__ == "__main__":
    main()
