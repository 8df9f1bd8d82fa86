"""The town's dashboard: a row per village for a month, the problems marked, the month × village trend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import extract, func, select

from webapp.core.messages import N_
from webapp.core.periods import Period
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.domain.access import Role, overseen_village_ids
from webapp.people.models.geo import Town, Village
from webapp.people.models.household import Household, participating_in
from webapp.people.models.stores import store_villages
from webapp.people.models.user import User
from webapp.people.services.villages import readable_villages
from webapp.points.domain.entry_states import COUNTED_STATUSES
from webapp.points.models.entry import Entry
from webapp.points.models.scheme import Item
from webapp.store.models import Redemption, RedemptionReturn
from webapp.town.domain import dispatch, trend
from webapp.town.services.figures import month_counts, stock_values

TREND_MONTHS = 12


@dataclass(frozen=True)
class Dispatch:
    """A month's dispatch for the villages a user reads: what the dashboard and the workbook show."""

    towns: tuple[str, ...]
    period: Period
    rows: tuple[dispatch.DispatchRow, ...]
    totals: dispatch.DispatchTotals

    @property
    def town_name(self) -> str:
        return "、".join(self.towns)


@dataclass(frozen=True)
class Dashboard:
    dispatch: Dispatch
    measure: str
    chart: trend.TrendChart
    months: tuple[tuple[int, int], ...]
    stores: dict[int, int]  # village → the store serving it (the first, when several do): its reports' link


def town_villages(user: User) -> list[Village]:
    """The villages on the user's dashboard: every current village of the towns they administer, and the
    villages they oversee as 包村干部. A village's own admin has none here (their page is the village's)."""
    grants = user.domain_grants()
    towns = {g.town_id for g in grants if g.role == Role.TOWN_ADMIN}
    overseen = overseen_village_ids(grants)
    return [v for v in readable_villages(user) if v.town_id in towns or v.id in overseen]


def month_dispatch(villages: Sequence[Village], year: int, month: int, today: date) -> Dispatch:
    """The month's rows (every figure counted per village in SQL) and the totals row."""
    if not villages:
        raise NotFound(N_("You read no villages of a town."))
    period = Period.month(year, month)
    rows = tuple(dispatch.fold(c, year, month, today) for c in month_counts(villages, year, month, today))
    _, per_store = stock_values([v.id for v in villages], period.end)
    towns = tuple(db.session.scalars(
        select(Town.name).where(Town.id.in_({v.town_id for v in villages})).order_by(Town.code)))
    return Dispatch(towns, period, rows, dispatch.totals(rows, per_store.values()))


def dashboard(user: User, year: int, month: int, today: date, measure: str = "participating",
              month_label: str = "{m}", total_label: str = "") -> Dashboard:
    villages = town_villages(user)
    d = month_dispatch(villages, year, month, today)
    measure = measure if measure in trend.MEASURES else "participating"
    months = dispatch.months_back(year, month, TREND_MONTHS)
    values = trend_values([v.id for v in villages], months, measure)
    chart = trend.layout(months, [(v.id, v.name) for v in villages], values, month_label, total_label)
    stores: dict[int, int] = {}
    for vid, sid in db.session.execute(
        select(store_villages.c.village_id, store_villages.c.store_id)
        .where(store_villages.c.village_id.in_([v.id for v in villages])).order_by(store_villages.c.store_id)
    ):
        stores.setdefault(vid, sid)
    return Dashboard(d, measure, chart, months, stores)


def trend_values(ids: list[int], months: Sequence[tuple[int, int]], measure: str) -> dict[tuple[int, int, int], Decimal]:
    """(village, year, month) → the measure over the months, each query grouped by village and month."""
    first, last = months[0], months[-1]
    out: dict[tuple[int, int, int], Decimal] = {}
    if measure == "points_issued":
        for vid, ym, points in db.session.execute(
            select(Entry.village_id, Entry.occurred_month, func.sum(Entry.quantity * Item.points))
            .join(Item, Item.id == Entry.item_id)
            .where(Entry.village_id.in_(ids), Entry.status.in_(COUNTED_STATUSES),
                   Entry.occurred_month >= first[0] * 100 + first[1], Entry.occurred_month <= last[0] * 100 + last[1])
            .group_by(Entry.village_id, Entry.occurred_month)
        ):
            out[(vid, ym // 100, ym % 100)] = Decimal(points or 0)
    elif measure == "points_redeemed":
        start, end = Period.month(*first).start, Period.month(*last).end
        y, m = extract("year", Redemption.redeemed_on), extract("month", Redemption.redeemed_on)
        for vid, year, month, points in db.session.execute(
            select(Redemption.village_id, y, m, func.sum(Redemption.total_points))
            .outerjoin(RedemptionReturn, RedemptionReturn.redemption_id == Redemption.id)
            .where(Redemption.village_id.in_(ids), RedemptionReturn.id.is_(None),
                   Redemption.redeemed_on >= start, Redemption.redeemed_on < end)
            .group_by(Redemption.village_id, y, m)
        ):
            out[(vid, int(year), int(month))] = Decimal(points or 0)
    else:
        out = participating_by_month(ids, months)
    return out


def participating_by_month(ids: list[int], months: Sequence[tuple[int, int]]) -> dict[tuple[int, int, int], Decimal]:
    """(village, year, month) → households taking part that month (participating_in's rule), from one query:
    the eligible households counted by village and their (enrolled, left) days, which a roster shares widely."""
    spans = db.session.execute(
        select(Household.village_id, Household.enrolled_on, Household.left_on, func.count())
        .where(Household.village_id.in_(ids), participating_in(Period.month(*months[0]).start,
                                                               Period.month(*months[-1]).end))
        .group_by(Household.village_id, Household.enrolled_on, Household.left_on)
    ).all()
    out: dict[tuple[int, int, int], Decimal] = {}
    for year, month in months:
        period = Period.month(year, month)
        for vid, enrolled, left, count in spans:
            if (enrolled is None or enrolled < period.end) and (left is None or left > period.start):
                out[(vid, year, month)] = out.get((vid, year, month), Decimal(0)) + count
    return out
