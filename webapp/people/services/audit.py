"""Writing the audit trail."""

from __future__ import annotations

from typing import Any

from webapp.extensions import db
from webapp.people.models.audit import AuditEvent


def record(
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | None = None,
    village_id: int | None = None,
    device: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one event to the audit trail (flushed with the caller's transaction)."""
    event = AuditEvent(
        actor_id=actor_id, action=action, object_type=object_type, object_id=object_id,
        village_id=village_id, device=device, detail=detail,
    )
    db.session.add(event)
    return event
