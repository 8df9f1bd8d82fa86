"""Reading the audit trail, within the reader's scope: newest first, filtered by topic, a page at a time,
each event as a sentence with names (webapp/people/domain/audit_sentences.py), never a database id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from webapp.core.messages import N_
from webapp.core.periods import Period, PeriodError
from webapp.extensions import db
from webapp.people.domain.access import Role
from webapp.people.domain.audit_sentences import Names, Sentence, sentence
from webapp.people.models.audit import AuditEvent
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.models.user import User

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
SYSTEM = N_("system")

# Topics an auditor reads by: the action prefixes each stands for.
TOPICS: dict[str, tuple[str, ...]] = {
    "review": ("entry.", "inspection."),
    "publication": ("period.", "publication."),
    "objection": ("objection.",),
    "store": ("store.", "stock.", "product.", "card."),
    "people": ("user.", "household.", "review_group.", "device.", "auth.", "staff."),
    "villages": ("town.", "village.", "group.", "grid."),
    "rules": ("scheme.", "roster.", "list.", "disclosure.", "desk."),
}


def _scope(user: User) -> tuple[set[int], set[int]]:
    grants = user.domain_grants()
    village_ids = {g.village_id for g in grants if g.role in (Role.AUDITOR, Role.VILLAGE_ADMIN, Role.TOWN_CADRE)}
    return village_ids, {g.town_id for g in grants if g.role == Role.TOWN_ADMIN}  # type: ignore[return-value]


def audited_villages(user: User) -> list[Village]:
    """The villages whose events the user reads, by code (a town user's filter and column)."""
    village_ids, town_ids = _scope(user)
    return list(db.session.scalars(select(Village).where(
        or_(Village.id.in_(village_ids), Village.town_id.in_(town_ids))).order_by(Village.code)))


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One event as the trail shows it: its sentence, its village, its time (UTC, shown local), its device."""

    id: int  # the page's "older" link only, never shown
    at: datetime
    village_id: int | None
    sentence: Sentence
    device: str  # a phone's short code or the browser, as recorded
    phone: bool  # the device is a registered phone (its code) rather than a browser


def visible_events(user: User, limit: int = 200, topic: str = "", before_id: int | None = None,
                   village_id: int | None = None) -> list[AuditLine]:
    """The newest events the user reads (events_in_scope), as sentences."""
    return lines(events_in_scope(user, limit, topic, before_id, village_id))


def events_in_scope(user: User, limit: int = 200, topic: str = "", before_id: int | None = None,
                    village_id: int | None = None) -> list[AuditEvent]:
    """The newest events of the villages (or town) the user audits or administers (or of one of them)."""
    village_ids, town_ids = _scope(user)
    if not village_ids and not town_ids:
        return []
    town_villages = select(Village.id).where(Village.town_id.in_(town_ids))
    query = (
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor))
        .where(or_(AuditEvent.village_id.in_(village_ids), AuditEvent.village_id.in_(town_villages)))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    if topic in TOPICS:
        query = query.where(or_(*(AuditEvent.action.startswith(prefix) for prefix in TOPICS[topic])))
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    if village_id is not None:
        query = query.where(AuditEvent.village_id == village_id)
    return list(db.session.scalars(query))


def lines(events: list[AuditEvent]) -> list[AuditLine]:
    """The events as sentences, with the households and accounts they name looked up at once."""
    codes = {str(e.detail.get("household")) for e in events if isinstance(e.detail, dict) and e.detail.get("household")}
    ids = {_household_id(e) for e in events} - {None}
    households = list(db.session.scalars(select(Household).where(
        or_(Household.code.in_(codes), Household.id.in_(ids))))) if codes or ids else []
    by_code = {h.code: h.head_name for h in households}
    by_id = {h.id: h.head_name for h in households}
    user_ids = {e.object_id for e in events if e.object_type == "user" and e.object_id is not None}
    users = {u.id: _name(u) for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    found = []
    for event in events:
        detail = event.detail if isinstance(event.detail, dict) else {}
        household = by_code.get(str(detail.get("household") or "")) or by_id.get(_household_id(event), "")  # type: ignore[arg-type]
        names = Names(
            actor=_name(event.actor) if event.actor else _(SYSTEM),
            household=household,
            target=users.get(event.object_id, "") if event.object_type == "user" else "",  # type: ignore[arg-type]
            period=_period(detail.get("period")),
        )
        device = (event.device or "").strip()
        phone = bool(UUID.match(device))
        found.append(AuditLine(event.id, event.at, event.village_id, sentence(event.action, detail, names),
                               device[:8] if phone else device[:60], phone))
    return found


def _household_id(event: AuditEvent) -> int | None:
    if event.object_type == "household":
        return event.object_id
    value = event.detail.get("household_id") if isinstance(event.detail, dict) else None
    return value if isinstance(value, int) else None


def _name(user: User) -> str:
    return user.display_name or user.username


def _period(key: object) -> str:
    try:
        return Period.parse(str(key)).key if key else ""  # ISO-like, as the issue reads it: 2026-11, 2026-Q1
    except PeriodError:
        return ""
