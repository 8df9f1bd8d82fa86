"""Staff and roles: who an admin may manage, the list of their staff, adding accounts and roles, new
passwords and deactivation. Every change is in the audit trail, filed under the account's village.

A town admin manages every account of their town; a village admin those of their own villages, never
a town role (webapp/people/domain/staff_rules.py decides). Each action checks the account it touches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.domain.access import SCOPE_OF_ROLE, Role
from webapp.people.domain.staff_rules import (
    TOWN_ROLES,
    Place,
    can_manage_account,
    check_name,
    check_password,
    check_username,
)
from webapp.people.models.audit import AuditEvent
from webapp.people.models.geo import Grid, Town, Village
from webapp.people.models.household import Household
from webapp.people.models.stores import Store
from webapp.people.models.user import RoleGrant, User
from webapp.people.schemas import PHONE, halfwidth
from webapp.people.services.audit import record
from webapp.people.services.users import create_user, deactivate_user, grant
from webapp.people.services.villages import managed_villages


@dataclass(frozen=True)
class Scope:
    """What a form or a file row names as the scope of a role: ids, or a household code."""

    village_ids: tuple[int, ...] = ()
    grid_ids: tuple[int, ...] = ()
    store_id: int | None = None
    household_code: str = ""


def grantable_roles(actor: User) -> list[str]:
    """The roles this admin may give, in Role's order (a village admin never gives a town role)."""
    town_admin = any(g.role == Role.TOWN_ADMIN for g in actor.grants)
    return [r.value for r in Role if town_admin or r.value not in TOWN_ROLES]


def place_of(g: RoleGrant | dict[str, Any], role: str | None = None) -> Place:
    """Where a grant (or a grant about to be made: {column: id}) lies."""
    get = (lambda k: getattr(g, k)) if isinstance(g, RoleGrant) else (lambda k: g.get(k))
    role = g.role if isinstance(g, RoleGrant) else role
    villages: set[int] = set()
    if get("village_id") is not None:
        villages.add(get("village_id"))
    if get("grid_id") is not None and (grid := db.session.get(Grid, get("grid_id"))):
        villages.add(grid.village_id)
    if get("household_id") is not None and (hh := db.session.get(Household, get("household_id"))):
        villages.add(hh.village_id)
    town_id = get("town_id")
    if get("store_id") is not None and (store := db.session.get(Store, get("store_id"))):
        villages |= {v.id for v in store.villages}
        town_id = None if villages else store.town_id
    return Place(role or "", town_id, frozenset(villages))


def _village_towns() -> dict[int, int]:
    return {vid: tid for vid, tid in db.session.execute(select(Village.id, Village.town_id))}


def may_manage(actor: User, places: list[Place]) -> bool:
    return can_manage_account(actor.domain_grants(), places, _village_towns())


def managed_user(actor: User, user_id: int) -> User:
    """An account this admin may change; 404 for any other (its existence is not theirs to learn)."""
    user = db.session.get(User, user_id)
    if user is None or not user.grants or not may_manage(actor, [place_of(g) for g in user.grants]):
        raise NotFound(N_("No such account."))
    return user


def staff_of(actor: User, village_id: int | None = None, role: str = "") -> list[User]:
    """The accounts this admin manages, optionally those with a role in one village or with one role."""
    villages = managed_villages(actor, include_retired=True)
    ids = [v.id for v in villages]
    towns = [g.town_id for g in actor.grants if g.role == Role.TOWN_ADMIN]
    near = or_(RoleGrant.town_id.in_(towns), RoleGrant.village_id.in_(ids),
               RoleGrant.grid_id.in_(select(Grid.id).where(Grid.village_id.in_(ids))),
               RoleGrant.household_id.in_(select(Household.id).where(Household.village_id.in_(ids))),
               RoleGrant.store_id.in_(select(Store.id).where(Store.town_id.in_(towns))),
               RoleGrant.store_id.in_(select(Store.id).join(Store.villages).where(Village.id.in_(ids))))
    users = db.session.scalars(select(User).where(User.id.in_(select(RoleGrant.user_id).where(near)))
                               .order_by(User.active.desc(), User.username))
    mapping = _village_towns()
    shown = []
    for user in users:
        places = [place_of(g) for g in user.grants]
        if not can_manage_account(actor.domain_grants(), places, mapping):
            continue
        if village_id is not None and not any(village_id in p.village_ids for p in places):
            continue
        if role and role not in {g.role for g in user.grants}:
            continue
        shown.append(user)
    return shown


def grant_label(g: RoleGrant) -> str:
    """Where a grant lies, as a name: the town, the village, 村 · 网格, the store, or the household code."""
    if g.town_id is not None and (town := db.session.get(Town, g.town_id)):
        return town.name
    if g.village_id is not None and (village := db.session.get(Village, g.village_id)):
        return village.name
    if g.grid_id is not None and (grid := db.session.get(Grid, g.grid_id)):
        return f"{grid.village.name} · {grid.name}"
    if g.store_id is not None and (store := db.session.get(Store, g.store_id)):
        return store.name
    if g.household_id is not None and (hh := db.session.get(Household, g.household_id)):
        return hh.code
    return ""


def resolve(actor: User, role: str, scope: Scope) -> list[dict[str, int]]:
    """The grants ({column: id}) a role in a scope makes, each one the actor may give; refused otherwise."""
    if role not in grantable_roles(actor):
        raise Refusal(N_("You cannot give the role %(role)s."), role=role)
    column = SCOPE_OF_ROLE[Role(role)]
    if column == "town_id":
        return [{"town_id": t.id} for t in _actor_towns(actor)][:1]
    if column == "village_id":
        scopes = [{"village_id": v} for v in dict.fromkeys(scope.village_ids)]
    elif column == "grid_id":
        scopes = [{"grid_id": g} for g in dict.fromkeys(scope.grid_ids)]
    elif column == "store_id":
        scopes = [{"store_id": scope.store_id}] if scope.store_id is not None else []
    else:
        hh = db.session.scalar(select(Household.id).where(Household.code == scope.household_code.strip()))
        scopes = [{"household_id": hh}] if hh is not None else []
    if not scopes:
        raise Refusal(N_("Choose where the role applies: a village, grids, a store or a household code."))
    for s in scopes:
        place = place_of(s, role)
        live = {v.id for v in managed_villages(actor)}
        if not place.village_ids <= live or not may_manage(actor, [place]):
            raise NotFound(N_("That place is not one of yours."))
    return scopes


def stores_of(villages: list[Village]) -> list[Store]:
    """The stores serving any of these villages."""
    ids = [v.id for v in villages]
    return list(db.session.scalars(select(Store).where(Store.id.in_(
        select(Store.id).join(Store.villages).where(Village.id.in_(ids)))).order_by(Store.code)))


def _actor_towns(actor: User) -> list[Town]:
    ids = {g.town_id for g in actor.grants if g.role == Role.TOWN_ADMIN}
    return list(db.session.scalars(select(Town).where(Town.id.in_(ids)))) if ids else []


def check_phone(phone: str) -> str:
    phone = halfwidth((phone or "").strip())
    digits = sum(ch.isdigit() for ch in phone)
    if phone and not (PHONE.fullmatch(phone) and 7 <= len(phone) <= 20 and digits >= 7):
        raise Refusal(N_("%(value)s is not a phone number: use digits, with an optional +, - or spaces "
                         "(7 to 20 characters)."), value=phone)
    return phone


def add_account(actor: User, username: str, display_name: str, phone: str, password: str, again: str | None,
                role: str, scope: Scope) -> User:
    """A new account with one role in one or more places (a grid worker's grids, a cadre's villages)."""
    username = check_username(username)
    display_name = check_name(display_name, 50)
    phone = check_phone(phone)
    check_password(password, again)
    scopes = resolve(actor, role, scope)
    user = create_user(username, password, role, display_name=display_name, actor_id=actor.id, **scopes[0])
    _file_under_village(user, "user.create")
    for extra in scopes[1:]:
        grant(user, role, **extra)
    user.phone = phone
    if len(scopes) > 1:
        _record(actor, user, "user.grant", role=role, places=len(scopes))
    return user


def add_role(actor: User, user: User, role: str, scope: Scope) -> None:
    held = {(g.role, g.town_id, g.village_id, g.grid_id, g.store_id, g.household_id) for g in user.grants}
    added = 0
    for s in resolve(actor, role, scope):
        key = (role, s.get("town_id"), s.get("village_id"), s.get("grid_id"), s.get("store_id"), s.get("household_id"))
        if key not in held:
            grant(user, role, **s)
            added += 1
    if not added:
        raise Refusal(N_("%(name)s already has that role there."), name=user.display_name)
    _record(actor, user, "user.grant", role=role, places=added)


def remove_role(actor: User, user: User, grant_id: int) -> None:
    g = next((g for g in user.grants if g.id == grant_id), None)
    if g is None:
        raise NotFound(N_("No such role."))
    if not may_manage(actor, [place_of(g)]):
        raise NotFound(N_("No such role."))
    if len(user.grants) == 1:
        raise Refusal(N_("This is the account's last role: deactivate the account instead."))
    _record(actor, user, "user.revoke", role=g.role)
    user.grants.remove(g)
    db.session.flush()


def edit_details(actor: User, user: User, display_name: str, phone: str) -> None:
    user.display_name = check_name(display_name, 50)
    user.phone = check_phone(phone)
    db.session.flush()
    _record(actor, user, "user.edit", name=user.display_name)


def reset_password(actor: User, user: User, password: str, again: str | None) -> None:
    """A new password the admin hands over; every session of the account ends (User.set_password)."""
    user.set_password(check_password(password, again))
    db.session.flush()
    _record(actor, user, "user.password")


def deactivate(actor: User, user: User) -> None:
    """The account can no longer log in and its phones stop syncing; its records stay."""
    if user.id == actor.id:
        raise Refusal(N_("You cannot deactivate your own account."))
    if not user.active:
        raise Refusal(N_("%(name)s is already deactivated."), name=user.display_name)
    deactivate_user(user, actor_id=actor.id)
    _file_under_village(user, "user.deactivate")


def reactivate(actor: User, user: User) -> None:
    if user.active:
        raise Refusal(N_("%(name)s is active."), name=user.display_name)
    user.active = True
    db.session.flush()
    _record(actor, user, "user.reactivate")


def _village_of(user: User) -> int | None:
    villages = sorted(v for g in user.grants for v in place_of(g).village_ids)
    return villages[0] if villages else None


def _record(actor: User, user: User, action: str, **detail: Any) -> None:
    record(actor.id, action, "user", user.id, village_id=_village_of(user), username=user.username, **detail)


def _file_under_village(user: User, action: str) -> None:
    """users.py writes its events without a village; file them under the account's, so the audit page shows them."""
    events = [e for e in db.session.new if isinstance(e, AuditEvent)] or list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "user", AuditEvent.object_id == user.id)
        .order_by(AuditEvent.id.desc()).limit(1)))
    for event in events:
        if event.action == action and event.object_id == user.id:
            event.village_id = _village_of(user)
