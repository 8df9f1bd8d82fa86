"""Benchmark: closing a village's months and its year, 1,500 households, on SQLite or PostgreSQL.

Reuses bench/ranking.py's generated village (a year of ~25 entries per household per month). The
village's scheme publishes monthly (Fengsheng), so, as a committee does, it closes every month in turn
and then the year. Each close computes every household's points, year-to-date total and rank, stores
them, and claims what it counted (a month's ~37,500 entries); the year's adds the annual ranking,
stars and prizes. `--catch-up` instead closes only June and December before the year (the issue's first
measurement), so the year's close claims the ten months no one closed: one UPDATE of ~375,000 entries.
Prints the figures (goal: the year's close ≤ 2 s at 1,500 households); asserts nothing.

    python -m bench.close_period [--db sqlite|postgres] [--households 1500] [--catch-up]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date

from sqlalchemy import event

from bench.ranking import YEAR, bench_app, generate
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.user import User
from webapp.people.services.users import create_user
from webapp.points.models.entry import Entry
from webapp.publication.services import publications


class StatementClock:
    """Time spent in SQL statements, the slowest one named (where a close's time goes)."""

    def __init__(self) -> None:
        self.total, self.slowest, self._started = 0.0, (0.0, ""), 0.0
        event.listen(db.engine, "before_cursor_execute", self._before)
        event.listen(db.engine, "after_cursor_execute", self._after)

    def _before(self, *_args: object) -> None:
        self._started = time.perf_counter()

    def _after(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        took = time.perf_counter() - self._started
        self.total += took
        self.slowest = max(self.slowest, (took, " ".join(statement.split())[:60]))

    def reset(self) -> None:
        self.total, self.slowest = 0.0, (0.0, "")


def close(admin: User, village: Village, period: Period, clock: StatementClock) -> float:
    clock.reset()
    started = time.perf_counter()
    publication = publications.close_period(admin, village, period, date(YEAR + 1, 1, 5))
    db.session.commit()
    took = time.perf_counter() - started
    slowest_ms, statement = clock.slowest
    print(f"  close {period.key}: {took * 1000:.0f} ms ({len(publication.frozen['rows'])} households; "
          f"SQL {clock.total * 1000:.0f} ms, slowest {slowest_ms * 1000:.0f} ms: {statement}…)")
    return took * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--households", type=int, default=1500)
    parser.add_argument("--per-month", type=int, default=25)
    parser.add_argument("--catch-up", action="store_true", help="close only June and December before the year")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, bench_app(args.db, tmp):
        village_id = generate(args.households, args.per_month, random.Random(1))
        village = db.session.get(Village, village_id)
        admin: User = create_user("bench-admin", "password123", "village_admin", village_id=village_id)
        db.session.commit()
        print(f"{args.db}: {args.households} households, {db.session.query(Entry).count()} entries")
        clock = StatementClock()
        months = (6, 12) if args.catch_up else range(1, 13)
        timings = [close(admin, village, Period.month(YEAR, month), clock) for month in months]
        print(f" months: min {min(timings):.0f} ms, median {statistics.median(timings):.0f} ms")
        year = close(admin, village, Period.whole_year(YEAR), clock)
        after = " after only June and December" if args.catch_up else ""
        print(f" the year's close: {year:.0f} ms (goal ≤ 2,000 ms){after}")


if __name__ == "__main__":
    main()
