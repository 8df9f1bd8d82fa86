"""Under `jifen serve` with four worker processes, on SQLite and on PostgreSQL: two clerks redeeming
80 points each from a household's 100 at the same moment succeed exactly once, round after round,
whichever workers take the two requests (docs/store.md: balance and stock are checked and lowered in
one locked transaction)."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

import requests
from sqlalchemy import func, select

from tests.factories import Factory
from tests.worlds.pages import csrf_token
from tests.worlds.server import answers_by_worker, production_server
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.store.models import HouseholdAccount, Product, Redemption, StockMovement
from webapp.store.services.accounts import verify_accounts
from webapp.store.services.ledger import household_ledger

ROUNDS = 10
TODAY = date.today()  # the server redeems on its own today


def race_world(url: str, data_dir: Path) -> dict:
    """A store with rice at 80 points, two clerks, and ROUNDS households of 100 points each; committed."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": str(data_dir)})
    with app.app_context():
        db.create_all()
        make = Factory()
        town = make.town()
        village = make.village(town)
        version = make.scheme(village, "store-monthly")
        store = make.store(town, [village])
        clerks = [make.user("clerk", username=f"clerk{n}", store_id=store.id).username for n in (1, 2)]
        rice = Product(store_id=store.id, code="R", name="大米", price_points=Decimal(80))
        db.session.add(rice)
        db.session.flush()
        db.session.add(StockMovement(store_id=store.id, product_id=rice.id, kind="stock_in", quantity=1000,
                                     supplier="供销社", invoice_no="1"))
        codes = []
        for _ in range(ROUNDS):
            household = make.household(village)
            make.entry(household, version, "P10", TODAY.replace(day=1), quantity=10)
            codes.append(household.code)
        world = {"store": store.id, "rice": rice.id, "clerks": clerks, "codes": codes}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return world


def balances_and_receipts(url: str, data_dir: Path, codes: list[str]) -> tuple[list[Decimal], int, list[Decimal], list]:
    """Each household's spendable balance, the receipts, each running account's balance, and what
    verify_accounts finds wrong (account = earned − redeemed, recomputed from scratch; none negative)."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": str(data_dir)})
    with app.app_context():
        try:
            households = [db.session.scalar(select(Household).where(Household.code == c)) for c in codes]
            return ([household_ledger(h, TODAY).spendable for h in households],
                    db.session.scalar(select(func.count()).select_from(Redemption)),
                    [db.session.get(HouseholdAccount, h.id).balance for h in households],
                    verify_accounts(TODAY))
        finally:
            db.session.remove()
            db.engine.dispose()


def clerk_at_the_counter(base: str, username: str, store: int) -> tuple[requests.Session, str]:
    session = requests.Session()
    token = csrf_token(session.get(f"{base}/login", timeout=30).text)
    answer = session.post(f"{base}/login", data={"username": username, "password": "password123",
                                                 "csrf_token": token}, allow_redirects=False, timeout=30)
    assert answer.status_code in (302, 303), answer.status_code
    return session, csrf_token(session.get(f"{base}/store/counter?store={store}", timeout=30).text)


def test_two_80_point_redemptions_against_100_succeed_exactly_once_under_four_workers(database_url, tmp_path):
    """ROUNDS rounds of two simultaneous redemptions, each on a new connection: one receipt (303) and one
    refusal (422) every round, 20 points left in every household and its running account, ROUNDS
    receipts in all, and every account equal to earned − redeemed recomputed from scratch."""
    world = race_world(database_url, tmp_path)
    with production_server(database_url, tmp_path, workers=4) as base:
        clerks = [clerk_at_the_counter(base, name, world["store"]) for name in world["clerks"]]
        rounds = []
        for code in world["codes"]:
            start = threading.Barrier(2)

            def redeem(clerk: tuple[requests.Session, str], code: str = code, start=start) -> int:
                session, token = clerk
                start.wait()
                return session.post(f"{base}/store/counter/redeem", data={
                    "csrf_token": token, "store": world["store"], "client_key": str(uuid.uuid4()),
                    "code": code, f"q{world['rice']}": "1"}, headers={"Connection": "close"},
                    allow_redirects=False, timeout=60).status_code
            with ThreadPoolExecutor(max_workers=2) as pool:
                rounds.append(sorted(pool.map(redeem, clerks)))
    assert rounds == [[303, 422]] * ROUNDS, rounds
    assert balances_and_receipts(database_url, tmp_path, world["codes"]) == (
        [Decimal(20)] * ROUNDS, ROUNDS, [Decimal(20)] * ROUNDS, [])
    workers = {worker for worker, _status in answers_by_worker(tmp_path, "POST", "/store/counter/redeem")}
    assert len(workers) >= 2, "every redemption went to one worker: the race was not between processes"
