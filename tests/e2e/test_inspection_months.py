"""Inspections on time, on a phone: the inspection form offers last month until the rules' scoring
deadline (the demo's Fengsheng rules: the 3rd of the next month), then only the current month. The
choice is computed in the page from the rules the phone holds; the page's clock is faked."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.worlds.browser import VIEWPORT, login, password_of, screenshot
from webapp.people.models.geo import Grid
from webapp.people.models.household import Household
from webapp.people.models.user import User

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

ZONE = ZoneInfo("Asia/Shanghai")
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def first_household(db_session) -> str:
    user = db_session.scalar(select(User).where(User.username == "grid"))
    grid = db_session.get(Grid, user.grants[0].grid_id)
    return db_session.scalar(select(Household.code).where(Household.grid_id == grid.id).order_by(Household.code))


def open_inspection(page, base: str, code: str, day: date) -> None:
    """Open the household's inspection form with the phone's clock at 10:00 on `day` (village time)."""
    page.clock.set_fixed_time(datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZONE))
    page.goto(f"{base}/score/inspection?h={code}")
    page.wait_for_selector("#scoring[data-ready='1']", state="attached")
    expect(page.locator("[data-hh-head]")).to_contain_text(code)  # the rules and roster are loaded


def test_the_form_offers_last_month_on_the_2nd_and_not_on_the_4th(browser, base, db_session):
    """On the 2nd: last month and this month, this month chosen, the deadline stated; choosing last month
    saves an inspection for it. On the 4th: only this month."""
    today = date.today()
    this_month = f"{today.year:04d}-{today.month:02d}"
    before = today.replace(day=1) - timedelta(days=1)
    last_month = f"{before.year:04d}-{before.month:02d}"
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10000)
    page = context.new_page()
    try:
        login(page, base, "grid", password_of("grid"))
        code = first_household(db_session)

        open_inspection(page, base, code, today.replace(day=2))
        radios = page.locator("#period-choice input[name=period]")
        expect(radios).to_have_count(2)
        assert [radios.nth(i).get_attribute("value") for i in range(2)] == [last_month, this_month]
        expect(page.locator(f"#period-choice input[value='{this_month}']")).to_be_checked()
        deadline = today.replace(day=3).isoformat()
        expect(page.locator("[data-period-hint]")).to_have_text(f"{last_month} 的评分截至 {deadline} 仍可录入。")
        expect(page.locator("[data-period]")).to_have_text(this_month)
        assert page.evaluate(NO_HORIZONTAL_SCROLL)
        page.locator("#period-choice label", has_text=last_month).click()
        expect(page.locator("[data-period]")).to_have_text(last_month)
        screenshot(page, "score-inspection-months-360.png", full_page=False)
        page.click("#save")
        page.wait_for_selector("#inspection-form[data-saved]")
        saved = page.evaluate("Jifen.Outbox.list(Jifen.page.user).then(l => l.map(i => i.payload.period))")
        assert saved == [last_month]

        open_inspection(page, base, code, today.replace(day=4))
        expect(page.locator("#period-choice input[name=period]")).to_have_count(1)
        expect(page.locator("#period-choice input[name=period]")).to_have_value(this_month)
        expect(page.locator("[data-period-hint]")).to_have_count(0)
        expect(page.locator("[data-period]")).to_have_text(this_month)
    finally:
        context.close()
