"""Over HTTP: an entry sent from a form drawn from rules that changed since is stored by the rules of
its day, flagged for review (with its label in the queue), and the answer says the points stored;
an item that needs a photo, sent without one, is flagged too."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tests.rule_files import scheme_text
from tests.worlds.fieldwork import event, inspection
from webapp.extensions import db
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.scheme import Item
from webapp.points.services.schemes import import_scheme

BATCH = "/api/v1/sync/batch"


def post_batch(client, world, *items):
    response = client.post(BATCH, json={"protocol": 1, "items": list(items)},
                           headers={"Authorization": f"Bearer {world['token']}"})
    assert response.status_code == 200
    return response.get_json()["results"]


def new_rules(world, effective_from: date = date(2026, 11, 15)):
    """v3 of 油房村's rules: J2 worth 1 instead of 0.5, B1 worth 5 and B2 7 instead of 6."""
    text = scheme_text("fengsheng").replace("{code: J2, points: 0.5,", "{code: J2, points: 1,").replace(
        "{code: B1, points: 6,", "{code: B1, points: 5,").replace("{code: B2, points: 6,", "{code: B2, points: 7,")
    version, _ = import_scheme(world["yf"], text, effective_from=effective_from)
    db.session.commit()
    return version


def test_a_j2_sent_from_a_cached_form_is_flagged_and_stored_at_the_new_value(world, client):
    v3 = new_rules(world)
    item = event(world, item="J2")  # the phone's form still has v2: J2 at 0.5

    [result] = post_batch(client, world, item)

    assert result["status"] == "accepted" and result["flags"] == ["rules_changed"]
    assert (result["points"], result["item"]) == ("1", "J2")
    entry = db.session.scalar(select(Entry).where(Entry.client_uuid == uuid.UUID(item["uuid"])))
    stored = db.session.get(Item, entry.item_id)
    assert entry.scheme_version_id == v3.id and stored.points == Decimal(1) and entry.flags == ["rules_changed"]
    [again] = post_batch(client, world, item)
    assert again["status"] == "duplicate" and (again["flags"], again["points"], again["item"]) == (
        ["rules_changed"], "1", "J2")


def test_an_entry_of_a_day_before_the_change_is_scored_by_that_days_rules(world, client):
    new_rules(world, effective_from=date(2026, 11, 25))
    [result] = post_batch(client, world, event(world, item="J2"))  # 22 November: v2's J2 still
    assert result["flags"] == [] and "points" not in result


def test_an_inspection_from_a_cached_form_is_flagged_with_its_new_total(world, client):
    v3 = new_rules(world)
    [result] = post_batch(client, world, inspection(world, items={"B1": True, "B3": False}))
    assert result["flags"] == ["rules_changed"]
    stored = db.session.scalar(select(Inspection))
    assert stored.scheme_version_id == v3.id
    met = {row.item.code: row.met for row in stored.items}
    expected = sum((row.item.points for row in stored.items if row.met), Decimal(0))
    assert met["B1"] and not met["B3"] and Decimal(result["points"]) == expected


def test_an_item_that_needs_a_photo_sent_without_one_is_flagged_photo_missing(world, client):
    results = post_batch(client, world, event(world, item="J1"), event(world, item="J1", photos=["a" * 64]))
    assert [r["flags"] for r in results] == [["photo_missing"], []]


def test_the_review_queue_names_and_filters_both_flags(world, client, auth):
    new_rules(world)
    post_batch(client, world, event(world, item="J2"), event(world, item="J1", household="YF0002"))
    auth.login("yfadmin")

    changed = client.get("/review?flag=rules_changed").get_data(as_text=True)
    missing = client.get("/review?flag=photo_missing").get_data(as_text=True)

    assert "规则已变更" in changed and "张三丰" in changed and "王五" not in changed
    assert "缺少照片" in missing and "王五" in missing and "张三丰" not in missing
