"""Photos as the tests need them: a small JPEG, a processed photo in the app's store, linked to an
entry or inspection as the sync links it; a publication a photo can be shown on."""

from __future__ import annotations

import hashlib
import io
import itertools

from flask import current_app
from PIL import Image

from webapp.extensions import db
from webapp.photos.models import EntryPhoto, Photo
from webapp.photos.services.processing import process_image
from webapp.photos.services.storage import photo_store
from webapp.publication.models import Publication

_SHADES = itertools.count(1)


def small_jpeg(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A little JPEG, different for each colour."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return out.getvalue()


def stored_photo(data: bytes | None = None, uploaded_by_id: int | None = None) -> Photo:
    """A processed photo in the app's store and its row, as an upload leaves them."""
    if data is None:  # bytes of its own for each photo (a JPEG comment): two equal uploads would be one photo
        out = io.BytesIO()
        Image.new("RGB", (40, 30), (120, 80, 120)).save(out, "JPEG", comment=f"photo {next(_SHADES)}".encode())
        data = out.getvalue()
    done = process_image(data)
    store = photo_store(current_app.config)
    store.put(done.sha256, "full", done.data)
    store.put(done.sha256, "thumb", done.thumb)
    photo = Photo(upload_sha256=hashlib.sha256(data).hexdigest(), stored_sha256=done.sha256, width=done.width,
                  height=done.height, bytes=len(done.data), uploaded_by_id=uploaded_by_id)
    db.session.add(photo)
    db.session.flush()
    return photo


def attach(photo: Photo, entry=None, inspection=None, item_code: str = "") -> None:
    """Link a photo to an entry or an inspection (item) as the sync leaves it."""
    owner = entry or inspection
    db.session.add(EntryPhoto(client_uuid=owner.client_uuid, entry_id=entry.id if entry else None,
                              inspection_id=inspection.id if inspection else None, item_code=item_code,
                              upload_sha256=photo.upload_sha256, photo_id=photo.id))
    db.session.flush()


def publication(village, status: str = "notice", period: str = "2026-03") -> Publication:
    pub = Publication(village_id=village.id, period=period, kind="month", status=status, frozen={})
    db.session.add(pub)
    db.session.flush()
    return pub
