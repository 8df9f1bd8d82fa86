"""Photo processing and upload: safe decoding, no metadata but the capture time, idempotent storage."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image
from sqlalchemy import func, select

from tests.data.photos import make_photos as pics
from tests.worlds.fieldwork import NOW, build_world, event, inspection
from tests.worlds.object_store import stored_keys
from webapp.extensions import db
from webapp.fieldwork.services.ingest import ingest_batch
from webapp.fieldwork.services.photo_upload import upload_photo
from webapp.photos.models import EntryPhoto, Photo
from webapp.photos.services.processing import PhotoRefused, process_image
from webapp.photos.services.storage import photo_key, photo_store


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_gps_tagged_jpeg_comes_out_without_gps_and_keeps_its_capture_time():
    """The stored JPEG has no GPS, make or model; the capture time stays (in UTC) and in the row."""
    original = Image.open(io.BytesIO(pics.gps_jpeg())).getexif()
    assert original.get_ifd(pics.GPS_IFD)  # the input really is tagged
    done = process_image(pics.gps_jpeg())
    exif = Image.open(io.BytesIO(done.data)).getexif()
    assert pics.GPS_IFD not in exif and not exif.get_ifd(pics.GPS_IFD)
    assert 0x010F not in exif and 0x0110 not in exif
    assert exif.get_ifd(pics.EXIF_IFD)[pics.DATETIME_ORIGINAL] == "2026:11:22 00:15:00"
    assert done.taken_at == datetime(2026, 11, 22, 0, 15)  # 08:15 in the village
    assert (done.width, done.height) == (640, 480) and done.sha256 == sha(done.data)
    thumb = Image.open(io.BytesIO(done.thumb))
    assert thumb.format == "JPEG" and max(thumb.size) == 320 and not thumb.getexif()


def test_a_rotated_photo_is_turned_upright():
    """EXIF orientation is applied to the pixels (the tag itself is not kept)."""
    done = process_image(pics.gps_jpeg(orientation=6))
    assert (done.width, done.height) == (480, 640)
    assert 0x0112 not in Image.open(io.BytesIO(done.data)).getexif()


@pytest.mark.parametrize("mode", ["RGBA", "P", "L", "RGB"])
def test_a_png_is_judged_by_its_content_and_stored_as_jpeg(mode):
    """PNG bytes (whatever the name or content type said) are a proper image, stored as JPEG."""
    done = process_image(pics.png_bytes(mode))
    assert Image.open(io.BytesIO(done.data)).format == "JPEG" and (done.width, done.height) == (300, 200)


def test_webp_is_accepted():
    """The phone may send WebP."""
    out = io.BytesIO()
    Image.new("RGB", (100, 80), "green").save(out, "WEBP")
    assert process_image(out.getvalue()).width == 100


@pytest.mark.parametrize(("build", "code"), [
    (pics.truncated_jpeg, "not_an_image"),
    (pics.text_as_jpeg, "not_an_image"),
    (lambda: b"", "not_an_image"),
    (lambda: b"GIF89a" + b"\0" * 50, "not_an_image"),
    (pics.bomb_png, "too_many_pixels"),
    (lambda: pics.bomb_png(9000, 5000), "too_many_pixels"),  # 45 MP: Pillow would only warn
])
def test_broken_or_hostile_files_are_refused_with_422(build, code):
    """Truncated, not an image, or a decompression bomb: a clear refusal, never a crash."""
    with pytest.raises(PhotoRefused) as caught:
        process_image(build())
    assert (caught.value.status, caught.value.code) == (422, code)


def test_a_big_camera_photo_is_scaled_while_decoding():
    """A 12 MP JPEG is stored at half size (2000×1500): draft() decodes it scaled."""
    done = process_image(pics.noise_jpeg())
    assert (done.width, done.height) == (2000, 1500)


def test_the_store_is_content_addressed_on_disk_and_in_a_bucket(app, object_store):
    """photos/aa/bb/<sha>.jpg and its thumbnail; writing twice is harmless; absent is FileNotFoundError."""
    store = photo_store(app.config)
    key = "ab" + "c" * 62
    assert not store.exists(key)
    store.put(key, "full", b"x")
    store.put(key, "full", b"x")
    store.put(key, "thumb", b"t")
    assert stored_keys(app.config) == [f"photos/ab/cc/{key}.jpg", f"photos/ab/cc/{key}.thumb.jpg"]
    assert store.get(key) == b"x" and store.exists(key, "thumb") and photo_key(key) == f"photos/ab/cc/{key}.jpg"
    assert b"".join(store.open(key, "thumb").chunks) == b"t"
    store.delete(key, "thumb")
    store.delete(key, "thumb")
    assert not store.exists(key, "thumb")
    with pytest.raises(FileNotFoundError):
        store.get(key, "thumb")
    with pytest.raises(ValueError):
        photo_key("../etc/passwd")


def test_the_store_check_proves_it_can_write_and_read(app, object_store):
    """check() writes, reads back and deletes a probe: None when fine, and it leaves nothing behind."""
    assert photo_store(app.config).check() is None
    assert stored_keys(app.config) == []


@pytest.mark.parametrize(("config", "reason"), [
    ({"STORAGE": "s3"}, "JIFEN_S3_BUCKET"),
    ({"STORAGE": "ftp"}, "JIFEN_STORAGE"),
    ({"STORAGE": "s3", "S3_BUCKET": "jifen", "S3_ADDRESSING_STYLE": "sideways"}, "JIFEN_S3_ADDRESSING_STYLE"),
])
def test_settings_that_cannot_work_are_named_by_check(tmp_path, config, reason):
    """A missing bucket or an unknown backend: check() says which setting, and any use fails with it."""
    store = photo_store({"DATA_DIR": str(tmp_path), **config})
    assert reason in store.check()
    with pytest.raises(RuntimeError, match=reason):
        store.get("ab" + "c" * 62)


def test_a_bucket_that_is_not_there_fails_the_check(app, object_store):
    """The S3 server answers but the bucket is gone (or a folder cannot be written): a short reason."""
    if object_store == "s3":
        config = {**app.config, "S3_BUCKET": "jifen-no-such-bucket"}
    else:
        not_a_folder = Path(app.config["DATA_DIR"]) / "not-a-folder"
        not_a_folder.write_bytes(b"")
        config = {**app.config, "DATA_DIR": str(not_a_folder)}
    assert photo_store(config).check()


@pytest.fixture
def synced(make, object_store):
    """The world, with an event listing the GPS photo and an inspection listing a PNG for B3."""
    world = build_world(make)
    photo, png = pics.gps_jpeg(), pics.png_bytes()
    items = [event(world, photos=[sha(photo)]), inspection(world, item_photos={"B3": [sha(png)]})]
    ingest_batch(world["scorer"], world["device"], {"protocol": 1, "items": items}, now=NOW)
    db.session.commit()
    return dict(world, photo=photo, png=png, items=items, store=photo_store(current_app.config))


def photos_stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Photo))


def test_an_upload_is_stored_once_and_linked_to_its_slot(synced):
    """The first upload stores the file, its thumbnail and the row; the second answers 'already stored'."""
    s = synced
    photo, created = upload_photo(s["scorer"], sha(s["photo"]), s["items"][0]["uuid"], s["photo"], s["store"])
    assert created and photo.upload_sha256 == sha(s["photo"]) and photo.taken_at == datetime(2026, 11, 22, 0, 15)
    assert stored_keys(current_app.config) == sorted([photo_key(photo.stored_sha256),  # and the stamped copy (水印)
                                                      photo_key(photo.stored_sha256, "thumb"),
                                                      photo_key(photo.stamped_sha256), photo_key(photo.stamped_sha256, "thumb")])
    assert sha(s["store"].get(photo.stored_sha256)) == photo.stored_sha256
    again, created = upload_photo(s["scorer"], sha(s["photo"]), s["items"][0]["uuid"], s["photo"], s["store"])
    assert not created and again.id == photo.id and photos_stored() == 1
    slot = db.session.scalar(select(EntryPhoto).where(EntryPhoto.upload_sha256 == sha(s["photo"])))
    assert slot.photo_id == photo.id


def test_an_inspection_items_photo_is_linked_to_its_item(synced):
    """A photo listed under an inspection item is accepted for that inspection."""
    s = synced
    _photo, created = upload_photo(s["scorer"], sha(s["png"]), s["items"][1]["uuid"], s["png"], s["store"])
    slot = db.session.scalar(select(EntryPhoto).where(EntryPhoto.upload_sha256 == sha(s["png"])))
    assert created and slot.item_code == "B3" and slot.photo_id is not None


@pytest.mark.parametrize(("case", "status", "code"), [
    ("other_user", 404, "entry_not_found"),
    ("unknown_entry", 404, "entry_not_found"),
    ("not_listed", 409, "not_listed"),
    ("hash_mismatch", 400, "hash_mismatch"),
    ("oversized", 413, "too_large"),
    ("truncated", 422, "not_an_image"),
])
def test_refused_uploads_store_nothing(synced, make, case, status, code):
    """Every refusal leaves no file and no row behind."""
    s = synced
    user, body, key, entry = s["scorer"], s["photo"], sha(s["photo"]), s["items"][0]["uuid"]
    if case == "other_user":
        user = make.user("scorer", grid_id=s["w1"].id)
    elif case == "unknown_entry":
        entry = "0b7d0e5c-0000-4000-8000-000000000000"
    elif case == "not_listed":
        body = pics.png_bytes("RGB")
        key = sha(body)
    elif case == "hash_mismatch":
        key = sha(b"something else")
    elif case == "oversized":
        body = body + b"\0" * (8 * 1024 * 1024)
    elif case == "truncated":
        body = pics.truncated_jpeg()
        key = sha(body)
        db.session.add(EntryPhoto(client_uuid=uuid.UUID(entry), upload_sha256=key))
        db.session.flush()
    with pytest.raises(PhotoRefused) as caught:
        upload_photo(user, key, entry, body, s["store"])
    assert (caught.value.status, caught.value.code) == (status, code)
    assert photos_stored() == 0 and stored_keys(current_app.config) == []
