"""The single-village rows: a monthly ranking (closed and open), the cost per household from 1,500 to
15,000 households, and the close of a year — on SQLite and PostgreSQL.

Each world is bench/ranking.py's village (its `generate`: a year of entries and monthly inspections,
2025), in a fresh SQLite file or in a PostgreSQL database of the bench's own. The open month is timed
as `computed_ranking` (what the cache computes once per change of the village); the closed month as
`village_ranking` after the month was closed through the publication service (what every reader
calls). The close of a year is timed through the service and rolled back, so it can be repeated."""

from __future__ import annotations

import gc
import random
import statistics
import tempfile
import time
from datetime import date

from bench.county.database import ensure_database
from bench.county.table import Row, row
from bench.ranking import YEAR, generate
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.services.users import create_user
from webapp.points.services.points import computed_ranking, village_ranking
from webapp.publication.services import publications

TODAY = date(YEAR + 1, 1, 5)  # every month of the year over and closable


def world(url: str, households: int, per_month: int) -> tuple:
    """An app on `url` holding one generated village; returns (app, village id)."""
    if url.startswith("postgresql"):
        ensure_database(url)
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": tempfile.mkdtemp()})
    with app.app_context():
        db.drop_all()
        db.create_all()
        village_id = generate(households, per_month, random.Random(1))
        create_user("rank-admin", "password123", "village_admin", village_id=village_id)
        db.session.commit()
    return app, village_id


def timed(call, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        db.session.expire_all()
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _admin():
    from webapp.people.models.user import User

    return db.session.scalar(db.select(User).where(User.username == "rank-admin"))


def ranking_rows(url: str, backend: str, households: int, per_month: int, runs: int) -> list[Row]:
    """Open June (computed), the close of the year (rolled back), then closed June (stored)."""
    app, village_id = world(url, households, per_month)
    june = Period.month(YEAR, 6)
    closed = row(f"ranking 1,500 hh, closed month, {backend}")
    opened = row(f"ranking 1,500 hh, open month, {backend}")
    year = row(f"close of a year, 1,500 hh, {backend}")
    with app.app_context():
        computed_ranking(village_id, june)  # warm: the rules' parse cache
        opened.values = timed(lambda: computed_ranking(village_id, june), runs)
        village = db.session.get(Village, village_id)
        admin = _admin()
        for _ in range(runs):
            start = time.perf_counter()
            publications.close_period(admin, village, Period.whole_year(YEAR), TODAY)
            year.values.append(time.perf_counter() - start)
            db.session.rollback()
            village, admin = db.session.get(Village, village_id), _admin()
        year.note = "through the service up to its flush, then rolled back (the commit not included)"
        publications.close_period(admin, village, june, TODAY)
        db.session.commit()
        village_ranking(village_id, june)
        closed.values = timed(lambda: village_ranking(village_id, june), runs)
        db.session.remove()
        db.engine.dispose()
    note = f"{households:,} households, {per_month} entries a household a month"
    opened.note = closed.note = note
    return [closed, opened, year]


def per_household_row(small: bool, runs: int) -> Row:
    """computed_ranking's cost per household at 1,500 and at 15,000 households (SQLite; 50 and 500 with
    --small), each with a year of 4 entries a household a month (1 with --small). Reported: the ratio of
    the per-household costs (large ÷ small), from the best and from the median runs."""
    sizes, per_month = ((50, 500), 1) if small else ((1500, 15000), 4)
    per_hh: dict[int, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for n in sizes:
            app, village_id = world(f"sqlite:///{folder}/hh{n}.db", n, per_month)
            with app.app_context():
                june = Period.month(YEAR, 6)
                computed_ranking(village_id, june)
                per_hh[n] = [ms / n * 1000 for ms in timed(lambda v=village_id, p=june: computed_ranking(v, p), runs)]
                db.session.remove()
                db.engine.dispose()
            gc.collect()
    small_n, large_n = sizes
    measured = row("ranking cost per household, 1,500 → 15,000")
    measured.values = [min(per_hh[large_n]) / min(per_hh[small_n]),
                  statistics.median(per_hh[large_n]) / statistics.median(per_hh[small_n])]
    measured.note = (f"{min(per_hh[small_n]):.0f} µs a household at {small_n:,}, {min(per_hh[large_n]):.0f} µs at "
                f"{large_n:,} (best runs; SQLite, {per_month} entries a household a month); goal: flat within 20 %")
    return measured
