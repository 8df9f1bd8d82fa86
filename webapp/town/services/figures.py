"""The dispatch figures of a month, counted in SQL: one GROUP BY village per figure, never a loop over
households. The counts go to webapp/town/domain/dispatch.py, which folds them into rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, distinct, func, select

from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.domain.access import Role
from webapp.people.models.geo import Grid, Village
from webapp.people.models.household import Household, participating_in
from webapp.people.models.stores import store_villages
from webapp.people.models.user import RoleGrant, User
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.scheme import Item, Scheme, SchemeVersion
from webapp.points.services.schemes import version_rules
from webapp.publication.models import Objection, Publication
from webapp.store.models import Product, Redemption, RedemptionReturn, StockMovement
from webapp.town.domain.dispatch import (
    ENTRY_APPROVED,
    SILENT_GRID_DAYS,
    GridActivity,
    VillageCounts,
    seen_from,
    window_start,
)

ZONE = ZoneInfo("Asia/Shanghai")
ZERO = Decimal(0)


def utc_start_of(day: date) -> datetime:
    """The naive UTC instant the local day begins (the `*_at` columns are naive UTC)."""
    return datetime.combine(day, time(), ZONE).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def local_day(at: datetime) -> date:
    return at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZONE).date()


def month_counts(villages: Sequence[Village], year: int, month: int, today: date) -> list[VillageCounts]:
    """Every village's counts for the month, in the villages' order."""
    ids = [v.id for v in villages]
    period = Period.month(year, month)
    as_of = seen_from(year, month, today)
    participating = _participating(ids, period)
    inspected = _inspected(ids, period)
    entries, issued = _entries(ids, year, month)
    redeemed = redeemed_by_village(ids, period.start, period.end)
    published, open_objections, past_window = _publications(ids, period, today)
    deadlines = _publish_by_days(ids, period.end - timedelta(days=1))
    stock, _ = stock_values(ids, period.end)
    grids = _grids(ids, as_of)
    return [
        VillageCounts(
            village_id=v.id, code=v.code, name=v.name, participating=participating.get(v.id, 0),
            inspected=inspected.get(v.id, 0), entries_by_status=entries.get(v.id, {}),
            points_issued=issued.get(v.id, ZERO), points_redeemed=redeemed.get(v.id, ZERO),
            objections_open=open_objections.get(v.id, 0), objections_past_window=past_window.get(v.id, 0),
            published_on=published.get(v.id), publish_by_day=deadlines.get(v.id),
            stock_value=stock.get(v.id, ZERO), grids=tuple(grids.get(v.id, ())),
        )
        for v in villages
    ]


def _participating(ids: list[int], period: Period) -> dict[int, int]:
    return dict(db.session.execute(
        select(Household.village_id, func.count()).where(
            Household.village_id.in_(ids), participating_in(period.start, period.end))
        .group_by(Household.village_id)).all())


def _inspected(ids: list[int], period: Period) -> dict[int, int]:
    """Households with an inspection of the month that was not rejected."""
    return dict(db.session.execute(
        select(Inspection.village_id, func.count(distinct(Inspection.household_id))).where(
            Inspection.village_id.in_(ids), Inspection.period == period.key, Inspection.status != "rejected")
        .group_by(Inspection.village_id)).all())


def _entries(ids: list[int], year: int, month: int) -> tuple[dict[int, dict[str, int]], dict[int, Decimal]]:
    """Entries of the month by status; points issued: the checked entries' points (quantity × the item's
    points: bonuses less deductions). Grouped by village, status and item on the covering index
    ix_entry_village_month (no row is read), then by village and status with the items' points joined in
    the same query (a handful of rows back, not one per item of every village's rules)."""
    by_status: dict[int, dict[str, int]] = defaultdict(dict)
    issued: dict[int, Decimal] = defaultdict(lambda: ZERO)
    grouped = (
        select(Entry.village_id, Entry.status, Entry.item_id, func.count().label("n"),
               func.sum(Entry.quantity).label("quantity"))
        .where(Entry.village_id.in_(ids), Entry.occurred_month == year * 100 + month)
        .group_by(Entry.village_id, Entry.status, Entry.item_id).subquery()
    )
    for village_id, status, count, points in db.session.execute(
        select(grouped.c.village_id, grouped.c.status, func.sum(grouped.c.n),
               func.sum(grouped.c.quantity * Item.points))
        .join(Item, Item.id == grouped.c.item_id).group_by(grouped.c.village_id, grouped.c.status)
    ):
        by_status[village_id][status] = int(count)
        if status in ENTRY_APPROVED:
            issued[village_id] += Decimal(points or 0)
    return by_status, issued


def redeemed_by_village(ids: list[int], start: date, end: date) -> dict[int, Decimal]:
    """Points redeemed on [start, end), reversed redemptions left out (as the store's reports do)."""
    return {v: Decimal(p or 0) for v, p in db.session.execute(
        select(Redemption.village_id, func.sum(Redemption.total_points))
        .outerjoin(RedemptionReturn, RedemptionReturn.redemption_id == Redemption.id)
        .where(Redemption.village_id.in_(ids), RedemptionReturn.id.is_(None),
               Redemption.redeemed_on >= start, Redemption.redeemed_on < end)
        .group_by(Redemption.village_id))}


def _publications(ids: list[int], period: Period, today: date):
    """The day each village published the month's results; its open objections, and those still open after
    the notice window ended."""
    published: dict[int, date] = {}
    for village_id, at in db.session.execute(
        select(Publication.village_id, func.min(Publication.published_at)).where(
            Publication.village_id.in_(ids), Publication.kind == "month", Publication.period == period.key,
            Publication.published_at.is_not(None))
        .group_by(Publication.village_id)
    ):
        published[village_id] = local_day(at)
    open_count: dict[int, int] = {}
    past: dict[int, int] = {}
    ended = and_(Publication.notice_ends_on.is_not(None), Publication.notice_ends_on < today)
    for village_id, count, after in db.session.execute(
        select(Publication.village_id, func.count(), func.count(Objection.id).filter(ended))
        .join(Objection, Objection.publication_id == Publication.id)
        .where(Publication.village_id.in_(ids), Publication.kind == "month", Publication.period == period.key,
               Objection.status == "open")
        .group_by(Publication.village_id)
    ):
        open_count[village_id], past[village_id] = count, after
    return published, open_count, past


def _publish_by_days(ids: list[int], on: date) -> dict[int, int | None]:
    """The publish_by_day of the rules in force on a day, per village (the newest version by then)."""
    latest: dict[int, SchemeVersion] = {}
    for village_id, version in db.session.execute(
        select(Scheme.village_id, SchemeVersion).join(SchemeVersion.scheme)
        .where(Scheme.village_id.in_(ids), SchemeVersion.effective_from <= on)
        .order_by(SchemeVersion.effective_from, SchemeVersion.imported_at, SchemeVersion.id)
    ):
        latest[village_id] = version
    return {v: version_rules(version).policies.publish_by_day for v, version in latest.items()}


def stock_values(ids: list[int], before: date) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """The points value of the stock on hand in the stores serving each village, when `before` begins
    (on hand × the price now); also each store's value once, for the totals."""
    served = db.session.execute(
        select(store_villages.c.village_id, store_villages.c.store_id).where(store_villages.c.village_id.in_(ids))
    ).all()
    store_ids = sorted({s for _, s in served})
    by_store: dict[int, Decimal] = {}
    if store_ids:
        by_store = {s: Decimal(v or 0) for s, v in db.session.execute(
            select(StockMovement.store_id, func.sum(StockMovement.quantity * Product.price_points))
            .join(Product, Product.id == StockMovement.product_id)
            .where(StockMovement.store_id.in_(store_ids), StockMovement.created_at < utc_start_of(before))
            .group_by(StockMovement.store_id))}
    by_village: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for village_id, store_id in served:
        by_village[village_id] += by_store.get(store_id, ZERO)
    return dict(by_village), by_store


def _grids(ids: list[int], as_of: date) -> dict[int, list[GridActivity]]:
    """Each grid's last entry in the weeks before as_of, and the grid workers scoped to it. Looked for
    backwards in steps: the last two days (most grids have an entry there: their last one), then the rest
    of the fortnight, then the weeks before, each step only in the villages of the grids not found yet."""
    grid_village = dict(db.session.execute(select(Grid.id, Grid.village_id).where(Grid.village_id.in_(ids))).all())
    recent = as_of - timedelta(days=SILENT_GRID_DAYS - 1)
    steps = ((as_of - timedelta(days=1), as_of), (recent, as_of - timedelta(days=2)),
             (window_start(as_of), recent - timedelta(days=1)))
    last: dict[int, date] = {}
    for first, until in steps:
        unseen = set(grid_village) - set(last)
        if not unseen:
            break
        villages = sorted({grid_village[g] for g in unseen})
        last.update(_last_entries(villages, first, until, unseen if len(unseen) < len(grid_village) else None))
    workers: dict[int, list[str]] = defaultdict(list)
    for grid_id, display, username in db.session.execute(
        select(RoleGrant.grid_id, User.display_name, User.username).join(User, User.id == RoleGrant.user_id)
        .join(Grid, Grid.id == RoleGrant.grid_id)
        .where(Grid.village_id.in_(ids), RoleGrant.role == Role.SCORER, User.active.is_(True))
        .order_by(User.username)
    ):
        workers[grid_id].append(display or username)
    out: dict[int, list[GridActivity]] = defaultdict(list)
    for grid in db.session.scalars(select(Grid).where(Grid.village_id.in_(ids)).order_by(Grid.code)):
        out[grid.village_id].append(GridActivity(grid.id, grid.name, tuple(workers[grid.id]), last.get(grid.id)))
    return out


def _last_entries(ids: list[int], first: date, last: date, grid_ids: set[int] | None) -> dict[int, date]:
    """grid → its last entry's day within [first, last]: each household's last day first (the window's entries
    grouped where they lie), then the households' grids (a join of households, not of every entry)."""
    per_household = (
        select(Entry.household_id, func.max(Entry.occurred_on).label("last"))
        .where(Entry.village_id.in_(ids), Entry.occurred_on >= first, Entry.occurred_on <= last)  # ix_entry_village_day
        .group_by(Entry.household_id).subquery()
    )
    query = (
        select(Household.grid_id, func.max(per_household.c.last))
        .join(Household, Household.id == per_household.c.household_id)
        .where(Household.grid_id.is_not(None)).group_by(Household.grid_id)
    )
    if grid_ids is not None:
        query = query.where(Household.grid_id.in_(grid_ids))
    return {g: day for g, day in db.session.execute(query) if day is not None}
