"""积分明细 and 一户一码 in a real browser at 360×640: the household's statement with a receipt and its
return, a door plate, and a card's link opened by a phone that is not logged in."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import select

from tests.worlds.browser import login, password_of, screenshot
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.store.models import HouseholdCard, Redemption

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
JSQR = Path(__file__).resolve().parents[3] / "webapp" / "static" / "vendor" / "jsqr-1.4.0" / "jsQR.js"
DECODE = """png => new Promise((resolve, reject) => {
  const image = new Image();
  image.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = image.width; canvas.height = image.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const code = jsQR(context.getImageData(0, 0, image.width, image.height).data, image.width, image.height);
    resolve(code ? code.data : null);
  };
  image.onerror = reject;
  image.src = "data:image/png;base64," + png;
})"""


def decoded(browser, png: bytes) -> str | None:
    """What the counter's own decoder (jsQR) reads in a picture of a QR code."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.add_script_tag(content=JSQR.read_text(encoding="utf-8"))
        return tab.evaluate(DECODE, base64.b64encode(png).decode())
    finally:
        context.close()


def a_household_with_a_returned_redemption(live_app) -> tuple[str, str]:
    """A demo household of 油房村 that redeemed; its redemption is returned by the committee (committed)."""
    from webapp.extensions import db
    from webapp.store.services.redeem import reverse

    with live_app.app_context():
        redemption = db.session.scalars(select(Redemption).join(Household, Household.id == Redemption.household_id)
                                        .where(Household.code.like("YF%")).order_by(Redemption.id)).first()
        code, receipt_no = redemption.household.code, redemption.receipt_no
        if redemption.reversal is None:
            admin = db.session.scalar(select(User).where(User.username == "admin"))
            reverse(admin, receipt_no, "换货", date.today())
            db.session.commit()
        db.session.remove()
    return code, receipt_no


def test_the_household_page_explains_its_balance_line_by_line(page, base, live_app):
    code, receipt_no = a_household_with_a_returned_redemption(live_app)
    login(page, base, "admin", password_of("admin"))
    page.goto(f"{base}/households/{code}")
    ledger = page.locator("#ledger")
    expect(ledger.locator("#ledger-sum")).to_contain_text("可兑换积分")
    ledger.locator("summary").click()
    expect(ledger.locator(".ledger-redeemed", has_text=receipt_no)).to_be_visible()
    expect(ledger.locator(".ledger-returned", has_text=receipt_no)).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the statement scrolls sideways at 360px"
    ledger.scroll_into_view_if_needed()
    page.evaluate("document.getElementById('ledger').scrollIntoView()")
    screenshot(page, "household-statement-360.png", full_page=False)


def test_a_door_plate_prints_on_its_own_and_its_link_asks_for_the_login(page, base, db_session, browser):
    household = db_session.scalars(select(Household).join(HouseholdCard, HouseholdCard.household_id == Household.id)
                                   .where(HouseholdCard.revoked_at.is_(None)).order_by(Household.code)).first()
    token = db_session.scalar(select(HouseholdCard.token).where(
        HouseholdCard.household_id == household.id, HouseholdCard.revoked_at.is_(None)))
    login(page, base, "admin", password_of("admin"))
    page.goto(f"{base}/store/cards?village={household.village_id}")
    expect(page.locator("#print-door-plates")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the cards page scrolls sideways at 360px"
    screenshot(page, "cards-360.png", full_page=False)
    page.goto(f"{base}/cards/plates?village={household.village_id}&code={household.code}")
    plate = page.locator(".plate")
    expect(plate).to_have_count(1)
    expect(plate).to_contain_text(household.head_name)
    expect(plate).to_contain_text(household.code)
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the door plate scrolls sideways at 360px"
    screenshot(page, "door-plate-360.png", full_page=False)
    assert decoded(browser, plate.locator("svg.qr").screenshot()) == f"{base}/k/{token}"  # what a camera reads
    page.emulate_media(media="print")
    screenshot(page, "door-plate-print.png", full_page=True)
    phone = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN")
    try:
        tab = phone.new_page()
        tab.goto(f"{base}/k/{token}")
        expect(tab.locator("input[name=password]")).to_be_visible()
        expect(tab.locator("input[name=username]")).to_have_value(household.code)  # only the PIN to type
        assert f"/households/{household.code}" in unquote(tab.url)  # after the login, the household's own page
        screenshot(tab, "card-link-login-360.png", full_page=False)
    finally:
        phone.close()
