"""The store counter and the household cards in a real browser: a clerk at 360×640, an admin printing cards."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.worlds.browser import login, password_of, screenshot
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.store.models import HouseholdCard

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
RECEIPT_NO = re.compile(r"^FS-S1-\d{6}-\d{3}$")


def a_household_with_points(db_session) -> Household:
    """A household of the store's villages with points to spend and no freeze."""
    from datetime import date

    from webapp.store.services.ledger import household_ledger

    for hh in db_session.scalars(select(Household).where(Household.code.like("YF%")).order_by(Household.code)):
        ledger = household_ledger(hh, date.today())
        if ledger.spendable >= 10 and ledger.frozen is None:
            return hh
    pytest.fail("no demo household has 10 points to spend")


def test_a_clerk_redeems_with_a_typed_household_code_and_gets_a_receipt(page, base, db_session):
    """Log in as the demo clerk, type a household code, add soap, confirm: a receipt with its number."""
    household = a_household_with_points(db_session)
    login(page, base, "store", password_of("store"))
    page.click("nav.tabs a[href='/store/counter']")
    expect(page.locator("[data-scan]")).to_be_visible()
    page.fill(".lookup input[name=code]", household.code.lower())
    page.click(".lookup button")
    panel = page.locator("#panel")
    expect(panel.locator(".who h2")).to_contain_text(household.head_name)
    soap = page.locator(".product", has_text="肥皂")
    soap.locator("[data-step='1']").click()
    soap.locator("[data-step='1']").click()
    expect(page.locator("[data-total]")).to_have_text("6")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the counter scrolls sideways at 360px"
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "counter-360.png", full_page=False)  # what the clerk sees: who, balance, cart total
    with page.expect_navigation():
        page.click("#cart button[type=submit]")
    number = page.locator("[data-receipt-no]")
    expect(number).to_have_text(RECEIPT_NO)
    expect(page.locator(".receipt table")).to_contain_text("肥皂")
    expect(page.locator(".receipt .total")).to_contain_text("6")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the receipt scrolls sideways at 360px"
    screenshot(page, "receipt-360.png")
    page.goto(f"{base}/store/stock")
    expect(page.locator("main .error")).to_contain_text("毛巾")  # the demo's towels are low
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the stock page scrolls sideways at 360px"
    screenshot(page, "stock-360.png")


def test_the_counter_refuses_a_cart_beyond_the_balance_and_keeps_it(page, base, db_session):
    """More rice than the household can pay for: the reason on screen, the cart still filled in."""
    household = a_household_with_points(db_session)
    login(page, base, "store", password_of("store"))
    page.goto(f"{base}/store/counter")
    page.fill(".lookup input[name=code]", household.code)
    page.click(".lookup button")
    rice = page.locator(".product", has_text="大米")
    rice.locator("input").fill("30")
    expect(page.locator("[data-left-wrap]")).to_have_class(re.compile("over"))
    page.click("#cart button[type=submit]")
    expect(page.locator("#panel .error")).to_be_visible()
    expect(page.locator(".product", has_text="大米").locator("input")).to_have_value("30")
    assert "/store/receipts/" not in page.url


def test_the_admin_prints_household_cards_whose_qr_codes_the_vendored_decoder_reads(browser, base, db_session):
    """A4 sheet of cards (code, head, village, QR); jsQR reads a card's QR code as JIFEN:<its token>."""
    context = browser.new_context(viewport={"width": 820, "height": 1160}, device_scale_factor=1, locale="zh-CN")
    page = context.new_page()
    try:
        login(page, base, "admin", password_of("admin"))
        village_id = db_session.scalar(select(User).where(User.username == "admin")).grants[0].village_id
        page.goto(f"{base}/store/cards/sheet?village={village_id}")
        cards = page.locator(".card")
        expect(cards.first).to_be_visible()
        assert cards.count() >= 10
        first_code = cards.first.locator(".code").inner_text().strip()
        screenshot(page, "cards-sheet.png", full_page=False)
        page.add_script_tag(url=f"{base}/static/vendor/jsqr-1.4.0/jsQR.js")
        decoded = page.evaluate("""async () => {
            const svg = document.querySelector('.card svg.qr');
            const img = new Image();
            img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(
                svg.outerHTML.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" '));
            await img.decode();
            const canvas = Object.assign(document.createElement('canvas'), {width: 330, height: 330});
            const ctx = canvas.getContext('2d');
            ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 330, 330); ctx.drawImage(img, 0, 0, 330, 330);
            const code = jsQR(ctx.getImageData(0, 0, 330, 330).data, 330, 330);
            return code && code.data;
        }""")
        token = db_session.scalar(select(HouseholdCard.token).join(HouseholdCard.household).where(
            Household.code == first_code, HouseholdCard.revoked_at.is_(None)))
        assert decoded == f"JIFEN:{token}"
    finally:
        context.close()
