"""Self-declaration (个人申报): a household submits an annual bonus item with its evidence.

A declaration is an ordinary entry, recorded by the household's own account and flagged
"self_declared"; it counts only after the review group approves it, like any other entry.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sync import MAX_PHOTO_BYTES
from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.domain.access import Role
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.photos.models import EntryPhoto, Photo
from webapp.photos.services.processing import Processed, process_image, too_large
from webapp.photos.services.storage import PhotoStore
from webapp.points.domain.entry_states import COUNTED_STATUSES, RECORDED
from webapp.points.domain.scheme import ItemRule, SchemeRules
from webapp.points.models.entry import Entry
from webapp.points.models.scheme import Item, SchemeVersion
from webapp.points.services.schemes import timeline, version_rules
from webapp.review.models import ReviewDecision
from webapp.villagers.services.household_records import photos_of, review_reasons

SELF_DECLARED = "self_declared"
MAX_PHOTOS = 5
MAX_NOTE = 500
# A declaration still waiting, or already counted, blocks a second one of the same item that year.
BLOCKING_STATUSES = frozenset({RECORDED}) | COUNTED_STATUSES


def declarable_items(rules: SchemeRules) -> list[ItemRule]:
    """Bonus items a household may declare itself: the annual ones (per year, or credited at year end)."""
    return [item for item in rules.items.values()
            if item.kind == "bonus" and (item.per == "year" or item.credit == "year_end")]


def may_declare(user: User, household: Household) -> bool:
    """Only the household's own villager account declares for it."""
    return any(g.role == Role.VILLAGER and g.household_id == household.id for g in user.grants)


def _version_in_force(household: Household, today: date) -> SchemeVersion | None:
    line = timeline(household.village_id)
    return line.version_on(today) or line.current


def declarable_for(household: Household, today: date) -> list[ItemRule]:
    """The items this household may declare under the rules in force today."""
    version = _version_in_force(household, today)
    return declarable_items(version_rules(version)) if version is not None else []


@dataclass(frozen=True)
class Declaration:
    entry: Entry
    photo_ids: tuple[int, ...]
    reason: str  # the reviewer's, when rejected or adjusted


def declarations(household: Household, year: int) -> list[Declaration]:
    """The household's self-declarations of a year, newest first, with their photos."""
    rows = [e for e in db.session.scalars(
        select(Entry).options(joinedload(Entry.item))
        .where(Entry.household_id == household.id, Entry.occurred_on >= date(year, 1, 1),
               Entry.occurred_on < date(year + 1, 1, 1))
        .order_by(Entry.received_at.desc(), Entry.id.desc())
    ) if SELF_DECLARED in (e.flags or ())]
    ids = [e.id for e in rows]
    photos, reasons = photos_of(EntryPhoto.entry_id, ids), review_reasons(ReviewDecision.entry_id, ids)
    return [Declaration(e, tuple(pid for p in photos[e.id].values() for pid in p), reasons.get(e.id, ""))
            for e in rows]


def _check_not_declared(household: Household, rule: ItemRule, year: int) -> None:
    rows = db.session.execute(
        select(Entry.status, Entry.flags).join(Item, Item.id == Entry.item_id)
        .where(Entry.household_id == household.id, Item.code == rule.code,
               Entry.occurred_on >= date(year, 1, 1), Entry.occurred_on < date(year + 1, 1, 1))
    )
    for status, flags in rows:
        # Once a year: any live entry of the item; per event (J9): only an earlier declaration.
        if status in BLOCKING_STATUSES and (rule.per == "year" or SELF_DECLARED in (flags or ())):
            raise Refusal(N_("You have already declared %(item)s this year."), item=rule.code)


def _processed(photos: list[tuple[str, bytes]]) -> list[tuple[str, Processed | None]]:
    """Every upload checked and re-encoded before anything is written (None: already stored)."""
    uploads = [(name, data) for name, data in photos if data]  # an empty file input sends b""
    if len(uploads) > MAX_PHOTOS:
        raise Refusal(N_("At most %(max)s photos per declaration."), max=MAX_PHOTOS)
    done: dict[str, Processed | None] = {}
    for _name, data in uploads:
        if len(data) > MAX_PHOTO_BYTES:
            raise too_large()
        sha = hashlib.sha256(data).hexdigest()
        if sha in done:
            continue
        known = db.session.scalar(select(Photo.id).where(Photo.upload_sha256 == sha))
        done[sha] = None if known is not None else process_image(data)
    return list(done.items())


def _store_photo(user: User, sha: str, processed: Processed | None, store: PhotoStore | None) -> int:
    if processed is None:
        return db.session.scalar(select(Photo.id).where(Photo.upload_sha256 == sha))  # type: ignore[return-value]
    if store is None:
        raise ValueError("photos need the store they are kept in")
    store.put(processed.sha256, "full", processed.data)
    store.put(processed.sha256, "thumb", processed.thumb)
    photo = Photo(upload_sha256=sha, stored_sha256=processed.sha256, width=processed.width, height=processed.height,
                  bytes=len(processed.data), taken_at=processed.taken_at, uploaded_by_id=user.id)
    db.session.add(photo)
    db.session.flush()
    return photo.id


def declare(
    user: User, household: Household, item_code: str, note: str, photos: list[tuple[str, bytes]], today: date,
    store: PhotoStore | None = None,
) -> Entry:
    """Record the household's declaration of an annual item, waiting for review.

    Refuses (Refusal, nothing written) another household's account, an item that cannot be
    declared, a second declaration of the item this year, missing required evidence, and any
    upload that is not a photo."""
    if not may_declare(user, household):
        raise NotFound(N_("No such household."))
    version = _version_in_force(household, today)
    if version is None:
        raise Refusal(N_("This village has no rules yet."))
    rule = next((i for i in declarable_items(version_rules(version)) if i.code == item_code), None)
    if rule is None:
        raise Refusal(N_("%(item)s cannot be declared by a household; only annual bonus items can."),
                           item=item_code or "—")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise Refusal(N_("The note is longer than %(max)s characters."), max=MAX_NOTE)
    _check_not_declared(household, rule, today.year)
    uploads = _processed(photos)
    if rule.evidence == "required" and not uploads:
        raise Refusal(N_("%(item)s needs a photo as evidence."), item=rule.code)
    item = db.session.scalar(select(Item).where(Item.version_id == version.id, Item.code == rule.code))
    entry = Entry(
        client_uuid=uuid.uuid4(), village_id=household.village_id, household_id=household.id, member_id=None,
        item_id=item.id, scheme_version_id=version.id, quantity=Decimal(1), occurred_at=utcnow(), occurred_on=today,
        recorded_by_id=user.id, device="", status=RECORDED, note=note, flags=[SELF_DECLARED],
    )
    db.session.add(entry)
    db.session.flush()
    for sha, processed in uploads:
        photo_id = _store_photo(user, sha, processed, store)
        db.session.add(EntryPhoto(client_uuid=entry.client_uuid, entry_id=entry.id, item_code="",
                                  upload_sha256=sha, photo_id=photo_id))
    db.session.flush()
    record(user.id, "entry.declare", "entry", entry.id, village_id=household.village_id, household_id=household.id,
           item=rule.code, photos=len(uploads))
    return entry
