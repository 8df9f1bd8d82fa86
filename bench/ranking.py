"""Benchmark: the monthly ranking, with explanations, of a village of 1,500 households.

Generates one village with a year of entries (~25 per household per month, ~450,000
in all) and monthly inspections on SQLite, then times `village_ranking` for a month:
load the month's tallies (aggregated in SQL), compute every household's explained
statement (`village_explanations`), rank. Goal: ≤ 100 ms. Prints the figures; nothing is asserted.

    python bench/ranking.py [--households 1500] [--per-month 25] [--runs 7]
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

from sqlalchemy import insert, select

from webapp.app import create_app
from webapp.config import TestConfig
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import Town, Village
from webapp.people.models.household import Household
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item
from webapp.points.services.points import village_ranking
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
    db.session.execute(insert(Household), [
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
                db.session.execute(insert(Entry), rows)
                rows = []
        inspections = [{"client_uuid": uuid.UUID(int=rng.getrandbits(128)), "village_id": village.id,
                        "household_id": hh, "period": f"{YEAR}-{month:02d}", "scheme_version_id": version.id,
                        "occurred_at": datetime(YEAR, month, 28), "status": "approved"} for hh in ids]
        db.session.execute(insert(Inspection), inspections)
        inspection_ids = db.session.scalars(select(Inspection.id).where(Inspection.period == f"{YEAR}-{month:02d}"))
        db.session.execute(insert(InspectionItem), [
            {"inspection_id": iid, "item_id": item.id, "met": item.default_met != (rng.random() < 0.05)}
            for iid in inspection_ids for item in base
        ])
    if rows:
        db.session.execute(insert(Entry), rows)
    db.session.commit()
    return village.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1500)
    parser.add_argument("--per-month", type=int, default=25)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--month", type=int, default=6, help="month of the ranking (December includes year-end credit)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "DATA_DIR": tmp})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            village_id = generate(args.households, args.per_month, random.Random(1))
            entries = db.session.query(Entry).count()
            print(f"generated {args.households} households, {entries} entries in {time.perf_counter() - started:.1f} s")
            for month in sorted({args.month, 12}):
                period = Period.month(YEAR, month)
                timings = []
                for _ in range(args.runs):
                    db.session.expire_all()
                    t0 = time.perf_counter()
                    ranks, scores = village_ranking(village_id, period)
                    timings.append((time.perf_counter() - t0) * 1000)
                top = min(ranks.values())
                print(f"monthly ranking {period.key}: {len(ranks)} households ranked (top rank {top}), "
                      f"median {statistics.median(timings):.1f} ms, best {min(timings):.1f} ms over {args.runs} runs"
                      " (goal ≤ 100 ms)")


if __name__ == "__main__":
    main()
