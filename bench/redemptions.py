"""Benchmark: redemptions over HTTP at the counter, under `jifen serve` with 4 worker processes, on
SQLite or PostgreSQL, then the redemption invariant. Goal: ≥ 200 redemptions/s, zero overspend.

Builds one village on the 丰盛镇 rules (carry-over balances) with many households, each with this
year's entries to today (~25 a month, a realistic mix) and monthly inspections, loaded in bulk; a
store selling a 1-point packet of salt; one clerk per client. Then `--rounds` rounds of `--requests`
redemptions each, posted by `--clients` clerks at once (keep-alive sessions, as counters are), each
for a household drawn at random: POST /store/counter/redeem, the counter's own form. The first round
First every household redeems once (its running account is built from its year, outside the lock:
what the first redemption after new entries costs), then the rounds find the accounts current.
Prints each round's redemptions/s, latency and the server's CPU time a redemption (from /proc: on a
shared machine the CPU time says more than the wall clock), and the min/median over the rounds;
then checks, on the database as the server left it:
no negative balance or stock, every running account = earned − redeemed recomputed from scratch
(verify_accounts), the counter's spendable figure = the account's balance, stock = in − redeemed,
one receipt per success. Nothing is asserted.

    python bench/redemptions.py --db sqlite|postgres [--households 600] [--per-month 25]
                                [--clients 8] [--requests 400] [--rounds 5] [--workers 4]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: the tests' server helper

import requests
from sqlalchemy import func, insert, select

from tests.worlds.databases import throwaway_postgres_database
from tests.worlds.pages import csrf_token
from tests.worlds.server import production_server
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.people.models.geo import Town, Village
from webapp.people.models.household import Household
from webapp.people.services.users import create_user
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item
from webapp.points.services.schemes import import_scheme
from webapp.store.models import HouseholdAccount, Product, Redemption, RedemptionLine, StockMovement, Store
from webapp.store.services.accounts import verify_accounts
from webapp.store.services.ledger import household_ledger

RULES = Path(__file__).resolve().parent.parent / "webapp" / "demo" / "fengsheng.yaml"
TODAY = date.today()  # the server redeems on its own today
STOCK = 10**7
WEIGHTS = {"J1": 30, "J2": 30, "J3a": 4, "J3b": 3, "J4": 6, "J5a": 1, "J5b": 1, "J5c": 2,
           "J6": 0.3, "J7": 0.2, "J8": 0.1, "J9": 0.2, "K1": 1, "K2": 3, "K3": 2, "K4a": 3, "K5": 5, "K8": 3}


def make_app(url: str, data_dir: str):
    return create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": data_dir})


def build(households: int, per_month: int, clients: int, rng: random.Random) -> dict:
    """The village, its households with this year's entries and inspections, the store; committed."""
    year = TODAY.year
    town = Town(code="B", name="基准镇")
    village = Village(town=town, code="BV", name="基准村")
    db.session.add_all([town, village])
    db.session.flush()
    version, _ = import_scheme(village, RULES.read_text(encoding="utf-8"), effective_from=date(year, 1, 1))
    items = {i.code: i for i in db.session.scalars(select(Item).where(Item.version_id == version.id))}
    base = [i for i in items.values() if i.kind == "base"]
    db.session.execute(insert(Household), [
        {"code": f"B{n:05d}", "village_id": village.id, "head_name": f"户主{n}", "head_initials": "hz",
         "enrolled_on": date(year, 1, 1)} for n in range(households)])
    ids = list(db.session.scalars(select(Household.id).where(Household.village_id == village.id)))
    codes, weights = list(WEIGHTS), list(WEIGHTS.values())
    for month in range(1, TODAY.month + 1):
        last_day = TODAY.day if month == TODAY.month else 28
        rows = []
        for hh in ids:
            for code in rng.choices(codes, weights, k=per_month):
                day = rng.randint(1, min(28, last_day))
                rows.append({"client_uuid": uuid.UUID(int=rng.getrandbits(128)), "village_id": village.id,
                             "household_id": hh, "item_id": items[code].id, "scheme_version_id": version.id,
                             "quantity": Decimal(1), "occurred_at": datetime(year, month, day, 9),
                             "occurred_on": date(year, month, day), "occurred_month": year * 100 + month,
                             "status": "approved", "flags": []})
        db.session.execute(insert(Entry), rows)
        if month == TODAY.month:
            continue  # this month's inspection is still to come
        period = f"{year}-{month:02d}"
        db.session.execute(insert(Inspection), [
            {"client_uuid": uuid.UUID(int=rng.getrandbits(128)), "village_id": village.id, "household_id": hh,
             "period": period, "scheme_version_id": version.id, "occurred_at": datetime(year, month, 28),
             "status": "approved"} for hh in ids])
        db.session.execute(insert(InspectionItem), [
            {"inspection_id": iid, "item_id": item.id, "met": item.default_met != (rng.random() < 0.05)}
            for iid in db.session.scalars(select(Inspection.id).where(Inspection.period == period))
            for item in base])
    store = Store(town_id=town.id, code="BS", name="基准超市", villages=[village])
    db.session.add(store)
    db.session.flush()
    clerks = [create_user(f"clerk{i}", "password123", "clerk", store_id=store.id).username for i in range(clients)]
    salt = Product(store_id=store.id, code="Y", name="盐", price_points=Decimal(1))
    db.session.add(salt)
    db.session.flush()
    db.session.add(StockMovement(store_id=store.id, product_id=salt.id, kind="stock_in", quantity=STOCK,
                                 supplier="供销社", invoice_no="B-1"))
    db.session.commit()
    codes = list(db.session.scalars(select(Household.code).order_by(Household.code)))
    return {"store": store.id, "product": salt.id, "clerks": clerks, "codes": codes,
            "entries": db.session.scalar(select(func.count(Entry.id)))}


def clerk(base: str, username: str, store: int) -> tuple[requests.Session, str]:
    session = requests.Session()
    token = csrf_token(session.get(f"{base}/login", timeout=30).text)
    answer = session.post(f"{base}/login", data={"username": username, "password": "password123",
                                                 "csrf_token": token}, allow_redirects=False, timeout=30)
    assert answer.status_code in (302, 303), answer.status_code
    return session, csrf_token(session.get(f"{base}/store/counter?store={store}", timeout=30).text)


def server_cpu_seconds(base: str) -> float:
    """CPU seconds used so far by the server listening at `base` and its workers (from /proc)."""
    port, tick = base.rsplit(":", 1)[1], os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        stats[entry.name] = (cmdline, fields[1], int(fields[11]) + int(fields[12]))
    masters = {pid for pid, (cmdline, _, _) in stats.items() if b"serve" in cmdline and port.encode() in cmdline}
    return sum(cpu for pid, (_, parent, cpu) in stats.items() if pid in masters or parent in masters) / tick


def one_round(base: str, world: dict, clerks: list, requests_: int, rng: random.Random,
              codes: list[str] | None = None) -> dict:
    """`requests_` redemptions of one packet each (for households drawn at random, or `codes` in turn),
    shared among the clerks, all at once."""
    codes = codes or [rng.choice(world["codes"]) for _ in range(requests_)]
    picks = [codes[i::len(clerks)] for i in range(len(clerks))]

    def counter(job: tuple[tuple[requests.Session, str], list[str]]) -> list[tuple[int, float]]:
        (session, token), codes = job
        answers = []
        for code in codes:
            t = time.perf_counter()
            status = session.post(f"{base}/store/counter/redeem", data={
                "csrf_token": token, "store": world["store"], "client_key": str(uuid.uuid4()), "code": code,
                f"q{world['product']}": "1"}, allow_redirects=False, timeout=60).status_code
            answers.append((status, time.perf_counter() - t))
        return answers
    started, cpu = time.perf_counter(), server_cpu_seconds(base)
    with ThreadPoolExecutor(max_workers=len(clerks)) as pool:
        answers = [a for done in pool.map(counter, zip(clerks, picks)) for a in done]
    wall, cpu = time.perf_counter() - started, server_cpu_seconds(base) - cpu
    latencies = sorted(seconds for _, seconds in answers)
    return {"ok": sum(s == 303 for s, _ in answers), "refused": sum(s == 422 for s, _ in answers),
            "other": sum(s not in (303, 422) for s, _ in answers), "wall": wall,
            "per_s": sum(s == 303 for s, _ in answers) / wall,
            "p50": statistics.median(latencies) * 1000, "p95": latencies[int(len(latencies) * 0.95)] * 1000,
            "cpu_ms": cpu / len(answers) * 1000}


def check(successes: int) -> list[str]:
    """The redemption invariant, on the database as the server left it."""
    problems = verify_accounts(TODAY)
    accounts = {a.household_id: a for a in db.session.scalars(select(HouseholdAccount))}
    for household in db.session.scalars(select(Household)):
        spendable = household_ledger(household, TODAY).spendable
        if spendable < 0:
            problems.append(f"{household.code}: negative balance {spendable}")
        account = accounts.get(household.id)
        if account is not None and Decimal(account.balance) != spendable:
            problems.append(f"{household.code}: account {account.balance} ≠ counter's spendable {spendable}")
    stock = db.session.scalar(select(func.sum(StockMovement.quantity)))
    sold = db.session.scalar(select(func.coalesce(func.sum(RedemptionLine.quantity), 0)))
    if stock < 0 or stock != STOCK - sold:
        problems.append(f"stock {stock} ≠ {STOCK} − {sold}")
    receipts = db.session.scalar(select(func.count(Redemption.id)))
    if receipts != successes:
        problems.append(f"{receipts} receipts for {successes} successful requests")
    return problems


def report(name: str, r: dict) -> None:
    print(f"  {name}: {r['per_s']:6.1f} redemptions/s  ({r['ok']} redeemed, {r['refused']} refused, "
          f"{r['other']} other)  latency p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms; "
          f"server CPU {r['cpu_ms']:.1f} ms a redemption")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--households", type=int, default=600)
    parser.add_argument("--per-month", type=int, default=25, help="entries a household has a month")
    parser.add_argument("--clients", type=int, default=8, help="clerks posting at once")
    parser.add_argument("--requests", type=int, default=400, help="redemptions a round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = (stack.enter_context(throwaway_postgres_database()) if args.db == "postgres"
               else f"sqlite:///{data_dir / 'bench.db'}")
        app = make_app(url, str(data_dir))
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            world = build(args.households, args.per_month, args.clients, random.Random(1))
            print(f"{args.db}: {args.households} households, {world['entries']} entries ({TODAY.year} to "
                  f"{TODAY}), built in {time.perf_counter() - started:.0f} s; {args.workers} workers, "
                  f"{args.clients} clerks at once, {args.requests} redemptions a round")
            db.session.remove()
            db.engine.dispose()
        rng, rounds = random.Random(2), []
        with production_server(url, data_dir, workers=args.workers) as base:
            clerks = [clerk(base, name, world["store"]) for name in world["clerks"]]
            first = one_round(base, world, clerks, len(world["codes"]), rng, codes=world["codes"])
            report("each household's first (its account built from its year)", first)
            for n in range(args.rounds):
                rounds.append(one_round(base, world, clerks, args.requests, rng))
                report(f"round {n + 1}", rounds[-1])
        rates, cpu = [r["per_s"] for r in rounds], [r["cpu_ms"] for r in rounds]
        print(f"  redemptions/s over {len(rates)} rounds: min {min(rates):.1f}, median {statistics.median(rates):.1f}; "
              f"server CPU a redemption: min {min(cpu):.1f} ms, median {statistics.median(cpu):.1f} ms "
              f"(capacity ≈ {os.cpu_count()} cores ÷ CPU a redemption ≈ {os.cpu_count() * 1000 / statistics.median(cpu):.0f}/s)")
        with app.app_context():
            problems = check(first["ok"] + sum(r["ok"] for r in rounds))
            db.session.remove()
            db.engine.dispose()
        print("  invariant: " + ("holds (no negative balance or stock; every account = earned − redeemed, "
                                 "recomputed; the counter shows the account's balance; stock = in − redeemed; "
                                 "one receipt per success)" if not problems else "BROKEN"))
        for problem in problems[:20]:
            print("    " + problem)


if __name__ == "__main__":
    main()
