"""Reading the audit trail, within the reader's scope: newest first, filtered by topic, a page at a time."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.people.domain.access import Role
from webapp.people.models.audit import AuditEvent
from webapp.people.models.geo import Village
from webapp.people.models.user import User

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


def visible_events(user: User, limit: int = 200, topic: str = "", before_id: int | None = None,
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
