"""Evidence and notice-board photos, as JPEG (the full photo or its thumbnail).

Who may see which photo is decided in services/access.py; anyone else gets 404 — on disk and in a
bucket alike, since the check runs before the store is touched. The bytes are streamed through the
app; with JIFEN_S3_PRESIGNED=1 the answer is instead a redirect to a 60-second link (docs/storage.md).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request
from flask_login import current_user

from webapp.photos.services.access import visible_photo
from webapp.photos.services.storage import photo_store

bp = Blueprint("photos", __name__, url_prefix="/photos")

MAX_AGE = 86400  # a stored photo never changes (it is addressed by its hash)


def _serve(photo_id: int, variant: str):  # type: ignore[no-untyped-def]
    user = current_user if current_user.is_authenticated else None
    seen = visible_photo(user, photo_id)  # not theirs to see: NotFound, 404
    sha = seen.photo.shown_sha256  # the stamped copy when there is one
    etag = f"{sha}-{variant}"
    # Evidence is personal: only the browser that asked may keep it. Notice-board photos are public.
    cache = f"{'public' if seen.public else 'private'}, max-age={MAX_AGE}"
    store = photo_store(current_app.config)
    if request.if_none_match.contains(etag):  # the browser has it: no need to fetch it from the store
        response = current_app.response_class(status=304)
    elif link := store.presigned_url(sha, variant):
        response = redirect(link, 302)
        cache = "private, no-store"  # the link expires within a minute; never keep the redirect
    else:
        try:
            blob = store.open(sha, variant)
        except FileNotFoundError:
            abort(404)
        response = current_app.response_class(blob.chunks, mimetype="image/jpeg", direct_passthrough=True)
        response.content_length = blob.size
    response.headers["Cache-Control"] = cache
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(etag)
    return response


@bp.get("/<int:photo_id>")
def full(photo_id: int):
    return _serve(photo_id, "full")


@bp.get("/<int:photo_id>/thumb")
def thumb(photo_id: int):
    return _serve(photo_id, "thumb")
