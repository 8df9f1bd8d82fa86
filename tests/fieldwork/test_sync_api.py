"""The sync API over HTTP, as the phone uses it: device token, bootstrap, batches, photos, OpenAPI."""

from __future__ import annotations

import hashlib
import io
import json
import uuid

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.data.photos import make_photos as pics
from tests.worlds.fieldwork import event, inspection
from tests.worlds.object_store import stored_keys
from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.fieldwork.models import Device, SyncReceipt
from webapp.fieldwork.services.devices import token_digest
from webapp.people.models.audit import AuditEvent
from webapp.photos.models import EntryPhoto, Photo
from webapp.photos.services.storage import photo_store
from webapp.points.models.entry import Entry, Inspection

BATCH = "/api/v1/sync/batch"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post_batch(client, world, *items, token=None):
    return client.post(BATCH, json={"protocol": 1, "items": list(items)}, headers=bearer(token or world["token"]))


def count(model, *where) -> int:
    query = select(func.count()).select_from(model)
    return db.session.scalar(query.where(*where) if where else query)


def written() -> tuple[int, ...]:
    return tuple(count(m) for m in (Entry, Inspection, SyncReceipt, EntryPhoto, Photo))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put_photo(client, world, data: bytes, entry: str, key: str | None = None, content_type="image/jpeg"):
    return client.put(f"/api/v1/photos/{key or sha(data)}?entry={entry}", data=data, content_type=content_type,
                      headers=bearer(world["token"]))


# --- devices ------------------------------------------------------------------------------------

def test_a_logged_in_scorer_gets_a_device_token_that_is_stored_only_hashed(world, auth, client):
    """POST /api/v1/devices with the session and the CSRF header answers 201 with a token shown once."""
    auth.login("grid")
    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    response = client.post("/api/v1/devices", json={"name": "Redmi Note"}, headers={"X-CSRFToken": token})
    assert response.status_code == 201
    body = response.get_json()
    device = db.session.scalar(select(Device).where(Device.public_id == uuid.UUID(body["device_id"])))
    assert device.name == "Redmi Note" and device.token_sha256 == token_digest(body["token"])
    assert body["token"] not in json.dumps([device.token_sha256, device.name])
    assert count(AuditEvent, AuditEvent.action == "device.issue") == 2  # the world's phone and this one
    assert post_batch(client, world, event(world), token=body["token"]).status_code == 200


def test_issuing_a_device_token_needs_the_csrf_header_and_a_login(world, auth, client):
    """Without the CSRF header → 400; without a session → 401; nothing is issued."""
    assert client.post("/api/v1/devices", json={"name": "x"}).status_code == 401
    auth.login("grid")
    assert client.post("/api/v1/devices", json={"name": "x"}).status_code == 400
    assert count(Device) == 1


def test_a_user_who_does_not_score_gets_no_device(world, make, auth, client):
    """A villager cannot register a scoring phone."""
    make.user("villager", username="home", household_id=world["hh1"].id)
    db.session.commit()
    auth.login("home")
    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    response = client.post("/api/v1/devices", json={}, headers={"X-CSRFToken": token})
    assert response.status_code == 403 and count(Device) == 1


# --- bootstrap ----------------------------------------------------------------------------------

def test_the_bootstrap_holds_the_rules_and_only_the_workers_households(world, client):
    """Rules in force, current periods and the households of the worker's own grids (with members)."""
    response = client.get("/api/v1/scoring/bootstrap", headers=bearer(world["token"]))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    body = response.get_json()
    assert body["protocol"] == 1 and len(body["version"]) == 64
    assert [h["code"] for h in body["households"]] == ["YF0001", "YF0002"]
    assert [m["name"] for m in body["households"][0]["members"]] == ["张三丰", "李四"]
    [village] = body["villages"]
    assert village["code"] == "YF" and village["scheme"]["version_id"] == world["v2"].id
    codes = [i["code"] for c in village["scheme"]["categories"] for i in c["items"]]
    assert "J4" not in codes and "B1" in codes
    b1 = next(i for c in village["scheme"]["categories"] for i in c["items"] if i["code"] == "B1")
    assert b1["points"] == "6" and b1["default_met"] is True and b1["kind"] == "base"
    assert db.session.get(Device, world["device"].id).last_seen_at is not None


def test_the_bootstrap_version_changes_when_the_roster_changes(world, make, client):
    """A new household in the grid gives a new version."""
    before = client.get("/api/v1/scoring/bootstrap", headers=bearer(world["token"])).get_json()["version"]
    same = client.get("/api/v1/scoring/bootstrap", headers=bearer(world["token"])).get_json()["version"]
    make.household(world["yf"], head="孙八", code="YF0009", grid=world["w1"])
    after = client.get("/api/v1/scoring/bootstrap", headers=bearer(world["token"])).get_json()["version"]
    assert before == same != after


def test_the_bootstrap_also_works_with_the_session(world, auth, client):
    """A logged-in scorer may fetch it without a token (before registering the phone)."""
    assert client.get("/api/v1/scoring/bootstrap").status_code == 401
    auth.login("grid")
    assert len(client.get("/api/v1/scoring/bootstrap").get_json()["households"]) == 2


# --- batches ------------------------------------------------------------------------------------

def test_a_replayed_batch_changes_nothing_and_answers_duplicate(world, client):
    """The phone resends a batch (lost answer): same results as duplicates, nothing new stored."""
    items = [event(world), inspection(world)]
    first = post_batch(client, world, *items)
    assert first.status_code == 200 and [r["status"] for r in first.get_json()["results"]] == ["accepted"] * 2
    before = written()
    again = post_batch(client, world, *items).get_json()
    assert again["protocol"] == 1 and [r["status"] for r in again["results"]] == ["duplicate"] * 2
    assert written() == before


def test_a_changed_payload_under_a_known_uuid_is_a_conflict(world, client):
    """Same uuid, other content → conflict with a reason in Chinese; nothing changes."""
    item = event(world)
    post_batch(client, world, item)
    [result] = post_batch(client, world, dict(item, note="改了")).get_json()["results"]
    assert result["status"] == "conflict" and result["code"] == "conflict" and result["reason"]
    assert db.session.scalar(select(Entry.note)) == ""


def test_a_duplicate_uuid_inside_one_batch(world, client):
    """The second occurrence of a uuid in one batch is a duplicate of the first."""
    item = event(world)
    results = post_batch(client, world, item, item).get_json()["results"]
    assert [r["status"] for r in results] == ["accepted", "duplicate"] and count(Entry) == 1


def test_a_household_outside_the_workers_grid_is_rejected(world, client):
    """Rejected with outside_grid and a reason; nothing written."""
    [result] = post_batch(client, world, event(world, household="YF0003")).get_json()["results"]
    assert (result["status"], result["code"]) == ("rejected", "outside_grid") and result["reason"]
    assert written() == (0, 0, 0, 0, 0)


def test_an_unknown_item_is_rejected(world, client):
    """Rejected with unknown_item."""
    [result] = post_batch(client, world, event(world, item="NOPE")).get_json()["results"]
    assert (result["status"], result["code"]) == ("rejected", "unknown_item")


def test_reasons_are_in_english_for_an_english_phone(world, client):
    """The reason follows the language cookie, like every page."""
    client.set_cookie("lang", "en")
    [result] = post_batch(client, world, event(world, household="YF0003")).get_json()["results"]
    assert result["reason"] == "This household is not in your grids. Ask the village administrator to check your grids."


def test_malformed_json_is_400_and_nothing_is_written(world, client):
    """A body that is not JSON, or not a batch, is refused whole."""
    for body in (b"{not json", b"[1, 2]", json.dumps({"items": [event(world)]}).encode()):
        response = client.post(BATCH, data=body, content_type="application/json", headers=bearer(world["token"]))
        assert response.status_code == 400 and response.get_json()["error"]
    assert written() == (0, 0, 0, 0, 0)


def test_more_than_50_items_is_413_and_nothing_is_written(world, client):
    """51 items are refused whole."""
    response = post_batch(client, world, *[event(world) for _ in range(51)])
    assert response.status_code == 413 and response.get_json()["code"] == "too_many_items"
    assert written() == (0, 0, 0, 0, 0)


def test_a_revoked_device_token_is_401_and_nothing_is_written(world, client):
    """Revoked or unknown tokens get 401 device_revoked; the batch is not applied."""
    device = db.session.get(Device, world["device"].id)
    device.revoked_at = device.created_at
    db.session.commit()
    for headers in (bearer(world["token"]), bearer("made-up"), {}):
        response = client.post(BATCH, json={"protocol": 1, "items": [event(world)]}, headers=headers)
        assert response.status_code == 401 and response.get_json()["code"] == "device_revoked"
    assert client.get("/api/v1/scoring/bootstrap", headers=bearer(world["token"])).status_code == 401
    assert written() == (0, 0, 0, 0, 0) and count(AuditEvent, AuditEvent.action == "sync.batch") == 0


def test_sync_needs_no_csrf_token(world, client):
    """The phone offline has no CSRF token; the bearer token is enough."""
    assert post_batch(client, world, event(world)).status_code == 200


# --- photos -------------------------------------------------------------------------------------

def synced_event(client, world, data: bytes) -> str:
    item = event(world, photos=[sha(data)])
    [result] = post_batch(client, world, item).get_json()["results"]
    assert result["missing_photos"] == [sha(data)]
    return item["uuid"]


def stored_files(app) -> list[str]:
    return stored_keys(app.config, "photos/")


@pytest.fixture
def clean_photos(app, object_store):
    """No photos stored yet: an emptied data folder, then a fresh bucket on the loopback S3 server."""
    return app


def test_a_gps_tagged_jpeg_is_stored_without_gps_and_keeps_its_capture_time(world, client, clean_photos):
    """201 the first time, 200 the second; the stored file has no GPS; the entry no longer misses it."""
    data = pics.gps_jpeg()
    entry = synced_event(client, world, data)
    first = put_photo(client, world, data, entry)
    assert first.status_code == 201 and first.get_json() == {"sha256": sha(data)}
    assert put_photo(client, world, data, entry).status_code == 200
    photo = db.session.scalar(select(Photo))
    store = photo_store(clean_photos.config)
    with Image.open(io.BytesIO(store.get(photo.stored_sha256))) as image:
        exif = image.getexif()
    assert "GPSInfo" not in {Image.ExifTags.TAGS.get(k) for k in exif} and not exif.get_ifd(pics.GPS_IFD)
    assert photo.taken_at is not None and store.exists(photo.stored_sha256, "thumb")
    [again] = post_batch(client, world, event(world, uuid=entry, photos=[sha(data)])).get_json()["results"]
    assert again["status"] == "duplicate" and again["missing_photos"] == []


def test_a_png_renamed_jpg_is_stored_as_a_proper_image(world, client, clean_photos):
    """PNG bytes sent as image/jpeg are judged by content: stored (re-encoded as JPEG)."""
    data = pics.png_bytes()
    entry = synced_event(client, world, data)
    assert put_photo(client, world, data, entry, content_type="image/jpeg").status_code == 201
    assert db.session.scalar(select(Photo.width)) == 300


@pytest.mark.parametrize(("build", "status", "code"), [
    (pics.text_as_jpeg, 422, "not_an_image"),
    (pics.truncated_jpeg, 422, "not_an_image"),
    (pics.bomb_png, 422, "too_many_pixels"),
    (lambda: pics.gps_jpeg() + b"\0" * (8 * 1024 * 1024), 413, "too_large"),
])
def test_a_bad_photo_is_refused_with_a_reason_and_nothing_is_stored(world, client, clean_photos, build, status, code):
    """Text renamed .jpg, truncated JPEG, decompression bomb → 422; over 8 MB → 413; no file, no row."""
    data = build()
    entry = synced_event(client, world, data)
    response = put_photo(client, world, data, entry)
    assert response.status_code == status
    assert response.get_json()["code"] == code and response.get_json()["error"]
    assert count(Photo) == 0 and stored_files(clean_photos) == []


def test_a_photo_for_an_entry_that_is_not_the_users_is_404_and_unlisted_is_409(world, make, client, clean_photos):
    """Only the device user's own entry, and only a photo it listed."""
    data = pics.gps_jpeg()
    entry = synced_event(client, world, data)
    assert put_photo(client, world, data, str(uuid.uuid4())).status_code == 404
    other = pics.png_bytes("RGB")
    assert put_photo(client, world, other, entry).status_code == 409
    assert put_photo(client, world, data, entry, key="0" * 64).status_code == 400
    assert count(Photo) == 0


def test_the_openapi_document_describes_the_five_endpoints(client):
    """GET /api/v1/openapi.json is OpenAPI 3 with the sync endpoints and their schemas."""
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) >= {"/api/v1/devices", "/api/v1/scoring/bootstrap", "/api/v1/sync/batch",
                                 "/api/v1/photos/{sha256}", "/api/v1/openapi.json"}
    assert {"EventItem", "InspectionItem", "BatchResponse", "Bootstrap"} <= set(doc["components"]["schemas"])
    assert doc["paths"]["/api/v1/sync/batch"]["post"]["responses"]["413"]
