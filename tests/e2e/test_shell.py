"""The app shell in a real phone-sized browser: login, home, household search and statement, prefs, scope."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from tests.worlds.browser import login, password_of, screenshot
from webapp.people.models.geo import Grid, Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.roster import pinyin_initials

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
ROOT_FONT_SIZE = "getComputedStyle(document.documentElement).fontSize"


def last_month_key(today: date | None = None) -> str:
    return ((today or date.today()).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def admin_village(db_session) -> Village:
    """The village the demo `admin` account manages."""
    user = db_session.scalar(select(User).where(User.username == "admin"))
    return db_session.get(Village, user.grants[0].village_id)


def test_login_page_is_chinese_by_default_and_lists_the_demo_accounts(page, base):
    """The login page speaks Chinese to a new visitor and, in demo mode, lists every demo account."""
    page.goto(f"{base}/login")
    screenshot(page, "login-360.png")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_contain_text("登录")
    expect(page.locator("form button.primary")).to_contain_text("登录")
    expect(page.locator(".demo-accounts tbody tr")).to_have_count(7)
    expect(page.locator(".demo-accounts")).to_contain_text("admin")
    expect(page.locator(".demo-accounts")).to_contain_text(password_of("admin"))
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the login page scrolls sideways at 360px"


def test_village_admin_logs_in_and_lands_on_the_home_page(page, base):
    """The village admin logs in with the demo password and sees the home page with their village."""
    login(page, base, "admin", password_of("admin"))
    screenshot(page, "home-360.png")
    assert page.url == f"{base}/home"
    expect(page.locator("h1")).to_contain_text("村两委")
    expect(page.locator("main")).to_contain_text("油房村")
    expect(page.locator("form[action$='/logout']")).to_have_count(1)
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the home page scrolls sideways at 360px"


def test_household_search_finds_a_household_by_pinyin_initials_without_reloading(page, base, db_session):
    """Typing a head's pinyin initials swaps in matching households via htmx, without a full page load."""
    village = admin_village(db_session)
    households = db_session.scalars(
        select(Household).where(Household.village_id == village.id).order_by(Household.code)
    ).all()
    # A head beyond the first page (50 rows), so the name only shows up once the search has run.
    target = next(hh for hh in households[60:] if len(pinyin_initials(hh.head_name)) >= 2)
    initials = pinyin_initials(target.head_name)

    login(page, base, "admin", password_of("admin"))
    page.goto(f"{base}/households")
    results = page.locator("#results")
    expect(results).not_to_contain_text(target.code)
    page.evaluate("window.__noReload = true")

    page.locator("input[name=q]").press_sequentially(initials, delay=30)
    expect(results).to_contain_text(target.head_name)
    expect(results).to_contain_text(target.code)
    assert page.evaluate("window.__noReload === true"), "the search reloaded the whole page"
    expect(page).to_have_url(re.compile(rf"[?&]q={initials}\b"))


def test_household_list_fits_a_360px_screen(page, base):
    """The household list with its search box and group filter does not scroll sideways on a phone."""
    login(page, base, "admin", password_of("admin"))
    page.goto(f"{base}/households")
    screenshot(page, "households-360.png", full_page=False)  # 50 rows: the first screen is enough
    expect(page.locator("#results .hh-list li a").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the household list is {width}px wide at 360px (search box or filter overflows)"


def test_household_page_for_last_month_shows_the_line_by_line_statement(page, base, db_session):
    """Last month's statement lists base items line by line with totals, and fits a 360px screen."""
    village = admin_village(db_session)
    household = db_session.scalars(
        select(Household).where(Household.village_id == village.id).order_by(Household.code)
    ).first()
    period = last_month_key()

    login(page, base, "admin", password_of("admin"))
    response = page.goto(f"{base}/households/{household.code}?period={period}")
    screenshot(page, "household-360.png")
    assert response.status == 200
    expect(page.locator("h1")).to_contain_text(household.head_name)
    statement = page.locator("#statement")
    expect(statement.locator(".totals .figure.total .value")).to_have_text(re.compile(r"^-?\d"))
    base_table = statement.locator(".card").nth(1).locator("table")
    expect(base_table).to_be_visible()
    # Category header rows plus one row per base item, each with a state and a points figure.
    item_rows = base_table.locator("tbody tr:has(td.item-name)")
    assert item_rows.count() >= 5
    expect(item_rows.first.locator("td.num")).to_have_text(re.compile(r"\d"))
    expect(item_rows.first.locator(".status")).not_to_be_empty()
    expect(page.locator("select[name=period]")).to_have_value(period)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the statement scrolls sideways at 360px"


def test_switching_to_english_shows_english_text(page, base):
    """The language button switches the interface to English (and back shows a 中文 button)."""
    login(page, base, "admin", password_of("admin"))
    page.locator(".prefs button[name=lang][value=en]").click()
    expect(page.locator(".prefs")).to_contain_text("Log out")
    expect(page.locator(".prefs button[name=lang]")).to_have_text("中文")
    page.reload()  # the choice is a cookie: it survives a full page load
    expect(page.locator(".prefs")).to_contain_text("Log out")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_large_type_toggle_enlarges_the_root_font_size(page, base):
    """The large-type button takes the root font size from 16px to 20px, straight away."""
    page.goto(f"{base}/login")
    assert page.evaluate(ROOT_FONT_SIZE) == "16px"
    page.locator(".prefs form[action$='/large-type'] button").click()
    expect(page.locator(".prefs form[action$='/large-type'] button")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(f"() => {ROOT_FONT_SIZE} === '20px'", timeout=3000)
    page.reload()  # and it sticks
    assert page.evaluate(ROOT_FONT_SIZE) == "20px"


def test_grid_worker_sees_only_households_of_their_grid(page, base, db_session):
    """A grid worker's list holds only their grid's households, and another grid's household is a 404."""
    user = db_session.scalar(select(User).where(User.username == "grid"))
    grid = db_session.get(Grid, user.grants[0].grid_id)
    own = set(db_session.scalars(select(Household.code).where(Household.grid_id == grid.id)))
    other = db_session.scalars(
        select(Household).where(Household.village_id == grid.village_id, Household.grid_id != grid.id)
        .order_by(Household.code)
    ).first()
    assert own and other is not None

    login(page, base, "grid", password_of("grid"))
    page.goto(f"{base}/households")
    links = page.locator("#results .hh-list li a")
    expect(links.first).to_be_visible()
    shown = {href.rsplit("/", 1)[-1].split("?")[0] for href in
             links.evaluate_all("els => els.map(a => a.getAttribute('href'))")}
    assert shown, "the grid worker sees no households"
    assert shown <= own, f"households of other grids listed: {sorted(shown - own)}"
    assert len(shown) == min(len(own), 50)

    response = page.goto(f"{base}/households/{other.code}")
    assert response.status == 404
