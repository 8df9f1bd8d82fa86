"""Setting a town up: the town and its first admin, its villages with their groups (村民小组) and grids (网格).

Every change is in the audit trail. A retired village keeps its households, entries and publications
but leaves the lists and pickers (managed_villages), so nobody imports, scores or chooses it again.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.domain.access import Role
from webapp.people.domain.staff_rules import check_area_code, check_code, check_name, check_password, check_username
from webapp.people.models.geo import Grid, Town, Village, VillageGroup
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.people.services.users import create_user


def has_town() -> bool:
    """Whether any town exists (the first run is over)."""
    return bool(db.session.scalar(select(exists().where(Town.id.is_not(None)))))


def create_town(name: str, code: str, area_code: str, username: str, display_name: str, password: str,
                again: str | None = None) -> User:
    """The town and its first town admin, when the database has no town yet; returns the admin."""
    if has_town():
        raise Refusal(N_("A town already exists; the first run is over. Town admins add villages and staff."))
    town = Town(name=check_name(name), code=check_code(code), area_code=check_area_code(area_code))
    db.session.add(town)
    db.session.flush()
    check_password(password, again)
    admin = create_user(check_username(username), password, Role.TOWN_ADMIN.value,
                        display_name=check_name(display_name or username, 50), town_id=town.id)
    record(admin.id, "town.create", "town", town.id, code=town.code, name=town.name)
    return admin


def admin_towns(user: User) -> list[Town]:
    """The towns this user is a town admin of."""
    ids = {g.town_id for g in user.grants if g.role == Role.TOWN_ADMIN}
    return list(db.session.scalars(select(Town).where(Town.id.in_(ids)).order_by(Town.code))) if ids else []


def town_villages(user: User) -> list[Village]:
    """Every village of the user's towns, retired ones included (listed last)."""
    ids = [t.id for t in admin_towns(user)]
    villages = db.session.scalars(select(Village).where(Village.town_id.in_(ids)).order_by(Village.code))
    return sorted(villages, key=lambda v: v.retired_on is not None)


def town_village(user: User, village_id: int) -> Village:
    """A village of the user's towns (retired or not); 404 otherwise."""
    village = db.session.get(Village, village_id)
    if village is None or village.town_id not in {t.id for t in admin_towns(user)}:
        raise NotFound(N_("No such village."))
    return village


def create_village(town: Town, name: str, code: str, area_code: str, actor_id: int) -> Village:
    code = check_code(code)
    if db.session.scalar(select(Village.id).where(Village.code == code)) is not None:
        raise Refusal(N_("The village code %(code)s is taken."), code=code)
    village = Village(town_id=town.id, name=check_name(name), code=code)
    village.area_code = _free_area_code(village, area_code, town)
    db.session.add(village)
    db.session.flush()
    record(actor_id, "village.create", "village", village.id, village_id=village.id, code=code, name=village.name,
           area_code=village.area_code)
    return village


def edit_village(village: Village, name: str, area_code: str, actor_id: int) -> None:
    """A new name or area code (the code stays: households and files name the village by it)."""
    before = {"name": village.name, "area_code": village.area_code}
    village.name = check_name(name)
    village.area_code = _free_area_code(village, area_code)
    db.session.flush()
    record(actor_id, "village.edit", "village", village.id, village_id=village.id, before=before,
           name=village.name, area_code=village.area_code)


def set_photo_stamps(village: Village, stamp: bool, actor_id: int) -> None:
    """Whether the village's evidence photos get a stamped copy (水印: time, place, household)."""
    if village.stamp_photos != stamp:
        village.stamp_photos = stamp
        db.session.flush()
        record(actor_id, "village.photo_stamps", "village", village.id, village_id=village.id, stamp=stamp)


def _free_area_code(village: Village, area_code: str, town: Town | None = None) -> str | None:
    town = town or village.town
    code = check_area_code(area_code, town.area_code)
    if code is not None:
        taken = select(Village.id).where(Village.area_code == code)
        if village.id is not None:
            taken = taken.where(Village.id != village.id)
        if db.session.scalar(taken) is not None:
            raise Refusal(N_("The area code %(code)s is already another village's."), code=code)
    return code


def retire_village(village: Village, on: date, actor_id: int) -> None:
    """The village leaves the lists and pickers from today; its history stays."""
    if village.retired_on is not None:
        raise Refusal(N_("%(name)s is already retired."), name=village.name)
    village.retired_on = on
    db.session.flush()
    record(actor_id, "village.retire", "village", village.id, village_id=village.id, on=on.isoformat())


def restore_village(village: Village, actor_id: int) -> None:
    """Undo a retirement made by mistake."""
    if village.retired_on is None:
        raise Refusal(N_("%(name)s is not retired."), name=village.name)
    village.retired_on = None
    db.session.flush()
    record(actor_id, "village.restore", "village", village.id, village_id=village.id)


PLACES = {"group": VillageGroup, "grid": Grid}


def add_place(village: Village, kind: str, name: str, code: str, actor_id: int) -> VillageGroup | Grid:
    """A village group or grid; its code defaults to its name (as the roster import makes them)."""
    model = PLACES[kind]
    _live(village)
    name = check_name(name)
    code = check_code(code) if (code or "").strip() else name[:32]
    _unique_place(model, village, name, code)
    place = model(village_id=village.id, name=name, code=code)
    db.session.add(place)
    db.session.flush()
    record(actor_id, f"{kind}.create", kind, place.id, village_id=village.id, code=code, name=name)
    return place


def rename_place(village: Village, kind: str, place_id: int, name: str, actor_id: int) -> VillageGroup | Grid:
    model = PLACES[kind]
    place = db.session.get(model, place_id)
    if place is None or place.village_id != village.id:
        raise NotFound(N_("No such group or grid."))
    _live(village)
    name = check_name(name)
    if name != place.name:
        _unique_place(model, village, name, None, place.id)
        before, place.name = place.name, name
        db.session.flush()
        record(actor_id, f"{kind}.rename", kind, place.id, village_id=village.id, before=before, name=name)
    return place


def _live(village: Village) -> None:
    if village.retired_on is not None:
        raise Refusal(N_("%(name)s is retired; restore it before changing it."), name=village.name)


def _unique_place(model: type, village: Village, name: str, code: str | None, own_id: int | None = None) -> None:
    """Names and codes are unique within a village: the roster names a group or grid by either."""
    siblings = [p for p in db.session.scalars(select(model).where(model.village_id == village.id)) if p.id != own_id]
    if any(name in (p.name, p.code) for p in siblings) or (code and any(code in (p.name, p.code) for p in siblings)):
        raise Refusal(N_("%(village)s already has a group or grid named %(name)s."), village=village.name,
                      name=name if any(name in (p.name, p.code) for p in siblings) else code)
