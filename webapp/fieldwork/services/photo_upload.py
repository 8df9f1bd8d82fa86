"""A phone's photo upload: accepted only for an entry (or inspection) of the uploading user that
listed its hash, then processed and stored once (webapp/photos/services/processing.py)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import select

from sync import MAX_PHOTO_BYTES
from webapp.core.messages import N_
from webapp.extensions import db
from webapp.fieldwork.models import SyncReceipt
from webapp.people.models.user import User
from webapp.photos.models import EntryPhoto, Photo
from webapp.photos.services.processing import PhotoRefused, store_photo, too_large
from webapp.photos.services.storage import SHA_RE, PhotoStore
from webapp.points.models.entry import Entry, Inspection


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


def upload_photo(
    user: User, sha256: str, entry_uuid: str, body: bytes, store: PhotoStore,
    zone: tzinfo = ZoneInfo("Asia/Shanghai"),
) -> tuple[Photo, bool]:
    """Store one uploaded photo for an entry's slot; returns the photo and whether it is new.

    The same bytes again (for this or another entry) are stored once: the upload hash is unique.
    """
    if len(body) > MAX_PHOTO_BYTES:
        raise too_large()
    if not SHA_RE.match(sha256 or "") or hashlib.sha256(body).hexdigest() != sha256:
        raise PhotoRefused(400, "hash_mismatch", N_("The photo arrived damaged (its SHA-256 does not match). Send it again."))
    slots = _slots_of(user, entry_uuid, sha256)
    photo, created = store_photo(user.id, body, store, zone)
    for slot in slots:
        slot.photo_id = photo.id
    db.session.flush()
    return photo, created
