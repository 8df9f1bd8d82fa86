"""The quarterly report's figures beyond the months' dispatch (季度报表): results published in the quarter,
awards and courtyard stars, the list system's figures and the surveys' results. Counted per village in SQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select

from webapp.core.periods import Period
from webapp.courtyards.services.shares import village_stars
from webapp.extensions import db
from webapp.lists.domain.lists import DONE, OPEN_STATES
from webapp.lists.models import Disclosure, DutyList, ListItem, ListVersion, ServiceMatter
from webapp.people.models.geo import Village
from webapp.publication.models import Publication, PublicationPick
from webapp.town.services.figures import utc_start_of

STAR_LEVELS = (1, 3, 5)
PICK_KINDS = ("model", "honour", "prize")


@dataclass
class QuarterExtras:
    published: int = 0  # results (month, quarter or year) published in the quarter
    picks: dict[str, int] = field(default_factory=dict)  # model / honour / prize households named
    stars: dict[int, int] = field(default_factory=dict)  # 1★ / 3★ / 5★ courtyards (the year's latest ratings)
    list_items: int = 0  # items of the village's adopted lists in force at the quarter's end
    matters_done: int = 0  # service-desk matters done in the quarter
    matters_overdue: int = 0  # still open at the quarter's end, past their due day
    disclosures: int = 0  # three-affairs disclosures posted in the quarter


def quarter_extras(villages: Sequence[Village], period: Period) -> dict[int, QuarterExtras]:
    ids = [v.id for v in villages]
    out = {v: QuarterExtras() for v in ids}
    start, end = utc_start_of(period.start), utc_start_of(period.end)
    last = period.end - timedelta(days=1)
    for vid, n in db.session.execute(
        select(Publication.village_id, func.count()).where(
            Publication.village_id.in_(ids), Publication.published_at >= start, Publication.published_at < end)
        .group_by(Publication.village_id)
    ):
        out[vid].published = n
    for vid, kind, n in db.session.execute(
        select(Publication.village_id, PublicationPick.kind, func.count())
        .join(PublicationPick, PublicationPick.publication_id == Publication.id)
        .where(Publication.village_id.in_(ids), Publication.published_at >= start, Publication.published_at < end,
               PublicationPick.granted.is_(True))
        .group_by(Publication.village_id, PublicationPick.kind)
    ):
        out[vid].picks[kind] = n
    for vid in ids:  # the courtyards capability decides which rating counts (the latest approved)
        counts = Counter(village_stars(vid, period.year).values())
        out[vid].stars = {s: counts.get(s, 0) for s in STAR_LEVELS}
    for vid, n in db.session.execute(_list_items(ids, last)):
        out[vid].list_items = n
    for vid, done, overdue in db.session.execute(
        select(ServiceMatter.village_id,
               func.count().filter(and_(ServiceMatter.status == DONE, ServiceMatter.closed_on >= period.start,
                                        ServiceMatter.closed_on <= last)),
               func.count().filter(and_(
                   ServiceMatter.received_on <= last, ServiceMatter.due_on.is_not(None), ServiceMatter.due_on < last,
                   or_(ServiceMatter.closed_on.is_(None), ServiceMatter.closed_on > last),
                   or_(ServiceMatter.status.in_(OPEN_STATES), ServiceMatter.closed_on > last))))
        .where(ServiceMatter.village_id.in_(ids)).group_by(ServiceMatter.village_id)
    ):
        out[vid].matters_done, out[vid].matters_overdue = done, overdue
    for vid, n in db.session.execute(
        select(Disclosure.village_id, func.count()).where(
            Disclosure.village_id.in_(ids), Disclosure.published_on >= period.start,
            Disclosure.published_on < period.end).group_by(Disclosure.village_id)
    ):
        out[vid].disclosures = n
    return out


def _list_items(ids: list[int], on: date):
    """Per village, the items of each of its lists' adopted version in force on a day (the newest adopted
    version effective by then)."""
    newest = (
        select(ListVersion.list_id, func.max(ListVersion.number).label("number"))
        .join(DutyList, DutyList.id == ListVersion.list_id)
        .where(DutyList.village_id.in_(ids), ListVersion.status == "adopted",
               or_(ListVersion.effective_from.is_(None), ListVersion.effective_from <= on))
        .group_by(ListVersion.list_id).subquery()
    )
    return (
        select(DutyList.village_id, func.count(ListItem.id))
        .join(newest, newest.c.list_id == DutyList.id)
        .join(ListVersion, and_(ListVersion.list_id == DutyList.id, ListVersion.number == newest.c.number))
        .join(ListItem, ListItem.version_id == ListVersion.id)
        .group_by(DutyList.village_id)
    )
