"""An in-memory SyncPort with transaction semantics, for testing sync/ without Flask or a database.

Writes are staged by store_*, moved into the open transaction by flush, and become visible to
later batches only on commit(); rollback() drops the open transaction (a crashed request).
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sync import HouseholdFacts, ItemFacts, Receipt, SyncPort, VersionFacts

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)  # 12:00 in the village


def _items(*specs: tuple[str, str, str, str, bool]) -> dict[str, ItemFacts]:
    return {code: ItemFacts(code, kind, scope, period, default, n) for n, (code, kind, scope, period, default)
            in enumerate(specs, start=1)}


OLD = VersionFacts(1, 1, _items(
    ("J1", "bonus", "household", "month", False), ("K5", "deduction", "member", "month", False),
    ("OLD", "bonus", "household", "month", False), ("B1", "base", "household", "month", True),
    ("B2", "base", "household", "month", True), ("Y1", "base", "household", "year", False),
))
CURRENT = VersionFacts(2, 1, _items(
    ("J1", "bonus", "household", "month", False), ("K5", "deduction", "member", "month", False),
    ("B1", "base", "household", "month", True), ("B2", "base", "household", "month", True),
    ("Y1", "base", "household", "year", False),
))
ELSEWHERE = VersionFacts(9, 2, CURRENT.items)


@dataclass
class State:
    receipts: dict[uuid.UUID, Receipt] = field(default_factory=dict)
    entries: list[Any] = field(default_factory=list)
    inspections: list[Any] = field(default_factory=list)
    slots: list[tuple[uuid.UUID, str]] = field(default_factory=list)


class FakePort(SyncPort):
    zone = ZoneInfo("Asia/Shanghai")

    def __init__(self, crash_after: int | None = None) -> None:
        self.committed = State()
        self.open = State()  # the current transaction: committed + flushed writes
        self.staged: list[Any] = []
        self.crash_after = crash_after
        self.stores = 0
        self.closed_periods: set[str] = set()
        self.uploaded: set[str] = set()
        self.clock = NOW
        self.households_by_code = {
            "YF0001": HouseholdFacts(1, "YF0001", 1, frozenset({11, 12}), True),
            "YF0002": HouseholdFacts(2, "YF0002", 1, frozenset({21}), True),
            "YF0099": HouseholdFacts(99, "YF0099", 1, frozenset({991}), False),  # another grid
            "WJ0001": HouseholdFacts(100, "WJ0001", 2, frozenset({1001}), False),  # another village
        }

    # -- the transaction, as the web layer would hold it ---------------------------------------
    def commit(self) -> None:
        self.committed = copy.deepcopy(self.open)

    def rollback(self) -> None:
        self.open = copy.deepcopy(self.committed)
        self.staged = []

    # -- SyncPort ------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock

    def receipts(self, uuids):
        return {u: self.open.receipts[u] for u in uuids if u in self.open.receipts}

    def households(self, codes):
        return {c: self.households_by_code[c] for c in codes if c in self.households_by_code}

    def version(self, version_id):
        return {1: OLD, 2: CURRENT, 9: ELSEWHERE}.get(version_id)

    def version_on(self, village_id, day: date):
        if village_id == 1:
            return OLD if day < date(2026, 7, 1) else CURRENT
        return ELSEWHERE if village_id == 2 else None

    def current_version(self, village_id):
        return {1: CURRENT, 2: ELSEWHERE}.get(village_id)

    def inspected(self, household_id, period):
        return any(r.household_id == household_id and r.period == period for r in self.open.inspections)

    def period_is_closed(self, village_id, period):
        return period in self.closed_periods

    def _stage(self, record: Any) -> None:
        self.stores += 1
        if self.crash_after is not None and self.stores > self.crash_after:
            raise RuntimeError("the server was killed")
        self.staged.append(record)

    def store_event(self, record):
        self._stage(record)

    def store_inspection(self, record):
        self._stage(record)

    def flush(self):
        for record in self.staged:
            (self.open.inspections if hasattr(record, "period") else self.open.entries).append(record)
            self.open.receipts[record.uuid] = Receipt(
                "inspection" if hasattr(record, "period") else "event", record.payload_sha256, dict(record.result))
            shas = list(record.photos) + [s for v in getattr(record, "item_photos", {}).values() for s in v]
            self.open.slots += [(record.uuid, s) for s in dict.fromkeys(shas)]
        self.staged = []

    def missing_photos(self, uuids):
        wanted = set(uuids)
        out: dict[uuid.UUID, list[str]] = {}
        for key, sha in self.open.slots:
            if key in wanted and sha not in self.uploaded:
                out.setdefault(key, []).append(sha)
        return out


def event(**fields: Any) -> dict[str, Any]:
    """An event item as a phone sends it (a fresh uuid unless one is given)."""
    item = {"uuid": str(uuid.uuid4()), "type": "event", "household": "YF0001", "member_id": None, "item": "J1",
            "scheme_version_id": 2, "quantity": "1", "occurred_at": "2026-11-22T08:15:00+08:00",
            "note": "", "place": "", "photos": []}
    item.update(fields)
    return item


def inspection(**fields: Any) -> dict[str, Any]:
    """An inspection item as a phone sends it."""
    item = {"uuid": str(uuid.uuid4()), "type": "inspection", "household": "YF0001", "period": "2026-11",
            "scheme_version_id": 2, "occurred_at": "2026-11-22T09:00:00+08:00", "items": {"B1": True, "B2": False},
            "note": "", "place": "", "photos": [], "item_photos": {}}
    item.update(fields)
    return item
