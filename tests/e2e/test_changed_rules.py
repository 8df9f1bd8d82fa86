"""A form cached on the phone, the rules changed on the server, the entry sent afterwards: the
server flags it "rules_changed", stores it by the rules in force on its day, and the phone shows
the worker the new value after the sync.

The village's rules change here, so this module runs its own demo server (the session's one stays
as the other browser tests expect it)."""

from __future__ import annotations

import hashlib
import io
import threading
import time
import uuid
import warnings
from datetime import date, timedelta
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import select

from tests.worlds.browser import VIEWPORT, login, password_of, screenshot

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None


@pytest.fixture(scope="module")
def own_app(tmp_path_factory, browser_path):
    from flask_migrate import upgrade

    from webapp.app import create_app
    from webapp.config import DemoConfig
    from webapp.demo.seed import seed_demo
    from webapp.extensions import db

    tmp = tmp_path_factory.mktemp("e2e-rules")
    app = create_app(DemoConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/e2e.db", "DATA_DIR": str(tmp),
                                  "SERVER_NAME": None, "LOGIN_RATE_LIMIT": "1000 per minute"})
    with app.app_context():
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="'get_engine' is deprecated", category=DeprecationWarning)
            upgrade()
        seed_demo(date.today())
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def own_base(own_app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, own_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-rules-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def wait_js(page, expression: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while not (value := page.evaluate(expression)):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for: {expression}")
        time.sleep(0.15)
    return value


def go(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#scoring[data-ready='1']", state="attached")


def change_j2(app, points: str) -> tuple[int, int]:
    """The server's side: a new version of the grid worker's village's rules, J2 worth `points`,
    in force since three days ago. Returns (the phone's version id, the new one's)."""
    from webapp.extensions import db
    from webapp.people.models.geo import Grid
    from webapp.people.models.user import User
    from webapp.points.services.schemes import import_scheme, timeline

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "grid"))
        village = db.session.get(Grid, user.grants[0].grid_id).village
        old = timeline(village.id).current
        text = old.source_text.replace("{code: J2, points: 0.5,", f"{{code: J2, points: {points},")
        assert text != old.source_text, "the demo rules have J2 at 0.5"
        new, created = import_scheme(village, text, effective_from=date.today() - timedelta(days=3))
        assert created
        db.session.commit()
        return old.id, new.id


def jpeg() -> bytes:
    """A small camera-like picture (a gradient with a block)."""
    image = Image.merge("RGB", [Image.linear_gradient("L").resize((800, 600)), Image.new("L", (800, 600), 120),
                                Image.linear_gradient("L").rotate(90).resize((800, 600))])
    image.paste((200, 30, 30), (200, 150, 400, 300))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_an_entry_from_a_cached_form_is_flagged_and_the_phone_shows_the_new_value(open_phone, browser, own_app,
                                                                                  own_base):
    """Also: its photo is stamped on a copy, and the reviewer sees the flag's label and the stamped copy."""
    from webapp.extensions import db
    from webapp.people.models.household import Household
    from webapp.people.models.user import User
    from webapp.photos.models import EntryPhoto, Photo
    from webapp.points.models.entry import Entry
    from webapp.points.models.scheme import Item

    with own_app.app_context():
        user = db.session.scalar(select(User).where(User.username == "grid"))
        household = db.session.scalars(select(Household).where(Household.grid_id == user.grants[0].grid_id)
                                       .order_by(Household.code)).first()
        code, head, village_id = household.code, household.head_name, household.village_id

    phone = open_phone()
    page = phone.pages[0]
    login(page, own_base, "grid", password_of("grid"))
    go(page, f"{own_base}/score")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => document.documentElement.dataset.offlineReady")
    wait_js(page, "Jifen.Outbox.meta('bootstrap:' + Jifen.page.user).then(b => !!b)")
    wait_js(page, "Jifen.Outbox.meta('device:' + Jifen.page.user).then(d => !!(d && d.token))")

    phone.set_offline(True)  # out in the field; meanwhile the committee's new rules take effect
    old_id, new_id = change_j2(own_app, "1")

    go(page, f"{own_base}/score/event?h={code}")  # the cached form, drawn from the cached rules
    radio = page.locator("input[name=item][value='J2']")
    page.locator("details.cat", has=radio).locator("summary").click()
    page.locator("label.pick", has=radio).click()
    page.set_input_files("#photos", files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}])
    page.wait_for_selector("#thumbs img")
    page.click("#save")
    page.wait_for_selector("#entry-form[data-saved]")
    key = page.get_attribute("#entry-form", "data-saved")
    sent = page.evaluate(f"Jifen.Outbox.list(Jifen.page.user).then(l => l.find(i => i.uuid === '{key}').payload)")
    assert sent["item"] == "J2" and sent["scheme_version_id"] == old_id

    phone.set_offline(False)
    go(page, f"{own_base}/score")  # the page's start (and `online`) sends the outbox; so does the button
    page.evaluate("document.querySelector('[data-sync-now]').click()")  # folded away when nothing waits
    expect(page.locator("#scoring")).to_have_attribute("data-unsent", "0", timeout=30000)

    with own_app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.client_uuid == uuid.UUID(key)))
        assert entry.flags == ["rules_changed"] and entry.scheme_version_id == new_id
        assert db.session.get(Item, entry.item_id).points == Decimal(1)
        photo = db.session.scalar(select(Photo).join(EntryPhoto, EntryPhoto.photo_id == Photo.id)
                                  .where(EntryPhoto.entry_id == entry.id))
        stamped = photo.stamped_sha256
        assert stamped and stamped != photo.stored_sha256  # 水印 on a copy
    item = page.evaluate(f"Jifen.Outbox.list(Jifen.page.user).then(l => l.find(i => i.uuid === '{key}'))")
    assert "rules_changed" in item["flags"] and item.get("server_points") == "1"

    notices = page.locator("[data-rules-notices]")
    expect(notices).to_be_visible()
    expect(notices).to_contain_text("J2")
    expect(notices).to_contain_text(head)
    screenshot(page, "a3-rules-changed-home.png", full_page=False)
    phone.close()

    reviewer = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, locale="zh-CN").new_page()
    login(reviewer, own_base, "admin", password_of("admin"))
    reviewer.goto(f"{own_base}/review?flag=rules_changed")
    row = reviewer.locator("article[data-review-row]").filter(has_text=head).first
    expect(row.locator(".rq-flags")).to_contain_text("规则已变更")
    thumb = row.locator(".rq-thumbs img").first
    expect(thumb).to_be_visible()
    shown = reviewer.request.get(own_base + thumb.get_attribute("src").replace("/thumb", ""))
    assert hashlib.sha256(shown.body()).hexdigest() == stamped
    row.scroll_into_view_if_needed()
    screenshot(reviewer, "a3-review-rules-changed.png", full_page=False)
    reviewer.goto(shown.url)
    screenshot(reviewer, "a3-stamped-photo.png", full_page=False)
    reviewer.goto(f"{own_base}/town/villages/{village_id}#photo-stamps")
    expect(reviewer.locator("#photo-stamps input[name=stamp]")).to_be_checked()
    reviewer.locator("#photo-stamps").scroll_into_view_if_needed()
    screenshot(reviewer, "a3-village-photo-stamps.png", full_page=False)
    reviewer.context.close()
