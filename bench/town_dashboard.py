"""Benchmark: the town's dashboard and quarterly report for a town of 30 villages × 500 households.

Builds a year of a town (default 30 villages × 500 households, ~4 entries a household a month, monthly
inspections, redemptions, publications with objections, one store per three villages, a grid worker per
grid), then times over HTTP against the production server (`jifen serve`, 2 workers, on loopback, logged in
as the town admin): the dashboard of a month (goal ≤ 300 ms) and the quarterly .xlsx (goal ≤ 2 s). Prints
min and median; nothing is asserted.

    python bench/town_dashboard.py [--villages 30] [--households 500] [--per-month 4] [--runs 7]
                                   [--url postgresql+psycopg://postgres@127.0.0.1:5432/bench] [--no-build]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import requests
from sqlalchemy import insert, select

from tests.worlds.pages import csrf_token
from tests.worlds.server import production_server

from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.people.models.geo import Grid, Town, Village
from webapp.people.models.household import Household
from webapp.people.models.stores import Store
from webapp.people.services.users import create_user
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.scheme import Item
from webapp.points.services.schemes import import_scheme
from webapp.publication.models import Objection, Publication
from webapp.store.models import Product, Redemption, StockMovement

RULES = Path(__file__).resolve().parent.parent / "webapp" / "demo" / "fengsheng.yaml"
YEAR = 2025
GRIDS = 5
EVENTS = ("J1", "J2", "J3a", "J4", "K2", "K5")
STATUSES = ("approved",) * 6 + ("published",) * 3 + ("recorded", "rejected")


def generate(villages: int, households: int, per_month: int, rng: random.Random) -> None:
    town = Town(code="B", name="基准镇")
    db.session.add(town)
    db.session.flush()
    admin = create_user("townadmin", "password123", "town_admin", town_id=town.id)
    text = RULES.read_text(encoding="utf-8")
    stores: list[Store] = []
    for v in range(villages):
        village = Village(town_id=town.id, code=f"BV{v:02d}", name=f"基准{v:02d}村")
        db.session.add(village)
        db.session.flush()
        if v % 3 == 0:
            stores.append(Store(town_id=town.id, code=f"BS{v:02d}", name=f"超市{v:02d}", villages=[village]))
            db.session.add(stores[-1])
        else:
            stores[-1].villages.append(village)
        db.session.flush()
        version, _ = import_scheme(village, text, effective_from=date(YEAR, 1, 1))
        items = {i.code: i.id for i in db.session.scalars(select(Item).where(Item.version_id == version.id))}
        grids = [Grid(village_id=village.id, code=f"G{g}", name=f"第{g + 1}网格") for g in range(GRIDS)]
        db.session.add_all(grids)
        db.session.flush()
        for g in grids[:-1]:  # the last grid has no worker
            create_user(f"scorer{v}-{g.code}", "password123", "scorer", grid_id=g.id)
        db.session.execute(insert(Household), [
            {"code": f"B{v:02d}{n:04d}", "village_id": village.id, "head_name": f"户主{n}", "head_initials": "hz",
             "grid_id": grids[n % GRIDS].id, "enrolled_on": date(YEAR, 1, 1)} for n in range(households)])
        ids = list(db.session.scalars(select(Household.id).where(Household.village_id == village.id)))
        _year_of(village.id, version.id, items, ids, per_month, rng, stores[-1].id, admin.id)
    db.session.flush()
    for store in stores:
        products = [Product(store_id=store.id, code=f"P{p}", name=f"商品{p}", price_points=Decimal(5 + p))
                    for p in range(20)]
        db.session.add_all(products)
        db.session.flush()
        db.session.execute(insert(StockMovement), [
            {"store_id": store.id, "product_id": p.id, "kind": "stock_in", "quantity": rng.randint(10, 100),
             "created_at": datetime(YEAR, m, 2)} for p in products for m in range(1, 13)])


def _year_of(village_id: int, version_id: int, items: dict[str, int], ids: list[int], per_month: int,
             rng: random.Random, store_id: int, user_id: int) -> None:
    rows = []
    for month in range(1, 13):
        for hh in ids:
            for _ in range(per_month):
                day = rng.randint(1, 28)
                rows.append({
                    "client_uuid": uuid.UUID(int=rng.getrandbits(128)), "village_id": village_id,
                    "household_id": hh, "item_id": items[rng.choice(EVENTS)], "scheme_version_id": version_id,
                    "quantity": Decimal(1), "occurred_at": datetime(YEAR, month, day, 9),
                    "occurred_on": date(YEAR, month, day), "occurred_month": YEAR * 100 + month,
                    "status": rng.choice(STATUSES), "flags": []})
        db.session.execute(insert(Entry), rows)
        rows = []
        db.session.execute(insert(Inspection), [
            {"client_uuid": uuid.UUID(int=rng.getrandbits(128)), "village_id": village_id, "household_id": hh,
             "period": f"{YEAR}-{month:02d}", "scheme_version_id": version_id, "occurred_at": datetime(YEAR, month, 28),
             "status": "approved", "revision": 0, "flags": []} for hh in ids if rng.random() < 0.9])
        db.session.execute(insert(Redemption), [
            {"client_key": uuid.UUID(int=rng.getrandbits(128)), "receipt_no": f"R{village_id}-{month}-{hh}",
             "store_id": store_id, "household_id": hh, "village_id": village_id, "redeemed_on": date(YEAR, month, 20),
             "total_points": Decimal(rng.randint(5, 40)), "clerk_id": user_id} for hh in ids if rng.random() < 0.3])
        published = datetime(YEAR + (month == 12), month % 12 + 1, rng.choice((8, 9, 10, 12)), 2)
        publication = Publication(village_id=village_id, period=f"{YEAR}-{month:02d}", kind="month", status="final",
                                  frozen={}, published_at=published, notice_starts_on=published.date(),
                                  notice_ends_on=published.date())
        db.session.add(publication)
        db.session.flush()
        db.session.add_all([Objection(publication_id=publication.id, household_id=ids[k], filed_by_id=user_id, text="异议",
                                      status=rng.choice(("open", "dismissed"))) for k in range(3)])


def timed(session, url: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        response = session.get(url, timeout=120)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=30)
    parser.add_argument("--households", type=int, default=500)
    parser.add_argument("--per-month", type=int, default=4, help="entries a household a month")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--no-build", action="store_true", help="time the town already built at --url")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": tempfile.mkdtemp(),
                                  "WTF_CSRF_ENABLED": False})
    with app.app_context():
        start = time.perf_counter()
        if not args.no_build:
            if url.startswith("postgresql"):
                db.drop_all()
            db.create_all()
            generate(args.villages, args.households, args.per_month, random.Random(13))
            db.session.commit()
        entries = db.session.query(Entry).count()
        built = time.perf_counter() - start
    print(f"{url.split(':')[0].split('+')[0]}: {args.villages} villages × {args.households} households, "
          f"{entries} entries in {YEAR}" + ("" if args.no_build else f" (built in {built:.0f} s)"))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    with production_server(url, Path(tempfile.mkdtemp()), workers=2) as base:
        session = requests.Session()
        token = csrf_token(session.get(f"{base}/login", timeout=30).text)
        login = session.post(f"{base}/login", data={"username": "townadmin", "password": "password123",
                                                    "csrf_token": token}, allow_redirects=False, timeout=30)
        assert login.status_code in (302, 303), login.status_code
        for label, target, path in (
            ("dashboard, a month", 300, f"/town/dashboard?month={YEAR}-06"),
            ("dashboard, another measure", 300, f"/town/dashboard?month={YEAR}-06&measure=points_issued"),
            ("monthly dispatch .xlsx", 2000, f"/town/dashboard/dispatch.xlsx?month={YEAR}-06"),
            ("quarterly report .xlsx", 2000, f"/town/dashboard/quarter.xlsx?quarter={YEAR}-Q2"),
        ):
            for _ in range(2):  # warm both workers: the rules' parse cache, the templates
                session.get(f"{base}{path}", timeout=120)
            ms = timed(session, f"{base}{path}", args.runs)
            print(f"  {label:<28} min {min(ms):7.1f} ms   median {statistics.median(ms):7.1f} ms   (goal ≤ {target} ms)")


if __name__ == "__main__":
    main()
