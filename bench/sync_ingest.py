"""Benchmark: ingesting phone outbox batches of 50 items on SQLite. Goal: ≥ 2,000 entries/s.

Sets up one village (the 丰盛镇 rules, 300 households in one grid, a grid worker with a
registered phone), then sends batches of 50 new events (a realistic mix: some with a
member, some with a photo hash, one inspection in ten batches) two ways:

- service: `ingest_batch` + commit, as the blueprint does after authenticating;
- http: POST /api/v1/sync/batch through the Flask test client (JSON, token lookup, commit);

and a replay of every batch (all duplicates). Prints the figures; nothing is asserted.

    python bench/sync_ingest.py [--batches 60] [--households 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=60)
    parser.add_argument("--households", type=int, default=300)
    args = parser.parse_args()
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
