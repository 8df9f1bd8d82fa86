"""What the committee's publication pages show: the village's publications and closable periods,
and one publication with its frozen ranking, choices, photos and objections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select

from webapp.core.periods import Period, keys_ending_in
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household, Member
from webapp.photos.models import Photo
from webapp.points.models.entry import Entry, Inspection
from webapp.points.domain.scheme import SchemeRules
from webapp.points.models.scheme import Item
from webapp.points.services.schemes import timeline, version_rules
from webapp.publication.domain.deadlines import rules_cover
from webapp.publication.domain.publication import DEFAULT_NOTICE_DAYS, publication_kinds, short_hash
from webapp.publication.models import Objection, Publication
from webapp.publication.services.picks import candidate_photos
from webapp.publication.services.query import closable_periods, village_publications
from webapp.publication.services.snapshot import model_household_limits


@dataclass
class Overview:
    village: Village
    publications: list[Publication]
    closable: list[Period]
    open_objections: dict[int, int]
    due: int  # notices that have ended
    default: Period | None = None  # the period just ended, offered first


def _default_period(closable: list[Period], kinds: tuple[str, ...], today: date) -> Period | None:
    """The period just ended of the village's cadence (last month or quarter) if it waits, else the newest."""
    for kind in kinds:  # the cadence first, the year last
        just_ended = Period.of_date(kind, Period.of_date(kind, today).start - timedelta(days=1))
        if just_ended in closable:
            return just_ended
    return closable[0] if closable else None


def publications_overview(village: Village, today: date) -> Overview:
    """The village's publications, newest first, and the periods it may close now: ended periods of the
    kinds the rules in force publish, from the day the village's first rules took effect."""
    line = timeline(village.id)
    kinds = publication_kinds(version_rules(line.current)) if line and line.current else ()
    rows = village_publications(village.id)
    counts = dict(db.session.execute(
        select(Objection.publication_id, func.count(Objection.id)).where(
            Objection.publication_id.in_([p.id for p in rows]), Objection.status == "open")
        .group_by(Objection.publication_id)).all())
    due = sum(1 for p in rows if p.status == "notice" and p.notice_ends_on and p.notice_ends_on < today)
    closable = [p for p in closable_periods(village.id, kinds, today) if rules_cover(p, line.starts[0])] if kinds else []
    return Overview(village, rows, closable, counts, due, _default_period(closable, kinds, today))


@dataclass
class VillagesOverview:
    """The town's list: every readable village's publications with a village column (newest first)."""
    rows: list[tuple[Village, Publication]]
    open_objections: dict[int, int]


def villages_overview(villages: list[Village], limit: int = 200) -> VillagesOverview:
    """The publications of several villages at once, for a reader of more than one (the town, 包村干部)."""
    by_id = {v.id: v for v in villages}
    publications = list(db.session.scalars(select(Publication).where(Publication.village_id.in_(by_id))))
    publications.sort(key=lambda p: (Period.parse(p.period).end, p.kind != "year", p.id), reverse=True)
    publications = publications[:limit]
    counts = dict(db.session.execute(
        select(Objection.publication_id, func.count(Objection.id)).where(
            Objection.publication_id.in_([p.id for p in publications]), Objection.status == "open")
        .group_by(Objection.publication_id)).all())
    return VillagesOverview([(by_id[p.village_id], p) for p in publications], counts)


@dataclass
class ObjectionView:
    objection: Objection
    household: Household
    members: list[Member]
    entries: list[tuple[Entry, Item]]


# The picker lists the proposals (the top of the ranking) and what the committee chose; the rest is searched.
PROPOSALS = 20


@dataclass
class Picker:
    """The model-household and honour-roll picker: the rule, the proposals and chosen rows, a search's rows."""
    low: int
    high: int | None
    shown: list[dict[str, Any]]
    found: list[dict[str, Any]] | None  # None: no search; rows already shown are left out


def _picker(publication: Publication, rules: SchemeRules | None, rows: list[dict[str, Any]], q: str) -> Picker:
    chosen = {p.household_id for p in publication.picks if p.kind in ("model", "honour")}
    proposals = {r["household_id"] for r in [r for r in rows if Decimal(r["points"]) > 0][:PROPOSALS]}
    shown = [r for r in rows if r["household_id"] in chosen | proposals]
    low, high = model_household_limits(rules, len(rows)) if rules and publication.kind == "month" else (0, None)
    found = None
    if q:
        found = [r for r in rows if r["household_id"] in _matching(publication.village_id, q)
                 and r["household_id"] not in chosen | proposals]
    return Picker(low, high, shown, found)


def _matching(village_id: int, q: str) -> set[int]:
    """The village's households whose head's name or code contains q, or whose pinyin initials start with it
    (as the household list searches)."""
    return set(db.session.scalars(select(Household.id).where(Household.village_id == village_id, or_(
        Household.code.ilike(f"%{q}%"), Household.head_name.like(f"%{q}%"),
        Household.head_initials.like(f"{q.lower()}%")))))


@dataclass
class PublicationPage:
    publication: Publication
    village: Village
    period: Period
    rows: list[dict[str, Any]]
    chosen: dict[str, set[int]]
    awards: dict[str, Any] | None
    names: dict[int, dict[str, Any]]
    photos: list[Photo]
    chosen_photos: dict[int, str]
    objections: list[ObjectionView]
    event_items: list[Item]
    base_items: list[Item]
    notice_days: int
    short_hash: str
    today: date
    waiting_for_review: int  # entries and inspections of the period still recorded
    prize_decisions: dict[int, bool] = field(default_factory=dict)
    picker: Picker | None = None

    @property
    def finalisable(self) -> bool:
        p = self.publication
        return p.status == "notice" and p.notice_ends_on is not None and p.notice_ends_on < self.today


def publication_page(publication: Publication, today: date, q: str = "") -> PublicationPage:
    """Everything the publication page needs, loaded in a few queries."""
    period = Period.parse(publication.period)
    village = db.session.get(Village, publication.village_id)
    rules_version = timeline(village.id).version_on(period.end) if timeline(village.id) else None
    rules = version_rules(rules_version) if rules_version else None
    rows = publication.frozen["rows"]
    chosen = {kind: {p.household_id for p in publication.picks if p.kind == kind} for kind in ("model", "honour")}
    items = list(db.session.scalars(select(Item).where(Item.version_id == rules_version.id)
                                    .order_by(Item.position))) if rules_version else []
    return PublicationPage(
        publication=publication, village=village, period=period, rows=rows, chosen=chosen,
        awards=publication.frozen.get("awards"), names={row["household_id"]: row for row in rows},
        photos=candidate_photos(publication) if publication.status == "closed" else [p.photo for p in publication.photos],
        chosen_photos={p.photo_id: p.caption for p in publication.photos},
        objections=_objections(publication, period),
        event_items=[i for i in items if i.kind in ("bonus", "deduction")],
        base_items=[i for i in items if i.kind == "base"],
        notice_days=(rules.policies.notice_days if rules else None) or DEFAULT_NOTICE_DAYS,
        short_hash=short_hash(publication.sha256) if publication.sha256 else "", today=today,
        waiting_for_review=_waiting(publication.village_id, period),
        prize_decisions={p.household_id: p.granted for p in publication.picks if p.kind == "prize"},
        picker=_picker(publication, rules, rows, q) if publication.status == "closed" else None,
    )


def _waiting(village_id: int, period: Period) -> int:
    """Entries and inspections of the period nobody has reviewed yet: they will arrive late."""
    entries = db.session.scalar(select(func.count(Entry.id)).where(
        Entry.village_id == village_id, Entry.status == "recorded",
        Entry.occurred_month.between(period.year * 100 + period.first_month, period.year * 100 + period.last_month)))
    keys = keys_ending_in(period.months())
    inspections = db.session.scalar(select(func.count(Inspection.id)).where(
        Inspection.village_id == village_id, Inspection.status == "recorded", Inspection.period.in_(keys)))
    return (entries or 0) + (inspections or 0)


def _objections(publication: Publication, period: Period) -> list[ObjectionView]:
    objections = list(db.session.scalars(select(Objection).where(Objection.publication_id == publication.id)
                                         .order_by(Objection.filed_at, Objection.id)))
    views = []
    for objection in objections:
        household = db.session.get(Household, objection.household_id)
        entries = db.session.execute(
            select(Entry, Item).join(Item, Item.id == Entry.item_id)
            .where(Entry.household_id == household.id,
                   Entry.occurred_month.between(period.year * 100 + period.first_month,
                                                period.year * 100 + period.last_month))
            .order_by(Entry.occurred_on, Entry.id)).all()
        views.append(ObjectionView(objection, household, list(household.members), [(e, i) for e, i in entries]))
    return views
