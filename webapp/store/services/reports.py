"""Store reports: redemptions by day, product and household; stock and its movements; points
issued vs redeemed per month; all of it as an .xlsx workbook."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select

from webapp.core.messages import N_
from webapp.core.periods import Period, month_key
from webapp.core.spreadsheets import workbook_bytes
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.households import visible_households
from webapp.points.services.village_year import VillageYear
from webapp.store.domain import can_serve_counter
from webapp.store.models import Product, Redemption, RedemptionLine, RedemptionReturn, StockMovement, Store
from webapp.store.services.redeem import visible_redemptions
from webapp.store.services.scope import store_for, village_names
from webapp.store.services.stock import StockLine, movements, stock_list

ZERO = Decimal(0)


@dataclass
class StoreReport:
    store: Store
    period: Period
    village_id: int | None = None  # the report limited to one village the store serves (the town's filter)
    by_day: list[tuple[date, int, Decimal, Decimal]] = field(default_factory=list)  # day, receipts, points, returned
    by_product: list[tuple[str, str, int, Decimal]] = field(default_factory=list)  # name, category, quantity, points
    by_household: list[tuple[str, str, str, int, Decimal]] = field(default_factory=list)  # code, head, village, n, pts
    stock: list[StockLine] = field(default_factory=list)
    movements: list[StockMovement] = field(default_factory=list)
    issued_vs_redeemed: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)  # village, month, ...

    @property
    def total_points(self) -> Decimal:
        return sum((points - returned for _, _, points, returned in self.by_day), ZERO)


def store_report(user: User, store_id: int | None, period: Period, village_id: int | None = None) -> StoreReport:
    """Everything the report page and the workbook show, limited to what the user may see, and to one of
    the store's villages when `village_id` names one (another village's id is NotFound)."""
    store = store_for(user, store_id, "view")
    if village_id is not None and village_id not in {v.id for v in store.villages}:
        raise NotFound(N_("No such village."))
    visible = visible_redemptions(user, store).where(
        Redemption.redeemed_on >= period.start, Redemption.redeemed_on < period.end)
    if village_id is not None:
        visible = visible.where(Redemption.village_id == village_id)
    mine = visible.subquery()
    report = StoreReport(store, period, village_id)
    returned = func.coalesce(RedemptionReturn.points, 0)
    for day, count, points, back in db.session.execute(
        select(mine.c.redeemed_on, func.count(), func.sum(mine.c.total_points), func.sum(returned))
        .outerjoin(RedemptionReturn, RedemptionReturn.redemption_id == mine.c.id)
        .group_by(mine.c.redeemed_on).order_by(mine.c.redeemed_on)
    ):
        report.by_day.append((day, count, Decimal(points), Decimal(back)))
    kept = select(mine.c.id).outerjoin(RedemptionReturn, RedemptionReturn.redemption_id == mine.c.id).where(
        RedemptionReturn.id.is_(None)).correlate(None)  # reversed redemptions neither sold goods nor spent points
    for name, category, quantity, points in db.session.execute(
        select(Product.name, Product.category, func.sum(RedemptionLine.quantity), func.sum(RedemptionLine.points))
        .join(Product, Product.id == RedemptionLine.product_id).where(RedemptionLine.redemption_id.in_(kept))
        .group_by(Product.id, Product.name, Product.category).order_by(func.sum(RedemptionLine.points).desc())
    ):
        report.by_product.append((name, category, int(quantity), Decimal(points)))
    names = village_names(v.id for v in store.villages)
    for code, head, village_id, count, points in db.session.execute(
        select(Household.code, Household.head_name, Household.village_id, func.count(), func.sum(mine.c.total_points))
        .join(mine, mine.c.household_id == Household.id).where(mine.c.id.in_(kept))
        .group_by(Household.id, Household.code, Household.head_name, Household.village_id).order_by(Household.code)
    ):
        report.by_household.append((code, head, names.get(village_id, ""), count, Decimal(points)))
    report.stock = stock_list(store.id)
    report.movements = movements(store.id, limit=500)
    report.issued_vs_redeemed = _issued_vs_redeemed(user, store, period, names, report.village_id)
    return report


def _issued_vs_redeemed(user: User, store: Store, period: Period, names: dict[int, str],  # noqa: ANN202
                        report_village: int | None = None):
    """Per village the user may see and month: points earned by its households and points they redeemed."""
    visible = set(db.session.scalars(visible_households(user).with_only_columns(Household.village_id).distinct()))
    clerk_sees_all = can_serve_counter(user.domain_grants(), store.id)
    rows = []
    for village in store.villages:
        if (not clerk_sees_all and village.id not in visible) or report_village not in (None, village.id):
            continue
        data = VillageYear(village.id, period.year, period.last_month)
        issued: dict[int, Decimal] = defaultdict(lambda: ZERO)
        households = db.session.scalars(
            select(Household.id).where(Household.village_id == village.id, Household.eligible.is_(True)))
        for hh in households:
            for month in data.months(hh):
                issued[month.month] += month.earned
        redeemed: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for day, points in db.session.execute(
            select(Redemption.redeemed_on, Redemption.total_points)
            .outerjoin(RedemptionReturn, RedemptionReturn.redemption_id == Redemption.id)
            .where(Redemption.village_id == village.id, RedemptionReturn.id.is_(None),
                   Redemption.redeemed_on >= period.start, Redemption.redeemed_on < period.end)
        ):
            redeemed[day.month] += Decimal(points)
        for year, month in period.months():
            rows.append((names[village.id], month_key((year, month)), issued[month], redeemed[month]))
    return rows


def report_xlsx(report: StoreReport, headings: dict[str, list[str]], titles: dict[str, str],
                kind_names: dict[str, str]) -> bytes:
    """The report as a workbook, one sheet per table; headings and titles come translated from the edge."""
    book = Workbook()
    book.remove(book.active)

    def sheet(key: str, rows) -> None:  # noqa: ANN001
        ws = book.create_sheet(titles[key][:31])
        ws.append(headings[key])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 14

    sheet("by_day", [(d, n, p, r, p - r) for d, n, p, r in report.by_day])
    sheet("by_product", report.by_product)
    sheet("by_household", report.by_household)
    sheet("stock", [(s.product.code, s.product.name, s.product.category, s.product.price_points, s.on_hand,
                     s.product.low_stock_at) for s in report.stock])
    sheet("movements", [(m.created_at, m.product.name, kind_names.get(m.kind, m.kind), m.quantity, m.supplier,
                         m.invoice_no, m.unit_cost, m.counted, m.reason) for m in report.movements])
    sheet("issued", [(v, m, i, r) for v, m, i, r in report.issued_vs_redeemed])
    return workbook_bytes(book)  # names and notes typed as =… are written as text, never as formulas
