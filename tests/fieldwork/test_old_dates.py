"""An entry dated before last month is accepted but flagged `old_time` for review (sync and the no-JS form)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.worlds.fieldwork import NOW, event
from tests.worlds.pages import Auth, csrf_token
from webapp.extensions import db
from webapp.fieldwork.services.ingest import ingest_batch
from webapp.labels import FLAG_NAMES
from webapp.points.domain.entry_states import FLAGS
from webapp.points.models.entry import Entry


def ingest(world: dict, *items) -> list[dict]:
    body = ingest_batch(world["scorer"], world["device"], {"protocol": 1, "items": list(items)}, now=NOW)
    db.session.commit()
    return body["results"]


def test_an_event_dated_years_ago_is_accepted_and_flagged_for_review(world):
    """Synced on 2 December 2026, an event of June 2023 is stored, flagged `old_time`, and waits for review."""
    [result] = ingest(world, event(world, item="J2", occurred_at="2023-06-01T10:00:00+08:00"))  # J1 needs a photo
    assert result["status"] == "accepted" and result["flags"] == ["old_time"]
    entry = db.session.scalar(select(Entry))
    assert entry.flags == ["old_time"] and entry.status == "recorded"


@pytest.mark.parametrize(("occurred_at", "flags"), [
    ("2026-11-01T00:30:00+08:00", []),  # the first minutes of last month (village time): ordinary
    ("2026-10-31T23:30:00+08:00", ["old_time"]),  # the month before: flagged
    ("2026-10-31T16:30:00+00:00", []),  # 00:30 on 1 November in the village: the village's date decides
])
def test_the_bound_is_the_start_of_last_month_in_village_time(world, occurred_at, flags):
    """With the server at 2 December, anything before 1 November (Asia/Shanghai) is old."""
    [result] = ingest(world, event(world, item="J2", occurred_at=occurred_at))
    assert result["flags"] == flags


def test_old_time_is_a_flag_the_review_queue_knows():
    """The flag has a place in the entry flags and a translated name."""
    assert "old_time" in FLAGS and "old_time" in FLAG_NAMES


def test_the_no_js_scoring_form_flags_an_event_dated_years_ago(world, client):
    """Posted without JavaScript, an event dated 2020 is stored with `old_time` and the scorer is told."""
    Auth(client).login("grid")
    page = client.get("/score/event?h=YF0001").get_data(as_text=True)
    form_uuid = re.search(r'name="uuid" value="([0-9a-f-]{36})"', page)[1]
    answer = client.post("/score/event", data={
        "csrf_token": csrf_token(page), "uuid": form_uuid, "h": "YF0001", "item": "J1", "quantity": "1",
        "occurred_at": "2020-05-04T09:30", "scheme_version_id": str(world["v2"].id)}, follow_redirects=True)
    assert answer.status_code == 200
    entry = db.session.scalar(select(Entry))
    assert entry is not None and "old_time" in entry.flags
