"""The case library (典型案例库): a village writes and submits its cases; the town approves, corrects or
returns them; approved cases are public, per town. Every step is in the audit trail (the town's edits
with what they changed). Never commits.

Who: a village's own admins write its cases (the committee's voice, can_decide_for_village); the town's
admins decide on them and may correct them. A draft is the village's alone: the town sees a case once it
is submitted. The photos of an approved case are public; before that, the village's admins and the
town's see them (rules lent to the photo capability: register_photo_rules).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.lists.models import DutyList, ListItem, ListVersion
from webapp.lists.services.catalog import in_force, village_lists
from webapp.people.domain.access import Role, can_decide_for_village
from webapp.people.models.geo import Town, Village
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.people.services.villages import committee_villages
from webapp.photos.services import access as photo_access
from webapp.photos.services.processing import store_photo
from webapp.photos.services.storage import PhotoStore
from webapp.points.models.scheme import Item, Scheme, SchemeVersion
from webapp.points.services.schemes import timeline
from webapp.town.domain import cases as rules
from webapp.town.models.cases import TypicalCase, TypicalCasePhoto

Upload = tuple[str, bytes]  # (file name, bytes) of a photo sent with the form


# --- who ------------------------------------------------------------------------------------------

def writing_villages(user: User) -> list[Village]:
    """The villages whose cases this user writes: those they are the village admin of."""
    return committee_villages(user)


def deciding_town_ids(user: User) -> set[int]:
    """The towns whose cases this user decides on: those they are the town admin of."""
    return {g.town_id for g in user.domain_grants() if g.role == Role.TOWN_ADMIN and g.town_id is not None}


def _side(user: User, case: TypicalCase) -> str | None:
    if can_decide_for_village(user.domain_grants(), case.village_id):
        return rules.VILLAGE
    if case.town_id in deciding_town_ids(user) and case.status != rules.DRAFT:
        return rules.TOWN
    return None


def side_of(user: User, case: TypicalCase) -> str | None:
    """VILLAGE or TOWN: which side of the case this user is on (None: neither)."""
    return _side(user, case)


def cases_for(user: User, status: str = "", village_id: int | None = None) -> list[TypicalCase]:
    """The cases this user works on: their villages' (every state) and their towns' (once submitted)."""
    village_ids = [v.id for v in writing_villages(user)]
    town_ids = deciding_town_ids(user)
    if not village_ids and not town_ids:
        return []
    mine = TypicalCase.village_id.in_(village_ids)
    theirs = TypicalCase.town_id.in_(town_ids) & (TypicalCase.status != rules.DRAFT)
    query = select(TypicalCase).where(mine | theirs)
    if status in rules.STATES:
        query = query.where(TypicalCase.status == status)
    if village_id is not None:
        query = query.where(TypicalCase.village_id == village_id)
    return list(db.session.scalars(query.order_by(TypicalCase.id.desc())))


def case_for(user: User, case_id: int) -> TypicalCase:
    """A case this user works on; NotFound for any other (a draft of another village included)."""
    case = db.session.get(TypicalCase, case_id)
    if case is None or _side(user, case) is None:
        raise NotFound(N_("No such case."))
    return case


def _require(user: User, case: TypicalCase, action: str) -> str:
    """The state after the user's action, or a refusal (another village's or town's case: NotFound)."""
    side = _side(user, case)
    if side is None:
        raise NotFound(N_("No such case."))
    return rules.next_state(case.status, action, side)


# --- what a case concerns -------------------------------------------------------------------------

def list_item_choices(village: Village, today: date) -> list[tuple[int, str]]:
    """The items of the village's lists in force: (id, "list · code name")."""
    choices = []
    for duty_list in village_lists(village):
        version = in_force(duty_list, today)
        if version is not None:
            choices += [(item.id, f"{duty_list.name} · {item.code} {item.name}") for item in version.items]
    return choices


def points_item_choices(village: Village, today: date) -> list[tuple[str, str]]:
    """The items of the village's rules in force: (code, "code name")."""
    found = timeline(village.id)
    version = found.version_on(today) or (found.versions[0] if found.versions else None)
    return [(item.code, f"{item.code} {item.name}") for item in version.items] if version else []


def list_item_label(case: TypicalCase) -> str:
    item = case.list_item
    if item is None:
        return ""
    return f"{item.version.duty_list.name} · {item.code} {item.name}"


def points_item_label(case: TypicalCase) -> str:
    if not case.points_item_code:
        return ""
    name = db.session.scalar(
        select(Item.name).join(SchemeVersion, SchemeVersion.id == Item.version_id).join(Scheme)
        .where(Scheme.village_id == case.village_id, Item.code == case.points_item_code)
        .order_by(SchemeVersion.effective_from.desc(), SchemeVersion.id.desc()).limit(1))
    return f"{case.points_item_code} {name or ''}".strip()


def _check_items(village_id: int, list_item_id: int | None, points_item_code: str) -> tuple[int | None, str]:
    if list_item_id:
        owner = db.session.scalar(
            select(DutyList.village_id).join(ListVersion, ListVersion.list_id == DutyList.id)
            .join(ListItem, ListItem.version_id == ListVersion.id).where(ListItem.id == list_item_id))
        if owner != village_id:
            raise Refusal(N_("That list item is not one of this village's lists."))
    code = (points_item_code or "").strip()
    if code:
        known = db.session.scalar(
            select(Item.id).join(SchemeVersion, SchemeVersion.id == Item.version_id).join(Scheme)
            .where(Scheme.village_id == village_id, Item.code == code).limit(1))
        if known is None:
            raise Refusal(N_("%(item)s is not an item of this village's rules."), item=code)
    return list_item_id or None, code


# --- writing and deciding -------------------------------------------------------------------------

def _add_photos(user: User, case: TypicalCase, uploads: list[Upload], store: PhotoStore | None) -> int:
    uploads = [(name, data) for name, data in uploads if data]  # an empty file input sends b""
    rules.check_photo_count(len(case.photos), len(uploads))
    if uploads and store is None:
        raise ValueError("photos need the store they are kept in")
    have = {p.photo_id for p in case.photos}
    position = max((p.position for p in case.photos), default=0)
    for _name, data in uploads:
        photo = store_photo(user.id, data, store)[0]  # type: ignore[arg-type]
        if photo.id not in have:
            position += 1
            have.add(photo.id)
            case.photos.append(TypicalCasePhoto(photo_id=photo.id, position=position))
    return len(uploads)


def _content(case: TypicalCase) -> dict[str, object]:
    return {"title": case.title, "text": case.text, "list_item_id": case.list_item_id,
            "points_item_code": case.points_item_code, "photos": sorted(p.photo_id for p in case.photos)}


def create_case(user: User, village: Village, title: str, text: str, list_item_id: int | None = None,
                points_item_code: str = "", uploads: list[Upload] | None = None,
                store: PhotoStore | None = None) -> TypicalCase:
    """A village's new case, as a draft."""
    if not can_decide_for_village(user.domain_grants(), village.id):
        raise NotFound(N_("Choose one of your villages."))
    title, text = rules.check_content(title, text)
    list_item_id, points_item_code = _check_items(village.id, list_item_id, points_item_code)
    case = TypicalCase(town_id=village.town_id, village_id=village.id, title=title, text=text, status=rules.DRAFT,
                       list_item_id=list_item_id, points_item_code=points_item_code, town_note="", submissions=0,
                       created_by_id=user.id)
    db.session.add(case)
    db.session.flush()
    photos = _add_photos(user, case, uploads or [], store)
    db.session.flush()
    record(user.id, "case.create", "typical_case", case.id, village_id=village.id, title=title, photos=photos)
    return case


def edit_case(user: User, case: TypicalCase, title: str, text: str, list_item_id: int | None = None,
              points_item_code: str = "", uploads: list[Upload] | None = None,
              remove_photo_ids: list[int] | None = None, store: PhotoStore | None = None) -> TypicalCase:
    """The village edits its draft or returned case; the town corrects a submitted or approved one
    (recorded with what it changed)."""
    side = _side(user, case)
    action = "revise" if side == rules.TOWN else "edit"
    status = _require(user, case, action)
    before = _content(case)
    title, text = rules.check_content(title, text)
    list_item_id, points_item_code = _check_items(case.village_id, list_item_id, points_item_code)
    case.title, case.text = title, text
    case.list_item_id, case.points_item_code = list_item_id, points_item_code
    removed = set(remove_photo_ids or ())
    case.photos[:] = [p for p in case.photos if p.photo_id not in removed]
    _add_photos(user, case, uploads or [], store)
    case.status = status
    db.session.flush()
    changed = rules.changed_fields(before, _content(case))
    if changed.pop("text", None) is not None:
        changed["text"] = ["…", "…"]  # the text itself is long; the trail says that it changed
    record(user.id, f"case.{action}", "typical_case", case.id, village_id=case.village_id, changed=changed)
    return case


def submit_case(user: User, case: TypicalCase) -> TypicalCase:
    case.status = _require(user, case, "submit")
    case.submissions += 1
    case.submitted_at = utcnow()
    db.session.flush()
    record(user.id, "case.submit", "typical_case", case.id, village_id=case.village_id, submission=case.submissions)
    return case


def approve_case(user: User, case: TypicalCase) -> TypicalCase:
    case.status = _require(user, case, "approve")
    case.approved_at, case.approved_by_id = utcnow(), user.id
    db.session.flush()
    record(user.id, "case.approve", "typical_case", case.id, village_id=case.village_id)
    return case


def return_case(user: User, case: TypicalCase, note: str) -> TypicalCase:
    status = _require(user, case, "return")
    case.town_note = rules.check_note(note)
    case.status = status
    case.approved_at, case.approved_by_id = None, None
    db.session.flush()
    record(user.id, "case.return", "typical_case", case.id, village_id=case.village_id, note=case.town_note)
    return case


# --- the public pages -----------------------------------------------------------------------------

def public_town(code: str) -> Town:
    town = db.session.scalar(select(Town).where(Town.code == code))
    if town is None:
        raise NotFound(N_("Not found."))
    return town


def towns_of(user: User) -> list[Town]:
    """The towns whose public case pages this user's work ends up on."""
    town_ids = deciding_town_ids(user) | {v.town_id for v in writing_villages(user)}
    return list(db.session.scalars(select(Town).where(Town.id.in_(town_ids)).order_by(Town.code)))


def public_cases(town: Town) -> list[TypicalCase]:
    """The town's approved cases, newest first."""
    return list(db.session.scalars(
        select(TypicalCase).where(TypicalCase.town_id == town.id, TypicalCase.status == rules.APPROVED)
        .order_by(TypicalCase.approved_at.desc(), TypicalCase.id.desc())))


def public_case(town: Town, case_id: int) -> TypicalCase:
    case = db.session.get(TypicalCase, case_id)
    if case is None or case.town_id != town.id or not rules.is_public(case.status):
        raise NotFound(N_("Not found."))
    return case


# --- who may see a case's photos ------------------------------------------------------------------

def register_photo_rules() -> None:
    """Lend the photo capability the case library's reasons to show a photo (once per process)."""
    photo_access.register_rules(public=shown_in_an_approved_case, viewer=sees_case_photo)


def shown_in_an_approved_case(photo_id: int) -> bool:
    return db.session.scalar(
        select(TypicalCasePhoto.id).join(TypicalCase, TypicalCase.id == TypicalCasePhoto.case_id)
        .where(TypicalCasePhoto.photo_id == photo_id, TypicalCase.status == rules.APPROVED).limit(1)) is not None


def sees_case_photo(user: User, photo_id: int) -> bool:
    """A case's photo before approval: its village's admins, and its town's once submitted."""
    cases = db.session.scalars(select(TypicalCase).join(TypicalCasePhoto, TypicalCasePhoto.case_id == TypicalCase.id)
                               .where(TypicalCasePhoto.photo_id == photo_id))
    return any(_side(user, case) is not None for case in cases)
