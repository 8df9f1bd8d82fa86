"""Entries recorded against rules that changed since the phone loaded them, and items saved without
the photo they need: accepted, flagged for review, scored by the rules in force on the recorded day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sync import ItemFacts, VersionFacts, apply_batch
from tests.sync.fake_port import FakePort, event, inspection


def _item(code: str, kind: str, points: str, n: int, scope: str = "household", period: str = "month",
          default: bool = False, evidence: str = "optional") -> ItemFacts:
    return ItemFacts(code, kind, scope, period, default, n, Decimal(points), evidence)


def _version(vid: int, *items: ItemFacts) -> VersionFacts:
    return VersionFacts(vid, 1, {i.code: i for i in items})


# The phone's cached rules (in force until 19 November) and the new ones (from 20 November):
# J2 goes from 0.5 to 1, K1 from -5 to -10, B1 from 6 to 5; J9 is dropped, P1 needs a photo.
CACHED = _version(1, _item("J1", "bonus", "2", 1), _item("J2", "bonus", "0.5", 2), _item("J9", "bonus", "1", 3),
                  _item("K1", "deduction", "-5", 4), _item("P1", "bonus", "3", 5, evidence="required"),
                  _item("B1", "base", "6", 6, default=True), _item("B2", "base", "6", 7, default=True))
NEW = _version(3, _item("J1", "bonus", "2", 11), _item("J2", "bonus", "1", 12),
               _item("K1", "deduction", "-10", 14), _item("P1", "bonus", "3", 15, evidence="required"),
               _item("B1", "base", "5", 16, default=True), _item("B2", "base", "6", 17, default=True),
               _item("B3", "base", "4", 18, evidence="required"))
CHANGED_ON = date(2026, 11, 20)


class ChangedRulesPort(FakePort):
    def version(self, version_id):
        return {1: CACHED, 3: NEW}.get(version_id)

    def version_on(self, village_id, day):
        return CACHED if day < CHANGED_ON else NEW

    def current_version(self, village_id):
        return NEW


@pytest.fixture
def port() -> ChangedRulesPort:
    return ChangedRulesPort()


def run(port: FakePort, items: list) -> list[dict]:
    results = [r.as_json() for r in apply_batch(items, port)]
    port.commit()
    return results


def test_an_event_on_a_cached_form_with_changed_points_is_flagged_and_scored_by_the_new_rules(port):
    """A J2 recorded at 0.5 on the cached form after the rules made it 1: flagged, stored at 1,
    and the answer tells the phone the points stored and the item."""
    [result] = run(port, [event(item="J2", scheme_version_id=1)])
    assert result["status"] == "accepted" and result["flags"] == ["rules_changed"]
    assert result["points"] == "1" and result["item"] == "J2"
    [entry] = port.committed.entries
    assert entry.version_id == 3 and entry.item.id == 12 and entry.flags == ("rules_changed",)


def test_the_points_answered_count_the_quantity_and_the_sign(port):
    results = run(port, [event(item="J2", scheme_version_id=1, quantity="3"),
                         event(item="K1", scheme_version_id=1)])
    assert [(r["points"], r["item"]) for r in results] == [("3", "J2"), ("-10", "K1")]


def test_a_replay_answers_the_same_flags_points_and_item(port):
    item = event(item="J2", scheme_version_id=1)
    [first] = run(port, [item])
    [again] = run(port, [item])
    assert again["status"] == "duplicate"
    assert (again["flags"], again["points"], again["item"]) == (first["flags"], first["points"], first["item"])
    assert len(port.committed.entries) == 1
    [_, once, twice] = run(port, [event(item="J2", scheme_version_id=1, note="new"), item, item])
    assert [(r["status"], r["points"]) for r in (once, twice)] == [("duplicate", "1")] * 2


def test_an_unchanged_item_on_a_cached_form_is_not_flagged(port):
    [result] = run(port, [event(item="J1", scheme_version_id=1)])
    assert result["flags"] == [] and "points" not in result and "item" not in result


def test_an_entry_dated_before_the_change_keeps_the_rules_of_its_day(port):
    """Recorded on 10 November, synced on the 22nd under new rules: November 10's rules apply."""
    [result] = run(port, [event(item="J2", scheme_version_id=1, occurred_at="2026-11-10T09:00:00+08:00")])
    assert result["flags"] == []
    [entry] = port.committed.entries
    assert entry.version_id == 1 and entry.item.points == Decimal("0.5")


def test_an_item_gone_from_the_rules_of_its_day_is_flagged_and_kept_as_recorded(port):
    [result] = run(port, [event(item="J9", scheme_version_id=1)])
    assert result["flags"] == ["rules_changed", "retired_item"]
    assert (result["points"], result["item"]) == ("1", "J9")
    assert port.committed.entries[0].version_id == 1


def test_an_inspection_on_a_cached_form_is_scored_by_the_base_items_of_its_day(port):
    """B1 is worth 5 now and B3 is new (needs a photo, starts not met: a shortfall nobody photographed):
    flagged; the answer sums the met items by the new rules."""
    [result] = run(port, [inspection(scheme_version_id=1, items={"B1": True, "B2": False})])
    assert result["status"] == "accepted"
    assert result["flags"] == ["rules_changed", "photo_missing"] and result["points"] == "5"
    assert "item" not in result
    [stored] = port.committed.inspections
    assert stored.version_id == 3
    assert [(i.code, met) for i, met in stored.met] == [("B1", True), ("B2", False), ("B3", False)]


def test_an_event_that_needs_a_photo_saved_without_one_is_flagged_photo_missing(port):
    results = run(port, [event(item="P1", scheme_version_id=3), event(item="P1", scheme_version_id=3,
                                                                        photos=["a" * 64])])
    assert [r["flags"] for r in results] == [["photo_missing"], []]
    assert port.committed.entries[0].flags == ("photo_missing",)


def test_a_shortfall_that_needs_a_photo_saved_with_none_is_flagged_photo_missing(port):
    """As the phone asks before saving: a not-met item needing a photo, and no photo at all on the
    form; a photo of the item or of the form is enough; a met item is judged at review."""
    results = run(port, [
        inspection(scheme_version_id=3, items={"B3": False}),
        inspection(household="YF0002", scheme_version_id=3, items={"B3": False}, item_photos={"B3": ["c" * 64]}),
    ])
    assert [r["flags"] for r in results] == [["photo_missing"], []]
    port.open.inspections.clear()
    port.committed.inspections.clear()
    results = run(port, [inspection(scheme_version_id=3, items={"B3": False}, photos=["b" * 64]),
                         inspection(household="YF0002", scheme_version_id=3, items={"B3": True})])
    assert [r["flags"] for r in results] == [[], []]
