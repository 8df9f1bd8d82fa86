"""Benchmark: a village's monthly ranking, open and closed, on SQLite or PostgreSQL, at 1,500 and 15,000 households.

Generates one village with a year of entries (~25 per household per month, ~450,000 at 1,500
households) and monthly inspections, then times, for each size:
- the open month (June, and December with its year-end credit): `computed_ranking`, what the
  ranking costs after any change to the village (load the tallies aggregated in SQL, every
  household's explained month, rank) — with the garbage collector paused during the ranking as
  shipped (webapp/core/collector.py), and with it running, for comparison;
- the closed month: June closed through the publication service, then `village_ranking`, which
  reads the figures the close stored.
Prints min and median (ms) and the cost per household (µs); goals ≤ 100 ms open, ≤ 25 ms closed at
1,500 households, per-household cost flat within 20 % up to 15,000. Nothing is asserted.

    python -m bench.ranking [--db sqlite|postgres] [--households 1500,15000] [--runs 7]
    python -m bench.ranking --households 20 --runs 1          # quick
PostgreSQL: $JIFEN_BENCH_POSTGRES_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test; the
benchmark works in its own database beside it (jifen_ranking_bench), dropped and created afresh.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, insert, make_url, select, text

from webapp.app import create_app
from webapp.config import TestConfig
from webapp.core.collector import freeze_long_lived
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import Town, Village
from webapp.people.models.household import Household
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item
from webapp.points.services import points as points_service
from webapp.points.services.schemes import import_scheme

RULES = Path(__file__).resolve().parent.parent / "webapp" / "demo" / "fengsheng.yaml"
YEAR = 2025
# Relative frequency of event items among the ~25 entries a month.
WEIGHTS = {"J1": 30, "J2": 30, "J3a": 4, "J3b": 3, "J4": 6, "J5a": 1, "J5b": 1, "J5c": 2,
           "J6": 0.3, "J7": 0.2, "J8": 0.1, "J9": 0.2, "K1": 1, "K2": 3, "K3": 2, "K4a": 3, "K5": 5, "K8": 3}


def generate(households: int, per_month: int, rng: random.Random) -> int:
    town = Town(code="B", name="基准镇")
    village = Village(town=town, code="BV", name="基准村")
    db.session.add_all([town, village])
    db.session.flush()
    version, _ = import_scheme(village, RULES.read_text(encoding="utf-8"), effective_from=date(YEAR, 1, 1))
    items = {i.code: i for i in db.session.scalars(select(Item).where(Item.version_id == version.id))}
    base = [i for i in items.values() if i.kind == "base"]
    _bulk_insert(Household, [
        {"code": f"B{n:05d}", "village_id": village.id, "head_name": f"户主{n}", "head_initials": "hz",
         "enrolled_on": date(YEAR, 1, 1)} for n in range(households)
    ])
    ids = list(db.session.scalars(select(Household.id).where(Household.village_id == village.id)))
    codes, weights = list(WEIGHTS), list(WEIGHTS.values())
    rows = []
    for month in range(1, 13):
        for hh in ids:
            for code in rng.choices(codes, weights, k=per_month):
                day = rng.randint(1, 28)
                rows.append({
                    "client_uuid": uuid.UUID(int=rng.getrandbits(128)), "village_id": village.id,
                    "household_id": hh, "item_id": items[code].id, "scheme_version_id": version.id,
                    "quantity": Decimal(1), "occurred_at": datetime(YEAR, month, day, 9),
                    "occurred_on": date(YEAR, month, day), "occurred_month": YEAR * 100 + month,
                    "status": "approved", "flags": [],
                })
            if len(rows) >= 20000:
                _bulk_insert(Entry, rows)
                rows = []
        inspections = [{"client_uuid": uuid.UUID(int=rng.getrandbits(128)), "village_id": village.id,
                        "household_id": hh, "period": f"{YEAR}-{month:02d}", "scheme_version_id": version.id,
                        "occurred_at": datetime(YEAR, month, 28), "status": "approved"} for hh in ids]
        _bulk_insert(Inspection, inspections)
        inspection_ids = db.session.scalars(select(Inspection.id).where(Inspection.period == f"{YEAR}-{month:02d}"))
        _bulk_insert(InspectionItem, [
            {"inspection_id": iid, "item_id": item.id, "met": item.default_met != (rng.random() < 0.05)}
            for iid in inspection_ids for item in base
        ])
    if rows:
        _bulk_insert(Entry, rows)
    db.session.commit()
    return village.id


DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "jifen_ranking_bench"


def _bulk_insert(model, rows: list[dict]) -> None:  # noqa: ANN001 - a mapped class
    """Insert rows: COPY on PostgreSQL (Python-side column defaults filled in here), INSERT elsewhere."""
    if not rows:
        return
    if db.engine.dialect.name != "postgresql":
        db.session.execute(insert(model), rows)
        return
    table = model.__table__
    columns = [c for c in table.columns if c.name in rows[0] or (c.default is not None and not c.primary_key)]
    fills = {c.name: c.default.arg if c.default.is_scalar else c.default.arg(None)
             for c in columns if c.name not in rows[0]}
    jsons = {c.name for c in columns if c.type.__class__.__name__ == "JSON"}
    names = [c.name for c in columns]
    cursor = db.session.connection().connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            values = {**fills, **row}
            copy.write_row([json.dumps(values[n]) if n in jsons else values[n] for n in names])


def postgres_url() -> str:
    """The benchmark's own database on the server $JIFEN_BENCH_POSTGRES_URL names, created afresh."""
    server = make_url(os.environ.get("JIFEN_BENCH_POSTGRES_URL") or DEFAULT_POSTGRES)
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"'))
        conn.execute(text(f'CREATE DATABASE "{BENCH_DATABASE}"'))
    admin.dispose()
    return server.set(database=BENCH_DATABASE).render_as_string(hide_password=False)


@contextlib.contextmanager
def bench_app(database: str, tmp: str):  # noqa: ANN201 - an app context
    """An app on a fresh database; the collector frozen after start-up, as the server does (serve.py)."""
    url = postgres_url() if database == "postgres" else f"sqlite:///{tmp}/bench.db"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": tmp})
    with app.app_context():
        db.create_all()
        freeze_long_lived()
        yield app
        db.session.remove()
        db.engine.dispose()


def timed(call: Callable[[], object], runs: int, warm: bool = True) -> list[tuple[float, float]]:
    """Milliseconds of each of `runs` calls (after one to warm up), the session emptied before each:
    wall-clock time and this process's CPU time (which other work on a shared machine disturbs less)."""
    if warm:
        call()
    timings = []
    for _ in range(runs):
        db.session.expire_all()
        started, cpu = time.perf_counter(), time.process_time()
        call()
        timings.append(((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000))
    return timings


def interleaved(village_id: int, period: Period, runs: int) -> tuple[list[float], list[float]]:
    """The open month's ranking with the collector paused (as shipped) and running, run by run in turn
    so that both see the same load on a shared machine."""
    paused: list[tuple[float, float]] = []
    running: list[tuple[float, float]] = []
    shipped = points_service.quiet_collector
    points_service.computed_ranking(village_id, period)  # warm up
    for _ in range(runs):
        paused += timed(lambda: points_service.computed_ranking(village_id, period), 1, warm=False)
        points_service.quiet_collector = contextlib.nullcontext  # the collector as Python runs it
        try:
            running += timed(lambda: points_service.computed_ranking(village_id, period), 1, warm=False)
        finally:
            points_service.quiet_collector = shipped
    return paused, running


def report(label: str, timings: list[tuple[float, float]], households: int, goal: str) -> float:
    """Print min and median; return the median CPU time per household (µs)."""
    wall, cpu = [w for w, _ in timings], [c for _, c in timings]
    per_household = statistics.median(cpu) * 1000 / households
    print(f"  {label}: min {min(wall):.1f} ms, median {statistics.median(wall):.1f} ms over {len(wall)} runs "
          f"(CPU min {min(cpu):.1f}, median {statistics.median(cpu):.1f} ms; {per_household:.0f} µs a household){goal}")
    return per_household


def measure(village_id: int, households: int, month: int, runs: int) -> dict[str, float]:
    """Time the open months (collector paused as shipped, then running), then the closed month."""
    from webapp.people.services.users import create_user
    from webapp.publication.services import publications

    per_household = {}
    for number in sorted({month, 12}):
        period = Period.month(YEAR, number)
        print(f" {period.key} open (computed):")
        shipped, running = interleaved(village_id, period, runs)
        per_household[f"open {number}"] = report("collector paused", shipped, households, " (goal ≤ 100 ms at 1,500)")
        per_household[f"gc on {number}"] = report("collector running", running, households, "")
    admin = create_user("bench-admin", "password123", "village_admin", village_id=village_id)
    period = Period.month(YEAR, month)
    started = time.perf_counter()
    publications.close_period(admin, db.session.get(Village, village_id), period, date(YEAR + 1, 1, 5))
    db.session.commit()
    print(f" {period.key} closed through the publication service in {time.perf_counter() - started:.1f} s:")
    stored = timed(lambda: points_service.village_ranking(village_id, period), runs)
    per_household["closed"] = report("village_ranking", stored, households, " (goal ≤ 25 ms at 1,500)")
    return per_household


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--households", default="1500", help="village sizes, comma-separated (e.g. 1500,15000)")
    parser.add_argument("--per-month", type=int, default=25)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--month", type=int, default=6, help="month of the ranking (December includes year-end credit)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.households.split(",")]
    results = {}
    for households in sizes:
        with tempfile.TemporaryDirectory() as tmp, bench_app(args.db, tmp):
            started = time.perf_counter()
            village_id = generate(households, args.per_month, random.Random(1))
            entries = db.session.scalar(select(db.func.count()).select_from(Entry))
            print(f"{args.db}: {households} households, {entries} entries "
                  f"(generated in {time.perf_counter() - started:.0f} s)")
            results[households] = measure(village_id, households, args.month, args.runs)
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        print(f"CPU cost per household, {large} against {small} households (goal: within 20 %):")
        for key, value in results[large].items():
            print(f"  {key}: {value / results[small][key]:.2f}×")


if __name__ == "__main__":
    main()
