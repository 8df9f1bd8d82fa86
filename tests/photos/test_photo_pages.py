"""Serving photos: the JPEG or its thumbnail to those who may see it, 404 to everyone else — with the
photos on disk and in a bucket of the loopback S3 server alike (tests/worlds/object_store.py)."""

from __future__ import annotations

import io
from datetime import date

import pytest
import requests
from flask import current_app
from PIL import Image

from tests.worlds.pages import Auth
from tests.worlds.photos import attach, publication, stored_photo
from webapp.extensions import db
from webapp.photos.services.storage import photo_store
from webapp.publication.models import PublicationPhoto


@pytest.fixture
def world(make, object_store):
    """张三丰 (grid 1) has a J1 entry with a 640×480 photo; 李四 is in grid 2 (on disk, then in a bucket)."""
    from tests.data.photos.make_photos import gps_jpeg

    town = make.town()
    v = make.village(town, code="YF")
    grid, grid2 = make.grid(v), make.grid(v, "第二网格")
    version = make.scheme(v)
    zhang = make.household(v, "张三丰", code="YF0001", grid=grid)
    li = make.household(v, "李四", code="YF0002", grid=grid2)
    entry = make.entry(zhang, version, "J1", date(2026, 3, 12))
    photo = stored_photo(gps_jpeg())
    attach(photo, entry=entry)
    make.user("villager", username="home", household_id=zhang.id)
    make.user("villager", username="neighbour", household_id=li.id)
    make.user("scorer", username="grid1", grid_id=grid.id)
    make.user("scorer", username="grid2", grid_id=grid2.id)
    db.session.commit()
    return {"village": v, "photo": photo}


def test_the_household_gets_its_evidence_photo_and_thumbnail(world, auth, client):
    """Full photo and thumbnail are JPEGs, privately cacheable for a day."""
    auth.login("home")
    full = client.get(f"/photos/{world['photo'].id}")
    thumb = client.get(f"/photos/{world['photo'].id}/thumb")
    assert full.status_code == 200 and full.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(full.data)).size == (640, 480)
    assert max(Image.open(io.BytesIO(thumb.data)).size) == 320
    assert full.headers["Cache-Control"] == "private, max-age=86400"
    assert full.headers["ETag"] == f'"{world["photo"].stored_sha256}-full"'
    assert int(full.headers["Content-Length"]) == len(full.data) == world["photo"].bytes
    assert thumb.headers["Cache-Control"] == "private, max-age=86400"


def test_the_served_photo_carries_no_gps(world, auth, client):
    """What is served is the stripped copy, not what the phone sent."""
    auth.login("grid1")
    exif = Image.open(io.BytesIO(client.get(f"/photos/{world['photo'].id}").data)).getexif()
    assert 0x8825 not in exif


def test_a_scorer_of_another_grid_gets_404(world, auth, client):
    """Not their household: the photo does not exist for them."""
    auth.login("grid2")
    assert client.get(f"/photos/{world['photo'].id}").status_code == 404
    assert client.get(f"/photos/{world['photo'].id}/thumb").status_code == 404


def test_an_anonymous_visitor_gets_404_for_evidence(world, client):
    """Not logged in, a non-public photo is simply not found (no login redirect that would confirm it)."""
    assert client.get(f"/photos/{world['photo'].id}").status_code == 404
    assert client.get("/photos/999999").status_code == 404


def test_a_notice_board_photo_is_public(world, client):
    """Chosen for a publication in notice: served to anyone and publicly cacheable."""
    photo = stored_photo()
    db.session.add(PublicationPhoto(publication_id=publication(world["village"], "notice").id, photo_id=photo.id))
    db.session.commit()
    response = client.get(f"/photos/{photo.id}/thumb")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=86400"


def test_a_photo_is_revalidated_by_its_etag(world, auth, client):
    """The browser asks again with If-None-Match and gets 304 without the bytes."""
    auth.login("home")
    first = client.get(f"/photos/{world['photo'].id}")
    again = client.get(f"/photos/{world['photo'].id}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_a_villager_without_access_to_the_household_gets_404_for_its_photo(world, auth, client):
    """李四's account asks for 张三丰's evidence: not found, on disk and in the bucket alike."""
    auth.login("neighbour")
    assert client.get(f"/photos/{world['photo'].id}").status_code == 404
    assert client.get(f"/photos/{world['photo'].id}/thumb").status_code == 404


def test_a_photo_missing_from_the_store_is_404(world, auth, client):
    """The row is there but the bytes are gone (a lost file or object): not found, never a 500."""
    photo_store(current_app.config).delete(world["photo"].stored_sha256, "thumb")
    auth.login("home")
    assert client.get(f"/photos/{world['photo'].id}/thumb").status_code == 404
    assert client.get(f"/photos/{world['photo'].id}").status_code == 200


def test_presigned_links_are_opt_in_short_and_only_after_the_access_check(world, auth, client, object_store):
    """With JIFEN_S3_PRESIGNED=1 the household is redirected to a 60-second link that serves the JPEG;
    a neighbour still gets 404 and no link. On disk there is nothing to presign: the app streams."""
    current_app.config["S3_PRESIGNED"] = True
    try:
        neighbour = current_app.test_client()
        Auth(neighbour).login("neighbour")
        assert neighbour.get(f"/photos/{world['photo'].id}").status_code == 404
        auth.login("home")
        answer = client.get(f"/photos/{world['photo'].id}")
    finally:
        current_app.config["S3_PRESIGNED"] = False
    if object_store == "disk":
        assert answer.status_code == 200 and answer.mimetype == "image/jpeg"
        return
    link = answer.headers["Location"]
    assert answer.status_code == 302 and answer.headers["Cache-Control"] == "private, no-store"
    assert "X-Amz-Expires=60" in link
    fetched = requests.get(link, timeout=10)
    assert fetched.status_code == 200 and fetched.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(fetched.content)).size == (640, 480)
