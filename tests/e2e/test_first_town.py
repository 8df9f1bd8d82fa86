"""A town from nothing, in a real browser: `jifen init` on an empty SQLite file, then the town admin sets
up two villages with groups and grids and imports the staff from .xlsx; a village admin imports the rules
and a roster and adds a household by hand; the grid worker logs in with the password the import handed
out and records an entry that reaches the server. No demo code runs.
"""

from __future__ import annotations

import io
import re
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.worlds.browser import VIEWPORT, login, screenshot
from tests.worlds.staff import staff_xlsx
from webapp.config import Config
from webapp.people.models import user as user_model

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

RULES = Path(__file__).resolve().parents[1] / "data" / "rules" / "fengsheng.yaml"
PASSWORD = "chengguan-2026"
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def empty_town_server(tmp_path, monkeypatch):
    """`jifen init` on an empty data folder, then that database served on a free port (werkzeug, a thread)."""
    from werkzeug.serving import make_server

    from webapp.app import create_app
    from webapp.cli import cli
    from webapp.config import TestConfig
    from webapp.extensions import db

    monkeypatch.setattr(Config, "SQLALCHEMY_DATABASE_URI", None)
    monkeypatch.setattr(user_model, "PASSWORD_HASH_METHOD", user_model.PASSWORD_HASH_METHOD)
    result = CliRunner(env={"JIFEN_DATA_DIR": str(tmp_path), "JIFEN_DATABASE_URL": None,
                            "JIFEN_INIT_PASSWORD": PASSWORD}).invoke(
        cli, ["init", "--town", "丰盛镇", "--code", "FS", "--area-code", "110113108000", "--admin", "zhen",
              "--name", "王主任"], prog_name="jifen")
    assert result.exit_code == 0, result.output
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'jifen.db'}",
                                  "DATA_DIR": str(tmp_path), "LOGIN_RATE_LIMIT": "1000 per minute"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="first-town", daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser per person (no Background Sync: the page's own triggers upload)."""
    contexts = []

    def open_():
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, locale="zh-CN")
        context.set_default_timeout(15000)
        context.add_init_script("Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', "
                                "{get() { return undefined; }, configurable: true})")
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def submit(page, form: str) -> None:
    with page.expect_navigation():
        page.click(f"{form} button.primary")


def roster_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["户编码", "户主", "村民小组", "网格", "地址", "联系电话"])
    sheet.append(["YF0001", "张三丰", "一组", "W1", "油房村1号", "13800138000"])
    sheet.append(["YF0002", "王五", "二组", "W2", "油房村2号", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def count(app, model, *where) -> int:
    from webapp.extensions import db

    with app.app_context():
        query = select(func.count()).select_from(model)
        return db.session.scalar(query.where(*where) if where else query)


def wait_for(check, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.3)


def test_a_town_starts_from_an_empty_database_and_a_grid_worker_records_an_entry(empty_town_server, phone):
    from webapp.people.models.geo import Grid, Village
    from webapp.people.models.household import Household
    from webapp.people.models.user import User
    from webapp.points.models.entry import Entry

    app, base = empty_town_server
    # -- the town admin: two villages with groups and grids ----------------------------------------
    town = phone()
    login(town, base, "zhen", PASSWORD)
    for name, code, area, groups, grids in (("油房村", "YF", "110113108201", ("一组", "二组"), ("W1", "W2")),
                                             ("王家村", "WJ", "110113108202", ("一组",), ("W3",))):
        town.goto(f"{base}/town/villages")
        town.fill("#new-village input[name=name]", name)
        town.fill("#new-village input[name=code]", code)
        town.fill("#new-village input[name=area_code]", area)
        submit(town, "#new-village")
        for group in groups:
            town.fill("#new-group input[name=name]", group)
            submit(town, "#new-group")
        for grid in grids:
            town.fill("#new-grid input[name=name]", f"网格{grid}")
            town.fill("#new-grid input[name=code]", grid)
            submit(town, "#new-grid")
        expect(town.locator(f"#grids input[value='网格{grids[-1]}']")).to_have_count(1)
    assert count(app, Village) == 2 and count(app, Grid) == 3
    town.goto(f"{base}/town/villages")
    expect(town.locator("#village-list")).to_contain_text("王家村")
    assert town.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(town, "first-town-villages.png")
    # -- staff from .xlsx ----------------------------------------------------------------------------
    town.goto(f"{base}/admin/staff/import")
    staff = staff_xlsx(("刘书记", "yf.admin", "13900000001", "村两委", "YF", ""),
                       ("李网格", "yf.grid", "13900000002", "网格员", "YF", "W1、W2"),
                       ("赵评议", "wj.review", "", "评议小组成员", "WJ", ""))
    town.set_input_files("input[name=file]", files=[{"name": "staff.xlsx", "buffer": staff,
                                                      "mimeType": "application/octet-stream"}])
    submit(town, "form[enctype]")
    expect(town.locator("#passwords")).to_contain_text("yf.grid")
    html = town.content()
    passwords = dict(re.findall(r"<td><code>([a-z.]+)</code></td><td>[^<]*</td><td><code>([a-z0-9]+)</code>", html))
    assert set(passwords) == {"yf.admin", "yf.grid", "wj.review"}
    town.goto(f"{base}/admin/staff")
    expect(town.locator("#staff-list")).to_contain_text("李网格")
    assert town.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(town, "first-town-staff.png")
    # -- the village admin: rules, roster, one household by hand -----------------------------------
    admin = phone()
    login(admin, base, "yf.admin", passwords["yf.admin"])
    admin.goto(f"{base}/admin/scheme")
    admin.set_input_files("input[name=file]", str(RULES))
    submit(admin, "form[enctype]")
    admin.goto(f"{base}/admin/roster")
    admin.set_input_files("input[name=file]", files=[{"name": "roster.xlsx", "buffer": roster_xlsx(),
                                                       "mimeType": "application/octet-stream"}])
    submit(admin, "form[enctype]")
    assert count(app, Household) == 2
    admin.goto(f"{base}/admin/households/new")
    admin.fill("#household-form input[name=code]", "YF0003")
    admin.fill("#household-form input[name=head_name]", "赵六")
    admin.select_option("#household-form select[name=grid]", label="网格W1")
    submit(admin, "#household-form")
    assert count(app, Household, Household.code == "YF0003") == 1
    # -- the grid worker records an entry ------------------------------------------------------------
    worker = phone()
    login(worker, base, "yf.grid", passwords["yf.grid"])
    worker.goto(f"{base}/score")
    worker.wait_for_selector("#scoring[data-ready='1']", state="attached")
    worker.wait_for_function("() => navigator.serviceWorker.controller !== null")
    worker.goto(f"{base}/score/event?h=YF0003")
    worker.wait_for_selector("#scoring[data-ready='1']", state="attached")
    expect(worker.locator("[data-hh-head]")).to_contain_text("YF0003")
    radio = worker.locator("input[name=item][value='J2']")
    worker.locator("details.cat", has=radio).locator("summary").click()
    worker.locator("label.pick", has=radio).click()
    worker.click("#save")
    worker.wait_for_selector("#entry-form[data-saved]")
    def recorded() -> int:
        return count(app, Entry, Entry.recorded_by_id.in_(select(User.id).where(User.username == "yf.grid")))
    worker.goto(f"{base}/score")
    worker.wait_for_selector("#scoring[data-ready='1']", state="attached")
    if worker.locator("[data-sync-now]").count():
        worker.locator("[data-sync-now]").first.dispatch_event("click")  # inside the folded sync card
    wait_for(lambda: recorded() == 1)
    # Nothing but what the town made: its admin and the three imported accounts, no demo rows.
    assert count(app, User) == 4 and count(app, Entry) == 1
