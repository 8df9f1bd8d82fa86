"""A phone's photo upload: accepted only for an entry (or inspection) of the uploading user that
listed its hash, then processed and stored once (webapp/photos/services/processing.py).

The slow part, decoding and re-encoding the picture, happens before the database's write lock is
taken (prepare_photo); only linking the slots, and adding the Photo row when the bytes are new,
happens under it (attach_photo). A slot is filled only by an upload of the bytes themselves:
listing a hash proves nothing, so a photo is never seen through an entry that merely named it.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sync import MAX_PHOTO_BYTES
from webapp.core.messages import N_
from webapp.db import take_write_lock
from webapp.extensions import db
from webapp.fieldwork.models import SyncReceipt
from webapp.fieldwork.services.photo_stamps import stamp_upload
from webapp.people.models.user import User
from webapp.photos.models import EntryPhoto, Photo
from webapp.photos.services.processing import PhotoRefused, Processed, process_image, too_large
from webapp.photos.services.storage import SHA_RE, PhotoStore
from webapp.points.models.entry import Entry, Inspection

ZONE = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Prepared:
    """An uploaded photo checked against its hash, decoded and stored as files (no database yet)."""

    sha256: str
    processed: Processed | None  # None: these bytes were stored before


def _slots_of(user: User, entry_uuid: str, sha256: str) -> list[EntryPhoto]:
    """The photo slots of the user's entry that name this hash (404 / 409 otherwise)."""
    missing = PhotoRefused(404, "entry_not_found", N_("This photo's entry has not been synced, or is not yours."))
    try:
        key = uuid.UUID(entry_uuid)
    except (ValueError, TypeError):
        raise missing from None
    receipt = db.session.get(SyncReceipt, key)
    owner = None
    if receipt is not None and receipt.entry_id is not None:
        owner = db.session.scalar(select(Entry.recorded_by_id).where(Entry.id == receipt.entry_id))
    elif receipt is not None and receipt.inspection_id is not None:
        owner = db.session.scalar(select(Inspection.recorded_by_id).where(Inspection.id == receipt.inspection_id))
    if owner is None or owner != user.id:
        raise missing
    slots = list(db.session.scalars(
        select(EntryPhoto).where(EntryPhoto.client_uuid == key, EntryPhoto.upload_sha256 == sha256)
    ))
    if not slots:
        raise PhotoRefused(409, "not_listed", N_("This entry does not list this photo."))
    return slots


def _check_bytes(sha256: str, body: bytes) -> None:
    if len(body) > MAX_PHOTO_BYTES:
        raise too_large()
    if not SHA_RE.match(sha256 or "") or hashlib.sha256(body).hexdigest() != sha256:
        raise PhotoRefused(400, "hash_mismatch", N_("The photo arrived damaged (its SHA-256 does not match). Send it again."))


def _known(sha256: str) -> Photo | None:
    return db.session.scalar(select(Photo).where(Photo.upload_sha256 == sha256))


def prepare_photo(sha256: str, body: bytes, store: PhotoStore, zone: tzinfo = ZONE) -> Prepared:
    """Check the bytes against their hash, then decode, re-encode and store them as files unless
    they were stored before. Reads only: call it before anything of the request is written."""
    _check_bytes(sha256, body)
    with db.session.no_autoflush:
        if _known(sha256) is not None:
            return Prepared(sha256, None)
    processed = process_image(body, zone)
    store.put(processed.sha256, "full", processed.data)  # content-addressed: writing twice is harmless
    store.put(processed.sha256, "thumb", processed.thumb)
    return Prepared(sha256, processed)


def attach_photo(user: User, entry_uuid: str, prepared: Prepared, body: bytes, zone: tzinfo = ZONE,
                 store: PhotoStore | None = None) -> tuple[Photo, bool]:
    """Under the write lock: the Photo of the prepared bytes (added if new) in the entry's slots.
    Returns it and whether this upload filled a slot (False: a repeated upload, nothing changed).
    With the store, the photo also gets its stamped copy (水印) if its village stamps photos."""
    take_write_lock(db.session.connection())
    slots = _slots_of(user, entry_uuid, prepared.sha256)
    photo = _known(prepared.sha256)
    if photo is None:
        processed = prepared.processed or process_image(body, zone)  # stored before, then removed: rare
        photo = Photo(upload_sha256=prepared.sha256, stored_sha256=processed.sha256, width=processed.width,
                      height=processed.height, bytes=len(processed.data), taken_at=processed.taken_at,
                      uploaded_by_id=user.id)
        try:
            with db.session.begin_nested():  # PostgreSQL: the same bytes arriving twice at once
                db.session.add(photo)
        except IntegrityError:
            photo = _known(prepared.sha256)
    filled = False
    for slot in slots:
        if slot.photo_id != photo.id:
            slot.photo_id = photo.id
            filled = True
    db.session.flush()
    stamp_upload(entry_uuid, photo, store)
    return photo, filled


def upload_photo(
    user: User, sha256: str, entry_uuid: str, body: bytes, store: PhotoStore, zone: tzinfo = ZONE,
) -> tuple[Photo, bool]:
    """Store one uploaded photo for an entry's slot; returns the photo and whether this upload
    filled the slot (False when it was filled before: the answer to a repeated upload).

    The same bytes again (for this or another entry) are stored once: the upload hash is unique.
    The entry must list the hash before anything is decoded."""
    _check_bytes(sha256, body)
    with db.session.no_autoflush:  # reads only (the device's "last seen" waits for the write)
        _slots_of(user, entry_uuid, sha256)
    return attach_photo(user, entry_uuid, prepare_photo(sha256, body, store, zone), body, zone, store)

