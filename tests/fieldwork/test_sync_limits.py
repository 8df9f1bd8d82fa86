"""The sync batch endpoint is bounded: photos per item, nesting of the JSON; and any body at all
gets a 2xx or a 4xx, never a 500, with nothing written when it is refused."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from tests.worlds.fieldwork import event, inspection
from webapp.extensions import db
from webapp.fieldwork.models import SyncReceipt
from webapp.photos.models import EntryPhoto
from webapp.points.models.entry import Entry, Inspection

BATCH = "/api/v1/sync/batch"


def written() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Entry, Inspection, SyncReceipt,
                                                                                   EntryPhoto))


def post(client, world, body: bytes):
    return client.post(BATCH, data=body, content_type="application/json",
                       headers={"Authorization": f"Bearer {world['token']}"})


def fake_sha(n: int) -> str:
    return f"{n:064x}"


def test_an_inspection_with_20_000_item_photos_is_rejected_and_writes_no_photo_row(world, client):
    """The probe's 20,000 photos under item_photos: the item is rejected (invalid), no EntryPhoto is written."""
    item = inspection(world, item_photos={"B1": [fake_sha(n) for n in range(20_000)]})
    started = time.perf_counter()
    response = post(client, world, json.dumps({"protocol": 1, "items": [item]}).encode())
    assert response.status_code == 200 and time.perf_counter() - started < 2
    result = response.get_json()["results"][0]
    assert result["status"] == "rejected" and result["code"] == "invalid"
    assert written() == (0, 0, 0, 0)


@pytest.mark.parametrize(("item_photos", "accepted"), [
    ({"B1": [fake_sha(n) for n in range(20)], "B3": [fake_sha(100 + n) for n in range(20)]}, True),
    ({code: [fake_sha(n)] for n, code in enumerate(["B1", "B3", *(f"X{n}" for n in range(49))])}, False),
    ({"B1": [fake_sha(n) for n in range(21)]}, False),
])
def test_item_photos_are_held_to_20_an_item_and_50_in_all(world, client, item_photos, accepted):
    """20 photos on each of two items are fine; 21 on one, or 51 in all, reject the item."""
    item = inspection(world, item_photos=item_photos)
    result = post(client, world, json.dumps({"protocol": 1, "items": [item]}).encode()).get_json()["results"][0]
    assert (result["status"] == "accepted") is accepted, result


@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
def test_json_nested_deeper_than_32_levels_is_a_400_not_a_500(world, client, depth):
    """Deep nesting (in the body or inside one item) answers 400, and nothing is written."""
    nested = "[" * depth + "]" * depth
    for body in (nested, '{"protocol": 1, "items": [{"type": "event", "extra": ' + nested + "}]}"):
        response = post(client, world, body.encode())
        assert response.status_code == 400 and response.get_json()["code"] == "bad_batch"
    assert written() == (0, 0, 0, 0)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=12)
FIELDS = ["uuid", "type", "household", "member_id", "item", "scheme_version_id", "quantity", "occurred_at", "note",
          "place", "photos", "period", "items", "item_photos"]


@st.composite
def batch_bodies(draw, world) -> bytes:
    """A batch of real items with fields replaced by arbitrary JSON, arbitrary JSON, or arbitrary bytes."""
    kind = draw(st.sampled_from(["items", "items", "items", "json", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "json":
        return json.dumps(draw(JSON)).encode()
    items = []
    for _ in range(draw(st.integers(0, 3))):
        item = draw(st.sampled_from([event, inspection]))(world)
        for key in draw(st.lists(st.sampled_from(FIELDS), max_size=3)):
            item[key] = draw(JSON)
        items.append(item)
    body = {"protocol": draw(st.sampled_from([1, 1, 1, 2, "1", None])), "items": items}
    return json.dumps(body, ensure_ascii=draw(st.booleans())).encode()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_batch_body_gets_a_2xx_or_4xx_and_a_refused_one_writes_nothing(world, client, data):
    """Fuzzing the endpoint with a device token: never a 5xx; a 4xx leaves the database as it was."""
    body = data.draw(batch_bodies(world))
    before = written()
    response = post(client, world, body)
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert written() == before
    else:
        assert len(response.get_json()["results"]) == len(json.loads(body)["items"])


def test_a_body_over_16_mb_is_a_413_and_writes_nothing(world, client):
    """The request size limit holds for the batch endpoint too: 413 in the protocol's JSON."""
    body = json.dumps({"protocol": 1, "items": [event(world, note="x" * (17 * 2**20))]}).encode()
    response = post(client, world, body)
    assert response.status_code == 413 and response.is_json
    assert written() == (0, 0, 0, 0)
