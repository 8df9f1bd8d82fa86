"""Benchmark: redemptions under contention, then an invariant check.

Several processes (each its own app, engine and connections, as several server workers
would be) redeem through the service layer at once (`webapp.store.services.redeem.redeem`, the
call the counter page makes), first all against ONE household, then against MANY.
Prints throughput and latency, then checks, on the database as left: no negative
spendable balance, no negative stock, spendable = earned − redeemed for every
household, stock = stock-in − redeemed for every product, and exactly as many
receipts as successful calls. Nothing is asserted; the figures go to docs/benchmarks.md.

    python bench/redemptions.py [--processes 4] [--requests 300] [--households 300]
                                [--url postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select, text

from webapp.app import create_app
from webapp.config import TestConfig
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.geo import Town, Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.users import create_user
from webapp.points.models.entry import Entry
from webapp.points.models.scheme import Item
from webapp.points.services.schemes import import_scheme
from webapp.store.domain import CartLine
from webapp.store.models import Product, Redemption, StockMovement, Store
from webapp.store.services.ledger import household_ledger
from webapp.store.services.redeem import redeem

RULES = Path(__file__).resolve().parent.parent / "tests" / "data" / "rules" / "store-monthly.yaml"
TODAY = date(2026, 5, 20)
POINTS_EACH = 300  # each household earns 300 points this month (30 events of 10)
PRICE = 7  # points of the one product every cart holds


def make_app(url: str):
    return create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": tempfile.mkdtemp()})


def setup(url: str, households: int, processes: int) -> dict:
    app = make_app(url)
    with app.app_context():
        if url.startswith("postgresql"):
            db.drop_all()
        db.create_all()
        town = Town(code="B", name="基准镇")
        village = Village(town=town, code="BV", name="基准村")
        db.session.add_all([town, village])
        db.session.flush()
        version, _ = import_scheme(village, RULES.read_text(encoding="utf-8"), effective_from=date(2026, 1, 1))
        item = db.session.scalar(select(Item).where(Item.version_id == version.id))
        ids = []
        for n in range(households):
            hh = Household(code=f"B{n:05d}", village_id=village.id, head_name=f"户主{n}", enrolled_on=date(2026, 1, 1))
            db.session.add(hh)
            db.session.flush()
            ids.append(hh.code)
            db.session.add(Entry(client_uuid=uuid.uuid4(), village_id=village.id, household_id=hh.id,
                                 item_id=item.id, scheme_version_id=version.id, quantity=Decimal(POINTS_EACH // 10),
                                 occurred_at=datetime(2026, 5, 2), occurred_on=date(2026, 5, 2), status="approved"))
        store = Store(town_id=town.id, code="BS", name="基准超市", villages=[village])
        db.session.add(store)
        db.session.flush()
        clerks = [create_user(f"clerk{i}", "password123", "clerk", store_id=store.id).id for i in range(processes)]
        soap = Product(store_id=store.id, code="S", name="肥皂", price_points=Decimal(PRICE))
        db.session.add(soap)
        db.session.flush()
        db.session.add(StockMovement(store_id=store.id, product_id=soap.id, kind="stock_in", quantity=10**6,
                                     supplier="供销社", invoice_no="B-1"))
        db.session.commit()
        return {"store": store.id, "product": soap.id, "clerks": clerks, "codes": ids}


def worker(url, setup_data, index, codes, requests, barrier, results):  # noqa: ANN001
    """One server process: redeem `requests` times, one soap each, for households drawn from `codes`."""
    app = make_app(url)
    rng = random.Random(index)
    ok = refused = 0
    latencies = []
    with app.app_context():
        clerk_id = setup_data["clerks"][index]
        db.session.get(User, clerk_id)  # warm the connection pool and the scheme cache
        db.session.rollback()
        barrier.wait()
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(requests):
            t = time.perf_counter()
            user = db.session.get(User, clerk_id)
            db.session.rollback()  # as the counter page does: the redemption begins its own transaction
            try:
                redeem(user, setup_data["store"], [CartLine(setup_data["product"], 1)], uuid.uuid4(), TODAY,
                       code=rng.choice(codes))
                db.session.commit()
                ok += 1
            except Refusal:
                db.session.rollback()
                refused += 1
            latencies.append(time.perf_counter() - t)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    results.put((ok, refused, elapsed, latencies, cpu))


def run(url: str, setup_data: dict, codes: list[str], processes: int, requests: int) -> dict:
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(processes), ctx.Queue()
    procs = [ctx.Process(target=worker, args=(url, setup_data, i, codes, requests, barrier, results))
             for i in range(processes)]
    for p in procs:
        p.start()
    got = [results.get() for _ in procs]
    for p in procs:
        p.join()
    ok = sum(g[0] for g in got)
    refused = sum(g[1] for g in got)
    wall = max(g[2] for g in got)
    lat = sorted(x for g in got for x in g[3])
    return {"ok": ok, "refused": refused, "wall": wall, "per_s": (ok + refused) / wall,
            "p50": statistics.median(lat) * 1000, "p95": lat[int(len(lat) * 0.95)] * 1000,
            "cpu_ms": sum(g[4] for g in got) / (ok + refused) * 1000}


def check(url: str, setup_data: dict, successes: int) -> list[str]:
    """The invariants, on the database as the run left it."""
    app = make_app(url)
    problems = []
    with app.app_context():
        for hh in db.session.scalars(select(Household)):
            ledger = household_ledger(hh, TODAY)
            redeemed = db.session.scalar(select(func.coalesce(func.sum(Redemption.total_points), 0))
                                         .where(Redemption.household_id == hh.id))
            if ledger.spendable < 0:
                problems.append(f"{hh.code}: negative balance {ledger.spendable}")
            if ledger.spendable != ledger.earned_year - Decimal(redeemed):
                problems.append(f"{hh.code}: spendable {ledger.spendable} ≠ earned {ledger.earned_year} − {redeemed}")
        stock = db.session.scalar(select(func.sum(StockMovement.quantity)))
        sold = db.session.scalar(select(func.coalesce(func.sum(text("redemption_line.quantity")), 0))
                                 .select_from(text("redemption_line")))
        if stock < 0 or stock != 10**6 - sold:
            problems.append(f"stock {stock} ≠ 1,000,000 − {sold}")
        receipts = db.session.scalar(select(func.count(Redemption.id)))
        if receipts != successes:
            problems.append(f"{receipts} receipts for {successes} successful calls")
        db.session.remove()
        db.engine.dispose()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--requests", type=int, default=300, help="redemptions per process and scenario")
    parser.add_argument("--households", type=int, default=300)
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    data = setup(url, args.households, args.processes)
    print(f"{url.split(':')[0].split('+')[0]}: {args.processes} processes × {args.requests} redemptions a scenario; "
          f"each household earned {POINTS_EACH} points, a cart costs {PRICE}")
    total_ok = 0
    for name, codes in (("one household", data["codes"][:1]), ("many households", data["codes"][1:])):
        r = run(url, data, codes, args.processes, args.requests)
        total_ok += r["ok"]
        print(f"  {name:<16} {r['per_s']:7.1f} requests/s  ({r['ok']} redeemed, {r['refused']} refused "
              f"for lack of points)  latency p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, "
              f"{r['cpu_ms']:.1f} ms CPU a request (Python side)")
    problems = check(url, data, total_ok)
    print("  invariants: " + ("all hold (no negative balance or stock; spendable = earned − redeemed; "
                              "stock = in − redeemed; one receipt per success)" if not problems else "BROKEN"))
    for p in problems[:20]:
        print("    " + p)


if __name__ == "__main__":
    main()
