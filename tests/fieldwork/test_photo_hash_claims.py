"""Naming a photo's SHA-256 in a synced entry proves nothing: the photo stays out of sight, and the
sync answer is the same whether the server has those bytes or not. Only uploading them fills the slot."""

from __future__ import annotations

import hashlib
import json
import uuid

from sqlalchemy import select

from tests.worlds.fieldwork import build_world, event
from tests.worlds.photos import attach, small_jpeg, stored_photo
from webapp.extensions import db
from webapp.photos.models import EntryPhoto


def sync(client, world: dict, item: dict) -> dict:
    answer = client.post("/api/v1/sync/batch", data=json.dumps({"protocol": 1, "items": [item]}),
                         headers={"Authorization": f"Bearer {world['token']}", "Content-Type": "application/json"})
    assert answer.status_code == 200
    [result] = answer.get_json()["results"]
    return result


def test_a_worker_naming_another_households_photo_hash_neither_sees_it_nor_learns_it_exists(make, client, auth):
    """grid (W1) lists the hash of a photo of YF0003 (W2) in an entry of YF0001: the answer equals the one for
    an unknown hash, nothing is linked, and the photo and its thumbnail answer 404 to grid."""
    world = build_world(make)
    theirs = make.entry(world["hh3"], world["v2"], "J1", world["v2"].effective_from)
    secret = small_jpeg((10, 200, 90))
    photo = stored_photo(secret)
    attach(photo, entry=theirs)
    db.session.commit()
    photo_id, claimed, unknown = photo.id, hashlib.sha256(secret).hexdigest(), "f" * 64

    answers = [sync(client, world, event(world, photos=[sha], occurred_at="2026-11-22T08:15:00+08:00"))
               for sha in (claimed, unknown)]
    assert [a["missing_photos"] for a in answers] == [[claimed], [unknown]]
    assert {key: value for key, value in answers[0].items() if key not in ("uuid", "missing_photos")} == \
        {key: value for key, value in answers[1].items() if key not in ("uuid", "missing_photos")}
    db.session.expire_all()
    assert db.session.scalars(select(EntryPhoto.photo_id).where(
        EntryPhoto.client_uuid == uuid.UUID(answers[0]["uuid"]))).all() == [None]

    auth.login("grid")
    assert client.get(f"/photos/{photo_id}").status_code == 404
    assert client.get(f"/photos/{photo_id}/thumb").status_code == 404


def test_uploading_the_bytes_of_a_photo_the_server_already_has_fills_the_slot_and_answers_201(make, client):
    """Possession is proven by the upload: the same bytes, already stored for another entry, link at once (201),
    and a repeated upload answers 200; the bytes are stored once."""
    world = build_world(make)
    data = small_jpeg((30, 30, 220))
    stored_photo(data)
    db.session.commit()
    sha = hashlib.sha256(data).hexdigest()
    item = event(world, photos=[sha])
    assert sync(client, world, item)["missing_photos"] == [sha]
    put = {"headers": {"Authorization": f"Bearer {world['token']}", "Content-Type": "image/jpeg"}, "data": data}
    assert client.put(f"/api/v1/photos/{sha}?entry={item['uuid']}", **put).status_code == 201
    assert client.put(f"/api/v1/photos/{sha}?entry={item['uuid']}", **put).status_code == 200
    assert sync(client, world, item)["missing_photos"] == []
