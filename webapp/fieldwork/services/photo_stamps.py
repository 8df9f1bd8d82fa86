"""The stamp (水印) of a grid worker's evidence photo: when, where and whose, from the entry or
inspection it was uploaded for (webapp/photos/services/stamps.py draws it on a copy).

Stamped right after the upload is stored (photo processing runs in the request, not as a job), only
when the household's village stamps its photos (its admin's choice on the village page; on by
default). A photo that already has its stamped copy keeps it: uploads stay idempotent.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo

from webapp.extensions import db
from webapp.fieldwork.models import SyncReceipt
from webapp.people.models.household import Household
from webapp.photos.models import Photo
from webapp.photos.services.stamps import stamp_photo
from webapp.photos.services.storage import PhotoStore
from webapp.points.models.entry import Entry, Inspection

ZONE = ZoneInfo("Asia/Shanghai")
log = logging.getLogger(__name__)


def stamp_lines(entry_uuid: str, photo: Photo, zone: tzinfo = ZONE) -> list[str] | None:
    """The stamp's lines for a photo of this entry or inspection: time, place, household; None when
    its village does not stamp photos (or the entry is unknown)."""
    try:
        receipt = db.session.get(SyncReceipt, uuid.UUID(entry_uuid))
    except (ValueError, TypeError):
        return None
    record: Entry | Inspection | None = None
    if receipt is not None and receipt.entry_id is not None:
        record = db.session.get(Entry, receipt.entry_id)
    elif receipt is not None and receipt.inspection_id is not None:
        record = db.session.get(Inspection, receipt.inspection_id)
    if record is None:
        return None
    household = db.session.get(Household, record.household_id)
    if household is None or not household.village.stamp_photos:
        return None
    moment = photo.taken_at or record.occurred_at  # naive UTC both: the camera's time when it kept one
    when = moment.replace(tzinfo=UTC).astimezone(zone)
    place = " ".join(p for p in (household.village.name, household.group.name if household.group else "") if p)
    spot = getattr(record, "place", "") or ""
    return [when.strftime("%Y-%m-%d %H:%M"), f"{place} · {spot}" if spot else place,
            f"{household.head_name} · {household.code}"]


def stamp_upload(entry_uuid: str, photo: Photo, store: PhotoStore | None) -> bool:
    """Stamp an uploaded photo for its entry when the village wants it; whether it was stamped now."""
    if store is None or photo.stamped_sha256 is not None:
        return False
    lines = stamp_lines(entry_uuid, photo)
    if lines is None:
        return False
    try:
        stamped = stamp_photo(photo, lines, store)
    except (OSError, ValueError):  # the store failed us: the evidence itself is stored, only unstamped
        log.warning("photo %s: no stamped copy", photo.id, exc_info=True)
        return False
    db.session.flush()
    return stamped
