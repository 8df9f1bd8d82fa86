"""Reading the audit trail, within the reader's scope."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..domain.access import Role
from ..extensions import db
from ..models import AuditEvent, User, Village


def visible_events(user: User, limit: int = 200) -> list[AuditEvent]:
    """The newest events of the villages (or town) the user audits or administers."""
    grants = user.domain_grants()
    village_ids = {g.village_id for g in grants if g.role in (Role.AUDITOR, Role.VILLAGE_ADMIN)}
    town_ids = {g.town_id for g in grants if g.role == Role.TOWN_ADMIN}
    if not village_ids and not town_ids:
        return []
    town_villages = select(Village.id).where(Village.town_id.in_(town_ids))
    query = (
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor))
        .where(or_(AuditEvent.village_id.in_(village_ids), AuditEvent.village_id.in_(town_villages)))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
