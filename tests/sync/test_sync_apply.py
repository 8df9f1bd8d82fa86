"""apply_batch with an in-memory port: idempotency, item-by-item answers, review flags, crashes."""

from __future__ import annotations

import copy
import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from sync import apply_batch, payload_sha256
from tests.sync.fake_port import NOW, FakePort, event, inspection


def run(port: FakePort, items: list) -> list[dict]:
    """One request: apply, then commit (as the web layer does)."""
    results = [r.as_json() for r in apply_batch(items, port)]
    port.commit()
    return results


def statuses(results: list[dict]) -> list[str]:
    return [r["status"] for r in results]


def test_a_replayed_batch_changes_nothing_and_answers_duplicate(port):
    """Sending the same batch again stores nothing more and answers each item as a duplicate."""
    items = [event(), event(item="K5", member_id=11), inspection()]
    first = run(port, items)
    stored = copy.deepcopy(port.committed)
    again = run(port, copy.deepcopy(items))
    assert statuses(first) == ["accepted"] * 3
    assert statuses(again) == ["duplicate"] * 3
    assert port.committed == stored
    assert [r["flags"] for r in again] == [r["flags"] for r in first]


def test_a_changed_payload_under_a_known_uuid_is_a_conflict_and_changes_nothing(port):
    """The same uuid with other content is refused as a conflict; the first version stays."""
    item = event(quantity="1")
    run(port, [item])
    stored = copy.deepcopy(port.committed)
    [result] = run(port, [dict(item, quantity="2")])
    assert result["status"] == "conflict" and result["code"] == "conflict" and result["reason"]
    assert port.committed == stored


def test_a_duplicate_uuid_inside_one_batch_is_judged_against_its_first_occurrence(port):
    """Inside one batch a repeated uuid is a duplicate (same payload) or a conflict (other payload)."""
    item = event()
    results = run(port, [item, dict(item), dict(item, note="changed")])
    assert statuses(results) == ["accepted", "duplicate", "conflict"]
    assert len(port.committed.entries) == 1


def test_the_payload_hash_ignores_key_order():
    """A phone that writes its keys in another order sends the same payload."""
    item = event()
    assert payload_sha256(item) == payload_sha256(dict(reversed(list(item.items()))))


@pytest.mark.parametrize("code", ["YF0099", "WJ0001", "NOPE"])
def test_a_household_outside_the_workers_grid_is_rejected(port, code):
    """Another grid's household, another village's, or an unknown code: rejected alike, nothing written."""
    [result] = run(port, [event(household=code)])
    assert (result["status"], result["code"]) == ("rejected", "outside_grid")
    assert port.committed.entries == [] and port.committed.receipts == {}


def test_an_unknown_item_is_rejected(port):
    """An item code the phone's rules do not have is rejected."""
    [result] = run(port, [event(item="ZZ9")])
    assert (result["status"], result["code"]) == ("rejected", "unknown_item")
    assert "ZZ9" in result["reason"]


def test_a_base_item_is_not_an_event(port):
    """Base items are scored by inspection; as an event they are rejected."""
    [result] = run(port, [event(item="B1")])
    assert result["code"] == "inspection_item"


@pytest.mark.parametrize(("fields", "code"), [
    ({"item": "K5", "member_id": None}, "member_required"),
    ({"member_id": 21}, "unknown_member"),
    ({"quantity": "0"}, "bad_quantity"),
    ({"quantity": "-1"}, "bad_quantity"),
    ({"quantity": "100.5"}, "bad_quantity"),
    ({"quantity": "1.005"}, "bad_quantity"),
    ({"quantity": "NaN"}, "invalid"),
    ({"occurred_at": "2026-11-22T08:15:00"}, "invalid"),
    ({"uuid": "not-a-uuid"}, "invalid"),
    ({"type": "party"}, "invalid"),
    ({"note": "a\u0000b"}, "invalid"),
    ({"scheme_version_id": 2**40}, "invalid"),
    ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "bad_time"),
])
def test_wrong_events_are_rejected_with_a_code(port, fields, code):
    """Members must belong to the household and per-person items need one; 0 < quantity ≤ 100."""
    [result] = run(port, [event(**fields)])
    assert (result["status"], result["code"]) == ("rejected", code)
    assert port.committed.entries == []


def test_a_quantity_of_one_hundred_is_accepted(port):
    """The upper bound itself is allowed, and a missing quantity means one."""
    results = run(port, [event(quantity="100"), event(quantity=None)])
    assert statuses(results) == ["accepted", "accepted"]
    assert [e.quantity for e in port.committed.entries] == [100, 1]


def test_bad_items_do_not_block_good_ones_in_the_same_batch(port):
    """Each item gets its own answer; the good ones around a bad one are stored."""
    items = [event(), "not an item", event(household="YF0099"), event(item="ZZ9"), {"type": "event"}, event()]
    results = run(port, items)
    assert statuses(results) == ["accepted", "rejected", "rejected", "rejected", "rejected", "accepted"]
    assert len(port.committed.entries) == 2
    assert results[1]["uuid"] is None


def test_a_retired_item_is_accepted_with_a_flag(port):
    """An item the rules in force no longer have is kept, flagged for review, never dropped."""
    [result] = run(port, [event(item="OLD", scheme_version_id=1, occurred_at="2026-11-02T10:00:00+08:00")])
    assert result["status"] == "accepted" and result["flags"] == ["rules_changed", "retired_item"]
    [entry] = port.committed.entries  # gone from the rules of the recorded day too: the phone's rules kept
    assert entry.version_id == 1 and entry.flags == ("rules_changed", "retired_item")


def test_a_future_time_is_flagged(port):
    """A device clock more than a day ahead of the server's is accepted but flagged."""
    ahead = (NOW + timedelta(days=1, minutes=5)).isoformat()
    near = (NOW + timedelta(hours=23)).isoformat()
    results = run(port, [event(occurred_at=ahead), event(occurred_at=near)])
    assert [r["flags"] for r in results] == [["future_time"], []]


def test_a_closed_period_flags_late_entries(port):
    """Entries for a closed period are accepted as late (the committee decides)."""
    port.closed_periods.add("2026-10")
    results = run(port, [event(occurred_at="2026-10-30T10:00:00+08:00"), event()])
    assert [r["flags"] for r in results] == [["late"], []]


def test_a_version_of_another_village_falls_back_to_the_version_in_force_and_is_flagged(port):
    """The phone's version must be the household's village's; otherwise the one in force then is used."""
    results = run(port, [event(scheme_version_id=9), event(scheme_version_id=None),
                         event(scheme_version_id=777, occurred_at="2026-03-01T10:00:00+08:00")])
    assert [r["flags"] for r in results] == [["unknown_version"]] * 2 + [["unknown_version", "old_time"]]
    assert [e.version_id for e in port.committed.entries] == [2, 2, 1]


def test_the_local_date_decides_the_period(port):
    """20:00 UTC on 30 November is 1 December in the village: the entry belongs to December."""
    run(port, [event(occurred_at="2026-11-30T20:00:00+00:00")])
    [entry] = port.committed.entries
    assert entry.occurred_on == date(2026, 12, 1)


def test_a_second_inspection_of_a_household_and_period_is_rejected(port):
    """One inspection per household per period: another uuid for it is already_inspected."""
    first = run(port, [inspection(), inspection(), inspection(household="YF0002")])
    later = run(port, [inspection()])
    assert statuses(first) == ["accepted", "rejected", "accepted"]
    assert first[1]["code"] == "already_inspected" and later[0]["code"] == "already_inspected"
    assert len(port.committed.inspections) == 2


def test_an_inspection_records_every_base_item_of_its_period_kind(port):
    """Items not sent keep their default; only the month's base items are in a monthly inspection."""
    run(port, [inspection(items={"B2": False})])
    [record] = port.committed.inspections
    assert [(item.code, met) for item, met in record.met] == [("B1", True), ("B2", False)]


@pytest.mark.parametrize(("fields", "code"), [
    ({"period": "2026-Q4"}, "wrong_period"),
    ({"period": "2026-13"}, "wrong_period"),
    ({"items": {"J1": True}}, "unknown_item"),
    ({"items": {"Y1": True}}, "unknown_item"),
    ({"item_photos": {"ZZ": ["a" * 64]}}, "unknown_item"),
])
def test_wrong_inspections_are_rejected(port, fields, code):
    """The period must be one the rules inspect, and the items its base items."""
    [result] = run(port, [inspection(**fields)])
    assert (result["status"], result["code"]) == ("rejected", code)


def test_a_yearly_inspection_takes_the_yearly_base_items(port):
    """A year period inspects the categories inspected yearly."""
    [result] = run(port, [inspection(period="2026", items={"Y1": True})])
    assert result["status"] == "accepted"
    assert [(i.code, met) for i, met in port.committed.inspections[0].met] == [("Y1", True)]


def test_missing_photos_are_listed_for_accepted_and_duplicate_items(port):
    """The answer lists the photos still to upload, until they arrive."""
    a, b = "a" * 64, "b" * 64
    item = inspection(photos=[a], item_photos={"B2": [b]})
    [first] = run(port, [item])
    assert sorted(first["missing_photos"]) == [a, b]
    port.uploaded.add(a)
    [again] = run(port, [item])
    assert again["status"] == "duplicate" and again["missing_photos"] == [b]


def test_the_server_killed_mid_batch_loses_nothing_and_duplicates_nothing():
    """A crash after some items leaves nothing written; the phone's replay then stores each item exactly once."""
    port = FakePort(crash_after=3)
    items = [event() for _ in range(5)] + [inspection()]
    with pytest.raises(RuntimeError):
        apply_batch(items, port)
    port.rollback()  # the request died before its commit
    assert port.committed.entries == [] and port.committed.receipts == {}
    port.crash_after = None
    assert statuses(run(port, items)) == ["accepted"] * 6
    assert statuses(run(port, items)) == ["duplicate"] * 6
    assert len(port.committed.entries) == 5 and len(port.committed.inspections) == 1
    assert set(port.committed.receipts) == {uuid.UUID(i["uuid"]) for i in items}


def test_a_crash_between_batches_keeps_the_committed_ones():
    """A crash in a later batch rolls back only that batch; replaying both stores nothing twice."""
    port = FakePort()
    first, second = [event(), event()], [event(), event()]
    run(port, first)
    port.crash_after = port.stores + 1
    with pytest.raises(RuntimeError):
        apply_batch(second, port)
    port.rollback()
    port.crash_after = None
    assert statuses(run(port, first + second)) == ["duplicate"] * 2 + ["accepted"] * 2
    assert len(port.committed.entries) == 4


item_choices = st.sampled_from([
    lambda: event(), lambda: event(item="ZZ9"), lambda: event(household="YF0099"), lambda: event(quantity="3.5"),
    lambda: inspection(), lambda: inspection(household="YF0002"), lambda: event(item="K5", member_id=12),
])


@settings(max_examples=40, deadline=None)
@given(st.lists(item_choices, min_size=1, max_size=12), st.lists(st.integers(0, 11), max_size=6))
def test_replaying_any_batch_in_any_split_stores_each_item_at_most_once(makers, repeats):
    """Whatever the mix, repeats and retries, the store holds one row per accepted uuid."""
    port = FakePort()
    items = [make() for make in makers]
    items += [copy.deepcopy(items[i % len(items)]) for i in repeats]
    first = run(port, items)
    stored = copy.deepcopy(port.committed)
    half = len(items) // 2
    run(port, items[half:])
    run(port, items[:half])
    assert port.committed == stored
    accepted = {r["uuid"] for r in first if r["status"] == "accepted"}
    assert len(port.committed.entries) + len(port.committed.inspections) == len(accepted)
