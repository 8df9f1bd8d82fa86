"""Offline scoring on a real (headless) phone browser: nothing recorded is lost or counted twice.

The phone keeps every form in IndexedDB and a service worker keeps the pages; these tests cut the
network (context.set_offline), close and reopen the browser on the same profile, kill the server
in the middle of a sync, and count what reached the database.
"""

from __future__ import annotations

import io
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.worlds.browser import login, password_of, screenshot
from webapp.fieldwork.models import SyncReceipt
from webapp.people.models.geo import Grid
from webapp.people.models.household import Household, Member
from webapp.people.models.user import User
from webapp.photos.models import EntryPhoto, Photo
from webapp.points.models.entry import Entry, Inspection

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

ROOT = Path(__file__).resolve().parents[2]
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


# -- helpers ---------------------------------------------------------------------------------------

def wait_js(page, expression: str, timeout: float = 20.0):
    """Poll a (possibly async) expression in the page until it is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for: {expression}")
        time.sleep(0.15)


def ready(page) -> None:
    """The page's script has read the outbox and the bootstrap (from IndexedDB or the network)."""
    page.wait_for_selector("#scoring[data-ready='1']", state="attached")


def go(page, url: str) -> None:
    page.goto(url)
    ready(page)


def installed(page, base: str) -> None:
    """Log the grid worker in, open /score online: the service worker controls the page, the pages
    and bootstrap are cached, the phone holds a device token."""
    login(page, base, "grid", password_of("grid"))
    go(page, f"{base}/score")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # a function: the CSP forbids eval
    page.wait_for_function("() => document.documentElement.dataset.offlineReady")
    wait_js(page, "Jifen.Outbox.meta('device:' + Jifen.page.user).then(d => !!(d && d.token))")
    wait_js(page, "Jifen.Outbox.meta('bootstrap:' + Jifen.page.user).then(b => !!b)")


def jpeg(width: int = 2400, height: int = 1800) -> bytes:
    """A camera-sized photo (noisy, so that it compresses like a real one)."""
    rng = random.Random(7)
    image = Image.new("RGB", (width // 8, height // 8))
    image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(image.width * image.height)])
    buffer = io.BytesIO()
    image.resize((width, height)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def record_event(page, base: str, code: str, item: str, member_id: int | None = None, photo: bytes | None = None) -> str:
    """Fill in the event form like a worker: category, item, member, photo; save; return its UUID."""
    go(page, f"{base}/score/event?h={code}")
    expect(page.locator("[data-hh-head]")).to_contain_text(code)
    radio = page.locator(f"input[name=item][value='{item}']")
    page.locator("details.cat", has=radio).locator("summary").click()
    page.locator("label.pick", has=radio).click()
    if member_id is not None:
        page.select_option("#member", str(member_id))
    if photo is not None:
        page.set_input_files("#photos", files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": photo}])
        page.wait_for_selector("#thumbs img")
    page.click("#save")
    page.wait_for_selector("#entry-form[data-saved]")
    expect(page.locator("[data-form-msg]")).to_have_class("form-msg ok")
    return page.get_attribute("#entry-form", "data-saved")


def record_inspection(page, base: str, code: str, shortfalls: tuple[str, ...] = ("B3",)) -> str:
    go(page, f"{base}/score/inspection?h={code}")
    expect(page.locator("[data-hh-head]")).to_contain_text(code)
    for item in shortfalls:
        box = page.locator(f"input[name=met][value='{item}']")
        category = page.locator("details.check-cat", has=box)
        if category.get_attribute("open") is None:  # all met: folded to one line, tap it to open
            category.locator("summary").click()
        box.uncheck()
    page.click("#save")
    page.wait_for_selector("#inspection-form[data-saved]")
    return page.get_attribute("#inspection-form", "data-saved")


def outbox(page) -> list[dict]:
    return page.evaluate("Jifen.Outbox.list(Jifen.page.user)")


def grid_households(db_session) -> tuple[User, list[Household]]:
    user = db_session.scalar(select(User).where(User.username == "grid"))
    grid = db_session.get(Grid, user.grants[0].grid_id)
    households = db_session.scalars(select(Household).where(Household.grid_id == grid.id).order_by(Household.code)).all()
    return user, list(households)


def stored(db_session, user_id: int) -> tuple[int, int, int]:
    """(entries, inspections, photos) the grid worker has on the server, read afresh."""
    db_session.rollback()  # end any read transaction: see what the server committed since
    return (
        db_session.scalar(select(func.count(Entry.id)).where(Entry.recorded_by_id == user_id)),
        db_session.scalar(select(func.count(Inspection.id)).where(Inspection.recorded_by_id == user_id)),
        db_session.scalar(select(func.count(Photo.id)).where(Photo.uploaded_by_id == user_id)),
    )


# -- the day in the field --------------------------------------------------------------------------

def test_entries_recorded_offline_survive_reload_and_browser_restart_and_sync_exactly_once(open_phone, base, db_session):
    """Offline: 3 events (one with a photo) and 1 inspection; reload; close the browser and reopen it,
    still offline; then online: the server has exactly those 4 items and the photo, and syncing again
    changes nothing."""
    user, households = grid_households(db_session)
    first, second = households[0], households[1]
    member = db_session.scalars(select(Member).where(Member.household_id == first.id).order_by(Member.id)).first()
    before = stored(db_session, user.id)

    phone = open_phone()
    page = phone.pages[0]
    installed(page, base)
    phone.set_offline(True)

    photo = jpeg()
    uuids = [
        record_event(page, base, first.code, "J2", photo=photo),
        record_event(page, base, first.code, "K5", member_id=member.id),
        record_event(page, base, second.code, "J4"),
        record_inspection(page, base, first.code),
    ]
    # Saving the same form again (a double tap) is the same entry, not a second one.
    page.evaluate("document.querySelector('#inspection-form').requestSubmit()")
    assert len(outbox(page)) == 4 and len(set(uuids)) == 4

    page.reload()  # offline: the page comes from the service worker, the entries from IndexedDB
    ready(page)
    go(page, f"{base}/score/outbox")
    expect(page.locator("#outbox-list li[data-state=waiting]")).to_have_count(4)
    items = outbox(page)
    assert [i["uuid"] for i in items] == uuids and {i["state"] for i in items} == {"waiting"}
    sha = items[0]["payload"]["photos"][0]
    assert len(sha) == 64 and items[3]["payload"]["items"]["B3"] is False
    assert stored(db_session, user.id) == before

    phone.close()  # the browser is closed (battery, a crash, the worker swiping it away) …
    phone = open_phone(offline=True)  # … and opened again, still without a network
    page = phone.pages[0]
    go(page, f"{base}/score")
    expect(page.locator("#scoring")).to_have_attribute("data-unsent", "4")
    go(page, f"{base}/score/event?h={second.code}")
    expect(page.locator("[data-hh-head]")).to_contain_text(second.head_name)
    go(page, f"{base}/score/outbox")
    expect(page.locator("#outbox-list li[data-state=waiting]")).to_have_count(4)
    assert [i["uuid"] for i in outbox(page)] == uuids
    assert page.evaluate(f"Jifen.Outbox.photo('{sha}').then(p => p && p.blob.size > 0 && p.width === 1600)")

    phone.set_offline(False)  # signal again: the `online` event starts the sync; so does the button
    page.click("[data-sync-now]")
    expect(page.locator("#scoring")).to_have_attribute("data-unsent", "0", timeout=30000)
    expect(page.locator("#outbox-list li[data-state=synced]")).to_have_count(4)
    assert not page.evaluate(f"Jifen.Outbox.photo('{sha}')"), "the photo is kept after the server confirmed it"

    entries, inspections, photos = stored(db_session, user.id)
    assert (entries, inspections, photos) == (before[0] + 3, before[1] + 1, before[2] + 1)
    keys = [uuid.UUID(u) for u in uuids]
    assert db_session.scalar(select(func.count(Entry.id)).where(Entry.client_uuid.in_(keys[:3]))) == 3
    assert db_session.scalar(select(func.count(Inspection.id)).where(Inspection.client_uuid == keys[3])) == 1
    with_photo = db_session.scalar(select(Entry).where(Entry.client_uuid == keys[0]))
    saved = db_session.scalar(select(Photo).where(Photo.upload_sha256 == sha))
    assert saved is not None and max(saved.width, saved.height) == 1600
    assert db_session.scalar(select(EntryPhoto.photo_id).where(EntryPhoto.entry_id == with_photo.id)) == saved.id

    # Syncing again changes nothing: the phone sends nothing more, and the same items resent by
    # hand are answered "duplicate".
    page.click("[data-sync-now]")
    page.wait_for_function("() => document.querySelector('#scoring').dataset.syncState === 'ok'")
    answers = page.evaluate("""async (items) => {
        const device = await Jifen.Outbox.meta('device:' + Jifen.page.user);
        for (let attempt = 0; ; attempt++) {  // as the phone does: a 5xx is tried again
            const r = await fetch('/api/v1/sync/batch', {method: 'POST', credentials: 'omit',
                headers: {'Content-Type': 'application/json', Authorization: 'Bearer ' + device.token},
                body: JSON.stringify({protocol: 1, items})});
            if (r.ok || attempt === 4) return (await r.json()).results.map(x => x.status);
            await new Promise(done => setTimeout(done, 500));
        }
    }""", [i["payload"] for i in items])
    assert answers == ["duplicate"] * 4
    assert stored(db_session, user.id) == (entries, inspections, photos)


def test_a_refused_item_is_parked_with_its_reason_and_never_blocks_the_others(open_phone, base, db_session):
    """An item for a household outside the worker's grids is refused: it stays on the phone with the
    server's reason, is never resent, and the items after it still go through."""
    _, households = grid_households(db_session)
    outside = db_session.scalar(select(Household).where(Household.grid_id != households[0].grid_id,
                                                        Household.village_id == households[0].village_id))
    phone = open_phone()
    page = phone.pages[0]
    installed(page, base)
    phone.set_offline(True)
    go(page, f"{base}/score/outbox")
    bad, good = str(uuid.uuid4()), str(uuid.uuid4())
    page.evaluate("""async ([bad, good, outside, inside]) => {
        const boot = await Jifen.Outbox.meta('bootstrap:' + Jifen.page.user);
        const item = (u, h) => ({uuid: u, type: 'event', household: h, member_id: null, item: 'J2',
            scheme_version_id: boot.data.villages[0].scheme.version_id, quantity: '1', occurred_at: new Date().toISOString(), note: '', place: '', photos: []});
        await Jifen.Outbox.save(Jifen.page.user, 'event', item(bad, outside), {head: outside}, []);
        await Jifen.Outbox.save(Jifen.page.user, 'event', item(good, inside), {head: inside}, []);
    }""", [bad, good, outside.code, households[2].code])
    phone.set_offline(False)
    page.click("[data-sync-now]")
    expect(page.locator(f"#outbox-list li[data-uuid='{good}']")).to_have_attribute("data-state", "synced", timeout=20000)
    parked = page.locator(f"#outbox-list li[data-uuid='{bad}']")
    expect(parked).to_have_attribute("data-state", "parked")
    expect(parked.locator(".ob-reason")).not_to_be_empty()
    expect(page.locator("#scoring")).to_have_attribute("data-unsent", "0")
    page.click("[data-sync-now]")  # never resent
    page.wait_for_function("() => document.querySelector('#scoring').dataset.syncState === 'ok'")
    db_session.rollback()
    assert db_session.get(SyncReceipt, uuid.UUID(bad)) is None
    assert db_session.scalar(select(func.count(Entry.id)).where(Entry.client_uuid == uuid.UUID(good))) == 1
    # The export holds the refused item (a backup to hand to the village committee).
    with page.expect_download() as download:
        page.click("#export")
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert bad in exported and good not in exported


def test_a_revoked_phone_stops_and_asks_for_a_new_login_keeping_its_entries(open_phone, base, db_session):
    """The village admin revokes the phone: its next sync gets 401, it stops, keeps the outbox and
    asks the worker to log in again."""
    from webapp.extensions import db
    from webapp.fieldwork.models import Device
    from webapp.fieldwork.services.devices import revoke_device

    phone = open_phone()
    page = phone.pages[0]
    installed(page, base)
    device_id = page.evaluate("Jifen.Outbox.meta('device:' + Jifen.page.user).then(d => d.device_id)")
    admin = db_session.scalar(select(User).where(User.username == "admin"))
    revoke_device(admin, device_id)
    db.session.commit()
    assert db_session.scalar(select(Device.revoked_at).where(Device.public_id == uuid.UUID(device_id)))

    phone.set_offline(True)
    _, households = grid_households(db_session)
    kept = record_event(page, base, households[3].code, "J2")
    phone.set_offline(False)
    go(page, f"{base}/score/outbox")
    page.click("[data-sync-now]")
    expect(page.locator("#auth-banner")).to_be_visible(timeout=15000)
    expect(page.locator(f"#outbox-list li[data-uuid='{kept}']")).to_have_attribute("data-state", "waiting")
    assert not page.evaluate("Jifen.Outbox.meta('device:' + Jifen.page.user)")
    db_session.rollback()
    assert db_session.get(SyncReceipt, uuid.UUID(kept)) is None


# -- the server dies in the middle of a sync ------------------------------------------------------

def _serve(data_dir: str, port: int, hold: str) -> None:
    """A demo server in this process (run as a subprocess by the test below). With `hold`, the first
    batch request is held for a few seconds, before it is stored ("before") or after it was stored
    and committed but before the answer leaves ("after"), with a marker file, so the test can
    kill -9 the server at exactly that point."""
    import warnings
    from datetime import date

    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from webapp.app import MIGRATIONS, create_app
    from webapp.config import DemoConfig
    from webapp.demo.seed import is_seeded, seed_demo
    from webapp.extensions import db

    app = create_app(DemoConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir}/jifen.db", "DATA_DIR": data_dir,
                                  "SERVER_NAME": None, "LOGIN_RATE_LIMIT": "1000 per minute"})
    with app.app_context():
        if (Path(MIGRATIONS) / "env.py").exists():
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", category=DeprecationWarning)
                upgrade()
        else:
            db.create_all()
        if not is_seeded():
            seed_demo(date.today())
            db.session.commit()
    inner = app.wsgi_app
    held = []

    def wsgi(environ, start_response):
        if not hold or held or environ["REQUEST_METHOD"] != "POST" or environ["PATH_INFO"] != "/api/v1/sync/batch":
            return inner(environ, start_response)
        held.append(1)
        if hold == "before":
            Path(data_dir, "held").touch()
            time.sleep(5)
            return inner(environ, start_response)
        answer = {}
        body = b"".join(inner(environ, lambda status, headers, exc=None: answer.update(status=status, headers=headers)))
        Path(data_dir, "held").touch()  # stored and committed; the phone has not heard back
        time.sleep(5)
        start_response(answer["status"], answer["headers"])
        return [body]

    make_server("127.0.0.1", port, wsgi, threaded=True).serve_forever()


class ServerProcess:
    """`_serve` in a subprocess that the test can kill -9 and start again on the same port and data."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, hold: str = "") -> None:
        code = ("import sys; sys.path.insert(0, sys.argv[1]); from tests.e2e.test_offline_scoring import _serve; "
                "_serve(sys.argv[2], int(sys.argv[3]), sys.argv[4])")
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - the child keeps it
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(ROOT), str(self.data_dir), str(self.port), hold],
                                     stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError((self.data_dir / "server.log").read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()  # SIGKILL: no cleanup, no goodbye
            self.proc.wait(timeout=10)


@pytest.fixture
def server(tmp_path):
    data = tmp_path / "server"
    data.mkdir()
    process = ServerProcess(data)
    yield process
    process.kill()


@pytest.mark.parametrize("hold", ["after", "before"])
def test_server_killed_during_a_sync_loses_nothing_and_stores_nothing_twice(open_phone, server, hold):
    """60 entries (two batches); the server is killed -9 while the first batch is in flight — before
    it stored anything, or after it stored and committed but before the phone heard back — and
    started again on the same data: the phone retries by itself and every UUID is stored once."""
    server.start(hold)
    phone = open_phone()
    page = phone.pages[0]
    installed(page, server.base)
    codes = page.evaluate("Jifen.Outbox.meta('bootstrap:' + Jifen.page.user).then(b => b.data.households.map(h => h.code))")
    phone.set_offline(True)
    go(page, f"{server.base}/score/outbox")
    uuids = page.evaluate("""async (codes) => {
        const boot = await Jifen.Outbox.meta('bootstrap:' + Jifen.page.user);
        const uuids = [];
        for (let n = 0; n < 60; n++) {
            const u = crypto.randomUUID();
            await Jifen.Outbox.save(Jifen.page.user, 'event', {uuid: u, type: 'event', household: codes[n % codes.length],
                member_id: null, item: 'J2', scheme_version_id: boot.data.villages[0].scheme.version_id, quantity: '1',
                occurred_at: new Date().toISOString(), note: 'n' + n, place: '', photos: []}, {head: codes[n % codes.length]}, []);
            uuids.push(u);
        }
        return uuids;
    }""", codes)
    expect(page.locator("#scoring")).to_have_attribute("data-unsent", "60")

    phone.set_offline(False)  # the `online` event starts the sync
    deadline = time.monotonic() + 30
    while not (server.data_dir / "held").exists():
        assert time.monotonic() < deadline, "the first batch never reached the server"
        time.sleep(0.05)
    server.kill()
    server.start()  # same port, same data, no hold: the phone's backoff timer finds it again
    expect(page.locator("#scoring")).to_have_attribute("data-unsent", "0", timeout=90000)

    items = outbox(page)
    assert sorted(i["uuid"] for i in items) == sorted(uuids)
    answers = [i["answer"] for i in items]
    if hold == "after":  # the first batch was stored: the retry is answered "duplicate"
        assert answers.count("duplicate") == 50 and answers.count("accepted") == 10
    else:
        assert answers.count("accepted") == 60

    from webapp.app import create_app
    from webapp.config import DemoConfig
    from webapp.extensions import db

    app = create_app(DemoConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{server.data_dir}/jifen.db",
                                  "DATA_DIR": str(server.data_dir), "SERVER_NAME": None})
    with app.app_context():
        keys = [uuid.UUID(u) for u in uuids]
        rows = db.session.execute(select(Entry.client_uuid, func.count()).where(Entry.client_uuid.in_(keys))
                                  .group_by(Entry.client_uuid)).all()
        assert len(rows) == 60 and {count for _u, count in rows} == {1}
        assert db.session.scalar(select(func.count()).select_from(SyncReceipt).where(SyncReceipt.client_uuid.in_(keys))) == 60
        db.session.remove()
        db.engine.dispose()


# -- what the worker sees ------------------------------------------------------------------------

def test_scoring_pages_fit_a_phone_with_big_tap_targets(page, base, db_session):
    """/score, /score/event, /score/inspection and /score/outbox at 360×640: no sideways scrolling,
    every button and choice at least 44 px tall; screenshots for a human to look at."""
    _, households = grid_households(db_session)
    code = households[5].code
    login(page, base, "grid", password_of("grid"))
    checks = "Array.from(document.querySelectorAll('#scoring button:not([hidden]), #scoring .button, #scoring label.pick, #scoring summary, #scoring .subnav a')).filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))"

    go(page, f"{base}/score")
    page.fill("#q", households[5].head_initials)
    expect(page.locator("#results li.hh").first).to_contain_text(households[5].head_name)
    page.fill("#q", "")
    screenshot(page, "score-home-360.png", full_page=False)
    assert page.evaluate(NO_HORIZONTAL_SCROLL) and page.evaluate(checks) == []

    go(page, f"{base}/score/event?h={code}")
    radio = page.locator("input[name=item][value='J2']")
    page.locator("details.cat", has=radio).locator("summary").click()
    screenshot(page, "score-event-360.png", full_page=False)
    assert page.evaluate(NO_HORIZONTAL_SCROLL) and page.evaluate(checks) == []

    go(page, f"{base}/score/inspection?h={code}")
    screenshot(page, "score-inspection-360.png", full_page=False)
    assert page.evaluate(NO_HORIZONTAL_SCROLL) and page.evaluate(checks) == []

    page.context.set_offline(True)
    record_event(page, base, code, "J2")
    go(page, f"{base}/score/outbox")
    expect(page.locator("#outbox-list li")).to_have_count(1)
    screenshot(page, "score-outbox-360.png", full_page=False)
    assert page.evaluate(NO_HORIZONTAL_SCROLL) and page.evaluate(checks) == []
    page.context.set_offline(False)


def test_wechat_browser_is_told_to_open_the_system_browser(browser, base):
    """WeChat's in-app browser may drop offline data: the worker is told how to leave it."""
    wechat = ("Mozilla/5.0 (Linux; Android 10; M2006C3LC) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0 "
              "Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230202 MicroMessenger/8.0.33.2320(0x2800213D) WeChat/arm64")
    # No service worker here: Playwright does not give its requests the overridden user agent, and
    # the session's "strong" protection would take the changed agent for a stolen cookie.
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN", user_agent=wechat,
                                  service_workers="block")
    try:
        page = context.new_page()
        login(page, base, "grid", password_of("grid"))
        go(page, f"{base}/score")
        expect(page.locator("#wechat-banner")).to_be_visible()
    finally:
        context.close()


def test_the_scoring_app_is_installable(open_phone, base):
    """Chromium finds nothing missing to install 积分 on the home screen (manifest, icons, worker)."""
    phone = open_phone()
    page = phone.pages[0]
    installed(page, base)
    cdp = phone.new_cdp_session(page)
    try:
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [] and manifest["url"].endswith("/static/manifest.webmanifest")
    finally:
        cdp.detach()
