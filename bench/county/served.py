"""The rows timed against running servers or other bench scripts: the county's pages over HTTP
(household page, a town's dashboard, the county overview), redemptions (bench/redemptions.py), sync
ingest over HTTP on PostgreSQL (bench/sync_ingest.py) and the scoring page's bytes
(bench/scoring_page_bytes.py)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import requests
from sqlalchemy import make_url

from bench.county.build import PASSWORD, YEAR
from bench.county.database import ensure_database
from bench.county.table import Row, row
from tests.worlds.pages import csrf_token
from tests.worlds.server import production_server

DASHBOARD = f"/town/dashboard?month={YEAR}-06"


def sibling(url: str, suffix: str) -> str:
    """The URL of a database of the bench's own beside the county's (…/jifen_county → …/jifen_county_rank)."""
    target = make_url(url)
    return target.set(database=f"{target.database}_{suffix}").render_as_string(hide_password=False)


def _login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    token = csrf_token(session.get(f"{base}/login", timeout=30).text)
    answer = session.post(f"{base}/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                          allow_redirects=False, timeout=30)
    assert answer.status_code in (302, 303), (username, answer.status_code)
    return session


def _timed(session: requests.Session, urls: list[str], runs: int) -> list[float]:
    for url in urls[:2]:  # warm both workers: templates, the rules' parse cache, the ranking cache
        session.get(url, timeout=300)
    out = []
    for k in range(runs):
        url = urls[k % len(urls)]
        start = time.perf_counter()
        answer = session.get(url, timeout=300)
        out.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
    return out


def county_pages(url: str, world: dict, runs: int) -> list[Row]:
    """The household page (a village admin, the village's households in turn), the dashboard of a town of
    30 villages (its town admin) and of all of them (a user administering every town), over HTTP against
    `jifen serve` with 2 workers on loopback."""
    page = row("household page")
    town = row("town's dashboard, 30 villages")
    county = row("county overview, 300 villages")
    village = world["villages"][0]
    codes = [f"{village['code']}H{n:04d}" for n in range(0, 50, 7)]
    with production_server(url, Path(tempfile.mkdtemp()), workers=2, timeout=120) as base:
        admin = _login(base, "villageadmin")
        page.values = _timed(admin, [f"{base}/households/{code}" for code in codes], runs)
        town.values = _timed(_login(base, "townadmin"), [f"{base}{DASHBOARD}"], runs)
        county.values = _timed(_login(base, "countyadmin"), [f"{base}{DASHBOARD}"], runs)
    villages = len(world["villages"])
    page.note = "GET /households/<code> of the county's first village (its current period), as its admin"
    town.note = f"GET {DASHBOARD} as the first town's admin ({villages // world['towns']} villages)"
    county.note = f"GET {DASHBOARD} as a user administering all {world['towns']} towns ({villages} villages)"
    return [page, town, county]


def redemption_rows(url: str, small: bool, runs: int) -> list[Row]:
    """bench/redemptions.py over HTTP (its world, its clerks posting at once, its invariant check) on SQLite
    and on PostgreSQL, under `jifen serve` with 4 workers: each household's first redemption (its running
    account built), then `runs` timed rounds."""
    import random

    from bench import redemptions
    from webapp.extensions import db

    households, per_month, clients, requests_each = (20, 2, 4, 20) if small else (600, 25, 8, 400)
    out = []
    for backend, target in (("SQLite", f"sqlite:///{tempfile.mkdtemp()}/store.db"), ("PostgreSQL", sibling(url, "store"))):
        if backend == "PostgreSQL":
            ensure_database(target)
        measured = row(f"redemptions, 4 workers, many hh, {backend}")
        data_dir = Path(tempfile.mkdtemp())
        app = redemptions.make_app(target, str(data_dir))
        with app.app_context():
            db.drop_all()
            db.create_all()
            world = redemptions.build(households, per_month, clients, random.Random(1))
            db.session.remove()
            db.engine.dispose()
        rng, ok = random.Random(2), 0
        with production_server(target, data_dir, workers=4, timeout=120) as base:
            clerks = [redemptions.clerk(base, name, world["store"]) for name in world["clerks"]]
            ok += redemptions.one_round(base, world, clerks, len(world["codes"]), rng, codes=world["codes"])["ok"]
            for _ in range(1 if small else runs):
                result = redemptions.one_round(base, world, clerks, requests_each, rng)
                ok += result["ok"]
                measured.values.append(result["per_s"])
        with app.app_context():
            problems = redemptions.check(ok)
            db.session.remove()
            db.engine.dispose()
        measured.note = (f"bench/redemptions.py: {households} households with {per_month} entries a month, "
                         f"{clients} clerks posting at once, {requests_each} redemptions a round; invariant "
                         + ("holds" if not problems else f"BROKEN: {problems[0]}"))
        out.append(measured)
    return out


def sync_row(url: str, small: bool, runs: int) -> Row:
    from bench import sync_ingest

    measured = row("sync ingest over HTTP, PostgreSQL")
    target = sibling(url, "sync")
    ensure_database(target)
    batches, clients = (3, 2) if small else (60, 4)
    measured.values = sync_ingest.http_rates(target, batches=batches, households=300, clients=clients,
                                        workers=4, rounds=1 if small else runs)
    measured.note = (f"bench/sync_ingest.py --url …: {clients} phones posting batches of 50 at once to `jifen serve` "
                "(4 workers, loopback); items/s per round")
    return measured


def scoring_row() -> Row:
    measured = row("scoring page first load, precache incl.")
    try:
        from bench import scoring_page_bytes

        result = scoring_page_bytes.measure()
    except Exception as error:  # noqa: BLE001 - no Chromium or Playwright: said in the row, not fatal
        measured.note = f"not measured: {type(error).__name__}: {str(error)[:120]}"
        return measured
    measured.values = [result["first load"]["server"] / 1024]
    measured.note = "bench/scoring_page_bytes.py: what the server sent for /score's first load (deterministic: one run)"
    return measured

