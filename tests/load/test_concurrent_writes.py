"""No write is lost to another one, on SQLite as on PostgreSQL, under gunicorn with four worker processes:
reviewers approving at the same moment, two admins reversing one receipt, photo uploads beside the counter.
Every request is answered without a 5xx and every write is in the database afterwards (docs/sqlite.md)."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import requests
from PIL import Image
from sqlalchemy import func, select

from tests.factories import Factory
from tests.worlds.fieldwork import build_world, event
from tests.worlds.pages import csrf_token
from tests.worlds.server import production_server
from tests.worlds.store import attempt, build_shop
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.people.models.user import User
from webapp.photos.models import EntryPhoto
from webapp.points.models.entry import Entry
from webapp.review.models import ReviewDecision
from webapp.store.domain import CartLine
from webapp.store.models import Product, Redemption, RedemptionReturn, StockMovement
from webapp.store.services.accounts import verify_accounts

APPROVALS = 30  # per reviewer
RECEIPTS = 15
TODAY = date.today()


def prepared(url: str, data_dir: Path, build) -> dict:  # build(make) -> facts
    """The schema and a world, committed, before the server starts; returns what build returned."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": str(data_dir)})
    with app.app_context():
        db.create_all()
        facts = build(Factory())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return facts


def counted(url: str, data_dir: Path, query):  # query() -> value, read after the server stopped
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": str(data_dir)})
    with app.app_context():
        try:
            return query()
        finally:
            db.session.remove()
            db.engine.dispose()


def logged_in(base: str, username: str, page: str = "/") -> tuple[requests.Session, str]:
    """A browser session logged in through the real login form, and a CSRF token for its forms."""
    session = requests.Session()
    token = csrf_token(session.get(f"{base}/login", timeout=30).text)
    answer = session.post(f"{base}/login", data={"username": username, "password": "password123",
                                                 "csrf_token": token}, allow_redirects=False, timeout=30)
    assert answer.status_code in (302, 303), answer.status_code
    return session, csrf_token(session.get(f"{base}{page}", timeout=30).text)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# ---------------------------------------------------------------- review decisions

def review_world(make: Factory) -> dict:
    village = make.village()
    version = make.scheme(village)
    household = make.household(village, "赵六")
    make.user("reviewer", username="r1", village_id=village.id)
    make.user("reviewer", username="r2", village_id=village.id)
    entries = [make.entry(household, version, "J2", date(2026, 3, 1 + i % 28), status="recorded").id
               for i in range(2 * APPROVALS)]
    return {"entries": entries}


def test_load_two_reviewers_approving_different_entries_at_once_lose_no_decision(database_url, tmp_path):
    """2 × 30 approvals posted at the same moment (two threads per reviewer): no 5xx, all 60 entries approved."""
    world = prepared(database_url, tmp_path, review_world)
    entries = world["entries"]
    with production_server(database_url, tmp_path, workers=4) as base:
        def approve(job: tuple[str, list[int]]) -> list[int]:
            session, token = logged_in(base, job[0], "/review")
            return [session.post(f"{base}/review/entries/{entry_id}", data={"csrf_token": token, "action": "approve"},
                                 allow_redirects=False, timeout=60).status_code for entry_id in job[1]]
        jobs = [("r1", entries[0:15]), ("r1", entries[15:30]), ("r2", entries[30:45]), ("r2", entries[45:60])]
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = Counter(code for codes in pool.map(approve, jobs) for code in codes)
    assert answers == {303: 2 * APPROVALS} or answers == {302: 2 * APPROVALS}, answers
    assert counted(database_url, tmp_path, lambda: (
        count(Entry, Entry.status == "approved"), count(ReviewDecision))) == (2 * APPROVALS, 2 * APPROVALS)


# ---------------------------------------------------------------- reversals

def receipts_world(make: Factory) -> dict:
    shop = build_shop(make, points=200, today=TODAY)
    make.user("village_admin", username="admin2", village_id=shop.village_id)
    salt = Product(store_id=shop.store_id, code="Y1", name="盐", category="粮油", unit="包", price_points=Decimal(1))
    db.session.add(salt)
    db.session.flush()
    db.session.add(StockMovement(store_id=shop.store_id, product_id=salt.id, kind="stock_in", quantity=1000,
                                 supplier="供销社", invoice_no="INV-2", unit_cost=Decimal("0.5")))
    db.session.commit()
    numbers = [attempt(shop.clerk_id, shop, [CartLine(salt.id, 1)], today=TODAY).redemption.receipt_no
               for _ in range(RECEIPTS)]
    return {"receipts": numbers, "admin": db.session.get(User, shop.admin_id).username}


def test_load_two_admins_reversing_the_same_receipts_at_once_reverse_each_exactly_once(database_url, tmp_path):
    """15 receipts, each reversed by two admins at the same moment: no 5xx, one return and its stock per receipt."""
    world = prepared(database_url, tmp_path, receipts_world)
    with production_server(database_url, tmp_path, workers=4) as base:
        admins = [logged_in(base, name, f"/store/receipts/{world['receipts'][0]}")
                  for name in (world["admin"], "admin2")]
        codes: Counter[int] = Counter()
        for number in world["receipts"]:
            start = threading.Barrier(2)

            def reverse(admin: tuple[requests.Session, str], number: str = number, start=start) -> int:
                start.wait()
                return admin[0].post(f"{base}/store/receipts/{number}/return", data={
                    "csrf_token": admin[1], "reason": "退货"}, allow_redirects=False, timeout=60).status_code
            with ThreadPoolExecutor(max_workers=2) as pool:
                codes.update(pool.map(reverse, admins))
    assert codes == {303: RECEIPTS, 302: RECEIPTS}, codes  # reversed; "already reversed" (a flash, back)
    assert counted(database_url, tmp_path, lambda: (
        count(RedemptionReturn), count(StockMovement, StockMovement.kind == "return"),
        verify_accounts(TODAY))) == (RECEIPTS, RECEIPTS, [])  # every point back in its running account


# ---------------------------------------------------------------- photos beside the counter

def big_jpegs(count: int) -> list[bytes]:
    """Photos of 48 megapixels (6 MB, progressive) that take the server about a second each to check and
    re-encode; one picture, made different by a JPEG comment each (so each is a photo of its own)."""
    tile = Image.effect_noise((800, 600), 60).convert("RGB")
    image = Image.new("RGB", (8000, 6000), (100, 120, 90))
    for x in range(0, 8000, 1600):
        for y in range(0, 6000, 1200):
            image.paste(tile, (x, y))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=75, progressive=True)
    data = out.getvalue()
    comments = [f"photo {n}".encode() for n in range(count)]
    return [data[:2] + b"\xff\xfe" + (len(c) + 2).to_bytes(2, "big") + c + data[2:] for c in comments]


def counter_world(make: Factory) -> dict:
    world = build_world(make)
    shop = build_shop(make, points=200, today=TODAY)
    salt = Product(store_id=shop.store_id, code="Y1", name="盐", category="粮油", unit="包", price_points=Decimal(1))
    db.session.add(salt)
    db.session.flush()
    db.session.add(StockMovement(store_id=shop.store_id, product_id=salt.id, kind="stock_in", quantity=1000,
                                 supplier="供销社", invoice_no="INV-2", unit_cost=Decimal("0.5")))
    return {"token": world["token"], "v2": SimpleNamespace(id=world["v2"].id),
            "clerk": db.session.get(User, shop.clerk_id).username, "store": shop.store_id,
            "household": shop.household, "salt": salt.id}


class Counter_:
    """Redemptions of one packet of salt, one after another, until told to stop; each one timed."""

    def __init__(self, base: str, world: dict) -> None:
        self.base, self.world = base, world
        self.session, self.token = logged_in(base, world["clerk"], f"/store/counter?store={world['store']}")
        self.answers: list[tuple[float, float, int]] = []  # (start, seconds, status)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            status = self.session.post(f"{self.base}/store/counter/redeem", data={
                "csrf_token": self.token, "store": self.world["store"], "client_key": str(uuid.uuid4()),
                "code": self.world["household"], f"q{self.world['salt']}": "1"}, allow_redirects=False,
                timeout=60).status_code
            self.answers.append((started, time.monotonic() - started, status))
            time.sleep(0.02)


def sync_and_upload(base: str, world: dict, photos: list[bytes]) -> tuple[list[int], list[tuple[float, float]]]:
    """One batch listing the photos (one entry each), then the uploads in parallel; their codes and times."""
    auth = {"Authorization": f"Bearer {world['token']}"}
    items = [event(world, photos=[hashlib.sha256(p).hexdigest()]) for p in photos]
    answer = requests.post(f"{base}/api/v1/sync/batch", data=json.dumps({"protocol": 1, "items": items}),
                           headers={**auth, "Content-Type": "application/json"}, timeout=60)
    assert answer.status_code == 200 and all(r["status"] == "accepted" for r in answer.json()["results"])

    def upload(pair: tuple[dict, bytes]) -> tuple[int, float, float]:
        item, data = pair
        started = time.monotonic()
        status = requests.put(f"{base}/api/v1/photos/{item['photos'][0]}?entry={item['uuid']}", data=data,
                              headers={**auth, "Content-Type": "image/jpeg"}, timeout=60).status_code
        return status, started, time.monotonic()
    with ThreadPoolExecutor(max_workers=len(photos)) as pool:
        done = list(pool.map(upload, zip(items, photos)))
    return [d[0] for d in done], [(d[1], d[2]) for d in done]


def test_load_photo_uploads_beside_the_counter_fail_nothing_and_keep_redemptions_quick(database_url, tmp_path):
    """4 parallel uploads during a stream of redemptions: no 5xx, all saved; then, during one upload,
    no redemption takes 500 ms or more."""
    world = prepared(database_url, tmp_path, counter_world)
    photos = big_jpegs(5)
    with production_server(database_url, tmp_path, workers=4) as base:
        counter = Counter_(base, world)
        counter.thread.start()
        try:
            four, _ = sync_and_upload(base, world, photos[:4])
            time.sleep(0.3)
            before = len(counter.answers)
            [one], [(began, ended)] = sync_and_upload(base, world, photos[4:])
            during = [seconds for started, seconds, _ in counter.answers[before:]
                      if started < ended and started + seconds > began]
        finally:
            counter.stop.set()
            counter.thread.join(timeout=60)
    statuses = Counter(status for _, _, status in counter.answers)
    assert four == [201] * 4 and one == 201
    assert statuses == {303: len(counter.answers)}, statuses
    assert during, "no redemption ran during the upload"
    print(f"\nupload {ended - began:.2f} s; redemptions during it: {len(during)}, max {max(during) * 1000:.0f} ms")
    assert max(during) < 0.5, f"a redemption took {max(during) * 1000:.0f} ms during a photo upload"
    assert counted(database_url, tmp_path, lambda: (
        count(EntryPhoto, EntryPhoto.photo_id.is_not(None)), count(Redemption))) == (5, len(counter.answers))
