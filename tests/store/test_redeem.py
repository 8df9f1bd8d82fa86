"""Redeeming at the counter: one transaction, never the same points twice, a retried request redeems once."""

from __future__ import annotations

import threading
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.refusals import refused
from tests.worlds.store import TODAY, Shop, attempt
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.points.models.entry import Freeze
from webapp.store.domain import CartLine
from webapp.store.models import HouseholdCard, Product, Redemption, RedemptionLine, StockMovement
from webapp.store.services.cards import issue_missing, reissue
from webapp.store.services.ledger import household_ledger
from webapp.store.services.redeem import redeem, reverse


def counts() -> tuple[int, int, int, int]:
    """Rows that a refused redemption must not have written."""
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in
                 (Redemption, RedemptionLine, StockMovement, AuditEvent))


def spendable(code: str, today: date = TODAY) -> Decimal:
    household = db.session.scalar(select(Household).where(Household.code == code))
    return household_ledger(household, today).spendable


def test_a_redemption_lowers_the_balance_and_the_stock_and_gives_a_receipt(shop):
    """100 points, 1 rice (80) + 2 soap (6): 14 left; rice 49, soap 0; receipt STORE-260520-001."""
    result = attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1), CartLine(shop.soap, 2)])
    assert not result.repeated
    receipt_no = result.redemption.receipt_no
    assert receipt_no.endswith("-260520-001")
    assert spendable(shop.household) == 14
    stock = dict(db.session.execute(select(StockMovement.product_id, func.sum(StockMovement.quantity))
                                    .group_by(StockMovement.product_id)).all())
    assert stock == {shop.rice: 49, shop.soap: 0}
    second = attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)], code=shop.poor)
    assert second == "Not enough points: the cart needs %(total)s, the balance is %(balance)s."


def test_the_same_request_sent_twice_redeems_once(shop):
    """The second request with the same client key returns the first receipt and writes nothing."""
    key = uuid.uuid4()
    first = attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)], key=key)
    first_no = first.redemption.receipt_no
    before = counts()
    again = attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)], key=key)
    assert again.repeated and again.redemption.receipt_no == first_no
    assert counts() == before
    assert spendable(shop.household) == 20


def test_a_client_key_used_for_another_household_is_refused(shop):
    key = uuid.uuid4()
    attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)], key=key)
    assert attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)], key=key, code=shop.poor) == (
        "This cart was already used for another household. Open a new cart.")


@pytest.mark.parametrize(("case", "expected"), [
    ("frozen", "Redemption is frozen since %(day)s: %(reason)s"),
    ("revoked card", "This card was replaced by a new one and no longer works."),
    ("unknown card", "This card is not known. Type the household code instead."),
    ("other village", "This store does not serve the household's village."),
    ("unknown household", "No household with code %(code)s."),
    ("zero quantity", "A quantity must be at least 1."),
    ("negative quantity", "A quantity must be at least 1."),
    ("unknown product", "This product is not sold here."),
    ("stock runs out mid-cart", "Only %(stock)s of %(name)s left in stock."),
    ("too few points", "Not enough points: the cart needs %(total)s, the balance is %(balance)s."),
])
def test_a_refused_redemption_says_why_and_writes_nothing(shop, case, expected):
    """Each refusal comes back as a message for the clerk, and no row is added."""
    lines, kwargs = [CartLine(shop.soap, 1)], {}
    if case == "frozen":
        hh = db.session.scalar(select(Household).where(Household.code == shop.household))
        db.session.add(Freeze(household_id=hh.id, starts_on=date(2026, 5, 1), reason="乱倒垃圾"))
    elif case in ("revoked card", "unknown card"):
        village = db.session.get(Household, db.session.scalar(
            select(Household.id).where(Household.code == shop.household))).village
        issue_missing(village, shop.admin_id)
        old = db.session.scalar(select(HouseholdCard.token).join(Household).where(Household.code == shop.household))
        reissue(village, shop.household, shop.admin_id)
        kwargs["card"] = old if case == "revoked card" else "JIFEN:not-a-card"
    elif case == "other village":
        kwargs["code"] = shop.outsider
    elif case == "unknown household":
        kwargs["code"] = "NOPE1"
    elif case == "zero quantity":
        lines = [CartLine(shop.rice, 1), CartLine(shop.soap, 0)]
    elif case == "negative quantity":
        lines = [CartLine(shop.soap, -1)]
    elif case == "unknown product":
        lines = [CartLine(shop.soap, 1), CartLine(shop.rice + shop.soap + 1000, 1)]
    elif case == "stock runs out mid-cart":
        lines = [CartLine(shop.soap, 1), CartLine(shop.rice, 1), CartLine(shop.soap, 2)]
    elif case == "too few points":
        lines = [CartLine(shop.rice, 1), CartLine(shop.soap, 1), CartLine(shop.rice, 1)]
    db.session.commit()
    before = counts()
    assert attempt(shop.clerk_id, shop, lines, **kwargs) == expected
    assert counts() == before
    assert spendable(shop.household) == 100


def test_a_refusal_reads_in_chinese_at_the_counter(shop, app):
    """The message is an English msgid, translated for the clerk (Chinese by default)."""
    hh = db.session.scalar(select(Household).where(Household.code == shop.household))
    db.session.add(Freeze(household_id=hh.id, starts_on=date(2026, 5, 1), reason="乱倒垃圾"))
    db.session.commit()
    user = db.session.get(User, shop.clerk_id)
    db.session.rollback()
    with app.test_request_context(), refused("Redemption is frozen since %(day)s: %(reason)s") as caught:
        redeem(user, shop.store_id, [CartLine(shop.soap, 1)], uuid.uuid4(), TODAY, code=shop.household)
    db.session.rollback()
    with app.test_request_context():
        assert "乱倒垃圾" in caught.value.translated() and "2026-05-01" in caught.value.translated()


def test_a_card_finds_its_household_at_the_counter(shop):
    """The QR code's token (with its prefix) names the household; the household id is not in it."""
    village = db.session.scalar(select(Household).where(Household.code == shop.household)).village
    issue_missing(village, shop.admin_id)
    hh = db.session.scalar(select(Household).where(Household.code == shop.household))
    token = db.session.scalar(select(HouseholdCard.token).where(HouseholdCard.household_id == hh.id))
    db.session.commit()
    result = attempt(shop.clerk_id, shop, [CartLine(shop.soap, 1)], card=f"JIFEN:{token}")
    assert result.redemption.household.code == shop.household


def test_a_user_who_is_not_the_stores_clerk_cannot_redeem(shop, make):
    other_clerk = make.user("clerk", store_id=make.store(make.town(), []).id)
    db.session.commit()
    assert attempt(shop.admin_id, shop, [CartLine(shop.soap, 1)]) == "Choose one of your stores."
    assert attempt(other_clerk.id, shop, [CartLine(shop.soap, 1)]) == "Choose one of your stores."


def test_a_reversed_redemption_gives_points_and_stock_back_through_new_rows(shop):
    """Reversal adds a return and stock movements; the redemption itself is left as it was."""
    result = attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)])
    receipt_no = result.redemption.receipt_no
    admin = db.session.get(User, shop.admin_id)
    reverse(admin, receipt_no, "商品破损", TODAY)
    db.session.commit()
    assert spendable(shop.household) == 100
    kinds = [(m.kind, m.quantity) for m in db.session.scalars(
        select(StockMovement).where(StockMovement.product_id == shop.rice).order_by(StockMovement.id))]
    assert kinds == [("stock_in", 50), ("redemption", -1), ("return", 1)]
    assert db.session.scalar(select(Redemption.total_points)) == 80
    with pytest.raises(Refusal, match="already reversed"):
        reverse(admin, receipt_no, "again", TODAY)


def test_only_the_village_committee_reverses_a_redemption(shop):
    result = attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)])
    clerk = db.session.get(User, shop.clerk_id)
    with refused("No such receipt.", NotFound):
        reverse(clerk, result.redemption.receipt_no, "想退", TODAY)
    admin = db.session.get(User, shop.admin_id)
    with pytest.raises(Refusal, match="reason"):
        reverse(admin, result.redemption.receipt_no, "  ", TODAY)


def run_together(app, calls) -> list:
    """Run each call in its own thread, app context and database connection, all released at once."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, call):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results[i] = call()
            except Exception as exc:  # noqa: BLE001 - reported by the test
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_clerks_redeeming_80_each_from_100_at_the_same_time_succeed_exactly_once(app, make):
    """Twenty rounds of two concurrent requests (own threads, sessions, connections) for the same household:
    each round exactly one receipt, and the household is left with 20 points. Runs on SQLite and PostgreSQL."""
    town = make.town()
    village = make.village(town)
    version = make.scheme(village, "store-monthly")
    store = make.store(town, [village])
    clerks = [make.user("clerk", store_id=store.id).id for _ in range(2)]
    rice = Product(store_id=store.id, code="R", name="大米", price_points=Decimal(80))
    db.session.add(rice)
    db.session.flush()
    db.session.add(StockMovement(store_id=store.id, product_id=rice.id, kind="stock_in", quantity=1000,
                                 supplier="供销社", invoice_no="1"))
    codes = []
    for _ in range(20):
        hh = make.household(village)
        make.entry(hh, version, "P10", TODAY.replace(day=1), quantity=10)
        codes.append(hh.code)
    shop = Shop(store.id, 0, 0, village.id, "", "", "", rice.id, 0)
    db.session.commit()
    for code in codes:
        results = run_together(app, [
            lambda clerk=clerk: attempt(clerk, shop, [CartLine(shop.rice, 1)], code=code) for clerk in clerks
        ])
        db.session.rollback()  # a fresh snapshot: see what the threads committed
        errors = [r for r in results if isinstance(r, Exception)]
        assert not errors, errors
        receipts = [r for r in results if not isinstance(r, str)]
        refusals = [r for r in results if isinstance(r, str)]
        assert len(receipts) == 1, results
        assert refusals == ["Not enough points: the cart needs %(total)s, the balance is %(balance)s."]
        assert spendable(code) == 20
    assert db.session.scalar(select(func.count(Redemption.id))) == 20
    assert db.session.scalar(select(func.sum(StockMovement.quantity))) == 1000 - 20
