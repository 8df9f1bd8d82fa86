"""Benchmark: closing and publishing a month, and closing the year, for a village of 1,500 households.

Reuses bench/ranking.py's generated village (a year of ~25 entries per household per month).
Times `close_period` (every household's points, year-to-date total and rank; claiming the
month's ~37,500 entries), `publish` (the public snapshot and its hash) and the year's close
(annual ranking, stars and prizes). No goal is set by the issue; the figures show that a
committee's click returns in well under a few seconds. Prints the figures; asserts nothing.

    python -m bench.close_period [--households 1500] [--per-month 25]   # (-m: it reuses bench.ranking)
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date

from bench.ranking import YEAR, generate
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.user import User
from webapp.people.services.users import create_user
from webapp.points.models.entry import Entry
from webapp.publication.services import publications


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1500)
    parser.add_argument("--per-month", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "DATA_DIR": tmp})
        with app.app_context():
            db.create_all()
            village_id = generate(args.households, args.per_month, random.Random(1))
            village = db.session.get(Village, village_id)
            admin: User = create_user("bench-admin", "password123", "village_admin", village_id=village_id)
            db.session.commit()
            print(f"generated {args.households} households, {db.session.query(Entry).count()} entries")
            for month in (6, 12):
                period = Period.month(YEAR, month)
                t0 = time.perf_counter()
                publication = publications.close_period(admin, village, period, date(YEAR + 1, 1, 5))
                db.session.commit()
                t1 = time.perf_counter()
                publications.publish(admin, publication, date(YEAR + 1, 1, 5))
                db.session.commit()
                t2 = time.perf_counter()
                print(f"close {period.key}: {(t1 - t0) * 1000:.0f} ms ({len(publication.frozen['rows'])} households);"
                      f" publish: {(t2 - t1) * 1000:.0f} ms (snapshot {len(publication.snapshot) / 1024:.0f} KB)")
            t0 = time.perf_counter()
            year = publications.close_period(admin, village, Period.whole_year(YEAR), date(YEAR + 1, 1, 5))
            db.session.commit()
            print(f"close {YEAR}: {(time.perf_counter() - t0) * 1000:.0f} ms "
                  f"({len(year.frozen['awards']['prizes'])} prizes proposed)")


if __name__ == "__main__":
    main()
