"""Store reports: by day, product and household; issued vs redeemed; each user sees only their scope."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from tests.worlds.store import TODAY, Shop, attempt
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.user import User
from webapp.store.domain import CartLine
from webapp.store.models import Product, StockMovement
from webapp.store.services.redeem import reverse
from webapp.store.services.reports import report_xlsx, store_report


def shared_store(make) -> tuple[Shop, str]:
    """A store serving 油房村 and 王家村, one household in each with 100 points this month."""
    town = make.town()
    yf, wj = make.village(town, name="油房村"), make.village(town, name="王家村")
    codes = []
    for village, head in ((yf, "张三丰"), (wj, "王五")):
        version = make.scheme(village, "store-monthly")
        hh = make.household(village, head)
        make.entry(hh, version, "P10", TODAY.replace(day=1), quantity=10)
        codes.append(hh.code)
    store = make.store(town, [yf, wj])
    clerk = make.user("clerk", store_id=store.id)
    admin = make.user("village_admin", village_id=yf.id)
    rice = Product(store_id=store.id, code="R", name="大米", category="粮油", price_points=Decimal(25))
    db.session.add(rice)
    db.session.flush()
    db.session.add(StockMovement(store_id=store.id, product_id=rice.id, kind="stock_in", quantity=20,
                                 supplier="供销社", invoice_no="1"))
    db.session.commit()
    return Shop(store.id, clerk.id, admin.id, yf.id, codes[0], "", codes[1], rice.id, 0), codes[1]


def test_the_clerk_sees_the_whole_store_and_a_village_admin_only_their_village(make):
    """张三丰 redeems 2 bags (50) and 1 bag (25, then reversed); 王五 1 bag (25) on the same day."""
    shop, wang = shared_store(make)
    attempt(shop.clerk_id, shop, [CartLine(shop.rice, 2)])
    reversed_one = attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)])
    attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)], code=wang)
    reverse(db.session.get(User, shop.admin_id), reversed_one.redemption.receipt_no, "退货", TODAY)
    db.session.commit()
    may = Period.month(TODAY.year, TODAY.month)

    clerk = store_report(db.session.get(User, shop.clerk_id), shop.store_id, may)
    assert clerk.by_day == [(TODAY, 3, Decimal(100), Decimal(25))]
    assert clerk.total_points == 75
    assert clerk.by_product == [("大米", "粮油", 3, Decimal(75))]
    assert [(code, head, n, pts) for code, head, _, n, pts in clerk.by_household] == [
        (shop.household, "张三丰", 1, Decimal(50)), (wang, "王五", 1, Decimal(25))]
    this_month = f"{TODAY:%Y-%m}"
    assert [r for r in clerk.issued_vs_redeemed if r[1] == this_month] == [
        ("油房村", this_month, Decimal(100), Decimal(50)), ("王家村", this_month, Decimal(100), Decimal(25))]
    assert [s.on_hand for s in clerk.stock] == [17]  # 20 − 2 − 1 − 1, + 1 returned

    admin = store_report(db.session.get(User, shop.admin_id), shop.store_id, may)
    assert [row[0] for row in admin.by_household] == [shop.household]
    assert admin.by_day == [(TODAY, 2, Decimal(75), Decimal(25))]
    assert {r[0] for r in admin.issued_vs_redeemed} == {"油房村"}


def test_the_workbook_has_one_sheet_per_table_with_the_given_headings(make):
    shop, _ = shared_store(make)
    attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)])
    report = store_report(db.session.get(User, shop.clerk_id), shop.store_id, Period.whole_year(TODAY.year))
    keys = ("by_day", "by_product", "by_household", "stock", "movements", "issued")
    data = report_xlsx(report, {k: [k.upper()] for k in keys}, {k: f"表{i}" for i, k in enumerate(keys)},
                       {"stock_in": "入库", "redemption": "兑换"})
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [f"表{i}" for i in range(6)]
    assert book["表0"]["A1"].value == "BY_DAY" and book["表0"]["C2"].value == 25
    assert {row[2] for row in book["表4"].iter_rows(min_row=2, values_only=True)} == {"入库", "兑换"}
    assert len(list(book["表5"].iter_rows(min_row=2))) == 2 * 12  # two villages × twelve months
    assert book["表0"]["A2"].value.date() == TODAY
