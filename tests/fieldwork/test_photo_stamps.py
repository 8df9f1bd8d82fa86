"""Evidence photos stamped (水印) with time, place and household on a copy; the original kept; the
village admin chooses; uploads stay idempotent."""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageChops
from sqlalchemy import select

from tests.data.photos import make_photos as pics
from tests.worlds.fieldwork import event
from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.photos.models import Photo
from webapp.photos.services.stamps import has_glyphs
from webapp.photos.services.storage import photo_store


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bearer(world) -> dict[str, str]:
    return {"Authorization": f"Bearer {world['token']}"}


def upload(client, world, data: bytes, **fields) -> str:
    """Sync an event listing the photo, then upload it; the entry's uuid."""
    item = event(world, photos=[sha(data)], **fields)
    response = client.post("/api/v1/sync/batch", json={"protocol": 1, "items": [item]}, headers=bearer(world))
    assert response.get_json()["results"][0]["missing_photos"] == [sha(data)]
    put = client.put(f"/api/v1/photos/{sha(data)}?entry={item['uuid']}", data=data, content_type="image/jpeg",
                     headers=bearer(world))
    assert put.status_code in (200, 201)
    return item["uuid"]


def the_photo() -> Photo:
    photo = db.session.scalar(select(Photo))
    db.session.refresh(photo)
    return photo


def band(data: bytes) -> Image.Image:
    """The lower left corner, where the stamp goes."""
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").crop((0, image.height * 2 // 3, image.width // 2, image.height))


def test_an_uploaded_photo_gets_a_stamped_copy_and_keeps_its_original(world, client, app):
    data = pics.gps_jpeg()
    upload(client, world, data)
    photo = the_photo()
    store = photo_store(app.config)
    original = store.get(photo.stored_sha256)

    assert photo.stamped_sha256 and photo.stamped_sha256 != photo.stored_sha256
    stamped = store.get(photo.stamped_sha256)
    assert sha(original) == photo.stored_sha256 and sha(stamped) == photo.stamped_sha256  # the original untouched
    assert ImageChops.difference(band(original), band(stamped)).getbbox() is not None
    assert store.exists(photo.stamped_sha256, "thumb")


def test_reviewers_see_the_stamped_copy(world, client, app, auth):
    upload(client, world, pics.gps_jpeg())
    photo = the_photo()
    auth.login("yfadmin")
    shown = client.get(f"/photos/{photo.id}")
    assert shown.status_code == 200 and sha(shown.get_data()) == photo.stamped_sha256


def test_the_stamp_writes_the_households_name_in_a_font_that_has_its_characters(world, client, app):
    """张三丰's photo and 王五's differ where the stamp is (same picture, same time and place), and the
    shipped font draws every character of both names (no tofu boxes)."""
    assert has_glyphs("张三丰 王五 油房村 · YF0001") and not has_glyphs("\U00020000")  # the check can fail
    store = photo_store(app.config)
    picture = pics.gps_jpeg()
    other = pics.gps_jpeg(orientation=1)  # other bytes, the same picture
    upload(client, world, picture)
    upload(client, world, other, household="YF0002")
    zhang, wang = (db.session.scalar(select(Photo).where(Photo.upload_sha256 == sha(d))) for d in (picture, other))
    assert ImageChops.difference(band(store.get(zhang.stamped_sha256)),
                                 band(store.get(wang.stamped_sha256))).getbbox() is not None


def test_a_repeated_upload_changes_nothing(world, client, app):
    data = pics.gps_jpeg()
    entry = upload(client, world, data)
    first = the_photo().stamped_sha256
    again = client.put(f"/api/v1/photos/{sha(data)}?entry={entry}", data=data, content_type="image/jpeg",
                       headers=bearer(world))
    assert again.status_code == 200 and the_photo().stamped_sha256 == first
    assert db.session.scalar(select(db.func.count()).select_from(Photo)) == 1


def test_a_village_that_does_not_stamp_gets_no_copy(world, client, app):
    world["yf"].stamp_photos = False
    db.session.commit()
    upload(client, world, pics.gps_jpeg())
    assert the_photo().stamped_sha256 is None


def test_the_village_admin_turns_stamping_off_and_on(world, client, auth):
    auth.login("yfadmin")
    url = f"/town/villages/{world['yf'].id}/photo-stamps"
    page = client.get(f"/town/villages/{world['yf'].id}").get_data(as_text=True)
    assert 'name="stamp" checked' in page  # on by default
    token = csrf_token(page)

    assert client.post(url, data={"csrf_token": token}).status_code == 302
    db.session.refresh(world["yf"])
    assert world["yf"].stamp_photos is False
    client.post(url, data={"csrf_token": token, "stamp": "on"})
    db.session.refresh(world["yf"])
    assert world["yf"].stamp_photos is True
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "village.photo_stamps")).all()
    assert len(actions) == 2


def test_a_grid_worker_may_not_change_the_stamp_setting(world, client, auth):
    auth.login("grid")
    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    response = client.post(f"/town/villages/{world['yf'].id}/photo-stamps", data={"csrf_token": token})
    db.session.refresh(world["yf"])
    assert response.status_code == 403 and world["yf"].stamp_photos is True
