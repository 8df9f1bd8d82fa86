"""Run the county bench: `python -m bench.county [--small]` (see bench/county/__init__.py)."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback

from bench.county import build, database, served, villages
from bench.county.table import MEASURES, Row, render, row
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/jifen_county"
FULL = {"towns": 10, "villages": 30, "households": 500, "entries_each": 80, "closed_months": 10}
SMALL = {"towns": 1, "villages": 3, "households": 50, "entries_each": 6, "closed_months": 4}
GROUPS = ("ranking", "per-household", "county", "redemptions", "sync", "scoring")


def machine() -> str:
    """What the figures were measured on: cores, memory, load, Python, PostgreSQL."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        pg = subprocess.run(["psql", "-V"], check=False, capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        pg = "psql not found"
    return (f"{os.cpu_count()} cores, {memory:.0f} GB, load {load}, Python {platform.python_version()}, "
            f"{pg}, {platform.platform()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="3 villages × 50 households; every row in ~1 minute")
    parser.add_argument("--url", help=f"the county's PostgreSQL database (default {DEFAULT_URL}, or …_small)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-build", action="store_true", help="measure the county already built at --url")
    parser.add_argument("--skip", default="", help=f"groups of rows not to measure: {','.join(GROUPS)}")
    args = parser.parse_args(argv)
    url = args.url or (DEFAULT_URL + "_small" if args.small else DEFAULT_URL)
    skip = {s for s in args.skip.split(",") if s}
    shape = SMALL if args.small else FULL
    runs = 3 if args.small else args.runs
    print(f"machine: {machine()}", flush=True)
    rows: dict[str, Row] = {}

    def attempt(group: str, call) -> None:
        if group in skip:
            return
        started = time.perf_counter()
        try:
            for measured in call():
                rows[measured.measure] = measured
                print("  | " + " | ".join(measured.cells()) + " |", flush=True)  # as it comes: a long run may be cut
        except Exception as error:  # noqa: BLE001 - one failed measure is a row saying so, not a lost table
            traceback.print_exc()
            print(f"  {group}: failed ({type(error).__name__}: {error})", flush=True)
        print(f"  {group}: {time.perf_counter() - started:.1f} s", flush=True)

    database.ensure_database(url)
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": tempfile.mkdtemp()})
    with app.app_context():
        if args.no_build:
            world = database.describe(shape["towns"])
            added = database.add_missing_indexes()
            print(f"indexes added since the county was built: {', '.join(added) or 'none'}", flush=True)
        else:
            print(f"building the county at {url}: {shape}", flush=True)
            world = build.build_county(**shape)
        world["towns"] = shape["towns"]
        print(f"county: {len(world['villages'])} villages, {database.entry_count():,} entries"
              + (f", built in {world['seconds']:.0f} s" if "seconds" in world else ""), flush=True)
        db.session.remove()
        db.engine.dispose()
    rank_hh, rank_pm = (60, 2) if args.small else (1500, 25)
    attempt("county", lambda: served.county_pages(url, world, runs))
    attempt("ranking", lambda: villages.ranking_rows(
        f"sqlite:///{tempfile.mkdtemp()}/rank.db", "SQLite", rank_hh, rank_pm, runs))
    attempt("ranking", lambda: villages.ranking_rows(served.sibling(url, "rank"), "PostgreSQL", rank_hh, rank_pm, runs))
    attempt("per-household", lambda: [villages.per_household_row(args.small, runs)])
    attempt("redemptions", lambda: served.redemption_rows(url, args.small, runs))
    attempt("sync", lambda: [served.sync_row(url, args.small, runs)])
    attempt("scoring", lambda: [served.scoring_row()])
    table = [rows.get(m) or row(m, "not measured (skipped or failed: see above)") for m in MEASURES]
    print("\n" + render(table), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
