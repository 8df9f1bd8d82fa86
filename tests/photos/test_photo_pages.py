"""Serving photos: the JPEG or its thumbnail to those who may see it, 404 to everyone else."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from tests.worlds.photos import attach, publication, stored_photo
from webapp.extensions import db
from webapp.publication.models import PublicationPhoto


@pytest.fixture
def world(make):
    """张三丰 (grid 1) has a J1 entry with a 640×480 photo; 李四 is in grid 2."""
    from tests.data.photos.make_photos import gps_jpeg

    town = make.town()
    v = make.village(town, code="YF")
    grid, grid2 = make.grid(v), make.grid(v, "第二网格")
    version = make.scheme(v)
    zhang = make.household(v, "张三丰", code="YF0001", grid=grid)
    make.household(v, "李四", code="YF0002", grid=grid2)
    entry = make.entry(zhang, version, "J1", date(2026, 3, 12))
    photo = stored_photo(gps_jpeg())
    attach(photo, entry=entry)
    make.user("villager", username="home", household_id=zhang.id)
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
