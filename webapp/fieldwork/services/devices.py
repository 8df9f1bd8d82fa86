"""Phones that sync: issuing a device token, finding a device by its token, revoking it,
and who may score which household."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.fieldwork.models import Device
from webapp.people.domain.access import Grant, Role
from webapp.people.models.geo import Grid
from webapp.people.models.household import Household
from webapp.people.models.user import RoleGrant, User
from webapp.people.services.audit import record
from webapp.people.services.villages import managed_villages


@dataclass(frozen=True, slots=True)
class ScoringScope:
    """Where a user may score: grids (as a scorer) and whole villages (as a village admin)."""

    grid_ids: frozenset[int]
    village_ids: frozenset[int]

    def allows(self, village_id: int, grid_id: int | None) -> bool:
        return village_id in self.village_ids or (grid_id is not None and grid_id in self.grid_ids)

    @property
    def nothing(self) -> bool:
        return not (self.grid_ids or self.village_ids)


def scoring_scope(grants: tuple[Grant, ...]) -> ScoringScope:
    """The scope in which the grants let a user score."""
    return ScoringScope(
        grid_ids=frozenset(g.grid_id for g in grants if g.role == Role.SCORER and g.grid_id is not None),
        village_ids=frozenset(g.village_id for g in grants if g.role == Role.VILLAGE_ADMIN and g.village_id is not None),
    )


def token_digest(token: str) -> str:
    """What the server keeps of a token: its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def user_village_id(user: User) -> int | None:
    """The village a user works in (for the audit trail): their first village, grid or household's."""
    for g in user.grants:
        if g.village_id is not None:
            return g.village_id
        if g.grid_id is not None:
            return db.session.scalar(select(Grid.village_id).where(Grid.id == g.grid_id))
        if g.household_id is not None:
            return db.session.scalar(select(Household.village_id).where(Household.id == g.household_id))
    return None


def register_device(user: User, name: str) -> tuple[Device, str]:
    """A new device for a user who scores; returns it and its token (shown once, stored hashed)."""
    if scoring_scope(user.domain_grants()).nothing:
        raise Refusal(N_("Only grid workers and village admins score households on a phone."))
    token = secrets.token_urlsafe(32)
    device = Device(user_id=user.id, name=(name or "").strip()[:100], token_sha256=token_digest(token))
    db.session.add(device)
    db.session.flush()
    record(user.id, "device.issue", "device", device.id, village_id=user_village_id(user),
           device=str(device.public_id), name=device.name)
    return device, token


def device_for_token(token: str | None) -> Device | None:
    """The live device holding this token (not revoked, its user active), marked as seen now."""
    if not token:
        return None
    device = db.session.scalar(
        select(Device).options(joinedload(Device.user)).where(Device.token_sha256 == token_digest(token))
    )
    if device is None or device.revoked_at is not None or not device.user.active:
        return None
    device.last_seen_at = utcnow()
    return device


def _user_ids_in(village_ids: set[int]) -> Select[tuple[int]]:
    """Users holding any role scoped inside these villages (a village role, or a grid or household of theirs)."""
    return select(RoleGrant.user_id).where(or_(
        RoleGrant.village_id.in_(village_ids),
        RoleGrant.grid_id.in_(select(Grid.id).where(Grid.village_id.in_(village_ids))),
        RoleGrant.household_id.in_(select(Household.id).where(Household.village_id.in_(village_ids))),
    ))


def devices_for_admin(admin: User) -> list[Device]:
    """Devices of the users of the villages this admin manages, newest first."""
    village_ids = {v.id for v in managed_villages(admin)}
    if not village_ids:
        return []
    return list(db.session.scalars(
        select(Device).options(joinedload(Device.user))
        .where(Device.user_id.in_(_user_ids_in(village_ids)))
        .order_by(Device.revoked_at.is_not(None), Device.created_at.desc(), Device.id.desc())
    ))


def revoke_device(admin: User, public_id: str) -> Device:
    """Revoke a device of one of the admin's villages and end its user's web sessions; revoking twice
    changes nothing."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(N_("No such device.")) from None
    village_ids = {v.id for v in managed_villages(admin)}
    device = db.session.scalar(select(Device).where(Device.public_id == key))
    if device is None or not village_ids or device.user_id not in set(db.session.scalars(
        _user_ids_in(village_ids).where(RoleGrant.user_id == device.user_id)
    )):
        raise NotFound(N_("No such device."))
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        device.revoked_by_id = admin.id
        device.user.end_sessions()  # a lost phone may hold a web session too: every session of its user ends
        db.session.flush()
        record(admin.id, "device.revoke", "device", device.id, village_id=user_village_id(device.user),
               device=str(device.public_id), user_id=device.user_id)
    return device
