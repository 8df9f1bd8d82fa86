"""Finding lists: who may manage which, creating one, and what the public may read.

The public sees only adopted versions; drafts belong to the committee. A list's address is
its village's code and its own code (/v/YF/lists/FW); old versions keep their own address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.lists.domain.lists import ADOPTED, DRAFT, KIND_CODES, KINDS, VersionRef, version_in_force
from webapp.lists.models import DutyList, ListItem, ListVersion
from webapp.lists.schemas import CODE_RE
from webapp.people.domain.access import Role, can_manage_village
from webapp.people.models.geo import Town, Village
from webapp.people.models.user import User
from webapp.people.services.audit import record


def can_manage_list(user: User, duty_list: DutyList) -> bool:
    """A village's lists: its admins and the town's; a town template: the town's admins."""
    grants = user.domain_grants()
    if duty_list.village_id is None:
        return any(g.role == Role.TOWN_ADMIN and g.town_id == duty_list.town_id for g in grants)
    return can_manage_village(grants, duty_list.village_id, duty_list.town_id)


def managed_list(user: User, list_id: int) -> DutyList:
    """A list the user may manage; NotFound otherwise (its existence is not theirs to learn)."""
    duty_list = db.session.get(DutyList, list_id)
    if duty_list is None or not can_manage_list(user, duty_list):
        raise NotFound(N_("Not found."))
    return duty_list


def managed_version(user: User, version_id: int) -> ListVersion:
    version = db.session.get(ListVersion, version_id)
    if version is None or not can_manage_list(user, version.duty_list):
        raise NotFound(N_("Not found."))
    return version


def managed_item(user: User, item_id: int) -> ListItem:
    item = db.session.get(ListItem, item_id)
    if item is None or not can_manage_list(user, item.version.duty_list):
        raise NotFound(N_("Not found."))
    return item


def managed_towns(user: User) -> list[Town]:
    """Towns whose templates this user keeps (town admins only)."""
    ids = {g.town_id for g in user.domain_grants() if g.role == Role.TOWN_ADMIN}
    return list(db.session.scalars(select(Town).where(Town.id.in_(ids)).order_by(Town.code))) if ids else []


def _kind_order(duty_list: DutyList) -> tuple[int, str]:
    return (KIND_CODES.index(duty_list.kind) if duty_list.kind in KIND_CODES else 99, duty_list.code)


def village_lists(village: Village) -> list[DutyList]:
    """A village's lists in the order of the list kinds."""
    rows = db.session.scalars(select(DutyList).where(DutyList.village_id == village.id))
    return sorted(rows, key=_kind_order)


def town_templates(town: Town) -> list[DutyList]:
    rows = db.session.scalars(select(DutyList).where(DutyList.town_id == town.id, DutyList.village_id.is_(None)))
    return sorted(rows, key=_kind_order)


def _siblings(town_id: int, village_id: int | None):
    owner = DutyList.village_id == village_id if village_id else DutyList.village_id.is_(None)
    return select(DutyList).where(DutyList.town_id == town_id, owner)


def free_code(town_id: int, village_id: int | None, wanted: str) -> str:
    """The wanted code, or the first of CODE-2, CODE-3 … not yet taken by the owner's lists."""
    taken = {d.code for d in db.session.scalars(_siblings(town_id, village_id))}
    code, n = wanted, 1
    while code in taken:
        n += 1
        code = f"{wanted}-{n}"
    return code


def create_list(town: Town, village: Village | None, kind: str, name: str = "", code: str = "",
                actor_id: int | None = None, template_id: int | None = None) -> DutyList:
    """A new list (a town template when village is None) with an empty draft as version 1."""
    if kind not in KINDS:
        raise Refusal(N_("Choose the kind of list."))
    code = code.strip()
    if code and not CODE_RE.match(code):
        raise Refusal(N_("A code has up to 32 letters, digits, dots, dashes or underscores."))
    if code and db.session.scalar(_siblings(town.id, village.id if village else None).where(DutyList.code == code)):
        raise Refusal(N_("There is already a list with code %(code)s."), code=code)
    duty_list = DutyList(
        town_id=town.id, village_id=village.id if village else None, kind=kind,
        code=code or free_code(town.id, village.id if village else None, KINDS[kind].short),
        name=name.strip() or KINDS[kind].zh, template_id=template_id,
    )
    duty_list.versions.append(ListVersion(number=1, status=DRAFT, created_by_id=actor_id))
    db.session.add(duty_list)
    db.session.flush()
    record(actor_id, "list.create", "duty_list", duty_list.id, village_id=duty_list.village_id,
           code=duty_list.code, kind=kind)
    return duty_list


# --- what the public reads ------------------------------------------------------------------------

def public_village(code: str) -> Village:
    village = db.session.scalar(select(Village).where(Village.code == code))
    if village is None:
        raise NotFound(N_("Not found."))
    return village


def public_villages() -> list[Village]:
    return list(db.session.scalars(select(Village).order_by(Village.code)))


def _refs(duty_list: DutyList) -> dict[int, ListVersion]:
    return {v.number: v for v in duty_list.versions}


def in_force(duty_list: DutyList, today: date) -> ListVersion | None:
    """The adopted version in force today; else the first adopted one still to come into force."""
    versions = _refs(duty_list)
    ref = version_in_force((VersionRef(v.number, v.status, v.effective_from) for v in versions.values()), today)
    if ref is not None:
        return versions[ref.number]
    upcoming = [v for v in versions.values() if v.status == ADOPTED]
    return min(upcoming, key=lambda v: (v.effective_from or date.max, v.number), default=None)


@dataclass(frozen=True, slots=True)
class PublicList:
    duty_list: DutyList
    version: ListVersion


def public_lists(village: Village, today: date) -> list[PublicList]:
    """The village's lists that have an adopted version, each with the version the public should read."""
    found = ((d, in_force(d, today)) for d in village_lists(village))
    return [PublicList(d, v) for d, v in found if v is not None]


def public_version(village: Village, list_code: str, number: int | None, today: date) -> PublicList:
    """A list as the public reads it: the version in force, or an adopted version by number (never a draft)."""
    duty_list = db.session.scalar(select(DutyList).where(DutyList.village_id == village.id, DutyList.code == list_code))
    if duty_list is None:
        raise NotFound(N_("Not found."))
    version = in_force(duty_list, today) if number is None else _refs(duty_list).get(number)
    if version is None or version.status != ADOPTED:
        raise NotFound(N_("Not found."))
    return PublicList(duty_list, version)


def chosen_version(duty_list: DutyList, number: int | None, today: date) -> ListVersion | None:
    """A version by number; without one, the version in force (or, before any, the open draft)."""
    if number:
        return _refs(duty_list).get(number)
    return in_force(duty_list, today) or next((v for v in duty_list.versions if v.status == DRAFT), None)


def public_item(found: PublicList, item_code: str) -> ListItem:
    item = next((i for i in found.version.items if i.code == item_code), None)
    if item is None:
        raise NotFound(N_("Not found."))
    return item


def search(village: Village, query: str, today: date) -> list[tuple[PublicList, ListItem]]:
    """Items of the lists in force whose code, name, category, responsible body or materials contain every word."""
    words = [w.casefold() for w in query.split() if w]
    if not words:
        return []
    hits = []
    for found in public_lists(village, today):
        for item in found.version.items:
            text = " ".join((item.code, item.name, item.category, item.responsible, item.materials,
                             found.duty_list.name, *(s.actor + s.action for s in item.steps))).casefold()
            if all(w in text for w in words):
                hits.append((found, item))
    return hits

