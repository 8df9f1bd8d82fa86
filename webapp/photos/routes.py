"""Evidence and notice-board photos, as JPEG (the full photo or its thumbnail).

Who may see which photo is decided in services/photo_access.py; anyone else gets 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from flask_login import current_user

from webapp.photos.services.access import visible_photo
from webapp.photos.services.storage import photo_store

bp = Blueprint("photos", __name__, url_prefix="/photos")

MAX_AGE = 86400  # a stored photo never changes (it is addressed by its hash)


def _serve(photo_id: int, variant: str):  # type: ignore[no-untyped-def]
    user = current_user if current_user.is_authenticated else None
    seen = visible_photo(user, photo_id)  # not theirs to see: NotFound, 404
    try:
        data = photo_store(current_app.config).get(seen.photo.stored_sha256, variant)
    except FileNotFoundError:
        abort(404)
    response = current_app.response_class(data, mimetype="image/jpeg")
    # Evidence is personal: only the browser that asked may keep it. Notice-board photos are public.
    response.headers["Cache-Control"] = f"{'public' if seen.public else 'private'}, max-age={MAX_AGE}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(f"{seen.photo.stored_sha256}-{variant}")
    return response.make_conditional(request)


@bp.get("/<int:photo_id>")
def full(photo_id: int):
    return _serve(photo_id, "full")


@bp.get("/<int:photo_id>/thumb")
def thumb(photo_id: int):
    return _serve(photo_id, "thumb")
