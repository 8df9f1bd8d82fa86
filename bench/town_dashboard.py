"""Benchmark: the town's home page and dashboard, and the quarterly report, for a town of 30 villages (issue 16).

Builds a year of a town (default 30 villages × 1,500 households, ~4 entries a household a month, monthly
inspections, a few entries still waiting for review, redemptions, publications of every month with objections,
one store per three villages, a grid worker per grid), then times, logged in as the town admin:
- in process (the Flask test client: route, services and template, no HTTP): the town admin's home (the
  village cards: households, this month's entries, waiting for review, open objections, the rules in force)
  and the town's dashboard of a month, with the number of SQL statements each page costs;
- over HTTP against the production server (`jifen serve`, 2 workers, loopback): the same pages, the monthly
  dispatch and the quarterly .xlsx.
Goals (issue 16): the town's pages for 30 villages ≤ 150 ms; the county overview, 300 villages, 12 M
entries, PostgreSQL ≤ 1 s. There is no county role: the county overview is the same pages read by a user
administering every town (bench/county.py builds that county by COPY and calls `time_dashboard`; here
`--villages 300` builds one town of 300 villages, with fewer households for the build's sake). Prints min
and median; nothing is asserted.

    python bench/town_dashboard.py [--villages 30] [--households 1500] [--per-month 4] [--runs 7]
                                   [--db sqlite|postgres] [--url URL] [--no-build] [--user townadmin]
                                   [--no-http]
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
from sqlalchemy import event, insert, select

from tests.worlds.pages import csrf_token
from tests.worlds.server import production_server
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.people.models.geo import Grid, Town, Village
from webapp.people.models.household import Household
from webapp.people.models.stores import Store
from webapp.people.models.user import User
from webapp.people.services.users import create_user
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.scheme import Item
from webapp.points.services.schemes import import_scheme
from webapp.publication.models import Objection, Publication
from webapp.store.models import Product, Redemption, StockMovement

RULES = Path(__file__).resolve().parent.parent / "webapp" / "demo" / "fengsheng.yaml"
TODAY = date.today()
YEAR, OPEN_MONTH = TODAY.year, TODAY.month  # January to the month before are closed (published); this one is open
GRIDS = 5
EVENTS = ("J1", "J2", "J3a", "J4", "K2", "K5")
CLOSED_STATUSES = ("published",) * 12 + ("rejected",)
OPEN_STATUSES = ("approved",) * 2 + ("recorded", "rejected")
LATE = 0.0005  # a closed month's entries still waiting for review (late items)
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/jifen_town_bench"
HOME = "/home"
DASHBOARD = "/town/dashboard"  # this month's (open)


def generate(villages: int, households: int, per_month: int, rng: random.Random) -> None:
    town = Town(code="B", name="基准镇")
    db.session.add(town)
    db.session.flush()
    admin = create_user("townadmin", "password123", "town_admin", town_id=town.id)
    text = RULES.read_text(encoding="utf-8")
    stores: list[Store] = []
    for v in range(villages):
        village = Village(town_id=town.id, code=f"BV{v:03d}", name=f"基准{v:03d}村")
        db.session.add(village)
        db.session.flush()
        if v % 3 == 0:
            stores.append(Store(town_id=town.id, code=f"BS{v:03d}", name=f"超市{v:03d}", villages=[village]))
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
            {"code": f"B{v:03d}{n:04d}", "village_id": village.id, "head_name": f"户主{n}", "head_initials": "hz",
             "grid_id": grids[n % GRIDS].id, "enrolled_on": date(YEAR, 1, 1)} for n in range(households)])
        ids = list(db.session.scalars(select(Household.id).where(Household.village_id == village.id)))
        _year_of(village.id, version.id, items, ids, per_month, rng, stores[-1].id, admin.id)
        db.session.commit()
    for store in stores:
        products = [Product(store_id=store.id, code=f"P{p}", name=f"商品{p}", price_points=Decimal(5 + p))
                    for p in range(20)]
        db.session.add_all(products)
        db.session.flush()
        db.session.execute(insert(StockMovement), [
            {"store_id": store.id, "product_id": p.id, "kind": "stock_in", "quantity": rng.randint(10, 100),
             "created_at": datetime(YEAR, m, 2)} for p in products for m in range(1, OPEN_MONTH + 1)])


def _status(month: int, rng: random.Random) -> str:
    if month == OPEN_MONTH:
        return rng.choice(OPEN_STATUSES)
    return "recorded" if rng.random() < LATE else rng.choice(CLOSED_STATUSES)


def _year_of(village_id: int, version_id: int, items: dict[str, int], ids: list[int], per_month: int,
             rng: random.Random, store_id: int, user_id: int) -> None:
    for month in range(1, OPEN_MONTH + 1):
        last_day = TODAY.day if month == OPEN_MONTH else 28
        rows = []
        for hh in ids:
            for _ in range(per_month):
                day = rng.randint(1, last_day)
                rows.append({
                    "client_uuid": uuid.UUID(int=rng.getrandbits(128)), "village_id": village_id,
                    "household_id": hh, "item_id": items[rng.choice(EVENTS)], "scheme_version_id": version_id,
                    "quantity": Decimal(1), "occurred_at": datetime(YEAR, month, day, 9),
                    "occurred_on": date(YEAR, month, day), "occurred_month": YEAR * 100 + month,
                    "status": _status(month, rng), "flags": []})
        db.session.execute(insert(Entry), rows)
        db.session.execute(insert(Inspection), [
            {"client_uuid": uuid.UUID(int=rng.getrandbits(128)), "village_id": village_id, "household_id": hh,
             "period": f"{YEAR}-{month:02d}", "scheme_version_id": version_id,
             "occurred_at": datetime(YEAR, month, last_day), "status": _status(month, rng) if month == OPEN_MONTH
             else "published", "revision": 0, "flags": []} for hh in ids if rng.random() < 0.9])
        db.session.execute(insert(Redemption), [
            {"client_key": uuid.UUID(int=rng.getrandbits(128)), "receipt_no": f"R{village_id}-{month}-{hh}",
             "store_id": store_id, "household_id": hh, "village_id": village_id,
             "redeemed_on": date(YEAR, month, min(20, last_day)), "total_points": Decimal(rng.randint(5, 40)),
             "clerk_id": user_id} for hh in ids if rng.random() < 0.3])
        if month == OPEN_MONTH:
            continue
        published = datetime(YEAR, month + 1, rng.choice((8, 9, 10, 12)), 2)
        publication = Publication(village_id=village_id, period=f"{YEAR}-{month:02d}", kind="month", status="final",
                                  frozen={}, published_at=published, notice_starts_on=published.date(),
                                  notice_ends_on=published.date())
        db.session.add(publication)
        db.session.flush()
        db.session.add_all([Objection(publication_id=publication.id, household_id=ids[k], filed_by_id=user_id,
                                      text="异议", status=rng.choice(("open", "dismissed"))) for k in range(3)])


def _client(app, user: User | str):
    """A test client logged in as the user (a User or a username), without the login form."""
    with app.app_context():
        if isinstance(user, str):
            user = db.session.scalar(select(User).where(User.username == user))
        ident = user.get_id()
        db.session.commit()  # get_id may have given the user a session token
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = ident, True
    return client


def time_dashboard(app, user: User | str, runs: int, path: str = DASHBOARD) -> list[float]:
    """Milliseconds of each of `runs` GETs of a page (the town's dashboard by default; HOME for the village cards)
    in process, through the Flask test client (route, services, template; no HTTP), after one warm-up."""
    client = _client(app, user)
    assert client.get(path).status_code == 200, path  # warm: templates, the rules' parse cache
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return out


def count_statements(app, user: User | str, path: str = DASHBOARD) -> int:
    """The SQL statements one GET of the page runs (the login's user lookup included)."""
    client = _client(app, user)
    counted: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        counted.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(counted)


def pages() -> list[tuple[str, str]]:
    closed = f"{YEAR}-{OPEN_MONTH - 1:02d}" if OPEN_MONTH > 1 else f"{YEAR}-01"
    return [("town home (village cards)", HOME), ("dashboard, this month (open)", DASHBOARD),
            ("dashboard, last month (closed)", f"{DASHBOARD}?month={closed}"),
            ("dashboard, points issued", f"{DASHBOARD}?month={closed}&measure=points_issued")]


def line(label: str, ms: list[float], extra: str = "") -> str:
    return f"  {label:<34} min {min(ms):7.1f} ms   median {statistics.median(ms):7.1f} ms{extra}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=30)
    parser.add_argument("--households", type=int, default=1500)
    parser.add_argument("--per-month", type=int, default=4, help="entries a household a month")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--url", help=f"database URL (default: a fresh SQLite file, or {POSTGRES})")
    parser.add_argument("--no-build", action="store_true", help="time the town already built at --url")
    parser.add_argument("--user", default="townadmin", help="who reads the pages (--no-build)")
    parser.add_argument("--no-http", action="store_true", help="in process only")
    args = parser.parse_args()
    url = args.url or (POSTGRES if args.db == "postgres" else f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": tempfile.mkdtemp(),
                                  "WTF_CSRF_ENABLED": False})
    with app.app_context():
        start = time.perf_counter()
        if not args.no_build:
            if url.startswith("postgresql"):
                _ensure_database(url)
                db.drop_all()
            db.create_all()
            generate(args.villages, args.households, args.per_month, random.Random(13))
            db.session.commit()
            if url.startswith("postgresql"):
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.exec_driver_sql("VACUUM ANALYZE")
        entries = db.session.query(Entry).count()
        villages = db.session.query(Village).count()
        built = time.perf_counter() - start
    print(f"{url.split(':')[0].split('+')[0]}: {villages} villages, {entries} entries"
          + ("" if args.no_build else f" (built in {built:.0f} s)") + f"; read by {args.user}")
    print(" in process (Flask test client, no HTTP):")
    for label, path in pages():
        ms = time_dashboard(app, args.user, args.runs, path)
        print(line(label, ms, f"   {count_statements(app, args.user, path)} SQL statements"))
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if not args.no_http:
        _over_http(url, args.user, args.runs)


def _over_http(url: str, username: str, runs: int) -> None:
    closed = pages()[2][1].split("=")[1]
    quarter = f"{YEAR}-Q{(OPEN_MONTH - 1) // 3 + 1}"
    print(" over HTTP (jifen serve, 2 workers, loopback):")
    with production_server(url, Path(tempfile.mkdtemp()), workers=2, timeout=120) as base:
        session = requests.Session()
        token = csrf_token(session.get(f"{base}/login", timeout=30).text)
        login = session.post(f"{base}/login", data={"username": username, "password": "password123",
                                                    "csrf_token": token}, allow_redirects=False, timeout=30)
        assert login.status_code in (302, 303), login.status_code
        for label, path in [*pages(), ("monthly dispatch .xlsx", f"{DASHBOARD}/dispatch.xlsx?month={closed}"),
                            ("quarterly report .xlsx", f"{DASHBOARD}/quarter.xlsx?quarter={quarter}")]:
            for _ in range(2):  # warm both workers: the rules' parse cache, the templates
                session.get(f"{base}{path}", timeout=300)
            print(line(label, timed(session, f"{base}{path}", runs)))


def timed(session, url: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        response = session.get(url, timeout=300)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def _ensure_database(url: str) -> None:
    """Create the bench's PostgreSQL database when it does not exist yet."""
    from sqlalchemy import create_engine, make_url, text

    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": target.database}):
            conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    engine.dispose()


if __name__ == "__main__":
    main()
