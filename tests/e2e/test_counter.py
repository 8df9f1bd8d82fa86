"""The store counter and the household cards in a real browser: a clerk at 360×640 (finding a household by
name, 确认兑换 disabled over the balance with the reason beside it, the receipt on a 58 mm strip, a
reservation handed over), an admin printing cards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.worlds.browser import login, password_of, screenshot
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.store.domain import token_from_scan
from webapp.store.models import HouseholdCard

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
RECEIPT_NO = re.compile(r"^FS-S1-\d{6}-\d{3}$")
SHOTS = Path("/tmp/rs/shots")
PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")
MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]")
MM = 72 / 25.4  # PDF points per millimetre


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
    """More rice than the household can pay for: the button is disabled, and if the cart is sent anyway the
    server refuses it, the reason on screen, the cart still filled in."""
    household = a_household_with_points(db_session)
    login(page, base, "store", password_of("store"))
    page.goto(f"{base}/store/counter")
    page.fill(".lookup input[name=code]", household.code)
    page.click(".lookup button")
    rice = page.locator(".product", has_text="大米")
    rice.locator("input").fill("30")
    expect(page.locator("[data-left-wrap]")).to_have_class(re.compile("over"))
    expect(page.locator("#cart button[type=submit]")).to_be_disabled()
    page.evaluate("document.getElementById('cart').requestSubmit()")  # a stale page or a script: still refused
    expect(page.locator("#panel .error")).to_be_visible()
    expect(page.locator(".product", has_text="大米").locator("input")).to_have_value("30")
    assert "/store/receipts/" not in page.url


def test_the_admin_prints_household_cards_whose_qr_codes_the_vendored_decoder_reads(browser, base, db_session):
    """A4 sheet of cards (code, head, village, QR); jsQR reads a card's QR code, and the counter finds its token in it."""
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
        assert token_from_scan(decoded) == token  # what the counter makes of the scanned QR code
    finally:
        context.close()


def shot(page, name: str, full_page: bool = False) -> None:
    """Keep the screenshot in tests/e2e/screenshots/ and, for the helpers' review, under /tmp/rs/shots/."""
    path = screenshot(page, name, full_page=full_page)
    if SHOTS.is_dir():
        (SHOTS / f"b-{name}").write_bytes(path.read_bytes())


def find_by_name(page, household: Household) -> None:
    """Type the head's name; if several households match, tap the one wanted."""
    page.fill(".lookup input[name=code]", household.head_name)
    page.click(".lookup button")
    page.wait_for_load_state("networkidle")  # the previous search's matches must be gone first
    match = page.locator(f".matches form:has(input[value='{household.code}']) button")
    who = page.locator("#panel .who h2")
    expect(who.or_(match)).to_be_visible()
    if match.count():
        match.click()
    expect(who).to_contain_text(household.head_name)


def test_the_counter_finds_by_name_and_disables_confirm_over_the_balance_with_the_reason_beside_it(
        page, base, db_session):
    household = a_household_with_points(db_session)
    login(page, base, "store", password_of("store"))
    page.goto(f"{base}/store/counter")
    page.fill(".lookup input[name=code]", household.head_initials[:1])  # one letter: several households
    page.click(".lookup button")
    expect(page.locator(".matches .match").first).to_be_visible()
    assert page.locator(".matches .match").count() > 1
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the search results scroll sideways at 360px"
    shot(page, "counter-search-360.png")
    find_by_name(page, household)
    rice = page.locator(".product", has_text="大米")
    rice.locator("input").fill("30")
    confirm = page.locator("#cart button[type=submit]")
    short = page.locator("#cart [data-short]")
    expect(confirm).to_be_disabled()
    expect(short).to_be_visible()
    expect(short).to_have_text(re.compile(r"^还差 [\d.]+ 分$"))
    # Beside the button, in the bar fixed at the bottom: both on the first screen, on one line.
    button_box, short_box = confirm.bounding_box(), short.bounding_box()
    assert button_box["y"] + button_box["height"] <= 640 and short_box["y"] + short_box["height"] <= 640
    assert short_box["x"] + short_box["width"] <= button_box["x"] + 1
    assert short_box["y"] < button_box["y"] + button_box["height"] and button_box["y"] < short_box["y"] + short_box["height"]
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the counter scrolls sideways at 360px"
    shot(page, "counter-over-balance-360.png")
    rice.locator("input").fill("0")
    expect(confirm).to_be_enabled()
    expect(short).to_be_hidden()


def test_the_receipt_prints_on_a_58_mm_strip(page, base, db_session):
    household = a_household_with_points(db_session)
    login(page, base, "store", password_of("store"))
    page.goto(f"{base}/store/counter")
    page.fill(".lookup input[name=code]", household.code)
    page.click(".lookup button")
    page.locator(".product", has_text="肥皂").locator("[data-step='1']").click()
    with page.expect_navigation():
        page.click("#cart button[type=submit]")
    expect(page.locator("[data-receipt-no]")).to_be_visible()
    expect(page.locator(".paper-choice a[aria-current=true]")).to_contain_text("58")
    shot(page, "receipt-360.png", full_page=True)
    pdf = page.pdf(width="58mm", print_background=True)
    if SHOTS.is_dir():
        (SHOTS / "b-receipt-58mm.pdf").write_bytes(pdf)
    assert len(PDF_PAGE.findall(pdf)) == 1, "the receipt prints on more than one strip"
    width, _height = (float(v) for v in MEDIA_BOX.search(pdf).groups())
    assert abs(width - 58 * MM) < 2, f"the page is {width / MM:.1f} mm wide"
    # What the printer gets, as a picture: the print styles at 58 mm (219 CSS px).
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 219, "height": 640})
    assert page.evaluate("document.querySelector('.receipt').getBoundingClientRect().width") <= 48 * 96 / 25.4 + 1
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the 58 mm receipt is wider than the paper"
    expect(page.locator(".topbar")).to_be_hidden()
    shot(page, "receipt-58mm-print.png", full_page=True)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 360, "height": 640})
    page.click(".paper-choice a:not([aria-current=true])")
    expect(page.locator(".paper-choice a[aria-current=true]")).to_contain_text("A4")


def test_a_household_reserves_on_its_phone_and_the_clerk_hands_it_over(browser, page, base, db_session):
    villager = db_session.scalar(select(User).where(User.username == "villager"))
    household = db_session.get(Household, next(g.household_id for g in villager.grants if g.household_id))
    login(page, base, "villager", password_of("villager"))
    page.goto(f"{base}/households/{household.code}")
    page.click("#reserve-link")
    expect(page.locator("h1")).to_contain_text("预约兑换")
    soap = page.locator(".goods li", has_text="肥皂").first
    soap.locator("input").fill("1")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the reservation page scrolls sideways at 360px"
    shot(page, "reservations-form-360.png")
    with page.expect_navigation():
        soap.locator("xpath=ancestor::form").locator("button.primary").click()
    expect(page.locator("#my-reservations")).to_contain_text("待领取")
    shot(page, "reservations-360.png", full_page=True)

    clerk = browser.new_context(viewport={"width": 360, "height": 640}, device_scale_factor=1, locale="zh-CN")
    counter = clerk.new_page()
    try:
        login(counter, base, "store", password_of("store"))
        counter.goto(f"{base}/store/counter")
        waiting = counter.locator(".reservation", has_text=household.code).first
        expect(waiting).to_contain_text("肥皂 × 1")
        waiting.scroll_into_view_if_needed()
        shot(counter, "counter-reservations-360.png")
        with counter.expect_navigation():
            waiting.locator("[data-hand-over]").click()
        expect(counter.locator(".receipt table")).to_contain_text("肥皂")
    finally:
        clerk.close()
    page.reload()
    expect(page.locator("#my-reservations")).to_contain_text("已领取")
