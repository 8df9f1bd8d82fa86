"""ingest_batch on the real database (SQLite and PostgreSQL): what is stored, exactly once."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.refusals import refused
from tests.worlds.fieldwork import NOW, event, inspection
from webapp.extensions import db
from webapp.fieldwork.models import SyncReceipt
from webapp.fieldwork.services import ingest as sync_ingest
from webapp.fieldwork.services.ingest import BatchRefused, ingest_batch
from webapp.people.models.audit import AuditEvent
from webapp.photos.models import EntryPhoto, Photo
from webapp.points.models.entry import Entry, Inspection, InspectionItem


def batch(*items) -> dict:
    return {"protocol": 1, "items": list(items)}


def ingest(world: dict, *items, user=None, device="default") -> list[dict]:
    """One request: ingest and commit, as the sync API does."""
    body = ingest_batch(user or world["scorer"], world["device"] if device == "default" else device, batch(*items),
                        now=NOW)
    db.session.commit()
    return body["results"]


def count(model, *where) -> int:
    query = select(func.count()).select_from(model)
    return db.session.scalar(query.where(*where) if where else query)


def stored() -> tuple[int, ...]:
    return tuple(count(m) for m in (Entry, Inspection, InspectionItem, SyncReceipt, EntryPhoto))


def test_an_accepted_event_is_stored_as_recorded_with_both_times_and_its_origin(world):
    """The entry keeps the device's time in UTC, the village's local date, the receive time, who and which phone."""
    member = world["hh1"].members[1]
    item = event(world, item="K5", member_id=member.id, quantity="2", occurred_at="2026-11-30T23:30:00+08:00")
    [result] = ingest(world, item)
    assert result == {"uuid": item["uuid"], "status": "accepted", "entry_status": "recorded", "flags": [],
                      "missing_photos": []}
    entry = db.session.scalar(select(Entry))
    assert entry.client_uuid == uuid.UUID(item["uuid"]) and entry.status == "recorded"
    assert entry.occurred_at == datetime(2026, 11, 30, 15, 30)
    assert entry.occurred_on == date(2026, 11, 30) and entry.occurred_month == 202611
    assert entry.received_at is not None and entry.recorded_by_id == world["scorer"].id
    assert entry.device == str(world["device"].public_id)
    assert (entry.member_id, entry.quantity, entry.place, entry.scheme_version_id) == (
        member.id, Decimal(2), "村口", world["v2"].id)
    receipt = db.session.get(SyncReceipt, uuid.UUID(item["uuid"]))
    assert receipt.entry_id == entry.id and receipt.kind == "event" and receipt.device_id == world["device"].id


def test_a_replayed_batch_changes_nothing_and_answers_duplicate(world):
    """The same batch again writes nothing and answers every item as a duplicate."""
    items = [event(world), inspection(world), event(world, item="J2")]
    assert [r["status"] for r in ingest(world, *items)] == ["accepted"] * 3
    before = stored()
    assert [r["status"] for r in ingest(world, *items)] == ["duplicate"] * 3
    assert stored() == before == (2, 1, 18, 3, 0)


def test_a_changed_payload_under_a_known_uuid_is_a_conflict_and_changes_nothing(world):
    """Another payload under a stored uuid is a conflict; the stored entry is unchanged."""
    item = event(world)
    ingest(world, item)
    [result] = ingest(world, dict(item, quantity="3"))
    assert result["status"] == "conflict" and result["code"] == "conflict"
    assert db.session.scalar(select(Entry.quantity)) == Decimal(1) and stored()[0] == 1


def test_uuids_are_unique_across_entries_and_inspections(world):
    """An inspection may not reuse an event's uuid."""
    item = event(world)
    ingest(world, item)
    [result] = ingest(world, inspection(world, uuid=item["uuid"]))
    assert result["status"] == "conflict" and count(Inspection) == 0


def test_a_uuid_taken_by_an_entry_made_elsewhere_is_a_conflict_not_a_failed_batch(world, make):
    """An entry without a receipt (made by another path) still owns its uuid; the rest of the batch goes in."""
    taken = make.entry(world["hh1"], world["v2"], "J1", date(2026, 11, 1))
    db.session.commit()
    results = ingest(world, event(world, uuid=str(taken.client_uuid)), event(world))
    assert [r["status"] for r in results] == ["conflict", "accepted"] and count(Entry) == 2


def test_an_inspection_stores_every_base_item_and_a_second_one_is_rejected(world):
    """All 18 base items with their state (defaults for those not sent); one per household and month."""
    first, second = inspection(world), inspection(world)
    results = ingest(world, first, second)
    assert [r["status"] for r in results] == ["accepted", "rejected"]
    assert results[1]["code"] == "already_inspected" and "2026-11" in results[1]["reason"]
    met = dict(db.session.execute(
        select(InspectionItem.item_id, InspectionItem.met)).all())
    assert len(met) == 18 and sum(1 for m in met.values() if not m) == 1 + 8  # B3, and the 8 unmet by default
    [result] = ingest(world, inspection(world))
    assert result["code"] == "already_inspected" and count(Inspection) == 1


def test_a_household_outside_the_workers_grid_is_rejected(world):
    """Another grid's or village's household is rejected, in Chinese, and nothing is written."""
    results = ingest(world, event(world, household="YF0003"), event(world, household="WJ0001"),
                     event(world, household="NOPE"))
    assert [r["code"] for r in results] == ["outside_grid"] * 3
    assert results[0]["reason"]
    assert stored() == (0, 0, 0, 0, 0)


def test_a_village_admin_scores_any_household_of_their_village_only(world):
    """The village admin may score the whole village (no phone needed: device=None), not another village."""
    results = ingest(world, event(world, household="YF0003"), event(world, household="WJ0001"),
                     user=world["admin"], device=None)
    assert [r["status"] for r in results] == ["accepted", "rejected"]
    assert db.session.scalar(select(Entry.device)) == ""


def test_a_retired_item_is_accepted_with_a_flag_under_the_version_the_phone_had(world):
    """J4 is gone from the rules in force (and from those of its day: the phone's rules changed since);
    an entry under v1 is kept, flagged for review."""
    [result] = ingest(world, event(world, item="J4", scheme_version_id=world["v1"].id))
    assert result["status"] == "accepted" and result["flags"] == ["rules_changed", "retired_item"]
    entry = db.session.scalar(select(Entry))
    assert entry.flags == ["rules_changed", "retired_item"] and entry.scheme_version_id == world["v1"].id


def test_another_villages_version_falls_back_to_the_one_in_force_and_is_flagged(world):
    """A version id of another village is not trusted: the version in force at occurred_at is used."""
    [result] = ingest(world, event(world, item="J2", scheme_version_id=world["wj_version"].id,
                                   occurred_at="2024-06-01T10:00:00+08:00"))
    assert result["flags"] == ["unknown_version", "old_time"]
    assert db.session.scalar(select(Entry.scheme_version_id)) == world["v1"].id


def test_a_future_time_is_flagged(world):
    """A device clock far ahead is kept as claimed, and flagged."""
    [result] = ingest(world, event(world, item="J2", occurred_at="2030-01-01T08:00:00+08:00"))  # J1 needs a photo
    assert result["flags"] == ["future_time"] and db.session.scalar(select(Entry.flags)) == ["future_time"]


def test_late_entries_are_flagged_when_the_period_is_closed(world):
    """Once October is closed, an October entry and a Q4-less October inspection arrive late; November's do not.
    The inspection keeps its flag for the review queue."""
    from webapp.core.periods import Period
    from webapp.publication.services.publications import close_period

    close_period(world["admin"], world["yf"], Period.month(2026, 10), date(2026, 11, 3))
    db.session.commit()
    results = ingest(world, event(world, item="J2", occurred_at="2026-10-31T10:00:00+08:00"), event(world, item="J2"),
                     inspection(world, period="2026-10", household="YF0002", occurred_at="2026-11-02T17:00:00+08:00"),
                     inspection(world))
    assert [r["flags"] for r in results] == [["late", "old_time"], [], ["late"], []]
    assert db.session.scalar(select(Inspection.flags).where(Inspection.period == "2026-10")) == ["late"]


def test_bad_items_do_not_block_good_ones_in_the_same_batch(world):
    """Bad items are answered one by one; the good ones are stored."""
    results = ingest(world, event(world), event(world, item="ZZ9"), {"uuid": 3}, event(world, quantity="101"),
                     event(world, household="YF0003"), inspection(world))
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected", "rejected", "rejected", "accepted"]
    assert [r.get("code") for r in results[1:5]] == ["unknown_item", "invalid", "bad_quantity", "outside_grid"]
    assert stored()[:2] == (1, 1)


NOT_A_BATCH = "This is not a sync batch."


@pytest.mark.parametrize(("payload", "status", "msgid"), [
    pytest.param(None, 400, NOT_A_BATCH, id="None-400"),
    pytest.param([], 400, NOT_A_BATCH, id="payload1-400"),
    pytest.param({"items": "x", "protocol": 1}, 400, NOT_A_BATCH, id="payload2-400"),
    pytest.param({"items": []}, 400, "This app speaks another version of the sync protocol. Please reload it.",
                 id="payload3-400"),
    pytest.param({"protocol": 1, "items": [{}] * 51}, 413, "At most %(max)s items per batch.", id="payload4-413"),
])
def test_a_request_that_is_not_a_batch_is_refused_whole(world, payload, status, msgid):
    """Not a batch (or another protocol) → 400; more than 50 items → 413; nothing written."""
    with refused(msgid, BatchRefused) as caught:
        ingest_batch(world["scorer"], world["device"], payload, now=NOW)
    assert caught.value.status == status
    db.session.rollback()
    assert stored() == (0, 0, 0, 0, 0)


def test_the_server_killed_mid_batch_loses_nothing_and_duplicates_nothing(world, monkeypatch):
    """A crash after 3 of 6 items leaves nothing (one transaction per batch); the replay stores each item once."""
    items = [event(world) for _ in range(5)] + [inspection(world, photos=["a" * 64])]
    real = sync_ingest.SqlSyncPort.store_event
    calls = {"n": 0}

    def dying(self, record):
        calls["n"] += 1
        if calls["n"] > 3:
            raise RuntimeError("killed")
        return real(self, record)

    monkeypatch.setattr(sync_ingest.SqlSyncPort, "store_event", dying)
    with pytest.raises(RuntimeError):
        ingest(world, *items)
    db.session.rollback()  # the request died before its commit
    assert stored() == (0, 0, 0, 0, 0)
    monkeypatch.setattr(sync_ingest.SqlSyncPort, "store_event", real)
    assert [r["status"] for r in ingest(world, *items)] == ["accepted"] * 6
    assert [r["status"] for r in ingest(world, *items)] == ["duplicate"] * 6
    assert stored() == (5, 1, 18, 6, 1)


def test_a_race_on_the_same_uuid_answers_duplicate_instead_of_failing(world, monkeypatch):
    """If another request stores the same uuid between our read and our write, the batch is applied again."""
    item = event(world)
    real = sync_ingest.SqlSyncPort.receipts
    raced = {"done": False}

    def blind_once(self, uuids):
        if not raced["done"]:
            raced["done"] = True
            return {}
        return real(self, uuids)

    ingest(world, item)
    monkeypatch.setattr(sync_ingest.SqlSyncPort, "receipts", blind_once)
    [result] = ingest(world, item)
    assert result["status"] == "duplicate" and count(Entry) == 1


def test_photos_are_missing_until_uploaded_even_when_the_server_already_has_the_bytes(world):
    """missing_photos lists every hash an entry named until its own upload: naming a hash links nothing."""
    a, b = "a" * 64, "b" * 64
    db.session.add(Photo(upload_sha256=a, stored_sha256="c" * 64, width=1, height=1, bytes=1))
    db.session.commit()
    item = inspection(world, photos=[a, b], item_photos={"B3": [b]})
    [result] = ingest(world, item)
    assert result["missing_photos"] == [a, b]
    assert count(EntryPhoto) == 3 and count(EntryPhoto, EntryPhoto.photo_id.is_not(None)) == 0
    [again] = ingest(world, item)
    assert again["status"] == "duplicate" and again["missing_photos"] == [a, b]


def test_each_batch_is_in_the_audit_trail_with_its_counts(world):
    """The audit trail records who synced how many items from which phone."""
    ingest(world, event(world), event(world, item="ZZ9"))
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sync.batch"))
    assert audit.detail == {"items": 2, "accepted": 1, "rejected": 1}
    assert audit.device == str(world["device"].public_id) and audit.village_id == world["yf"].id


def test_nothing_is_scored_in_a_retired_village(world):
    """Once the town retires a village its households leave the phone's roster and what a phone still
    holds for them is rejected like any household outside the worker's grids; before, it was accepted."""
    from webapp.fieldwork.services.bootstrap import bootstrap

    assert [r["status"] for r in ingest(world, event(world))] == ["accepted"]
    world["yf"].retired_on = date(2026, 11, 1)
    db.session.commit()
    assert bootstrap(world["scorer"], now=NOW)["households"] == []
    results = ingest(world, event(world))
    assert [r["code"] for r in results] == ["outside_grid"]
