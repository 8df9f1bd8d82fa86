"""The sync API the phone's outbox talks to (docs/sync-protocol.md).

Exempt from CSRF: sync authenticates with a per-device bearer token (a phone offline cannot
fetch a CSRF token). Only issuing a token uses the session, and checks CSRF explicitly.
Refusals answer in the protocol's own JSON (status and code); being 4xx, the request's commit
point (web/transaction.py) rolls them back.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

import sync
from sync.openapi import openapi_document
from sync.schemas import loads_bounded
from webapp.core.refusal import Refusal
from webapp.extensions import csrf
from webapp.fieldwork.models import Device
from webapp.fieldwork.services import devices as device_service
from webapp.fieldwork.services.bootstrap import bootstrap
from webapp.fieldwork.services.ingest import BatchRefused, ingest_batch
from webapp.fieldwork.services.photo_upload import upload_photo
from webapp.people.models.user import User
from webapp.photos.services.processing import PhotoRefused, too_large
from webapp.photos.services.storage import photo_store
from webapp.web.compression import prefer_small

bp = Blueprint("sync_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _error(status: int, message: str, code: str = ""):  # type: ignore[no-untyped-def]
    body: dict[str, Any] = {"error": message, "status": status}
    if code:
        body["code"] = code
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def bearer_device() -> Device | None:
    """The live device named by the Authorization: Bearer header (marked as seen), or None."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    # Marked as seen: written with the request's first write (on SQLite that write begins the
    # transaction that holds the lock: webapp/db.py), so a photo is decoded before it.
    return device_service.device_for_token(token.strip())


def _revoked():  # type: ignore[no-untyped-def]
    return _error(401, _("This phone is no longer allowed to sync. Please log in again; "
                         "your unsent forms are kept."), "device_revoked")


def _json_body() -> Any:
    """The body's JSON, or None (→ 400) when it is not JSON or nests too deep to read safely."""
    return loads_bounded(request.get_data(cache=True))


@bp.post("/devices")
def register_device():
    if not current_user.is_authenticated:
        return _error(401, _("Please log in to see this page."), "login_required")
    csrf.protect()
    body = _json_body()
    name = body.get("name", "") if isinstance(body, dict) else ""
    try:
        device, token = device_service.register_device(current_user, str(name or request.user_agent.string or ""))
    except Refusal as error:
        return _error(403, error.translated(), "not_a_scorer")
    response = jsonify(device_id=str(device.public_id), token=token)
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/scoring/bootstrap")
def scoring_bootstrap():
    user: User | None = None
    if request.headers.get("Authorization"):
        device = bearer_device()
        if device is None:
            return _revoked()
        user = device.user
    elif current_user.is_authenticated:
        user = current_user
    else:
        return _error(401, _("Please log in to see this page."), "login_required")
    body = bootstrap(user)  # the device's last_seen_at is committed with the answer
    prefer_small()  # the phone's largest answer, over a village's mobile network
    # Names as UTF-8 rather than \uXXXX escapes: 3 bytes a character instead of 6, ~10 % fewer compressed.
    response = current_app.response_class(json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
                                          mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/sync/batch")
def sync_batch():
    device = bearer_device()
    if device is None:
        return _revoked()
    payload = _json_body()
    try:
        body = ingest_batch(device.user, device, payload)
    except BatchRefused as error:
        return _error(error.status, error.translated(), "too_many_items" if error.status == 413 else "bad_batch")
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.put("/photos/<sha256>")
def put_photo(sha256: str):
    device = bearer_device()
    if device is None:
        return _revoked()
    if (request.content_length or 0) > sync.MAX_PHOTO_BYTES:  # before reading a byte of it
        refusal = too_large()
        return _error(413, refusal.translated(), refusal.code)
    body = request.stream.read(sync.MAX_PHOTO_BYTES + 1)
    try:
        _photo, filled = upload_photo(device.user, sha256, request.args.get("entry", ""), body, photo_store(current_app.config))
    except PhotoRefused as error:
        return _error(error.status, error.translated(), error.code)
    response = jsonify(sha256=sha256)
    response.status_code = 201 if filled else 200  # 200: this entry had it already (a repeat)
    return response


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
