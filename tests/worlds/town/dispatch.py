"""A town's March 2026 built by hand for the dispatch tests and the dashboard's screenshot: two villages,
known entries, inspections, redemptions (one reversed), objections, a late publication, a grid silent for
15 days, and one store serving both villages. EXPECTED holds every figure worked out by hand."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from webapp.extensions import db
from webapp.publication.models import Objection, Publication
from webapp.store.models import Product, Redemption, RedemptionReturn, StockMovement

MONTH = (2026, 3)
TODAY = date(2026, 4, 20)  # the month is over; Fengsheng's deadline (the 10th) has passed

# village code → figure → value (the dashboard's cells, the workbook's cells)
EXPECTED: dict[str, dict[str, object]] = {
    "YF": {"participating": 4, "inspected": 2, "not_inspected": 2, "entries": 6, "approved": 4, "rejected": 1,
           "waiting": 1, "points_issued": Decimal("3.5"), "points_redeemed": Decimal(5), "objections_open": 1,
           "publication": "late", "stock_value": Decimal(190)},
    "WJ": {"participating": 2, "inspected": 0, "not_inspected": 2, "entries": 0, "approved": 0, "rejected": 0,
           "waiting": 0, "points_issued": Decimal(0), "points_redeemed": Decimal(0), "objections_open": 0,
           "publication": "missing", "stock_value": Decimal(190)},
}
EXPECTED_TOTALS: dict[str, object] = {
    "participating": 6, "inspected": 2, "not_inspected": 4, "entries": 6, "approved": 4, "rejected": 1,
    "waiting": 1, "points_issued": Decimal("3.5"), "points_redeemed": Decimal(5), "objections_open": 1,
    "stock_value": Decimal(190),  # the one store, counted once
}


@dataclass
class TownMonth:
    town_id: int
    village_ids: dict[str, int]
    silent_grid: str
    silent_worker: str


def build_town_month(make) -> TownMonth:
    town = make.town(code="FS", name="丰盛镇")
    yf = make.village(town, code="YF", name="油房村")
    wj = make.village(town, code="WJ", name="王家村")
    version = make.scheme(yf)  # Fengsheng: publish_by_day 10; WJ has no rules → the 10th by default
    busy, quiet = make.grid(yf, "第一网格"), make.grid(yf, "第二网格")
    make.user("scorer", username="wangwu", grid_id=quiet.id).display_name = "王五"
    make.user("scorer", username="lisi", grid_id=busy.id).display_name = "李四"
    h1 = make.household(yf, "张一", grid=busy)
    h2 = make.household(yf, "张二", grid=busy)
    h3 = make.household(yf, "张三", grid=busy)
    h4 = make.household(yf, "张四", grid=quiet)
    make.household(yf, "张五", grid=busy, left_on=date(2026, 2, 1), left_reason="迁出")  # not taking part
    w1, _ = make.household(wj, "王一"), make.household(wj, "王二")
    admin = make.user("village_admin", username="yfadmin", village_id=yf.id)
    make.user("town_admin", username="fsadmin", town_id=town.id).display_name = "镇管理员"
    # Inspections of March: two counted, one rejected (not counted).
    make.inspection(h1, version, "2026-03")
    make.inspection(h2, version, "2026-03")
    make.inspection(h3, version, "2026-03", status="rejected")
    # Entries of March: 6 (approved, published, adjusted, approved / recorded / rejected); points 1 + 1 + 1 + 0.5.
    make.entry(h1, version, "J2", date(2026, 3, 5), quantity=2)  # 1.0
    make.entry(h1, version, "J4", date(2026, 3, 30), status="published")  # 1
    make.entry(h2, version, "J3a", date(2026, 3, 12), status="adjusted")  # 1
    make.entry(h4, version, "J2", date(2026, 3, 16))  # 0.5: the quiet grid's last entry, 15 days before the 31st
    make.entry(h3, version, "J2", date(2026, 3, 28), status="recorded")
    make.entry(h3, version, "J2", date(2026, 3, 29), status="rejected")
    make.entry(h1, version, "J2", date(2026, 2, 27), quantity=4)  # February: not counted
    make.entry(w1, make.scheme(wj), "J2", date(2026, 4, 2))  # April: WJ's March stays empty
    # The store serving both villages: 20 bags in before March, 1 out in March, 5 in after it (not counted).
    store = make.store(town, [yf, wj])
    clerk = make.user("clerk", username="clerk", store_id=store.id)
    rice = Product(store_id=store.id, code="R1", name="大米", price_points=Decimal(10))
    db.session.add(rice)
    db.session.flush()
    db.session.add_all([
        StockMovement(store_id=store.id, product_id=rice.id, kind="stock_in", quantity=20,
                      created_at=datetime(2026, 2, 28, 3)),
        StockMovement(store_id=store.id, product_id=rice.id, kind="redemption", quantity=-1,
                      created_at=datetime(2026, 3, 20, 3)),
        StockMovement(store_id=store.id, product_id=rice.id, kind="stock_in", quantity=5,
                      created_at=datetime(2026, 4, 5, 3)),
    ])
    kept = _redemption(store.id, h1, clerk.id, date(2026, 3, 20), 5)
    reversed_ = _redemption(store.id, h2, clerk.id, date(2026, 3, 21), 3)
    _redemption(store.id, h1, clerk.id, date(2026, 4, 2), 7)  # April
    db.session.add(RedemptionReturn(redemption_id=reversed_.id, reason="退货", returned_on=date(2026, 3, 22),
                                    points=Decimal(3), returned_by_id=clerk.id))
    assert kept.id
    # March's results published on 12 April (the deadline was the 10th): late. Window ended 19 April.
    march = Publication(village_id=yf.id, period="2026-03", kind="month", status="notice", frozen={},
                        closed_at=datetime(2026, 4, 8), published_at=datetime(2026, 4, 12, 2),
                        notice_starts_on=date(2026, 4, 12), notice_ends_on=date(2026, 4, 19))
    db.session.add(march)
    db.session.flush()
    db.session.add_all([
        Objection(publication_id=march.id, household_id=h2.id, filed_by_id=admin.id, text="分数不对"),
        Objection(publication_id=march.id, household_id=h3.id, filed_by_id=admin.id, text="漏记",
                  status="dismissed", answer="已核实"),
    ])
    db.session.commit()
    return TownMonth(town.id, {"YF": yf.id, "WJ": wj.id}, "第二网格", "王五")


def _redemption(store_id: int, household, clerk_id: int, day: date, points: int) -> Redemption:
    row = Redemption(client_key=uuid.uuid4(), receipt_no=f"R-{uuid.uuid4().hex[:10]}", store_id=store_id,
                     household_id=household.id, village_id=household.village_id, redeemed_on=day,
                     total_points=Decimal(points), clerk_id=clerk_id)
    db.session.add(row)
    db.session.flush()
    return row
